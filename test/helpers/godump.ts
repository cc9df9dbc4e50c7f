/**
 * A Go fixture program (test/fixtures/modern/NAME/go) built here with one toolchain (-trimpath,
 * no cgo) and run with `-out DIR`: it writes heap.dump and expected.json there. Then read as the
 * app reads it, with its binary's DWARF types, and the dump's bytes for the rules that read object
 * contents.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openChunkedFile } from '../../electron/cli/io';
import { loadHeapDumpFile } from '../../electron/services/heapdump-loader';
import type { HeapAnalysis } from '../../shared/heap/index';
import { IN_CI, type Toolchain } from '../unit/leakprofile/toolchains';

export interface GoDump<E> {
  dir: string;
  exe: string;
  dump: string;
  expected: E;
}

/** qemu's user-mode aarch64 emulator (Debian's qemu-user-static), which runs arm64 Go programs here. */
export const QEMU_ARM64 = '/usr/bin/qemu-aarch64-static';

/** The emulator, or null with a printed reason (under CI=true its absence fails: .ci/run installs it). */
export function qemuArm64OrSkip(what: string): string | null {
  if (existsSync(QEMU_ARM64)) return QEMU_ARM64;
  if (IN_CI) throw new Error(`${what}: CI must have ${QEMU_ARM64} (apt-get install qemu-user-static)`);
  console.warn(`SKIPPED ${what} on arm64: ${QEMU_ARM64} is not installed (apt-get install qemu-user-static)`);
  return null;
}

/**
 * Build `programDir` with `tc` (and `buildFlags`, e.g. -buildmode=pie) into a fresh folder and run it
 * there; with `arm64` set to the emulator, built for linux/arm64 and run under it.
 */
export function buildAndDump<E>(tc: Toolchain, programDir: string, name: string, buildFlags: string[] = [], arm64: string | null = null): GoDump<E> {
  const dir = mkdtempSync(join(tmpdir(), `heapscope-${name}-${tc.version}${arm64 ? '-arm64' : ''}-`));
  const exe = join(dir, name);
  const env = { ...tc.env, CGO_ENABLED: '0', ...(arm64 ? { GOARCH: 'arm64', GOOS: 'linux' } : {}) };
  execFileSync(tc.go, ['build', '-trimpath', ...buildFlags, '-o', exe, '.'], { cwd: programDir, env, stdio: 'pipe' });
  if (arm64) execFileSync(arm64, [exe, '-out', dir], { stdio: 'pipe' });
  else execFileSync(exe, ['-out', dir], { stdio: 'pipe' });
  return { dir, exe, dump: join(dir, 'heap.dump'), expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as E };
}

/** The dump analysed with its binary (null: without), and a reader of its bytes. */
export function analyseDump(run: GoDump<unknown>, exe: string | null = run.exe): { analysis: HeapAnalysis; warnings: string[]; read: (o: number, n: number) => Uint8Array } {
  const { analysis, warnings } = loadHeapDumpFile(openChunkedFile, run.dump, exe);
  const b = readFileSync(run.dump);
  const read = (o: number, n: number) => new Uint8Array(b.buffer, b.byteOffset + o, Math.max(0, Math.min(n, b.length - o)));
  return { analysis, warnings, read };
}
