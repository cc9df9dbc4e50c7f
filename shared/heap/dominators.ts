/**
 * Dominators on a CSR graph: iterative DFS, semi-dominators by Lengauer-Tarjan's balanced LINK/EVAL
 * (iterative path compression), then immediate dominators by the semi-NCA step (Georgiadis-Tarjan:
 * climb from the DFS parent until at or above the semi-dominator) instead of LT's buckets. No
 * recursion anywhere: a linked list of millions of nodes is a chain millions deep. All arrays are
 * typed; work is done in DFS preorder numbering for locality.
 */
import { NO_TASK, type TaskContext } from '../task';

/** Compressed sparse rows: the edges of node v are targets[start[v] .. start[v+1]). */
export interface Csr {
  nodeCount: number;
  start: Uint32Array;
  targets: Uint32Array;
}

export const NONE = 0xffffffff;

/** Reverse a CSR graph (predecessor lists). */
export function reverseCsr(g: Csr): Csr {
  const n = g.nodeCount;
  const m = g.start[n];
  const t = g.targets;
  const s = g.start;
  // Count into start[t], prefix-sum to range ends, then place edges back to front so that each
  // cursor ends at its range start (no separate fill array).
  const start = new Uint32Array(n + 1);
  for (let e = 0; e < m; e++) start[t[e]]++;
  for (let v = 1; v <= n; v++) start[v] += start[v - 1];
  const targets = new Uint32Array(m);
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
  const seen = new Uint8Array(n);
  const queue = new Uint32Array(n);
  let head = 0;
  let tail = 0;
  seen[root] = 1;
  queue[tail++] = root;
  while (head < tail) {
    const v = queue[head++];
    if ((head & CHECK) === 0) task.throwIfCancelled();
    const end = start[v + 1];
    for (let e = start[v]; e < end; e++) {
      const t = targets[e];
      if (!seen[t]) {
        seen[t] = 1;
        queue[tail++] = t;
      }
    }
  }
  return { seen, count: tail };
}

/**
 * Immediate dominators of every node reachable from `root`.
 *
 * Big graphs make this memory-latency bound, so the layout is chosen for cache lines: the DFS keeps
 * [preorder, edge start] of a node side by side; the predecessor lists are rebuilt in preorder
 * numbering (one streaming pass over the forward edges) so the semi-dominator loop reads them
 * sequentially (pass the reverse graph when you have it: faster); the LINK/EVAL forest keeps
 * [ancestor, label, semi(label), child, size, semi] of a vertex in one 24-byte record. The balanced
 * forest (vs. plain path compression) halves the semi-dominator time on random 10M-node graphs.
 * Peak memory: about 52 bytes per node + 4 bytes per reachable edge.
 */
export function computeDominators(g: Csr, root = 0, task: TaskContext = NO_TASK, rev?: Csr): DominatorTree {
  const n = g.nodeCount;
  const start = g.start;
  const targets = g.targets;
  // 1. Iterative DFS. info[2v] = preorder (-1: not seen), info[2v + 1] = first edge of v.
  let info: Int32Array | null = new Int32Array(2 * n + 2);
  for (let v = 0; v < n; v++) {
    info[2 * v] = -1;
    info[2 * v + 1] = start[v];
  }
  info[2 * n + 1] = start[n];
  const vertex = new Uint32Array(n);
  const parent = new Uint32Array(n);
  const stackNode = new Uint32Array(n);
  const stackEdge = new Uint32Array(n);
  let count = 1;
  info[2 * root] = 0;
  vertex[0] = root;
  let sp = 0;
  stackNode[0] = root;
  stackEdge[0] = start[root];
  outer: while (sp >= 0) {
    const v = stackNode[sp];
    let e = stackEdge[sp];
    const end = info[2 * v + 3];
    while (e < end) {
      const t = targets[e++];
      if (info[2 * t] < 0) {
        stackEdge[sp] = e;
        parent[count] = info[2 * v];
        info[2 * t] = count;
        vertex[count] = t;
        count++;
        if ((count & CHECK) === 0) task.throwIfCancelled();
        sp++;
        stackNode[sp] = t;
        stackEdge[sp] = info[2 * t + 1];
        continue outer;
      }
    }
    sp--;
  }
  task.throwIfCancelled();
  // 2. Predecessors in preorder numbering. From the reverse graph when given (a sequential walk with
  // independent random reads), else by scattering the forward edges.
  const pstart = new Uint32Array(count + 1);
  let ppred: Uint32Array;
  if (rev) {
    const rs = rev.start;
    const rt = rev.targets;
    for (let t = 0; t < n; t++) {
      const pt = info[2 * t];
      if (pt >= 0) pstart[pt + 1] = rs[t + 1] - rs[t];
    }
    for (let w = 0; w < count; w++) pstart[w + 1] += pstart[w];
    ppred = new Uint32Array(pstart[count]);
    for (let t = 0; t < n; t++) {
      const pt = info[2 * t];
      if (pt < 0) continue;
      let q = pstart[pt];
      const e1 = rs[t + 1];
      for (let e = rs[t]; e < e1; e++) {
        const pu = info[2 * rt[e]];
        if (pu >= 0) ppred[q++] = pu;
      }
      // Unreached predecessors leave a tail: mark it so the semi loop skips it.
      while (q < pstart[pt + 1]) ppred[q++] = NONE;
    }
  } else {
    for (let u = 0; u < n; u++) {
      if (info[2 * u] < 0) continue;
      const e1 = start[u + 1];
      for (let e = start[u]; e < e1; e++) pstart[info[2 * targets[e]]]++;
    }
    for (let w = 1; w <= count; w++) pstart[w] += pstart[w - 1];
    ppred = new Uint32Array(pstart[count]);
    for (let u = n - 1; u >= 0; u--) {
      const pu = info[2 * u];
      if (pu < 0) continue;
      const e0 = start[u];
      for (let e = start[u + 1]; e-- > e0; ) ppred[--pstart[info[2 * targets[e]]]] = pu;
    }
  }
  info = null; // free before the big forest array
  task.throwIfCancelled();
  // 3. Semi-dominators, Lengauer-Tarjan balanced LINK/EVAL. Vertex i+1 <-> preorder i; 0 is the null
  // sentinel. Record (stride 6): 0 ancestor, 1 label, 2 semi(label), 3 child, 4 size, 5 semi.
  const S = 6;
  const R = new Int32Array((count + 1) * S);
  for (let i = 1, q = S; i <= count; i++, q += S) {
    R[q + 1] = i;
    R[q + 2] = i;
    R[q + 4] = 1;
    R[q + 5] = i;
  }
  const stack = new Int32Array(stackEdge.buffer, 0, count);
  for (let w1 = count; w1 > 1; w1--) {
    const w = w1 - 1;
    if ((w & CHECK) === 0) task.throwIfCancelled();
    let s = w1;
    const end = pstart[w + 1];
    for (let e = pstart[w]; e < end; e++) {
      const pv = ppred[e];
      if (pv === NONE) continue;
      const v = pv + 1;
      if (v <= w1) { if (v < s) s = v; continue; }
      // EVAL(v)
      const vq = v * S;
      let u: number;
      const a = R[vq];
      if (a === 0) u = R[vq + 2];
      else {
        if (R[a * S] !== 0) {
          let top = 0;
          let x = v;
          for (;;) { const ax = R[x * S]; if (R[ax * S] === 0) break; stack[top++] = x; x = ax; }
          while (top > 0) {
            const yq = stack[--top] * S;
            const aq = R[yq] * S;
            if (R[aq + 2] < R[yq + 2]) { R[yq + 1] = R[aq + 1]; R[yq + 2] = R[aq + 2]; }
            R[yq] = R[aq];
          }
        }
        const aq = R[vq] * S;
        u = R[aq + 2] >= R[vq + 2] ? R[vq + 2] : R[aq + 2];
      }
      if (u < s) s = u;
    }
    const wq = w1 * S;
    R[wq + 5] = s;
    R[wq + 2] = s;
    // LINK(parent, w)
    const v = parent[w] + 1;
    const lw = R[wq + 1];
    const lws = R[wq + 2];
    let sx = w1;
    for (;;) {
      const c = R[sx * S + 3];
      if (!(lws < R[c * S + 2])) break;
      const cc = R[c * S + 3];
      if (R[sx * S + 4] + R[cc * S + 4] >= 2 * R[c * S + 4]) {
        R[c * S] = sx;
        R[sx * S + 3] = cc;
      } else {
        R[c * S + 4] = R[sx * S + 4];
        R[sx * S] = c;
        sx = c;
      }
    }
    R[sx * S + 1] = lw;
    R[sx * S + 2] = lws;
    const vq = v * S;
    R[vq + 4] += R[wq + 4];
    if (R[vq + 4] < 2 * R[wq + 4]) { const t = R[vq + 3]; R[vq + 3] = sx; sx = t; }
    while (sx !== 0) { R[sx * S] = v; sx = R[sx * S + 3]; }
  }
  const semiOf = (w: number) => R[(w + 1) * S + 5] - 1;
  // 4. NCA step: from the DFS parent, climb the partial dominator tree until at or above semi.
  const idomPre = stackNode; // the DFS stack is free again
  idomPre[0] = 0;
  for (let w = 1; w < count; w++) {
    let x = parent[w];
    const sw = semiOf(w);
    while (x > sw) x = idomPre[x];
    idomPre[w] = x;
  }
  return { reachable: count, vertex: vertex.subarray(0, count), idomPre: idomPre.subarray(0, count) };
}

/** Immediate dominator per node (NONE when unreachable; the root is its own). */
export function idomByNode(t: DominatorTree, nodeCount: number): Uint32Array {
  const idom = new Uint32Array(nodeCount).fill(NONE);
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
  size: Float64Array,
  firstNode = 0,
): { bytes: Float64Array; count: Uint32Array } {
  const { vertex, idomPre, reachable } = t;
  const bytes = new Float64Array(nodeCount);
  const count = new Uint32Array(nodeCount);
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
