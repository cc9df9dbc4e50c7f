/**
 * Loading any input the `diff` and `findings` commands take: pprof profiles (every format
 * shared/profile reads), Go heap dumps (streamed from disk with retain.ts's loader, named by the
 * binary given or found beside them; a gzipped dump's uncompressed bytes are kept in memory) and
 * GODEBUG=gctrace=1 logs. Sniffed by content, never by name.
 */
import { looksLikeGcTrace, parseGcTrace } from '../../shared/compare';
import type { GcTrace } from '../../shared/compare/types';
import { HeapscopeError } from '../../shared/errors';
import type { HeapAnalysis } from '../../shared/heap/index';
import { gunzipHead } from '../services/heapdump-gzip';
import { importProfile, type ImportedProfile } from '../../shared/profile';
import { findCrashDump } from '../../shared/profile/legacy/goroutines';
import { readElfBuildIds, type ExeBuildIds } from '../../shared/heap/buildid';
import type { FindingsInput } from '../../shared/findings';
import type { CliIO } from './io';
import { exeFor, loadHeapDump } from './commands/retain';
import { loadGzippedHeapDump } from '../services/heapdump-loader';

const HEAPDUMP = 'go1.7 heap dump\n';

export type InputKind = 'profile' | 'heapdump' | 'gctrace';

export type LoadedInput =
  | {
      kind: 'profile';
      /** The file read. */
      path: string;
      /** Set when the profile is a part of the file: the goroutine dump a service log ends in. */
      part?: 'goroutines';
      imported: ImportedProfile;
    }
  | {
      kind: 'heapdump';
      path: string;
      analysis: HeapAnalysis;
      warnings: string[];
      /** The binary that named it: given (--exe) or found beside it; null when none. */
      exe: string | null;
      /** Whether `exe` was found beside the dump rather than given. */
      exeFound: boolean;
      read: (offset: number, length: number) => Uint8Array;
      close(): void;
    }
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

/** A pprof profile in any format shared/profile reads; errors name the file. */
export async function loadProfile(io: CliIO, path: string): Promise<ImportedProfile> {
  const bytes = await io.readFile(path);
  return withFile(path, () => importProfile(bytes, path, { gunzip: (b) => io.gunzip(b) }));
}

/**
 * Loads one input. Heap dumps stay readable (`read`, for slice lengths) until `close()`; a gzipped
 * dump is inflated in memory. A service log that ends in a crash is read as its GCs only.
 */
export async function loadInput(io: CliIO, path: string, opts: { exe?: string } = {}): Promise<LoadedInput> {
  return (await loadInputs(io, path, { ...opts, parts: false }))[0]!;
}

/**
 * What one file holds: its input, and for a service's gctrace log that ends in a crash's goroutine
 * dump (a panic, SIGQUIT) that dump as well (`part: 'goroutines'`). The log is read and decoded once.
 */
export async function loadInputs(io: CliIO, path: string, opts: { exe?: string; parts?: boolean } = {}): Promise<LoadedInput[]> {
  const parts = opts.parts ?? true;
  const { kind, gzipped } = sniffInput(io, path);
  if (gzipped) {
    // A gzipped heap dump streams through gunzip (its uncompressed bytes kept for slice lengths
    // and types); other gzipped inputs are read whole.
    const f = io.openFile(path);
    let head: Uint8Array;
    try {
      head = gunzipHead(f, HEAPDUMP.length);
    } finally {
      f.close();
    }
    if (startsWith(head, HEAPDUMP)) {
      const loaded = loadGzippedHeapDump((p) => io.openFile(p), path, exeFor(io, path, opts.exe));
      return [{ kind: 'heapdump', path, analysis: loaded.analysis, warnings: loaded.warnings, exe: loaded.exe, exeFound: !opts.exe && loaded.exe !== null, read: loaded.inflated, close() {} }];
    }
    const raw = await io.readFile(path);
    let bytes: Uint8Array;
    try {
      bytes = io.gunzip(raw);
    } catch (e) {
      throw new HeapscopeError({ code: 'BAD_FORMAT', message: `corrupt gzip data: ${e instanceof Error ? e.message : String(e)}`, file: path, format: 'gzip', offset: 0 });
    }
    if (looksLikeGcTrace(bytes.subarray(0, Math.min(bytes.length, 256 * 1024)))) return gcTraceInputs(io, path, bytes, parts);
    return [{ kind: 'profile', path, imported: withFile(path, () => importProfile(bytes, path, { gunzip: (b) => io.gunzip(b) })) }];
  }
  if (kind === 'heapdump') {
    const loaded = loadHeapDump(io, path, opts.exe);
    const f = io.openFile(path);
    return [{ kind: 'heapdump', path, analysis: loaded.analysis, warnings: loaded.warnings, exe: loaded.exe, exeFound: !opts.exe && loaded.exe !== null, read: (o, n) => f.read(o, n), close: () => f.close() }];
  }
  if (kind === 'gctrace') return gcTraceInputs(io, path, await io.readFile(path), parts);
  return [{ kind: 'profile', path, imported: await loadProfile(io, path) }];
}

/** A gctrace log's GCs, and the crash's goroutines when it ends in one. */
function gcTraceInputs(io: CliIO, path: string, bytes: Uint8Array, parts: boolean): LoadedInput[] {
  const text = new TextDecoder('utf-8').decode(bytes);
  const x: LoadedInput = { kind: 'gctrace', path, trace: parseGcTrace(text) };
  if (!parts || !findCrashDump(text)) return [x];
  const name = `${path} (goroutines)`;
  return [x, { kind: 'profile', path, part: 'goroutines', imported: withFile(name, () => importProfile(bytes, name, { gunzip: (b) => io.gunzip(b) })) }];
}

/** How an input is named to the user: its path, and the part of the file when it is one. */
export function inputLabel(x: LoadedInput): string {
  return x.kind === 'profile' && x.part ? `${x.path} (${x.part})` : x.path;
}

export function closeInputs(inputs: readonly LoadedInput[]): void {
  for (const x of inputs) if (x.kind === 'heapdump') x.close();
}

/** A one-line note of what was read and how. */
export function describeInput(x: LoadedInput): string {
  switch (x.kind) {
    case 'profile':
      return `${inputLabel(x)}: ${x.imported.profileKind} profile (${x.imported.format})`;
    case 'heapdump': {
      const s = x.analysis.summary();
      const beside = x.exeFound ? ', found beside it,' : '';
      const named =
        x.exe === null
          ? s.globalsNamed
            ? ''
            : ' (globals unnamed: no binary of this dump beside it; pass --exe)'
          : !s.globalsNamed
            ? ` (globals unnamed: ${x.exe}${beside} does not name them, see the warning)`
            : x.exeFound
              ? ` (named by ${x.exe}, found beside it)`
              : '';
      return `${x.path}: heap dump, Go ${s.goVersion || '?'}, ${s.reachableObjects} reachable objects${named}`;
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

/**
 * Loaded inputs as the findings engine takes them. A dump's binary's build ids tell which program
 * it comes from (series are per program); each binary is read once.
 */
export function findingsInputs(io: CliIO, loaded: readonly LoadedInput[]): FindingsInput[] {
  const ids = new Map<string, ExeBuildIds>();
  const idsOf = (exe: string): ExeBuildIds => {
    let v = ids.get(exe);
    if (!v) ids.set(exe, (v = readExeBuildIds(io, exe)));
    return v;
  };
  return loaded.map((x): FindingsInput => {
    if (x.kind === 'profile') return { name: inputLabel(x), kind: 'profile', imported: x.imported };
    if (x.kind === 'heapdump') return { name: x.path, kind: 'heapdump', analysis: x.analysis, read: x.read, exeIds: x.exe ? idsOf(x.exe) : null };
    return { name: x.path, kind: 'gctrace', series: x.trace };
  });
}
