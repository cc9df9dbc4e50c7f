/**
 * The heap-dump loader reads a plain dump through one reused chunk buffer (`ChunkedFile.readInto`);
 * the parser keeps nothing of a chunk after push(), so the answers must be those of a reader that
 * hands out a fresh array per chunk (`read` only). The dump is ~20 MB, so the 8 MB buffer is
 * refilled twice, with records (and a 9 MB object) cut at the chunk edges.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openChunkedFile, type ChunkedFile } from '../../../electron/cli/io';
import { loadHeapDumpFile } from '../../../electron/services/heapdump-loader';
import { hex } from '../../../shared/heap/index';
import { ARENA as A, ARENA_END, DumpWriter } from './dumpwriter';

const dir = mkdtempSync(join(tmpdir(), 'heapscope-loader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dumpFile(): string {
  const w = new DumpWriter().params(A, ARENA_END);
  const n = 300_000;
  for (let i = 0; i < n; i++) {
    const ptrs: Record<number, number> = {};
    if (i + 1 < n) ptrs[0] = A + (i + 1) * 64;
    if (i % 3 === 0) ptrs[8] = A + ((i * 7919) % n) * 64;
    w.object(A + i * 64, 64, ptrs);
  }
  // a 9 MB object (more than a chunk) pointing back at the list
  w.object(A + n * 64 + 4096, 9 << 20, { 0: A, 4096: A + 64 * 1000 });
  w.segment('bss', 0x510000, 16, { 0: A, 8: A + n * 64 + 4096 }).eof();
  const path = join(dir, 'chunks.dump');
  writeFileSync(path, w.finish());
  return path;
}

describe('heap dump loader chunks', () => {
  it('gives the same analysis through the reused buffer as through fresh chunks', () => {
    const path = dumpFile();
    let refills = 0;
    const reusing = (p: string): ChunkedFile => {
      const f = openChunkedFile(p);
      const into = f.readInto!;
      return { size: f.size, read: f.read, close: f.close, readInto: (o, t) => (refills++, into(o, t)) };
    };
    const fresh = (p: string): ChunkedFile => {
      const f = openChunkedFile(p);
      return { size: f.size, read: f.read, close: f.close };
    };
    const snap = (open: (p: string) => ChunkedFile): string => {
      const a = loadHeapDumpFile(open, path, null).analysis;
      const { timings: _, ...summary } = a.summary();
      return JSON.stringify([summary, a.retainJson(), a.dominatorChildren(0, 0, 50), a.pathsToRoots(hex(A + 64 * 299_999), 2)]);
    };
    const viaReuse = snap(reusing);
    expect(refills).toBeGreaterThanOrEqual(3);
    expect(viaReuse).toEqual(snap(fresh));
    expect(JSON.parse(viaReuse)[0].objects).toBe(300_001);
  });

  it('readInto reads what read reads, and less at the end of the file', () => {
    const path = join(dir, 'small.bin');
    writeFileSync(path, Uint8Array.from({ length: 1000 }, (_, i) => i & 255));
    const f = openChunkedFile(path);
    try {
      const t = new Uint8Array(300);
      expect(f.readInto!(100, t)).toBe(300);
      expect(Array.from(t)).toEqual(Array.from(f.read(100, 300)));
      expect(f.readInto!(900, t)).toBe(100);
      expect(Array.from(t.subarray(0, 100))).toEqual(Array.from(f.read(900, 300)));
      expect(f.readInto!(1000, t)).toBe(0);
    } finally {
      f.close();
    }
  });
});
