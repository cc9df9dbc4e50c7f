/**
 * Issue 11: goroutine dumps (debug=2) of Go 1.19, 1.26 and 1.27, on real output of each version
 * (test/fixtures/modern/goroutines: the programs are beside the outputs, the README says how each
 * file was made). Acceptance 4: labels from debug=2 headers and from debug=1 `# labels:` lines,
 * written at the same instant, filter the same goroutines.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeapscopeError } from '../../../shared/errors';
import { computeTop, importProfile, type ImportedProfile } from '../../../shared/profile';
import { parseGoroutineDump, readQuoted, sniffGoroutineDump, type GoroutineRecord } from '../../../shared/profile/legacy/goroutines';
import { sniffLegacyText } from '../../../shared/profile/legacy/text';
import { WAIT_REASONS, inferWaitReason, normalizeWaitReason, splitState, waitCategory, waitReason } from '../../../shared/profile/legacy/waitreasons';
import { goroutineSnapshot } from '../../../shared/compare/goroutines';
import { gunzip, ROOT } from './helpers';

const DIR = join(ROOT, 'test', 'fixtures', 'modern', 'goroutines');
const VERSIONS = ['1.19', '1.26', '1.27'] as const;
type V = (typeof VERSIONS)[number];

const bytes = (v: V, f: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, `go${v}`, f)));
const load = (v: V, f: string): ImportedProfile => importProfile(bytes(v, f), `go${v}/${f}`, { gunzip });
const dump = (v: V, f = 'goroutine.debug2.txt'): GoroutineRecord[] => parseGoroutineDump(bytes(v, f), f).goroutines;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The goroutine started with each gdump function (its innermost main.* frame). */
function byFunction(gs: GoroutineRecord[]): Map<string, GoroutineRecord[]> {
  const m = new Map<string, GoroutineRecord[]>();
  for (const g of gs) {
    const f = g.frames.find((x) => x.func.startsWith('main.'))?.func ?? '(none)';
    if (!m.has(f)) m.set(f, []);
    m.get(f)!.push(g);
  }
  return m;
}

/** Goroutines a label filter keeps (top's `total` is pprof's: the whole profile's). */
const kept = (r: ImportedProfile, filters: { tagFocus?: string[]; tagIgnore?: string[] }): number => computeTop(r.profile, { filters }).rows.reduce((a, x) => a + x.flat, 0);

/** A Go regexp matching exactly s. */
const exact = (s: string): string => `^${s.replace(/[\\.+*?()|[\]{}^$]/g, (c) => `\\${c}`)}$`;

describe('goroutine dumps of every version', () => {
  for (const v of VERSIONS) {
    it(`go${v}: imports, one record per goroutine of the debug=1 total taken at the same instant`, () => {
      const r = load(v, 'goroutine.debug2.txt');
      expect(r.format).toBe('goroutine-debug2');
      const total = Number(/^goroutine profile: total (\d+)/.exec(new TextDecoder().decode(bytes(v, 'goroutine.debug1.txt')))![1]);
      expect(r.goroutines!.length).toBe(total);
      expect(computeTop(r.profile, {}).total).toBe(total);
      // Every state the runtime printed is one Heapscope knows.
      for (const g of r.goroutines!) expect(waitReason(g.state), g.state).toBeDefined();
    });

    it(`go${v}: wait reasons, minutes, locked to thread, creators`, () => {
      const gs = dump(v);
      const fns = byFunction(gs);
      const modern = v !== '1.19';
      const state = (f: string): string => fns.get(f)![0]!.state;
      expect(state('main.worker')).toBe('chan receive');
      expect(state('main.sender')).toBe('chan send');
      expect(state('main.selector')).toBe('select');
      expect(state('main.nilReceiver')).toBe('chan receive (nil chan)');
      expect(state('main.emptySelect')).toBe('select (no cases)');
      expect(state('main.condWaiter')).toBe('sync.Cond.Wait');
      expect(state('main.sleeper')).toBe('sleep');
      expect(state('main.pipeReader')).toBe('IO wait');
      expect(state('main.mutexWaiter')).toBe(modern ? 'sync.Mutex.Lock' : 'semacquire');
      expect(state('main.readerWaiter')).toBe(modern ? 'sync.RWMutex.RLock' : 'semacquire');
      expect(state('main.wgWaiter')).toBe(modern ? 'sync.WaitGroup.Wait' : 'semacquire');
      // RWMutex.Lock waits first on the writers' mutex: Go prints sync.Mutex.Lock.
      expect(state('main.writerWaiter')).toBe(modern ? 'sync.Mutex.Lock' : 'semacquire');
      for (const [f, gs] of fns) {
        if (f === 'main.main') continue;
        for (const g of gs) if (g.state !== 'running') expect(g.waitMinutes, `${f} ${g.id}`).toBe(1);
      }
      expect(fns.get('main.lockedWaiter')![0]!.lockedToThread).toBe(true);
      expect(fns.get('main.worker')![0]!.lockedToThread).toBe(false);
      expect(gs.find((g) => g.id === 1)!.state).toBe('running');
      // created by F in goroutine N (1.21+).
      const w = fns.get('main.worker')![0]!;
      expect(w.createdBy!.func).toBe('main.main.func1');
      expect(w.createdBy!.goroutine).toBe(modern ? 1 : undefined);
      const spawner = fns.get('main.spawner')![0]!;
      const children = fns.get('main.child')!;
      expect(children.length).toBe(2);
      for (const c of children) {
        expect(c.createdBy!.func).toBe('main.spawner');
        expect(c.createdBy!.goroutine).toBe(modern ? spawner.id : undefined);
      }
    });

    it(`go${v}: 1.19's semacquire is named by its sync method, as 1.26 and 1.27 print it`, () => {
      const want = byFunction(dump('1.27'));
      for (const [f, gs] of byFunction(dump(v))) {
        const g = gs[0]!;
        const norm = normalizeWaitReason(g.state, g.frames.map((x) => x.func));
        expect(norm, f).toBe(want.get(f)![0]!.state);
      }
    });

    it(`go${v}: deep stacks: what the runtime cut is recorded`, () => {
      const deep = byFunction(dump(v)).get('main.deep')![0]!;
      if (v === '1.19') {
        // 1.19 stops at 100 frames, counting the runtime frames it hides, without a marker.
        expect(deep.framesElided).toBe(false);
        expect(deep.frames.length).toBe(97);
      } else {
        // 1.21+: the innermost 50, "...N frames elided...", the outermost 50.
        expect(deep.framesElided).toBe(true);
        expect(deep.frames.length).toBe(100);
        expect(deep.elidedAt).toBe(50);
        // deep(120) is 121 calls of main.deep.
        expect(deep.frames.length + deep.elidedFrames!).toBe(121);
        expect(deep.frames.every((f) => f.func === 'main.deep')).toBe(true);
      }
    });
  }

  it('go1.26 labels inside the brackets, go1.27 after them, the same labels; none without the GODEBUG / go 1.27 module', () => {
    for (const v of ['1.26', '1.27'] as const) {
      const fns = byFunction(dump(v));
      expect(fns.get('main.worker')!.map((g) => g.labels)).toEqual(Array(5).fill([{ key: 'k2', value: 'a b' }, { key: 'role', value: 'worker' }]));
      expect(fns.get('main.wgWaiter')![0]!.labels).toEqual([
        { key: 'odd key', value: 'q"uote\\back]\tend, x=ü' },
        { key: 'role', value: 'wg' },
      ]);
      expect(fns.get('main.selector')![0]!.labels).toEqual([
        { key: 'path', value: '/api/v1.users_x' },
        { key: 'role', value: 'select' },
      ]);
      expect(fns.get('main.sleeper')![0]!.labels).toBeUndefined();
      // The labels never leak into the state.
      expect(fns.get('main.wgWaiter')![0]!.state).toBe('sync.WaitGroup.Wait');
    }
    for (const [v, f] of [
      ['1.19', 'goroutine.debug2.txt'],
      ['1.26', 'nolabels.debug2.txt'],
      ['1.27', 'go119mod.debug2.txt'],
    ] as const) {
      expect(dump(v, f).every((g) => g.labels === undefined)).toBe(true);
    }
  });

  // Acceptance 4.
  for (const v of ['1.26', '1.27'] as const) {
    it(`go${v}: labels from debug=2 headers and debug=1 "# labels:" lines filter the same goroutines`, () => {
      const d2 = load(v, 'goroutine.debug2.txt');
      const d1 = load(v, 'goroutine.debug1.txt');
      const pairs = new Map<string, { key: string; value: string; n: number }>();
      for (const g of d2.goroutines!) {
        for (const l of g.labels ?? []) {
          const k = `${l.key}\u0000${l.value}`;
          const x = pairs.get(k) ?? { key: l.key, value: l.value, n: 0 };
          x.n++;
          pairs.set(k, x);
        }
      }
      expect(pairs.size).toBe(8);
      const fnsOf = (r: ImportedProfile, f: string[]): Array<[string, number]> =>
        computeTop(r.profile, { filters: { tagFocus: f } })
          .rows.filter((x) => x.name.startsWith('main.') && x.flat > 0)
          .map((x): [string, number] => [x.name, x.flat])
          .sort();
      for (const { key, value, n } of pairs.values()) {
        const f = [`${key}=${exact(value)}`];
        expect(kept(d2, { tagFocus: f }), f[0]).toBe(n);
        expect(kept(d1, { tagFocus: f }), f[0]).toBe(n);
        expect(fnsOf(d1, f), f[0]).toEqual(fnsOf(d2, f));
        expect(kept(d1, { tagIgnore: f }), f[0]).toBe(d2.goroutines!.length - n);
        expect(kept(d2, { tagIgnore: f }), f[0]).toBe(d2.goroutines!.length - n);
      }
    });
  }

  it("(leaked): the leak profile's debug=2 marks exactly the goroutines the runtime proved stuck", () => {
    for (const v of ['1.26', '1.27'] as const) {
      for (const f of ['goroutineleak.debug2.txt', 'goroutine-after-leak.debug2.txt']) {
        const r = load(v, f);
        const gs = r.goroutines!;
        const leaked = gs.filter((g) => g.leaked);
        const text = new TextDecoder().decode(bytes(v, f));
        expect(leaked.length).toBe((text.match(/ \(leaked\)/g) ?? []).length);
        expect(leaked.length).toBeGreaterThanOrEqual(6);
        for (const g of leaked) {
          expect(g.state).not.toMatch(/leaked/);
          expect(waitCategory(g.state)).toMatch(/^(channel|select|sync)$/);
        }
        const fns = byFunction(leaked);
        expect(fns.get('main.leakyRecv')!.length).toBe(3);
        expect(fns.get('main.leakyRecv')![0]!.state).toBe('chan receive');
        expect(fns.get('main.leakyRecv')![0]!.labels).toEqual([{ key: 'role', value: 'leaky' }]);
        expect(fns.get('main.leakyWG')![0]!.state).toBe('sync.WaitGroup.Wait');
        expect(fns.get('main.nilReceiver')![0]!.state).toBe('chan receive (nil chan)');
        // Globals keep these reachable: never leaked.
        expect(gs.filter((g) => !g.leaked && g.frames.some((x) => x.func === 'main.worker')).length).toBe(5);
        expect(kept(r, { tagFocus: ['leaked=true'] })).toBe(leaked.length);
      }
    }
  });

  it('synctest bubbles: bubble id, (durable) taken off the state, labels after the bubble (1.26) or the brackets (1.27)', () => {
    for (const v of ['1.26', '1.27'] as const) {
      const gs = dump(v, 'bubble.debug2.txt');
      const inBubble = gs.filter((g) => g.bubble !== undefined);
      expect(inBubble.length).toBe(8);
      expect(inBubble.every((g) => g.bubble === 1)).toBe(true);
      const durable = inBubble.filter((g) => g.durable).map((g) => g.state).sort();
      expect(durable).toEqual(['chan receive', 'chan receive', 'chan send', 'select', 'sleep', 'sync.WaitGroup.Wait', 'synctest.Run']);
      expect(inBubble.find((g) => !g.durable)!.state).toBe('running');
      expect(gs.filter((g) => g.bubble === undefined).every((g) => !g.durable)).toBe(true);
      const labelled = inBubble.filter((g) => g.labels !== undefined);
      expect(labelled.map((g) => g.state).sort()).toEqual(['chan receive', 'chan send', 'select']);
      for (const g of labelled) expect(g.labels).toEqual([{ key: 'in', value: 'bubble' }]);
      const r = load(v, 'bubble.debug2.txt');
      expect(kept(r, { tagFocus: ['bubble=^1$', 'durable=true'] })).toBe(7);
    }
  });

  it('panics: "[recovered, repanicked]" (1.25+) and the older chain; panic(...) frames are runtime.gopanic', () => {
    const p19 = parseGoroutineDump(bytes('1.19', 'panic.txt'), 'panic.txt');
    expect(p19.panics.map(({ message, recovered, repanicked }) => ({ message, recovered, repanicked }))).toEqual([
      { message: 'boom 42', recovered: true, repanicked: false },
      { message: 'boom 42', recovered: false, repanicked: false },
    ]);
    for (const v of ['1.26', '1.27'] as const) {
      const p = parseGoroutineDump(bytes(v, 'panic.txt'), 'panic.txt');
      expect(p.panics.map(({ message, recovered, repanicked }) => ({ message, recovered, repanicked }))).toEqual([{ message: 'boom 42', recovered: true, repanicked: true }]);
    }
    for (const v of VERSIONS) {
      const r = load(v, 'panic.txt');
      expect(r.format).toBe('goroutine-debug2');
      const g1 = r.goroutines![0]!;
      expect(g1.state).toBe('running');
      expect(g1.frames.map((f) => f.func)).toEqual(['main.main.func7', 'runtime.gopanic', 'main.main']);
      expect(g1.frames[1]!.file).toMatch(/runtime\/panic\.go$/);
    }
    // A test's own output before the panic: still recognised.
    const bp = load('1.26', 'bubble-panic.txt');
    expect(bp.format).toBe('goroutine-debug2');
    expect(bp.goroutines!.length).toBe(5);
  });

  it('fatal errors: the message, and the goroutines with their labels', () => {
    const r = parseGoroutineDump(bytes('1.27', 'deadlock.txt'), 'deadlock.txt');
    expect(r.fatalError).toBe('all goroutines are asleep - deadlock!');
    expect(r.panics).toEqual([]);
    expect(r.goroutines.map((g) => [g.id, g.state, g.labels ?? null])).toEqual([
      [1, 'chan receive', null],
      [19, 'sync.Mutex.Lock', [{ key: 'job', value: 'x y' }]],
    ]);
    expect(load('1.27', 'deadlock.txt').format).toBe('goroutine-debug2');
  });

  it('GOTRACEBACK=system: gp= m= mp= headers and fp= sp= pc= frame suffixes', () => {
    const text = new TextDecoder().decode(bytes('1.27', 'panic-system.txt'));
    const r = load('1.27', 'panic-system.txt');
    const gs = r.goroutines!;
    expect(gs.length).toBe((text.match(/^goroutine \d+ gp=/gm) ?? []).length);
    expect(gs.every((g) => /^0x[0-9a-f]+$/.test(g.gp!))).toBe(true);
    const g1 = gs.find((g) => g.id === 1)!;
    expect(g1.m).toBe(3);
    expect(g1.mp).toMatch(/^0x/);
    expect(gs.find((g) => g.id === 2)!.m).toBeUndefined();
    expect(gs.find((g) => g.id === 2)!.state).toBe('force gc (idle)');
    for (const g of gs) {
      for (const f of g.frames) {
        expect(f.file).not.toMatch(/ /);
        expect(f.line).toBeGreaterThan(0);
      }
      // Runtime goroutines' reasons are all known, and classified as the runtime's own.
      expect(waitReason(g.state), g.state).toBeDefined();
    }
    const runtimeOnly = gs.filter((g) => g.frames.every((f) => f.func.startsWith('runtime.')));
    expect(runtimeOnly.length).toBeGreaterThan(3);
    for (const g of runtimeOnly) expect(waitCategory(g.state)).toMatch(/^(gc|runtime)$/);
    expect(gs.find((g) => g.frames.some((f) => f.func === 'main.deep'))!.elidedFrames).toBeGreaterThan(0);
    expect(g1.labels).toBeUndefined();
    expect(gs.find((g) => g.frames.some((f) => f.func === 'main.worker'))!.labels).toEqual([
      { key: 'k2', value: 'a b' },
      { key: 'role', value: 'worker' },
    ]);
  });

  it('proto goroutine profiles: states inferred from frames equal the states debug=2 printed', () => {
    for (const v of VERSIONS) {
      const proto = goroutineSnapshot('p', load(v, 'goroutine.pb.gz'));
      const d2 = goroutineSnapshot('d', load(v, 'goroutine.debug2.txt'));
      const states = (s: typeof proto): Map<string, string | null> => new Map(s.groups.filter((g) => g.function.startsWith('main.') && g.function !== 'main.main').map((g) => [g.function, g.state]));
      const a = states(proto);
      const b = states(d2);
      // A nil channel's receive has the same frames as any receive: frames say "chan receive".
      for (const [f, st] of b) if (f !== 'main.deep' && st !== 'running') expect(a.get(f), `go${v} ${f}`).toBe(f === 'main.nilReceiver' ? 'chan receive' : st);
      expect(b.get('main.nilReceiver')).toBe('chan receive (nil chan)');
    }
  });
});

describe('header syntax', () => {
  const parse = (s: string): GoroutineRecord[] => parseGoroutineDump(enc(s), 't.txt').goroutines;
  const one = (header: string): GoroutineRecord => parse(`${header}\nmain.f()\n\t/src/main.go:3 +0x1\n`)[0]!;

  it('every part of the bracket, in the order goroutineheader prints them', () => {
    const g = one('goroutine 9 gp=0xc0 m=nil [chan receive (nil chan) (leaked) (scan), 5 minutes, locked to thread, synctest bubble 3 labels:{"a]": "b, c", "": ""}]:');
    expect(g).toMatchObject({ id: 9, gp: '0xc0', state: 'chan receive (nil chan)', leaked: true, durable: false, waitMinutes: 5, lockedToThread: true, bubble: 3 });
    expect(g.m).toBeUndefined();
    expect(g.labels).toEqual([
      { key: 'a]', value: 'b, c' },
      { key: '', value: '' },
    ]);
    const h = one('goroutine 10 [sync.WaitGroup.Wait (durable), synctest bubble 1] {k: , : v, "x y": "\\x80\\U0001F600\\u00e9\\x01\\q"}:');
    expect(h).toMatchObject({ state: 'sync.WaitGroup.Wait', durable: true, bubble: 1 });
    expect(h.labels).toEqual([
      { key: 'k', value: '' },
      { key: '', value: 'v' },
      { key: 'x y', value: '\ufffd😀é\u0001\\q' },
    ]);
    // 1.24–1.25 spelled durable "(synctest)".
    expect(one('goroutine 3 [select (synctest)]:')).toMatchObject({ state: 'select', durable: true });
  });

  it('quoted strings the runtime writes', () => {
    expect(readQuoted('"a\\"b\\\\c\\n\\t\\r"', 0)).toEqual({ value: 'a"b\\c\n\t\r', end: 15 });
    expect(readQuoted('"abc', 0)).toBeNull();
    expect(readQuoted('"ab\\', 0)).toBeNull();
  });

  it('sniffing: labelled, gp= and crash forms are goroutine dumps; lookalikes are not', () => {
    for (const s of ['goroutine 7 [select] {k: v, k2: "a b"}:\n', 'goroutine 7 [select labels:{"k": "v"}]:\n', 'goroutine 1 gp=0x1 m=0 mp=0x2 [running]:\n', '--- FAIL: T\npanic: x [recovered, repanicked]\n\ngoroutine 1 [running]:\n']) {
      expect(sniffGoroutineDump(s), s).toBe(true);
      expect(sniffLegacyText(enc(s)), s).toBe('goroutine-debug2');
    }
    for (const s of ['goroutine 7 select:\n', 'hello\ngoroutine 1 [running]:\n', 'goroutine 7 [select] {k: v:\n']) expect(sniffGoroutineDump(s), s).toBe(false);
  });

  it("ancestors (GODEBUG=tracebackancestors) are kept apart from the goroutine's own stack", () => {
    const g = parse(
      'goroutine 5 [chan receive]:\nmain.w()\n\t/m.go:3 +0x1\ncreated by main.s in goroutine 4\n\t/m.go:9 +0x2\n[originating from goroutine 4]:\nmain.s(...)\n\t/m.go:8 +0x3\ncreated by main.main\n\t/m.go:20 +0x4\n',
    )[0]!;
    expect(g.frames.map((f) => f.func)).toEqual(['main.w']);
    expect(g.createdBy).toMatchObject({ func: 'main.s', goroutine: 4 });
    expect(g.ancestors).toEqual([4]);
  });

  it('errors are typed and located', () => {
    const bad = (s: string, code: string, line: number): void => {
      try {
        parse(s);
        expect.unreachable(s);
      } catch (e) {
        expect(e).toBeInstanceOf(HeapscopeError);
        expect((e as HeapscopeError).code).toBe(code);
        expect((e as HeapscopeError).line).toBe(line);
        expect((e as HeapscopeError).file).toBe('t.txt');
        expect((e as HeapscopeError).format).toBe('goroutine-debug2');
      }
    };
    bad('goroutine 1 [x] {k: "v}:\nmain.f()\n\t/a.go:1\n', 'BAD_FORMAT', 1);
    bad('goroutine 1 [running]:\nmain.f()\n\t/a.go:1\n\ngoroutine 2 [x] {:\nmain.f()\n\t/a.go:1\n', 'BAD_FORMAT', 5);
    bad('goroutine 1 [running]:\nmain.f()\n', 'TRUNCATED', 2);
  });
});

describe('wait reasons', () => {
  it('the table holds every reason 1.26 and 1.27 define, once', () => {
    const names = WAIT_REASONS.map((w) => w.reason);
    expect(new Set(names).size).toBe(names.length);
    for (const r of ['sync.Mutex.Lock', 'sync.RWMutex.RLock', 'sync.RWMutex.Lock', 'sync.WaitGroup.Wait', 'GC worker (active)', 'GC mark termination', 'stopping the world', 'coroutine', 'flushing proc caches', 'trace goroutine status', 'GC weak to strong wait', 'synctest.Run', 'synctest.Wait', 'GOMAXPROCS updater (idle)', 'cleanup wait', 'leaked', 'waiting for cgo callback', 'timer goroutine (idle)']) {
      expect(names).toContain(r);
    }
  });

  it('suffixes and categories', () => {
    expect(splitState('chan receive (durable)')).toEqual({ state: 'chan receive', leaked: false, durable: true, scan: false });
    expect(splitState('sync.Mutex.Lock (leaked)')).toEqual({ state: 'sync.Mutex.Lock', leaked: true, durable: false, scan: false });
    expect(splitState('chan send (nil chan)').state).toBe('chan send (nil chan)');
    expect(waitCategory('sync.WaitGroup.Wait (durable)')).toBe('sync');
    expect(waitCategory('semacquire')).toBe('sync');
    expect(waitCategory('select (no cases)')).toBe('select');
    expect(waitCategory('IO wait')).toBe('io');
    expect(waitCategory('GC worker (idle)')).toBe('gc');
    expect(waitCategory('sync.Once.Do')).toBe('sync'); // a newer Go's reason named like the others
    expect(waitCategory('something new')).toBe('unknown');
  });

  it('states from frames, Go 1.19 and 1.24+ sync internals alike', () => {
    expect(inferWaitReason(['internal/sync.runtime_SemacquireMutex', 'internal/sync.(*Mutex).lockSlow', 'internal/sync.(*Mutex).Lock', 'sync.(*Mutex).Lock', 'main.f'])).toBe('sync.Mutex.Lock');
    expect(inferWaitReason(['sync.runtime_Semacquire', 'sync.(*WaitGroup).Wait', 'main.f'])).toBe('sync.WaitGroup.Wait');
    expect(inferWaitReason(['sync.runtime_SemacquireMutex', 'sync.(*Mutex).lockSlow', 'sync.(*Mutex).Lock', 'sync.(*RWMutex).Lock', 'main.f'])).toBe('sync.Mutex.Lock');
    expect(inferWaitReason(['sync.runtime_SemacquireRWMutex', 'sync.(*RWMutex).Lock', 'main.f'])).toBe('sync.RWMutex.Lock');
    expect(inferWaitReason(['runtime.gopark', 'runtime.chanrecv', 'runtime.chanrecv1', 'main.f'])).toBe('chan receive');
    expect(inferWaitReason(['main.f'])).toBeNull();
    expect(normalizeWaitReason('semacquire', ['runtime.semacquire1', 'main.f'])).toBe('semacquire');
  });
});
