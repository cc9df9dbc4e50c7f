/**
 * Packed trees of the report model → the node trees the flame graph draws. Iterative (trees can be
 * deep); used by the viewer and by tests.
 */
import type { FlameNode } from '../api/types';
import type { DiffFlameNode } from '../compare/types';
import { STATUS_OF_CHAR, type PackedDiffFlame, type PackedTree } from './model';

export type UnpackedNode = FlameNode;

function nameOf(strings: readonly string[], i: number | undefined): string {
  const s = i === undefined ? undefined : strings[i];
  return typeof s === 'string' ? s : '?';
}

/** A packed tree → FlameNode (node 0 is the root). */
export function unpackTree(p: PackedTree, strings: readonly string[]): FlameNode {
  const n = p.parent.length;
  const nodes: FlameNode[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const node: FlameNode = { name: nameOf(strings, p.name[i]), value: p.value[i] ?? 0, self: p.self[i] ?? 0, children: [] };
    const h = p.hidden[i] ?? 0;
    if (h > 0) node.hiddenFrames = h;
    nodes[i] = node;
    const parent = p.parent[i]!;
    if (i > 0 && parent >= 0 && parent < i) nodes[parent]!.children.push(node);
  }
  return nodes[0] ?? { name: 'root', value: 0, self: 0, children: [] };
}

/** A packed differential tree → DiffFlameNode (value = target, base, delta, status). */
export function unpackDiffTree(p: PackedDiffFlame, strings: readonly string[]): DiffFlameNode {
  const n = p.parent.length;
  const nodes: DiffFlameNode[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const value = p.value[i] ?? 0;
    const base = p.base[i] ?? 0;
    const node: DiffFlameNode = {
      name: nameOf(strings, p.name[i]),
      value,
      base,
      delta: value - base,
      self: p.self[i] ?? 0,
      baseSelf: p.baseSelf[i] ?? 0,
      status: STATUS_OF_CHAR[p.status[i] ?? 'b'] ?? 'both',
      children: [],
    };
    const h = p.hidden[i] ?? 0;
    if (h > 0) node.hiddenFrames = h;
    nodes[i] = node;
    const parent = p.parent[i]!;
    if (i > 0 && parent >= 0 && parent < i) nodes[parent]!.children.push(node);
  }
  return nodes[0] ?? { name: 'root', value: 0, base: 0, delta: 0, self: 0, baseSelf: 0, status: 'both', children: [] };
}

/**
 * The two sides of a differential tree as plain flame trees (for the side-by-side pair): each side's
 * values, frames with no width on that side left out. Frame paths are the same on both sides.
 */
export function unpackDiffSides(p: PackedDiffFlame, strings: readonly string[]): { base: FlameNode; target: FlameNode } {
  const side = (which: 'base' | 'target'): FlameNode => {
    const n = p.parent.length;
    const nodes: Array<FlameNode | null> = new Array(n).fill(null);
    for (let i = 0; i < n; i++) {
      const value = which === 'base' ? (p.base[i] ?? 0) : (p.value[i] ?? 0);
      const self = which === 'base' ? (p.baseSelf[i] ?? 0) : (p.self[i] ?? 0);
      const parent = p.parent[i]!;
      if (i > 0 && (value === 0 || parent < 0 || !nodes[parent])) continue;
      const node: FlameNode = { name: nameOf(strings, p.name[i]), value, self, children: [] };
      const h = p.hidden[i] ?? 0;
      if (h > 0) node.hiddenFrames = h;
      nodes[i] = node;
      if (i > 0) nodes[parent]!.children.push(node);
    }
    return nodes[0] ?? { name: 'root', value: 0, self: 0, children: [] };
  };
  return { base: side('base'), target: side('target') };
}
