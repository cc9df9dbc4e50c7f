/** Append-only typed storage and small helpers for the heap engine. */

/** Hex of a non-negative integer address, "0x" prefixed (exact up to 2^53). */
export function hex(v: number): string {
  return '0x' + v.toString(16);
}

const BLOCK = 1 << 16;

/** Append-only float64 storage in fixed blocks: no copying while growing, exact size at the end. */
export class BlocksF64 {
  private blocks: Float64Array[] = [];
  private cur: Float64Array = new Float64Array(0);
  private pos = BLOCK;
  private done = 0;
  get length(): number {
    return this.done + this.pos - (this.blocks.length ? 0 : BLOCK);
  }
  push(v: number): void {
    if (this.pos === BLOCK) {
      if (this.blocks.length) this.done += BLOCK;
      this.cur = new Float64Array(BLOCK);
      this.blocks.push(this.cur);
      this.pos = 0;
    }
    this.cur[this.pos++] = v;
  }
  /** Drop entries from n on (n <= length). */
  truncate(n: number): void {
    while (this.blocks.length && n < this.done) {
      this.blocks.pop();
      this.done -= BLOCK;
    }
    if (!this.blocks.length) {
      this.done = 0;
      this.pos = BLOCK;
      return;
    }
    this.cur = this.blocks[this.blocks.length - 1];
    this.pos = n - this.done;
  }
  /** One exact-size array (the blocks are released). */
  take(): Float64Array {
    const n = this.length;
    const out = new Float64Array(n);
    let at = 0;
    for (const b of this.blocks) {
      const k = Math.min(BLOCK, n - at);
      out.set(k === BLOCK ? b : b.subarray(0, k), at);
      at += k;
    }
    this.blocks = [];
    this.cur = new Float64Array(0);
    this.pos = BLOCK;
    this.done = 0;
    return out;
  }
}

/** Append-only uint32 storage in fixed blocks. */
export class BlocksU32 {
  private blocks: Uint32Array[] = [];
  private cur: Uint32Array = new Uint32Array(0);
  private pos = BLOCK;
  private done = 0;
  get length(): number {
    return this.done + this.pos - (this.blocks.length ? 0 : BLOCK);
  }
  push(v: number): void {
    if (this.pos === BLOCK) {
      if (this.blocks.length) this.done += BLOCK;
      this.cur = new Uint32Array(BLOCK);
      this.blocks.push(this.cur);
      this.pos = 0;
    }
    this.cur[this.pos++] = v;
  }
  truncate(n: number): void {
    while (this.blocks.length && n < this.done) {
      this.blocks.pop();
      this.done -= BLOCK;
    }
    if (!this.blocks.length) {
      this.done = 0;
      this.pos = BLOCK;
      return;
    }
    this.cur = this.blocks[this.blocks.length - 1];
    this.pos = n - this.done;
  }
  /** The values plus `base`, as float64 storage (the blocks are released). */
  toF64(base: number): BlocksF64 {
    const out = new BlocksF64();
    const n = this.length;
    let at = 0;
    for (const b of this.blocks) {
      const k = Math.min(BLOCK, n - at);
      for (let i = 0; i < k; i++) out.push(base + b[i]);
      at += k;
    }
    this.blocks = [];
    this.cur = new Uint32Array(0);
    this.pos = BLOCK;
    this.done = 0;
    return out;
  }
  take(): Uint32Array {
    const n = this.length;
    const out = new Uint32Array(n);
    let at = 0;
    for (const b of this.blocks) {
      const k = Math.min(BLOCK, n - at);
      out.set(k === BLOCK ? b : b.subarray(0, k), at);
      at += k;
    }
    this.blocks = [];
    this.cur = new Uint32Array(0);
    this.pos = BLOCK;
    this.done = 0;
    return out;
  }
}
