/**
 * Encodes the model back to profile.proto (raw, uncompressed). Field order follows Go's encoder
 * (sample types, samples, mappings, locations, functions, strings, then scalars); repeated scalars
 * are packed. Ids are written exactly as stored, so a decode → encode → decode round trip keeps
 * every identity, address and time bit-exact.
 */
import type { Profile } from '../model';

class PbWriter {
  buf = new Uint8Array(1 << 16);
  pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
  }

  /** Unsigned varint from (lo, hi) halves. */
  varint64(lo: number, hi: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    lo >>>= 0;
    hi >>>= 0;
    while (hi !== 0 || lo >= 0x80) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
  }

  /** Varint of a non-negative integer < 2^53 or a negative int64 (two's complement). */
  int(v: number): void {
    if (v >= 0 && v < 0x80) {
      this.ensure(1);
      this.buf[this.pos++] = v;
      return;
    }
    if (v >= 0) {
      this.varint64(v % 4294967296, Math.floor(v / 4294967296));
      return;
    }
    const b = BigInt.asUintN(64, BigInt(Math.trunc(v)));
    this.varint64(Number(b & 0xffffffffn), Number(b >> 32n));
  }

  big(v: bigint): void {
    const b = BigInt.asUintN(64, v);
    this.varint64(Number(b & 0xffffffffn), Number(b >> 32n));
  }

  tag(field: number, wire: number): void {
    this.int(field * 8 + wire);
  }

  /** Varint field, omitted when zero (proto3 default). */
  fieldInt(field: number, v: number): void {
    if (v === 0) return;
    this.tag(field, 0);
    this.int(v);
  }

  fieldU64(field: number, a: Uint32Array, i: number): void {
    const lo = a[2 * i]!;
    const hi = a[2 * i + 1]!;
    if (lo === 0 && hi === 0) return;
    this.tag(field, 0);
    this.varint64(lo, hi);
  }

  bytes(field: number, b: Uint8Array): void {
    this.tag(field, 2);
    this.int(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Starts a length-delimited field; returns a mark for `end`. Reserves 5 bytes for the length. */
  begin(field: number): number {
    this.tag(field, 2);
    this.ensure(5);
    const mark = this.pos;
    this.pos += 5;
    return mark;
  }

  end(mark: number): void {
    const len = this.pos - mark - 5;
    // Compute the varint size of len and shift the body left to close the gap.
    let n = 1;
    for (let v = len; v >= 0x80; v = Math.floor(v / 128)) n++;
    if (n < 5) this.buf.copyWithin(mark + n, mark + 5, this.pos);
    let v = len;
    let p = mark;
    while (v >= 0x80) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[p] = v;
    this.pos -= 5 - n;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export function encodeProfileProto(p: Profile): Uint8Array {
  const w = new PbWriter();
  const nT = p.sampleTypes.length;

  for (const st of p.sampleTypes) {
    const m = w.begin(1);
    w.fieldInt(1, st.type);
    w.fieldInt(2, st.unit);
    w.end(m);
  }

  for (let i = 0; i < p.sampleCount; i++) {
    const m = w.begin(2);
    const ls = p.sampleLocStart[i]!;
    const le = p.sampleLocStart[i + 1]!;
    if (le > ls) {
      const pm = w.begin(1);
      for (let j = ls; j < le; j++) {
        const li = p.sampleLocs[j]!;
        w.varint64(p.locId[2 * li]!, p.locId[2 * li + 1]!);
      }
      w.end(pm);
    }
    if (nT > 0) {
      const vm = w.begin(2);
      for (let t = 0; t < nT; t++) w.int(p.values[i * nT + t]!);
      w.end(vm);
    }
    for (let j = p.sampleLabelStart[i]!; j < p.sampleLabelStart[i + 1]!; j++) {
      const lm = w.begin(3);
      w.fieldInt(1, p.labelKey[j]!);
      w.fieldInt(2, p.labelStr[j]!);
      w.fieldInt(3, p.labelNum[j]!);
      w.fieldInt(4, p.labelNumUnit[j]!);
      w.end(lm);
    }
    w.end(m);
  }

  for (let i = 0; i < p.mappingCount; i++) {
    const m = w.begin(3);
    w.fieldU64(1, p.mapId, i);
    w.fieldU64(2, p.mapStart, i);
    w.fieldU64(3, p.mapLimit, i);
    w.fieldU64(4, p.mapOffset, i);
    w.fieldInt(5, p.mapFile[i]!);
    w.fieldInt(6, p.mapBuildId[i]!);
    const fl = p.mapFlags[i]!;
    w.fieldInt(7, fl & 1 ? 1 : 0);
    w.fieldInt(8, fl & 2 ? 1 : 0);
    w.fieldInt(9, fl & 4 ? 1 : 0);
    w.fieldInt(10, fl & 8 ? 1 : 0);
    w.end(m);
  }

  for (let i = 0; i < p.locationCount; i++) {
    const m = w.begin(4);
    w.fieldU64(1, p.locId, i);
    const mi = p.locMapping[i]!;
    if (mi >= 0) w.fieldU64(2, p.mapId, mi);
    w.fieldU64(3, p.locAddress, i);
    for (let j = p.locLineStart[i]!; j < p.locLineStart[i + 1]!; j++) {
      const lm = w.begin(4);
      const fi = p.lineFunc[j]!;
      if (fi >= 0) w.fieldU64(1, p.funcId, fi);
      w.fieldInt(2, p.lineLine[j]!);
      w.fieldInt(3, p.lineColumn[j]!);
      w.end(lm);
    }
    w.fieldInt(5, p.locIsFolded[i]!);
    w.end(m);
  }

  for (let i = 0; i < p.functionCount; i++) {
    const m = w.begin(5);
    w.fieldU64(1, p.funcId, i);
    w.fieldInt(2, p.funcName[i]!);
    w.fieldInt(3, p.funcSystemName[i]!);
    w.fieldInt(4, p.funcFilename[i]!);
    w.fieldInt(5, p.funcStartLine[i]!);
    w.end(m);
  }

  const enc = new TextEncoder();
  for (const s of p.strings) w.bytes(6, enc.encode(s));

  w.fieldInt(7, p.dropFrames);
  w.fieldInt(8, p.keepFrames);
  if (p.timeNanos !== 0n) {
    w.tag(9, 0);
    w.big(p.timeNanos);
  }
  if (p.durationNanos !== 0n) {
    w.tag(10, 0);
    w.big(p.durationNanos);
  }
  if (p.periodType) {
    const m = w.begin(11);
    w.fieldInt(1, p.periodType.type);
    w.fieldInt(2, p.periodType.unit);
    w.end(m);
  }
  w.fieldInt(12, p.period);
  if (p.comments.length > 0) {
    const m = w.begin(13);
    for (const c of p.comments) w.int(c);
    w.end(m);
  }
  w.fieldInt(14, p.defaultSampleType);
  w.fieldInt(15, p.docUrl);
  return w.finish();
}
