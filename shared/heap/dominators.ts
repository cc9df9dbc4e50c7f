/**
 * Dominators on a CSR graph: iterative DFS, semi-dominators by Lengauer-Tarjan's balanced LINK/EVAL
 * (iterative path compression), then immediate dominators by the semi-NCA step (Georgiadis-Tarjan:
 * climb from the DFS parent until at or above the semi-dominator) instead of LT's buckets. No
 * recursion anywhere: a linked list of millions of nodes is a chain millions deep. All arrays are
 * typed; work is done in DFS preorder numbering for locality.
 */
import { NO_TASK, type TaskContext } from '../task';
import { newF64, newI32, newU16, newU32, newU8, Spares } from './grow';

/** Compressed sparse rows: the edges of node v are targets[start[v] .. start[v+1]). */
export interface Csr {
  nodeCount: number;
  start: Uint32Array;
  targets: Uint32Array;
}

export const NONE = 0xffffffff;

/** Reverse a CSR graph (predecessor lists). */
export function reverseCsr(g: Csr): Csr {
  return reverseInto(g, newU32(g.nodeCount + 1), newU32(g.start[g.nodeCount]));
}

/** reverseCsr into given buffers (start: n + 1 entries, zeroed here; targets: at least m). */
function reverseInto(g: Csr, start: Uint32Array, targetBuf: Uint32Array): Csr {
  const n = g.nodeCount;
  const m = g.start[n];
  const t = g.targets;
  const s = g.start;
  // Count into start[t], prefix-sum to range ends, then place edges back to front so that each
  // cursor ends at its range start (no separate fill array).
  start.fill(0);
  for (let e = 0; e < m; e++) start[t[e]]++;
  for (let v = 1; v <= n; v++) start[v] += start[v - 1];
  const targets = targetBuf.length === m ? targetBuf : targetBuf.subarray(0, m);
  for (let v = n - 1; v >= 0; v--) {
    const b = s[v];
    for (let e = s[v + 1]; e-- > b; ) targets[--start[t[e]]] = v;
  }
  return { nodeCount: n, start, targets };
}

export interface DominatorTree {
  /** Number of nodes reached from the root. */
  reachable: number;
  /** Node at each preorder index (length `reachable`). */
  vertex: Uint32Array;
  /** Immediate dominator of each preorder index, as a preorder index (idomPre[0] = 0). */
  idomPre: Uint32Array;
}

const CHECK = 0xfffff;

/** Reachability from `root` (breadth-first: no DFS order needed, friendlier to memory). */
export function reachableFrom(g: Csr, root: number, task: TaskContext = NO_TASK): { seen: Uint8Array; count: number } {
  const n = g.nodeCount;
  const start = g.start;
  const targets = g.targets;
  // Marks in a bitset while walking (n / 8 bytes: stays in the CPU caches), bytes at the end.
  const bits = newI32((n + 32) >>> 5);
  const queue = newU32(n);
  let head = 0;
  let tail = 0;
  bits[root >>> 5] |= 1 << (root & 31);
  queue[tail++] = root;
  while (head < tail) {
    const v = queue[head++];
    if ((head & CHECK) === 0) task.throwIfCancelled();
    const end = start[v + 1];
    for (let e = start[v]; e < end; e++) {
      const t = targets[e];
      const i = t >>> 5;
      const b = 1 << (t & 31);
      const x = bits[i];
      if ((x & b) === 0) {
        bits[i] = x | b;
        queue[tail++] = t;
      }
    }
  }
  const seen = newU8(n);
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i];
    if (x === 0) continue;
    for (let k = 0, v = i * 32; k < 32 && v < n; k++, v++) if (x & (1 << k)) seen[v] = 1;
  }
  return { seen, count: tail };
}

/**
 * How predecessor lists are built: 'scan' walks the reverse graph (or scatters the forward edges)
 * with one random read per edge; 'radix' partitions the edges twice through cache-sized buckets
 * (sequential passes; faster once the per-node arrays outgrow the CPU caches, but it needs 6 bytes
 * per edge of scratch, mostly inside the DFS buffer). 'auto' picks radix from RADIX_MIN_NODES on.
 */
export type PredMode = 'auto' | 'scan' | 'radix';
export const RADIX_MIN_NODES = 1 << 22;

/**
 * Immediate dominators of every node reachable from `root`.
 *
 * Big graphs make this memory-latency bound, so every step is laid out for cache lines:
 * - DFS: a packed [first edge, first target] pair per node lets the walk descend along first edges
 *   with one cache miss per node; each stack frame caches the next two targets of its node (loaded
 *   off the critical path), so resuming a node rarely misses; "seen" is a bitset (fits the caches).
 * - Predecessors in preorder numbering, so the semi-dominator loop reads them sequentially: from the
 *   reverse graph when given (else by scattering the forward edges), or by two bucket passes on big
 *   graphs (see PredMode).
 * - LT balanced LINK/EVAL forest: [ancestor, semi(label)] pairs (all EVAL reads) apart from the
 *   [child, size] pairs LINK also needs, 16 bytes per vertex in all (the label vertex itself is never
 *   needed: semi-NCA only wants semi values); the semi-dominator of w is stored back into the
 *   predecessor index once w is done.
 * - Semi-NCA writes the immediate dominators over the DFS parents, in place.
 * `rev` (the reverse graph) speeds up the 'scan' way of building predecessor lists; the 'radix' way
 * does not need it. The result is the same whichever way (and from any DFS child order, idoms are
 * unique).
 * Scratch: one buffer of 20 bytes per node, 28 on big graphs (DFS info + stack, then the forest and
 * the predecessor index, with the bucket passes' 8 bytes per edge when they fit), a node → preorder
 * map, and the predecessor lists (4 bytes per edge); results (preorder → node, preorder → idom) 8
 * bytes per node. Pages of the buffer are only touched as far as used (the stack as deep as the DFS
 * goes). Peak: about 32 bytes per node + 4 per edge (old: 52 + 4; the predecessor index and the
 * bucket passes' 2 bytes per edge were separate arrays before: 36 + 6).
 */
export function computeDominators(g: Csr, root = 0, task: TaskContext = NO_TASK, rev?: Csr, mode: PredMode = 'auto'): DominatorTree {
  const n = g.nodeCount;
  if (n === 0 || root < 0 || root >= n) return { reachable: 0, vertex: new Uint32Array(0), idomPre: new Uint32Array(0) };
  const c = dominatorCore(g, root, task, rev, mode, new Spares());
  return { reachable: c.count, vertex: c.vertex.subarray(0, c.count), idomPre: c.idomPre.subarray(0, c.count) };
}

/** The dominator computation and its scratch buffers (reused by dominatorAnalysis). */
interface Core {
  count: number;
  /** Preorder → node (length n + 1; the first `count` are used). */
  vertex: Uint32Array;
  /** Preorder → immediate dominator's preorder (length n). */
  idomPre: Uint32Array;
  /** Free: node-indexed, length n. */
  pre: Uint32Array;
  /** Free: the DFS / forest buffer. */
  W: Uint32Array;
  /** Free: at least as long as the edge list. */
  ppred: Uint32Array;
}

function dominatorCore(g: Csr, root: number, task: TaskContext, rev: Csr | undefined, mode: PredMode, spares: Spares): Core {
  const n = g.nodeCount;
  const start = g.start;
  const targets = g.targets;
  // Big graphs (random access beyond the CPU caches) get the bucket passes for predecessors and a
  // 5-word DFS frame with a two-target lookahead; others 3-word frames (less memory on deep heaps).
  const radix = mode === 'radix' || (mode === 'auto' && n >= RADIX_MIN_NODES);
  const big = radix;
  const FR = big ? 5 : 3;
  // 1. Iterative DFS. W = [info: 2n + 2][stack: FR words per level]; info[2v] = first edge of v,
  // info[2v + 1] = its first target (so info[2v + 2] is the end of v's edges). A frame is [preorder,
  // edge cursor, edge end(, target at cursor, target at cursor + 1)]. Later W holds the forest
  // (4 words per vertex) and, in dominatorAnalysis, the retained sizes and the children lists.
  // After the DFS: [forest: F words][pstart: n + 1 words][radix scratch tail], so that the predecessor
  // index and the bucket passes' scratch live in pages the DFS stack has touched already (a separate
  // array each would add 4 bytes per node and 2 per edge to the peak).
  const SB = 2 * n + 2;
  const F = 4 * n + 4;
  const W = newU32(Math.max(SB + FR * (n + 1), F + n + 1));
  for (let v = 0; v < n; v++) {
    const s = start[v];
    W[2 * v] = s;
    W[2 * v + 1] = s < start[v + 1] ? targets[s] : 0;
  }
  W[2 * n] = start[n];
  const seen = newI32((n + 32) >>> 5);
  const pre = spares.takeU32(n);
  const vertex = spares.takeU32(n + 1);
  const parent = spares.takeU32(n);
  let count = 1;
  seen[root >>> 5] |= 1 << (root & 31);
  vertex[0] = root;
  let top = SB;
  {
    const xs = W[2 * root];
    const xe = W[2 * root + 2];
    W[top] = 0;
    W[top + 1] = xs;
    W[top + 2] = xe;
    if (big) {
      W[top + 3] = xs < xe ? targets[xs] : 0;
      W[top + 4] = xs + 1 < xe ? targets[xs + 1] : 0;
    }
  }
  outer: while (top >= SB) {
    let e = W[top + 1];
    const end = W[top + 2];
    let ca = big ? W[top + 3] : 0;
    let cb = big ? W[top + 4] : 0;
    while (e < end) {
      let t: number;
      if (big) {
        // ca = targets[e], cb = targets[e + 1]: the next load is needed two steps later.
        t = ca;
        ca = cb;
        cb = e + 2 < end ? targets[e + 2] : 0;
      } else t = targets[e];
      e++;
      const ti = t >>> 5;
      const tb = 1 << (t & 31);
      const ts = seen[ti];
      if ((ts & tb) !== 0) continue;
      seen[ti] = ts | tb;
      W[top + 1] = e;
      if (big) {
        W[top + 3] = ca;
        W[top + 4] = cb;
      }
      // Descend: number x, push its frame, and go on along first edges while they lead somewhere new
      // (one cache line per step: info[2x], info[2x + 1], info[2x + 2]).
      let p = W[top];
      let x = t;
      for (;;) {
        parent[count] = p;
        pre[x] = count;
        vertex[count] = x;
        p = count++;
        if ((count & CHECK) === 0) task.throwIfCancelled();
        const xs = W[2 * x];
        const xe = W[2 * x + 2];
        top += FR;
        W[top] = p;
        W[top + 2] = xe;
        if (xs < xe) {
          const f = W[2 * x + 1];
          W[top + 1] = xs + 1;
          if (big) {
            // Loaded now, off the critical path; needed only when x resumes.
            W[top + 3] = xs + 1 < xe ? targets[xs + 1] : 0;
            W[top + 4] = xs + 2 < xe ? targets[xs + 2] : 0;
          }
          const fi = f >>> 5;
          const fb = 1 << (f & 31);
          const fs = seen[fi];
          if ((fs & fb) === 0) {
            seen[fi] = fs | fb;
            x = f;
            continue;
          }
        } else W[top + 1] = xs;
        break;
      }
      continue outer;
    }
    top -= FR;
  }
  task.throwIfCancelled();

  // 2. Predecessors in preorder numbering: ppred[pstart[w] .. pstart[w + 1]).
  const pstart = W.subarray(F, F + count + 1).fill(0);
  const ppred = radix ? predsRadix(g, count, seen, pre, pstart, W.subarray(0, F), W.subarray(F + n + 1), task) : predsScan(g, rev, count, seen, pre, vertex, pstart);
  task.throwIfCancelled();

  // 3. Semi-dominators, Lengauer-Tarjan balanced LINK/EVAL. Vertex i+1 <-> preorder i; 0 is the null
  // sentinel. A[2v] = ancestor, A[2v + 1] = semi(label); C[2v] = child, C[2v + 1] = size. EVAL reads
  // only A (half the footprint of one record per vertex: measurably fewer misses); LINK both.
  const A = W.subarray(0, 2 * (count + 1));
  const C = W.subarray(2 * (count + 1), 4 * (count + 1));
  A[0] = 0;
  A[1] = 0;
  C[0] = 0;
  C[1] = 0;
  for (let i = 1; i <= count; i++) {
    A[2 * i] = 0;
    A[2 * i + 1] = i;
    C[2 * i] = 0;
    C[2 * i + 1] = 1;
  }
  const stack = pre; // free again: the path-compression stack
  for (let w1 = count; w1 > 1; w1--) {
    const w = w1 - 1;
    if ((w & CHECK) === 0) task.throwIfCancelled();
    let s = w1;
    const end = pstart[w + 1];
    for (let e = pstart[w]; e < end; e++) {
      const v = ppred[e] + 1;
      // Not yet processed (an ancestor or an earlier branch): itself.
      if (v <= w1) {
        if (v < s) s = v;
        continue;
      }
      // EVAL(v)
      const vq = 2 * v;
      let aq = 2 * A[vq];
      if (aq !== 0 && A[aq] !== 0) {
        // Path compression (iterative).
        let sp = 0;
        let x = vq;
        for (;;) {
          const ax = 2 * A[x];
          if (A[ax] === 0) break;
          stack[sp++] = x;
          x = ax;
        }
        while (sp > 0) {
          const yq = stack[--sp];
          const zq = 2 * A[yq];
          if (A[zq + 1] < A[yq + 1]) A[yq + 1] = A[zq + 1];
          A[yq] = A[zq];
        }
        aq = 2 * A[vq];
      }
      const lv = A[vq + 1];
      const u = aq !== 0 && A[aq + 1] < lv ? A[aq + 1] : lv;
      if (u < s) s = u;
    }
    const wq = 2 * w1;
    A[wq + 1] = s;
    pstart[w + 1] = s - 1; // semi(w) as a preorder index; pstart[w + 1] is not read again
    // LINK(parent(w), w)
    const v = parent[w] + 1;
    let sx = w1;
    for (;;) {
      const c = C[2 * sx];
      if (!(s < A[2 * c + 1])) break;
      const cc = C[2 * c];
      if (C[2 * sx + 1] + C[2 * cc + 1] >= 2 * C[2 * c + 1]) {
        A[2 * c] = sx;
        C[2 * sx] = cc;
      } else {
        C[2 * c + 1] = C[2 * sx + 1];
        A[2 * sx] = c;
        sx = c;
      }
    }
    A[2 * sx + 1] = s;
    C[2 * v + 1] += C[wq + 1];
    if (C[2 * v + 1] < 2 * C[wq + 1]) {
      const t = C[2 * v];
      C[2 * v] = sx;
      sx = t;
    }
    while (sx !== 0) {
      A[2 * sx] = v;
      sx = C[2 * sx];
    }
  }
  // 4. NCA step: from the DFS parent, climb the partial dominator tree until at or above semi.
  // Written over the parents (parent[w] is read before idom[w] is written; ancestors are done).
  const idomPre = parent;
  idomPre[0] = 0;
  for (let w = 1; w < count; w++) {
    let x = parent[w];
    const sw = pstart[w + 1];
    while (x > sw) x = idomPre[x];
    idomPre[w] = x;
  }
  return { count, vertex, idomPre, pre, W, ppred };
}

function isSeen(seen: Int32Array, v: number): boolean {
  return (seen[v >>> 5] & (1 << (v & 31))) !== 0;
}

/** Predecessor lists by walking the reverse graph in node order (or scattering forward edges). */
function predsScan(g: Csr, rev: Csr | undefined, count: number, seen: Int32Array, pre: Uint32Array, vertex: Uint32Array, pstart: Uint32Array): Uint32Array {
  const n = g.nodeCount;
  let ppred: Uint32Array;
  if (rev) {
    const rs = rev.start;
    const rt = rev.targets;
    for (let t = 0; t < n; t++) if (isSeen(seen, t)) pstart[pre[t] + 1] = rs[t + 1] - rs[t];
    for (let w = 0; w < count; w++) pstart[w + 1] += pstart[w];
    ppred = newU32(Math.max(pstart[count], g.start[n]));
    for (let t = 0; t < n; t++) {
      if ((seen[t >>> 5] & (1 << (t & 31))) === 0) continue;
      const pt = pre[t];
      let q = pstart[pt];
      const e1 = rs[t + 1];
      for (let e = rs[t]; e < e1; e++) {
        const u = rt[e];
        if ((seen[u >>> 5] & (1 << (u & 31))) !== 0) ppred[q++] = pre[u];
      }
      // Unreached predecessors leave a tail: fill it with t itself (a self-loop changes nothing).
      const qe = pstart[pt + 1];
      while (q < qe) ppred[q++] = pt;
    }
  } else {
    const start = g.start;
    const targets = g.targets;
    // Every target of a reached node is reached.
    for (let w = 0; w < count; w++) {
      const u = vertex[w];
      const e1 = start[u + 1];
      for (let e = start[u]; e < e1; e++) pstart[pre[targets[e]]]++;
    }
    for (let w = 1; w <= count; w++) pstart[w] += pstart[w - 1];
    ppred = newU32(Math.max(pstart[count], g.start[n]));
    for (let w = count - 1; w >= 0; w--) {
      const u = vertex[w];
      const e0 = start[u];
      for (let e = start[u + 1]; e-- > e0; ) ppred[--pstart[pre[targets[e]]]] = w;
    }
  }
  return ppred;
}

/**
 * Predecessor lists by two bucket passes over the forward edges, so that no pass reads or writes at
 * random across the whole node range: (1) edges (target, pre(source)) into buckets of 2^K targets,
 * (2) per bucket, pre(target) is a cache-local lookup: (pre(target), pre(source)) into buckets of 2^K
 * preorder indices, (3) per bucket, a counting sort by pre(target). Scratch: pass 1 keeps 6 bytes per
 * edge in W when it fits (W is free between the DFS and the forest), plus 2 bytes per edge.
 */
function predsRadix(g: Csr, count: number, seen: Int32Array, pre: Uint32Array, pstart: Uint32Array, W: Uint32Array, tail: Uint32Array, task: TaskContext): Uint32Array {
  const n = g.nodeCount;
  const start = g.start;
  const targets = g.targets;
  let K = 10;
  while (K < 16 && n >>> K > 1024) K++;
  const mask = (1 << K) - 1;
  const BT = (n >>> K) + 1;
  const BP = (count >>> K) + 1;
  // Pass 0: edges per target bucket (sources reached only: their targets are all reached).
  const tcur = new Uint32Array(BT + 1);
  for (let u = 0; u < n; u++) {
    if ((seen[u >>> 5] & (1 << (u & 31))) === 0) continue;
    const e1 = start[u + 1];
    for (let e = start[u]; e < e1; e++) tcur[(targets[e] >>> K) + 1]++;
  }
  for (let b = 0; b < BT; b++) tcur[b + 1] += tcur[b];
  const m = tcur[BT];
  const tstart = tcur.slice();
  // Pass 1: (target low bits, pre(source)) by target bucket.
  let aPre: Uint32Array;
  let aLow: Uint16Array;
  if (6 * m <= W.byteLength) {
    aPre = W.subarray(0, m);
    aLow = new Uint16Array(W.buffer, W.byteOffset + 4 * m, m);
  } else {
    aPre = newU32(m);
    aLow = newU16(m);
  }
  for (let u = 0; u < n; u++) {
    if ((seen[u >>> 5] & (1 << (u & 31))) === 0) continue;
    const pu = pre[u];
    const e1 = start[u + 1];
    for (let e = start[u]; e < e1; e++) {
      const t = targets[e];
      const q = tcur[t >>> K]++;
      aPre[q] = pu;
      aLow[q] = t & mask;
    }
  }
  task.throwIfCancelled();
  // Pass 2: per target bucket, pre(target) (local) → (pre(target) low bits, pre(source)) by preorder bucket.
  const pcur = new Uint32Array(BP + 1);
  for (let b = 0; b < BT; b++) {
    const base = b << K;
    const q1 = tstart[b + 1];
    for (let q = tstart[b]; q < q1; q++) pcur[(pre[base | aLow[q]] >>> K) + 1]++;
  }
  for (let b = 0; b < BP; b++) pcur[b + 1] += pcur[b];
  const pbStart = pcur.slice();
  const ppred = newU32(Math.max(m, start[n]));
  // pLow after pass 1's pairs in W, else in the tail, else its own array.
  const lowInW = 8 * m <= W.byteLength;
  const pLow = lowInW ? new Uint16Array(W.buffer, W.byteOffset + 6 * m, m) : 2 * m <= tail.byteLength ? new Uint16Array(tail.buffer, tail.byteOffset, m) : newU16(m);
  for (let b = 0; b < BT; b++) {
    const base = b << K;
    const q1 = tstart[b + 1];
    for (let q = tstart[b]; q < q1; q++) {
      const pt = pre[base | aLow[q]];
      const r = pcur[pt >>> K]++;
      ppred[r] = aPre[q];
      pLow[r] = pt & mask;
    }
  }
  task.throwIfCancelled();
  // Pass 3: per preorder bucket, counting sort by pre(target) (W is free again: the bucket copy).
  let maxBucket = 0;
  for (let b = 0; b < BP; b++) maxBucket = Math.max(maxBucket, pbStart[b + 1] - pbStart[b]);
  const tmp = maxBucket <= (lowInW ? (6 * m) >>> 2 : W.length) ? W : newU32(maxBucket);
  for (let b = 0; b < BP; b++) {
    const q0 = pbStart[b];
    const q1 = pbStart[b + 1];
    const w0 = b << K;
    const w1 = Math.min(count, w0 + (1 << K));
    for (let q = q0; q < q1; q++) pstart[w0 + pLow[q]]++;
    let acc = q0;
    for (let w = w0; w < w1; w++) {
      const c = pstart[w];
      pstart[w] = acc;
      acc += c;
    }
    for (let q = q0; q < q1; q++) tmp[q - q0] = ppred[q];
    for (let q = q0; q < q1; q++) ppred[pstart[w0 + pLow[q]]++] = tmp[q - q0];
    // pstart[w] now ends w's range (= start of w + 1): shift back.
    for (let w = w1 - 1; w > w0; w--) pstart[w] = pstart[w - 1];
    if (w1 > w0) pstart[w0] = q0;
  }
  pstart[count] = m;
  return ppred;
}

/** What the heap analysis keeps of the dominator tree, all per node. */
export interface DominatorAnalysis {
  /** Nodes reached from node 0. */
  reachable: number;
  /** Immediate dominator (NONE: unreachable; node 0 is its own). */
  idom: Uint32Array;
  retainedBytes: Float64Array;
  retainedCount: Uint32Array;
  /** Dominator-tree children of v: domChildren[domStart[v] .. domStart[v + 1]). */
  domStart: Uint32Array;
  domChildren: Uint32Array;
  /** With `reverse`: the reverse graph, built in buffers the dominator pass is done with. */
  rev?: Csr;
  /**
   * n words of the pass's buffer that nothing uses afterwards, their pages already resident (the
   * predecessor index lived there): free for a per-node array of the caller's (contents undefined).
   */
  spare?: Uint32Array;
}

/**
 * Dominators from node 0 plus retained sizes and the children lists, built in the buffers the
 * dominator pass used (nothing of its size is allocated after it): idom in the node → preorder map,
 * retained counts over the preorder parents, retained bytes and the children CSR in the DFS/forest
 * buffer. Node v weighs size[v - firstNode] when v >= firstNode (and counts as one object).
 */
export function dominatorAnalysis(
  g: Csr,
  rev: Csr | undefined,
  size: Uint32Array | Float64Array,
  firstNode: number,
  task: TaskContext = NO_TASK,
  mode: PredMode = 'auto',
  reverse = false,
  spares: Spares = new Spares(),
): DominatorAnalysis {
  const n = g.nodeCount;
  if (n === 0) {
    return { reachable: 0, idom: new Uint32Array(0), retainedBytes: new Float64Array(0), retainedCount: new Uint32Array(0), domStart: new Uint32Array(1), domChildren: new Uint32Array(0) };
  }
  const { count, vertex, idomPre, pre, W, ppred } = dominatorCore(g, 0, task, rev, mode, spares);
  spares.clear();
  task.throwIfCancelled();
  const idom = pre.fill(NONE);
  for (let w = 0; w < count; w++) idom[vertex[w]] = vertex[idomPre[w]];
  const retainedCount = idomPre.fill(0);
  // W holds 28 bytes per node: [retained bytes: 8n][domStart: 4(n + 1)][domChildren: 4 count].
  const retainedBytes = new Float64Array(W.buffer, W.byteOffset, n).fill(0);
  for (let w = 0; w < count; w++) {
    const v = vertex[w];
    if (v >= firstNode) {
      retainedBytes[v] = size[v - firstNode];
      retainedCount[v] = 1;
    }
  }
  for (let w = count - 1; w > 0; w--) {
    const v = vertex[w];
    const d = idom[v];
    retainedBytes[d] += retainedBytes[v];
    retainedCount[d] += retainedCount[v];
  }
  const domStart = new Uint32Array(W.buffer, W.byteOffset + 8 * n, n + 1).fill(0);
  for (let v = 1; v < n; v++) if (idom[v] !== NONE) domStart[idom[v] + 1]++;
  for (let v = 0; v < n; v++) domStart[v + 1] += domStart[v];
  const domChildren = new Uint32Array(W.buffer, W.byteOffset + 8 * n + 4 * (n + 1), domStart[n]);
  // Place back to front so each cursor (domStart[d + 1], decremented) ends at the range start.
  for (let v = n - 1; v >= 1; v--) if (idom[v] !== NONE) domChildren[--domStart[idom[v] + 1]] = v;
  domStart.copyWithin(0, 1);
  domStart[n] = domChildren.length;
  // [4n + 4, 5n + 4): the predecessor index's pages (see dominatorCore's layout), past domChildren.
  const spare = W.subarray(4 * n + 4, 5 * n + 4);
  const out: DominatorAnalysis = { reachable: count, idom, retainedBytes, retainedCount, domStart, domChildren, spare };
  if (reverse) {
    task.throwIfCancelled();
    out.rev = reverseInto(g, vertex, ppred);
  }
  return out;
}

/** Immediate dominator per node (NONE when unreachable; the root is its own). */
export function idomByNode(t: DominatorTree, nodeCount: number): Uint32Array {
  const idom = newU32(nodeCount).fill(NONE);
  const { vertex, idomPre, reachable } = t;
  for (let w = 0; w < reachable; w++) idom[vertex[w]] = vertex[idomPre[w]];
  return idom;
}

/**
 * Retained size of every node: its own size plus that of everything it dominates. Node v weighs
 * size[v - firstNode] when v >= firstNode (and counts as one object), else nothing (roots).
 * Returns per-node arrays (0 for unreachable nodes).
 */
export function retainedSizes(
  t: DominatorTree,
  nodeCount: number,
  size: Float64Array | Uint32Array,
  firstNode = 0,
): { bytes: Float64Array; count: Uint32Array } {
  const { vertex, idomPre, reachable } = t;
  const bytes = newF64(nodeCount);
  const count = newU32(nodeCount);
  for (let w = 0; w < reachable; w++) {
    const v = vertex[w];
    if (v >= firstNode) {
      bytes[v] = size[v - firstNode];
      count[v] = 1;
    }
  }
  for (let w = reachable - 1; w > 0; w--) {
    const v = vertex[w];
    const d = vertex[idomPre[w]];
    bytes[d] += bytes[v];
    count[d] += count[v];
  }
  return { bytes, count };
}
