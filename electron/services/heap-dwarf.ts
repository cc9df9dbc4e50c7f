/**
 * Naming a loaded heap dump's objects by Go type: the program binary's DWARF (shared/dwarf, with
 * Node's zlib for compressed sections) attached to the analysis (shared/heap/typing.ts). A binary
 * without DWARF, or none at all, leaves the analysis untyped with a sentence saying why; a DWARF
 * that cannot be read is a warning, never a failed load.
 */
import { inflateSync } from 'node:zlib';
import { describeError, toErrorInfo } from '../../shared/errors';
import { NO_TASK, type TaskContext } from '../../shared/task';
import { readGoDwarf, type BinaryReader } from '../../shared/dwarf/index';
import type { HeapAnalysis } from '../../shared/heap/index';

export function inflateZlib(b: Uint8Array, expected: number): Uint8Array {
  const out = inflateSync(b, { maxOutputLength: Math.max(1, expected + 1) });
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/**
 * Reads the binary's DWARF and types the heap. `read` reads the dump file at absolute offsets (null
 * for a gzipped dump: typing then uses the graph alone). Returns a warning when DWARF was unreadable.
 */
export function attachDwarfTypes(a: HeapAnalysis, exe: BinaryReader | null, exeName: string | null, read: ((offset: number, length: number) => Uint8Array) | null, task: TaskContext = NO_TASK): string | null {
  if (!exe) {
    a.attachTypes(null, 'no binary given: pass the program binary (--exe) to name object types from its DWARF', null);
    return null;
  }
  try {
    task.progress('Reading DWARF', 0, 1);
    const { dwarf, reason } = readGoDwarf(exe, { inflate: inflateZlib, ...(exeName ? { file: exeName } : {}) });
    a.attachTypes(dwarf, reason ? `${exeName ?? 'the binary'}: ${reason}` : null, read, task);
    return null;
  } catch (e) {
    const msg = `object types are not named: ${describeError(toErrorInfo(e))}`;
    a.attachTypes(null, msg, null);
    return msg;
  }
}
