/**
 * Baselines (acceptance 4): inside the tolerance, outside it, and noisy series; on plain series and
 * on real Go profiles (the leakyapp fixture's heap snapshots: main.loadBlob holds 256, 512, 768 KiB).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FindingsInput } from '../../../shared/findings';
import { bandOf, compareSeries, compareWithBaseline, heapGrowthPercent, type SiteSnapshot, type Tolerance } from '../../../shared/policy';
import { profile } from '../compare/fixtures';
import { check, LEAKY, policyFile } from './helpers';

const KiB = 1024;
const MiB = 1024 * KiB;
const T: Tolerance = { percent: 10, minBytes: 1 * MiB, minGoroutines: 5 };

function snap(name: string, values: Record<string, number>): SiteSnapshot {
  const m = new Map(Object.entries(values));
  return { name, values: m, labels: new Map([...m.keys()].map((k) => [k, { subject: k }])), total: [...m.values()].reduce((a, b) => a + b, 0) };
}

function series(prefix: string, values: number[], key = 'main.f'): SiteSnapshot[] {
  return values.map((v, i) => snap(`${prefix}-${i + 1}`, { [key]: v }));
}

describe('the tolerance band', () => {
  it('is max(percent × baseline, the absolute minimum)', () => {
    expect(bandOf(100 * MiB, 'bytes', T)).toBe(10 * MiB);
    expect(bandOf(2 * MiB, 'bytes', T)).toBe(1 * MiB);
    expect(bandOf(200, 'goroutines', T)).toBe(20);
    expect(bandOf(3, 'goroutines', T)).toBe(5);
  });

  it('inside the tolerance: growth within the band in every snapshot is not reported', () => {
    const r = compareSeries('heap profiles', series('b', [100 * MiB, 100 * MiB, 100 * MiB]), series('c', [105 * MiB, 109 * MiB, 110 * MiB]), T);
    expect(r.pairing).toBe('pairwise');
    expect(r.items).toEqual([]);
  });

  it('small absolute changes are ignored even when the relative change is large', () => {
    const r = compareSeries('heap profiles', series('b', [64 * KiB]), series('c', [900 * KiB]), T); // +1300%, under 1 MiB
    expect(r.items).toEqual([]);
    const g = compareSeries('goroutines', series('b', [1, 1]), series('c', [5, 6]), T); // +4 and +5 goroutines: not more than 5
    expect(g.items).toEqual([]);
  });

  it('outside the tolerance in every snapshot: growing, with the growth that held in every one', () => {
    const r = compareSeries('heap profiles', series('b', [100 * MiB, 100 * MiB, 100 * MiB]), series('c', [112 * MiB, 115 * MiB, 130 * MiB]), T);
    expect(r.items).toHaveLength(1);
    const it0 = r.items[0]!;
    expect(it0).toMatchObject({ subject: 'main.f', growing: true, beyond: 3, growth: 12 * MiB, unit: 'bytes' });
    expect(it0.band).toEqual([10 * MiB, 10 * MiB, 10 * MiB]);
    const g = compareSeries('goroutines', series('b', [10]), series('c', [16]), T);
    expect(g.items[0]).toMatchObject({ growing: true, growth: 6, unit: 'goroutines' });
  });

  it('a noisy series: beyond the band in some snapshots but not all is not growth', () => {
    const r = compareSeries('heap profiles', series('b', [100 * MiB, 100 * MiB, 100 * MiB]), series('c', [130 * MiB, 104 * MiB, 130 * MiB]), T);
    expect(r.items).toHaveLength(1);
    expect(r.items[0]).toMatchObject({ growing: false, beyond: 2 });
  });

  it('pairs snapshot i with baseline snapshot i when the series have the same length, else uses the baseline maximum', () => {
    // the baseline itself grew during its run; the current run grew the same way: no regression
    const same = compareSeries('heap profiles', series('b', [10 * MiB, 20 * MiB, 30 * MiB]), series('c', [10 * MiB, 20 * MiB, 31 * MiB]), T);
    expect(same.items).toEqual([]);
    // different lengths: against the baseline's largest value, the most forgiving reference
    const max = compareSeries('heap profiles', series('b', [10 * MiB, 30 * MiB]), series('c', [20 * MiB, 25 * MiB, 34 * MiB]), T);
    expect(max.pairing).toBe('max');
    expect(max.items.map((i) => [i.growing, i.beyond])).toEqual([[false, 1]]); // 34 MiB > 30 + 3 in the last one only: noise
    const grew = compareSeries('heap profiles', series('b', [10 * MiB, 30 * MiB]), series('c', [40 * MiB, 45 * MiB, 50 * MiB]), T);
    expect(grew.items[0]).toMatchObject({ growing: true, baseline: [30 * MiB, 30 * MiB, 30 * MiB], growth: 10 * MiB });
  });

  it('sites new in the current run are compared with zero', () => {
    const r = compareSeries('heap profiles', [snap('b', { 'main.old': 5 * MiB })], [snap('c', { 'main.old': 5 * MiB, 'main.new': 3 * MiB })], T);
    expect(r.items.map((i) => [i.subject, i.growing])).toEqual([['main.new', true]]);
  });
});

describe('baselines on real Go heap profiles (leakyapp, Go 1.19)', () => {
  const p = (f: string): FindingsInput => ({ name: f, kind: 'profile', imported: profile(join(LEAKY, f)) });
  const loadBlob = (items: Array<{ subject: string }>): unknown => items.find((i) => i.subject === 'main.loadBlob');

  it('inside the tolerance: +512 KiB of main.loadBlob is under the default 1 MiB minimum', () => {
    const r = compareWithBaseline([p('heap-1.pb.gz')], [p('heap-3.pb.gz')], T);
    expect(r.growing).toEqual([]);
    expect(r.tolerance).toContain('max(10% of its baseline value, 1 MiB) for memory, max(10%, 5 goroutines) for goroutines, in every snapshot');
  });

  it('outside it with a 256 KiB minimum: main.loadBlob, main.cacheSession grew in every snapshot', () => {
    const t = { ...T, minBytes: 256 * KiB };
    const r = compareWithBaseline([p('heap-1.pb.gz')], [p('heap-2.pb.gz'), p('heap-3.pb.gz')], { ...t, minBytes: 200 * KiB });
    expect(r.families.map((f) => [f.family, f.pairing])).toEqual([['heap profiles', 'max']]);
    expect(loadBlob(r.growing)).toMatchObject({ growing: true, beyond: 2 });
    expect(r.growing.find((i) => i.subject === 'main.loadBlob')!.current[1]! - r.growing.find((i) => i.subject === 'main.loadBlob')!.current[0]!).toBeGreaterThan(0);
    const g = heapGrowthPercent(r)!;
    expect(g.family).toBe('heap profiles');
    expect(g.percent).toBeGreaterThan(50);
  });

  it('a noisy series: the same profiles out of order (up, back down, up) do not count', () => {
    const r = compareWithBaseline([p('heap-1.pb.gz'), p('heap-1.pb.gz'), p('heap-1.pb.gz')], [p('heap-3.pb.gz'), p('heap-1.pb.gz'), p('heap-3.pb.gz')], { ...T, minBytes: 256 * KiB });
    expect(r.growing).toEqual([]);
    expect(loadBlob(r.noisy)).toMatchObject({ growing: false, beyond: 2 });
  });

  it('heapscope check --baseline: exit 3 outside the band, 0 inside, 0 for noise; the text states the tolerance', async () => {
    const f = (n: string): string => join(LEAKY, n);
    const tight = policyFile({ failOn: 'high', thresholds: { GROWTH_MIN_BYTES: 100 * MiB }, baseline: { minBytes: '256KiB' } });
    const loose = policyFile({ failOn: 'high', thresholds: { GROWTH_MIN_BYTES: 100 * MiB }, budgets: { maxGrowthPercent: 500 } });
    const out = await check([f('heap-3.pb.gz')], { config: tight, baseline: [f('heap-1.pb.gz')] });
    expect(out.code).toBe(3);
    expect(out.out).toMatch(/GROWTH baseline-growth: heap profiles: main\.loadBlob grew by at least 512 KiB over the baseline in the only snapshot \(768 KiB vs 256 KiB; band 256 KiB\)/);
    expect(out.out).toContain('Baseline: tolerance: an allocation site or goroutine stack fails only when it exceeds the baseline by more than max(10% of its baseline value, 256 KiB)');
    const inside = await check([f('heap-3.pb.gz')], { config: loose, baseline: [f('heap-1.pb.gz')] });
    expect(inside.code).toBe(0);
    expect(inside.out).toMatch(/ok {3}maxGrowthPercent 500%: heap in use \(heap profiles\) grew [\d.]+% over the baseline/);
    const noisy = await check([f('heap-3.pb.gz'), f('heap-1.pb.gz'), f('heap-3.pb.gz')], { config: tight, baseline: [f('heap-1.pb.gz'), f('heap-1.pb.gz'), f('heap-1.pb.gz')] });
    expect(noisy.code).toBe(0);
    expect(noisy.out).toMatch(/ignored as noise \(beyond the band in some snapshots only\): \d+\n {4}heap profiles: main\.\w+ in 2 of 3 snapshots/);
    const allowed = await check([f('heap-3.pb.gz')], { config: policyFile({ thresholds: { GROWTH_MIN_BYTES: 100 * MiB }, baseline: { minBytes: '256KiB' }, allow: [{ kind: 'baseline-growth', subject: '^main\\.(loadBlob|cacheSession|worker)$', reason: 'grows on purpose' }] }), baseline: [f('heap-1.pb.gz')] });
    expect(allowed.code).toBe(0);
    expect(allowed.out).toContain('baseline-growth: main.loadBlob: allow[0]: grows on purpose');
  });
});
