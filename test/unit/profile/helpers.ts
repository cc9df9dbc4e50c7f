/** Shared helpers for the profile engine tests. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { importProfile, type ImportedProfile } from '../../../shared/profile';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const LEAKYAPP = join(ROOT, 'test', 'fixtures', 'out', 'go1.19', 'leakyapp');
export const GO = process.env.GO ?? '/usr/lib/go-1.19/bin/go';

export const gunzip = (b: Uint8Array): Uint8Array => {
  const o = gunzipSync(b);
  return new Uint8Array(o.buffer, o.byteOffset, o.byteLength);
};

export function readBytes(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export function load(path: string, opts: { keepUnnamedFrames?: boolean } = {}): ImportedProfile {
  return importProfile(readBytes(path), path, { gunzip, ...opts });
}

/** Profiles of the committed leakyapp fixture (empty when the fixtures are absent). */
export function fixtureProfiles(): string[] {
  if (!existsSync(LEAKYAPP)) return [];
  return readdirSync(LEAKYAPP)
    .filter((f) => /\.(pb\.gz|debug1\.txt|debug2\.txt)$/.test(f))
    .sort();
}

export function haveGo(): boolean {
  if (!existsSync(GO)) return false;
  const r = spawnSync(GO, ['version'], { encoding: 'utf8' });
  return r.status === 0;
}

/** Runs `go tool pprof` and returns stdout (throws with stderr on failure). */
export function pprof(args: string[]): string {
  const r = spawnSync(GO, ['tool', 'pprof', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, GO111MODULE: 'off', PPROF_TMPDIR: '/tmp', HOME: process.env.HOME ?? '/tmp' },
  });
  if (r.status !== 0) throw new Error(`go tool pprof ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** -unit flag making pprof print exact integers for a sample unit. */
export function exactUnitFlag(unit: string): string[] {
  if (unit === 'bytes') return ['-unit=B'];
  if (unit === 'nanoseconds') return ['-unit=ns'];
  return [];
}
