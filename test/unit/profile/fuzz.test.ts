/**
 * Acceptance 3: fuzzing every importer with a fixed seed — 2,000 mutated or truncated inputs each
 * (byte flips, insertions, deletions, duplications, truncations, 0xff runs) — finds no crash,
 * hang or untyped error: every input either imports (and then top and flame graphs compute) or
 * fails with a HeapscopeError carrying a code and the file name. Each input is timed.
 */
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { HeapscopeError } from '../../../shared/errors';
import { computeFlame, computeTop, encodeProfile, importProfile } from '../../../shared/profile';
import { syntheticCpuProfile } from '../../bench/synthetic-profile';
import { gunzip } from './helpers';

const RUNS = 2000;
const MAX_MS_PER_INPUT = 2000;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

const SEEDS: Record<string, Uint8Array> = {
  'pprof (raw protobuf)': encodeProfile(syntheticCpuProfile({ samples: 40, locations: 60, functions: 40, fanout: 3, minDepth: 2, maxDepth: 9, seed: 11 })),
  'heap-debug1': enc(
    'heap profile: 3: 3000 [7: 70000] @ heap/1048576\n1: 1000 [5: 50000] @ 0x4b606f 0x4b6674 0x4378d2\n#\t0x4b606e\tmain.leakBig+0x2e\t/src/main.go:17\n#\t0x4b6673\tmain.main+0xf3\t\t/src/main.go:73\n\n2: 2000 [2: 20000] @ 0x40d96e 0x4b6674\n#\t0x4b6673\tmain.main+0xf3\t/src/main.go:73\n\n# runtime.MemStats\n# Alloc = 10300520\n# NumGC = 3\n',
  ),
  'goroutine-debug1': enc(
    'goroutine profile: total 12\n10 @ 0x437c96 0x40619b 0x4b643b 0x462401\n# labels: {"a":"b"}\n#\t0x4b643a\tmain.blocker+0x1a\t/tmp/main.go:46\n\n2 @ 0x4b643b\n#\t0x4b643a\tmain.blocker+0x1a\t/tmp/main.go:46\n\n',
  ),
  'mutex-debug1': enc('--- mutex:\ncycles/second=2596140246\nsampling period=5\n514774 2 @ 0x4b6365 0x4b634a 0x462401\n#\t0x4b6364\tsync.(*Mutex).Unlock+0xc4\t/go/sync/mutex.go:223\n#\t0x4b6349\tmain.contend+0xa9\t/tmp/main.go:42\n\n'),
  'block-debug1': enc('--- contention:\ncycles/second=2596140246\n353967601 1 @ 0x405cd8 0x4ac5a5\n#\t0x405cd7\truntime.chanrecv1+0x17\t/go/runtime/chan.go:442\n#\t0x4ac5a4\tmain.wait+0xa4\t/src/main.go:8\n\n'),
  'goroutine-debug2': enc(
    'goroutine 1 [running]:\nmain.main()\n\t/src/main.go:10 +0x1d\n\ngoroutine 7 [chan receive, 12 minutes]:\nmain.(*S).wait(0xc0, {0x4f, 0xc0})\n\t/src/s.go:57 +0x45\nmain.worker(...)\n\t/src/s.go:30\ncreated by main.main in goroutine 1\n\t/src/main.go:20 +0x66\n\n',
  ),
};

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'duplicate'; at: number; len: number }
  | { kind: 'ffrun'; at: number; len: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('ffrun' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
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
      return cat(b.subarray(0, at), m.bytes, b.subarray(at));
    case 'delete':
      return cat(b.subarray(0, at), b.subarray(Math.min(n, at + m.len)));
    case 'duplicate':
      return cat(b.subarray(0, Math.min(n, at + m.len)), b.subarray(at));
    case 'ffrun':
      return cat(b.subarray(0, at), new Uint8Array(m.len).fill(0xff), b.subarray(at));
  }
}

/** Imports and analyses; returns normally or throws a HeapscopeError, never anything else. */
function exercise(input: Uint8Array, name: string): void {
  const t0 = performance.now();
  try {
    const r = importProfile(input, name, { gunzip });
    for (let si = 0; si < r.profile.sampleTypes.length; si++) {
      const top = computeTop(r.profile, { sampleIndex: si, granularity: 'lines' });
      computeTop(r.profile, { sampleIndex: si, granularity: 'files', filters: { focus: 'main', hide: 'runtime', tagFocus: ['bytes=1kb:'] } });
      computeFlame(r.profile, { sampleIndex: si });
      computeFlame(r.profile, { sampleIndex: si, inverted: true, minFraction: 0 });
      if (top.rows[0]) computeFlame(r.profile, { sampleIndex: si, pivot: top.rows[0].name });
    }
  } catch (e) {
    if (!(e instanceof HeapscopeError)) throw new Error(`untyped error on a mutated ${name}: ${e instanceof Error ? e.stack : String(e)}`);
    expect(typeof e.code).toBe('string');
    if (e.code !== 'BAD_REQUEST') expect(e.file).toBe(name);
  }
  const ms = performance.now() - t0;
  if (ms > MAX_MS_PER_INPUT) throw new Error(`input took ${ms.toFixed(0)} ms (hang?)`);
}

describe('fuzz: every importer survives mutated and truncated input', () => {
  let seed = 20240611;
  for (const [format, bytes] of Object.entries(SEEDS)) {
    const s = seed++;
    it(`${format}: ${RUNS} inputs`, () => {
      exercise(bytes, format); // the seed itself imports
      expect(() => importProfile(bytes, format, { gunzip })).not.toThrow();
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
          let b = bytes;
          for (const m of ms) b = apply(b, m);
          exercise(b, format);
        }),
        { seed: s, numRuns: RUNS },
      );
    });
  }

  it(`pprof (gzip): ${RUNS} inputs, corrupting both the gzip stream and the profile inside`, () => {
    const raw = SEEDS['pprof (raw protobuf)']!;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), (ms, inside) => {
        let b: Uint8Array;
        if (inside) {
          let r = raw;
          for (const m of ms) r = apply(r, m);
          b = new Uint8Array(gzipSync(r));
        } else {
          b = new Uint8Array(gzipSync(raw));
          for (const m of ms) b = apply(b, m);
        }
        exercise(b, 'profile.pb.gz');
      }),
      { seed: 7, numRuns: RUNS },
    );
  });
});
