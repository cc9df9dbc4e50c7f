/**
 * A Go fixture program (test/fixtures/modern/NAME/go) built here with one toolchain (-trimpath,
 * no cgo) and run with `-out DIR`: it writes heap.dump and expected.json there. Then read as the
 * app reads it, with its binary's DWARF types, and the dump's bytes for the rules that read object
 * contents.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openChunkedFile } from '../../electron/cli/io';
import { loadHeapDumpFile } from '../../electron/services/heapdump-loader';
import type { HeapAnalysis } from '../../shared/heap/index';
import type { Toolchain } from '../unit/leakprofile/toolchains';

export interface GoDump<E> {
  dir: string;
  exe: string;
  dump: string;
  expected: E;
}

/** Build `programDir` with `tc` (and `buildFlags`, e.g. -buildmode=pie) into a fresh folder and run it there. */
export function buildAndDump<E>(tc: Toolchain, programDir: string, name: string, buildFlags: string[] = []): GoDump<E> {
  const dir = mkdtempSync(join(tmpdir(), `heapscope-${name}-${tc.version}-`));
  const exe = join(dir, name);
  execFileSync(tc.go, ['build', '-trimpath', ...buildFlags, '-o', exe, '.'], { cwd: programDir, env: { ...tc.env, CGO_ENABLED: '0' }, stdio: 'pipe' });
  execFileSync(exe, ['-out', dir], { stdio: 'pipe' });
  return { dir, exe, dump: join(dir, 'heap.dump'), expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as E };
}

/** The dump analysed with its binary (null: without), and a reader of its bytes. */
export function analyseDump(run: GoDump<unknown>, exe: string | null = run.exe): { analysis: HeapAnalysis; warnings: string[]; read: (o: number, n: number) => Uint8Array } {
  const { analysis, warnings } = loadHeapDumpFile(openChunkedFile, run.dump, exe);
  const b = readFileSync(run.dump);
  const read = (o: number, n: number) => new Uint8Array(b.buffer, b.byteOffset + o, Math.max(0, Math.min(n, b.length - o)));
  return { analysis, warnings, read };
}
