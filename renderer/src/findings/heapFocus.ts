/**
 * A heap dump view opened for a finding: find its root (by name), object (by address) or allocation
 * site (by label) in the dump. HeapView selects what this returns.
 */
import type { ApiClient, CallOptions } from '../../../shared/api/contract';
import type { RootRow } from '../../../shared/heap/types';

export interface HeapInitialSelection {
  root?: string;
  object?: string;
  allocSite?: string;
}

export interface HeapFocusResult {
  root: RootRow | null;
  /** The object to select: the given one, else the biggest object of the site (under the root). */
  object: { node: number; address: string } | null;
  /** The site was found (under the root when one is given). */
  siteFound: boolean;
}

const PAGE = 500;
const MAX_ROWS = 5000;

export async function resolveHeapFocus(client: ApiClient, handle: string, want: HeapInitialSelection, o: CallOptions): Promise<HeapFocusResult> {
  let root: RootRow | null = null;
  if (want.root) {
    for (let start = 0; start < MAX_ROWS && !root; start += PAGE) {
      const p = await client.heapRoots({ handle, start, count: PAGE }, o);
      root = p.rows.find((r) => r.name === want.root) ?? null;
      if (start + p.rows.length >= p.total || !p.rows.length) break;
    }
  }
  let object: HeapFocusResult['object'] = null;
  let siteFound = false;
  if (want.object) {
    const d = await client.heapObject({ handle, object: want.object, outCount: 0 }, o);
    object = { node: d.node, address: d.address };
  } else if (want.allocSite) {
    const scope = root ? ({ kind: 'retainedBy', node: root.node } as const) : ({ kind: 'reachable' } as const);
    const sites = await client.heapAllocSites({ handle, scope, start: 0, count: PAGE }, o);
    const site = sites.rows.find((s) => s.label === want.allocSite);
    if (site) {
      siteFound = true;
      const objs = await client.heapObjects({ handle, scope: { kind: 'allocSite', site: site.site }, start: 0, count: 1 }, o);
      const r = objs.rows[0];
      if (r) object = { node: r.node, address: r.address ?? r.label };
    }
  }
  return { root, object, siteFound };
}
