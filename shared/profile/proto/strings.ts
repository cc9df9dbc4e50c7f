/**
 * The string table of profile.proto: UTF-8 strings (invalid bytes become U+FFFD), decoded for
 * both decoders (decode.ts, fast.ts).
 */
interface Decoder {
  decode(input: Uint8Array): string;
}

let utf8: Decoder | null = null;

/** Decodes bytes [s, e) as UTF-8 (invalid bytes become U+FFFD). */
export function decodeUtf8(buf: Uint8Array, s: number, e: number): string {
  const n = e - s;
  if (n === 0) return '';
  if (n <= 64) {
    let ascii = true;
    for (let i = s; i < e; i++) {
      if (buf[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, buf.subarray(s, e) as unknown as number[]);
  }
  if (utf8 === null) utf8 = new TextDecoder('utf-8');
  return utf8.decode(buf.subarray(s, e));
}

let latin1: Decoder | null | undefined;

/**
 * Decodes the string table (n ranges [start, end) in a). Fast path: the bytes spanning all strings
 * are decoded once as a single-byte charset (one char per byte, so byte offsets are char offsets)
 * and every all-ASCII string is a substring of it; strings with other bytes are decoded as UTF-8
 * one by one. `high`, when given, holds per string the OR of its bytes' high bits (0: ASCII).
 */
export function decodeStringTable(buf: Uint8Array, a: Uint32Array | Int32Array, n: number, out: string[], high?: Int32Array): void {
  if (n > 64) {
    if (latin1 === undefined) {
      try {
        latin1 = new TextDecoder('latin1');
      } catch {
        latin1 = null;
      }
    }
    if (latin1 !== null) {
      const lo = a[0]!;
      const hi = a[2 * n - 1]!;
      // Ranges are in file order; a span larger than 4x the strings means they are scattered.
      let bytes = 0;
      for (let i = 0; i < n; i++) bytes += a[2 * i + 1]! - a[2 * i]!;
      if (hi >= lo && hi - lo <= 4 * bytes + 1024) {
        const all = latin1.decode(buf.subarray(lo, hi));
        for (let i = 0; i < n; i++) {
          const s = a[2 * i]!;
          const e = a[2 * i + 1]!;
          let ascii = s >= lo && e <= hi;
          if (high !== undefined) ascii = ascii && high[i] === 0;
          else for (let j = s; ascii && j < e; j++) if (buf[j]! >= 0x80) ascii = false;
          out[i] = ascii ? all.substring(s - lo, e - lo) : decodeUtf8(buf, s, e);
        }
        return;
      }
    }
  }
  for (let i = 0; i < n; i++) out[i] = decodeUtf8(buf, a[2 * i]!, a[2 * i + 1]!);
}
