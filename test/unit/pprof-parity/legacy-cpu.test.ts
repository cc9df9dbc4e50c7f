/**
 * Legacy binary CPU profiles (Go before 1.9, gperftools) are read as pprof reads them. Oracle:
 * `go tool pprof -top -symbolize=none` (this format carries no names; pprof names frames only by
 * symbolizing local binaries, which would make its output depend on the machine).
 *  - a real profile written by gperftools' libprofiler (test/fixtures/modern/legacy-cpu), with every
 *    Go of the matrix;
 *  - profiles written from the documented layout (legacy-cpu-writer.ts) in all four word forms,
 *    with memory maps, the profiler's signal-handler frame, duplicated leaves, addresses outside
 *    every mapping, a missing trailer;
 *  - bad input is a typed HeapscopeError naming file, format and offset.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { importProfile, looksLikeProfile } from '../../../shared/profile';
import { HeapscopeError } from '../../../shared/errors';
import { ROOT } from '../../helpers/paths';
import { findToolchain, IN_CI, type GoVersion } from '../leakprofile/toolchains';
import { parsePprofTop, rowKeys } from '../profile/golden';
import { topJson } from '../profile/cli-runner';
import { writeLegacyCpu, type LegacyCpuRecord, type LegacyCpuSpec } from './legacy-cpu-writer';

const tmp = mkdtempSync(join(tmpdir(), 'heapscope-legacycpu-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const REAL = join(ROOT, 'test', 'fixtures', 'modern', 'legacy-cpu', 'gperftools-spin.prof');

function pprofTop(version: GoVersion, file: string, args: string[]): string {
  const tc = findToolchain(version);
  if (typeof tc === 'string') throw new Error(tc);
  const r = spawnSync(tc.go, ['tool', 'pprof', '-top', '-symbolize=none', '-nodecount=1000000', '-nodefraction=0', ...args, file], {
    env: { ...tc.env, PPROF_TMPDIR: tmp },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`go tool pprof failed: ${r.stderr}`);
  return r.stdout;
}

/** Heapscope's top == pprof's, both sample types, function and address granularity. */
async function expectSameAsPprof(version: GoVersion, file: string): Promise<void> {
  for (const [type, unit] of [
    ['samples', []],
    ['cpu', ['-unit=ns']],
  ] as const) {
    const fn = parsePprofTop(pprofTop(version, file, [`-sample_index=${type}`, ...unit]));
    const ours = await topJson(file, ['--sample-index', type]);
    expect(fn.total, `${type}: pprof read samples`).toBeGreaterThan(0);
    expect(ours.total, `${type} total`).toBe(fn.total);
    expect(rowKeys(ours.rows), `${type} functions`).toEqual(rowKeys(fn.rows));
    const ad = parsePprofTop(pprofTop(version, file, [`-sample_index=${type}`, '-addresses', ...unit]));
    const oursAd = await topJson(file, ['--sample-index', type, '--granularity', 'addresses']);
    expect(oursAd.total).toBe(ad.total);
    expect(rowKeys(oursAd.rows), `${type} addresses`).toEqual(rowKeys(ad.rows));
  }
}

const VERSIONS: GoVersion[] = ['1.19', '1.26', '1.27'];
function usable(v: GoVersion): boolean {
  const tc = findToolchain(v);
  if (typeof tc !== 'string') return true;
  if (IN_CI) throw new Error(tc);
  console.warn(`legacy CPU parity with Go ${v} skipped: ${tc}`);
  return false;
}

describe('a real gperftools CPU profile reads as pprof reads it', () => {
  for (const v of VERSIONS) {
    it.skipIf(!usable(v))(`go${v} pprof`, async () => {
      const imp = importProfile(new Uint8Array(readFileSync(REAL)), REAL, { gunzip: (b: Uint8Array) => b });
      expect(imp.format).toBe('cpu-legacy');
      expect(imp.profileKind).toBe('cpu');
      expect(imp.profile.sampleCount).toBeGreaterThan(10);
      await expectSameAsPprof(v, REAL);
    });
  }
});

// Deterministic generator of profiles in the documented layout.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

interface Variant {
  name: string;
  wordSize: 4 | 8;
  little: boolean;
  handlerFrame?: boolean;
  dupLeaf?: boolean;
  outside?: boolean;
  trailer?: boolean;
  zeroFrame?: boolean;
  maps?: boolean;
  samples?: number;
}

function makeSpec(v: Variant, seed: number): LegacyCpuSpec {
  const r = rng(seed);
  const big = v.wordSize === 8;
  const exe = big ? 0x400000n : 0x8048000n;
  const lib = big ? 0x7f1234500000n : 0xb7700000n;
  const other = big ? 0x7f9999000000n : 0xc0000000n; // no mapping covers it
  const funcs: bigint[] = [];
  for (let i = 0; i < 40; i++) funcs.push(exe + 0x1000n + BigInt(i) * 0x140n + BigInt(Math.floor(r() * 0x100)));
  for (let i = 0; i < 12; i++) funcs.push(lib + 0x2000n + BigInt(i) * 0x200n + BigInt(Math.floor(r() * 0x100)));
  if (v.outside) for (let i = 0; i < 4; i++) funcs.push(other + BigInt(i) * 0x40n);
  const handler = exe + 0x9ff00n;
  const records: LegacyCpuRecord[] = [];
  const n = v.samples ?? 300;
  for (let s = 0; s < n; s++) {
    const depth = 1 + Math.floor(r() * 10);
    const pcs: bigint[] = [];
    for (let d = 0; d < depth; d++) pcs.push(funcs[Math.floor(r() * funcs.length)]!);
    if (v.dupLeaf && s % 3 === 0) pcs.splice(1, 0, pcs[0]!); // the leaf unwound twice
    if (v.handlerFrame && (s % 97 !== 5 || s === 0)) pcs.splice(1, 0, handler); // all but a few
    if (v.zeroFrame && s % 50 === 7) pcs.push(0n);
    records.push({ count: 1 + Math.floor(r() * 5), pcs });
  }
  const maps = v.maps === false
    ? undefined
    : big
      ? [
          `00400000-004a0000 r-xp 00000000 fd:01 1234      /opt/legacy/server`,
          `006a0000-006a2000 rw-p 000a0000 fd:01 1234      /opt/legacy/server`,
          `7f1234500000-7f1234520000 r-xp 00000000 fd:01 99 /lib/x86_64-linux-gnu/libc-2.19.so`,
          `7f1234520000-7f1234540000 r-xp 00020000 fd:01 99 /lib/x86_64-linux-gnu/libc-2.19.so`,
          `7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0   [stack]`,
          '',
        ].join('\n')
      : [
          `08048000-080f0000 r-xp 00000000 08:01 77 /usr/bin/legacy32`,
          `b7700000-b7740000 r-xp 00000000 08:01 78 /lib/libc.so.6`,
          `bf800000-bf821000 rw-p 00000000 00:00 0 [stack]`,
          '',
        ].join('\n');
  const spec: LegacyCpuSpec = { wordSize: v.wordSize, little: v.little, periodMicros: 10000, records, trailer: v.trailer !== false };
  if (maps !== undefined && v.trailer !== false) spec.maps = maps;
  return spec;
}

const VARIANTS: Variant[] = [
  { name: '64-bit little-endian, Go 1.8 style', wordSize: 8, little: true },
  { name: '64-bit big-endian', wordSize: 8, little: false, outside: true },
  { name: '32-bit little-endian', wordSize: 4, little: true, dupLeaf: true },
  { name: '32-bit big-endian', wordSize: 4, little: false, handlerFrame: true },
  { name: 'signal-handler frame in nearly every sample', wordSize: 8, little: true, handlerFrame: true, dupLeaf: true },
  { name: 'addresses outside every mapping, a zero frame', wordSize: 8, little: true, outside: true, zeroFrame: true },
  { name: 'no memory map', wordSize: 8, little: true, maps: false },
  { name: 'no trailer', wordSize: 8, little: true, trailer: false },
  { name: 'one sample', wordSize: 8, little: true, samples: 1 },
];

describe('legacy CPU profiles written from the documented layout read as pprof reads them', () => {
  const v = (['1.26', '1.19', '1.27'] as GoVersion[]).find((x) => typeof findToolchain(x) !== 'string');
  if (!v && IN_CI) throw new Error('no Go toolchain for the pprof oracle');
  VARIANTS.forEach((variant, i) => {
    it.skipIf(!v)(variant.name, async () => {
      const bytes = writeLegacyCpu(makeSpec(variant, 1000 + i));
      const file = join(tmp, `v${i}.prof`);
      writeFileSync(file, bytes);
      expect(looksLikeProfile(bytes)).toBe(true);
      const imp = importProfile(bytes, file, { gunzip: (b: Uint8Array) => b });
      expect(imp.format).toBe('cpu-legacy');
      await expectSameAsPprof(v!, file);
      if (variant.trailer === false) expect(imp.warnings.join('\n')).toMatch(/trailer/);
    });
  });
});

describe('bad legacy CPU profiles: typed errors with file, format and offset', () => {
  const base: LegacyCpuSpec = { wordSize: 8, little: true, periodMicros: 10000, records: [{ count: 2, pcs: [0x401000n, 0x402000n, 0x403000n] }] };
  it('a record cut short', () => {
    const full = writeLegacyCpu({ ...base, trailer: false });
    const cut = full.subarray(0, full.length - 4);
    let err: unknown;
    try {
      importProfile(cut, 'cut.prof', { gunzip: (b: Uint8Array) => b });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HeapscopeError);
    const h = err as HeapscopeError;
    expect(h.code).toBe('TRUNCATED');
    expect(h.file).toBe('cut.prof');
    expect(h.format).toBe('cpu-legacy');
    expect(h.offset).toBe(40); // the record starts after the five header words
  });
  it('a frame count larger than the file', () => {
    const b = writeLegacyCpu({ ...base, records: [{ count: 1, pcs: [0x401000n] }] });
    new DataView(b.buffer).setBigUint64(48, 1000000n, true); // n of the first record
    expect(() => importProfile(b, 'huge.prof', { gunzip: (b: Uint8Array) => b })).toThrow(/claims 1000000 frames/);
  });
  it('a Java profile is refused, not misread', () => {
    const b = writeLegacyCpu({ ...base, headerKind: 1 });
    expect(() => importProfile(b, 'java.prof', { gunzip: (b: Uint8Array) => b })).toThrow(HeapscopeError);
    try {
      importProfile(b, 'java.prof', { gunzip: (b: Uint8Array) => b });
    } catch (e) {
      expect((e as HeapscopeError).code).toBe('UNSUPPORTED');
    }
  });
});
