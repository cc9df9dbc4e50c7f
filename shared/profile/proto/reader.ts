/**
 * A minimal protobuf wire-format reader over a Uint8Array. Varints are decoded into (lo, hi) uint32
 * halves so 64-bit values stay exact; callers pick the interpretation (unsigned, signed, bigint).
 * Every read is bounds-checked against `end` and throws a TRUNCATED/BAD_FORMAT HeapscopeError with
 * the byte offset, so corrupt input can never read past its message or loop forever.
 */
import { HeapscopeError } from '../../errors';

const TWO32 = 4294967296;

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

export class PbReader {
  buf: Uint8Array;
  pos: number;
  end: number;
  /**
   * Low and high 32 bits of the last varint read. Kept in a typed array rather than in number
   * fields: uint32 values above 2^30 would flip a field's representation (Smi → double) and
   * deoptimize every caller on first sight.
   */
  private readonly half = new Uint32Array(2);
  get lo(): number {
    return this.half[0]!;
  }
  set lo(v: number) {
    this.half[0] = v;
  }
  get hi(): number {
    return this.half[1]!;
  }
  set hi(v: number) {
    this.half[1] = v;
  }
  /** Decoded field header of the last `tag()` call. */
  field = 0;
  wire = 0;
  format: string;
  file: string;

  constructor(buf: Uint8Array, pos: number, end: number, file: string, format: string) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.file = file;
    this.format = format;
  }

  fail(code: 'TRUNCATED' | 'BAD_FORMAT', message: string, offset: number = this.pos): never {
    throw new HeapscopeError({ code, message, file: this.file, format: this.format, offset });
  }

  /** Reads a varint; returns it as an unsigned number (exact below 2^53) and sets lo/hi. */
  varint(): number {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    if (pos >= end) this.fail('TRUNCATED', 'input ends inside a varint');
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      this.lo = b;
      this.hi = 0;
      return b;
    }
    let lo = b & 0x7f;
    let hi = 0;
    let shift = 7;
    // Bytes 2..4 fill bits 7..27 of lo.
    for (; shift < 28; shift += 7) {
      if (pos >= end) this.fail('TRUNCATED', 'input ends inside a varint');
      b = buf[pos++]!;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo >>> 0;
        this.hi = 0;
        return this.lo;
      }
    }
    // Byte 5: 4 bits to lo, 3 bits to hi.
    if (pos >= end) this.fail('TRUNCATED', 'input ends inside a varint');
    b = buf[pos++]!;
    lo = (lo | ((b & 0x0f) << 28)) >>> 0;
    hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      // Bytes 6..10 fill hi from bit 3.
      for (shift = 3; ; shift += 7) {
        if (pos >= end) this.fail('TRUNCATED', 'input ends inside a varint');
        b = buf[pos++]!;
        if (shift < 32) hi |= (b & 0x7f) << shift;
        if (b < 0x80) break;
        if (shift >= 31) this.fail('BAD_FORMAT', 'varint longer than 10 bytes', pos - 1);
      }
    }
    this.pos = pos;
    this.lo = lo;
    this.hi = hi >>> 0;
    return this.hi * TWO32 + lo;
  }

  /** The last varint as a signed int64 number (two's complement; exact within ±2^53). */
  signed(): number {
    const hi = this.hi;
    if (hi < 0x80000000) return hi * TWO32 + this.lo;
    const nlo = (~this.lo + 1) >>> 0;
    const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
    return -(nhi * TWO32 + nlo);
  }

  /** The last varint as a signed int64 bigint (exact). */
  signedBig(): bigint {
    return BigInt.asIntN(64, (BigInt(this.hi) << 32n) | BigInt(this.lo));
  }

  /** Reads a field header; returns false at the end of the message. */
  tag(): boolean {
    if (this.pos >= this.end) return false;
    const start = this.pos;
    const t = this.varint();
    const wire = t & 7;
    const field = Math.floor(t / 8);
    if (field === 0) this.fail('BAD_FORMAT', 'field number 0', start);
    if (wire === 3 || wire === 4 || wire === 6 || wire === 7) this.fail('BAD_FORMAT', `unsupported wire type ${wire} for field ${field}`, start);
    this.field = field;
    this.wire = wire;
    return true;
  }

  /** Reads a length prefix and returns the end offset of the delimited bytes (checked). */
  lenEnd(): number {
    const at = this.pos;
    const n = this.varint();
    const e = this.pos + n;
    if (this.hi !== 0 || e > this.end) this.fail('TRUNCATED', `length ${n} runs past the end of its message`, at);
    return e;
  }

  /** Skips the value of the current field. */
  skip(): void {
    switch (this.wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_I64:
        if (this.pos + 8 > this.end) this.fail('TRUNCATED', 'input ends inside a fixed64');
        this.pos += 8;
        return;
      case WIRE_I32:
        if (this.pos + 4 > this.end) this.fail('TRUNCATED', 'input ends inside a fixed32');
        this.pos += 4;
        return;
      case WIRE_LEN:
        this.pos = this.lenEnd();
        return;
      default:
        this.fail('BAD_FORMAT', `unsupported wire type ${this.wire}`);
    }
  }

  expectWire(w: number, what: string): void {
    if (this.wire !== w) this.fail('BAD_FORMAT', `${what} has wire type ${this.wire}, expected ${w}`);
  }
}
