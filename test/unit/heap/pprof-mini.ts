/**
 * The smallest pprof protobuf reader the heap tests need (stacks as function names + values), so
 * these tests do not depend on the profile importer being written alongside.
 */
import { gunzipSync } from 'node:zlib';

class Pb {
  p = 0;
  constructor(readonly b: Uint8Array) {}
  varint(): number {
    let x = 0;
    let mul = 1;
    for (;;) {
      const c = this.b[this.p++];
      x += (c & 127) * mul;
      if (c < 128) return x;
      mul *= 128;
    }
  }
  *fields(): Generator<{ f: number; wt: number; v: number; sub: Uint8Array | null }> {
    while (this.p < this.b.length) {
      const key = this.varint();
      const f = Math.floor(key / 8);
      const wt = key & 7;
      if (wt === 0) yield { f, wt, v: this.varint(), sub: null };
      else if (wt === 2) {
        const n = this.varint();
        const sub = this.b.subarray(this.p, this.p + n);
        this.p += n;
        yield { f, wt, v: 0, sub };
      } else if (wt === 1) {
        this.p += 8;
      } else if (wt === 5) {
        this.p += 4;
      } else throw new Error(`wire type ${wt}`);
    }
  }
}

function packed(x: { wt: number; v: number; sub: Uint8Array | null }): number[] {
  if (x.wt === 0) return [x.v];
  const r = new Pb(x.sub!);
  const out: number[] = [];
  while (r.p < r.b.length) out.push(r.varint());
  return out;
}

export interface MiniProfile {
  sampleTypes: string[];
  /** Stacks leaf first, as function names (inlined frames expanded), with values. */
  samples: { stack: string[]; values: number[] }[];
}

export function readPprof(file: Uint8Array): MiniProfile {
  const bytes = file[0] === 0x1f && file[1] === 0x8b ? new Uint8Array(gunzipSync(file)) : file;
  const strings: string[] = [];
  const rawSamples: { locs: number[]; values: number[] }[] = [];
  const locs = new Map<number, number[]>();
  const funcs = new Map<number, number>();
  const sampleTypeIdx: number[] = [];
  for (const x of new Pb(bytes).fields()) {
    if (x.f === 6) strings.push(new TextDecoder().decode(x.sub!));
    else if (x.f === 1) {
      for (const y of new Pb(x.sub!).fields()) if (y.f === 1) sampleTypeIdx.push(y.v);
    } else if (x.f === 2) {
      const s = { locs: [] as number[], values: [] as number[] };
      for (const y of new Pb(x.sub!).fields()) {
        if (y.f === 1) s.locs.push(...packed(y));
        else if (y.f === 2) s.values.push(...packed(y));
      }
      rawSamples.push(s);
    } else if (x.f === 4) {
      let id = 0;
      const fns: number[] = [];
      for (const y of new Pb(x.sub!).fields()) {
        if (y.f === 1) id = y.v;
        else if (y.f === 4) for (const z of new Pb(y.sub!).fields()) if (z.f === 1) fns.push(z.v);
      }
      locs.set(id, fns);
    } else if (x.f === 5) {
      let id = 0;
      let name = 0;
      for (const y of new Pb(x.sub!).fields()) {
        if (y.f === 1) id = y.v;
        else if (y.f === 2) name = y.v;
      }
      funcs.set(id, name);
    }
  }
  return {
    sampleTypes: sampleTypeIdx.map((i) => strings[i]),
    samples: rawSamples.map((s) => ({
      stack: s.locs.flatMap((l) => (locs.get(l) ?? []).map((f) => strings[funcs.get(f) ?? 0])),
      values: s.values,
    })),
  };
}

/** pprof's flat value per function after dropping leading runtime.* frames (what `-top` shows). */
export function flatBySite(p: MiniProfile, sampleType: string): Map<string, number> {
  const k = p.sampleTypes.indexOf(sampleType);
  const out = new Map<string, number>();
  for (const s of p.samples) {
    const leaf = s.stack.find((f) => !f.startsWith('runtime.')) ?? s.stack[0];
    out.set(leaf, (out.get(leaf) ?? 0) + s.values[k]);
  }
  return out;
}
