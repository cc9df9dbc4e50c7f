/** Reading the words of object contents the rules look into (a dump's pointer size and byte order). */
import { contentOffsetAt, type DumpReader, type HeapAnalysis } from '../../heap';

const BIG_ENDIAN_ARCHES = new Set(['ppc64', 'mips', 'mips64', 's390x']);

/** The dump's word: its pointer size (8 when unknown) and byte order. */
export function dumpWord(a: HeapAnalysis): { ptr: number; bigEndian: boolean } {
  const s = a.summary();
  return { ptr: s.ptrSize || 8, bigEndian: BIG_ENDIAN_ARCHES.has(s.goarch) };
}

/** The first word of object `node`'s Go value (a map header's count), read from the dump; null when cut short. */
export function valueWord(a: HeapAnalysis, read: DumpReader, node: number, valueStart: number): number | null {
  const { ptr, bigEndian } = dumpWord(a);
  const b = read(contentOffsetAt(a.graph, node - a.graph.firstObject) + valueStart, ptr);
  return b.length < ptr ? null : readWord(b, 0, ptr, bigEndian);
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
