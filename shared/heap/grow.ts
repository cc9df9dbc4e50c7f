/** Growable typed arrays (amortised doubling), trimmed to length when done. */

export class GrowF64 {
  a: Float64Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Float64Array(cap);
  }
  push(v: number): void {
    if (this.n === this.a.length) this.grow(this.n + 1);
    this.a[this.n++] = v;
  }
  grow(min: number): void {
    let cap = this.a.length * 2;
    if (cap < min) cap = min;
    const b = new Float64Array(cap);
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
  /** A copy of exactly the used part (releases the slack). */
  trim(): Float64Array {
    return this.a.length === this.n ? this.a : this.a.slice(0, this.n);
  }
}

export class GrowU32 {
  a: Uint32Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Uint32Array(cap);
  }
  push(v: number): void {
    if (this.n === this.a.length) this.grow(this.n + 1);
    this.a[this.n++] = v;
  }
  grow(min: number): void {
    let cap = this.a.length * 2;
    if (cap < min) cap = min;
    const b = new Uint32Array(cap);
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
  trim(): Uint32Array {
    return this.a.length === this.n ? this.a : this.a.slice(0, this.n);
  }
}

export class GrowI32 {
  a: Int32Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Int32Array(cap);
  }
  push(v: number): void {
    if (this.n === this.a.length) this.grow(this.n + 1);
    this.a[this.n++] = v;
  }
  grow(min: number): void {
    let cap = this.a.length * 2;
    if (cap < min) cap = min;
    const b = new Int32Array(cap);
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
  trim(): Int32Array {
    return this.a.length === this.n ? this.a : this.a.slice(0, this.n);
  }
}

export class GrowU8 {
  a: Uint8Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Uint8Array(cap);
  }
  /** Make room for `k` more bytes and return the write position. */
  reserve(k: number): number {
    if (this.n + k > this.a.length) {
      let cap = this.a.length * 2;
      if (cap < this.n + k) cap = this.n + k;
      const b = new Uint8Array(cap);
      b.set(this.a.subarray(0, this.n));
      this.a = b;
    }
    const at = this.n;
    this.n += k;
    return at;
  }
  trim(): Uint8Array {
    return this.a.length === this.n ? this.a : this.a.slice(0, this.n);
  }
}

/** Hex of a non-negative integer address, "0x" prefixed (exact up to 2^53). */
export function hex(v: number): string {
  return '0x' + v.toString(16);
}
