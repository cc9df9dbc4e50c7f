/**
 * Span layouts by Go version (shared/heap/spans.ts), span-tail slots and allocation headers on
 * synthetic dumps, and a fixed-seed fuzz of the new parsing (tails, headers, cut-short dumps).
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { HeapscopeError } from '../../../shared/errors';
import { buildHeapAnalysis, HeapDumpParser, isSpanTail, parseGoVersion, parseHeapDump, spanLayout, spanTailBytes, PAGE_SIZE } from '../../../shared/heap/index';
import { DumpWriter, rng } from './dumpwriter';

/** Slots of one page of element size `size` that are span tails. */
function tailCount(version: string, size: number, scan: boolean): number {
  const l = spanLayout(version, 8);
  let n = 0;
  for (let off = 0; off + size <= PAGE_SIZE; off += size) if (isSpanTail(l, 0x7f0000000000 + off, size, scan)) n++;
  return n;
}

describe('span layouts by Go version', () => {
  it('reads build versions, experiments and devel builds', () => {
    expect(parseGoVersion('go1.26.8')).toEqual({ minor: 26, devel: false, experiments: [] });
    expect(parseGoVersion('go1.26.8-X:nogreenteagc')).toEqual({ minor: 26, devel: false, experiments: ['nogreenteagc'] });
    expect(parseGoVersion('go1.22rc1 X:noallocheaders,loopvar')).toEqual({ minor: 22, devel: false, experiments: ['noallocheaders', 'loopvar'] });
    expect(parseGoVersion('devel go1.27-1a2b3c4 Tue Jan 1 00:00:00 2026 +0000')).toEqual({ minor: 27, devel: true, experiments: [] });
    expect(parseGoVersion('devel +abc')).toMatchObject({ devel: true });
    expect(parseGoVersion('go1')).toMatchObject({ minor: 0 });
  });

  it('has no tails before 1.22, the heap bitmap from 1.22, Green Tea mark bits from 1.26', () => {
    for (const v of ['go1.19.8', 'go1.21.0', 'go1.22.0 X:noallocheaders']) {
      expect(spanLayout(v, 8).headers).toBe(false);
      expect(tailCount(v, 8, true)).toBe(0);
    }
    // 1.22–1.25: 128 B bitmap at the end of pointerful spans only.
    for (const v of ['go1.22.5', 'go1.24.0', 'go1.25.3', 'go1.26.8-X:nogreenteagc']) {
      const l = spanLayout(v, 8);
      expect(l.headers).toBe(true);
      expect(l.inlineMarks).toBe(false);
      expect(tailCount(v, 8, true)).toBe(16); // (8192 - 128) / 8 = 1008 of 1024
      expect(tailCount(v, 8, false)).toBe(0);
      expect(tailCount(v, 16, false)).toBe(0);
      expect(tailCount(v, 24, true)).toBe(5); // 341 slots, 336 objects
      expect(tailCount(v, 144, true)).toBe(0); // 56 slots leave 128 B unused
    }
    // 1.26+ (and 1.25 with the experiment): plus 128 B of inline mark bits for sizes 16..512.
    for (const v of ['go1.26.8', 'go1.27.3', 'go1.25.0 X:greenteagc', 'devel go1.28-abc']) {
      expect(spanLayout(v, 8).inlineMarks).toBe(true);
      expect(tailCount(v, 8, true)).toBe(16);
      expect(tailCount(v, 8, false)).toBe(0); // no mark bits below 16 B
      expect(tailCount(v, 16, false)).toBe(8); // (8192 - 128) / 16 = 504 of 512
      expect(tailCount(v, 16, true)).toBe(16);
      expect(tailCount(v, 512, false)).toBe(1);
      expect(tailCount(v, 576, true)).toBe(0); // malloc header sizes: no tail
    }
    expect(spanTailBytes(spanLayout('go1.26.8', 4), 16, true)).toBe(128 + 256); // 32-bit bitmap
    expect(spanLayout('go1.26.8', 4).heapBitsMax).toBe(128);
  });

  it('a slot not aligned to its size class is never a tail', () => {
    expect(isSpanTail(spanLayout('go1.26.8', 8), PAGE_SIZE - 20, 16, true)).toBe(false);
    expect(isSpanTail(spanLayout('go1.26.8', 8), PAGE_SIZE - 16, 17, true)).toBe(false);
  });
});

const BASE = 0x7f1234560000; // a Go 1.26-style randomised heap base, not 0xc000000000
const END = BASE + 0x4000000;

/** A Go 1.26 dump: one 8-byte pointerful span, one 16-byte noscan span, one 1024-byte object with a header. */
function modernDump(version = 'go1.26.8', withTails = true): Uint8Array {
  const w = new DumpWriter().params(BASE, END, version);
  const p8 = BASE; // page 0: 8-byte scan span, 1008 objects (+16 tails)
  const n16 = BASE + PAGE_SIZE; // page 1: 16-byte noscan span, 504 objects (+8 tails)
  const big = BASE + 2 * PAGE_SIZE; // page 2: 1024-byte objects with a header
  w.object(p8, 8, { 0: n16 }); // every object of a scan span lists its pointer slot
  w.object(p8 + 8, 8, { 0: p8 });
  if (withTails) for (let k = 1008; k < 1024; k++) w.object(p8 + k * 8, 8, { 0: 2 ** 53 + 1 }, []); // heap bits: all ones
  w.object(n16, 16);
  if (withTails) for (let k = 504; k < 512; k++) w.object(n16 + k * 16, 16);
  w.object(big, 1024, { 0: 0x5a0000 /* type descriptor, not listed */, 8: p8 + 8 }, []);
  // The header word is not in the field list: list offset 8 only.
  return w
    .raw([])
    .segment('data', 0x600000, 16, { 0: p8, 8: big })
    .memstats()
    .eof()
    .finish();
}

describe('synthetic Go 1.26 dumps', () => {
  it('leaves span tails out, keeps the allocation header word as the type address, never as an edge', () => {
    const w = new DumpWriter().params(BASE, END, 'go1.26.8');
    const p8 = BASE;
    const big = BASE + 2 * PAGE_SIZE;
    w.object(p8, 8, { 0: p8 });
    for (let k = 1008; k < 1024; k++) w.object(p8 + k * 8, 8, {}, [0]);
    w.uv(1).uv(big).bytes(w.contents(1024, { 0: 0x5a0000, 8: p8 })).fields([8]);
    w.segment('data', 0x600000, 16, { 0: big }).eof();
    const d = parseHeapDump(w.finish());
    expect(d.objects.count).toBe(2);
    expect(d.spanTails.count).toBe(16);
    expect(d.spanTails.bytes).toBe(128);
    expect(Array.from(d.spanTails.address)).toEqual(Array.from({ length: 16 }, (_, k) => p8 + (1008 + k) * 8));
    expect(Array.from(d.typeWords.object)).toEqual([big]);
    expect(Array.from(d.typeWords.type)).toEqual([0x5a0000]);
    const a = buildHeapAnalysis(d);
    const s = a.summary();
    expect(s.objects).toBe(2);
    expect(s.spanTailSlots).toBe(16);
    expect(s.garbageObjects).toBe(0);
    expect(s.typedObjects).toBe(1);
    const node = a.nodeOf(`0x${big.toString(16)}`);
    expect(a.typeAddress(node)).toBe(0x5a0000);
    expect(a.objectDetails(node).typeAddress).toBe('0x5a0000');
    expect(a.objectDetails(node).outgoing.rows.map((r) => r.offset)).toEqual([8]);
    expect(a.typeAddress(a.nodeOf(`0x${p8.toString(16)}`))).toBeNull();
  });

  it('the same slots are objects in a Go 1.21 dump', () => {
    const w = new DumpWriter().params(BASE, END, 'go1.21.13');
    for (let k = 1000; k < 1024; k++) w.object(BASE + k * 8, 8, { 0: BASE }, []);
    w.object(BASE + 2 * PAGE_SIZE, 1024, { 0: 0x5a0000 });
    const d = parseHeapDump(w.eof().finish());
    expect(d.objects.count).toBe(25);
    expect(d.spanTails.count).toBe(0);
    expect(d.typeWords.object.length).toBe(0);
  });

  it('warns when a pointer leads into a slot taken for a span tail', () => {
    const w = new DumpWriter().params(BASE, END, 'go1.26.8');
    w.object(BASE, 8, { 0: BASE });
    w.object(BASE + 1010 * 8, 8, { 0: BASE });
    w.segment('data', 0x600000, 8, { 0: BASE + 1010 * 8 }).eof();
    const a = buildHeapAnalysis(parseHeapDump(w.finish()));
    expect(a.summary().warnings.join(' ')).toMatch(/1 pointer lead into span tails/);
  });

  it('refuses a dump cut before its roots with a typed error naming file, format and offset', () => {
    const full = modernDump();
    const cut = full.subarray(0, 200);
    const p = new HeapDumpParser({ file: 'cut.dump' });
    p.push(cut);
    const d = p.end();
    expect(d.complete).toBe(false);
    try {
      buildHeapAnalysis(d);
      expect.unreachable();
    } catch (e) {
      const err = e as HeapscopeError;
      expect(err).toBeInstanceOf(HeapscopeError);
      expect(err.code).toBe('TRUNCATED');
      expect(err.file).toBe('cut.dump');
      expect(err.format).toBe('heapdump');
      expect(err.offset).toBe(d.cut!.offset);
      expect(err.offset).toBeLessThanOrEqual(200);
      expect(err.message).not.toMatch(/goroutine leak/); // 1.26 without the experiment cannot crash so
    }
    // The same cut in a 1.27 dump names the known crash.
    const d27 = parseHeapDump(modernDump('go1.27.3').subarray(0, 200), { file: 'cut.dump' });
    expect(() => buildHeapAnalysis(d27)).toThrowError(/dumpgs in STW - bad status/);
  });
});

describe('fuzz (fixed seed): span tails, headers, cut-short dumps', () => {
  function mutate(b: Uint8Array, r: () => number): Uint8Array {
    const out = Uint8Array.from(b);
    const kind = Math.floor(r() * 3);
    if (kind === 0) return out.subarray(0, 16 + Math.floor(r() * (out.length - 16)));
    const n = 1 + Math.floor(r() * 4);
    for (let k = 0; k < n; k++) out[16 + Math.floor(r() * (out.length - 16))] = Math.floor(r() * 256);
    if (kind === 2) return out.subarray(0, 16 + Math.floor(r() * (out.length - 16)));
    return out;
  }

  function exercise(bytes: Uint8Array, r: () => number): string {
    let d;
    try {
      const p = new HeapDumpParser({ totalBytes: r() < 0.5 ? bytes.length : undefined, file: 'f.dump' });
      const chunk = 1 + Math.floor(r() * 3000);
      for (let off = 0; off < bytes.length; off += chunk) p.push(bytes.subarray(off, off + chunk));
      d = p.end();
    } catch (e) {
      if (!(e instanceof HeapscopeError)) throw e;
      expect(e.format).toBe('heapdump');
      expect(typeof e.offset).toBe('number');
      return 'error';
    }
    let a;
    try {
      a = buildHeapAnalysis(d);
    } catch (e) {
      if (!(e instanceof HeapscopeError)) throw e;
      expect(e.code).toBe('TRUNCATED');
      expect(e.file).toBe('f.dump');
      return 'refused';
    }
    const s = a.summary();
    expect(s.reachableObjects + s.garbageObjects).toBe(s.objects);
    expect(s.objects + s.spanTailSlots).toBe(d.recordCounts[1]);
    for (let i = 0; i < a.graph.typedObjects.length; i++) expect(a.graph.typedObjects[i]).toBeLessThan(a.graph.objectCount);
    if (a.graph.objectCount) a.objectDetails(a.graph.firstObject);
    return d.complete ? 'complete' : 'partial';
  }

  it('1,500 mutations of a synthetic Go 1.26 dump never crash or hang', () => {
    const r = rng(0x5eed1126);
    const base = modernDump();
    const outcome: Record<string, number> = {};
    for (let i = 0; i < 1500; i++) {
      const o = exercise(mutate(base, r), r);
      outcome[o] = (outcome[o] ?? 0) + 1;
    }
    for (const k of ['error', 'refused', 'partial', 'complete']) expect(outcome[k] ?? 0, k).toBeGreaterThan(5);
  });

  const real = join(__dirname, '../../fixtures/modern/heapdump/go1.27/plain/heap.dump.gz');
  it.skipIf(!existsSync(real))('300 cuts and corruptions of a real Go 1.27 dump never crash or hang', () => {
    const r = rng(127);
    const bytes = new Uint8Array(gunzipSync(readFileSync(real)));
    const outcome: Record<string, number> = {};
    for (let i = 0; i < 300; i++) {
      let b: Uint8Array;
      if (i % 2 === 0) b = bytes.subarray(0, 16 + Math.floor(r() * (bytes.length - 16)));
      else {
        b = bytes.slice(0, 16 + Math.floor(r() * 400_000));
        for (let k = 0; k < 3; k++) b[16 + Math.floor(r() * (b.length - 16))] = Math.floor(r() * 256);
      }
      const o = exercise(b, r);
      outcome[o] = (outcome[o] ?? 0) + 1;
    }
    expect((outcome.refused ?? 0) + (outcome.error ?? 0)).toBeGreaterThan(50);
  });
});
