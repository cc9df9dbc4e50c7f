/**
 * Writes Go heap dumps byte for byte like runtime/heapdump.go does, for hand-built test inputs.
 * Little-endian, 8-byte pointers unless told otherwise.
 */

export class DumpWriter {
  private out: number[] = [];
  constructor(
    readonly ptrSize = 8,
    readonly bigEndian = false,
  ) {
    for (const c of 'go1.7 heap dump\n') this.out.push(c.charCodeAt(0));
  }

  uv(v: number | bigint): this {
    let x = BigInt(v);
    while (x >= 0x80n) {
      this.out.push(Number((x & 0x7fn) | 0x80n));
      x >>= 7n;
    }
    this.out.push(Number(x));
    return this;
  }
  bool(b: boolean): this {
    return this.uv(b ? 1 : 0);
  }
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    this.uv(b.length);
    for (const x of b) this.out.push(x);
    return this;
  }
  bytes(b: Uint8Array): this {
    this.uv(b.length);
    for (const x of b) this.out.push(x);
    return this;
  }
  fields(offsets: number[]): this {
    for (const o of offsets) this.uv(1).uv(o);
    return this.uv(0);
  }

  /** Contents of `size` bytes with pointer words written at the given offsets. */
  contents(size: number, ptrs: Record<number, number>): Uint8Array {
    const b = new Uint8Array(size);
    for (const [off, v] of Object.entries(ptrs)) {
      let x = BigInt(v);
      const o = Number(off);
      for (let i = 0; i < this.ptrSize; i++) {
        const byte = Number(x & 0xffn);
        b[this.bigEndian ? o + this.ptrSize - 1 - i : o + i] = byte;
        x >>= 8n;
      }
    }
    return b;
  }

  params(arenaStart: number, arenaEnd: number, goVersion = 'go1.19.8', goarch = 'amd64'): this {
    return this.uv(6).bool(this.bigEndian).uv(this.ptrSize).uv(arenaStart).uv(arenaEnd).str(goarch).str(goVersion).uv(2);
  }
  /** An object whose pointer fields hold `ptrs` (offset → value). */
  object(addr: number, size: number, ptrs: Record<number, number> = {}, extraPtrOffsets: number[] = []): this {
    const offs = [...Object.keys(ptrs).map(Number), ...extraPtrOffsets].sort((a, b) => a - b);
    return this.uv(1).uv(addr).bytes(this.contents(size, ptrs)).fields(offs);
  }
  type(addr: number, size: number, name: string): this {
    return this.uv(3).uv(addr).uv(size).str(name).bool(true);
  }
  itab(addr: number, typeAddr: number): this {
    return this.uv(8).uv(addr).uv(typeAddr);
  }
  goroutine(g: { addr: number; goid: number; status?: number; waitReason?: string; waitSince?: bigint; system?: boolean; ctxt?: number; sp?: number }): this {
    return this.uv(4)
      .uv(g.addr)
      .uv(g.sp ?? 0x7000)
      .uv(g.goid)
      .uv(0x401000)
      .uv(g.status ?? 4)
      .bool(g.system ?? false)
      .bool(false)
      .uv(g.waitSince ?? 0n)
      .str(g.waitReason ?? '')
      .uv(g.ctxt ?? 0)
      .uv(0)
      .uv(0)
      .uv(0);
  }
  frame(f: { sp: number; depth: number; name: string; size: number; ptrs?: Record<number, number> }): this {
    return this.uv(5)
      .uv(f.sp)
      .uv(f.depth)
      .uv(0)
      .bytes(this.contents(f.size, f.ptrs ?? {}))
      .uv(0x401000)
      .uv(0x401010)
      .uv(0x401010)
      .str(f.name)
      .fields(Object.keys(f.ptrs ?? {}).map(Number).sort((a, b) => a - b));
  }
  defer(d: { addr: number; g: number; funcval: number }): this {
    return this.uv(14).uv(d.addr).uv(d.g).uv(0x7000).uv(0x401000).uv(d.funcval).uv(0x401000).uv(0);
  }
  panic(p: { addr: number; g: number; data: number }): this {
    return this.uv(15).uv(p.addr).uv(p.g).uv(0x500000).uv(p.data).uv(0).uv(0);
  }
  thread(addr: number, id: number): this {
    return this.uv(9).uv(addr).uv(id).uv(1000 + id);
  }
  segment(kind: 'data' | 'bss', base: number, size: number, ptrs: Record<number, number>): this {
    return this.uv(kind === 'data' ? 12 : 13)
      .uv(base)
      .bytes(this.contents(size, ptrs))
      .fields(Object.keys(ptrs).map(Number).sort((a, b) => a - b));
  }
  finalizer(obj: number, funcval = 0x4a0000, queued = false): this {
    return this.uv(queued ? 11 : 7).uv(obj).uv(funcval).uv(0x401000).uv(0x4b0000).uv(0x4b0000);
  }
  otherRoot(description: string, ptr: number): this {
    return this.uv(2).str(description).uv(ptr);
  }
  memstats(lastGC = 1795362147478842426n): this {
    this.uv(10);
    for (let i = 0; i < 24; i++) this.uv(i === 22 ? lastGC : i * 1000);
    for (let i = 0; i < 256; i++) this.uv(i);
    return this.uv(7);
  }
  memprof(id: number, size: number, frames: { func: string; file: string; line: number }[], allocs = 1, frees = 0): this {
    this.uv(16).uv(id).uv(size).uv(frames.length);
    for (const f of frames) this.str(f.func).str(f.file).uv(f.line);
    return this.uv(allocs).uv(frees);
  }
  allocSample(obj: number, bucket: number): this {
    return this.uv(17).uv(obj).uv(bucket);
  }
  eof(): this {
    return this.uv(0);
  }
  raw(bytes: number[]): this {
    this.out.push(...bytes);
    return this;
  }
  get length(): number {
    return this.out.length;
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

export const ARENA = 0xc000000000;
export const ARENA_END = 0xc004000000;

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A dump with every one of the 18 record kinds. */
export function everyRecordDump(w = new DumpWriter()): Uint8Array {
  const A = ARENA;
  w.params(A, ARENA_END)
    .type(0x4b0000, 16, 'main.T')
    .itab(0x4c0000, 0x4b0000)
    .object(A + 0x000, 32, { 0: A + 0x100, 8: A + 0x208 /* interior */ }, [16])
    .object(A + 0x100, 16)
    .object(A + 0x200, 64, { 0: 0x4b0000 /* not in the arena */ })
    .goroutine({ addr: A + 0x1000, goid: 7, waitReason: 'chan receive', waitSince: 2n ** 60n + 3n })
    .frame({ sp: 0x7000, depth: 0, name: 'runtime.gopark', size: 16 })
    .frame({ sp: 0x7010, depth: 1, name: 'main.worker', size: 32, ptrs: { 8: A + 0x100 } })
    .defer({ addr: A + 0x300, g: A + 0x1000, funcval: 0x4a0000 })
    .panic({ addr: A + 0x310, g: A + 0x1000, data: A + 0x200 })
    .thread(0x800000, 1)
    .segment('data', 0x500000, 64, { 8: A })
    .segment('bss', 0x510000, 64, { 0: A + 0x200 })
    .finalizer(A + 0x200)
    .finalizer(A + 0x100, 0x4a0000, true)
    .otherRoot('some root', A + 0x100)
    .memstats()
    .memprof(0x900000, 32, [
      { func: 'runtime.mallocgc', file: '/go/src/runtime/malloc.go', line: 1 },
      { func: 'main.alloc', file: '/src/main.go', line: 42 },
    ])
    .allocSample(A, 0x900000)
    .eof();
  return w.finish();
}

