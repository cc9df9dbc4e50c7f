/**
 * The stack objects of a Go binary's functions, from its pclntab (Go 1.18–1.27 layouts; 64-bit).
 *
 * An address-taken local whose address does not escape stays on the stack as a "stack object".
 * The GC scans it only when a live pointer in the stack points into it; `WriteHeapDump` lists the
 * frames' pointer bitmaps but not these objects, so what they hold looks like garbage in a dump (a
 * goroutine blocked in `ch <- rec` holds `rec`'s snapshot through chansend's `ep`). Each function's
 * `FUNCDATA_StackObjects` says where its objects lie in the frame and where their pointers are;
 * `stackscan.ts` uses that to scan them as the GC does.
 *
 * Layout read here (runtime/symtab.go, runtime/runtime2.go, runtime/stack.go):
 * - `pcHeader` at `.gopclntab`: magic 0xfffffff0 (1.18, 1.19) or 0xfffffff1 (1.20+), ptrSize at 7,
 *   nfunc at 8, pclnOffset at 8 + 7 words; the functab there: nfunc+1 (entryoff, funcoff) u32 pairs.
 * - `_func` at pclntab + funcoff: npcdata at 28, nfuncdata (u8) at 39 (1.18/1.19) or 43 (1.20+, after
 *   startLine), then npcdata u32 pcdata offsets and nfuncdata u32 funcdata offsets, each from
 *   `moduledata.gofunc` (the symbol `go.func.*`, `go:func.*` from 1.20); ^0 is none.
 * - FUNCDATA_StackObjects (2): a uintptr count, then {off, size, ptrBytes, gcdataoff} int32 records;
 *   off < 0 is from the frame's varp (locals), off ≥ 0 from its argp (arguments); the pointer mask
 *   (1 bit per word over ptrBytes) is at `runtime.rodata` + gcdataoff. Before 1.20, a negative
 *   ptrBytes means a GC program instead of a mask: such an object is left out.
 * Pure: reads through a virtual-address reader the ELF module builds from its section headers.
 */

/** Bytes at a virtual address of the binary (null when no section holds them). */
export type VirtualRead = (addr: number, length: number) => Uint8Array | null;

export interface StackObjectRecord {
  /** Offset in the frame: < 0 from varp (locals), ≥ 0 from argp (arguments, results). */
  off: number;
  size: number;
  /** Word indices (from the object's start) that hold pointers. */
  ptrWords: number[];
}

/** Plain data (posted between threads with the rest of ExeSymbols). */
export interface StackObjectTable {
  /** Function entry addresses (as linked, before any PIE slide), ascending. */
  entries: number[];
  /** The records of each entry's function. */
  records: StackObjectRecord[][];
}

export interface PclntabSymbols {
  /** `.gopclntab`'s address and size. */
  pclntab: { addr: number; size: number };
  /** `runtime.text` (moduledata.text: functab entry offsets count from it). */
  text: number;
  /** `go:func.*` / `go.func.*` (moduledata.gofunc). */
  gofunc: number;
  /** `runtime.rodata` (moduledata.rodata: pointer masks count from it). */
  rodata: number;
}

const MAGIC_118 = 0xfffffff0;
const MAGIC_120 = 0xfffffff1;
const FUNCDATA_STACK_OBJECTS = 2;
const NONE = 0xffffffff;
/** More records than any frame could hold: a corrupt table. */
const MAX_RECORDS = 1 << 16;

/**
 * The stack-object table of a 64-bit little-endian Go 1.18+ binary, or why there is none. Throws
 * nothing: a binary it cannot read only loses the stack objects (the rest of the analysis stands).
 */
export function readStackObjectTable(read: VirtualRead, s: PclntabSymbols): StackObjectTable | { unavailable: string } {
  const tab = read(s.pclntab.addr, s.pclntab.size);
  if (!tab || tab.length < 72) return { unavailable: 'its .gopclntab could not be read' };
  const v = new DataView(tab.buffer, tab.byteOffset, tab.byteLength);
  const magic = v.getUint32(0, true);
  if (magic !== MAGIC_118 && magic !== MAGIC_120) return { unavailable: `its pclntab is not Go 1.18–1.27's (magic 0x${magic.toString(16)})` };
  if (tab[7] !== 8) return { unavailable: `its pclntab is for ${tab[7] * 8}-bit pointers (stack objects are read on 64-bit only)` };
  const u64 = (o: number) => v.getUint32(o, true) + v.getUint32(o + 4, true) * 4294967296;
  const nfunc = u64(8);
  const pcln = u64(8 + 7 * 8);
  if (pcln + (nfunc + 1) * 8 > tab.length) return { unavailable: 'its functab lies outside .gopclntab' };
  const nfuncdataAt = magic === MAGIC_118 ? 39 : 43;
  const pcdataAt = nfuncdataAt + 1;
  const entries: number[] = [];
  const records: StackObjectRecord[][] = [];
  for (let i = 0; i < nfunc; i++) {
    const entryOff = v.getUint32(pcln + i * 8, true);
    const f = pcln + v.getUint32(pcln + i * 8 + 4, true);
    if (f + pcdataAt > tab.length) return { unavailable: `function ${i}'s record lies outside .gopclntab` };
    const nfuncdata = tab[f + nfuncdataAt]!;
    if (nfuncdata <= FUNCDATA_STACK_OBJECTS) continue;
    const npcdata = v.getUint32(f + 28, true);
    const at = f + pcdataAt + npcdata * 4 + FUNCDATA_STACK_OBJECTS * 4;
    if (at + 4 > tab.length) return { unavailable: `function ${i}'s funcdata lies outside .gopclntab` };
    const off = v.getUint32(at, true);
    if (off === NONE) continue;
    const head = read(s.gofunc + off, 8);
    if (!head || head.length < 8) return { unavailable: `function ${i}'s stack objects lie outside the binary` };
    const hv = new DataView(head.buffer, head.byteOffset, 8);
    const n = hv.getUint32(0, true) + hv.getUint32(4, true) * 4294967296;
    if (n === 0) continue;
    if (n > MAX_RECORDS) return { unavailable: `function ${i} claims ${n} stack objects` };
    const body = read(s.gofunc + off + 8, n * 16);
    if (!body || body.length < n * 16) return { unavailable: `function ${i}'s stack objects lie outside the binary` };
    const bv = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const recs: StackObjectRecord[] = [];
    for (let k = 0; k < n; k++) {
      const o = k * 16;
      const recOff = bv.getInt32(o, true);
      const size = bv.getInt32(o + 4, true);
      const ptrBytes = bv.getInt32(o + 8, true);
      const gcdataoff = bv.getUint32(o + 12, true);
      if (ptrBytes < 0) continue; // a GC program (Go ≤ 1.19, huge pointerful arrays): not scanned
      const words = Math.ceil(ptrBytes / 8);
      const mask = words > 0 ? read(s.rodata + gcdataoff, Math.ceil(words / 8)) : new Uint8Array(0);
      if (!mask || mask.length < Math.ceil(words / 8)) return { unavailable: `function ${i}'s stack object mask lies outside the binary` };
      const ptrWords: number[] = [];
      for (let w = 0; w < words; w++) if ((mask[w >> 3]! >> (w & 7)) & 1) ptrWords.push(w);
      if (ptrWords.length > 0 && size > 0) recs.push({ off: recOff, size, ptrWords });
    }
    if (recs.length === 0) continue;
    entries.push(s.text + entryOff);
    records.push(recs);
  }
  return { entries, records };
}

/** The records of the function entered at `entry` (as linked), or null. */
export function stackObjectsAt(t: StackObjectTable, entry: number): StackObjectRecord[] | null {
  const e = t.entries;
  let lo = 0;
  let hi = e.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = e[mid]!;
    if (x === entry) return t.records[mid]!;
    if (x < entry) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}
