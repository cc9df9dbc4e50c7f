/**
 * Series trends (least-squares slope, fit, monotonic flag) over heap profiles, heap dumps and
 * goroutine snapshots, and the GODEBUG=gctrace=1 parser.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  gcTraceTrend,
  goroutineSeriesTrends,
  goroutineSnapshot,
  heapSeriesTrends,
  leastSquares,
  looksLikeGcTrace,
  parseGcTrace,
  profileSeriesTrends,
  trendOf,
  GCTRACE_MB,
} from '../../../shared/compare';
import { GCTRACE, LEAKYAPP, PATTERNS, SERIES, bytesOf, cachedDump, haveExtra, haveLeakyapp, parsePprofTop, profile } from './fixtures';

describe('trendOf / leastSquares', () => {
  it('fits straight lines exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: -1e4, max: 1e4 }), fc.integer({ min: 2, max: 40 }), (a, b, n) => {
        const xs = Array.from({ length: n }, (_, i) => i);
        const ys = xs.map((x) => a + b * x);
        const f = leastSquares(xs, ys);
        expect(f.slope).toBeCloseTo(b, 6);
        expect(f.r2).toBeCloseTo(1, 9);
        const t = trendOf('k', 'k', ys);
        expect(t.growth).toBe(b * (n - 1));
        expect(t.monotonic).toBe(b > 0);
        expect(t.increases).toBe(b > 0 ? n - 1 : 0);
        expect(t.decreases).toBe(b < 0 ? n - 1 : 0);
      }),
    );
  });

  it('flags monotonic growth only when no step goes down and the series ends higher', () => {
    expect(trendOf('k', 'k', [1, 1, 2]).monotonic).toBe(true);
    expect(trendOf('k', 'k', [1, 3, 2, 4]).monotonic).toBe(false);
    expect(trendOf('k', 'k', [5, 5, 5]).monotonic).toBe(false);
    expect(trendOf('k', 'k', [5]).monotonic).toBe(false);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 2, maxLength: 20 }), (xs) => {
        const shrinking = [...xs].sort((a, b) => b - a);
        const t = trendOf('k', 'k', shrinking);
        expect(t.monotonic).toBe(false);
        expect(t.growth).toBeLessThanOrEqual(0);
        expect(t.slope).toBeLessThanOrEqual(1e-9);
      }),
    );
    const t = trendOf('k', 'k', [10, 20, 40], [0, 1, 3]);
    expect(t.slopePerSecond).toBeCloseTo(leastSquares([0, 1, 3], [10, 20, 40]).slope, 9);
    expect(t.ratio).toBe(4);
    expect(trendOf('k', 'k', [0, 1]).ratio).toBeNull();
  });
});

describe.skipIf(!haveLeakyapp)('profile series (leakyapp heap-1..3)', () => {
  it('gives each function its inuse_space flat per snapshot, as pprof prints it', () => {
    const files = ['heap-1.pb.gz', 'heap-2.pb.gz', 'heap-3.pb.gz'];
    const s = profileSeriesTrends(files.map((f) => ({ name: f, profile: profile(join(LEAKYAPP, f)).profile })));
    expect(s.sampleType.type).toBe('inuse_space');
    const golden = files.map((f) => parsePprofTop(readFileSync(join(LEAKYAPP, `${f}.golden`, 'inuse_space.functions.top.txt'), 'utf8')));
    expect(s.totals).toEqual(golden.map((g) => g.total));
    for (const fn of ['main.loadBlob', 'main.cacheSession', 'main.worker']) {
      const t = s.trends.find((x) => x.key === fn)!;
      const want = golden.map((g) => g.rows.find((r) => r.name === fn)?.flat ?? 0);
      expect(t.values).toEqual(want);
      expect(t.monotonic).toBe(true);
      expect(t.slope).toBeCloseTo((want[2]! - want[0]!) / 2, 6);
    }
    // Biggest growth first.
    expect(s.trends[0]!.key).toBe('main.loadBlob');
  });
});

describe.skipIf(!haveExtra)('series of the extra fixtures', () => {
  it('a shrinking process: no function grows by more than noise', () => {
    const files = ['shrink-1.pb.gz', 'shrink-2.pb.gz', 'shrink-3.pb.gz'];
    const s = profileSeriesTrends(files.map((f) => ({ name: f, profile: profile(join(SERIES, f)).profile })));
    const remember = s.trends.find((t) => t.key === 'main.remember')!;
    expect(remember.decreases).toBe(2);
    expect(remember.growth).toBeLessThan(-100000);
    for (const t of s.trends) expect(t.growth, t.key).toBeLessThan(4096);
  });

  it('heap dumps: retained bytes per root and reachable bytes per site', () => {
    const sym = join(SERIES, 'series.sym.gz');
    const dumps = [1, 2, 3].map((n) => ({ name: `grow-${n}`, analysis: cachedDump(join(SERIES, `grow-${n}.dump.gz`), sym).analysis }));
    const h = heapSeriesTrends(dumps);
    expect(h.totals).toEqual(dumps.map((d) => d.analysis.summary().reachableBytes));
    const reg = h.byRoot.find((t) => t.label === 'global main.registry')!;
    expect(reg.monotonic).toBe(true);
    expect(reg.values).toEqual(dumps.map((d) => d.analysis.rootsRanked(0, 1000).rows.find((r) => r.name === 'global main.registry')!.retainedBytes));
    expect(h.byRoot[0]!.label).toBe('global main.registry');
    const temp = h.byRoot.find((t) => t.label === 'global main.temp')!;
    expect(temp.growth).toBe(0);
    const site = h.bySite.find((t) => t.key.startsWith('main.remember (main.go:45)'))!;
    expect(site.values[1]! - site.values[0]!).toBe(20 * 4096);
  });

  it('goroutine counts per stack across snapshots', () => {
    const snaps = ['goroutine-1.pb.gz', 'goroutine-2.pb.gz'].map((f) => goroutineSnapshot(f, profile(join(PATTERNS, f))));
    const s = goroutineSeriesTrends(snaps);
    const w = s.trends.find((t) => t.label === 'main.waitDone')!;
    expect(w.values).toEqual([10, 20]);
    expect(w.monotonic).toBe(true);
  });
});

describe('gctrace', () => {
  const go119 = 'gc 12 @3.201s 1%: 0.018+1.2+0.003 ms clock, 0.073+0.4/1.1/2.3+0.01 ms cpu, 4->5->3 MB, 6 MB goal, 0 MB stacks, 0 MB globals, 4 P';
  const go116 = 'gc 13 @3.500s 2%: 0.016+0.40+0.002 ms clock, 0.13+0.12/0.35/0.82+0.016 ms cpu, 7->7->5 MB, 8 MB goal, 8 P (forced)';

  it('reads every field of current and older formats, among other output', () => {
    const t = parseGcTrace(['starting server', go119, `2024/01/01 12:00:00 request done ${go116}`, 'gc 14 @3.9s 2%: 0.01+0.2+0.002 ms clock, 0.1+0', 'scvg: 0 MB released'].join('\n'));
    expect(t.cycles).toEqual([
      { gc: 12, atSec: 3.201, cpuPercent: 1, heapStartMB: 4, heapEndMB: 5, liveMB: 3, goalMB: 6, stacksMB: 0, globalsMB: 0, procs: 4, forced: false, line: 2 },
      { gc: 13, atSec: 3.5, cpuPercent: 2, heapStartMB: 7, heapEndMB: 7, liveMB: 5, goalMB: 8, stacksMB: null, globalsMB: null, procs: 8, forced: true, line: 3 },
    ]);
    expect(t.skipped).toBe(1);
    expect(t.warnings.join(' ')).toMatch(/1 gctrace line cut short/);
    expect(looksLikeGcTrace(go119)).toBe(true);
    expect(looksLikeGcTrace('goroutine profile: total 3\n')).toBe(false);
    expect(looksLikeGcTrace(new Uint8Array([0x1f, 0x8b, 0, 1]))).toBe(false);
  });

  it.skipIf(!haveExtra)('turns a real log into a live-heap series: rising for a leak, flat without', () => {
    for (const [file, rising] of [
      ['leak.txt', true],
      ['steady.txt', false],
    ] as const) {
      const text = readFileSync(join(GCTRACE, file), 'utf8');
      const lines = text.split('\n').filter((l) => /^gc \d+ @/.test(l));
      const complete = lines.filter((l) => / P( \(forced\))?$/.test(l));
      const t = parseGcTrace(bytesOf(join(GCTRACE, file)));
      expect(t.cycles.length).toBe(complete.length);
      expect(t.cycles.length + t.skipped).toBe(lines.length);
      const first = /->(\d+) MB, (\d+) MB goal/.exec(complete[0]!)!;
      expect(t.cycles[0]!.liveMB).toBe(Number(first[1]));
      expect(t.cycles[0]!.goalMB).toBe(Number(first[2]));
      const { live } = gcTraceTrend(t, file);
      expect(live.values).toEqual(t.cycles.map((c) => c.liveMB * GCTRACE_MB));
      if (rising) {
        expect(live.slope).toBeGreaterThan(0);
        expect(live.r2).toBeGreaterThan(0.8);
      } else expect(Math.abs(live.growth)).toBeLessThanOrEqual(2 * GCTRACE_MB);
    }
  });
});
