import { describe, it, expect } from 'vitest';
import { computeDominators, idomByNode, reachableFrom, retainedSizes, reverseCsr, NONE, type Csr } from '../../../shared/heap/index';
import { rng } from './dumpwriter';

function csr(n: number, edges: [number, number][]): Csr {
  const start = new Uint32Array(n + 1);
  for (const [a] of edges) start[a + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const targets = new Uint32Array(edges.length);
  for (const [a, b] of edges) targets[fill[a]++] = b;
  return { nodeCount: n, start, targets };
}

function reach(n: number, edges: [number, number][], root: number, removed: number): Uint8Array {
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) adj[a].push(b);
  const seen = new Uint8Array(n);
  if (root === removed) return seen;
  const st = [root];
  seen[root] = 1;
  while (st.length) {
    const v = st.pop()!;
    for (const w of adj[v]) if (!seen[w] && w !== removed) {
      seen[w] = 1;
      st.push(w);
    }
  }
  return seen;
}

/** Brute force: x dominates v iff removing x makes v unreachable. */
function oracle(n: number, edges: [number, number][], size: number[]) {
  const base = reach(n, edges, 0, -1);
  const dom: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (let x = 0; x < n; x++) {
    if (!base[x]) continue;
    const r = reach(n, edges, 0, x);
    for (let v = 0; v < n; v++) if (base[v] && (!r[v] || v === x)) dom[v].add(x);
  }
  const idom = new Array<number>(n).fill(-1);
  const retained = new Array<number>(n).fill(0);
  for (let v = 0; v < n; v++) {
    if (!base[v]) continue;
    if (v === 0) idom[v] = 0;
    else {
      // The strict dominator with the most dominators of its own is the immediate one.
      let best = -1;
      for (const d of dom[v]) if (d !== v && (best < 0 || dom[d].size > dom[best].size)) best = d;
      idom[v] = best;
    }
    for (const d of dom[v]) retained[d] += size[v];
  }
  return { base, idom, retained };
}

function randomGraph(r: () => number, family: number): { n: number; edges: [number, number][] } {
  const n = 1 + Math.floor(r() * 30);
  const edges: [number, number][] = [];
  const pick = () => Math.floor(r() * n);
  switch (family % 6) {
    case 0: {
      // Sparse random.
      const m = Math.floor(r() * n * 2);
      for (let i = 0; i < m; i++) edges.push([pick(), pick()]);
      break;
    }
    case 1: {
      // Dense random with self loops and multi-edges.
      const m = Math.floor(r() * n * 6);
      for (let i = 0; i < m; i++) edges.push([pick(), pick()]);
      break;
    }
    case 2: {
      // Deep chain with random back and forward edges (cycles).
      for (let i = 0; i + 1 < n; i++) edges.push([i, i + 1]);
      const m = Math.floor(r() * 4);
      for (let i = 0; i < m; i++) edges.push([pick(), pick()]);
      break;
    }
    case 3: {
      // Random tree plus cross edges.
      for (let i = 1; i < n; i++) edges.push([Math.floor(r() * i), i]);
      const m = Math.floor(r() * n);
      for (let i = 0; i < m; i++) edges.push([pick(), pick()]);
      break;
    }
    case 4: {
      // Ring and ladders: everything reachable through cycles.
      for (let i = 0; i < n; i++) edges.push([i, (i + 1) % n]);
      for (let i = 0; i + 2 < n; i += 2) if (r() < 0.5) edges.push([i + 2, i]);
      break;
    }
    default: {
      // DAG layers (diamonds).
      for (let i = 1; i < n; i++) {
        const k = 1 + Math.floor(r() * 2);
        for (let j = 0; j < k; j++) edges.push([Math.floor(r() * i), i]);
      }
      break;
    }
  }
  return { n, edges };
}

describe('dominators (semi-NCA) against a brute-force oracle', () => {
  it('matches on 3000 random small graphs: idom, reachability, retained sizes', () => {
    const r = rng(20240611);
    for (let t = 0; t < 3000; t++) {
      const { n, edges } = randomGraph(r, t);
      const size = Array.from({ length: n }, () => 1 + Math.floor(r() * 100));
      const g = csr(n, edges);
      const tree = computeDominators(g, 0);
      const idom = idomByNode(tree, n);
      const ret = retainedSizes(tree, n, Float64Array.from(size), 0);
      // The same through the reverse-graph path and the bucketed (big-graph) predecessor path.
      expect(Array.from(idomByNode(computeDominators(g, 0, undefined, reverseCsr(g)), n))).toEqual(Array.from(idom));
      expect(Array.from(idomByNode(computeDominators(g, 0, undefined, undefined, 'radix'), n))).toEqual(Array.from(idom));
      const o = oracle(n, edges, size);
      const reach = reachableFrom(g, 0);
      expect(Array.from(reach.seen), `graph #${t}`).toEqual(Array.from(o.base));
      expect(reach.count).toBe(o.base.reduce((a, b) => a + b, 0));
      for (let v = 0; v < n; v++) {
        const ctx = `graph #${t} n=${n} edges=${JSON.stringify(edges)} node ${v}`;
        if (!o.base[v]) {
          expect(idom[v], ctx).toBe(NONE);
          expect(ret.bytes[v], ctx).toBe(0);
          continue;
        }
        expect(idom[v], ctx).toBe(o.idom[v]);
        expect(ret.bytes[v], ctx).toBe(o.retained[v]);
      }
    }
  });

  it('gives the same tree whichever way predecessors are built, from any root (200,000-node random graphs)', () => {
    const r = rng(7);
    for (const [n, m] of [[200_000, 500_000], [70_000, 700_000], [5000, 6000]]) {
      const edges: [number, number][] = [];
      for (let v = 1; v < n; v += 1 + Math.floor(r() * 2)) edges.push([Math.floor(r() * v), v]); // not all reachable
      while (edges.length < m) edges.push([Math.floor(r() * n), Math.floor(r() * n)]);
      const g = csr(n, edges);
      const rev = reverseCsr(g);
      for (const root of [0, Math.floor(n / 2)]) {
        const a = computeDominators(g, root, undefined, rev, 'scan');
        const b = computeDominators(g, root, undefined, undefined, 'scan');
        const c = computeDominators(g, root, undefined, rev, 'radix');
        expect(b.reachable).toBe(a.reachable);
        expect(c.reachable).toBe(a.reachable);
        expect(Array.from(b.vertex)).toEqual(Array.from(a.vertex));
        expect(Array.from(c.vertex)).toEqual(Array.from(a.vertex));
        expect(Array.from(b.idomPre)).toEqual(Array.from(a.idomPre));
        expect(Array.from(c.idomPre)).toEqual(Array.from(a.idomPre));
      }
    }
  });

  it('handles a 1,000,000-long chain (and its cycle) without recursion', () => {
    const n = 1_000_000;
    const start = new Uint32Array(n + 1);
    const targets = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      start[i + 1] = i + 1;
      targets[i] = (i + 1) % n; // last node points back to the head: a cycle
    }
    const g: Csr = { nodeCount: n, start, targets };
    const tree = computeDominators(g, 0);
    expect(tree.reachable).toBe(n);
    const idom = idomByNode(tree, n);
    for (const v of [1, 2, 500_000, n - 1]) expect(idom[v]).toBe(v - 1);
    // The big-graph path (bucketed predecessors, DFS frames with lookahead) on the same chain.
    const big = idomByNode(computeDominators(g, 0, undefined, undefined, 'radix'), n);
    expect(Array.from(big)).toEqual(Array.from(idom));
    const ret = retainedSizes(tree, n, new Float64Array(n).fill(8), 0);
    expect(ret.bytes[0]).toBe(8 * n);
    expect(ret.bytes[1]).toBe(8 * (n - 1));
    expect(ret.count[n - 1]).toBe(1);
  });

  it('handles a 1,000,000-deep chain entered from the end (worst case for path compression)', () => {
    // 0 -> n-1 -> n-2 -> ... -> 1, plus every node also points to 1 (long eval paths).
    const n = 1_000_000;
    const edges = new Uint32Array(2 * n);
    const start = new Uint32Array(n + 1);
    let m = 0;
    for (let v = 0; v < n; v++) {
      start[v] = m;
      if (v === 0) edges[m++] = n - 1;
      else if (v > 1) edges[m++] = v - 1;
      if (v > 2) edges[m++] = 1;
    }
    start[n] = m;
    const g: Csr = { nodeCount: n, start, targets: edges.slice(0, m) };
    const tree = computeDominators(g, 0);
    const idom = idomByNode(tree, n);
    expect(idom[n - 1]).toBe(0);
    expect(idom[n - 2]).toBe(n - 1);
    expect(idom[1]).toBe(n - 1); // reached from every node above it
    expect(Array.from(idomByNode(computeDominators(g, 0, undefined, undefined, 'radix'), n))).toEqual(Array.from(idom));
  });
});
