/**
 * Analyses beyond the plain top: pprof's filters (checked against a live `go tool pprof` when Go
 * is installed), call trees (top-down, inverted, pivot/sandwich) and display pruning.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlameNode, ProfileFilters } from '../../../shared/api/types';
import { HeapscopeError } from '../../../shared/errors';
import { computeFlame, computeTop, importProfile, PIVOT_CALLEES, PIVOT_CALLERS } from '../../../shared/profile';
import { goRegexSource } from '../../../shared/profile/analysis/regex';
import { parseTagFilterRange, percentage, scaledLabel } from '../../../shared/profile/analysis/units';
import { simplifyFunc } from '../../../shared/profile/analysis/prune';
import { cleanPath } from '../../../shared/profile/analysis/view';
import { emptyProfile, StringTable, type Profile } from '../../../shared/profile/model';
import { parsePprofTop, rowKeys } from './golden';
import { LEAKYAPP, exactUnitFlag, gunzip, haveGo, load, pprof } from './helpers';
import { oddProfile } from './odd-profile';

const HEAP = join(LEAKYAPP, 'heap-3.pb.gz');
const CPU = join(LEAKYAPP, 'cpu.pb.gz');
const GOROUTINE = join(LEAKYAPP, 'goroutine.pb.gz');
const fixtures = existsSync(HEAP);

interface Case {
  file: string;
  type: string;
  gran: 'functions' | 'lines' | 'files';
  filters: ProfileFilters;
}

const cases: Case[] = [
  { file: HEAP, type: 'inuse_space', gran: 'functions', filters: { focus: 'main\\.' } },
  { file: HEAP, type: 'inuse_space', gran: 'functions', filters: { ignore: 'runtime' } },
  { file: HEAP, type: 'alloc_space', gran: 'functions', filters: { hide: 'runtime\\.' } },
  { file: HEAP, type: 'alloc_space', gran: 'lines', filters: { show: 'main' } },
  { file: HEAP, type: 'inuse_space', gran: 'functions', filters: { focus: 'worker', hide: 'runtime' } },
  { file: HEAP, type: 'alloc_objects', gran: 'functions', filters: { show: 'main\\.|runtime\\.', ignore: 'churn' } },
  { file: HEAP, type: 'inuse_space', gran: 'files', filters: { focus: 'leakyapp/main.go' } },
  { file: HEAP, type: 'inuse_space', gran: 'functions', filters: { tagFocus: ['bytes=4kb:'] } },
  { file: HEAP, type: 'inuse_space', gran: 'functions', filters: { tagFocus: ['bytes=:128'] } },
  { file: HEAP, type: 'alloc_space', gran: 'functions', filters: { tagIgnore: ['bytes=1kb'] } },
  { file: HEAP, type: 'alloc_space', gran: 'functions', filters: { tagFocus: ['16kb'] } },
  { file: HEAP, type: 'inuse_space', gran: 'functions', filters: { focus: '(?i)MAIN\\.LOADBLOB' } },
  { file: CPU, type: 'cpu', gran: 'lines', filters: { focus: 'burn' } },
  { file: CPU, type: 'samples', gran: 'functions', filters: { hide: 'main\\.burn' } },
  { file: GOROUTINE, type: 'goroutine', gran: 'functions', filters: { show: 'main' } },
  { file: GOROUTINE, type: 'goroutine', gran: 'functions', filters: { ignore: 'worker' } },
  { file: GOROUTINE, type: 'goroutine', gran: 'lines', filters: { hide: 'gopark|chanrecv' } },
];

function pprofArgs(c: Case, unit: string): string[] {
  const a = ['-top', '-nodecount=100000', '-nodefraction=0', '-edgefraction=0', `-sample_index=${c.type}`, `-${c.gran}`, ...exactUnitFlag(unit)];
  const f = c.filters;
  if (f.focus) a.push(`-focus=${f.focus}`);
  if (f.ignore) a.push(`-ignore=${f.ignore}`);
  if (f.hide) a.push(`-hide=${f.hide}`);
  if (f.show) a.push(`-show=${f.show}`);
  if (f.tagFocus) a.push(`-tagfocus=${f.tagFocus[0]}`);
  if (f.tagIgnore) a.push(`-tagignore=${f.tagIgnore[0]}`);
  a.push(c.file);
  return a;
}

describe.skipIf(!fixtures || !haveGo())('filters == go tool pprof (live)', () => {
  for (const c of cases) {
    it(`${c.file.split('/').pop()} ${c.type} ${c.gran} ${JSON.stringify(c.filters)}`, () => {
      const p = load(c.file).profile;
      const ours = computeTop(p, { sampleIndex: c.type, granularity: c.gran, filters: c.filters });
      const gold = parsePprofTop(pprof(pprofArgs(c, ours.sampleType.unit)));
      expect(ours.total).toBe(gold.total);
      expect(rowKeys(ours.rows)).toEqual(rowKeys(gold.rows));
    });
  }
});

/** value = self + Σ children everywhere; returns the number of nodes. */
function checkSums(n: FlameNode): number {
  let count = 0;
  const stack = [n];
  while (stack.length) {
    const x = stack.pop()!;
    count++;
    const sum = x.children.reduce((a, c) => a + c.value, 0);
    expect(x.value, x.name).toBe(x.self + sum);
    stack.push(...x.children);
  }
  return count;
}

/** Per name: Σ self, and Σ value over outermost occurrences (pprof's flat and cum). */
function flatCumFromTree(root: FlameNode): Map<string, { flat: number; cum: number }> {
  const out = new Map<string, { flat: number; cum: number }>();
  const stack: Array<{ n: FlameNode; path: Set<string> }> = root.children.map((n) => ({ n, path: new Set<string>() }));
  while (stack.length) {
    const { n, path } = stack.pop()!;
    const e = out.get(n.name) ?? { flat: 0, cum: 0 };
    e.flat += n.self;
    if (!path.has(n.name)) e.cum += n.value;
    out.set(n.name, e);
    const next = new Set(path).add(n.name);
    for (const c of n.children) stack.push({ n: c, path: next });
  }
  return out;
}

describe.skipIf(!fixtures)('call trees', () => {
  const heap = fixtures ? load(HEAP).profile : emptyProfile();

  it('top-down tree: flat and cum per function equal the top table', () => {
    for (const g of ['functions', 'lines'] as const) {
      const f = computeFlame(heap, { sampleIndex: 'alloc_space', granularity: g, minFraction: 0 });
      const top = computeTop(heap, { sampleIndex: 'alloc_space', granularity: g });
      expect(f.root.name).toBe('root');
      expect(f.root.value).toBe(top.total);
      expect(f.hiddenFrames).toBe(0);
      expect(checkSums(f.root) - 1).toBe(f.nodeCount);
      const fc = flatCumFromTree(f.root);
      for (const r of top.rows) expect(fc.get(r.name), r.name).toEqual({ flat: r.flat, cum: r.cum });
    }
  });

  it('inverted tree: first level is the flat of every function', () => {
    const f = computeFlame(heap, { sampleIndex: 'inuse_space', inverted: true, minFraction: 0 });
    const top = computeTop(heap, { sampleIndex: 'inuse_space' });
    checkSums(f.root);
    const first = new Map(f.root.children.map((c) => [c.name, c.value]));
    for (const r of top.rows) if (r.flat !== 0) expect(first.get(r.name), r.name).toBe(r.flat);
    expect([...first.values()].reduce((a, b) => a + b, 0)).toBe(top.total);
  });

  it('pivot (sandwich): callers above, callees below, both worth the pivot cum', () => {
    const top = computeTop(heap, { sampleIndex: 'alloc_space' });
    const mainRow = top.rows.find((r) => r.name === 'main.main')!;
    const f = computeFlame(heap, { sampleIndex: 'alloc_space', pivot: 'main.main', minFraction: 0 });
    expect(f.root.value).toBe(mainRow.cum);
    expect(f.root.children).toHaveLength(2);
    const callers = f.root.children[PIVOT_CALLERS]!;
    const callees = f.root.children[PIVOT_CALLEES]!;
    for (const side of [callers, callees]) {
      expect(side.name).toBe('main.main');
      expect(side.value).toBe(mainRow.cum);
      checkSums(side);
    }
    // main.main is called by runtime.main only.
    expect(callers.children.map((c) => c.name)).toEqual(['runtime.main']);
    // Its callees' cum (below the pivot) match the top table.
    const fc = flatCumFromTree({ name: 'x', value: 0, self: 0, children: [callees] });
    expect(fc.get('main.loadBlob')?.cum).toBe(top.rows.find((r) => r.name === 'main.loadBlob')!.cum);
    // A regex pivot matching several functions merges them into one pivot frame named by the pattern.
    const rx = computeFlame(heap, { sampleIndex: 'alloc_space', pivot: 'main\\.(loadBlob|cacheSession)$', minFraction: 0 });
    const a = top.rows.find((r) => r.name === 'main.loadBlob')!.cum + top.rows.find((r) => r.name === 'main.cacheSession')!.cum;
    expect(rx.root.value).toBe(a);
    expect(rx.root.children[PIVOT_CALLEES]!.name).toBe('main\\.(loadBlob|cacheSession)$');
    const none = computeFlame(heap, { pivot: 'no.such.function' });
    expect(none.root.value).toBe(0);
    expect(none.root.children).toEqual([]);
  });

  it('pruning merges narrow frames into "N frames hidden (X%)" nodes without losing value', () => {
    const full = computeFlame(heap, { sampleIndex: 'alloc_space', minFraction: 0 });
    const pruned = computeFlame(heap, { sampleIndex: 'alloc_space', minFraction: 0.01 });
    expect(pruned.nodeCount).toBe(full.nodeCount);
    expect(pruned.hiddenFrames).toBeGreaterThan(0);
    expect(pruned.root.value).toBe(full.root.value);
    let hidden = 0;
    let visible = 0;
    const stack = [pruned.root];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.hiddenFrames !== undefined) {
        hidden += n.hiddenFrames;
        expect(n.name).toMatch(/^\d+ frames? hidden \([\d.e-]+%\)$/);
        expect(n.children).toEqual([]);
      } else if (n !== pruned.root) {
        visible++;
        expect(Math.abs(n.value)).toBeGreaterThanOrEqual(0.01 * pruned.root.value);
      }
      stack.push(...n.children);
    }
    expect(hidden).toBe(pruned.hiddenFrames);
    expect(hidden + visible).toBe(full.nodeCount);
    checkSums(pruned.root);
    // Default threshold 0.0005.
    expect(computeFlame(heap, {}).hiddenFrames).toBeLessThanOrEqual(pruned.hiddenFrames);
  });

  it('deep stacks (100k frames) build without recursion', () => {
    const st = new StringTable();
    const p = emptyProfile();
    p.sampleTypes = [{ type: st.intern('samples'), unit: st.intern('count') }];
    const depth = 100000;
    p.functionCount = 1;
    p.funcId = Uint32Array.of(1, 0);
    p.funcName = Int32Array.of(st.intern('main.recurse'));
    p.funcSystemName = Int32Array.of(0);
    p.funcFilename = Int32Array.of(st.intern('main.go'));
    p.funcStartLine = Float64Array.of(0);
    p.locationCount = 1;
    p.locId = Uint32Array.of(1, 0);
    p.locMapping = Int32Array.of(-1);
    p.locAddress = Uint32Array.of(0, 0);
    p.locIsFolded = Uint8Array.of(0);
    p.locLineStart = Uint32Array.of(0, 1);
    p.lineFunc = Int32Array.of(0);
    p.lineLine = Float64Array.of(3);
    p.lineColumn = Float64Array.of(0);
    p.sampleCount = 1;
    p.sampleLocStart = Uint32Array.of(0, depth);
    p.sampleLocs = new Uint32Array(depth);
    p.values = Float64Array.of(7);
    p.sampleLabelStart = Uint32Array.of(0, 0);
    p.strings = st.strings;
    const f = computeFlame(p, { minFraction: 0 });
    expect(f.nodeCount).toBe(depth);
    expect(computeTop(p, {}).rows).toEqual([{ name: 'main.recurse', flat: 7, cum: 7 }]);
    const inv = computeFlame(p, { inverted: true, minFraction: 0 });
    expect(inv.nodeCount).toBe(depth);
  });
});

describe('pprof details', () => {
  it('sorts like pprof: |flat| desc, then name, then |cum|', () => {
    const p = syntheticTwoSample();
    expect(computeTop(p, {}).rows.map((r) => r.name)).toEqual(['b', 'a', 'root']);
    expect(computeTop(p, { sort: 'cum' }).rows.map((r) => r.name)).toEqual(['root', 'b', 'a']);
  });

  it('compiles Go regex syntax', () => {
    expect(new RegExp(goRegexSource('[[:digit:]]+').source).test('abc123')).toBe(true);
    expect(goRegexSource('(?i)abc').flags).toBe('i');
    expect(new RegExp(goRegexSource('\\Aab\\z').source).test('ab')).toBe(true);
    expect(new RegExp(goRegexSource('\\Aab\\z').source).test('abc')).toBe(false);
    expect(() => computeTop(syntheticTwoSample(), { filters: { focus: '(' } })).toThrow(HeapscopeError);
  });

  it('formats values and percentages like pprof', () => {
    expect(scaledLabel(8124470, 'bytes', 'auto')).toBe('7.75MB');
    expect(scaledLabel(1024, 'bytes', 'B')).toBe('1024B');
    expect(scaledLabel(50000000, 'nanoseconds', 'auto')).toBe('50ms');
    expect(scaledLabel(0, 'bytes', 'auto')).toBe('0');
    expect(percentage(1, 1)).toBe('  100%');
    expect(percentage(5, 1000)).toBe('  0.5%');
    expect(percentage(294, 100000)).toBe(' 0.29%');
    expect(percentage(83, 10000000)).toBe('0.00083%');
    expect(percentage(50, 100)).toBe('50.00%');
  });

  it('parses numeric label ranges like pprof', () => {
    const r = parseTagFilterRange('128kb:512kb')!;
    expect(r(200 * 1024, 'bytes')).toBe(true);
    expect(r(100 * 1024, 'bytes')).toBe(false);
    expect(parseTagFilterRange('4mb:')!(5 << 20, 'bytes')).toBe(true);
    expect(parseTagFilterRange(':64')!(65, 'bytes')).toBe(false);
    expect(parseTagFilterRange('main')).toBe(null);
  });

  it('simplifies function names and cleans paths like pprof', () => {
    expect(simplifyFunc('runtime.(*mheap).alloc')).toBe('runtime.');
    expect(simplifyFunc('foo(anonymous namespace)::bar(int)')).toBe('foo(anonymous namespace)::bar');
    expect(cleanPath('/a/b/../c/./d.go')).toBe('/a/c/d.go');
    expect(cleanPath('a//b/')).toBe('a/b');
  });

  it('rejects unknown sample types with a BAD_REQUEST', () => {
    try {
      computeTop(syntheticTwoSample(), { sampleIndex: 'nope' });
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(HeapscopeError);
      expect((e as HeapscopeError).code).toBe('BAD_REQUEST');
    }
  });
});

/** root → a (flat 3), root → b (flat 5). */
function syntheticTwoSample(): Profile {
  const st = new StringTable();
  const p = emptyProfile();
  p.sampleTypes = [{ type: st.intern('samples'), unit: st.intern('count') }];
  const names = ['root', 'a', 'b'];
  p.functionCount = 3;
  p.funcId = Uint32Array.of(1, 0, 2, 0, 3, 0);
  p.funcName = Int32Array.from(names.map((n) => st.intern(n)));
  p.funcSystemName = new Int32Array(3);
  p.funcFilename = new Int32Array(3);
  p.funcStartLine = new Float64Array(3);
  p.locationCount = 3;
  p.locId = Uint32Array.of(1, 0, 2, 0, 3, 0);
  p.locMapping = Int32Array.of(-1, -1, -1);
  p.locAddress = new Uint32Array(6);
  p.locIsFolded = new Uint8Array(3);
  p.locLineStart = Uint32Array.of(0, 1, 2, 3);
  p.lineFunc = Int32Array.of(0, 1, 2);
  p.lineLine = Float64Array.of(1, 2, 3);
  p.lineColumn = new Float64Array(3);
  p.sampleCount = 2;
  p.sampleLocStart = Uint32Array.of(0, 2, 4);
  p.sampleLocs = Uint32Array.of(1, 0, 2, 0);
  p.values = Float64Array.of(3, 5);
  p.sampleLabelStart = Uint32Array.of(0, 0, 0);
  p.strings = st.strings;
  // Also exercise the import path once.
  void importProfile;
  void gunzip;
  return p;
}

describe.skipIf(!haveGo())('awkward profile == go tool pprof (live), every granularity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'heapscope-odd-'));
  const file = join(dir, 'odd.pb');
  writeFileSync(file, oddProfile());
  const p = importProfile(oddProfile(), file, { gunzip }).profile;
  for (const g of ['functions', 'files', 'lines', 'filefunctions', 'addresses'] as const) {
    for (const t of ['samples', 'cpu']) {
      it(`${t} ${g}`, () => {
        const ours = computeTop(p, { sampleIndex: t, granularityExt: g });
        const gold = parsePprofTop(pprof(['-top', '-nodecount=100000', '-nodefraction=0', '-edgefraction=0', `-sample_index=${t}`, `-${g}`, ...exactUnitFlag(ours.sampleType.unit), file]));
        expect(ours.total).toBe(gold.total);
        expect(rowKeys(ours.rows)).toEqual(rowKeys(gold.rows));
      });
    }
  }
});
