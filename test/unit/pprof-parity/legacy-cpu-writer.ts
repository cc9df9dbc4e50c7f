/**
 * Writes legacy binary CPU profiles from the layout google/pprof documents (legacy_profile.go,
 * parseCPU / parseCPUSamples): machine words of 32 or 64 bits in either byte order,
 *   header  0, 3, 0, period (µs), 0
 *   records count, n, pc[0] … pc[n-1]   (pc[0] the leaf)
 *   trailer 0, 1, 0
 * followed by an optional memory map as text (/proc/self/maps lines).
 */
export interface LegacyCpuRecord {
  count: number;
  pcs: bigint[];
}

export interface LegacyCpuSpec {
  wordSize: 4 | 8;
  little: boolean;
  periodMicros: number;
  records: LegacyCpuRecord[];
  /** Write the 0, 1, 0 trailer (default true). */
  trailer?: boolean;
  /** Text appended after the trailer (a memory map). */
  maps?: string;
  /** Third header word: 0 for C++/Go, 1 for Java. */
  headerKind?: 0 | 1;
}

export function writeLegacyCpu(spec: LegacyCpuSpec): Uint8Array {
  const words: bigint[] = [0n, 3n, BigInt(spec.headerKind ?? 0), BigInt(spec.periodMicros), 0n];
  for (const r of spec.records) {
    words.push(BigInt(r.count), BigInt(r.pcs.length), ...r.pcs);
  }
  if (spec.trailer !== false) words.push(0n, 1n, 0n);
  const W = spec.wordSize;
  const bin = new Uint8Array(words.length * W);
  const dv = new DataView(bin.buffer);
  words.forEach((w, i) => {
    if (W === 8) dv.setBigUint64(i * W, w, spec.little);
    else dv.setUint32(i * W, Number(w & 0xffffffffn), spec.little);
  });
  const tail = new TextEncoder().encode(spec.maps ?? '');
  const out = new Uint8Array(bin.length + tail.length);
  out.set(bin, 0);
  out.set(tail, bin.length);
  return out;
}
