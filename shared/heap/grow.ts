/**
 * Typed storage for the heap engine: allocation of per-object / per-edge arrays, growable arrays for
 * the parser, small helpers.
 *
 * Big arrays and the system allocator. glibc (Linux) serves an allocation below its *dynamic* mmap
 * threshold from the brk heap; the threshold rises to the size of the largest mapping freed so far
 * (up to 32 MiB). Once one 8-MB array has been freed, every later 8-MB array comes from the brk heap,
 * where freed memory stays as holes instead of going back to the system: a pipeline that frees and
 * allocates arrays phase after phase then holds up to twice its live data. So every array of 1 MiB
 * or more is backed by at least 32 MiB (bigBuffer): always a fresh mapping, unmapped when freed, and
 * only the pages actually written count (the rest is untouched address space, zero until written).
 * Elsewhere (other allocators, browsers) this costs nothing but address space.
 */

/** Hex of a non-negative integer address, "0x" prefixed (exact up to 2^53). */
export function hex(v: number): string {
  return '0x' + v.toString(16);
}

const BIG_ARRAY = 1 << 20;
const MAPPED = (32 << 20) + (64 << 10);

/** An ArrayBuffer of at least `bytes` (see the header: at least 32 MiB from 1 MiB on). */
export function bigBuffer(bytes: number): ArrayBuffer {
  return new ArrayBuffer(bytes >= BIG_ARRAY ? Math.max(bytes, MAPPED) : bytes);
}

/** Zeroed typed arrays of exactly n entries, big ones on a mapped buffer (see the header). */
export function newU32(n: number): Uint32Array {
  return new Uint32Array(bigBuffer(4 * n), 0, n);
}
export function newI32(n: number): Int32Array {
  return new Int32Array(bigBuffer(4 * n), 0, n);
}
export function newF64(n: number): Float64Array {
  return new Float64Array(bigBuffer(8 * n), 0, n);
}
export function newU16(n: number): Uint16Array {
  return new Uint16Array(bigBuffer(2 * n), 0, n);
}
export function newI16(n: number): Int16Array {
  return new Int16Array(bigBuffer(2 * n), 0, n);
}
export function newI8(n: number): Int8Array {
  return new Int8Array(bigBuffer(n), 0, n);
}
export function newU8(n: number): Uint8Array {
  return new Uint8Array(bigBuffer(n), 0, n);
}

const FIRST = 1 << 12;
/** The most address space one reserved array may take (see Grow). */
const MAX_RESERVE = 2 ** 31;

/** A buffer of `bytes` when the allocator grants it (address space only), else one of `fallback`. */
function reserveBuffer(bytes: number, fallback: number): ArrayBuffer {
  if (bytes > fallback && bytes <= MAX_RESERVE) {
    try {
      return bigBuffer(bytes);
    } catch {
      // RangeError: address space refused; grow from the small buffer instead
    }
  }
  return new ArrayBuffer(fallback);
}

/**
 * Append-only storage, one contiguous array doubling as it grows. Past 1 MiB it sits on a mapped
 * buffer whose unused tail is never touched, so take() hands out a view without copying.
 *
 * Given a capacity (an estimate from the file's size), it starts at that size: only the pages
 * written are backed, and nothing is copied unless the estimate is passed. Doubling from 16 KB
 * wrote each entry about three times over (two copies) and faulted in twice the final size: on a
 * 1 GB dump that was ~500k page faults, seconds of kernel time on hosts where a fault is dear.
 */
abstract class Grow<A extends Uint32Array | Float64Array> {
  protected buf: A;
  length = 0;
  constructor(buf: A) {
    this.buf = buf;
  }
  protected abstract make(buffer: ArrayBuffer): A;
  protected grow(): void {
    const bytes = 2 * this.buf.byteLength;
    const next = this.make(bigBuffer(bytes));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  /** Drop entries from n on (n <= length). */
  truncate(n: number): void {
    this.length = n;
  }
  get(i: number): number {
    return this.buf[i];
  }
  /** The values, exactly `length` of them (the storage is released). */
  take(): A {
    const n = this.length;
    const b = this.buf;
    this.buf = this.make(new ArrayBuffer(0));
    this.length = 0;
    // A small buffer is copied to its exact size; a mapped one is only touched as far as it is used.
    return (b.byteLength >= BIG_ARRAY ? b.subarray(0, n) : b.slice(0, n)) as A;
  }
}

export class GrowF64 extends Grow<Float64Array> {
  constructor(capacity = 0) {
    super(new Float64Array(reserveBuffer(8 * capacity, 8 * FIRST)));
  }
  protected make(buffer: ArrayBuffer): Float64Array {
    return new Float64Array(buffer);
  }
  push(v: number): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[this.length++] = v;
  }
}

export class GrowU32 extends Grow<Uint32Array> {
  constructor(capacity = 0) {
    super(new Uint32Array(reserveBuffer(4 * capacity, 4 * FIRST)));
  }
  protected make(buffer: ArrayBuffer): Uint32Array {
    return new Uint32Array(buffer);
  }
  push(v: number): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[this.length++] = v;
  }
  /** The values plus `base`, as float64 storage (this storage is released). */
  toF64(base: number): GrowF64 {
    const out = new GrowF64(this.buf.length);
    for (let i = 0; i < this.length; i++) out.push(base + this.buf[i]);
    this.take();
    return out;
  }
}

/** Addresses as 32-bit offsets from `base` while they fit (4 bytes each), else absolute float64. */
export class AddrBlocks {
  private rel: GrowU32 | null = null;
  private abs: GrowF64 | null = null;
  private readonly base: number;
  /** base null: absolute from the start. capacity: see Grow. */
  constructor(base: number | null, capacity = 0) {
    if (base === null) {
      this.abs = new GrowF64(capacity);
      this.base = 0;
    } else {
      this.rel = new GrowU32(capacity);
      this.base = base;
    }
  }
  push(v: number): void {
    if (this.rel) {
      const r = v - this.base;
      if (r >= 0 && r <= 0xffffffff) {
        this.rel.push(r);
        return;
      }
      this.abs = this.rel.toF64(this.base);
      this.rel = null;
    }
    this.abs!.push(v);
  }
  /** The values (address = base + value[i]; base 0 when absolute); the storage is released. */
  take(): { values: Uint32Array | Float64Array; base: number } {
    return this.rel ? { values: this.rel.take(), base: this.base } : { values: this.abs!.take(), base: 0 };
  }
}

/**
 * Arrays a phase is done with, handed to later phases instead of fresh ones. Their written pages
 * are resident already: reusing one costs a fill of the part that was used, where a fresh array
 * costs a page fault per 4 KB written (7-10 µs each on some hosts: ~0.15 s per 19M-entry array).
 * A given array must have no other user left.
 */
export class Spares {
  private readonly list: Array<{ buffer: ArrayBuffer; offset: number; used: number }> = [];

  /** `a` is dead: its buffer (from a.byteOffset on) may back a later array. */
  give(a: Uint32Array | Int32Array | Float64Array): void {
    if (a.byteLength < BIG_ARRAY) return;
    this.list.push({ buffer: a.buffer as ArrayBuffer, offset: a.byteOffset, used: a.byteLength });
  }

  /** n zeroed entries: on the smallest given buffer with room, else fresh. */
  takeU32(n: number): Uint32Array {
    const bytes = 4 * n;
    let best = -1;
    for (let i = 0; i < this.list.length; i++) {
      const s = this.list[i]!;
      if (s.buffer.byteLength - s.offset < bytes) continue;
      if (best < 0 || s.buffer.byteLength - s.offset < this.list[best]!.buffer.byteLength - this.list[best]!.offset) best = i;
    }
    if (best < 0) return newU32(n);
    const s = this.list.splice(best, 1)[0]!;
    const out = new Uint32Array(s.buffer, s.offset, n);
    // Past what was used the pages were never written (zero); only the used part is cleared.
    out.fill(0, 0, Math.min(n, Math.ceil(s.used / 4)));
    return out;
  }

  /** Lets go of what was not taken. */
  clear(): void {
    this.list.length = 0;
  }
}
