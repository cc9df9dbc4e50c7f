/**
 * Loading any input the `diff` and `findings` commands take: pprof profiles (every format
 * shared/profile reads), Go heap dumps (streamed from disk with retain.ts's loader; gzipped dumps
 * are inflated in memory) and GODEBUG=gctrace=1 logs. Sniffed by content, never by name.
 */
import { looksLikeGcTrace, parseGcTrace } from '../../shared/compare';
import type { GcTrace } from '../../shared/compare/types';
import { HeapscopeError } from '../../shared/errors';
import { buildHeapAnalysis, HeapDumpParser, readElfSymbols, type ExeSymbols, type HeapAnalysis } from '../../shared/heap/index';
import { importProfile, type ImportedProfile } from '../../shared/profile';
import { readElfBuildIds, type ExeBuildIds } from '../../shared/heap/buildid';
import type { CliIO } from './io';
import { loadHeapDump } from './commands/retain';

const HEAPDUMP = 'go1.7 heap dump\n';

export type InputKind = 'profile' | 'heapdump' | 'gctrace';

export type LoadedInput =
  | { kind: 'profile'; path: string; imported: ImportedProfile }
  | { kind: 'heapdump'; path: string; analysis: HeapAnalysis; warnings: string[]; read: (offset: number, length: number) => Uint8Array; close(): void }
  | { kind: 'gctrace'; path: string; trace: GcTrace };

function startsWith(b: Uint8Array, s: string): boolean {
  if (b.length < s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[i] !== s.charCodeAt(i)) return false;
  return true;
}

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

function withFile<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof HeapscopeError && e.file === undefined) e.file = path;
    throw e;
  }
}

/** What a file holds, from its first bytes (gzip looked through). */
export function sniffInput(io: CliIO, path: string): { kind: InputKind; gzipped: boolean } {
  const f = io.openFile(path);
  let head: Uint8Array;
  try {
    head = f.read(0, Math.min(f.size, 256 * 1024));
  } finally {
    f.close();
  }
  if (isGzip(head)) {
    // Only the start is needed, but gunzip wants the whole stream: inflate the file once here.
    return { kind: 'profile', gzipped: true };
  }
  if (startsWith(head, HEAPDUMP)) return { kind: 'heapdump', gzipped: false };
  if (looksLikeGcTrace(head.subarray(0, Math.min(head.length, 256 * 1024)))) return { kind: 'gctrace', gzipped: false };
  return { kind: 'profile', gzipped: false };
}

/** Symbols of an executable (ELF), read at random offsets (headers and symbol table only). */
export function loadExeSymbols(io: CliIO, path: string): ExeSymbols {
  const f = io.openFile(path);
  try {
    return withFile(path, () => readElfSymbols(f, path));
  } finally {
    f.close();
  }
}

function analyseDumpBytes(path: string, bytes: Uint8Array, symbols: ExeSymbols | undefined): HeapAnalysis {
  const dump = withFile(path, () => {
    const p = new HeapDumpParser({ totalBytes: bytes.length, file: path });
    const CHUNK = 8 << 20;
    for (let off = 0; off < bytes.length; off += CHUNK) p.push(bytes.subarray(off, Math.min(bytes.length, off + CHUNK)));
    return p.end();
  });
  return buildHeapAnalysis(dump, symbols ?? null, undefined, { releaseDump: true });
}

/** A pprof profile in any format shared/profile reads; errors name the file. */
export async function loadProfile(io: CliIO, path: string): Promise<ImportedProfile> {
  const bytes = await io.readFile(path);
  return withFile(path, () => importProfile(bytes, path, { gunzip: (b) => io.gunzip(b) }));
}

/**
 * Loads one input. Heap dumps stay readable (`read`, for slice lengths) until `close()`; a gzipped
 * dump is inflated in memory.
 */
export async function loadInput(io: CliIO, path: string, opts: { exe?: string } = {}): Promise<LoadedInput> {
  const { kind, gzipped } = sniffInput(io, path);
  if (gzipped) {
    const raw = await io.readFile(path);
    let bytes: Uint8Array;
    try {
      bytes = io.gunzip(raw);
    } catch (e) {
      throw new HeapscopeError({ code: 'BAD_FORMAT', message: `corrupt gzip data: ${e instanceof Error ? e.message : String(e)}`, file: path, format: 'gzip', offset: 0 });
    }
    if (startsWith(bytes, HEAPDUMP)) {
      const symbols = opts.exe ? loadExeSymbols(io, opts.exe) : undefined;
      const analysis = analyseDumpBytes(path, bytes, symbols);
      return { kind: 'heapdump', path, analysis, warnings: analysis.summary().warnings, read: (o, n) => bytes.subarray(o, o + n), close() {} };
    }
    if (looksLikeGcTrace(bytes.subarray(0, Math.min(bytes.length, 256 * 1024)))) return { kind: 'gctrace', path, trace: parseGcTrace(bytes) };
    return { kind: 'profile', path, imported: withFile(path, () => importProfile(bytes, path, { gunzip: (b) => io.gunzip(b) })) };
  }
  if (kind === 'heapdump') {
    const { analysis, warnings } = loadHeapDump(io, path, opts.exe);
    const f = io.openFile(path);
    return { kind: 'heapdump', path, analysis, warnings, read: (o, n) => f.read(o, n), close: () => f.close() };
  }
  if (kind === 'gctrace') return { kind: 'gctrace', path, trace: parseGcTrace(await io.readFile(path)) };
  return { kind: 'profile', path, imported: await loadProfile(io, path) };
}

export function closeInputs(inputs: readonly LoadedInput[]): void {
  for (const x of inputs) if (x.kind === 'heapdump') x.close();
}

/** A one-line note of what was read and how. */
export function describeInput(x: LoadedInput): string {
  switch (x.kind) {
    case 'profile':
      return `${x.path}: ${x.imported.profileKind} profile (${x.imported.format})`;
    case 'heapdump': {
      const s = x.analysis.summary();
      return `${x.path}: heap dump, Go ${s.goVersion || '?'}, ${s.reachableObjects} reachable objects${s.globalsNamed ? '' : ' (globals unnamed: pass --exe)'}`;
    }
    case 'gctrace':
      return `${x.path}: gctrace log, ${x.trace.cycles.length} GCs`;
  }
}

/** The build ids of a program's binary (to tell programs apart in findings and check). */
export function readExeBuildIds(io: CliIO, path: string): ExeBuildIds {
  const f = io.openFile(path);
  try {
    return readElfBuildIds(f, path);
  } finally {
    f.close();
  }
}
