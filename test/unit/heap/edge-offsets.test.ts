import { describe, it, expect } from 'vitest';
import { buildHeapAnalysis, buildHeapGraph, edgeOffsetAt, parseHeapDump, hex, type ExeSymbols } from '../../../shared/heap/index';
import { ARENA as A, ARENA_END, DumpWriter } from './dumpwriter';

/**
 * Edge offsets are stored as 16 low bits per edge plus runs of high bits: a pointer array over
 * 64 KiB (offsets past 0xffff, runs of several high values), objects after it (back to zero), and
 * globals at big symbol offsets must all read back exactly.
 */
describe('edge offsets past 64 KiB', () => {
  const BIG = A + 0x100000; // 400 KiB of pointers
  const BIG_SIZE = 400 * 1024;
  const T = A + 0x1000; // targets: 16-byte objects
  const K = 64;
  const AFTER = A + 0x200000; // an object after the big one: its offsets are small again
  const DATA = 0x500000;
  const BSS = 0x540000;
  // One symbol over the whole data segment: its slots' offsets are offsets into the symbol.
  const exe: ExeSymbols = {
    format: 'elf',
    pie: false,
    stripped: false,
    sections: [
      { name: '.data', addr: DATA, size: 0x30000 },
      { name: '.bss', addr: BSS, size: 0x100 },
    ],
    data: { start: DATA, end: DATA + 0x30000 },
    bss: { start: BSS, end: BSS + 0x100 },
    symbols: { addr: [DATA], size: [0x30000], name: ['main.table'] },
  };

  function dump(): Uint8Array {
    const w = new DumpWriter();
    w.params(A, ARENA_END);
    for (let k = 0; k < K; k++) w.object(T + 16 * k, 16);
    // Pointers spread over the whole array: offsets 0, 6400, …, past 0x10000 and 0x40000.
    const ptrs: Record<number, number> = {};
    for (let k = 0; k < K; k++) ptrs[k * 6400] = T + 16 * k;
    w.object(BIG, BIG_SIZE, ptrs);
    w.object(AFTER, 32, { 8: T, 24: T + 16 });
    // Globals: a big data segment whose pointer slots sit past 64 KiB and past 128 KiB.
    w.segment('data', DATA, 0x30000, { 0x10: BIG, 0x18008: AFTER, 0x2fff8: T + 32 });
    w.segment('bss', BSS, 0x100, {});
    return w.eof().finish();
  }

  it('reads every forward edge offset back exactly', () => {
    const g = buildHeapGraph(parseHeapDump(dump()), exe);
    const want = new Map<string, number>();
    const seen: Array<[string, string, number]> = [];
    for (let v = 1; v < g.nodeCount; v++) {
      for (let e = g.fwd.start[v]; e < g.fwd.start[v + 1]; e++) {
        const t = g.fwd.targets[e];
        if (t < g.firstObject) continue;
        const from = v >= g.firstObject ? hex(g.address[v - g.firstObject]) : `root ${v}`;
        seen.push([from, hex(g.address[t - g.firstObject]), edgeOffsetAt(g, e)]);
      }
    }
    for (let k = 0; k < K; k++) want.set(`${hex(BIG)}>${hex(T + 16 * k)}`, k * 6400);
    want.set(`${hex(AFTER)}>${hex(T)}`, 8);
    want.set(`${hex(AFTER)}>${hex(T + 16)}`, 24);
    const objectEdges = seen.filter(([f]) => !f.startsWith('root'));
    expect(objectEdges.length).toBe(want.size);
    for (const [f, t, off] of objectEdges) expect(off, `${f} -> ${t}`).toBe(want.get(`${f}>${t}`));
    // The globals' slots (root edges), past 64 KiB too.
    const rootOffsets = seen.filter(([f]) => f.startsWith('root')).map(([, t, off]) => [t, off]);
    expect(rootOffsets).toEqual(expect.arrayContaining([[hex(BIG), 0x10], [hex(AFTER), 0x18008], [hex(T + 32), 0x2fff8]]));
    // Runs: only the big array and the big segment's slots need high bits.
    expect(g.edgeOffsetHigh.at.length).toBeGreaterThan(0);
    expect(g.edgeOffsetHigh.at.length).toBeLessThan(20);
  });

  it('paths and pointer rows carry the full offsets', () => {
    const a = buildHeapAnalysis(parseHeapDump(dump()), exe);
    const d = a.objectDetails({ address: hex(BIG) }, 0, 100);
    expect(d.outgoing.rows.map((r) => r.offset)).toEqual(Array.from({ length: K }, (_, k) => k * 6400));
    const p = a.pathsToRoots(hex(T + 16 * 50), 5).paths[0];
    expect(p.map((s) => s.address ?? s.root?.name)).toEqual(['global main.table', hex(BIG), hex(T + 16 * 50)]);
    expect(p[1]).toMatchObject({ offset: 0x10, via: 'main.table+0x10' });
    expect(p[2]).toMatchObject({ offset: 50 * 6400, via: `+${hex(50 * 6400)}` });
    const q = a.pathsToRoots(hex(T + 32), 5).paths.map((x) => x[1]);
    expect(q).toContainEqual(expect.objectContaining({ offset: 0x2fff8, via: 'main.table+0x2fff8' }));
  });
});
