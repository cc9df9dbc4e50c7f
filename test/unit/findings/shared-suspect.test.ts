/**
 * A leak suspect that no single root dominates (a cache a global holds and its worker goroutines
 * hold too) names the roots that reach it, globals by name, instead of "several roots". Hand-built
 * dump (test/unit/heap/dumpwriter.ts): global main.cache and two goroutines' frames point at C,
 * which holds 20 values. And a suspect holds at least SUSPECT_MIN_BYTES: in a small program the
 * standard library's tables alone are 10% of the heap.
 */
import { describe, expect, it } from 'vitest';
import { computeFindings } from '../../../shared/findings';
import { SUSPECT_MIN_BYTES, withThresholds } from '../../../shared/findings/thresholds';
import { buildHeapAnalysis, parseHeapDump, type ExeSymbols } from '../../../shared/heap/index';
import { ARENA as A, ARENA_END, DumpWriter } from '../heap/dumpwriter';

const BSS = 0x510000;
const C = A + 0x10000; // the cache struct
const V = (i: number) => A + 0x100000 + i * 0x10000; // its 64 KiB values

const exe: ExeSymbols = {
  format: 'elf',
  pie: false,
  stripped: false,
  sections: [{ name: '.bss', addr: BSS, size: 0x1000 }],
  bss: { start: BSS, end: BSS + 0x1000 },
  symbols: { addr: [BSS + 0x10], size: [8], name: ['main.cache'] },
};

function dump(goroutines: number, valueBytes = 65536): Uint8Array {
  const w = new DumpWriter();
  w.params(A, ARENA_END);
  const ptrs: Record<number, number> = {};
  for (let i = 0; i < 20; i++) ptrs[i * 8] = V(i);
  w.object(C, 160, ptrs);
  for (let i = 0; i < 20; i++) w.object(V(i), valueBytes);
  w.segment('bss', BSS, 0x1000, { 0x10: C });
  for (let g = 0; g < goroutines; g++) {
    w.goroutine({ addr: 0x9000 + g * 0x100, goid: 10 + g, waitReason: 'select', waitSince: 2n ** 55n, sp: 0x7000 + g * 0x100 }).frame({ sp: 0x7000 + g * 0x100, depth: 0, name: 'main.worker', size: 16, ptrs: { 8: C } });
  }
  w.memstats();
  w.eof();
  return w.finish();
}

function suspect(goroutines: number, valueBytes?: number) {
  const analysis = buildHeapAnalysis(parseHeapDump(dump(goroutines, valueBytes)), exe);
  return computeFindings([{ name: 'app.dump', kind: 'heapdump', analysis }]).findings.find((f) => f.kind === 'retained-by-root');
}

describe('a suspect several roots share', () => {
  it('names the global and counts the goroutines', () => {
    const f = suspect(2)!;
    expect(f.title).toMatch(/^object 0x[0-9a-f]+ \(shared by global main\.cache and 2 goroutines\) keeps 1\.25 MiB alive/);
    expect(f.evidence.sharedBy).toEqual(expect.arrayContaining(['global main.cache']));
    expect((f.evidence.sharedBy as string[]).length).toBe(3);
    expect(f.evidence.sharedByMore).toBeUndefined();
  });

  it('says "and more" past the roots it names', () => {
    const f = suspect(8)!;
    expect(f.title).toMatch(/\(shared by global main\.cache, 4 goroutines and more\)/);
    expect(f.evidence.sharedByMore).toBe(true);
  });
});

describe('a suspect holds at least SUSPECT_MIN_BYTES', () => {
  it('20 values of 2 KiB (41 KiB, all of a tiny heap) are no suspect; with the floor lowered they are', () => {
    expect(SUSPECT_MIN_BYTES).toBe(64 * 1024);
    expect(suspect(2, 2048)).toBeUndefined();
    expect(withThresholds({ SUSPECT_MIN_BYTES: 0 }, () => suspect(2, 2048))?.title).toMatch(/^object 0x[0-9a-f]+ \(shared by global main\.cache and 2 goroutines\)/);
  });
});
