/**
 * The fast profile.proto decoder (shared/profile/proto/fast.ts + asm.ts) against the reference
 * decoder (decode.ts, itself checked against pprof-format in proto.test.ts) as the oracle:
 *   - every protobuf profile under test/fixtures (the committed ones and the Go version matrix's
 *     outputs where built): the fast path takes each one and its Profile is identical;
 *   - random profiles shaped like Go's (dense ids, Go's packing rule): taken and identical;
 *   - random profiles of every shape (sparse and 64-bit ids, unpacked and unknown fields, bad
 *     references, wrong wire types, odd strings): identical whenever taken, never taken when the
 *     reference rejects the input; decodeProfileProto gives the reference's answer or error;
 *   - mutated and truncated encodings: decodeProfileProto answers exactly as the reference;
 *   - the asm.js module validates (V8 compiles it instead of interpreting it).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { HeapscopeError } from '../../../shared/errors';
import type { Profile } from '../../../shared/profile/model';
import { decodeProfileProto, decodeProfileProtoReference } from '../../../shared/profile/proto/decode';
import { decodeProfileProtoFast, FAST_MAX_INPUT } from '../../../shared/profile/proto/fast';
import { NO_TASK } from '../../../shared/task';
import { encodeProfile } from '../../../shared/profile';
import { syntheticCpuProfile } from '../../bench/synthetic-profile';
import { matrixRuns, requireMatrix } from '../../helpers/matrix';
import { ROOT } from './helpers';

type Outcome = { ok: true; profile: Profile } | { ok: false; error: { code: string; message: string; offset: number | undefined } };

function outcome(f: () => Profile): Outcome {
  try {
    return { ok: true, profile: f() };
  } catch (e) {
    if (e instanceof HeapscopeError) return { ok: false, error: { code: e.code, message: e.message, offset: e.offset } };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// fixtures

const FIXTURES = join(ROOT, 'test', 'fixtures');

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (p !== join(FIXTURES, 'big')) yield* walk(p);
    } else yield p;
  }
}

/**
 * Every fixture file that is a protobuf profile (gzipped or not), raw bytes. Empty files are left
 * out: an empty message is a valid profile, and the matrix's empty text goldens (a `-list` of a
 * block profile with no contention in that run) made the count of these tests change from run to
 * run; the empty message has its own test below.
 */
function fixtureProtos(): Array<{ name: string; raw: Uint8Array }> {
  const out: Array<{ name: string; raw: Uint8Array }> = [];
  for (const file of walk(FIXTURES)) {
    let b: Uint8Array = readFileSync(file);
    if (b.length === 0) continue;
    if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) {
      try {
        b = gunzipSync(b);
      } catch {
        continue;
      }
    }
    const r = outcome(() => decodeProfileProtoReference(b, file));
    if (r.ok) out.push({ name: relative(FIXTURES, file), raw: b });
  }
  return out;
}

describe('fast decoder on every fixture profile', () => {
  requireMatrix();
  const protos = fixtureProtos();

  it('finds the committed profiles and every built matrix run', () => {
    expect(protos.filter((p) => p.name.startsWith('modern/') || p.name.startsWith('extra/')).length).toBeGreaterThanOrEqual(30);
    expect(protos.filter((p) => p.name.startsWith('out/go1.19/leakyapp/')).length).toBeGreaterThanOrEqual(8);
    for (const run of matrixRuns().filter((r) => r.program !== 'typed')) {
      expect(protos.some((p) => join(FIXTURES, p.name).startsWith(run.dir + '/')), `${run.dir} has profiles`).toBe(true);
    }
  });

  for (const { name, raw } of protos) {
    it(`takes ${name} and decodes it identically`, () => {
      const fast = decodeProfileProtoFast(raw, NO_TASK);
      expect(fast).not.toBeNull();
      expect(fast).toStrictEqual(decodeProfileProtoReference(raw, name));
    });
  }

  it('takes an empty message (a profile with no fields) and decodes it identically', () => {
    const raw = new Uint8Array(0);
    const fast = decodeProfileProtoFast(raw, NO_TASK);
    expect(fast).not.toBeNull();
    expect(fast).toStrictEqual(decodeProfileProtoReference(raw, 'empty'));
  });

  it('takes a synthetic big profile and decodes it identically', () => {
    const raw = encodeProfile(syntheticCpuProfile({ samples: 3000, locations: 5000, functions: 3000, fanout: 6, minDepth: 5, maxDepth: 40, seed: 3 }));
    const fast = decodeProfileProtoFast(raw, NO_TASK);
    expect(fast).not.toBeNull();
    expect(fast).toStrictEqual(decodeProfileProtoReference(raw, 'synthetic'));
  });
});

// ---------------------------------------------------------------------------------------------
// random profiles

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): { int(n: number): number; chance(p: number): boolean; big(bits: number): bigint } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    big: (bits) => {
      let x = 0n;
      for (let i = 0; i < bits; i += 16) x = (x << 16n) | BigInt(Math.floor(next() * 65536));
      return BigInt.asUintN(bits, x);
    },
  };
}

/** Protobuf writer with every encoding choice open (packed or not, field order, explicit zeros). */
class W {
  b: number[] = [];
  varint(v: bigint | number): this {
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.b.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.b.push(Number(x));
    return this;
  }
  tag(f: number, w: number): this {
    return this.varint(f * 8 + w);
  }
  int(f: number, v: bigint | number): this {
    return this.tag(f, 0).varint(v);
  }
  bytes(f: number, b: ArrayLike<number>): this {
    this.tag(f, 2).varint(b.length);
    for (let i = 0; i < b.length; i++) this.b.push(b[i]!);
    return this;
  }
  msg(f: number, m: W): this {
    return this.bytes(f, m.b);
  }
  packed(f: number, vs: Array<bigint | number>): this {
    const m = new W();
    for (const v of vs) m.varint(v);
    return this.msg(f, m);
  }
}

type Rng = ReturnType<typeof rng>;

const ODDITIES = ['noStrings', 'badUtf8', 'firstString', 'stringRange', 'sparseIds', 'zeroId', 'duplicateId', 'badReference', 'unknownField', 'wrongWire', 'valueCount', 'longTag', 'noSampleTypes'] as const;
type Oddity = (typeof ODDITIES)[number];
/** Values at the edges of the (lo, hi) halves, of 2^53 and of int64. */
const EDGES = [-1n, -(1n << 31n), -(1n << 32n), -(1n << 32n) - 1n, -(1n << 53n), -(1n << 53n) - 1n, -(1n << 63n), (1n << 31n) - 1n, 1n << 31n, (1n << 32n) - 1n, 1n << 32n, (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, (1n << 63n) - 1n];

/**
 * A random profile's encoding. `go`: what Go writes (dense ids from 1, every reference valid,
 * repeated fields packed when they have more than two entries, zero fields left out); otherwise
 * any shape, valid or not.
 */
function randomProfile(r: Rng, go: boolean): Uint8Array {
  // Each oddity is on for some profiles only, so that many profiles have none or one.
  const on = new Set(go ? [] : ODDITIES.filter(() => r.chance(0.12)));
  const odd = (kind: Oddity, p: number): boolean => on.has(kind) && r.chance(p);
  const ALPHABET = ['a', 'b', '.', '/', '(', ')', '[', ']', '<', '>', ':', ' ', 'é', '世', '😀', 'go.shape.int', 'main', 'runtime'];
  const nStr = odd('noStrings', 1) ? 0 : 1 + r.int(30);
  const strings: Uint8Array[] = [];
  for (let i = 0; i < nStr; i++) {
    let s = '';
    const n = i === 0 ? 0 : r.int(8);
    for (let j = 0; j < n; j++) s += ALPHABET[r.int(ALPHABET.length)];
    const bytes = new TextEncoder().encode(s);
    strings.push(odd('badUtf8', 0.3) && bytes.length > 0 ? Uint8Array.of(...bytes.slice(0, bytes.length - 1), 0xff) : bytes);
  }
  if (odd('firstString', 1) && nStr > 0) strings[0] = Uint8Array.of(0x61);
  const str = (): number => (odd('stringRange', 0.05) ? nStr + r.int(5) : nStr > 0 ? r.int(nStr) : 0);
  const edge = (): bigint => EDGES[r.int(EDGES.length)]!;
  const i64 = (): bigint => (r.chance(0.6) ? BigInt(r.int(100000)) : r.chance(0.5) ? BigInt.asIntN(64, edge()) : BigInt.asIntN(64, r.big(64)));
  const u64 = (): bigint => (r.chance(0.5) ? BigInt(r.int(1 << 20)) : r.chance(0.5) ? BigInt.asUintN(64, edge()) : r.big(64));
  const ids = (n: number): bigint[] => {
    let out: bigint[] = Array.from({ length: n }, (_, i) => BigInt(i + 1));
    if (on.has('sparseIds')) out = out.map(() => (r.chance(0.5) ? BigInt(1 + r.int(5 * n + 2000)) : r.big(64)));
    if (n > 0 && odd('zeroId', 0.5)) out[r.int(n)] = 0n;
    if (n > 1 && odd('duplicateId', 0.5)) out[1] = out[0]!;
    return out;
  };
  const ref = (pool: bigint[]): bigint => (pool.length === 0 || odd('badReference', 0.05) ? BigInt(r.int(3)) + (r.chance(0.5) ? r.big(40) : 0n) : pool[r.int(pool.length)]!);
  const repeated = (w: W, f: number, vs: Array<bigint | number>): void => {
    if (vs.length === 0) return;
    if (go ? vs.length > 2 : r.chance(0.7)) w.packed(f, vs);
    else for (const v of vs) w.int(f, v);
  };
  const field = (w: W, f: number, v: bigint | number): void => {
    if (BigInt(v) !== 0n || (!go && r.chance(0.2))) w.int(f, v);
  };
  const top: Array<[number, W | Uint8Array | bigint]> = [];

  const nT = odd('noSampleTypes', 1) ? 0 : 1 + r.int(3);
  for (let i = 0; i < nT; i++) {
    const m = new W();
    field(m, 1, str());
    field(m, 2, str());
    top.push([1, m]);
  }
  const mapIds = ids(r.int(4));
  for (const id of mapIds) {
    const m = new W();
    field(m, 1, id);
    field(m, 2, u64());
    field(m, 3, u64());
    field(m, 4, u64());
    field(m, 5, str());
    field(m, 6, str());
    for (let f = 7; f <= 10; f++) field(m, f, r.chance(0.5) ? 1 : 0);
    top.push([3, m]);
  }
  const fnIds = ids(r.int(12));
  for (const id of fnIds) {
    const m = new W();
    field(m, 1, id);
    field(m, 2, str());
    field(m, 3, str());
    field(m, 4, str());
    field(m, 5, i64());
    top.push([5, m]);
  }
  const locIds = ids(r.int(16));
  for (const id of locIds) {
    const m = new W();
    field(m, 1, id);
    if (r.chance(0.8)) field(m, 2, ref(mapIds));
    field(m, 3, u64());
    const nl = fnIds.length > 0 || odd('badReference', 0.5) ? r.int(4) : 0;
    for (let j = 0; j < nl; j++) {
      const line = new W();
      field(line, 1, ref(fnIds));
      field(line, 2, i64());
      field(line, 3, i64());
      m.msg(4, line);
    }
    if (r.chance(0.2)) field(m, 5, 1);
    if (odd('unknownField', 0.2)) m.int(20 + r.int(10), 7);
    if (odd('wrongWire', 0.2)) m.int(4, 3); // Location.line as a varint
    top.push([4, m]);
  }
  const nS = r.int(24);
  for (let i = 0; i < nS; i++) {
    const m = new W();
    const depth = locIds.length > 0 || odd('badReference', 0.5) ? r.int(12) : 0;
    repeated(m, 1, Array.from({ length: depth }, () => ref(locIds)));
    const nv = odd('valueCount', 0.2) ? r.int(4) : nT;
    repeated(m, 2, Array.from({ length: nv }, () => (r.chance(0.8) ? BigInt(r.int(1 << 24)) : i64())));
    const nl = r.chance(0.3) ? r.int(4) : 0;
    for (let j = 0; j < nl; j++) {
      const l = new W();
      // pprof keeps a label with a string, or else a non-zero number or a unit
      field(l, 1, str());
      if (r.chance(0.5)) field(l, 2, str());
      if (r.chance(0.6)) field(l, 3, r.chance(0.3) ? 0 : i64());
      if (r.chance(0.4)) field(l, 4, str());
      m.msg(3, l);
    }
    if (odd('unknownField', 0.2)) m.int(9, 1);
    top.push([2, m]);
  }
  for (const s of strings) top.push([6, s]);
  if (r.chance(0.3)) {
    const m = new W();
    field(m, 1, str());
    field(m, 2, str());
    top.push([11, m]);
  }
  for (const f of [7, 8, 14, 15]) if (r.chance(0.3)) top.push([f, BigInt(str())]);
  for (const f of [9, 10, 12]) if (r.chance(0.5)) top.push([f, i64()]);
  const nc = r.chance(0.2) ? r.int(4) : 0;
  for (let i = 0; i < nc; i++) top.push([13, BigInt(str())]);

  // Go writes tables as it meets them; any other writer may order them otherwise.
  let order = top;
  if (!go || r.chance(0.5)) {
    // A random interleaving that keeps each kind's own order (it numbers the table).
    const queues = new Map<number, Array<[number, W | Uint8Array | bigint]>>();
    for (const e of top) queues.set(e[0], [...(queues.get(e[0]) ?? []), e]);
    const qs = [...queues.values()];
    order = [];
    while (qs.length > 0) {
      const i = r.int(qs.length);
      order.push(qs[i]!.shift()!);
      if (qs[i]!.length === 0) qs.splice(i, 1);
    }
  }
  const w = new W();
  for (const [f, v] of order) {
    if (v instanceof W) w.msg(f, v);
    else if (v instanceof Uint8Array) w.bytes(f, v);
    else w.int(f, v);
  }
  if (odd('unknownField', 0.5)) w.int(100, 1);
  if (odd('wrongWire', 0.5)) w.tag(2, 0).varint(1); // Profile.sample as a varint
  if (odd('longTag', 0.5)) w.varint(0x80 | (12 << 3)).varint(0).varint(7); // period, tag in two bytes
  return Uint8Array.from(w.b);
}

describe('fast decoder on random profiles', () => {
  it('takes every Go-shaped profile and decodes it like the reference', () => {
    let valid = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const raw = randomProfile(rng(seed), true);
      const ref = outcome(() => decodeProfileProtoReference(raw, 'r'));
      const fast = decodeProfileProtoFast(raw, NO_TASK);
      if (!ref.ok) {
        // Go-shaped but still invalid (a string index past a short table, values of no sample type)
        expect(fast, `seed ${seed}`).toBeNull();
        continue;
      }
      valid++;
      expect(fast, `seed ${seed}`).not.toBeNull();
      expect(fast).toStrictEqual(ref.profile);
    }
    expect(valid).toBeGreaterThan(300);
  });

  it('on any shape: identical when taken, left to the reference when it errs', () => {
    let taken = 0;
    let rejected = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const raw = randomProfile(rng(seed * 7919), false);
      const ref = outcome(() => decodeProfileProtoReference(raw, 'r'));
      const fast = decodeProfileProtoFast(raw, NO_TASK);
      if (!ref.ok) {
        rejected++;
        expect(fast, `seed ${seed}: reference says ${ref.error.message}`).toBeNull();
      } else if (fast !== null) {
        taken++;
        expect(fast, `seed ${seed}`).toStrictEqual(ref.profile);
      }
      expect(outcome(() => decodeProfileProto(raw, 'r'))).toStrictEqual(ref);
    }
    // The generator must exercise both sides.
    expect(taken).toBeGreaterThan(200);
    expect(rejected).toBeGreaterThan(200);
  });

  it('answers mutated and truncated encodings exactly as the reference', () => {
    const r = rng(42);
    for (let i = 0; i < 1500; i++) {
      const b = Array.from(randomProfile(r, r.chance(0.5)));
      const n = 1 + r.int(3);
      for (let k = 0; k < n && b.length > 0; k++) {
        const at = r.int(b.length);
        const kind = r.int(4);
        if (kind === 0) b.length = at;
        else if (kind === 1) b[at] = r.int(256);
        else if (kind === 2) b.splice(at, 0, ...Array.from({ length: 1 + r.int(4) }, () => r.int(256)));
        else b.splice(at, 1 + r.int(4));
      }
      const raw = Uint8Array.from(b);
      const ref = outcome(() => decodeProfileProtoReference(raw, 'm'));
      const fast = decodeProfileProtoFast(raw, NO_TASK);
      if (!ref.ok) expect(fast).toBeNull();
      else if (fast !== null) expect(fast).toStrictEqual(ref.profile);
      expect(outcome(() => decodeProfileProto(raw, 'm'))).toStrictEqual(ref);
    }
  });

  it('takes inputs up to FAST_MAX_INPUT (heaps past 16 MiB) and leaves bigger ones to the reference', () => {
    // n bytes: a string table of "" and one string filling the rest (its length a 4-byte varint).
    const sized = (n: number): Uint8Array => {
      const head = new W().bytes(6, []).tag(6, 2).varint(n - 7).b;
      expect(head.length).toBe(7);
      const b = new Uint8Array(n).fill(0x61);
      b.set(head);
      return b;
    };
    const under = sized(FAST_MAX_INPUT);
    expect(under.length).toBeLessThanOrEqual(FAST_MAX_INPUT);
    const fast = decodeProfileProtoFast(under, NO_TASK);
    expect(fast).not.toBeNull();
    expect(fast).toStrictEqual(decodeProfileProtoReference(under, 'under'));
    const over = sized(FAST_MAX_INPUT + 64);
    expect(over.length).toBeGreaterThan(FAST_MAX_INPUT);
    expect(decodeProfileProtoFast(over, NO_TASK)).toBeNull();
    expect(decodeProfileProto(over, 'over').strings[1]!.length).toBe(over.length - 7);
  });

  it('reports cancellation instead of answering', () => {
    const raw = encodeProfile(syntheticCpuProfile({ samples: 9000, locations: 300, functions: 200, fanout: 3, minDepth: 3, maxDepth: 9, seed: 5 }));
    let calls = 0;
    const task = {
      progress() {},
      throwIfCancelled() {
        if (++calls > 3) throw new HeapscopeError({ code: 'CANCELLED', message: 'cancelled' });
      },
    };
    expect(() => decodeProfileProtoFast(raw, task)).toThrow(/cancelled/);
  });
});

// ---------------------------------------------------------------------------------------------
// asm.js validation

describe('the asm.js module', () => {
  it('is validated and compiled by V8 (and prints no asm.js warning)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapscope-asm-'));
    try {
      const entry = join(dir, 'entry.ts');
      writeFileSync(
        entry,
        [
          `import { protoAsmModule } from ${JSON.stringify(join(ROOT, 'shared', 'profile', 'proto', 'asm.ts'))};`,
          `import { decodeProfileProtoFast } from ${JSON.stringify(join(ROOT, 'shared', 'profile', 'proto', 'fast.ts'))};`,
          `const raw = Uint8Array.from([0x0a, 0x04, 0x08, 0x01, 0x10, 0x02, 0x32, 0x00, 0x32, 0x01, 0x61, 0x32, 0x01, 0x62]);`,
          `const p = decodeProfileProtoFast(raw, { progress() {}, throwIfCancelled() {} });`,
          `const isAsm = new Function('f', 'return %IsAsmWasmCode(f)');`,
          `console.log(JSON.stringify({ asm: isAsm(protoAsmModule()), decoded: p !== null && p.strings.join(',') }));`,
        ].join('\n'),
      );
      const out = join(dir, 'out.js');
      await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'silent' });
      const r = spawnSync(process.execPath, ['--allow-natives-syntax', out], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({ asm: true, decoded: ',a,b' });
    } finally {
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    }
  });
});
