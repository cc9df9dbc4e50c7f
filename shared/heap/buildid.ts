/**
 * A Go executable's identity, from its ELF notes: the Go build id (`.note.go.buildid`, what
 * `go tool buildid` prints, in every Go version) and the GNU build id (`.note.gnu.build-id`,
 * NT_GNU_BUILD_ID, what `readelf -n` prints; the Go linker writes one by default since Go 1.24, and
 * runtime/pprof copies it, hex, into the main binary's Mapping.build_id). Plus the sizes of the
 * .data and .bss sections, which a heap dump of the same binary repeats as its data/bss segments.
 *
 * Only the ELF header, the section headers (else the program headers) and the note sections are
 * read; never code, never DWARF. ELF32/ELF64, little and big endian.
 */
import { HeapscopeError } from '../errors';
import { isElf, type ElfReader } from './elf';

/** Plain data: safe to post between threads. */
export interface ExeBuildIds {
  /** `go tool buildid` (action id / content id parts, slash-separated); null when there is no Go note. */
  goBuildId: string | null;
  /** NT_GNU_BUILD_ID as lowercase hex (pprof's Mapping.build_id); null when absent (Go before 1.24). */
  gnuBuildId: string | null;
  /** Size in bytes of the .data / .bss sections (null when absent or when there are no section headers). */
  dataSize: number | null;
  bssSize: number | null;
  /** From .go.buildinfo (Go 1.18+): the toolchain (runtime.Version()) and the main package's import path. */
  goVersion: string | null;
  mainPath: string | null;
  /** The whole module info text (`go version -m`: path, mod, dep, =>, build lines), when present. */
  modInfo?: string;
}

const SHT_NOTE = 7;
const PT_NOTE = 4;
const NT_GNU_BUILD_ID = 3;
const NT_GO_BUILD_ID = 4;
const MAX_NOTE = 1 << 20;

function bad(message: string, offset: number, file?: string): HeapscopeError {
  const info: ConstructorParameters<typeof HeapscopeError>[0] = { code: 'BAD_FORMAT', message, format: 'elf', offset };
  if (file !== undefined) info.file = file;
  return new HeapscopeError(info);
}

interface Endian {
  u16(b: Uint8Array, o: number): number;
  u32(b: Uint8Array, o: number): number;
  u64(b: Uint8Array, o: number): number;
}

function endian(le: boolean): Endian {
  const u32 = (b: Uint8Array, o: number): number =>
    le ? (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0 : ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  return {
    u16: (b, o) => (le ? b[o]! | (b[o + 1]! << 8) : (b[o]! << 8) | b[o + 1]!),
    u32,
    u64: (b, o) => {
      const lo = le ? u32(b, o) : u32(b, o + 4);
      const hi = le ? u32(b, o + 4) : u32(b, o);
      return hi * 4294967296 + lo;
    },
  };
}

function readAt(r: ElfReader, offset: number, length: number, what: string, file?: string): Uint8Array {
  if (offset < 0 || length < 0 || offset + length > r.size) throw bad(`${what} lies outside the file`, offset, file);
  const b = r.read(offset, length);
  if (b.length < length) throw bad(`${what}: short read`, offset, file);
  return b;
}

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function ascii(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return s;
}

/** Walks one note area; fills the ids it finds. A malformed note ends the walk (it is not fatal). */
function scanNotes(b: Uint8Array, e: Endian, out: ExeBuildIds): void {
  let o = 0;
  while (o + 12 <= b.length) {
    const namesz = e.u32(b, o);
    const descsz = e.u32(b, o + 4);
    const type = e.u32(b, o + 8);
    const nameOff = o + 12;
    const descOff = nameOff + ((namesz + 3) & ~3);
    const next = descOff + ((descsz + 3) & ~3);
    if (namesz > b.length || descsz > b.length || descOff + descsz > b.length) return;
    // The name includes its NUL terminator.
    const name = ascii(b.subarray(nameOff, nameOff + namesz)).replace(/\0+$/, '');
    const desc = b.subarray(descOff, descOff + descsz);
    if (name === 'Go' && type === NT_GO_BUILD_ID && out.goBuildId === null) out.goBuildId = ascii(desc).replace(/\0+$/, '');
    else if (name === 'GNU' && type === NT_GNU_BUILD_ID && out.gnuBuildId === null && descsz > 0) out.gnuBuildId = hex(desc);
    if (next <= o) return;
    o = next;
  }
}

function uvarint(b: Uint8Array, o: number): { v: number; next: number } | null {
  let v = 0;
  let mul = 1;
  for (let i = o; i < b.length && i < o + 5; i++) {
    v += (b[i]! & 0x7f) * mul;
    if (b[i]! < 0x80) return { v, next: i + 1 };
    mul *= 128;
  }
  return null;
}

const BUILDINFO_MAGIC = '\xff Go buildinf:';

/**
 * .go.buildinfo, Go 1.18+ layout (flags bit 2: strings inline after the 32-byte header): the Go version,
 * then the module info ("path\t<main package>\nmod\t…", between 16-byte sentinels). Older layouts
 * (pointers to strings) are left alone.
 */
function readBuildInfo(b: Uint8Array, out: ExeBuildIds): void {
  if (ascii(b.subarray(0, 14)) !== BUILDINFO_MAGIC || (b[15]! & 2) === 0) return;
  const v = uvarint(b, 32);
  if (!v || v.next + v.v > b.length) return;
  out.goVersion = ascii(b.subarray(v.next, v.next + v.v)) || null;
  const m = uvarint(b, v.next + v.v);
  if (!m || m.next + m.v > b.length) return;
  // The module info sits between two 16-byte sentinels.
  const body = m.v >= 32 ? b.subarray(m.next + 16, m.next + m.v - 16) : b.subarray(m.next, m.next + m.v);
  const info = new TextDecoder('utf-8').decode(body);
  const path = /(?:^|\n)path\t([^\n]*)/.exec(info);
  if (path) out.mainPath = path[1]!;
  out.modInfo = info;
}

/**
 * The build ids (and .data/.bss sizes) of an ELF executable. Throws a BAD_FORMAT HeapscopeError
 * (file, format 'elf', offset) when the file is not ELF or its headers point outside it; an
 * executable without notes gives nulls.
 */
export function readElfBuildIds(r: ElfReader, file?: string): ExeBuildIds {
  if (r.size < 52) throw bad('not an ELF executable: file too small', 0, file);
  const h = readAt(r, 0, Math.min(64, r.size), 'ELF header', file);
  if (!isElf(h)) throw bad('not an ELF executable', 0, file);
  const cls = h[4];
  const data = h[5];
  if (cls !== 1 && cls !== 2) throw bad(`bad ELF class ${String(cls)}`, 4, file);
  if (data !== 1 && data !== 2) throw bad(`bad ELF data encoding ${String(data)}`, 5, file);
  const is64 = cls === 2;
  if (is64 && h.length < 64) throw bad('ELF header: short read', 0, file);
  const e = endian(data === 1);
  const out: ExeBuildIds = { goBuildId: null, gnuBuildId: null, dataSize: null, bssSize: null, goVersion: null, mainPath: null };

  const shoff = is64 ? e.u64(h, 40) : e.u32(h, 32);
  const shentsize = e.u16(h, is64 ? 58 : 46);
  let shnum = e.u16(h, is64 ? 60 : 48);
  let shstrndx = e.u16(h, is64 ? 62 : 50);
  const wantEnt = is64 ? 64 : 40;
  let sawNoteSection = false;
  if (shoff !== 0 && shentsize >= wantEnt) {
    if (shnum === 0 || shstrndx === 0xffff) {
      const s0 = readAt(r, shoff, wantEnt, 'section header 0', file);
      if (shnum === 0) shnum = is64 ? e.u64(s0, 32) : e.u32(s0, 20);
      if (shstrndx === 0xffff) shstrndx = e.u32(s0, is64 ? 40 : 24);
    }
    if (shnum > 1 << 20) throw bad(`too many sections (${shnum})`, shoff, file);
    const sh = readAt(r, shoff, shnum * shentsize, 'section headers', file);
    const sec = (i: number) => {
      const o = i * shentsize;
      return is64
        ? { name: e.u32(sh, o), type: e.u32(sh, o + 4), offset: e.u64(sh, o + 24), size: e.u64(sh, o + 32) }
        : { name: e.u32(sh, o), type: e.u32(sh, o + 4), offset: e.u32(sh, o + 16), size: e.u32(sh, o + 20) };
    };
    let names: Uint8Array | null = null;
    if (shstrndx < shnum) {
      const ss = sec(shstrndx);
      if (ss.size <= MAX_NOTE && ss.offset + ss.size <= r.size) names = readAt(r, ss.offset, ss.size, 'section name table', file);
    }
    for (let i = 0; i < shnum; i++) {
      const s = sec(i);
      if (names && s.name < names.length) {
        let end = s.name;
        while (end < names.length && names[end] !== 0) end++;
        const n = ascii(names.subarray(s.name, end));
        if (n === '.data') out.dataSize = s.size;
        else if (n === '.bss') out.bssSize = s.size;
        else if (n === '.go.buildinfo' && s.type !== 8 && s.size >= 32) readBuildInfo(readAt(r, s.offset, Math.min(s.size, MAX_NOTE), '.go.buildinfo', file), out);
      }
      if (s.type === SHT_NOTE && s.size > 0 && s.size <= MAX_NOTE) {
        sawNoteSection = true;
        scanNotes(readAt(r, s.offset, s.size, `note section ${i}`, file), e, out);
      }
    }
  }
  if (!sawNoteSection) {
    // No section headers (or no note sections in them): the PT_NOTE segments.
    const phoff = is64 ? e.u64(h, 32) : e.u32(h, 28);
    const phentsize = e.u16(h, is64 ? 54 : 42);
    const phnum = e.u16(h, is64 ? 56 : 44);
    const want = is64 ? 56 : 32;
    if (phoff !== 0 && phentsize >= want && phnum > 0 && phnum < 1 << 16) {
      const ph = readAt(r, phoff, phnum * phentsize, 'program headers', file);
      for (let i = 0; i < phnum; i++) {
        const o = i * phentsize;
        if (e.u32(ph, o) !== PT_NOTE) continue;
        const off = is64 ? e.u64(ph, o + 8) : e.u32(ph, o + 4);
        const size = is64 ? e.u64(ph, o + 32) : e.u32(ph, o + 16);
        if (size > 0 && size <= MAX_NOTE) scanNotes(readAt(r, off, size, `note segment ${i}`, file), e, out);
      }
    }
  }
  return out;
}
