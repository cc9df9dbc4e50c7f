/**
 * Loading a Go heap dump from disk: streamed in chunks (never read whole, so files over 2 GB
 * work), the executable read at random offsets (headers and symbol table only, never run), and the
 * program's binary found beside the dump when none is given. Shared by the worker and the CLI.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { HeapscopeError } from '../../shared/errors';
import { NO_TASK, type TaskContext } from '../../shared/task';
import { exeMatchesDump, NO_FACTS, type ProgramFacts } from '../../shared/findings/programs';
import { readElfBuildIds } from '../../shared/heap/buildid';
import type { HeapDump } from '../../shared/heap/dump';
import { buildHeapAnalysis, HeapDumpParser, isElf, readElfSymbols, type ExeSymbols, type HeapAnalysis } from '../../shared/heap/index';
import { openChunkedFile, type ChunkedFile } from '../cli/io';
import { gunzipChunks, isGzip } from './heapdump-gzip';
import { attachDwarfTypes } from './heap-dwarf';

const CHUNK = 8 << 20;

export interface LoadedHeap {
  analysis: HeapAnalysis;
  warnings: string[];
  /** The executable whose symbols named the globals, if any. */
  exe: string | null;
}

export type OpenFile = (path: string) => ChunkedFile;

/**
 * The executable to name a dump with: a path, none, or chosen once the dump is read (its Go
 * version and data/bss sizes tell its binary from others beside it: `exeBeside`).
 */
export type ExeChoice = string | null | undefined | ((dump: HeapDump) => string | null);

function withFile(e: unknown, file: string): unknown {
  if (e instanceof HeapscopeError && e.file === undefined) e.file = file;
  return e;
}

export function readExeSymbols(openFile: OpenFile, exePath: string): ExeSymbols {
  const exe = openFile(exePath);
  try {
    return readElfSymbols(exe, exePath);
  } catch (e) {
    throw withFile(e, exePath);
  } finally {
    exe.close();
  }
}

/**
 * Stream a heap dump from disk and analyse it (with the executable's symbols when given). A
 * gzipped dump (`.dump.gz`) streams through gunzip: the parser sees the same bytes, the memory is
 * that of the uncompressed dump, and nothing is written anywhere.
 */
export function loadHeapDumpFile(openFile: OpenFile, dumpPath: string, exe?: ExeChoice, task: TaskContext = NO_TASK): LoadedHeap {
  // A given binary is read first: a wrong path fails before the dump is streamed.
  let symbols = typeof exe === 'string' ? readExeSymbols(openFile, exe) : undefined;
  const f = openFile(dumpPath);
  let dump;
  try {
    if (isGzip(f.read(0, 2))) {
      // Progress in compressed bytes (the uncompressed size is unknown until the end).
      let at = 0;
      const gzTask: TaskContext = {
        progress: (label) => task.progress(`${label} (gunzip)`, at, f.size),
        throwIfCancelled: () => task.throwIfCancelled(),
      };
      const parser = new HeapDumpParser({ file: dumpPath, task: gzTask });
      gunzipChunks(
        f,
        dumpPath,
        (chunk, p) => {
          at = p.compressedDone;
          parser.push(chunk);
        },
        () => undefined, // cut short: the parser reports what is missing
      );
      dump = parser.end();
    } else {
      const parser = new HeapDumpParser({ totalBytes: f.size, file: dumpPath, task });
      // One chunk buffer for the whole file (the parser keeps nothing of a chunk after push()): a
      // fresh 8 MB per chunk was ~0.4 s more on the 1 GB bench dump, in page faults.
      const readInto = f.readInto?.bind(f);
      const reuse = readInto ? new Uint8Array(Math.min(CHUNK, f.size)) : null;
      for (let off = 0; off < f.size; ) {
        const want = Math.min(CHUNK, f.size - off);
        const chunk = reuse && readInto ? reuse.subarray(0, readInto(off, reuse.subarray(0, want))) : f.read(off, want);
        if (chunk.length === 0) break;
        parser.push(chunk);
        off += chunk.length;
      }
      dump = parser.end();
    }
  } catch (e) {
    throw withFile(e, dumpPath);
  } finally {
    f.close();
  }
  const exePath = typeof exe === 'function' ? exe(dump) : (exe ?? null);
  if (exePath && !symbols) symbols = readExeSymbols(openFile, exePath);
  const analysis = buildHeapAnalysis(dump, symbols, task, { releaseDump: true });
  typeFromExe(openFile, analysis, dumpPath, exePath, task);
  return { analysis, warnings: analysis.summary().warnings, exe: exePath };
}

/** Object types from the binary's DWARF (heap-dwarf.ts); the dump is re-read for interface words. */
function typeFromExe(openFile: OpenFile, analysis: HeapAnalysis, dumpPath: string, exePath: string | null, task: TaskContext): void {
  const exe = exePath ? openFile(exePath) : null;
  const dumpFile = exe ? openFile(dumpPath) : null;
  try {
    const plain = dumpFile !== null && !isGzip(dumpFile.read(0, 2));
    const warning = attachDwarfTypes(analysis, exe, exePath, plain && dumpFile ? (o, n) => dumpFile.read(o, n) : null, task);
    if (warning) analysis.addWarning(warning);
  } finally {
    analysis.releaseTypeReader();
    exe?.close();
    dumpFile?.close();
  }
}

/** Analyse a heap dump already in memory (a browser upload). */
export function loadHeapDumpBytes(bytes: Uint8Array, name: string, exeBytes: Uint8Array | null, task: TaskContext = NO_TASK): LoadedHeap {
  const symbols = exeBytes ? readElfSymbols({ size: exeBytes.length, read: (o, l) => exeBytes.subarray(o, o + l) }, `${name} executable`) : undefined;
  const parser = new HeapDumpParser({ totalBytes: bytes.length, file: name, task });
  try {
    for (let off = 0; off < bytes.length; off += CHUNK) parser.push(bytes.subarray(off, Math.min(bytes.length, off + CHUNK)));
  } catch (e) {
    throw withFile(e, name);
  }
  const analysis = buildHeapAnalysis(parser.end(), symbols, task, { releaseDump: true });
  const warning = attachDwarfTypes(analysis, exeBytes ? { size: exeBytes.length, read: (o, l) => exeBytes.subarray(o, o + l) } : null, exeBytes ? `${name} executable` : null, (o, l) => bytes.subarray(o, o + l), task);
  if (warning) analysis.addWarning(warning);
  return { analysis, warnings: analysis.summary().warnings, exe: null };
}

function headOf(path: string, n: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(n);
    const got = readSync(fd, b, 0, n, 0);
    return new Uint8Array(b.buffer, b.byteOffset, got);
  } finally {
    closeSync(fd);
  }
}

/**
 * The program's binary beside a dump, chosen once the dump is read: an ELF file in the same folder
 * whose name is the dump's name without extension; else, of the ELF files there that have a symbol
 * table, the only one, or the only one whose Go version and .data/.bss sizes are the dump's (builds
 * of other programs, or of this one with another Go, sit beside it). Null when none or when the
 * choice would be a guess (the user picks one then).
 */
export function exeBeside(dumpPath: string, openFile: OpenFile = openChunkedFile): (dump: HeapDump) => string | null {
  return (dump) => {
    const dir = dirname(dumpPath);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return null;
    }
    const elves: string[] = [];
    for (const n of names) {
      const p = join(dir, n);
      if (p === dumpPath) continue;
      try {
        const st = statSync(p);
        if (!st.isFile() || st.size < 64 || st.size > 2 ** 32) continue;
        if (isElf(headOf(p, 16))) elves.push(p);
      } catch {
        // unreadable: not a candidate
      }
    }
    const plain = dumpPath.endsWith('.gz') ? dumpPath.slice(0, -3) : dumpPath;
    const stem = basename(plain, extname(plain));
    const exact = elves.find((p) => basename(p) === stem);
    if (exact) return exact;
    const withSymbols = elves.filter((p) => {
      try {
        return !readExeSymbols(openFile, p).stripped;
      } catch {
        return false;
      }
    });
    if (withSymbols.length <= 1) return withSymbols[0] ?? null;
    const data = dump.segments.find((x) => x.kind === 'data');
    const bss = dump.segments.find((x) => x.kind === 'bss');
    const facts: ProgramFacts = { ...NO_FACTS, goVersion: dump.params.goVersion || null, segments: data && bss ? { data: data.size, bss: bss.size } : null };
    const matching = withSymbols.filter((p) => {
      const f = openFile(p);
      try {
        return exeMatchesDump(readElfBuildIds(f, p), facts);
      } catch {
        return false;
      } finally {
        f.close();
      }
    });
    return matching.length === 1 ? matching[0]! : null;
  };
}
