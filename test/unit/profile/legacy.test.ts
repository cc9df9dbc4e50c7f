/**
 * Legacy text formats (debug=1) and goroutine dumps (debug=2): parsing, pprof's un-sampling and
 * scaling (expected numbers below were printed by `go tool pprof -raw` on the same inputs),
 * names from the "#" lines, labels, MemStats metadata, and errors with line numbers.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { computeFlame, computeTop, importProfile, profileSummary } from '../../../shared/profile';
import { scaleHeapSample, sniffLegacyText } from '../../../shared/profile/legacy/text';
import { stripArgs } from '../../../shared/profile/legacy/goroutines';
import { LEAKYAPP, gunzip, load } from './helpers';
import { heapscopeErrorOf } from '../../helpers/errors';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const imp = (s: string, name = 'x.txt', keepUnnamedFrames = false) => importProfile(enc(s), name, { gunzip, keepUnnamedFrames });


const HEAP = [
  'heap profile: 3: 3000 [7: 70000] @ heap/1048576',
  '1: 1000 [5: 50000] @ 0x4b606f 0x4b6674 0x4378d2',
  '#\t0x4b606e\tmain.leakBig+0x2e\t/src/my app/main.go:17',
  '#\t0x4b6673\tmain.main+0xf3\t\t/src/my app/main.go:73',
  '',
  '2: 2000 [2: 20000] @ 0x40d96e 0x4b6674 0x4378d2',
  '#\t0x4b6673\tmain.main+0xf3\t\t/src/my app/main.go:73',
  '',
  '0: 0 [0: 0] @ 0x4b6674',
  '',
  '',
  '# runtime.MemStats',
  '# Alloc = 10300520',
  '# HeapObjects = 3008',
  '# NumGC = 3',
  '',
].join('\n');

describe('heap debug=1', () => {
  it('un-samples like pprof (scaleHeapSample with rate = header/2) and keeps the block size label', () => {
    const r = imp(HEAP, 'heap.txt', true);
    expect(r.format).toBe('heap-debug1');
    expect(r.profileKind).toBe('heap');
    const p = r.profile;
    expect(profileSummary(p).sampleTypes.map((t) => t.type)).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    // go tool pprof -raw: 264 2646519 524 524788 / 105 1058607 1049 1049576
    expect(Array.from(p.values.subarray(0, 8))).toEqual([264, 2646519, 524, 524788, 105, 1058607, 1049, 1049576]);
    expect(p.period).toBe(524288);
    expect(p.labelNum[0]).toBe(1000);
    expect(p.strings[p.labelKey[0]!]).toBe('bytes');
    expect(p.metadata).toEqual([
      { key: 'Alloc', value: '10300520' },
      { key: 'HeapObjects', value: '3008' },
      { key: 'NumGC', value: '3' },
    ]);
  });

  it('names frames from the "#" lines (file paths with spaces) and trims the unnamed ends', () => {
    const r = imp(HEAP, 'heap.txt');
    const top = computeTop(r.profile, { sampleIndex: 'inuse_space', granularity: 'lines' });
    expect(top.rows).toEqual([
      { name: 'main.main /src/my app/main.go:73', flat: 1049576, cum: 1574364 },
      { name: 'main.leakBig /src/my app/main.go:17', flat: 524788, cum: 524788 },
    ]);
    expect(r.warnings.join('\n')).toMatch(/trimmed/);
    // Kept: the unnamed leaf (0x40d96d) and root (0x4378d1) addresses, as pprof has them.
    const kept = imp(HEAP, 'heap.txt', true);
    const addrs = computeTop(kept.profile, { sampleIndex: 'inuse_space', granularityExt: 'addresses' });
    expect(addrs.rows.map((x) => x.name)).toEqual([
      '000000000040d96d <unknown>',
      '00000000004b606e main.leakBig /src/my app/main.go:17',
      '00000000004378d1 <unknown>',
      '00000000004b6673 main.main /src/my app/main.go:73',
    ]);
  });

  it('reads the two-value form when in-use equals allocated', () => {
    const r = imp('heap profile: 1: 10 [1: 10] @ heap/1\n1: 10 [1: 10] @ 0x2\n#\t0x1\tmain.f+0x1\t/a.go:3\n');
    expect(profileSummary(r.profile).sampleTypes.map((t) => t.type)).toEqual(['objects', 'space']);
    expect(computeTop(r.profile, {}).rows).toEqual([{ name: 'main.f', flat: 10, cum: 10 }]);
  });

  it('matches pprof on scaleHeapSample corner cases', () => {
    expect(scaleHeapSample(0, 0, 512)).toEqual([0, 0]);
    expect(scaleHeapSample(3, 30, 1)).toEqual([3, 30]);
    expect(scaleHeapSample(1, 1000, 524288)).toEqual([524, 524788]);
  });

  it('reports the line of a malformed record', () => {
    const e = heapscopeErrorOf(() => imp('heap profile: 1: 10 [1: 10] @ heap/1\n1: 10 [1: 10] @ 0x2\nwhat is this\n', 'h.txt'));
    expect(e.code).toBe('BAD_FORMAT');
    expect(e.line).toBe(3);
    expect(e.format).toBe('heap-debug1');
    expect(e.file).toBe('h.txt');
    const z = heapscopeErrorOf(() => imp('heap profile: 1: 10 [1: 10] @ heap/1\n0: 10 [0: 10] @ 0x2\n'));
    expect(z.message).toMatch(/count was 0/);
  });
});

describe('goroutine / threadcreate debug=1', () => {
  it('reads counts, "# labels:" lines and empty stacks', () => {
    const text = [
      'goroutine profile: total 12',
      '10 @ 0x437c96 0x40619b 0x4b643b 0x462401',
      '# labels: {"handler":"/api", "user":"a\\"b"}',
      '#\t0x4b643a\tmain.blocker+0x1a\t/tmp/gp/main.go:46',
      '',
      '2 @ 0x4b643b',
      '#\t0x4b643a\tmain.blocker+0x1a\t/tmp/gp/main.go:46',
      '',
    ].join('\n');
    const r = imp(text);
    expect(r.format).toBe('goroutine-debug1');
    expect(r.profileKind).toBe('goroutine');
    expect(computeTop(r.profile, {}).rows).toEqual([{ name: 'main.blocker', flat: 12, cum: 12 }]);
    expect(computeTop(r.profile, { filters: { tagFocus: ['handler=/api'] } }).rows).toEqual([{ name: 'main.blocker', flat: 10, cum: 10 }]);
    expect(computeTop(r.profile, { filters: { tagFocus: ['user=a"b'] } }).rows[0]!.flat).toBe(10);
    const t = imp('threadcreate profile: total 5\n5 @\n#\t0x0\n\n');
    expect(t.format).toBe('threadcreate-debug1');
    expect(t.profileKind).toBe('threadcreate');
    expect(computeTop(t.profile, {}).total).toBe(5);
    expect(computeTop(t.profile, {}).rows).toEqual([]);
  });
});

describe('mutex / block debug=1', () => {
  it('scales cycles to nanoseconds and counts by the sampling period like pprof', () => {
    const m = imp(
      '--- mutex:\ncycles/second=2596140246\nsampling period=5\n514774 2 @ 0x4b6365 0x4b634a 0x462401\n#\t0x4b6364\tsync.(*Mutex).Unlock+0xc4\t/go/src/sync/mutex.go:223\n#\t0x4b6349\tmain.contend+0xa9\t\t/tmp/gp/main.go:42\n\n',
    );
    expect(m.format).toBe('mutex-debug1');
    expect(m.profileKind).toBe('mutex');
    // go tool pprof -raw: 10 991421
    expect(Array.from(m.profile.values)).toEqual([10, 991421]);
    const b = imp('--- contention:\ncycles/second=2596140246\n353967601 1 @ 0x405cd8 0x4ac5a5\n#\t0x405cd7\truntime.chanrecv1+0x17\t/go/src/runtime/chan.go:442\n#\t0x4ac5a4\tmain.wait+0xa4\t/src/main.go:8\n\n');
    expect(b.format).toBe('block-debug1');
    expect(b.profileKind).toBe('block');
    expect(Array.from(b.profile.values)).toEqual([1, 136343790]);
    expect(computeTop(b.profile, { sampleIndex: 'delay' }).rows[0]).toEqual({ name: 'runtime.chanrecv1', flat: 136343790, cum: 136343790 });
  });

  it('rejects unknown attributes with their line', () => {
    const e = heapscopeErrorOf(() => imp('--- mutex:\ncycles/second=1\nbogus attribute=3\n'));
    expect(e.line).toBe(3);
    expect(e.format).toBe('mutex-debug1');
  });
});

const DUMP = [
  'panic: boom',
  '',
  'goroutine 1 [running]:',
  'main.main()',
  '\t/src/main.go:10 +0x1d',
  '',
  'goroutine 7 [chan receive, 12 minutes]:',
  'main.(*Server).wait(0xc000010000, {0x4fd1b8, 0xc0000120d0})',
  '\t/src/server.go:57 +0x45',
  'main.worker(...)',
  '\t/src/server.go:30',
  'created by main.main in goroutine 1',
  '\t/src/main.go:20 +0x66',
  '',
  'goroutine 8 [chan receive, 12 minutes]:',
  'main.(*Server).wait(0xc000010008, {0x4fd1b8, 0xc0000120d8})',
  '\t/src/server.go:57 +0x45',
  'main.worker(...)',
  '\t/src/server.go:30',
  'created by main.main',
  '\t/src/main.go:20 +0x66',
  '',
  'goroutine 9 gp=0xc000007340 m=nil [select, 3 minutes, locked to thread]:',
  'main.loop()',
  '\t/src/main.go:40 +0x10 fp=0xc000 sp=0xc000 pc=0x4000',
  '...additional frames elided...',
  'created by main.main',
  '\t/src/main.go:21 +0x70',
  '',
  'goroutine 10 [IO wait]:',
  'main.loop()',
  '\t/src/main.go:40 +0x10',
  '',
].join('\n');

describe('goroutine debug=2', () => {
  it('keeps one record per goroutine with state, wait, frames and creator', () => {
    const r = imp(DUMP, 'dump.txt');
    expect(r.format).toBe('goroutine-debug2');
    expect(r.profileKind).toBe('goroutine');
    const g = r.goroutines!;
    expect(g.map((x) => x.id)).toEqual([1, 7, 8, 9, 10]);
    expect(g[1]).toMatchObject({
      id: 7,
      state: 'chan receive',
      waitMinutes: 12,
      lockedToThread: false,
      frames: [
        { func: 'main.(*Server).wait', file: '/src/server.go', line: 57 },
        { func: 'main.worker', file: '/src/server.go', line: 30 },
      ],
      createdBy: { func: 'main.main', file: '/src/main.go', line: 20, goroutine: 1 },
      line: 7,
    });
    expect(g[3]).toMatchObject({ state: 'select', waitMinutes: 3, lockedToThread: true, framesElided: true });
    expect(r.warnings.join()).toMatch(/elided/);
  });

  it('aggregates into a count profile with state / wait / created_by labels', () => {
    const r = imp(DUMP, 'dump.txt');
    expect(profileSummary(r.profile).totals).toEqual([5]);
    // Goroutines 7 and 8 share stack, state, wait and creator: one sample of 2.
    expect(r.profile.sampleCount).toBe(4);
    const top = computeTop(r.profile, {});
    expect(top.rows).toEqual([
      { name: 'main.(*Server).wait', flat: 2, cum: 2 },
      { name: 'main.loop', flat: 2, cum: 2 },
      { name: 'main.main', flat: 1, cum: 1 },
      { name: 'main.worker', flat: 0, cum: 2 },
    ]);
    expect(computeTop(r.profile, { filters: { tagFocus: ['state=chan receive'] } }).rows.map((x) => x.name)).toEqual(['main.(*Server).wait', 'main.worker']);
    expect(computeTop(r.profile, { filters: { tagFocus: ['wait=600s:'] } }).rows.map((x) => x.flat)).toEqual([2, 0]);
    expect(computeTop(r.profile, { filters: { tagFocus: ['wait=1s:5m'] } }).total).toBe(5);
    expect(computeTop(r.profile, { filters: { tagFocus: ['wait=1s:300s'] } }).rows).toEqual([{ name: 'main.loop', flat: 1, cum: 1 }]);
    expect(computeTop(r.profile, { filters: { tagIgnore: ['created_by=main\\.main'] } }).rows.map((x) => x.name)).toEqual(['main.loop', 'main.main']);
    const fl = computeFlame(r.profile, { minFraction: 0 });
    expect(fl.root.value).toBe(5);
  });

  it('strips argument lists but not the parentheses of method names', () => {
    expect(stripArgs('main.(*T).M(0x1, {0x2, 0x3})')).toBe('main.(*T).M');
    expect(stripArgs('main.worker(...)')).toBe('main.worker');
    expect(stripArgs('main.F[...](0x1)')).toBe('main.F[...]');
  });

  it('reports a cut-off frame as TRUNCATED with its line', () => {
    const e = heapscopeErrorOf(() => imp('goroutine 1 [running]:\nmain.main()\n', 'cut.txt'));
    expect(e.code).toBe('TRUNCATED');
    expect(e.line).toBe(2);
    expect(e.format).toBe('goroutine-debug2');
  });

  it('sniffs dumps, with or without a panic preamble', () => {
    expect(sniffLegacyText(enc('goroutine 1 [running]:\n'))).toBe('goroutine-debug2');
    expect(sniffLegacyText(enc('panic: x\n\ngoroutine 1 [running]:\n'))).toBe('goroutine-debug2');
    expect(sniffLegacyText(enc('goroutines are nice\n'))).toBe(null);
  });
});

describe.skipIf(!existsSync(join(LEAKYAPP, 'goroutine.debug2.txt')))('leakyapp goroutine.debug2.txt', () => {
  it('shows the 30 blocked workers created by main.runRound', () => {
    const r = load(join(LEAKYAPP, 'goroutine.debug2.txt'));
    const workers = r.goroutines!.filter((g) => g.frames[0]?.func === 'main.worker');
    expect(workers).toHaveLength(30);
    for (const w of workers) {
      expect(w.state).toBe('chan receive');
      expect(w.createdBy?.func).toBe('main.runRound');
    }
    const top = computeTop(r.profile, {});
    expect(top.rows[0]).toEqual({ name: 'main.worker', flat: 30, cum: 30 });
    // Same number of goroutines as the protobuf goroutine profile of the same run.
    expect(top.total).toBe(computeTop(load(join(LEAKYAPP, 'goroutine.pb.gz')).profile, {}).total);
  });
});

describe.skipIf(!existsSync(join(LEAKYAPP, 'heap-3.debug1.txt')))('leakyapp heap-3.debug1.txt', () => {
  it('keeps the runtime.MemStats block as metadata', () => {
    const r = load(join(LEAKYAPP, 'heap-3.debug1.txt'));
    const keys = r.profile.metadata.map((m) => m.key);
    expect(keys).toContain('HeapAlloc');
    expect(keys).toContain('NumGC');
  });
});
