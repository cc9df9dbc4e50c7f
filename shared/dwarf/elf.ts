/**
 * The ELF side of DWARF: section headers, the .debug_* (and .zdebug_*) sections decompressed, and
 * the few symbols DWARF needs (runtime.types: DW_AT_go_runtime_type is an offset from it). The
 * host injects zlib inflation (`inflate`), as it injects gzip for profiles.
 *
 * Compressed sections, both forms Go linkers wrote:
 * - SHF_COMPRESSED (Go 1.14+ by default): an Elf_Chdr (type 1 = zlib, uncompressed size) then a
 *   zlib stream;
 * - `.zdebug_*` (Go 1.11–1.13): "ZLIB", the uncompressed size as 8 big-endian bytes, a zlib stream.
 */
import { HeapscopeError } from '../errors';
import { Cursor, decodeStr, dwarfError } from './cursor';

/** Synchronous random access to the binary (the same shape as shared/heap's ElfReader). */
export interface BinaryReader {
  size: number;
  read(offset: number, length: number): Uint8Array;
}

/** zlib (RFC 1950) inflation, given by the host; `expectedSize` is the size the section declares. */
export type Inflate = (data: Uint8Array, expectedSize: number) => Uint8Array;

export interface ElfSection {
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  entsize: number;
}

export interface ElfImage {
  le: boolean;
  is64: boolean;
  pie: boolean;
  machine: number;
  sections: ElfSection[];
}

const SHF_COMPRESSED = 0x800;
/** A section over this size (after inflation) is refused: no Go binary's DWARF comes close. */
export const MAX_SECTION_BYTES = 1 << 30;

function elfErr(message: string, offset: number, file?: string): HeapscopeError {
  const info: ConstructorParameters<typeof HeapscopeError>[0] = { code: 'BAD_FORMAT', format: 'elf', message, offset };
  if (file !== undefined) info.file = file;
  return new HeapscopeError(info);
}

function readExact(r: BinaryReader, offset: number, length: number, what: string, file?: string): Uint8Array {
  if (!Number.isFinite(offset) || !Number.isFinite(length) || offset < 0 || length < 0 || offset + length > r.size) throw elfErr(`${what} lies outside the file`, offset, file);
  const b = r.read(offset, length);
  if (b.length < length) throw elfErr(`${what}: short read`, offset, file);
  return b;
}

export function readElfImage(r: BinaryReader, file?: string): ElfImage {
  if (r.size < 52) throw elfErr('not an ELF executable: file too small', 0, file);
  const head = readExact(r, 0, Math.min(64, r.size), 'ELF header', file);
  if (head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) throw elfErr('not an ELF executable (DWARF is read from ELF binaries only)', 0, file);
  const cls = head[4];
  const data = head[5];
  if (cls !== 1 && cls !== 2) throw elfErr(`bad ELF class ${cls}`, 4, file);
  if (data !== 1 && data !== 2) throw elfErr(`bad ELF data encoding ${data}`, 5, file);
  const is64 = cls === 2;
  const le = data === 1;
  if (is64 && head.length < 64) throw elfErr('ELF header cut short', 0, file);
  const h = new Cursor(head, 'ELF header', le, 0, head.length, file);
  h.seek(16);
  const eType = h.u16();
  const machine = h.u16();
  h.seek(is64 ? 40 : 32);
  const shoff = is64 ? h.u64() : h.u32();
  h.seek(is64 ? 58 : 46);
  const shentsize = h.u16();
  let shnum = h.u16();
  let shstrndx = h.u16();
  const want = is64 ? 64 : 40;
  if (shoff === 0) throw elfErr('ELF file has no section headers', is64 ? 40 : 32, file);
  if (shentsize < want) throw elfErr(`bad section header size ${shentsize}`, is64 ? 58 : 46, file);
  const hdr = (b: Uint8Array, o: number): ElfSection => {
    const c = new Cursor(b, 'section headers', le, o, b.length, file);
    if (is64) {
      const nameOff = c.u32();
      const type = c.u32();
      const flags = c.u64();
      const addr = c.u64();
      const offset = c.u64();
      const size = c.u64();
      const link = c.u32();
      c.u32();
      c.u64();
      const entsize = c.u64();
      return { name: String(nameOff), type, flags, addr, offset, size, link, entsize };
    }
    const nameOff = c.u32();
    const type = c.u32();
    const flags = c.u32();
    const addr = c.u32();
    const offset = c.u32();
    const size = c.u32();
    const link = c.u32();
    c.u32();
    c.u32();
    const entsize = c.u32();
    return { name: String(nameOff), type, flags, addr, offset, size, link, entsize };
  };
  if (shnum === 0 || shstrndx === 0xffff) {
    const s0 = hdr(readExact(r, shoff, want, 'section header 0', file), 0);
    if (shnum === 0) shnum = s0.size;
    if (shstrndx === 0xffff) shstrndx = s0.link;
  }
  if (shnum > 1 << 16) throw elfErr(`too many sections (${shnum})`, shoff, file);
  const raw = readExact(r, shoff, shnum * shentsize, 'section headers', file);
  const sections: ElfSection[] = [];
  for (let i = 0; i < shnum; i++) sections.push(hdr(raw, i * shentsize));
  const names = shstrndx < sections.length ? sections[shstrndx] : undefined;
  let nameBytes: Uint8Array | null = null;
  if (names && names.type === 3 && names.size <= 1 << 24) nameBytes = readExact(r, names.offset, names.size, 'section name table', file);
  for (const s of sections) {
    const off = Number(s.name);
    if (!nameBytes || off >= nameBytes.length) {
      s.name = '';
      continue;
    }
    let e = off;
    while (e < nameBytes.length && nameBytes[e] !== 0) e++;
    s.name = decodeStr(nameBytes, off, e);
  }
  return { le, is64, pie: eType === 3, machine, sections };
}

/** The bytes of a section, inflated when compressed (either form). Null when the section is absent. */
export function sectionData(r: BinaryReader, img: ElfImage, name: string, inflate: Inflate | undefined, file?: string): Uint8Array | null {
  const z = '.z' + name.slice(1);
  const s = img.sections.find((x) => x.name === name) ?? img.sections.find((x) => x.name === z);
  if (!s || s.type === 8 /* NOBITS */) return null;
  if (s.size > MAX_SECTION_BYTES) throw elfErr(`${s.name} is too large (${s.size} bytes)`, s.offset, file);
  const bytes = readExact(r, s.offset, s.size, s.name, file);
  if (s.flags & SHF_COMPRESSED) {
    const c = new Cursor(bytes, s.name, img.le, 0, bytes.length, file);
    const type = c.u32();
    if (img.is64) c.u32(); // reserved
    const size = img.is64 ? c.u64() : c.u32();
    if (img.is64) c.u64();
    else c.u32(); // alignment
    if (type !== 1) throw dwarfError(`compression type ${type} is not zlib`, s.name, 0, file);
    return inflated(bytes.subarray(c.pos), size, s.name, inflate, file);
  }
  if (s.name.startsWith('.zdebug_')) {
    if (bytes.length < 12 || bytes[0] !== 0x5a || bytes[1] !== 0x4c || bytes[2] !== 0x49 || bytes[3] !== 0x42) return bytes; // not "ZLIB": stored plain
    const c = new Cursor(bytes, s.name, false, 4, bytes.length, file);
    const size = c.u64();
    return inflated(bytes.subarray(12), size, s.name, inflate, file);
  }
  return bytes;
}

function inflated(data: Uint8Array, size: number, section: string, inflate: Inflate | undefined, file?: string): Uint8Array {
  if (!inflate) throw new HeapscopeError({ code: 'UNSUPPORTED', format: 'dwarf', message: `${section} is zlib-compressed and no inflater was given`, ...(file !== undefined ? { file } : {}) });
  if (size > MAX_SECTION_BYTES) throw dwarfError(`declares ${size} bytes uncompressed (limit ${MAX_SECTION_BYTES})`, section, 0, file);
  let out: Uint8Array;
  try {
    out = inflate(data, size);
  } catch (e) {
    throw dwarfError(`does not inflate (${e instanceof Error ? e.message : String(e)})`, section, 0, file);
  }
  if (out.length !== size) throw dwarfError(`inflates to ${out.length} bytes, the header says ${size}`, section, 0, file);
  return out;
}

/** Values of the named symbols in .symtab (those found). */
export function findSymbols(r: BinaryReader, img: ElfImage, wanted: string[], file?: string): Map<string, number> {
  const out = new Map<string, number>();
  const symtab = img.sections.find((s) => s.type === 2);
  if (!symtab || symtab.link >= img.sections.length) return out;
  const strSec = img.sections[symtab.link];
  if (symtab.size > 1 << 30 || strSec.size > 1 << 30) throw elfErr('symbol table too large', symtab.offset, file);
  const strs = readExact(r, strSec.offset, strSec.size, 'string table', file);
  const want = new Set(wanted);
  // Match names by bytes, without decoding every symbol.
  const ent = img.is64 ? 24 : 16;
  const count = Math.floor(symtab.size / ent);
  const per = 1 << 14;
  for (let first = 0; first < count && out.size < want.size; first += per) {
    const n = Math.min(per, count - first);
    const b = readExact(r, symtab.offset + first * ent, n * ent, 'symbol table', file);
    const c = new Cursor(b, 'symbol table', img.le, 0, b.length, file);
    for (let i = 0; i < n; i++) {
      c.seek(i * ent);
      const nameOff = c.u32();
      let value: number;
      if (img.is64) {
        c.skip(4);
        value = c.u64();
      } else value = c.u32();
      if (nameOff >= strs.length) continue;
      let e = nameOff;
      while (e < strs.length && strs[e] !== 0 && e - nameOff < 64) e++;
      if (e - nameOff >= 64) continue;
      const name = decodeStr(strs, nameOff, e);
      if (want.has(name) && !out.has(name)) out.set(name, value);
    }
  }
  return out;
}
