/**
 * Fuzzing the goroutine leak profile's forms with a fixed seed (issue 11, acceptance 5): real Go
 * 1.27 and 1.26+experiment outputs (proto raw and gzipped, debug=1, debug=2 with "(leaked)"
 * goroutines) mutated — byte flips, insertions, deletions, duplications, truncations, line swaps —
 * through the importer, the leaked-goroutines finding (and the whole findings engine), and the
 * capture body check. No crash, no hang, only HeapscopeErrors naming the file.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { checkBody } from '../../../electron/services/capture/capture';
import { HeapscopeError } from '../../../shared/errors';
import { computeFindings } from '../../../shared/findings';
import { computeTop, importProfile } from '../../../shared/profile';

const FIX = join(__dirname, '../../fixtures/modern/leakprofile');
const RUNS = 600;
const MAX_MS = 2000;

const gunzip = (b: Uint8Array): Uint8Array => {
  const o = gunzipSync(b);
  return new Uint8Array(o.buffer, o.byteOffset, o.byteLength);
};
const bytes = (p: string): Uint8Array => new Uint8Array(readFileSync(p));

const SEEDS: Record<string, Uint8Array> = {};
for (const v of ['go1.27', 'go1.26x']) {
  const gz = bytes(join(FIX, v, 'goroutineleak.pb.gz'));
  SEEDS[`${v} proto (raw)`] = gunzip(gz);
  SEEDS[`${v} debug=1`] = bytes(join(FIX, v, 'goroutineleak.debug1.txt'));
  SEEDS[`${v} debug=2`] = bytes(join(FIX, v, 'goroutineleak.debug2.txt'));
}
SEEDS['go1.27 proto (gzip)'] = bytes(join(FIX, 'go1.27', 'goroutineleak.pb.gz'));

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'text'; at: number; text: string }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'duplicate'; at: number; len: number }
  | { kind: 'swapLines'; a: number; b: number };

const TOKENS = [' (leaked)', ' (durable)', '(leaked)', 'goroutineleak profile: total ', '# labels: {"k":"v"}\n', '[select (leaked)]:', ' @ 0x', '\n\n', 'created by ', ' in goroutine ', '{k: "a b"}', '...additional frames elided...\n'];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('text' as const), at: fc.nat(), text: fc.constantFrom(...TOKENS) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
);

function apply(input: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = input;
  for (const m of ms) {
    const at = b.length === 0 ? 0 : ('at' in m ? m.at : 0) % (b.length + 1);
    switch (m.kind) {
      case 'truncate':
        b = b.subarray(0, at);
        break;
      case 'flip':
        if (b.length > 0) {
          b = b.slice();
          b[at % b.length] = m.value;
        }
        break;
      case 'insert':
      case 'text': {
        const ins = m.kind === 'insert' ? m.bytes : new TextEncoder().encode(m.text);
        const o = new Uint8Array(b.length + ins.length);
        o.set(b.subarray(0, at));
        o.set(ins, at);
        o.set(b.subarray(at), at + ins.length);
        b = o;
        break;
      }
      case 'delete': {
        const head = b.subarray(0, at);
        const tail = b.subarray(Math.min(b.length, at + m.len));
        const o = new Uint8Array(head.length + tail.length);
        o.set(head);
        o.set(tail, head.length);
        b = o;
        break;
      }
      case 'duplicate': {
        const piece = b.subarray(at, Math.min(b.length, at + m.len));
        const o = new Uint8Array(b.length + piece.length);
        o.set(b.subarray(0, at + piece.length));
        o.set(piece, at + piece.length);
        o.set(b.subarray(at + piece.length), at + 2 * piece.length);
        b = o;
        break;
      }
      case 'swapLines': {
        const lines = new TextDecoder('latin1').decode(b).split('\n');
        if (lines.length > 1) {
          const i = m.a % lines.length;
          const j = m.b % lines.length;
          [lines[i], lines[j]] = [lines[j]!, lines[i]!];
          b = Uint8Array.from(lines.join('\n'), (c) => c.charCodeAt(0) & 0xff);
        }
        break;
      }
    }
  }
  return b;
}

describe('goroutine leak profile fuzz (fixed seed)', () => {
  for (const [name, seed] of Object.entries(SEEDS)) {
    it(`${name}: import, findings, top: typed errors only, bounded time`, () => {
      let imported = 0;
      let failed = 0;
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
          // A gzipped seed: mostly mutate what is inside and gzip it again (every Node's zlib
          // refuses nearly any change to the compressed bytes, so only the error path would be
          // reached); runs of four mutations corrupt the compressed bytes themselves.
          const data = name.includes('(gzip)') && ms.length !== 4 ? new Uint8Array(gzipSync(apply(new Uint8Array(gunzipSync(seed)), ms))) : apply(seed, ms);
          const t0 = performance.now();
          try {
            const imp = importProfile(data, 'fuzz.input', { gunzip });
            const r = computeFindings([{ name: 'fuzz.input', kind: 'profile', imported: imp }]);
            for (const f of r.findings) {
              expect(Number.isFinite(f.size)).toBe(true);
              if (f.kind === 'leaked-goroutines') expect(f.evidence.count as number).toBeGreaterThan(0);
            }
            computeTop(imp.profile, {});
            imported++;
          } catch (e) {
            if (!(e instanceof HeapscopeError)) throw e;
            expect(e.code).toMatch(/^(BAD_FORMAT|TRUNCATED|UNSUPPORTED)$/);
            expect(e.file).toBe('fuzz.input');
            failed++;
          }
          expect(performance.now() - t0).toBeLessThan(MAX_MS);
        }),
        { seed: 11_2026, numRuns: RUNS },
      );
      // Both outcomes happen: the fuzzer reaches the parsers' error paths and their success paths.
      expect(imported + failed).toBe(RUNS);
      expect(imported).toBeGreaterThan(0);
    });
  }

  it('the capture body check for goroutineleak (proto, debug=1, debug=2): typed errors only', () => {
    const forms: Array<[number, Uint8Array]> = [
      [0, SEEDS['go1.27 proto (gzip)']!],
      [1, SEEDS['go1.27 debug=1']!],
      [2, SEEDS['go1.27 debug=2']!],
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.array(mutation, { minLength: 0, maxLength: 3 }), (k, ms) => {
        const [debug, seed] = forms[k]!;
        const body = apply(seed, ms);
        try {
          const f = checkBody('http://127.0.0.1:1/debug/pprof/goroutineleak', 'goroutineleak', debug ? { debug: debug as 1 | 2 } : {}, body, 'text/plain');
          expect(f).toBe(debug ? 'text' : 'pprof-gzip');
        } catch (e) {
          if (!(e instanceof HeapscopeError)) throw e;
          expect(e.code).toBe('NETWORK');
        }
      }),
      { seed: 11_2026, numRuns: RUNS },
    );
    // Unmutated, every form passes; a gzipped body re-gzipped stays proto.
    for (const [debug, seed] of forms) expect(checkBody('http://x/debug/pprof/goroutineleak', 'goroutineleak', debug ? { debug: debug as 1 | 2 } : {}, seed, '')).toBe(debug ? 'text' : 'pprof-gzip');
    expect(checkBody('http://x/', 'goroutineleak', {}, new Uint8Array(gzipSync(SEEDS['go1.27 proto (raw)']!)), '')).toBe('pprof-gzip');
  });
});
