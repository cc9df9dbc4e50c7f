/**
 * Fixtures and runners for the comparison and findings tests: the committed leakyapp outputs
 * (test/fixtures/out/go1.19/leakyapp) and the extra programs' outputs (test/fixtures/extra/out, made by
 * test/fixtures/extra/make.sh).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Command } from 'commander';
import { registerDiff } from '../../../electron/cli/commands/diff';
import { registerFindings } from '../../../electron/cli/commands/findings';
import { registerRetain } from '../../../electron/cli/commands/retain';
import { registerTypes } from '../../../electron/cli/commands/types';
import { gunzip, openChunkedFile, type CliIO } from '../../../electron/cli/io';
import { HeapscopeError } from '../../../shared/errors';
import { buildHeapAnalysis, HeapDumpParser, readElfSymbols, type HeapAnalysis } from '../../../shared/heap/index';
import { importProfile, type ImportedProfile } from '../../../shared/profile';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const LEAKYAPP = join(ROOT, 'test', 'fixtures', 'out', 'go1.19', 'leakyapp');
export const EXTRA = join(ROOT, 'test', 'fixtures', 'extra', 'out');
export const SERIES = join(EXTRA, 'series');
export const PATTERNS = join(EXTRA, 'patterns');
export const GCTRACE = join(EXTRA, 'gctrace');

export const haveLeakyapp = existsSync(join(LEAKYAPP, 'heap.dump')) && existsSync(join(LEAKYAPP, 'expected.json'));
export const haveExtra = existsSync(join(SERIES, 'series.json')) && existsSync(join(PATTERNS, 'patterns.json'));

export function bytesOf(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export function inflate(b: Uint8Array): Uint8Array {
  const o = gunzipSync(b);
  return new Uint8Array(o.buffer, o.byteOffset, o.byteLength);
}

export function profile(path: string): ImportedProfile {
  return importProfile(bytesOf(path), path, { gunzip: inflate });
}

export interface LoadedDump {
  analysis: HeapAnalysis;
  read: (offset: number, length: number) => Uint8Array;
}

/** A heap dump (raw or .gz), with its binary or symbol file (raw or .gz) when given. */
export function dump(path: string, exe?: string): LoadedDump {
  let bytes = bytesOf(path);
  if (path.endsWith('.gz')) bytes = inflate(bytes);
  const p = new HeapDumpParser({ totalBytes: bytes.length, file: path });
  for (let off = 0; off < bytes.length; off += 1 << 20) p.push(bytes.subarray(off, Math.min(bytes.length, off + (1 << 20))));
  let symbols;
  if (exe) {
    let e = bytesOf(exe);
    if (exe.endsWith('.gz')) e = inflate(e);
    symbols = readElfSymbols({ size: e.length, read: (o, n) => e.subarray(o, o + n) }, exe);
  }
  const b = bytes;
  return { analysis: buildHeapAnalysis(p.end(), symbols), read: (o, n) => b.subarray(o, o + n) };
}

const cache = new Map<string, LoadedDump>();
export function cachedDump(path: string, exe?: string): LoadedDump {
  const k = `${path}\u0000${exe ?? ''}`;
  let d = cache.get(k);
  if (!d) cache.set(k, (d = dump(path, exe)));
  return d;
}

let tmp: string | null = null;
/** A gunzipped copy of a .gz file in a temp dir (for the CLI, which reads binaries raw). */
export function gunzipToTemp(path: string): string {
  if (!tmp) tmp = mkdtempSync(join(tmpdir(), 'heapscope-compare-'));
  const out = join(tmp, path.split('/').pop()!.replace(/\.gz$/, ''));
  if (!existsSync(out)) writeFileSync(out, inflate(bytesOf(path)));
  return out;
}

export interface CliRun {
  out: string;
  err: string;
  code: number;
}

/** Runs `heapscope diff|findings ...` in-process with a real file system behind CliIO. */
export async function runCli(args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    async readFile(path) {
      if (!existsSync(path)) throw new HeapscopeError({ code: 'NOT_FOUND', message: 'cannot read: no such file', file: path });
      return bytesOf(path);
    },
    gunzip,
    openFile: openChunkedFile,
    isTTY: false,
  };
  const program = new Command();
  program.exitOverride();
  program.configureOutput({ writeOut: (s) => void (out += s), writeErr: (s) => void (err += s) });
  registerDiff(program, io);
  registerFindings(program, io);
  registerRetain(program, io);
  registerTypes(program, io);
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { out, err, code: typeof process.exitCode === 'number' ? process.exitCode : 0 };
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode;
    return { out, err, code: typeof code === 'number' ? code : 1 };
  } finally {
    process.exitCode = saved;
  }
}

/** pprof's `-top` golden text → rows (see test/unit/profile/golden.ts). */
export { parsePprofTop, rowKeys } from '../profile/golden';
