/** What the heap view's detail panes (paths to roots, inspector) are about. */
import type { DomRow, RootKind, RootRow } from '../../../shared/heap/types';

export interface HeapSelection {
  node: number;
  kind: 'object' | 'root';
  /** Object address ("0x…") or the root's name. */
  label: string;
  rootKind?: RootKind;
  retainedBytes?: number;
  retainedObjects?: number;
}

export function fromDomRow(r: DomRow): HeapSelection {
  return {
    node: r.node,
    kind: r.kind === 'object' ? 'object' : 'root',
    label: r.label,
    ...(r.rootKind ? { rootKind: r.rootKind } : {}),
    retainedBytes: r.retainedBytes,
    retainedObjects: r.retainedObjects,
  };
}

export function fromRootRow(r: RootRow): HeapSelection {
  return { node: r.node, kind: 'root', label: r.name, rootKind: r.kind, retainedBytes: r.retainedBytes, retainedObjects: r.retainedObjects };
}

export function objectSelection(node: number, address: string): HeapSelection {
  return { node, kind: 'object', label: address };
}
