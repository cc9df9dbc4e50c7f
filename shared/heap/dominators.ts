/**
 * Dominators on a CSR graph: iterative DFS + semi-NCA (Georgiadis/Tarjan's semi-dominators with the
 * nearest-common-ancestor step instead of Lengauer-Tarjan's buckets). No recursion anywhere: a
 * linked list of millions of nodes is a chain millions deep. All arrays are typed; work is done in
 * DFS preorder numbering for locality.
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
  /** Preorder index of each node, -1 when unreachable. */
  pre: Int32Array;
  /** Node at each preorder index (length `reachable`). */
  vertex: Uint32Array;
  /** Immediate dominator of each preorder index, as a preorder index (idomPre[0] = 0). */
  idomPre: Uint32Array;
}

const CHECK = 0xfffff;

/** Depth-first preorder from `root` (a true DFS, as semi-dominators require). */
export function dfsPreorder(g: Csr, root: number, task: TaskContext = NO_TASK): { pre: Int32Array; vertex: Uint32Array; parent: Uint32Array; count: number } {
  const n = g.nodeCount;
  const start = g.start;
  const targets = g.targets;
  const pre = new Int32Array(n).fill(-1);
  const vertex = new Uint32Array(n);
  const parent = new Uint32Array(n);
  const stackNode = new Uint32Array(n);
  const stackEdge = new Uint32Array(n);
  let count = 0;
  pre[root] = 0;
  vertex[0] = root;
  parent[0] = 0;
  count = 1;
  let sp = 0;
  stackNode[0] = root;
  stackEdge[0] = start[root];
  outer: while (sp >= 0) {
    const v = stackNode[sp];
    let e = stackEdge[sp];
    const end = start[v + 1];
    while (e < end) {
      const t = targets[e++];
      if (pre[t] < 0) {
        stackEdge[sp] = e;
        parent[count] = pre[v];
        pre[t] = count;
        vertex[count] = t;
        count++;
        if ((count & CHECK) === 0) task.throwIfCancelled();
        sp++;
        stackNode[sp] = t;
        stackEdge[sp] = start[t];
        continue outer;
      }
    }
    sp--;
  }
  return { pre, vertex: vertex.subarray(0, count), parent, count };
}

/**
 * Immediate dominators of every node reachable from `root`. `rev` must be reverseCsr(g).
 * Memory: seven n-sized 32-bit arrays at the peak (the DFS stacks are reused for labels/ancestors).
 */
export function computeDominators(g: Csr, rev: Csr, root: number, task: TaskContext = NO_TASK): DominatorTree {
  const n = g.nodeCount;
  const start = g.start;
  const targets = g.targets;
  const pre = new Int32Array(n).fill(-1);
  const vertex = new Uint32Array(n);
  const parent = new Uint32Array(n);
  const bufA = new Uint32Array(n);
  const bufB = new Uint32Array(n);
  // 1. Iterative DFS (stack: node in bufA, edge cursor in bufB).
  const stackNode = bufA;
  const stackEdge = bufB;
  let count = 1;
  pre[root] = 0;
  vertex[0] = root;
  let sp = 0;
  stackNode[0] = root;
  stackEdge[0] = start[root];
  outer: while (sp >= 0) {
    const v = stackNode[sp];
    let e = stackEdge[sp];
    const end = start[v + 1];
    while (e < end) {
      const t = targets[e++];
      if (pre[t] < 0) {
        stackEdge[sp] = e;
        parent[count] = pre[v];
        pre[t] = count;
        vertex[count] = t;
        count++;
        if ((count & CHECK) === 0) task.throwIfCancelled();
        sp++;
        stackNode[sp] = t;
        stackEdge[sp] = start[t];
        continue outer;
      }
    }
    sp--;
  }
  task.throwIfCancelled();
  // 2. Semi-dominators, with path-compressed eval (iterative compress).
  const label = new Int32Array(bufA.buffer, 0, count);
  const ancestor = new Int32Array(bufB.buffer, 0, count);
  const semi = new Int32Array(count);
  const stack = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    semi[i] = i;
    label[i] = i;
    ancestor[i] = -1;
  }
  const rstart = rev.start;
  const rtargets = rev.targets;
  for (let w = count - 1; w > 0; w--) {
    if ((w & CHECK) === 0) task.throwIfCancelled();
    const node = vertex[w];
    let s = w;
    const end = rstart[node + 1];
    for (let e = rstart[node]; e < end; e++) {
      const v = pre[rtargets[e]];
      if (v < 0) continue;
      if (v <= w) {
        if (v < s) s = v;
        continue;
      }
      // eval(v): v > w is already linked.
      const a = ancestor[v];
      if (ancestor[a] >= 0) {
        let top = 0;
        let x = v;
        while (ancestor[ancestor[x]] >= 0) {
          stack[top++] = x;
          x = ancestor[x];
        }
        while (top > 0) {
          const y = stack[--top];
          const ay = ancestor[y];
          if (semi[label[ay]] < semi[label[y]]) label[y] = label[ay];
          ancestor[y] = ancestor[ay];
        }
      }
      const u = semi[label[v]];
      if (u < s) s = u;
    }
    semi[w] = s;
    ancestor[w] = parent[w];
  }
  // 3. NCA step: from the DFS parent, climb the partial dominator tree until at or above semi.
  const idomPre = new Uint32Array(bufA.buffer, 0, count); // reuses label
  idomPre[0] = 0;
  for (let w = 1; w < count; w++) {
    let x = parent[w];
    const sw = semi[w];
    while (x > sw) x = idomPre[x];
    idomPre[w] = x;
  }
  return { reachable: count, pre, vertex: vertex.subarray(0, count), idomPre };
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
