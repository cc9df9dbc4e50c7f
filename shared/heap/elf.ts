/**
 * Just enough ELF to name the globals of a Go program: the section headers, the data/bss section
 * ranges and the OBJECT symbols of .symtab that live in them. Nothing else of the binary is read
 * (no code, no DWARF), and it is never executed. Works on ELF32/ELF64, little and big endian.
 *
 * Stripped binaries (`-ldflags=-s -w`) have no .symtab: the result has stripped = true and no
 * symbols, but still the section ranges (used to check the binary matches the dump).
 */
import { HeapscopeError } from '../errors';
import { readStackObjectTable, type StackObjectTable } from './pclntab';

/** Synchronous random-access reader the host implements (e.g. with fs.readSync). */
export interface ElfReader {
  size: number;
  /** Up to `length` bytes at `offset` (fewer only at the end of the file). */
  read(offset: number, length: number): Uint8Array;
}

export interface ExeSection {
  name: string;
  addr: number;
  size: number;
}

/** Plain data: can be posted between threads, cached, or built by tests by hand. */
export interface ExeSymbols {
  format: 'elf';
  /** ET_DYN (position-independent): its addresses are shifted by a slide at run time. */
  pie: boolean;
  /** No .symtab: globals cannot be named. */
  stripped: boolean;
  /** Data-like sections: .noptrdata, .data, .bss, .noptrbss (whichever exist). */
  sections: ExeSection[];
  /** Start/end of the Go data and bss ranges the runtime dumps (runtime.data/edata/bss/ebss, else the sections). */
  data?: { start: number; end: number };
  bss?: { start: number; end: number };
  /** OBJECT symbols inside the data-like sections, sorted by address. */
  symbols: { addr: number[]; size: number[]; name: string[] };
  /**
   * The functions' stack objects (pclntab.ts), so a dump's frames can be scanned as the GC scans
   * them; or why they could not be read (stripped, 32-bit, big-endian, not Go 1.18+).
   */
  stackObjects?: StackObjectTable | { unavailable: string };
}

export interface ElfReadOptions {
  /** Read the functions' stack objects from .gopclntab (default true; a few ms per MB of it). */
  stackObjects?: boolean;
}

const DATA_SECTIONS = ['.noptrdata', '.data', '.bss', '.noptrbss'];

function bad(message: string, offset?: number, file?: string): HeapscopeError {
  const info: ConstructorParameters<typeof HeapscopeError>[0] = { code: 'BAD_FORMAT', message, format: 'elf' };
  if (offset !== undefined) info.offset = offset;
  if (file !== undefined) info.file = file;
  return new HeapscopeError(info);
}

/** True when the bytes start with the ELF magic. */
export function isElf(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
}

class View {
  constructor(
    readonly b: Uint8Array,
    readonly le: boolean,
  ) {}
  u8(o: number): number {
    return this.b[o];
  }
  u16(o: number): number {
    const b = this.b;
    return this.le ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1];
  }
  u32(o: number): number {
    const b = this.b;
    return this.le
      ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0
      : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  }
  u64(o: number): number {
    const lo = this.le ? this.u32(o) : this.u32(o + 4);
    const hi = this.le ? this.u32(o + 4) : this.u32(o);
    return hi * 4294967296 + lo;
  }
}

function readExact(r: ElfReader, offset: number, length: number, what: string, file?: string): Uint8Array {
  if (offset < 0 || length < 0 || offset + length > r.size) throw bad(`${what} lies outside the file`, offset, file);
  const b = r.read(offset, length);
  if (b.length < length) throw bad(`${what}: short read`, offset, file);
  return b;
}

/** Read the section headers and the data symbols of an ELF executable. */
export function readElfSymbols(r: ElfReader, file?: string, opts: ElfReadOptions = {}): ExeSymbols {
  if (r.size < 52) throw bad('not an ELF executable: file too small', 0, file);
  const ident = readExact(r, 0, 64 > r.size ? 52 : 64, 'ELF header', file);
  if (!isElf(ident)) throw bad('not an ELF executable (Heapscope names globals from ELF binaries only)', 0, file);
  const cls = ident[4];
  const data = ident[5];
  if (cls !== 1 && cls !== 2) throw bad(`bad ELF class ${cls}`, 4, file);
  if (data !== 1 && data !== 2) throw bad(`bad ELF data encoding ${data}`, 5, file);
  const is64 = cls === 2;
  const h = new View(ident, data === 1);
  const eType = h.u16(16);
  const shoff = is64 ? h.u64(40) : h.u32(32);
  const shentsize = h.u16(is64 ? 58 : 46);
  let shnum = h.u16(is64 ? 60 : 48);
  let shstrndx = h.u16(is64 ? 62 : 50);
  const wantEnt = is64 ? 64 : 40;
  if (shoff === 0) throw bad('ELF file has no section headers', is64 ? 40 : 32, file);
  if (shentsize < wantEnt) throw bad(`bad section header size ${shentsize}`, is64 ? 58 : 46, file);
  if (shnum === 0 || shstrndx === 0xffff) {
    // Extended numbering: real values in section 0.
    const s0 = new View(readExact(r, shoff, wantEnt, 'section header 0', file), h.le);
    if (shnum === 0) shnum = is64 ? s0.u64(32) : s0.u32(20);
    if (shstrndx === 0xffff) shstrndx = s0.u32(is64 ? 40 : 24);
  }
  if (shnum > 1 << 20) throw bad(`too many sections (${shnum})`, shoff, file);
  const sh = new View(readExact(r, shoff, shnum * shentsize, 'section headers', file), h.le);
  interface Sec {
    nameOff: number;
    type: number;
    addr: number;
    offset: number;
    size: number;
    link: number;
    entsize: number;
    name: string;
  }
  const secs: Sec[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = i * shentsize;
    secs.push(
      is64
        ? { nameOff: sh.u32(o), type: sh.u32(o + 4), addr: sh.u64(o + 16), offset: sh.u64(o + 24), size: sh.u64(o + 32), link: sh.u32(o + 40), entsize: sh.u64(o + 56), name: '' }
        : { nameOff: sh.u32(o), type: sh.u32(o + 4), addr: sh.u32(o + 12), offset: sh.u32(o + 16), size: sh.u32(o + 20), link: sh.u32(o + 24), entsize: sh.u32(o + 36), name: '' },
    );
  }
  if (shstrndx < secs.length && secs[shstrndx].type === 3) {
    const ss = secs[shstrndx];
    if (ss.size > 1 << 24) throw bad('section name table too large', shoff, file);
    const names = readExact(r, ss.offset, ss.size, 'section name table', file);
    for (const s of secs) s.name = cstr(names, s.nameOff);
  }
  const sections: ExeSection[] = [];
  const dataSecIdx = new Set<number>();
  secs.forEach((s, i) => {
    if (DATA_SECTIONS.includes(s.name)) {
      sections.push({ name: s.name, addr: s.addr, size: s.size });
      dataSecIdx.add(i);
    }
  });

  const out: ExeSymbols = {
    format: 'elf',
    pie: eType === 3,
    stripped: true,
    sections,
    symbols: { addr: [], size: [], name: [] },
  };
  const symtab = secs.find((s) => s.type === 2);
  const special = new Map<string, number>();
  /** Symbols the stack objects are read through, in any section. */
  const pclnSyms = new Map<string, number>();
  if (symtab && symtab.size > 0) {
    out.stripped = false;
    const entSize = is64 ? 24 : 16;
    if (symtab.size > 1 << 30) throw bad('symbol table too large', symtab.offset, file);
    if (symtab.link >= secs.length) throw bad('symbol table links to a missing string table', symtab.offset, file);
    const strSec = secs[symtab.link];
    if (strSec.size > 1 << 30) throw bad('string table too large', strSec.offset, file);
    const strs = readExact(r, strSec.offset, strSec.size, 'string table', file);
    const count = Math.floor(symtab.size / entSize);
    const rows: { addr: number; size: number; name: string }[] = [];
    // Read the table in slices so a huge one never needs one giant buffer.
    const per = 1 << 16;
    for (let first = 0; first < count; first += per) {
      const n = Math.min(per, count - first);
      const v = new View(readExact(r, symtab.offset + first * entSize, n * entSize, 'symbol table', file), h.le);
      for (let i = 0; i < n; i++) {
        const o = i * entSize;
        const nameOff = v.u32(o);
        const info = is64 ? v.u8(o + 4) : v.u8(o + 12);
        const shndx = is64 ? v.u16(o + 6) : v.u16(o + 14);
        const value = is64 ? v.u64(o + 8) : v.u32(o + 4);
        const size = is64 ? v.u64(o + 16) : v.u32(o + 8);
        const type = info & 15;
        if (!dataSecIdx.has(shndx)) {
          if (shndx !== 0 && (type === 2 || type === 1 || type === 0)) {
            const name = cstr(strs, nameOff);
            if (PCLN_SYMBOLS.includes(name)) pclnSyms.set(name, value);
          }
          continue;
        }
        if (type !== 1 && type !== 0) continue; // OBJECT or NOTYPE
        const name = cstr(strs, nameOff);
        if (name === 'runtime.data' || name === 'runtime.edata' || name === 'runtime.bss' || name === 'runtime.ebss') {
          special.set(name, value);
          continue;
        }
        if (type !== 1 || name === '') continue;
        rows.push({ addr: value, size, name });
      }
    }
    rows.sort((a, b) => a.addr - b.addr || b.size - a.size);
    for (const row of rows) {
      out.symbols.addr.push(row.addr);
      out.symbols.size.push(row.size);
      out.symbols.name.push(row.name);
    }
  }
  const sec = (n: string) => sections.find((s) => s.name === n);
  const d = sec('.data');
  const b = sec('.bss');
  if (special.has('runtime.data') && special.has('runtime.edata')) out.data = { start: special.get('runtime.data')!, end: special.get('runtime.edata')! };
  else if (d) out.data = { start: d.addr, end: d.addr + d.size };
  if (special.has('runtime.bss') && special.has('runtime.ebss')) out.bss = { start: special.get('runtime.bss')!, end: special.get('runtime.ebss')! };
  else if (b) out.bss = { start: b.addr, end: b.addr + b.size };
  if (opts.stackObjects !== false) {
    try {
      out.stackObjects = stackObjectsOf(r, secs, pclnSyms, is64 && h.le, out.stripped);
    } catch (e) {
      // The rest of the binary was read: losing the stack objects must not lose the dump.
      out.stackObjects = { unavailable: `its .gopclntab could not be read (${e instanceof Error ? e.message : String(e)})` };
    }
  }
  return out;
}

const PCLN_SYMBOLS = ['runtime.text', 'runtime.rodata', 'go:func.*', 'go.func.*'];
/** A section bigger than this is not read for stack objects (no Go binary's pclntab comes near). */
const MAX_SECTION_READ = 1 << 30;

function stackObjectsOf(
  r: ElfReader,
  secs: readonly { name: string; type: number; addr: number; offset: number; size: number }[],
  syms: ReadonlyMap<string, number>,
  le64: boolean,
  stripped: boolean,
): StackObjectTable | { unavailable: string } {
  if (!le64) return { unavailable: 'stack objects are read from 64-bit little-endian binaries only' };
  if (stripped) return { unavailable: 'the binary is stripped (no symbol table)' };
  // `.gopclntab`; `.data.rel.ro.gopclntab` in a Go ≤ 1.19 PIE (relro).
  const pcln = secs.find((s) => s.name === '.gopclntab' || s.name.endsWith('.gopclntab'));
  const text = syms.get('runtime.text') ?? secs.find((s) => s.name === '.text')?.addr;
  const gofunc = syms.get('go:func.*') ?? syms.get('go.func.*');
  const rodata = syms.get('runtime.rodata');
  if (!pcln || text === undefined || gofunc === undefined || rodata === undefined) return { unavailable: 'the binary has no Go 1.18+ pclntab symbols (.gopclntab, go:func.*, runtime.rodata)' };
  // Virtual addresses → file offsets, through the sections that have bytes in the file; each is
  // read whole the first time (thousands of small records: one read each would be a syscall each).
  const loaded = secs.filter((s) => s.addr !== 0 && s.type !== 8 && s.size > 0 && s.offset + s.size <= r.size);
  const bytes = new Map<number, Uint8Array | null>();
  const read = (addr: number, length: number): Uint8Array | null => {
    const i = loaded.findIndex((x) => addr >= x.addr && addr + length <= x.addr + x.size);
    if (i < 0) return null;
    const s = loaded[i]!;
    let b = bytes.get(i);
    if (b === undefined) {
      const got = s.size <= MAX_SECTION_READ ? r.read(s.offset, s.size) : null;
      b = got && got.length === s.size ? got : null;
      bytes.set(i, b);
    }
    return b ? b.subarray(addr - s.addr, addr - s.addr + length) : null;
  };
  return readStackObjectTable(read, { pclntab: { addr: pcln.addr, size: pcln.size }, text, gofunc, rodata });
}

function cstr(b: Uint8Array, off: number): string {
  if (off >= b.length) return '';
  let e = off;
  while (e < b.length && b[e] !== 0) e++;
  let s = '';
  // Symbol names are ASCII in practice; decode UTF-8 only when needed.
  let ascii = true;
  for (let i = off; i < e; i++) if (b[i] >= 0x80) ascii = false;
  if (ascii) {
    for (let i = off; i < e; i += 4096) s += String.fromCharCode(...b.subarray(i, Math.min(e, i + 4096)));
    return s;
  }
  return new TextDecoder('utf-8').decode(b.subarray(off, e));
}

/** An ElfReader over bytes already in memory (tests, drag-and-drop). */
export function bytesReader(bytes: Uint8Array): ElfReader {
  return {
    size: bytes.length,
    read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}
