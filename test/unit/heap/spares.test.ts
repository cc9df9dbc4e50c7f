/**
 * The heap graph and the dominators reuse arrays the dump is done with (grow.ts, Spares) when the
 * dump is released. Those paths only run for arrays of 1 MiB or more, so this builds a dump of
 * 400,000 objects written out of address order (so the objects are sorted and the dump's unsorted
 * arrays become spare), and checks every answer equals the analysis of a dump that was not
 * released (no reuse at all).
 */
import { describe, expect, it } from 'vitest';
import { Spares } from '../../../shared/heap/grow';
import { buildHeapAnalysis, hex, parseHeapDump, type HeapAnalysis } from '../../../shared/heap/index';
import { ARENA as A, ARENA_END, DumpWriter } from './dumpwriter';

const BSS = 0x510000;

function bigShuffledDump(n: number): Uint8Array {
  const w = new DumpWriter().params(A, ARENA_END);
  // a fixed permutation of addresses (a multiplicative step coprime to n)
  const step = 7919;
  for (let k = 0; k < n; k++) {
    const i = (k * step) % n;
    const ptrs: Record<number, number> = {};
    if (i + 1 < n) ptrs[0] = A + (i + 1) * 32; // a chain
    if (i % 5 === 0 && i > 0) ptrs[8] = A + ((i * 31) % n) * 32; // and cross links
    if (i % 7 === 0) ptrs[16] = A + 0x20 + (i % 100) * 32 + 8; // interior pointers
    w.object(A + i * 32, 32, ptrs);
  }
  w.segment('bss', BSS, 16, { 0: A, 8: A + (n >> 1) * 32 }).eof();
  return w.finish();
}

function snapshot(a: HeapAnalysis): string {
  const { timings: _, ...summary } = a.summary();
  return JSON.stringify([
    summary,
    a.retainJson(),
    a.dominatorChildren(0, 0, 100),
    a.groupBySizeClass({ kind: 'all' }),
    a.objectDetails(hex(A + 32 * 1000)),
    a.pathsToRoots(hex(A + 32 * 399_999), 3),
  ]);
}

describe('arrays reused across the heap analysis (Spares)', () => {
  it('gives the same answers on a big unsorted dump with and without releasing it', () => {
    const bytes = bigShuffledDump(400_000);
    const kept = snapshot(buildHeapAnalysis(parseHeapDump(bytes)));
    const released = snapshot(buildHeapAnalysis(parseHeapDump(bytes), undefined, undefined, { releaseDump: true }));
    expect(released).toBe(kept);
  });

  it('hands out zeroed arrays on given buffers, the smallest that fits, and fresh ones otherwise', () => {
    const s = new Spares();
    const a = new Uint32Array(1 << 20).fill(7);
    const b = new Uint32Array(1 << 19).fill(9);
    s.give(a);
    s.give(b);
    s.give(new Uint32Array(16)); // too small to keep
    const x = s.takeU32(1000);
    expect(x.buffer).toBe(b.buffer);
    expect(x.every((v) => v === 0)).toBe(true);
    const y = s.takeU32((1 << 20) - 5);
    expect(y.buffer).toBe(a.buffer);
    expect(y.every((v) => v === 0)).toBe(true);
    const z = s.takeU32(10);
    expect(z.buffer).not.toBe(a.buffer);
    expect(z.buffer).not.toBe(b.buffer);
  });
});
