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
import { buildHeapAnalysis, HeapDumpParser, isElf, readElfSymbols, type DumpReader, type ExeSymbols, type HeapAnalysis } from '../../shared/heap/index';
import { openChunkedFile, type ChunkedFile } from '../cli/io';
import { gunzipChunks, isGzip } from './heapdump-gzip';
import { attachDwarfTypes } from './heap-dwarf';

const CHUNK = 8 << 20;

export interface LoadedHeap {
  analysis: HeapAnalysis;
  warnings: string[];
  /** The executable whose symbols named the globals, if any. */
  exe: string | null;
  /** A gzipped dump's uncompressed bytes, when asked for (`keepInflated`). */
  inflated?: DumpReader;
}

export type OpenFile = (path: string) => ChunkedFile;

/**
 * The executable to name a dump with: a path, none, or chosen once the dump is read (its Go
 * version and data/bss sizes tell its binary from others beside it: `exeBeside`).
 */
export type ExeChoice = string | null | undefined | ExeChooser;

export interface ExeChooser {
  /** The files it may choose from (none: the dump will not be named). */
  readonly candidates: readonly string[];
  choose(dump: HeapDump): string | null;
}

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
 * gzipped dump (`.dump.gz`) streams through gunzip: the parser sees the same bytes and nothing is
 * written anywhere; its uncompressed bytes are kept in memory while a binary may type it (typing
 * reads object words at random offsets), and after when `keepInflated` asks (`inflated`).
 */
export function loadHeapDumpFile(openFile: OpenFile, dumpPath: string, exe?: ExeChoice, task: TaskContext = NO_TASK, opts: { keepInflated?: boolean } = {}): LoadedHeap {
  // A given binary is read first: a wrong path fails before the dump is streamed.
  let symbols = typeof exe === 'string' ? readExeSymbols(openFile, exe) : undefined;
  const f = openFile(dumpPath);
  let dump;
  let kept: ChunkList | null = null;
  try {
    if (isGzip(f.read(0, 2))) {
      // Progress in compressed bytes (the uncompressed size is unknown until the end).
      let at = 0;
      const gzTask: TaskContext = {
        progress: (label) => task.progress(`${label} (gunzip)`, at, f.size),
        throwIfCancelled: () => task.throwIfCancelled(),
      };
      const parser = new HeapDumpParser({ file: dumpPath, task: gzTask });
      // Typing reads object words at random offsets, which a gzip stream cannot seek to: the
      // uncompressed bytes are kept while a binary may type the dump (or when the caller asks).
      const keep = opts.keepInflated || typeof exe === 'string' || (typeof exe === 'object' && exe !== null && exe.candidates.length > 0);
      if (keep) kept = new ChunkList();
      gunzipChunks(
        f,
        dumpPath,
        (chunk, p) => {
          at = p.compressedDone;
          kept?.push(chunk);
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
  const exePath = typeof exe === 'object' && exe !== null ? exe.choose(dump) : (exe ?? null);
  if (exePath && !symbols) symbols = readExeSymbols(openFile, exePath);
  const inflated = kept ? kept.reader() : null;
  // The goroutines' stack objects are read from their frames' bytes (with the binary's records).
  const frames = symbols && !inflated ? openFile(dumpPath) : null;
  let analysis: HeapAnalysis;
  try {
    const plain = frames !== null && !isGzip(frames.read(0, 2));
    const readDump: DumpReader | undefined = inflated ?? (plain && frames ? windowed(frames) : undefined);
    analysis = buildHeapAnalysis(dump, symbols, task, { releaseDump: true, ...(readDump ? { readDump } : {}) });
  } finally {
    frames?.close();
  }
  typeFromExe(openFile, analysis, dumpPath, exePath, inflated, task);
  return { analysis, warnings: analysis.summary().warnings, exe: exePath, ...(opts.keepInflated && inflated ? { inflated } : {}) };
}

/**
 * A gzipped dump, its uncompressed bytes kept for reads of object contents (findings, the
 * inspector, slice lengths): a gzip stream cannot seek.
 */
export function loadGzippedHeapDump(openFile: OpenFile, dumpPath: string, exe: ExeChoice, task: TaskContext = NO_TASK): LoadedHeap & { inflated: DumpReader } {
  const loaded = loadHeapDumpFile(openFile, dumpPath, exe, task, { keepInflated: true });
  if (!loaded.inflated) throw new HeapscopeError({ code: 'BAD_FORMAT', message: 'not a gzipped heap dump', file: dumpPath, format: 'heapdump' });
  return { ...loaded, inflated: loaded.inflated };
}

/**
 * Reads of a file through a 1 MiB window: the stack scan reads each live stack object of each
 * goroutine (200k small reads for a 100k-goroutine pile-up), goroutine after goroutine in the dump's
 * order but, within one, outer frames (later in the file) first: the window starts 64 KiB back.
 */
function windowed(f: ChunkedFile, window = 1 << 20): DumpReader {
  const back = 64 << 10;
  let base = 0;
  let buf: Uint8Array = new Uint8Array(0);
  return (offset, length) => {
    if (length > window - back) return f.read(offset, length);
    if (offset < base || offset + length > base + buf.length) {
      base = Math.max(0, offset - back);
      buf = f.read(base, window);
    }
    return buf.subarray(offset - base, offset - base + length);
  };
}

/** A gzipped dump's uncompressed stream, kept as the chunks it came in. */
class ChunkList {
  private readonly chunks: Uint8Array[] = [];
  private readonly starts: number[] = [];
  private size = 0;

  push(c: Uint8Array): void {
    this.starts.push(this.size);
    this.chunks.push(c.slice()); // the stream may reuse its buffer
    this.size += c.length;
  }

  reader(): DumpReader {
    const { chunks, starts, size } = this;
    return (offset, length) => {
      const end = Math.min(size, offset + length);
      if (offset < 0 || offset >= end) return new Uint8Array(0);
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      const first = chunks[lo]!;
      const at = offset - starts[lo]!;
      if (at + (end - offset) <= first.length) return first.subarray(at, at + (end - offset));
      const out = new Uint8Array(end - offset);
      for (let k = lo, got = 0; got < out.length; k++) {
        const c = chunks[k]!;
        const from = k === lo ? at : 0;
        const take = Math.min(c.length - from, out.length - got);
        out.set(c.subarray(from, from + take), got);
        got += take;
      }
      return out;
    };
  }
}

/**
 * Object types from the binary's DWARF (heap-dwarf.ts); the dump is re-read for interface words:
 * from the file, or from a gzipped dump's kept uncompressed bytes (`inflated`).
 */
function typeFromExe(openFile: OpenFile, analysis: HeapAnalysis, dumpPath: string, exePath: string | null, inflated: DumpReader | null, task: TaskContext): void {
  const exe = exePath ? openFile(exePath) : null;
  const dumpFile = exe && !inflated ? openFile(dumpPath) : null;
  try {
    const plain = dumpFile !== null && !isGzip(dumpFile.read(0, 2));
    const read: DumpReader | null = inflated ?? (plain && dumpFile ? (o, n) => dumpFile.read(o, n) : null);
    const warning = attachDwarfTypes(analysis, exe, exePath, exe ? read : null, task);
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
  const analysis = buildHeapAnalysis(parser.end(), symbols, task, { releaseDump: true, readDump: (o, l) => bytes.subarray(o, o + l) });
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
 * The program's binary beside a dump, chosen once the dump is read. Of the ELF files in the same
 * folder, only those whose Go version and .data/.bss sizes are the dump's can be its binary (builds
 * of other programs, of this one with another Go or from other code, sit beside it too: their
 * addresses would name the wrong globals). Of those, the one named like the dump without its
 * extension (`server` for `server.dump`), even stripped (the app says why it names nothing), else
 * the only one with a symbol table. Null when none or when the choice would be a guess (the user
 * picks one then).
 */
export function exeBeside(dumpPath: string, openFile: OpenFile = openChunkedFile): ExeChooser {
  const elves = elfFilesBeside(dumpPath);
  return { candidates: elves, choose: (dump) => chooseExe(dumpPath, elves, dump, openFile) };
}

/** The ELF files in a dump's folder (its first 16 bytes say so), the dump left out. */
function elfFilesBeside(dumpPath: string): string[] {
  const dir = dirname(dumpPath);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
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
  return elves;
}

function chooseExe(dumpPath: string, elves: readonly string[], dump: HeapDump, openFile: OpenFile): string | null {
  const data = dump.segments.find((x) => x.kind === 'data');
  const bss = dump.segments.find((x) => x.kind === 'bss');
  const facts: ProgramFacts = { ...NO_FACTS, goVersion: dump.params.goVersion || null, segments: data && bss ? { data: data.size, bss: bss.size } : null };
  const matching: Array<{ path: string; stripped: boolean }> = [];
  for (const p of elves) {
    const f = openFile(p);
    try {
      if (exeMatchesDump(readElfBuildIds(f, p), facts)) matching.push({ path: p, stripped: readElfSymbols(f, p, { stackObjects: false }).stripped });
    } catch {
      // not a binary we can read: not a candidate
    } finally {
      f.close();
    }
  }
  const plain = dumpPath.endsWith('.gz') ? dumpPath.slice(0, -3) : dumpPath;
  const stem = basename(plain, extname(plain));
  // Named like the dump: its binary even when stripped (the app then says it names nothing).
  const named = matching.find((m) => basename(m.path) === stem);
  if (named) return named.path;
  const withSymbols = matching.filter((m) => !m.stripped);
  return withSymbols.length === 1 ? withSymbols[0]!.path : null;
}
