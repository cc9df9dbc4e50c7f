/**
 * The top table, computed like pprof's graph.newGraph + report.TextItems: for every sample, cum is
 * added once to each distinct node on its stack and flat to the innermost frame; nodes whose flat
 * and cum are both zero are dropped; rows sort by |flat| (or |cum|), then name, then the other
 * value, then pprof's NodeInfo tie-break. No row cap.
 */
import type { TaskContext } from '../../task';
import { NO_TASK } from '../../task';
import type { ProfileView } from './view';

export interface TopNodes {
  flat: Float64Array;
  cum: Float64Array;
  /** Bit 1: reached through an inline edge; bit 2: through a normal call edge (pprof's "(inline)" label). */
  inlineIn: Uint8Array;
}

export function accumulate(v: ProfileView, task: TaskContext = NO_TASK): TopNodes {
  const nNodes = v.nodes.count;
  const flat = new Float64Array(nNodes);
  const cum = new Float64Array(nNodes);
  const inlineIn = new Uint8Array(nNodes);
  const stamp = new Int32Array(nNodes).fill(-1);
  const p = v.profile;
  const sampleLocs = p.sampleLocs;
  const sampleLocStart = p.sampleLocStart;
  const locNodeStart = v.locNodeStart;
  const locNodes = v.locNodes;
  const weight = v.weight;
  const from = v.sampleFrom;
  for (let s = 0; s < p.sampleCount; s++) {
    const w = weight[s]!;
    if (w === 0) continue;
    if ((s & 8191) === 0 && s > 0) task.throwIfCancelled();
    let parent = -1;
    for (let i = sampleLocStart[s + 1]! - 1; i >= from[s]!; i--) {
      const l = sampleLocs[i]!;
      const ks = locNodeStart[l]!;
      const ke = locNodeStart[l + 1]!;
      for (let k = ke - 1; k >= ks; k--) {
        const nd = locNodes[k]!;
        if (stamp[nd] !== s) {
          stamp[nd] = s;
          cum[nd] += w;
        }
        if (parent >= 0 && nd !== parent) inlineIn[nd] |= k !== ke - 1 ? 1 : 2;
        parent = nd;
      }
    }
    if (parent >= 0) flat[parent] += w;
  }
  return { flat, cum, inlineIn };
}

const HIGH = /[\ud800-\uffff]/;

/** Go's string ordering (UTF-8 bytes), which differs from UTF-16 order only around surrogates. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  if (!HIGH.test(a) || !HIGH.test(b)) return a < b ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    // A surrogate (code point ≥ U+10000) sorts after any BMP char in UTF-8.
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export interface TopRowFull {
  node: number;
  name: string;
  flat: number;
  cum: number;
  /** "", "(inline)" or "(partial-inline)". */
  inline: string;
}

export function topRows(v: ProfileView, t: TopNodes, sort: 'flat' | 'cum' = 'flat'): TopRowFull[] {
  const names = v.nodes.names;
  const nodes: number[] = [];
  for (let nd = 0; nd < v.nodes.count; nd++) if (t.flat[nd] !== 0 || t.cum[nd] !== 0) nodes.push(nd);
  const byFlat = sort === 'flat';
  const k1 = byFlat ? t.flat : t.cum;
  const k2 = byFlat ? t.cum : t.flat;
  // Names with chars ≥ U+D800 need the UTF-8-order comparison; the rest compare natively.
  const high = new Uint8Array(v.nodes.count);
  for (const nd of nodes) if (HIGH.test(names[nd]!)) high[nd] = 1;
  nodes.sort((l, r) => {
    const a1 = Math.abs(k1[l]!);
    const b1 = Math.abs(k1[r]!);
    if (a1 !== b1) return a1 > b1 ? -1 : 1;
    const ln = names[l]!;
    const rn = names[r]!;
    if (ln !== rn) return high[l] && high[r] ? compareGoStrings(ln, rn) : ln < rn ? -1 : 1;
    const a2 = Math.abs(k2[l]!);
    const b2 = Math.abs(k2[r]!);
    if (a2 !== b2) return a2 > b2 ? -1 : 1;
    return compareGoStrings(v.nodes.tieKey(l), v.nodes.tieKey(r));
  });
  const rows: TopRowFull[] = new Array<TopRowFull>(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const nd = nodes[i]!;
    const b = t.inlineIn[nd]!;
    rows[i] = { node: nd, name: names[nd]!, flat: t.flat[nd]!, cum: t.cum[nd]!, inline: b & 1 ? (b & 2 ? '(partial-inline)' : '(inline)') : '' };
  }
  return rows;
}
