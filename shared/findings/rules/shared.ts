/**
 * Objects that several roots keep alive together, grouped by type (a heap dump). The dominator tree
 * charges an object to one root only when every path to it passes through that root: a registry in
 * a global whose entries worker goroutines also hold (a broker's subscribers and the publisher
 * goroutines sending to them) leaves each entry to no root, a child of the super-root. One by one
 * they are under the suspect share; together they may be most of the heap, and no root's finding
 * says so. As Eclipse MAT's "N instances of class X" suspect: the super-root's object children by
 * Go type (with the binary) or allocation site (without), each group's retained bytes summed.
 */
import type { HeapAnalysis } from '../../heap';
import { fmtBytes, fmtPct, round3 } from '../format';
import { SUSPECT_HIGH_SHARE, SUSPECT_MIN_BYTES, SUSPECT_MIN_SHARE } from '../thresholds';
import type { Finding } from '../types';
import { allocatingFunction, isProgramFunction, sharedByText } from './heap';

/**
 * Members whose paths to the roots are read to say who shares them (spread over the group). Each
 * read is a walk of the reverse graph: ~0.1 s on an 8M-object dump.
 */
const MEMBERS_ASKED = 8;
/** Roots per member read. */
const ROOTS_PER_MEMBER = 5;

export function sharedGroupFindings(a: HeapAnalysis, dump: string): Finding[] {
  const reachable = a.summary().reachableBytes;
  if (reachable <= 0) return [];
  const F = a.graph.firstObject;
  const groups = new Map<string, number[]>();
  for (let c = a.domStart[0]!; c < a.domStart[1]!; c++) {
    const v = a.domChildren[c]!;
    // Roots are their own findings; so is an object big enough to be a suspect on its own.
    if (v < F || (a.retainedBytes[v]! >= SUSPECT_MIN_SHARE * reachable && a.retainedBytes[v]! >= SUSPECT_MIN_BYTES)) continue;
    const key = groupKey(a, v);
    if (key === null) continue;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(v);
  }
  const out: Finding[] = [];
  for (const [key, nodes] of groups) {
    if (nodes.length < 2) continue;
    let retained = 0;
    for (const v of nodes) retained += a.retainedBytes[v]!;
    const share = retained / reachable;
    if (share < SUSPECT_MIN_SHARE || retained < SUSPECT_MIN_BYTES) continue;
    const byType = key.startsWith('type ');
    const what = key.slice(key.indexOf(' ') + 1);
    const allocated = a.groupByAllocStack({ kind: 'nodes', nodes }, allocatingFunction);
    // Builtin types (a [4096]uint8 is every bufio buffer) are the program's only when its own code
    // allocated most of them.
    if (byType && isBuiltin(what) && !(allocated.length && isProgramFunction(allocated[0]!.key))) continue;
    nodes.sort((x, y) => a.retainedBytes[y]! - a.retainedBytes[x]! || x - y);
    // Who reaches them: the roots on paths to the biggest members (globals by name).
    const roots = new Map<string, { kind: string; name: string; fn?: string }>();
    let more = false;
    const step = Math.max(1, nodes.length / MEMBERS_ASKED);
    for (let k = 0; k < nodes.length; k += step) {
      const v = nodes[Math.floor(k)]!;
      const reach = a.pathsToRoots({ node: v }, ROOTS_PER_MEMBER);
      more ||= reach.more;
      for (const p of reach.paths) {
        const r = p[0]?.root;
        const fn = r ? a.graph.roots[p[0]!.node - 1]?.goroutine?.function : undefined;
        if (r) roots.set(r.name, { kind: r.kind, name: r.name, ...(fn ? { fn } : {}) });
      }
    }
    const rs = [...roots.values()];
    const evidence: Finding['evidence'] = {
      objects: nodes.length,
      retainedBytes: retained,
      shareOfReachable: round3(share),
      reachableBytes: reachable,
      sharedBy: rs.map((r) => r.name),
      objectsShown: nodes.slice(0, 5).map((v) => `0x${a.objectAddress(v).toString(16)}`),
    };
    if (more) evidence.sharedByMore = true;
    const fns = [...new Set(rs.filter((r) => r.fn).map((r) => r.fn!))];
    if (fns.length) evidence.sharingGoroutines = fns;
    if (allocated.length) evidence.filledBy = allocated[0]!.key;
    const objs = byType ? `${what} objects` : `objects from ${what}`;
    out.push({
      severity: share >= SUSPECT_HIGH_SHARE ? 'high' : 'medium',
      kind: 'retained-by-root',
      title:
        `${nodes.length} ${objs} keep ${fmtBytes(retained)} alive (${fmtPct(share)} of the live heap), shared by ${sharedByText(rs, more)}` +
        `${fns.length ? ` (${fns.slice(0, 2).join(', ')}${fns.length > 2 ? ' and others' : ''})` : ''}: no one root holds them alone` +
        `${allocated.length ? `; allocated by ${allocated[0]!.key}` : ''}`,
      subject: byType ? `objects of type ${what}` : `objects from ${what}`,
      evidence,
      link: { view: 'heap', dump, object: `0x${a.objectAddress(nodes[0]!).toString(16)}` },
      size: retained,
      sources: [dump],
    });
  }
  return out.sort((x, y) => y.size - x.size);
}

/** A type's named base: `[8]*main.job` → `main.job`; `sudog<T>`, `map.group[K]V` → their own name. */
function baseType(t: string): string {
  return t.replace(/^(?:\[\d*\]|\*)+/, '');
}

/** A builtin base type (no package): uint8, string, func…, struct {…}. */
function isBuiltin(t: string): boolean {
  const b = baseType(t);
  return !/^[\w./-]+\.[A-Za-z_]/.test(b);
}

/**
 * An object's group: its Go type, else its allocation site; null when neither is known, or when the
 * standard library's or the runtime's (net/http's connections and their bufio buffers, a g, a
 * sudog: what the program does with them is the other findings' to say).
 */
function groupKey(a: HeapAnalysis, v: number): string | null {
  const t = a.typeName(v);
  if (t && !t.startsWith('unknown')) {
    if (/^(?:sudog|hchan|map\.\w+)[<[]/.test(baseType(t))) return null;
    return isBuiltin(t) || isProgramFunction(baseType(t)) ? `type ${t}` : null;
  }
  const s = a.allocSiteLabel(v);
  const fn = s ? s.replace(/ \([^()]*\)$/, '') : null;
  return s && fn && isProgramFunction(fn) ? `site ${s}` : null;
}
