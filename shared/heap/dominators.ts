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
  const start = new Uint32Array(n + 1);
  const t = g.targets;
  for (let e = 0; e < m; e++) start[t[e] + 1]++;
  for (let v = 0; v < n; v++) start[v + 1] += start[v];
  const fill = start.slice(0, n);
  const targets = new Uint32Array(m);
  const s = g.start;
  for (let v = 0; v < n; v++) {
    const end = s[v + 1];
    for (let e = s[v]; e < end; e++) targets[fill[t[e]]++] = v;
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
 * Immediate dominators of every node reachable from `root`. `rev` must be reverseCsr(g) (pass it in
 * when you already have it).
 */
export function computeDominators(g: Csr, rev: Csr, root: number, task: TaskContext = NO_TASK): DominatorTree {
  const { pre, vertex, parent, count } = dfsPreorder(g, root, task);
  task.throwIfCancelled();
  const semi = new Int32Array(count);
  const label = new Int32Array(count);
  const ancestor = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    semi[i] = i;
    label[i] = i;
    ancestor[i] = -1;
  }
  const stack = new Int32Array(count);
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
      // eval(v): v > w is already linked. Compress its path to the forest root.
      const a = ancestor[v];
      if (ancestor[a] >= 0) {
        let sp = 0;
        let x = v;
        while (ancestor[ancestor[x]] >= 0) {
          stack[sp++] = x;
          x = ancestor[x];
        }
        while (sp > 0) {
          const y = stack[--sp];
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
  // NCA step: walk up the (partial) dominator tree from the DFS parent until at or above semi.
  const idomPre = new Uint32Array(count);
  idomPre[0] = 0;
  for (let w = 1; w < count; w++) {
    let x = parent[w];
    const sw = semi[w];
    while (x > sw) x = idomPre[x];
    idomPre[w] = x;
  }
  return { reachable: count, pre, vertex, idomPre };
}

/** Immediate dominator per node (NONE when unreachable; the root is its own). */
export function idomByNode(t: DominatorTree, nodeCount: number): Uint32Array {
  const idom = new Uint32Array(nodeCount).fill(NONE);
  const { vertex, idomPre, reachable } = t;
  for (let w = 0; w < reachable; w++) idom[vertex[w]] = vertex[idomPre[w]];
  return idom;
}

/**
 * Retained size of every node: its own weight plus that of everything it dominates. `weight` is per
 * node; `countWeight` (optional, per node, 0/1) gives retained counts the same way. Returns per-node
 * arrays (0 for unreachable nodes).
 */
export function retainedSizes(
  t: DominatorTree,
  weight: Float64Array,
  countWeight?: Uint8Array,
): { bytes: Float64Array; count: Float64Array } {
  const { vertex, idomPre, reachable } = t;
  const n = weight.length;
  const accB = new Float64Array(reachable);
  const accC = new Float64Array(reachable);
  for (let w = 0; w < reachable; w++) {
    const v = vertex[w];
    accB[w] = weight[v];
    accC[w] = countWeight ? countWeight[v] : 1;
  }
  for (let w = reachable - 1; w > 0; w--) {
    const d = idomPre[w];
    accB[d] += accB[w];
    accC[d] += accC[w];
  }
  const bytes = new Float64Array(n);
  const count = new Float64Array(n);
  for (let w = 0; w < reachable; w++) {
    const v = vertex[w];
    bytes[v] = accB[w];
    count[v] = accC[w];
  }
  return { bytes, count };
}
