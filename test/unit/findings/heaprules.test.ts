/**
 * The heap dump rules on a hand-built dump (test/unit/heap/dumpwriter.ts writes the bytes exactly as
 * runtime/heapdump.go does), where every number is known:
 *   main.list    → a 20-node linked list (one allocation site): the accumulation point is its head
 *   main.pinned  → slice headers S → sub-slices of 16 B at +8192 into three 32 KiB arrays, and a
 *                  10-byte substring into a fourth; main.whole → a big array with a pointer to its start
 *   main.files   → 12 *os.File (finalizer set) from main.openLog; 9 more from main.rare
 *   runtime.timers → 11 tickers from main.poll that only the runtime holds; main.held → 3 more
 */
import { describe, expect, it } from 'vitest';
import { buildHeapAnalysis, hex, parseHeapDump, type ExeSymbols } from '../../../shared/heap/index';
import { computeFindings, type Finding } from '../../../shared/findings';
import { accumulationPoint } from '../../../shared/findings/rules/heap';
import { subslicePinning } from '../../../shared/findings/rules/subslice';
import { OPEN_FILES_MIN, PINNED_MIN_WASTED_BYTES, TICKERS_MIN } from '../../../shared/findings/thresholds';
import { ARENA as A, ARENA_END, DumpWriter } from '../heap/dumpwriter';

const DATA = 0x500000;
const BSS = 0x510000;
const RT = 0x518000;

const L = (i: number) => A + 0x100000 + i * 0x1000; // list nodes, 4096 B
const S = A + 0x10000; // 3 slice headers (72 B)
const T = A + 0x10100; // string header (16 B)
const X = (i: number) => A + 0x200000 + i * 0x10000; // 32 KiB arrays
const WHOLE = A + 0x300000;
const FA = A + 0x20000; // []*os.File backing
const F = (i: number) => A + 0x21000 + i * 0x100;
const TA = A + 0x30000; // runtime timer heap array
const HA = A + 0x31000; // main.held backing
const TK = (i: number) => A + 0x32000 + i * 0x100;

const exe: ExeSymbols = {
  format: 'elf',
  pie: false,
  stripped: false,
  sections: [
    { name: '.data', addr: DATA, size: 0x100 },
    { name: '.bss', addr: BSS, size: 0x10000 },
  ],
  data: { start: DATA, end: DATA + 0x100 },
  bss: { start: BSS, end: BSS + 0x10000 },
  symbols: {
    addr: [BSS + 0x10, BSS + 0x40, BSS + 0x60, BSS + 0x80, BSS + 0xc0, RT],
    size: [8, 24, 8, 24, 24, 8],
    name: ['main.list', 'main.pinned', 'main.whole', 'main.files', 'main.held', 'runtime.timers'],
  },
};

const frames = (...fns: string[]) => fns.map((func, i) => ({ func, file: '/src/app.go', line: 10 + i }));

function dumpBytes(): Uint8Array {
  const w = new DumpWriter();
  w.params(A, ARENA_END);
  for (let i = 0; i < 20; i++) w.object(L(i), 4096, i < 19 ? { 0: L(i + 1) } : {});
  // Slice headers: ptr, len, cap (len/cap words are listed as fields too: not arena values, ignored).
  w.object(S, 72, { 0: X(0) + 8192, 8: 16, 16: 32768 - 8192, 24: X(1) + 8192, 32: 16, 40: 32768 - 8192, 48: X(2) + 8192, 56: 16, 64: 32768 - 8192 });
  w.object(T, 16, { 0: X(3) + 20000, 8: 10 });
  for (let i = 0; i < 4; i++) w.object(X(i), 32768);
  w.object(WHOLE, 65536);
  const files: Record<number, number> = {};
  for (let i = 0; i < 21; i++) files[i * 8] = F(i);
  w.object(FA, 21 * 8, files);
  for (let i = 0; i < 21; i++) w.object(F(i), 96);
  const timers: Record<number, number> = {};
  for (let i = 0; i < 11; i++) timers[i * 8] = TK(i) + 8; // &t.r: interior
  w.object(TA, 11 * 8, timers);
  w.object(HA, 24, { 0: TK(11), 8: TK(12), 16: TK(13) });
  for (let i = 0; i < 14; i++) w.object(TK(i), 80);
  w.segment('data', DATA, 0x100, {});
  w.segment('bss', BSS, 0x10000, { 0x10: L(0), 0x40: S, 0x50: T, 0x60: WHOLE, 0x80: FA, 0xc0: HA, [RT - BSS]: TA });
  for (let i = 0; i < 21; i++) w.finalizer(F(i));
  w.memstats();
  w.memprof(0xb0, 4096, frames('runtime.mallocgc', 'main.push', 'main.main'));
  w.memprof(0xb1, 32768, frames('runtime.makeslice', 'main.loadBlob', 'main.main'));
  w.memprof(0xc0, 96, frames('os.newFile', 'os.openFileNolog', 'os.OpenFile', 'main.openLog', 'main.main'));
  w.memprof(0xc1, 96, frames('os.newFile', 'os.OpenFile', 'main.rare', 'main.main'));
  w.memprof(0xd0, 80, frames('time.NewTicker', 'main.poll', 'main.main'));
  for (let i = 0; i < 20; i++) w.allocSample(L(i), 0xb0);
  for (let i = 0; i < 4; i++) w.allocSample(X(i), 0xb1);
  for (let i = 0; i < 21; i++) w.allocSample(F(i), i < 12 ? 0xc0 : 0xc1);
  for (let i = 0; i < 14; i++) w.allocSample(TK(i), 0xd0);
  w.eof();
  return w.finish();
}

const bytes = dumpBytes();
const analysis = buildHeapAnalysis(parseHeapDump(bytes), exe);
/** Reads the dump at absolute offsets (what the CLI and the worker pass). */
const read = (o: number, n: number): Uint8Array => bytes.subarray(o, o + n);
const report = computeFindings([{ name: 'app.dump', kind: 'heapdump', analysis, read }]);
const of = (kind: Finding['kind']) => report.findings.filter((f) => f.kind === kind);

describe('heap dump rules (hand-built dump)', () => {
  it('names the globals', () => {
    expect(analysis.summary().globalsNamed).toBe(true);
  });

  it('a linked list accumulates at its head, not at its tail', () => {
    const root = analysis.rootsRanked(0, 100).rows.find((r) => r.name === 'global main.list')!;
    expect(root.retainedBytes).toBe(20 * 4096);
    expect(accumulationPoint(analysis, root.node)).toBe(analysis.nodeOf(hex(L(0))));
    const f = report.findings.find((x) => x.subject === 'global main.list')!;
    expect(f.kind).toBe('retained-by-root');
    expect(f.evidence.accumulationPoint).toBe(hex(L(0)));
    expect(f.evidence.retainedBytes).toBe(20 * 4096);
  });

  it('sub-slices pinning arrays: lengths read from the slice headers', () => {
    const [f, ...rest] = of('subslice-pinning');
    expect(rest).toEqual([]);
    expect(f!.subject).toBe('main.loadBlob');
    expect(f!.evidence).toMatchObject({ arrays: 4, arrayBytes: 4 * 32768, usedBytes: 3 * 16 + 10, holder: 'global main.pinned', lengthsRead: true });
    expect(f!.evidence.wastedBytes).toBe(4 * 32768 - 58);
    expect(f!.evidence.pointerOffsets).toEqual([8192, 8192, 8192, 20000]);
    // The array with a pointer to its start is never "pinned".
    expect(JSON.stringify(of('subslice-pinning'))).not.toContain(hex(WHOLE));
  });

  it('without the dump bytes, only arrays whose unreachable prefix is at least half count', () => {
    const r = subslicePinning(analysis, 'app.dump');
    // Only X(3): 20000 of 32768 bytes before the first pointer; 20000 B < the reporting minimum.
    expect(r).toEqual([]);
    expect(20000).toBeLessThan(PINNED_MIN_WASTED_BYTES);
  });

  it('files never closed, per allocating function, at the threshold', () => {
    const fs = of('file-not-closed');
    expect(fs.map((f) => [f.subject, f.evidence.openFiles, f.evidence.reachable])).toEqual([['main.openLog', 12, 12]]);
    expect(12).toBeGreaterThanOrEqual(OPEN_FILES_MIN);
    expect(9).toBeLessThan(OPEN_FILES_MIN); // main.rare: below the threshold
  });

  it('tickers that only the runtime keeps', () => {
    const [f, ...rest] = of('ticker-not-stopped');
    expect(rest).toEqual([]);
    expect(f!.subject).toBe('main.poll');
    expect(f!.evidence.tickers).toBe(11);
    expect(f!.evidence.heldByUserCode).toBe(3);
    expect(11).toBeGreaterThanOrEqual(TICKERS_MIN);
  });

  it('findings are ranked and link to the dump', () => {
    for (const f of report.findings) {
      expect(f.sources).toEqual(['app.dump']);
      expect(f.link.view).toBe('heap');
    }
  });
});
