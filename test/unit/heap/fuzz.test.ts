/**
 * Truncated and corrupted dumps (fixed seed, 2,400 cases): each must give a typed HeapscopeError or a
 * (possibly partial) analysis that answers queries — never another exception, a crash or a hang.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeapscopeError } from '../../../shared/errors';
import { buildHeapAnalysis, HeapDumpParser, hex } from '../../../shared/heap/index';
import { ARENA, ARENA_END, DumpWriter, everyRecordDump, rng } from './dumpwriter';

const FIXTURE = join(__dirname, '../../fixtures/out/go1.19/leakyapp/heap.dump');
/** Override to explore: HEAPSCOPE_FUZZ_SEED=7 HEAPSCOPE_FUZZ_CASES=50000 npx vitest run test/unit/heap/fuzz.test.ts */
const SEED = Number(process.env.HEAPSCOPE_FUZZ_SEED ?? 0xdeadbeef);
const CASES = Number(process.env.HEAPSCOPE_FUZZ_CASES ?? 2000);

function syntheticBase(): Uint8Array {
  const w = new DumpWriter().params(ARENA, ARENA_END);
  for (let i = 0; i < 40; i++) w.object(ARENA + i * 64, 64, { 0: ARENA + ((i * 7 + 3) % 40) * 64 + (i % 3) * 8, 8: ARENA + ((i + 1) % 40) * 64 });
  w.goroutine({ addr: 0x9000, goid: 5, waitReason: 'select', waitSince: 2n ** 62n }).frame({ sp: 0x7000, depth: 0, name: 'main.loop', size: 32, ptrs: { 8: ARENA + 128 } });
  w.segment('bss', 0x510000, 64, { 0: ARENA, 16: ARENA + 640 });
  w.finalizer(ARENA + 64).finalizer(ARENA + 192, 0x4a0000, true);
  w.memprof(0xa0, 64, [{ func: 'main.make', file: 'main.go', line: 3 }]);
  for (let i = 0; i < 40; i += 3) w.allocSample(ARENA + i * 64, 0xa0);
  return w.eof().finish();
}

function mutate(base: Uint8Array, r: () => number): Uint8Array {
  const b = Array.from(base);
  const kind = Math.floor(r() * 7);
  const at = () => 16 + Math.floor(r() * Math.max(1, b.length - 16));
  switch (kind) {
    case 0: {
      const n = 1 + Math.floor(r() * 8);
      for (let i = 0; i < n; i++) b[at()] = Math.floor(r() * 256);
      break;
    }
    case 1:
      b.length = at(); // truncate
      break;
    case 2: {
      const p = at();
      b.splice(p, Math.floor(r() * 32));
      break;
    }
    case 3: {
      const p = at();
      const ins = Array.from({ length: 1 + Math.floor(r() * 16) }, () => Math.floor(r() * 256));
      b.splice(p, 0, ...ins);
      break;
    }
    case 4: {
      // A huge varint (a length or address gone wild).
      const p = at();
      b.splice(p, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f);
      break;
    }
    case 5: {
      // Duplicate a range (repeated records, duplicate objects).
      const p = at();
      const n = Math.floor(r() * 200);
      b.splice(p, 0, ...b.slice(p, p + n));
      break;
    }
    default: {
      // Flip one bit in the header zone or record tags.
      const p = Math.floor(r() * Math.min(b.length, 64));
      b[p] ^= 1 << Math.floor(r() * 8);
      break;
    }
  }
  return Uint8Array.from(b);
}

function exercise(bytes: Uint8Array, r: () => number, knownSize: boolean): 'error' | 'refused' | 'partial' | 'complete' {
  const chunk = 1 + Math.floor(r() * 5000);
  let dump;
  try {
    const p = new HeapDumpParser(knownSize ? { totalBytes: bytes.length } : {});
    for (let off = 0; off < bytes.length; off += chunk) p.push(bytes.subarray(off, off + chunk));
    dump = p.end();
  } catch (e) {
    if (!(e instanceof HeapscopeError)) throw e;
    expect(['BAD_FORMAT', 'TRUNCATED']).toContain(e.code);
    expect(e.format).toBe('heapdump');
    expect(typeof e.offset).toBe('number');
    return 'error';
  }
  let a;
  try {
    a = buildHeapAnalysis(dump);
  } catch (e) {
    // A dump cut short before its GC roots is refused (typed, with the offset where it stops).
    if (!(e instanceof HeapscopeError)) throw e;
    expect(e.code).toBe('TRUNCATED');
    expect(dump.complete).toBe(false);
    expect(dump.segments).toEqual([]);
    expect(e.offset).toBe(dump.cut!.offset);
    return 'refused';
  }
  const s = a.summary();
  expect(s.reachableObjects + s.garbageObjects).toBe(s.objects);
  const j = a.retainJson({ topDominators: 5 });
  expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  if (a.graph.objectCount > 0) {
    const obj = a.graph.firstObject + Math.floor(r() * a.graph.objectCount);
    a.pathsToRoots(obj, 3);
    a.pathsJson(hex(a.objectAddress(obj)), 2);
    a.objectDetails(obj);
    a.dominatorChildren(0, 0, 10);
    a.mergedPaths([obj]);
  }
  a.groupByAllocSite();
  a.groupBySizeClass({ kind: 'all' });
  return dump.complete ? 'complete' : 'partial';
}

describe('fuzz: truncated and corrupted dumps', () => {
  it('2,000 mutations of synthetic dumps never crash or hang', () => {
    const r = rng(SEED);
    const bases = [syntheticBase(), everyRecordDump()];
    const outcome = { error: 0, refused: 0, partial: 0, complete: 0 };
    const t0 = Date.now();
    for (let i = 0; i < CASES; i++) {
      let b = bases[i % 2];
      const rounds = 1 + Math.floor(r() * 3);
      for (let k = 0; k < rounds; k++) b = mutate(b, r);
      outcome[exercise(b, r, i % 3 !== 0)]++;
    }
    expect(Date.now() - t0).toBeLessThan(60_000 * Math.max(1, CASES / 2000));
    // Each outcome happens: the mutations reach all paths.
    expect(outcome.error).toBeGreaterThan(50);
    expect(outcome.partial).toBeGreaterThan(50);
    expect(outcome.complete).toBeGreaterThan(10);
  });

  it.skipIf(!existsSync(FIXTURE))('400 truncations and corruptions of the real dump never crash or hang', () => {
    const real = new Uint8Array(readFileSync(FIXTURE));
    const r = rng(42);
    const outcome = { error: 0, refused: 0, partial: 0, complete: 0 };
    for (let i = 0; i < 400; i++) {
      let b: Uint8Array;
      if (i % 2 === 0) b = real.subarray(0, 16 + Math.floor(r() * (real.length - 16))); // truncation
      else {
        // Corrupt a few bytes of a prefix (keeps each case fast).
        b = real.slice(0, 16 + Math.floor(r() * 300_000));
        const n = 1 + Math.floor(r() * 4);
        for (let k = 0; k < n; k++) b[16 + Math.floor(r() * (b.length - 16))] = Math.floor(r() * 256);
      }
      outcome[exercise(b, r, i % 4 !== 1)]++;
    }
    // Cut inside the objects: refused (no roots); cut later: partial.
    expect(outcome.partial + outcome.refused).toBeGreaterThan(100);
    expect(outcome.refused).toBeGreaterThan(10);
    expect(outcome.partial).toBeGreaterThan(10);
  });
});
