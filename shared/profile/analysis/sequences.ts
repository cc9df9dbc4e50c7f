/**
 * The kept samples' frame-label sequences (root → leaf, or leaf → root when inverted), put in a
 * depth-first order of the call tree with the LCP of neighbours: what the pruned call tree is cut
 * from (flame.ts).
 *
 * Labels are read lazily. Ordering a set of sequences reads each one only up to where it differs
 * from all others (its distinguishing prefix); past that, only its length matters. So each
 * sequence's first PREFIX labels are laid out up front in one flat array, with its length; a
 * sequence is expanded further (into chunks) only when a comparison reaches past what it has, and
 * then at least twice as far. Writing all labels up front (25M in the bench's wide tree) cost more
 * than the ordering itself, and on hosts where a page fault is dear, every megabyte written fresh
 * costs milliseconds. */
import type { TaskContext } from '../../task';
import type { ProfileView } from './view';

/** Labels kept per sequence up front (a wide tree's sequences differ within the first five). */
const PREFIX = 8;
/** Labels per chunk of expanded sequences (4 MB). */
const CHUNK = 1 << 20;

export class FrameSequences {
  /**
   * The kept sequences' numbers, in sample order (samples with a weight and at least one frame).
   * A sequence is numbered by its sample: the per-sequence arrays below are per sample.
   */
  readonly kept: Uint32Array;
  /** Per sequence: its length in labels. */
  readonly len: Uint32Array;
  /** Per sequence: its weight (0 for a sample filtered out). */
  readonly weight: Float64Array;
  /** The first PREFIX labels of each sequence (fewer when it is shorter). */
  private readonly pre: Int32Array;
  /**
   * Sequences expanded past their prefix: extCap[x] labels from the start (0: none) at extOff[x]
   * of chunk extChunk[x]. A deeper read expands again, at least twice as far, so each sequence is
   * written at most about twice its read depth. Chunks never move.
   */
  private readonly extCap: Uint32Array;
  private readonly extChunk: Uint32Array;
  private readonly extOff: Uint32Array;
  private readonly chunks: Int32Array[] = [];
  private readonly chunkSize: number;
  private chunkN: number;

  constructor(
    private readonly v: ProfileView,
    private readonly nodeLabel: Int32Array,
    private readonly inverted: boolean,
    task: TaskContext,
  ) {
    const p = v.profile;
    const nS = p.sampleCount;
    const sampleLocs = p.sampleLocs;
    const sampleLocStart = p.sampleLocStart;
    const locNodeStart = v.locNodeStart;
    const weight = v.weight;
    const sampleFrom = v.sampleFrom;
    const nLoc = p.locationCount;
    const locLen = new Int32Array(nLoc);
    for (let l = 0; l < nLoc; l++) locLen[l] = locNodeStart[l + 1]! - locNodeStart[l]!;
    this.weight = weight;
    this.len = new Uint32Array(nS);
    this.pre = new Int32Array(nS * PREFIX);
    const kept = new Uint32Array(nS);
    let ns = 0;
    let maxLen = 0;
    for (let s = 0; s < nS; s++) {
      if ((s & 4095) === 0 && s > 0) task.throwIfCancelled();
      if (weight[s] === 0) continue;
      let len = 0;
      const e = sampleLocStart[s + 1]!;
      for (let i = sampleFrom[s]!; i < e; i++) len += locLen[sampleLocs[i]!]!;
      if (len === 0) continue;
      this.len[s] = len;
      if (len > maxLen) maxLen = len;
      kept[ns++] = s;
      this.expand(s, this.pre, s * PREFIX, PREFIX);
    }
    task.throwIfCancelled();
    this.kept = ns === nS ? kept : kept.slice(0, ns);
    this.extCap = new Uint32Array(nS);
    this.extChunk = new Uint32Array(nS);
    this.extOff = new Uint32Array(nS);
    this.chunkSize = Math.max(CHUNK, maxLen);
    this.chunkN = this.chunkSize;
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

  /** Makes labels 0…d of sequence x (d < len[x]) readable at extOff[x] of chunk extChunk[x]. */
  private reach(x: number, d: number): void {
    const cap = this.extCap[x]!;
    if (cap > d) return;
    const n = Math.min(this.len[x]!, Math.max(d + 1, 2 * cap, 2 * PREFIX));
    if (this.chunkN + n > this.chunkSize) {
      this.chunks.push(new Int32Array(this.chunkSize));
      this.chunkN = 0;
    }
    this.expand(x, this.chunks[this.chunks.length - 1]!, this.chunkN, n);
    this.extChunk[x] = this.chunks.length - 1;
    this.extOff[x] = this.chunkN;
    this.extCap[x] = n;
    this.chunkN += n;
  }

  /** Label at depth d of sequence x (d < len[x]). */
  at(x: number, d: number): number {
    if (d < PREFIX) return this.pre[x * PREFIX + d]!;
    this.reach(x, d);
    return this.chunks[this.extChunk[x]!]![this.extOff[x]! + d]!;
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
    for (;;) {
      this.reach(x, k);
      this.reach(y, k);
      const cx = this.chunks[this.extChunk[x]!]!;
      const cy = this.chunks[this.extChunk[y]!]!;
      const ox = this.extOff[x]!;
      const oy = this.extOff[y]!;
      const lim = Math.min(m, this.extCap[x]!, this.extCap[y]!);
      while (k < lim && cx[ox + k] === cy[oy + k]) k++;
      if (k < lim || k === m) return k;
    }
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
 * Orders sequence indices so that the sequences under every node of the call tree are one
 * contiguous run (a depth-first order of the tree), the sequences that end at a node first, and
 * fills lcp[r], the length of the common prefix of positions r − 1 and r (0 at r = 0). That is all
 * the tree needs: the order of siblings is free (flame.ts sorts the visible ones by name), so a
 * run is partitioned by its label at depth d in one pass, buckets numbered by first appearance
 * (no comparison sort, no table cleared per run); small runs are insertion-sorted. Iterative.
 */
export function sortSequences(order: Uint32Array, lcp: Uint32Array, q: FrameSequences, labelCount: number, task: TaskContext): void {
  const n = order.length;
  if (n < 2) return;
  const len = q.len;
  const keys = new Int32Array(n);
  // bucket of a label in the current run, valid where stamp[label] is the run's number
  const stamp = new Int32Array(labelCount);
  const bucketOf = new Int32Array(labelCount);
  let run = 0;
  let bucketAt = new Uint32Array(1024);
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
    // Skip the prefix the whole run shares (deep stacks: reads each sequence front to back
    // instead of one depth of every sequence at a time).
    const first = order[a]!;
    let c = Infinity;
    for (let i = a + 1; i < b && c > d; i++) c = Math.min(c, q.common(first, order[i]!, d));
    if (c > d && c !== Infinity) d = c;
    // Keys at depth d (-1: the sequence ends here) and bucket sizes; ended sequences go first.
    run++;
    let buckets = 0;
    let ended = 0;
    for (let i = a; i < b; i++) {
      const x = order[i]!;
      if (d >= len[x]!) {
        keys[i] = -1;
        ended++;
        continue;
      }
      const k = q.at(x, d);
      keys[i] = k;
      if (stamp[k] !== run) {
        stamp[k] = run;
        if (buckets + 1 >= bucketAt.length) {
          const grown = new Uint32Array(bucketAt.length * 2);
          grown.set(bucketAt);
          bucketAt = grown;
        }
        bucketOf[k] = buckets;
        bucketAt[++buckets] = 0;
      }
      bucketAt[bucketOf[k]! + 1]!++;
    }
    // bucket j starts at ended + Σ sizes of buckets before it
    bucketAt[0] = ended;
    for (let j = 1; j <= buckets; j++) bucketAt[j]! += bucketAt[j - 1]!;
    if (tmpO.length < m) {
      tmpO = new Uint32Array(Math.max(m, tmpO.length * 2));
      tmpK = new Int32Array(tmpO.length);
    }
    let e = 0;
    for (let i = a; i < b; i++) {
      const k = keys[i]!;
      const at = k < 0 ? e++ : bucketAt[bucketOf[k]!]!++;
      tmpO[at] = order[i]!;
      tmpK[at] = k;
    }
    order.set(tmpO.subarray(0, m), a);
    keys.set(tmpK.subarray(0, m), a);
    // lcp at run boundaries; runs of two or more continue one level down
    for (let t = a + 1; t < a + ended; t++) lcp[t] = d; // equal sequences ending at depth d
    let i = a + ended;
    if (ended > 0 && i < b) lcp[i] = d;
    while (i < b) {
      const k = keys[i]!;
      let j = i + 1;
      while (j < b && keys[j] === k) j++;
      if (i > a) lcp[i] = d; // differs from the previous run at depth d
      if (j - i > 1) {
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
