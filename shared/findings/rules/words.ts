/** Reading the words of object contents the rules look into (a dump's pointer size and byte order). */
import type { HeapAnalysis } from '../../heap';

const BIG_ENDIAN_ARCHES = new Set(['ppc64', 'mips', 'mips64', 's390x']);

/** The dump's word: its pointer size (8 when unknown) and byte order. */
export function dumpWord(a: HeapAnalysis): { ptr: number; bigEndian: boolean } {
  const s = a.summary();
  return { ptr: s.ptrSize || 8, bigEndian: BIG_ENDIAN_ARCHES.has(s.goarch) };
}

/** The unsigned word of `size` bytes at `at` in `b` (exact below 2^53). */
export function readWord(b: Uint8Array, at: number, size: number, bigEndian: boolean): number {
  let v = 0;
  for (let i = 0; i < size; i++) {
    const byte = b[bigEndian ? at + i : at + size - 1 - i]!;
    v = v * 256 + byte;
  }
  return v;
}
