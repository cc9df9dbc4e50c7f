/**
 * Issue 11, acceptance 5: fixed-seed fuzzing of every goroutine-dump form new since Go 1.19 —
 * labels in the header (1.26 inside the brackets, 1.27 after them, quoted and bare), gp=/m=/mp=
 * headers and fp=/sp=/pc= frames, (leaked)/(durable) suffixes, synctest bubbles, wait minutes,
 * `...N frames elided...`, `created by F in goroutine N`, ancestors, panic preambles. Mutated and
 * truncated inputs either import (and top, flame graphs, label filters and goroutine snapshots
 * compute) or fail with a HeapscopeError naming the file; none hangs. Generated headers with
 * arbitrary label strings, quoted the way the runtime quotes them, read back exactly.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HeapscopeError } from '../../../shared/errors';
import { computeFlame, computeTop, importProfile } from '../../../shared/profile';
import { parseGoroutineDump } from '../../../shared/profile/legacy/goroutines';
import { goroutineSnapshot } from '../../../shared/compare/goroutines';
import { goroutineFindings } from '../../../shared/findings/rules/goroutines';
import { gunzip } from './helpers';

const RUNS = 1500;
const MAX_MS_PER_INPUT = 2000;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

// Excerpts of real output (test/fixtures/modern/goroutines), one per form.
const SEEDS: Record<string, string> = {
  'labels 1.26': [
    'goroutine 3 [chan receive, 1 minutes labels:{"k2": "a b", "role": "worker"}]:',
    'main.worker(...)',
    '\t/tmp/gdump/main.go:43',
    'created by main.main.func1 in goroutine 1',
    '\t/tmp/gdump/main.go:157 +0x45',
    '',
    'goroutine 31 [sync.WaitGroup.Wait labels:{"odd key": "q\\"uote\\\\back]\\tend, x=\\u00fc", "role": "wg"}]:',
    'sync.runtime_SemacquireWaitGroup(0x0?, 0x0?)',
    '\t/usr/local/go/src/runtime/sema.go:114 +0x2e',
    'main.wgWaiter()',
    '\t/tmp/gdump/main.go:79 +0x1a',
    '',
  ].join('\n'),
  'labels 1.27': [
    'goroutine 32 [sync.WaitGroup.Wait, 1 minutes] {"odd key": "q\\"uote\\\\back]\\tend, x=\\u00fc", role: wg}:',
    'sync.(*WaitGroup).Wait(0x630930)',
    '\t/go/src/sync/waitgroup.go:206 +0x85',
    'main.wgWaiter()',
    '\t/tmp/gdump27/main.go:79 +0x1a',
    'created by main.main.func4 in goroutine 1',
    '\t/tmp/gdump27/main.go:173 +0x25',
    '',
    'goroutine 35 [select] {path: /api/v1.users_x, role: select}:',
    'main.selector()',
    '\t/tmp/gdump27/main.go:53 +0x54',
    '',
  ].join('\n'),
  'system + panic': [
    'panic: boom 42 [recovered, repanicked]',
    '',
    'goroutine 1 gp=0x14de75ea41e0 m=3 mp=0x14de75edf008 [running]:',
    'panic({0x5f0a90?, 0x14de75ec40c0?})',
    '\t/go/src/runtime/panic.go:878 +0x159 fp=0x14de75f04cf0 sp=0x14de75f04c48 pc=0x47f279',
    'main.main()',
    '\t/tmp/gdump27/main.go:207 +0x6be fp=0x14de75f04eb8 sp=0x14de75f04db8 pc=0x4eccde',
    'runtime.goexit({})',
    '\t/go/src/runtime/asm_amd64.s:1264 +0x1 fp=0x14de75f04fe8 sp=0x14de75f04fe0 pc=0x485bc1',
    '',
    'goroutine 2 gp=0x14de75ea4780 m=nil [force gc (idle)]:',
    'runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)',
    '\t/go/src/runtime/proc.go:474 +0xca fp=0x14de75edafa8 sp=0x14de75edaf88 pc=0x47f72a',
    'created by runtime.init.7 in goroutine 1',
    '\t/go/src/runtime/proc.go:375 +0x1a',
    '',
  ].join('\n'),
  'leaked + bubble': [
    'goroutine 26 [chan receive (nil chan) (leaked)]:',
    'main.nilReceiver()',
    '\t/tmp/gdump/main.go:59 +0x1d',
    '',
    'goroutine 34 [chan receive (leaked) labels:{"role": "leaky"}]:',
    'main.leakyRecv()',
    '\t/tmp/gdump/main.go:119 +0x25',
    '',
    'goroutine 11 [chan receive (durable), synctest bubble 1] {in: bubble}:',
    'example.com/bubble.TestBubble.func2.1.1()',
    '\t/tmp/bubble/bubble_test.go:27 +0x1d',
    'created by example.com/bubble.TestBubble.func2.1 in goroutine 10',
    '\t/tmp/bubble/bubble_test.go:27 +0x6d',
    '',
    'goroutine 15 [sleep (durable), synctest bubble 1]:',
    'time.Sleep(0x34630b8a000)',
    '\t/go/src/runtime/time.go:361 +0x145',
    '',
  ].join('\n'),
  'elided + ancestors + locked': [
    'goroutine 45 [chan receive, 1 minutes, locked to thread]:',
    'main.deep(0x0?)',
    '\t/tmp/gdump27/main.go:102 +0x25',
    '...21 frames elided...',
    'main.deep(0x0?)',
    '\t/tmp/gdump27/main.go:105 +0x35',
    'created by main.main in goroutine 1',
    '\t/tmp/gdump27/main.go:193 +0x4bd',
    '[originating from goroutine 1]:',
    'main.main(...)',
    '\t/tmp/gdump27/main.go:193 +0x4bd',
    '...additional frames elided...',
    '',
    'goroutine 7 [running]:',
    '\tgoroutine running on other thread; stack unavailable',
    'created by main.main in goroutine 1',
    '\t/tmp/gdump27/main.go:190 +0x4bd',
    '',
  ].join('\n'),
};

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'duplicate'; at: number; len: number };

/** Insertions favour the characters the header grammar is made of. */
const grammarText = fc.oneof(
  fc.constantFrom('"', '\\', ']', '[', '{', '}', ':', ', ', ' labels:{', ' (leaked)', ' (durable)', ', synctest bubble ', ' gp=0x1 m=nil ', '\\x', '\\u00', '\\U', '...', '\n', '\t', 'goroutine 9 [', 'created by '),
  fc.string({ maxLength: 8 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: grammarText }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 120 }) }),
);

function apply(b: Uint8Array, m: Mutation): Uint8Array {
  const n = b.length;
  const at = n === 0 ? 0 : m.at % (n + 1);
  const cat = (...parts: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  };
  switch (m.kind) {
    case 'truncate':
      return b.slice(0, at);
    case 'flip': {
      const c = b.slice();
      if (n > 0) c[at % n] = m.value;
      return c;
    }
    case 'insert':
      return cat(b.subarray(0, at), enc(m.text), b.subarray(at));
    case 'delete':
      return cat(b.subarray(0, at), b.subarray(Math.min(n, at + m.len)));
    case 'duplicate':
      return cat(b.subarray(0, Math.min(n, at + m.len)), b.subarray(at));
  }
}

function exercise(input: Uint8Array, name: string): void {
  const t0 = performance.now();
  try {
    const r = importProfile(input, name, { gunzip });
    computeTop(r.profile, { granularity: 'lines', filters: { tagFocus: ['role=worker'], tagIgnore: ['leaked=true'] } });
    computeFlame(r.profile, {});
    const snap = goroutineSnapshot(name, r);
    goroutineFindings([{ name, snapshot: snap }], 'goroutine dumps');
  } catch (e) {
    if (!(e instanceof HeapscopeError)) throw new Error(`untyped error on a mutated ${name}: ${e instanceof Error ? e.stack : String(e)}`);
    expect(typeof e.code).toBe('string');
    expect(e.file).toBe(name);
  }
  const ms = performance.now() - t0;
  if (ms > MAX_MS_PER_INPUT) throw new Error(`input took ${ms.toFixed(0)} ms (hang?)`);
}

/** The runtime's printquoted (runtime/print.go), as the oracle for generated labels. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (r >= 0x20 && r <= 0x7e) out += ch;
    else if (r < 127) out += `\\x${r.toString(16).padStart(2, '0')}`;
    else if (r < 0x10000) out += `\\u${r.toString(16).padStart(4, '0')}`;
    else out += `\\U${r.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** Go 1.27: quoted only when a character is outside [A-Za-z0-9./_]. */
const go127 = (s: string): string => (/^[A-Za-z0-9./_]*$/.test(s) ? s : goQuote(s));

describe('fuzz: goroutine dumps of every new form', () => {
  let seed = 11011;
  for (const [form, text] of Object.entries(SEEDS)) {
    const s = seed++;
    it(`${form}: ${RUNS} mutated inputs`, () => {
      const bytes = enc(text);
      const ok = importProfile(bytes, form, { gunzip });
      expect(ok.goroutines!.length).toBeGreaterThan(1);
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
          let b = bytes;
          for (const m of ms) b = apply(b, m);
          exercise(b, form);
        }),
        { seed: s, numRuns: RUNS },
      );
    });
  }

  it('generated headers: any label strings, both quoting styles, every bracket part, read back exactly', () => {
    const label = fc.record({ key: fc.string({ maxLength: 12, unit: 'binary' }), value: fc.string({ maxLength: 12, unit: 'binary' }) });
    const header = fc.record({
      id: fc.integer({ min: 1, max: 1e9 }),
      state: fc.constantFrom('chan receive', 'select', 'sync.Mutex.Lock', 'chan send (nil chan)', 'IO wait', 'running', 'GC worker (idle)'),
      leaked: fc.boolean(),
      durable: fc.boolean(),
      minutes: fc.option(fc.integer({ min: 1, max: 100000 }), { nil: undefined }),
      locked: fc.boolean(),
      bubble: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
      system: fc.boolean(),
      style: fc.constantFrom('1.26', '1.27'),
      labels: fc.array(label, { maxLength: 4 }),
    });
    fc.assert(
      fc.property(header, (h) => {
        let inner = h.state;
        if (h.leaked) inner += ' (leaked)';
        if (h.durable) inner += ' (durable)';
        if (h.minutes !== undefined) inner += `, ${h.minutes} minutes`;
        if (h.locked) inner += ', locked to thread';
        if (h.bubble !== undefined) inner += `, synctest bubble ${h.bubble}`;
        let line = `goroutine ${h.id}${h.system ? ' gp=0xc000001 m=nil' : ''} [${inner}`;
        if (h.labels.length > 0 && h.style === '1.26') line += ` labels:{${h.labels.map((l) => `${goQuote(l.key)}: ${goQuote(l.value)}`).join(', ')}}`;
        line += ']';
        if (h.labels.length > 0 && h.style === '1.27') line += ` {${h.labels.map((l) => `${go127(l.key)}: ${go127(l.value)}`).join(', ')}}`;
        const text = `${line}:\nmain.f()\n\t/src/main.go:3 +0x1\n`;
        const g = parseGoroutineDump(enc(text), 'gen.txt').goroutines[0]!;
        expect(g.id).toBe(h.id);
        expect(g.state).toBe(h.state);
        expect(g.leaked).toBe(h.leaked);
        expect(g.durable).toBe(h.durable);
        expect(g.waitMinutes).toBe(h.minutes);
        expect(g.lockedToThread).toBe(h.locked);
        expect(g.bubble).toBe(h.bubble);
        // Lone surrogates cannot travel through UTF-8: the runtime would print \ufffd's code.
        const clean = (s: string): string => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
        if (h.labels.length > 0) expect(g.labels).toEqual(h.labels.map((l) => ({ key: clean(l.key), value: clean(l.value) })));
        else expect(g.labels).toBeUndefined();
        expect(g.frames).toEqual([{ func: 'main.f', file: '/src/main.go', line: 3 }]);
      }),
      { seed: 4242, numRuns: 2000 },
    );
  });
});
