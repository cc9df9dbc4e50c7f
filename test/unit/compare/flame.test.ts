/**
 * The differential flame graph and the side-by-side aligned trees: per-frame value/base/delta/status,
 * consistent with pprof's numbers (Σ self of a function over the tree = its flat in the delta table),
 * pruning that never loses a byte, and aligned rows that lay out both sides for synchronized zoom.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { diffFlame, diffTop, mergeForCompare, sideBySide } from '../../../shared/compare';
import type { DiffFlameNode } from '../../../shared/compare/types';
import { computeFlame } from '../../../shared/profile';
import { ProfileBuilder } from '../../../shared/profile/builder';
import { LEAKYAPP, SERIES, profile } from './fixtures';

function walk(root: DiffFlameNode, fn: (n: DiffFlameNode, path: string[]) => void): void {
  const stack: Array<{ n: DiffFlameNode; path: string[] }> = [{ n: root, path: [] }];
  while (stack.length) {
    const { n, path } = stack.pop()!;
    fn(n, path);
    for (const c of n.children) stack.push({ n: c, path: [...path, c.name] });
  }
}

const have = existsSync(join(LEAKYAPP, 'heap-3.pb.gz'));

describe.skipIf(!have)('diffFlame', () => {
  const base = profile(join(LEAKYAPP, 'heap-1.pb.gz')).profile;
  const target = profile(join(LEAKYAPP, 'heap-3.pb.gz')).profile;

  it('carries both sides, the delta and the status on every frame; Σ self per function = the delta table', () => {
    for (const sampleIndex of ['inuse_space', 'alloc_objects']) {
      const f = diffFlame(base, target, { sampleIndex, minFraction: 0 });
      const top = diffTop(base, target, { sampleIndex });
      expect(f.hiddenFrames).toBe(0);
      expect(f.root.value).toBe(computeFlame(target, { sampleIndex }).root.value);
      expect(f.root.base).toBe(computeFlame(base, { sampleIndex }).root.value);
      expect(f.total).toBe(top.total);
      const selfDelta = new Map<string, number>();
      let frames = 0;
      walk(f.root, (n, path) => {
        expect(n.delta).toBe(n.value - n.base);
        if (path.length === 0) return;
        frames++;
        selfDelta.set(n.name, (selfDelta.get(n.name) ?? 0) + (n.self - n.baseSelf));
        // Values add up: a frame is its own self plus its children.
        expect(n.self + n.children.reduce((a, c) => a + c.value, 0)).toBe(n.value);
        expect(n.baseSelf + n.children.reduce((a, c) => a + c.base, 0)).toBe(n.base);
        if (n.status === 'new') expect(n.base).toBe(0);
        if (n.status === 'gone') expect(n.value).toBe(0);
      });
      expect(frames).toBe(f.nodeCount);
      for (const r of top.rows) expect(selfDelta.get(r.name) ?? 0, r.name).toBe(r.flat);
    }
  });

  it('marks frames only in the target as new and only in the base as gone', () => {
    const f = diffFlame(base, target, { sampleIndex: 'inuse_space', minFraction: 0 });
    const statuses = new Map<string, Set<string>>();
    walk(f.root, (n) => {
      if (!statuses.has(n.name)) statuses.set(n.name, new Set());
      statuses.get(n.name)!.add(n.status);
    });
    // Names the delta table calls new appear only as new frames.
    const fresh = diffTop(base, target, { sampleIndex: 'inuse_space' }).rows.filter((r) => r.status === 'new');
    expect(fresh.length).toBeGreaterThan(0);
    for (const r of fresh) expect([...statuses.get(r.name)!]).toEqual(['new']);
    const back = diffFlame(target, base, { sampleIndex: 'inuse_space', minFraction: 0 });
    let gone = 0;
    walk(back.root, (n) => {
      if (n.status === 'gone') {
        gone++;
        expect(n.value).toBe(0);
        expect(n.base).not.toBe(0);
      }
    });
    expect(gone).toBeGreaterThan(0);
  });

  it('prunes narrow frames into "N frames hidden" nodes without losing value', () => {
    const full = diffFlame(base, target, { sampleIndex: 'inuse_space', minFraction: 0 });
    const pruned = diffFlame(base, target, { sampleIndex: 'inuse_space', minFraction: 0.01 });
    expect(pruned.hiddenFrames).toBeGreaterThan(0);
    expect(pruned.nodeCount).toBe(full.nodeCount);
    let shown = 0;
    let hidden = 0;
    walk(pruned.root, (n, path) => {
      if (path.length === 0) return;
      if (n.hiddenFrames !== undefined) {
        hidden += n.hiddenFrames;
        expect(n.name).toMatch(/^\d+ frames? hidden \(/);
        expect(n.children).toEqual([]);
      } else shown++;
      expect(n.self + n.children.reduce((a, c) => a + c.value, 0)).toBe(n.value);
    });
    expect(hidden).toBe(pruned.hiddenFrames);
    expect(shown + hidden).toBe(full.nodeCount);
    expect(pruned.root.value).toBe(full.root.value);
  });

  it('normalizes the target side like pprof -normalize', () => {
    const f = diffFlame(base, target, { sampleIndex: 'inuse_space', normalize: true, minFraction: 0 });
    const top = diffTop(base, target, { sampleIndex: 'inuse_space', normalize: true });
    // The normalized target's total is the base total (up to rounding per sample).
    expect(Math.abs(f.root.value - f.root.base)).toBeLessThan(target.sampleCount);
    const selfDelta = new Map<string, number>();
    walk(f.root, (n, path) => {
      if (path.length > 0) selfDelta.set(n.name, (selfDelta.get(n.name) ?? 0) + n.self - n.baseSelf);
    });
    for (const r of top.rows) expect(selfDelta.get(r.name) ?? 0, r.name).toBe(r.flat);
  });

  it('pivots on a function: callers then callees, aligned by position', () => {
    const f = diffFlame(base, target, { sampleIndex: 'inuse_space', pivot: 'main.loadBlob', minFraction: 0 });
    expect(f.root.children.map((c) => c.name)).toEqual(['main.loadBlob', 'main.loadBlob']);
    expect(f.root.children[0]!.delta).toBe(786432 - 262144);
  });

  it('handles stacks far deeper than any recursion limit', () => {
    const deep = (depth: number, v: number) => {
      const b = new ProfileBuilder();
      b.p.sampleTypes = [b.valueType('inuse_space', 'bytes')];
      const locs: number[] = [];
      for (let i = 0; i < depth; i++) locs.push(b.location(i, 0, [{ func: b.func(`f${i}`, 'x.go'), line: 1 }]));
      b.sample(locs, [v]);
      return b.build();
    };
    const f = diffFlame(deep(20000, 10), deep(20000, 30), { minFraction: 0 });
    expect(f.nodeCount).toBe(20000);
    expect(f.root.delta).toBe(20);
    const s = sideBySide(deep(20000, 10), deep(20000, 30), { minFraction: 0 });
    expect(s.rows.length).toBe(20001);
    expect(s.rows[20000]!.depth).toBe(20000);
  });
});

describe.skipIf(!have)('sideBySide', () => {
  const base = profile(join(LEAKYAPP, 'heap-1.pb.gz')).profile;
  const target = profile(join(LEAKYAPP, 'heap-3.pb.gz')).profile;

  it('gives the same frames as the differential tree, in pre-order, with x offsets laid out per side', () => {
    for (const minFraction of [0, 0.005]) {
      const s = sideBySide(base, target, { sampleIndex: 'inuse_space', minFraction });
      const f = diffFlame(base, target, { sampleIndex: 'inuse_space', minFraction });
      // Same tree: pre-order walk of the flame tree (children in order) = rows.
      const pre: Array<{ name: string; value: number; base: number; depth: number }> = [];
      const st: Array<{ n: DiffFlameNode; d: number }> = [{ n: f.root, d: 0 }];
      while (st.length) {
        const { n, d } = st.pop()!;
        pre.push({ name: n.name, value: n.value, base: n.base, depth: d });
        for (let i = n.children.length - 1; i >= 0; i--) st.push({ n: n.children[i]!, d: d + 1 });
      }
      expect(s.rows.map((r) => ({ name: r.name, value: r.target, base: r.base, depth: r.depth }))).toEqual(pre);
      expect(s.rows[0]!.parent).toBe(-1);
      expect(s.rows[0]!.baseX).toBe(0);
      expect(s.rows[0]!.targetX).toBe(0);
      // Children start at the parent's x and follow each other without gaps or overlaps.
      const next = new Map<number, { b: number; t: number }>();
      s.rows.forEach((r, i) => {
        expect(r.id).toBe(i);
        if (r.parent < 0) return;
        expect(r.parent).toBeLessThan(r.id);
        const p = s.rows[r.parent]!;
        expect(r.depth).toBe(p.depth + 1);
        const cur = next.get(r.parent) ?? { b: p.baseX, t: p.targetX };
        expect(r.baseX).toBe(cur.b);
        expect(r.targetX).toBe(cur.t);
        next.set(r.parent, { b: cur.b + Math.abs(r.base), t: cur.t + Math.abs(r.target) });
        // Inside the parent on each side (non-negative profiles).
        expect(r.baseX + r.base).toBeLessThanOrEqual(p.baseX + p.base);
        expect(r.targetX + r.target).toBeLessThanOrEqual(p.targetX + p.target);
      });
    }
  });

  it.skipIf(!existsSync(join(SERIES, 'grow-3.pb.gz')))('lays out diffs (negative values) by magnitude', () => {
    // grow-1 − grow-3: the registry shrinks, so main.remember's frames are negative.
    const d = mergeForCompare(profile(join(SERIES, 'grow-1.pb.gz')).profile, profile(join(SERIES, 'grow-3.pb.gz')).profile, 'diff_base');
    const g = profile(join(SERIES, 'grow-3.pb.gz')).profile;
    const s = sideBySide(d, g, { sampleIndex: 'inuse_space', minFraction: 0 });
    expect(s.rows.find((r) => r.name === 'main.remember')!.base).toBeLessThan(0);
    const next = new Map<number, number>();
    for (const r of s.rows) {
      expect(r.baseX).toBeGreaterThanOrEqual(0);
      if (r.parent < 0) continue;
      const x = next.get(r.parent) ?? s.rows[r.parent]!.baseX;
      expect(r.baseX).toBe(x);
      next.set(r.parent, x + Math.abs(r.base));
    }
  });
});
