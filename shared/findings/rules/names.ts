/** Naming heap dump objects as Go users think of them: by the field and root that hold them. */
import type { HeapAnalysis } from '../../heap';

/** "global main.cache", or the field holding it and its root: "main.Store.index in global main.store". */
export function nearestRootName(a: HeapAnalysis, node: number): string {
  const p = a.pathsToRoots({ node }, 1).paths[0];
  const root = p?.[0]?.root?.name ?? `object 0x${a.objectAddress(node).toString(16)}`;
  if (!p || p.length <= 2) return root;
  const holder = p[p.length - 2]!;
  const field = p[p.length - 1]!.field;
  if (!holder.type || !field || field.startsWith('[')) return root;
  return `${holder.type}${field.startsWith('.') ? '' : '.'}${field} in ${root}`;
}
