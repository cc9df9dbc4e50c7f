/**
 * A goroutine's live stack objects, scanned as the GC scans them (runtime/mgcmark.go `scanstack`):
 * an object of a frame (pclntab.ts) is live only when a pointer already known live points into it
 * — a frame slot the dump lists (the pointer bitmaps), the saved context, a defer's closure, a
 * panic — or a live stack object does; its pointer words are then read from the frame's bytes in the
 * dump. Pointers into the heap become root edges of the goroutine, attributed to the frame whose
 * bytes hold them; pointers into the stack find more objects. A dead address-taken local (no live
 * pointer to it) is never read, so what it pointed at is not revived.
 *
 * Frame layout (runtime/traceback.go, the same from Go 1.19 to 1.27): fp = sp + the frame's size in
 * the dump. amd64: the frame ends past the return address the call pushed, so varp = fp − 8; argp =
 * fp. arm64 (a link register: the caller saves the return address at its own 0(SP)): varp = fp;
 * argp = fp + 8 (MinFrameSize). On both, varp drops 8 more for the saved frame pointer when the frame
 * has locals (framepointer_enabled). Other architectures are not scanned (untested layouts).
 */
import type { DumpGoroutine, HeapDump } from './dump';
import type { ExeSymbols } from './elf';
import { stackObjectsAt, type StackObjectRecord, type StackObjectTable } from './pclntab';

export type FrameBytesReader = (offset: number, length: number) => Uint8Array;

interface LiveObject {
  addr: number;
  end: number;
  rec: StackObjectRecord;
  scanned: boolean;
}

export interface StackScanContext {
  table: StackObjectTable;
  /** PIE slide: runtime address − linked address. */
  slide: number;
  read: FrameBytesReader;
  /** Frame layout: bytes between fp and varp before the frame pointer (the pushed return address), and from fp to argp. */
  layout: { retAddr: number; minFrame: number };
  /** Heap pointers are those in [arenaStart, arenaEnd), as the parser keeps frame slots. */
  arenaStart: number;
  arenaEnd: number;
  /** Objects scanned and pointers found, over every goroutine (for the summary). */
  counts: { objects: number; pointers: number };
}

const FRAME_LAYOUTS: Record<string, StackScanContext['layout']> = {
  amd64: { retAddr: 8, minFrame: 0 },
  arm64: { retAddr: 0, minFrame: 8 },
};

/** The reason when the caller gave no reader of the dump's bytes (an API choice: no warning). */
export const NO_DUMP_BYTES = "the dump's bytes were not at hand";

/** What the scan found over the whole dump, or why it could not run. */
export type StackObjectsInfo = { objects: number; pointers: number } | { unavailable: string };

/**
 * The scan's context for `dump`, or why there is none: no binary, a binary whose stack objects could
 * not be read or that does not match the dump (`slide` null), another architecture, no dump bytes.
 */
export function stackScanContext(dump: HeapDump, exe: ExeSymbols | undefined, slide: number | null, read: FrameBytesReader | null): StackScanContext | { unavailable: string } {
  if (!exe) return { unavailable: 'no binary' };
  if (!read) return { unavailable: NO_DUMP_BYTES };
  const t = exe.stackObjects;
  if (!t) return { unavailable: 'the binary was read without its stack objects' };
  if ('unavailable' in t) return t;
  if (slide === null) return { unavailable: 'the binary does not match the dump' };
  const p = dump.params;
  const layout = FRAME_LAYOUTS[p.goarch];
  if (!layout || p.ptrSize !== 8 || p.bigEndian) return { unavailable: `stack objects are scanned on amd64 and arm64 only (this dump is ${p.goarch || 'of an unknown architecture'})` };
  return { table: t, slide, read, layout, arenaStart: p.arenaStart, arenaEnd: p.arenaEnd, counts: { objects: 0, pointers: 0 } };
}

/**
 * Calls `edge(frameIndex, offsetInFrame, target)` for each heap pointer in `g`'s live stack objects
 * (amd64 or arm64, 64-bit little endian).
 */
export function scanStackObjects(g: DumpGoroutine, c: StackScanContext, edge: (frame: number, offset: number, target: number) => void): void {
  const frames = g.frames;
  if (frames.length === 0) return;
  const objects: LiveObject[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const f of frames) {
    lo = Math.min(lo, f.sp);
    hi = Math.max(hi, f.sp + f.size);
    const recs = stackObjectsAt(c.table, f.entryPc - c.slide);
    if (!recs) continue;
    const fp = f.sp + f.size;
    let varp = fp - c.layout.retAddr;
    if (varp > f.sp) varp -= 8;
    const argp = fp + c.layout.minFrame;
    for (const rec of recs) {
      const addr = (rec.off < 0 ? varp : argp) + rec.off;
      if (addr < f.sp) continue; // not allocated in the frame yet
      objects.push({ addr, end: addr + rec.size, rec, scanned: false });
    }
  }
  if (objects.length === 0) return;
  objects.sort((a, b) => a.addr - b.addr);
  const queue: number[] = [];
  const inStack = (p: number) => p >= lo && p < hi;
  for (const f of frames) for (const s of f.slots) if (inStack(s.target)) queue.push(s.target);
  if (inStack(g.ctxt)) queue.push(g.ctxt);
  for (const d of g.defers) if (inStack(d.funcval)) queue.push(d.funcval);
  for (const p of g.panics) if (inStack(p.address)) queue.push(p.address);
  while (queue.length > 0) {
    const o = findObject(objects, queue.pop()!);
    if (!o || o.scanned) continue;
    o.scanned = true;
    c.counts.objects++;
    const fi = frameHolding(g, o.addr);
    if (fi < 0) continue;
    const f = frames[fi]!;
    const len = Math.min(o.rec.size, f.sp + f.size - o.addr);
    const bytes = c.read(f.contentsAt + (o.addr - f.sp), len);
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const w of o.rec.ptrWords) {
      const at = w * 8;
      if (at + 8 > bytes.length) break;
      const p = v.getUint32(at, true) + v.getUint32(at + 4, true) * 4294967296;
      if (p === 0) continue;
      if (inStack(p)) queue.push(p);
      else if (p >= c.arenaStart && p < c.arenaEnd) {
        c.counts.pointers++;
        edge(fi, o.addr - f.sp + at, p);
      }
    }
  }
}

function findObject(objects: readonly LiveObject[], p: number): LiveObject | null {
  let lo = 0;
  let hi = objects.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const o = objects[mid]!;
    if (p < o.addr) hi = mid - 1;
    else if (p >= o.end) lo = mid + 1;
    else return o;
  }
  return null;
}

/** The frame whose bytes hold `addr` (frames run from the innermost, lowest sp, outward). */
function frameHolding(g: DumpGoroutine, addr: number): number {
  const fs = g.frames;
  for (let i = 0; i < fs.length; i++) {
    const f = fs[i]!;
    if (addr >= f.sp && addr < f.sp + f.size) return i;
  }
  return -1;
}
