/**
 * Acceptance 3: a finding never fires on a profile compared with itself, and a series that only
 * shrinks gives no growth finding. Also: the order of a series comes from capture times.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeFindings, type Finding, type FindingKind, type FindingsInput } from '../../../shared/findings';
import { judgeGrowth } from '../../../shared/findings/rules/growth';
import { goroutineFindings } from '../../../shared/findings/rules/goroutines';
import type { GoroutineSnapshot } from '../../../shared/compare/types';
import { GROWTH_MIN_BYTES } from '../../../shared/findings/thresholds';
import { parseGcTrace, trendOf } from '../../../shared/compare';
import { cachedDump, haveExtra, haveLeakyapp, LEAKYAPP, PATTERNS, SERIES, GCTRACE, profile } from '../compare/fixtures';

/** Kinds that can only come from comparing snapshots. */
const GROWTH_KINDS: FindingKind[] = ['growing-alloc-site', 'growing-root', 'live-heap-growth'];

function isGrowth(f: Finding): boolean {
  if (GROWTH_KINDS.includes(f.kind)) return true;
  if (Array.isArray(f.evidence.values)) return true; // a global map judged over dumps
  return typeof f.evidence.growth === 'number' && f.evidence.growth > 0;
}

const shape = (fs: Finding[]) => fs.map((f) => `${f.severity} ${f.kind} ${f.subject} ${f.size}`).sort();

describe.skipIf(!haveLeakyapp)('a profile compared with itself', () => {
  const files = readdirSync(LEAKYAPP).filter((f) => /\.(pb\.gz|debug1\.txt|debug2\.txt)$/.test(f));

  for (const f of files) {
    it(f, () => {
      const imported = profile(join(LEAKYAPP, f));
      const once = computeFindings([{ name: 'A', kind: 'profile', imported }]);
      const twice = computeFindings([
        { name: 'A', kind: 'profile', imported },
        { name: 'B', kind: 'profile', imported },
      ]);
      expect(twice.findings.filter(isGrowth)).toEqual([]);
      expect(shape(twice.findings)).toEqual(shape(once.findings));
      // Heap profiles judge nothing on their own: nothing at all.
      if (imported.profileKind === 'heap' || imported.profileKind === 'allocs') expect(twice.findings).toEqual([]);
    });
  }

  it('heap.dump', () => {
    const d = cachedDump(join(LEAKYAPP, 'heap.dump'), join(LEAKYAPP, 'leakyapp'));
    const one: FindingsInput = { name: 'A', kind: 'heapdump', analysis: d.analysis, read: d.read };
    const once = computeFindings([one]);
    const twice = computeFindings([one, { ...one, name: 'B' }]);
    const thrice = computeFindings([one, { ...one, name: 'B' }, { ...one, name: 'C' }]);
    expect(twice.findings.filter(isGrowth)).toEqual([]);
    expect(thrice.findings.filter(isGrowth)).toEqual([]);
    expect(shape(twice.findings)).toEqual(shape(once.findings));
    expect(shape(thrice.findings)).toEqual(shape(once.findings));
    expect(thrice.notes.join('\n')).toMatch(/memlab rule: 0 objects/);
  });
});

describe.skipIf(!haveExtra)('series that only shrink', () => {
  it('shrinking heap profiles give no growth finding', () => {
    const inputs = ['shrink-1.pb.gz', 'shrink-2.pb.gz', 'shrink-3.pb.gz'].map((f): FindingsInput => ({ name: f, kind: 'profile', imported: profile(join(SERIES, f)) }));
    const r = computeFindings(inputs);
    expect(r.findings.filter(isGrowth)).toEqual([]);
    expect(r.findings).toEqual([]);
    // The same process growing does give one (the test can fail).
    const grow = ['grow-1.pb.gz', 'grow-2.pb.gz', 'grow-3.pb.gz'].map((f): FindingsInput => ({ name: f, kind: 'profile', imported: profile(join(SERIES, f)) }));
    const g = computeFindings(grow);
    expect(g.findings.map((f) => [f.kind, f.subject, f.severity])).toContainEqual(['growing-alloc-site', 'main.remember', 'high']);
  });

  it('orders a series by capture time, not by argument order', () => {
    const grow = ['grow-3.pb.gz', 'grow-1.pb.gz', 'grow-2.pb.gz'].map((f): FindingsInput => ({ name: f, kind: 'profile', imported: profile(join(SERIES, f)) }));
    const g = computeFindings(grow);
    const f = g.findings.find((x) => x.subject === 'main.remember')!;
    expect(f.evidence.snapshots).toEqual(['grow-1.pb.gz', 'grow-2.pb.gz', 'grow-3.pb.gz']);
    // Capture times given by the caller win: reversed, the same profiles shrink.
    const reversed = grow.map((x, i): FindingsInput => (x.kind === 'profile' ? { ...x, timeNanos: String([1, 3, 2][i]) } : x));
    expect(computeFindings(reversed).findings.filter(isGrowth)).toEqual([]);
  });

  it('heap dumps: ordered by MemStats.LastGC; taken in reverse (shrinking), no growth finding', () => {
    const sym = join(SERIES, 'series.sym.gz');
    const dumps = [3, 2, 1].map((n): FindingsInput => {
      const d = cachedDump(join(SERIES, `grow-${n}.dump.gz`), sym);
      return { name: `grow-${n}`, kind: 'heapdump', analysis: d.analysis, read: d.read };
    });
    // Given newest first, the dumps' own clocks put them back in order: the map grows.
    const r = computeFindings(dumps);
    expect(r.findings.some((f) => f.kind === 'growing-alloc-site' && f.subject === 'main.remember')).toBe(true);
    expect(r.findings.find((f) => f.kind === 'global-map')!.evidence.values).toBeDefined();
    // Capture times that say grow-3 came first: the same dumps only shrink.
    const shrinking = dumps.map((x, i): FindingsInput => (x.kind === 'heapdump' ? { ...x, timeNanos: BigInt(i + 1) } : x));
    const s = computeFindings(shrinking);
    expect(s.findings.filter(isGrowth)).toEqual([]);
    expect(shape(s.findings)).toEqual(shape(computeFindings([dumps[2]!]).findings));
  });

  it('a steady gctrace log gives no finding; a leaking one does', () => {
    const steady = computeFindings([{ name: 'steady', kind: 'gctrace', series: parseGcTrace(readFileSync(join(GCTRACE, 'steady.txt'))) }]);
    expect(steady.findings).toEqual([]);
    const leak = computeFindings([{ name: 'leak', kind: 'gctrace', series: parseGcTrace(readFileSync(join(GCTRACE, 'leak.txt'))) }]);
    expect(leak.findings.map((f) => [f.kind, f.severity])).toEqual([['live-heap-growth', 'high']]);
  });
});

describe('growth rules never fire on flat or shrinking series (property)', () => {
  it('judgeGrowth', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1 << 30 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 1 << 30 }), (xs, total) => {
        const down = [...xs].sort((a, b) => b - a);
        expect(judgeGrowth(trendOf('k', 'k', down), total)).toBeNull();
        expect(judgeGrowth(trendOf('k', 'k', xs.map(() => xs[0]!)), total)).toBeNull();
        const up = [...xs].sort((a, b) => a - b);
        const v = judgeGrowth(trendOf('k', 'k', up), total);
        if (v) expect(up[up.length - 1]! - up[0]!).toBeGreaterThanOrEqual(GROWTH_MIN_BYTES);
      }),
    );
  });

  it('goroutine findings of a snapshot series equal to itself never report growth', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ fn: fc.constantFrom('main.a', 'main.b', 'pkg.c'), state: fc.constantFrom('chan receive', 'select', 'IO wait', 'running'), count: fc.integer({ min: 1, max: 50 }) }), { maxLength: 6 }), fc.integer({ min: 2, max: 4 }), (groups, n) => {
        const snap: GoroutineSnapshot = {
          name: 's',
          source: 'debug2',
          total: groups.reduce((a, g) => a + g.count, 0),
          hasStates: true,
          groups: groups.map((g) => ({ key: g.fn, function: g.fn, stack: [g.fn], state: g.state, count: g.count, createdBy: null, maxWaitMinutes: null, waits: [], ids: [], system: false })),
        };
        const series = Array.from({ length: n }, (_, i) => ({ name: `s${i}`, snapshot: snap }));
        const many = goroutineFindings(series, 'snapshots');
        const one = goroutineFindings([series[0]!], 'snapshots');
        for (const f of many) expect(f.evidence.growth).toBe(0);
        expect(many.map((f) => `${f.kind} ${f.subject} ${f.severity}`)).toEqual(one.map((f) => `${f.kind} ${f.subject} ${f.severity}`));
      }),
    );
  });
});

describe.skipIf(!haveExtra)('patterns fixture compared with itself', () => {
  it('goroutine-2.pb.gz twice: pile-ups of the snapshot, no growth', () => {
    const imported = profile(join(PATTERNS, 'goroutine-2.pb.gz'));
    const r = computeFindings([
      { name: 'a', kind: 'profile', imported },
      { name: 'b', kind: 'profile', imported },
    ]);
    expect(r.findings.length).toBeGreaterThan(0);
    expect(r.findings.filter(isGrowth)).toEqual([]);
    expect(r.findings.every((f) => f.severity !== 'high')).toBe(true); // high needs growth (or a huge pile / long waits)
  });
});
