import { describe, it, expect } from 'vitest';
import { HeapscopeError } from '../../../shared/errors';
import { HeapDumpParser, parseHeapDump, isHeapDump, type HeapDump } from '../../../shared/heap/index';
import { aRecord } from '../../../shared/heap/dump';
import { ARENA, ARENA_END, DumpWriter, everyRecordDump } from './dumpwriter';

function strip(d: HeapDump): unknown {
  // Typed arrays compare by content with toEqual; drop the bytesRead-independent fields only.
  return { ...d, objects: { ...d.objects, edgeTarget: Array.from(d.objects.edgeTarget) } };
}

describe('heap dump parser', () => {
  it('reads all 18 record kinds, keeping 64-bit times exact', () => {
    const bytes = everyRecordDump();
    expect(isHeapDump(bytes)).toBe(true);
    const d = parseHeapDump(bytes);
    expect(d.complete).toBe(true);
    expect(d.warnings).toEqual([]);
    expect(d.recordCounts.every((c) => c > 0)).toBe(true);
    expect(d.recordCounts.length).toBe(18);
    expect(d.params).toMatchObject({ ptrSize: 8, bigEndian: false, goVersion: 'go1.19.8', goarch: 'amd64', arenaStart: ARENA });
    expect(d.objects.count).toBe(3);
    // Two pointer fields into the arena; the nil field at 16 and the type pointer are dropped.
    expect(d.objects.edgeStart[1] - d.objects.edgeStart[0]).toBe(2);
    expect(d.objects.edgeStart[3] - d.objects.edgeStart[2]).toBe(0);
    expect(d.objects.edgeTargetBase + d.objects.edgeTarget[1]).toBe(ARENA + 0x208);
    expect(d.goroutines).toHaveLength(1);
    const g = d.goroutines[0];
    expect(g.waitSince).toBe((2n ** 60n + 3n).toString());
    expect(g.frames.map((f) => f.name)).toEqual(['runtime.gopark', 'main.worker']);
    expect(g.frames[1].slots).toEqual([{ offset: 8, target: ARENA + 0x100 }]);
    expect(g.defers).toHaveLength(1);
    expect(g.panics[0].efaceData).toBe(ARENA + 0x200);
    expect(d.segments.map((s) => s.kind)).toEqual(['data', 'bss']);
    expect(d.finalizers).toHaveLength(1);
    expect(d.queuedFinalizers).toHaveLength(1);
    expect(d.otherRoots[0].description).toBe('some root');
    expect(d.memStats!.fields.LastGC).toBe('1795362147478842426');
    expect(d.memStats!.pauseNs).toHaveLength(256);
    expect(d.memProf[0].frames[1].func).toBe('main.alloc');
    expect(Array.from(d.allocSamples.bucket)).toEqual([0]);
    expect(d.types[0].name).toBe('main.T');
    expect(d.itabs[0].typeAddress).toBe(0x4b0000);
    expect(d.threads[0].id).toBe(1);
  });

  it('gives the same result whatever the chunking (records straddle chunk boundaries)', () => {
    const bytes = everyRecordDump();
    const whole = strip(parseHeapDump(bytes, {}, bytes.length));
    for (const size of [1, 2, 3, 5, 7, 13, 64, 100, 1000]) {
      expect(strip(parseHeapDump(bytes, {}, size)), `chunk ${size}`).toEqual(whole);
    }
  });

  it('streams a big object split across many chunks without quadratic rework', () => {
    const w = new DumpWriter().params(ARENA, ARENA_END);
    const ptrs: Record<number, number> = {};
    for (let i = 0; i < 20000; i++) ptrs[i * 8] = ARENA + 0x1000000 + (i % 3) * 16;
    w.object(ARENA, 4 << 20, ptrs).object(ARENA + 0x1000000, 48).eof();
    const bytes = w.finish();
    const t0 = performance.now();
    const d = parseHeapDump(bytes, {}, 4096);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(d.complete).toBe(true);
    expect(d.objects.size[0]).toBe(4 << 20);
    expect(d.objects.edgeStart[1]).toBe(20000);
  });

  it('holds a bounded window: only the unfinished record is copied, never whole chunks', () => {
    // 30,000 small objects (a few dozen bytes each) and one 300 KB object in the middle.
    const w = new DumpWriter().params(ARENA, ARENA_END);
    for (let i = 0; i < 30000; i++) {
      if (i === 15000) w.object(ARENA + 0x2000000, 300 << 10, { 8: ARENA + 0x10 });
      w.object(ARENA + 0x100 + i * 64, 48, { 0: ARENA + 0x100 + ((i * 7) % 30000) * 64 });
    }
    const bytes = w.eof().finish();
    const whole = strip(parseHeapDump(bytes, {}, bytes.length));
    for (const size of [1 << 20, 65537, 4099]) {
      const p = new HeapDumpParser({ totalBytes: bytes.length });
      let most = 0;
      for (let off = 0; off < bytes.length; off += size) {
        p.push(bytes.subarray(off, Math.min(bytes.length, off + size)));
        most = Math.max(most, (p as unknown as { acc: Uint8Array }).acc.length);
      }
      expect(strip(p.end()), `chunk ${size}`).toEqual(whole);
      // The biggest record (300 KB) fits in 512 KB, whatever the chunk size.
      expect(most, `chunk ${size}`).toBeLessThanOrEqual(512 << 10);
    }
  });

  it('buffers a big record at its known length once, not by doubling', () => {
    // One 3 MB object between small ones, read in 64 KB chunks: once the contents' length is read,
    // the carry-over buffer is made for the whole record (doubling took six copies).
    const w = new DumpWriter().params(ARENA, ARENA_END);
    for (let i = 0; i < 100; i++) w.object(ARENA + 0x100 + i * 64, 48, { 0: ARENA + 0x100 });
    w.object(ARENA + 0x2000000, 3 << 20, { 8: ARENA + 0x100, 4096: ARENA + 0x140 });
    for (let i = 100; i < 200; i++) w.object(ARENA + 0x100 + i * 64, 48);
    const bytes = w.eof().finish();
    const whole = strip(parseHeapDump(bytes, {}, bytes.length));
    const p = new HeapDumpParser({ totalBytes: bytes.length });
    const buffers = new Set<Uint8Array>();
    for (let off = 0; off < bytes.length; off += 1 << 16) {
      p.push(bytes.subarray(off, Math.min(bytes.length, off + (1 << 16))));
      const acc = (p as unknown as { acc: Uint8Array }).acc;
      if (acc.length > 1 << 20) buffers.add(acc);
    }
    expect(strip(p.end())).toEqual(whole);
    expect(buffers.size).toBe(1);
    const [only] = [...buffers];
    expect(only!.length).toBeLessThan((3 << 20) * 1.2);
  });

  it("asks for an eighth more after a big object's contents before doubling (a one-byte field list)", () => {
    // A 3 MB object with one pointer after 100 small ones, read in 64 KB chunks: its contents end
    // on a chunk's edge, so its field list is not in yet when they are. The buffer made at its
    // known length (+ an eighth) takes the list; doubling at once made it 7 MB.
    const w = new DumpWriter().params(ARENA, ARENA_END);
    for (let i = 0; i < 100; i++) w.object(ARENA + 0x100 + i * 64, 48, { 0: ARENA + 0x100 });
    w.object(ARENA + 0x2000000, 3 << 20, { 8: ARENA + 0x100 });
    // ~2 MB of small objects after it: the file does not bound the buffer
    for (let i = 100; i < 200_000; i++) w.object(ARENA + 0x100 + i * 64, 48);
    const bytes = w.eof().finish();
    const p = new HeapDumpParser({ totalBytes: bytes.length });
    let most = 0;
    for (let off = 0; off < bytes.length; off += 1 << 16) {
      p.push(bytes.subarray(off, Math.min(bytes.length, off + (1 << 16))));
      most = Math.max(most, (p as unknown as { acc: Uint8Array }).acc.length);
    }
    expect(strip(p.end())).toEqual(strip(parseHeapDump(bytes, {}, bytes.length)));
    expect(most).toBeGreaterThan(3 << 20);
    expect(most).toBeLessThan((3 << 20) * 1.2);
  });

  it('gives each alloc sample its bucket: runs of one bucket, an unknown one, one listed after its samples', () => {
    const fr = [{ func: 'main.f', file: '/x.go', line: 1 }];
    const w = new DumpWriter().params(ARENA, ARENA_END);
    for (let i = 0; i < 8; i++) w.object(ARENA + 0x100 + i * 64, 48);
    w.memprof(0xc000a00000, 64, fr).memprof(0xc000b00000, 64, fr);
    const at = (i: number) => ARENA + 0x100 + i * 64;
    w.allocSample(at(0), 0xc000a00000).allocSample(at(1), 0xc000a00000).allocSample(at(2), 0xc000b00000);
    w.allocSample(at(3), 0xc000a00000).allocSample(at(4), 0xc000dead00).allocSample(at(5), 0xc000c00000);
    w.memprof(0xc000c00000, 64, fr); // a bucket listed after a sample of it
    w.allocSample(at(6), 0xc000c00000).allocSample(at(7), 0xc000c00000);
    const d = parseHeapDump(w.eof().finish());
    expect(Array.from(d.allocSamples.bucket)).toEqual([0, 0, 1, 0, 0xffffffff, 0xffffffff, 2, 2]);
  });

  it('does not keep references to pushed chunks (callers may reuse their buffer)', () => {
    const bytes = everyRecordDump();
    const p = new HeapDumpParser();
    const buf = new Uint8Array(37);
    for (let off = 0; off < bytes.length; off += buf.length) {
      const n = Math.min(buf.length, bytes.length - off);
      buf.set(bytes.subarray(off, off + n));
      p.push(buf.subarray(0, n));
      buf.fill(0xee);
    }
    expect(strip(p.end())).toEqual(strip(parseHeapDump(bytes)));
  });

  it('reads 32-bit big-endian dumps', () => {
    const w = new DumpWriter(4, true);
    w.params(0x10000000, 0x20000000, 'go1.19.8', 'mips')
      .object(0x10000000, 16, { 4: 0x10000010 })
      .object(0x10000010, 16)
      .segment('bss', 0x8000, 8, { 0: 0x10000000 })
      .eof();
    const d = parseHeapDump(w.finish());
    expect(d.params).toMatchObject({ ptrSize: 4, bigEndian: true });
    expect(d.objects.edgeTargetBase + d.objects.edgeTarget[0]).toBe(0x10000010);
    expect(d.segments[0].slots).toEqual([{ offset: 0, target: 0x10000000 }]);
  });

  it('keeps full 64-bit edge targets when the arena spans more than 4 GiB', () => {
    const lo = 0xc000000000;
    const hi = lo + 2 ** 40;
    const w = new DumpWriter().params(lo, hi).object(lo, 16, { 0: lo + 2 ** 36 }).object(lo + 2 ** 36, 16).eof();
    const d = parseHeapDump(w.finish());
    expect(d.objects.edgeTarget).toBeInstanceOf(Float64Array);
    expect(d.objects.edgeTargetBase + d.objects.edgeTarget[0]).toBe(lo + 2 ** 36);
  });

  it('stores object addresses in 32 bits, falling back to float64 for an object outside the arena', () => {
    const inArena = parseHeapDump(new DumpWriter().params(ARENA, ARENA_END).object(ARENA + 0x100, 16).object(ARENA + 0x40, 8).eof().finish());
    expect(inArena.objects.address).toBeInstanceOf(Uint32Array);
    expect(Array.from(inArena.objects.address, (a) => inArena.objects.addressBase + a)).toEqual([ARENA + 0x100, ARENA + 0x40]);
    const w = new DumpWriter().params(ARENA, ARENA_END);
    for (let i = 0; i < 5000; i++) w.object(ARENA + 0x100 + 32 * i, 16);
    w.object(0x1000, 32).object(ARENA + 0x40, 8).eof(); // outside the arena (below it), then inside again
    const d = parseHeapDump(w.finish(), {}, 1000);
    expect(d.objects.address).toBeInstanceOf(Float64Array);
    expect(d.objects.addressBase).toBe(0);
    expect(d.objects.address[0]).toBe(ARENA + 0x100);
    expect(d.objects.address[4999]).toBe(ARENA + 0x100 + 32 * 4999);
    expect(d.objects.address[5000]).toBe(0x1000);
    expect(d.objects.address[5001]).toBe(ARENA + 0x40);
    expect(Array.from(d.objects.size.subarray(4999))).toEqual([16, 32, 8]);
  });

  it('opens a truncated dump with what was read, marked incomplete', () => {
    const bytes = everyRecordDump();
    for (let cut = 16; cut < bytes.length; cut++) {
      const d = parseHeapDump(bytes.subarray(0, cut), {}, 7);
      expect(d.complete, `cut at ${cut}`).toBe(false);
      expect(d.warnings.join(' '), `cut at ${cut}`).toMatch(/dump is incomplete/);
    }
    const d = parseHeapDump(bytes.subarray(0, 200));
    expect(d.warnings[0]).toMatch(/ends inside an? [a-z ]+ record at byte \d+/);
    // Every cut names its record with the right article ("an object record", "a type record").
    for (let cut = 16; cut < bytes.length; cut++) {
      for (const w of parseHeapDump(bytes.subarray(0, cut), {}, 7).warnings) expect(w, `cut at ${cut}`).not.toMatch(/inside a (?:[aeiou]|OS |EOF)/i);
    }
    expect(['object record', 'other root record', 'itab record', 'OS thread record', 'EOF record', 'alloc sample record', 'type record', 'stack frame record'].map(aRecord)).toEqual([
      'an object record', 'an other root record', 'an itab record', 'an OS thread record', 'an EOF record', 'an alloc sample record', 'a type record', 'a stack frame record',
    ]);
    // Also when the total size is not known up front (pure streaming).
    const p = new HeapDumpParser();
    p.push(bytes.subarray(0, 150));
    expect(p.end().complete).toBe(false);
  });

  it('rejects what is not a heap dump, and a cut header, with typed errors', () => {
    expect(() => parseHeapDump(new TextEncoder().encode('hello world, not a dump at all'))).toThrowError(HeapscopeError);
    try {
      parseHeapDump(new TextEncoder().encode('go1.7 heap'));
      expect.unreachable();
    } catch (e) {
      expect((e as HeapscopeError).code).toBe('TRUNCATED');
    }
    try {
      parseHeapDump(new TextEncoder().encode('go1.8 heap dump\n'), { file: 'x.dump' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HeapscopeError);
      expect((e as HeapscopeError).code).toBe('BAD_FORMAT');
      expect((e as HeapscopeError).offset).toBe(4);
      expect((e as HeapscopeError).file).toBe('x.dump');
    }
  });

  it('names the record kind and byte offset of corrupt bytes', () => {
    const good = new DumpWriter().params(ARENA, ARENA_END).object(ARENA, 16);
    const at = good.length;
    const bad = good.uv(1).uv(ARENA + 16).bytes(new Uint8Array(16)).uv(9).uv(0).eof().finish();
    try {
      parseHeapDump(bad);
      expect.unreachable();
    } catch (e) {
      const err = e as HeapscopeError;
      expect(err.code).toBe('BAD_FORMAT');
      expect(err.format).toBe('heapdump');
      expect(err.offset).toBe(at);
      expect(err.message).toMatch(/bad field kind 9 in object record/);
    }
    const unknown = new DumpWriter().params(ARENA, ARENA_END).uv(42).eof().finish();
    expect(() => parseHeapDump(unknown)).toThrowError(/unknown record tag 42/);
    const overflow = new DumpWriter().params(ARENA, ARENA_END).raw([1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).finish();
    expect(() => parseHeapDump(overflow)).toThrowError(/varint overflows/);
    // partialOnCorruption: what came before is kept.
    const d = parseHeapDump(bad, { partialOnCorruption: true });
    expect(d.complete).toBe(false);
    expect(d.objects.count).toBe(1);
    expect(d.warnings[0]).toMatch(/corrupt heap dump: bad field kind 9 in object record at byte/);
  });

  it('reports progress and honours cancellation', () => {
    const w = new DumpWriter().params(ARENA, ARENA_END);
    for (let i = 0; i < 300_000; i++) w.object(ARENA + i * 16, 16);
    const bytes = w.eof().finish();
    let calls = 0;
    const task = {
      progress: () => void calls++,
      throwIfCancelled: () => {
        if (calls >= 1) throw new HeapscopeError({ code: 'CANCELLED', message: 'cancelled' });
      },
    };
    expect(() => parseHeapDump(bytes, { task })).toThrowError(/cancelled/);
    expect(calls).toBeGreaterThan(0);
  });

  it('ignores bytes after the EOF record, with a note', () => {
    const w = new DumpWriter().params(ARENA, ARENA_END).eof().raw([1, 2, 3]);
    const d = parseHeapDump(w.finish());
    expect(d.complete).toBe(true);
    expect(d.warnings).toEqual(['ignored bytes after the EOF record']);
  });
});
