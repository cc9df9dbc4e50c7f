/**
 * Bounds-checked little/big-endian reading of one DWARF section. Every read past the end throws a
 * typed BAD_FORMAT error naming the section and the offset, so corrupt input can never read out of
 * bounds, loop forever or crash with a RangeError.
 */
import { HeapscopeError } from '../errors';

export function dwarfError(message: string, section: string, offset: number, file?: string): HeapscopeError {
  const info: ConstructorParameters<typeof HeapscopeError>[0] = { code: 'BAD_FORMAT', format: 'dwarf', message: `${section}: ${message}`, offset };
  if (file !== undefined) info.file = file;
  return new HeapscopeError(info);
}

export class Cursor {
  pos: number;
  constructor(
    readonly b: Uint8Array,
    readonly section: string,
    readonly le: boolean,
    pos = 0,
    readonly end = b.length,
    readonly file?: string,
  ) {
    this.pos = pos;
  }
  fail(message: string, at = this.pos): never {
    throw dwarfError(message, this.section, at, this.file);
  }
  need(n: number): void {
    if (n < 0 || this.pos + n > this.end) this.fail(`unexpected end (need ${n} bytes)`);
  }
  seek(pos: number): void {
    if (pos < 0 || pos > this.end || !Number.isInteger(pos)) this.fail(`offset ${pos} outside the section`);
    this.pos = pos;
  }
  get left(): number {
    return this.end - this.pos;
  }
  u8(): number {
    this.need(1);
    return this.b[this.pos++];
  }
  i8(): number {
    const v = this.u8();
    return v >= 0x80 ? v - 0x100 : v;
  }
  u16(): number {
    this.need(2);
    const b = this.b;
    const o = this.pos;
    this.pos += 2;
    return this.le ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1];
  }
  u24(): number {
    this.need(3);
    const b = this.b;
    const o = this.pos;
    this.pos += 3;
    return this.le ? b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) : (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
  }
  u32(): number {
    this.need(4);
    const b = this.b;
    const o = this.pos;
    this.pos += 4;
    return this.le
      ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0
      : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  }
  /** 64-bit as a number (exact to 2^53; larger values lose low bits, never throw). */
  u64(): number {
    const a = this.u32();
    const c = this.u32();
    return this.le ? c * 4294967296 + a : a * 4294967296 + c;
  }
  uN(n: number): number {
    switch (n) {
      case 1:
        return this.u8();
      case 2:
        return this.u16();
      case 4:
        return this.u32();
      case 8:
        return this.u64();
      default:
        return this.fail(`unsupported size ${n}`);
    }
  }
  uleb(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      const byte = this.u8();
      result += (byte & 0x7f) * mul;
      if ((byte & 0x80) === 0) return result;
      mul *= 128;
      if (mul > 2 ** 70) {
        // Keep consuming (a LEB128 may be padded) but the value saturates.
        while (this.u8() & 0x80) {
          /* skip */
        }
        return Number.MAX_SAFE_INTEGER;
      }
    }
  }
  sleb(): number {
    let result = 0;
    let mul = 1;
    let byte = 0;
    for (;;) {
      byte = this.u8();
      result += (byte & 0x7f) * mul;
      mul *= 128;
      if ((byte & 0x80) === 0) break;
      if (mul > 2 ** 70) {
        while (this.u8() & 0x80) {
          /* skip */
        }
        return 0;
      }
    }
    if (byte & 0x40) result -= mul;
    return result;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
  cstr(): string {
    const s = this.pos;
    let e = s;
    const b = this.b;
    while (e < this.end && b[e] !== 0) e++;
    if (e >= this.end) this.fail('unterminated string', s);
    this.pos = e + 1;
    return decodeStr(b, s, e);
  }
}

const utf8 = new TextDecoder('utf-8');

export function decodeStr(b: Uint8Array, s: number, e: number): string {
  let ascii = true;
  for (let i = s; i < e; i++)
    if (b[i] >= 0x80) {
      ascii = false;
      break;
    }
  if (!ascii) return utf8.decode(b.subarray(s, e));
  let out = '';
  for (let i = s; i < e; i += 4096) out += String.fromCharCode(...b.subarray(i, Math.min(e, i + 4096)));
  return out;
}

/** A NUL-terminated string at `off` of a string section. */
export function strAt(b: Uint8Array, off: number, section: string, file?: string): string {
  if (off < 0 || off >= b.length) throw dwarfError(`string offset ${off} outside the section`, section, off, file);
  let e = off;
  while (e < b.length && b[e] !== 0) e++;
  return decodeStr(b, off, e);
}
