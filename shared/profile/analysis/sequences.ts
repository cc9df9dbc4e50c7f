/**
 * The kept samples' frame-label sequences (root → leaf, or leaf → root when inverted), sorted
 * lexicographically with the LCP of neighbours: what the pruned call tree is cut from (flame.ts).
 *
 * Labels are read lazily. Sorting a set of sequences reads each one only up to where it differs
 * from all others (its distinguishing prefix); past that, only its length matters. In a wide call
 * tree (700k samples, 25M frames) that is four or five labels of a 35-label stack. So each
 * sequence's first PREFIX labels are laid out up front in one flat array, with its length; a
 * sequence is expanded whole (into `ext`) only when a comparison reaches past its prefix, as every
 * one does in a deep tree. Writing all 25M labels up front cost more than the sort itself.
 */
import type { TaskContext } from '../../task';
import type { ProfileView } from './view';

/** Labels kept per sequence up front (a wide tree's sequences differ within the first five). */
const PREFIX = 8;

export class FrameSequences {
  /** Kept sequences (samples with a weight and at least one frame). */
  readonly count: number;
  /** Per sequence: its length in labels, its weight, and the sample it came from. */
  readonly len: Uint32Array;
  readonly weight: Float64Array;
  private readonly sample: Uint32Array;
  /** The first PREFIX labels of each sequence (fewer when it is shorter). */
  private readonly pre: Int32Array;
  /** Sequences expanded whole: offset into ext, or -1. */
  private readonly extOff: Float64Array;
  private readonly ext: Int32Array;
  private extN = 0;

  constructor(
    private readonly v: ProfileView,
    private readonly nodeLabel: Int32Array,
    private readonly inverted: boolean,
    task: TaskContext,
  ) {
    const p = v.profile;
    const sampleLocs = p.sampleLocs;
    const sampleLocStart = p.sampleLocStart;
    const locNodeStart = v.locNodeStart;
    const weight = v.weight;
    const sampleFrom = v.sampleFrom;
    const nLoc = p.locationCount;
    const locLen = new Int32Array(nLoc);
    for (let l = 0; l < nLoc; l++) locLen[l] = locNodeStart[l + 1]! - locNodeStart[l]!;
    // Pass 1: lengths (labels per sample) and the number of kept sequences.
    const sampleLen = new Uint32Array(p.sampleCount);
    let ns = 0;
    let total = 0;
    for (let s = 0; s < p.sampleCount; s++) {
      if (weight[s] === 0) continue;
      let len = 0;
      const e = sampleLocStart[s + 1]!;
      for (let i = sampleFrom[s]!; i < e; i++) len += locLen[sampleLocs[i]!]!;
      sampleLen[s] = len;
      if (len > 0) ns++;
      total += len;
    }
    task.throwIfCancelled();
    this.count = ns;
    this.len = new Uint32Array(ns);
    this.weight = new Float64Array(ns);
    this.sample = new Uint32Array(ns);
    this.pre = new Int32Array(ns * PREFIX);
    this.extOff = new Float64Array(ns).fill(-1);
    // Room for every label, taken in order of first use: the kernel backs only the pages written.
    this.ext = new Int32Array(total);
    // Pass 2: the prefixes.
    let x = 0;
    for (let s = 0; s < p.sampleCount; s++) {
      const len = sampleLen[s]!;
      if (len === 0) continue;
      this.len[x] = len;
      this.weight[x] = weight[s]!;
      this.sample[x] = s;
      this.expand(s, this.pre, x * PREFIX, PREFIX);
      x++;
    }
  }

  /** Writes the first `max` labels of sample s at out[at…]; returns how many it wrote. */
  private expand(s: number, out: Int32Array, at: number, max: number): number {
    const v = this.v;
    const sampleLocs = v.profile.sampleLocs;
    const locNodeStart = v.locNodeStart;
    const locNodes = v.locNodes;
    const nodeLabel = this.nodeLabel;
    const from = v.sampleFrom[s]!;
    const end = v.profile.sampleLocStart[s + 1]!;
    let n = 0;
    if (!this.inverted) {
      // root → leaf: locations from the last, each one's inline frames caller first
      for (let i = end - 1; i >= from && n < max; i--) {
        const l = sampleLocs[i]!;
        const k0 = locNodeStart[l]!;
        for (let k = locNodeStart[l + 1]! - 1; k >= k0 && n < max; k--) out[at + n++] = nodeLabel[locNodes[k]!]!;
      }
    } else {
      for (let i = from; i < end && n < max; i++) {
        const l = sampleLocs[i]!;
        const k1 = locNodeStart[l + 1]!;
        for (let k = locNodeStart[l]!; k < k1 && n < max; k++) out[at + n++] = nodeLabel[locNodes[k]!]!;
      }
    }
    return n;
  }

  /** Offset of sequence x's whole label list in `ext` (expanded on first use). */
  full(x: number): number {
    const o = this.extOff[x]!;
    if (o >= 0) return o;
    const len = this.len[x]!;
    const at = this.extN;
    this.expand(this.sample[x]!, this.ext, at, len);
    this.extN += len;
    this.extOff[x] = at;
    return at;
  }

  /** Label at depth d of sequence x (d < len[x]). */
  at(x: number, d: number): number {
    return d < PREFIX ? this.pre[x * PREFIX + d]! : this.ext[this.full(x) + d]!;
  }

  /** Length of the common prefix of sequences x and y, given that the first d labels agree. */
  common(x: number, y: number, d: number): number {
    const m = Math.min(this.len[x]!, this.len[y]!);
    let k = d;
    if (k < PREFIX) {
      const pre = this.pre;
      const bx = x * PREFIX;
      const by = y * PREFIX;
      const mk = Math.min(m, PREFIX);
      while (k < mk && pre[bx + k] === pre[by + k]) k++;
      if (k < mk || k === m) return k;
    }
    const ox = this.full(x);
    const oy = this.full(y);
    const ext = this.ext;
    while (k < m && ext[ox + k] === ext[oy + k]) k++;
    return k;
  }

  /** Lexicographic order of x and y (a prefix first), given that the first d labels agree. */
  compare(x: number, y: number, d: number): number {
    const k = this.common(x, y, d);
    const lx = this.len[x]!;
    const ly = this.len[y]!;
    if (k === lx || k === ly) return lx - ly;
    return this.at(x, k) - this.at(y, k);
  }
}

/**
 * Sorts sequence indices by their labels (a prefix before its extensions) and fills lcp[r], the
 * length of the common prefix of positions r − 1 and r (0 at r = 0): MSD radix partitioning on
 * the label at each depth for large runs (a group boundary at depth d has LCP d), insertion sort
 * below. Iterative.
 */
export function sortSequences(order: Uint32Array, lcp: Uint32Array, q: FrameSequences, task: TaskContext): void {
  const n = order.length;
  if (n < 2) return;
  const len = q.len;
  const keys = new Int32Array(n);
  let pk = new Float64Array(1024);
  let counts = new Uint32Array(1024);
  let tmpO = new Uint32Array(1024);
  let tmpK = new Int32Array(1024);
  const stA: number[] = [0];
  const stB: number[] = [n];
  const stD: number[] = [0];
  let steps = 0;
  while (stA.length > 0) {
    const a = stA.pop()!;
    const b = stB.pop()!;
    let d = stD.pop()!;
    if ((++steps & 1023) === 0) task.throwIfCancelled();
    const m = b - a;
    if (m < 2) continue;
    if (m > 24) {
      // Skip the prefix the whole run shares (deep stacks: reads each sequence front to back
      // instead of one depth of every sequence at a time).
      const first = order[a]!;
      let c = Infinity;
      for (let i = a + 1; i < b && c > d; i++) c = Math.min(c, q.common(first, order[i]!, d));
      if (c > d && c !== Infinity) d = c;
    }
    if (m <= 24) {
      for (let i = a + 1; i < b; i++) {
        const x = order[i]!;
        let j = i - 1;
        while (j >= a && q.compare(order[j]!, x, d) > 0) {
          order[j + 1] = order[j]!;
          j--;
        }
        order[j + 1] = x;
      }
      for (let i = a + 1; i < b; i++) lcp[i] = q.common(order[i - 1]!, order[i]!, d);
      continue;
    }
    // key at depth d: -1 for sequences that end here (they sort first)
    let sorted = true;
    let prev = -2;
    let kmax = -1;
    for (let i = a; i < b; i++) {
      const x = order[i]!;
      const k = d < len[x]! ? q.at(x, d) : -1;
      keys[i] = k;
      if (k < prev) sorted = false;
      if (k > kmax) kmax = k;
      prev = k;
    }
    if (!sorted && kmax + 2 <= 4 * m) {
      // Dense keys (a big run): counting sort, linear.
      if (counts.length < kmax + 3) counts = new Uint32Array(kmax + 3);
      counts.fill(0, 0, kmax + 3);
      for (let i = a; i < b; i++) counts[keys[i]! + 2]!++;
      for (let k = 1; k < kmax + 3; k++) counts[k]! += counts[k - 1]!;
      if (tmpO.length < m) {
        tmpO = new Uint32Array(Math.max(m, tmpO.length * 2));
        tmpK = new Int32Array(tmpO.length);
      }
      for (let i = a; i < b; i++) {
        const k = keys[i]!;
        const at = counts[k + 1]!++;
        tmpO[at] = order[i]!;
        tmpK[at] = k;
      }
      order.set(tmpO.subarray(0, m), a);
      keys.set(tmpK.subarray(0, m), a);
    } else if (!sorted) {
      // (key, index) pairs packed in float64s, sorted numerically
      if (pk.length < m) pk = new Float64Array(Math.max(m, pk.length * 2));
      const pairs = pk.subarray(0, m);
      for (let i = 0; i < m; i++) pairs[i] = (keys[a + i]! + 1) * 4294967296 + order[a + i]!;
      pairs.sort();
      for (let i = 0; i < m; i++) {
        const val = pairs[i]!;
        const k = Math.floor(val / 4294967296);
        order[a + i] = val - k * 4294967296;
        keys[a + i] = k - 1;
      }
    }
    let i = a;
    while (i < b) {
      const k = keys[i]!;
      let j = i + 1;
      while (j < b && keys[j] === k) j++;
      if (i > a) lcp[i] = d; // differs from the previous group at depth d
      if (k < 0) {
        for (let t = i + 1; t < j; t++) lcp[t] = d; // equal sequences ending at depth d
      } else if (j - i > 1) {
        stA.push(i);
        stB.push(j);
        stD.push(d + 1);
      }
      i = j;
    }
  }
}

/** Per position of the sorted order: length and weight; node count (Σ len − lcp) and totals. */
export function sortedRuns(order: Uint32Array, lcp: Uint32Array, q: FrameSequences) {
  const ns = order.length;
  const lenS = new Uint32Array(ns);
  const wS = new Float64Array(ns);
  let nodeCount = 0;
  let rootValue = 0;
  let rootAbs = 0;
  for (let r = 0; r < ns; r++) {
    const a = order[r]!;
    const la = q.len[a]!;
    lenS[r] = la;
    const w = q.weight[a]!;
    wS[r] = w;
    rootValue += w;
    rootAbs += Math.abs(w);
    nodeCount += la - lcp[r]!;
  }
  return { lenS, wS, nodeCount, rootValue, rootAbs };
}
