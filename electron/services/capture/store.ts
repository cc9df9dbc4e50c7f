/**
 * Writes captures to disk atomically: a temporary file in the same folder, written and fsynced,
 * then linked to its final name (which fails instead of replacing an existing file; where the
 * file system has no hard links, a rename after checking the name is free), then the folder is
 * fsynced. A crash or a failure leaves either the complete file or nothing, never a partial one,
 * and never touches files already there.
 *
 * Names: `<profile>-<UTC time>[-<variant>].<ext>`, e.g. heap-20261122T153012Z.pb.gz,
 * goroutine-20261122T153012Z-debug2.txt, cpu-20261122T153012Z-30s.pb.gz,
 * heap-20261122T153012Z-delta10s.pb.gz. A taken name gets "-2", "-3", ... before the extension.
 */
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { HeapscopeError } from '../../../shared/errors';
import { compactTime } from './format';
import type { CaptureFormat, CaptureParams, SavedFile } from './types';

/** File name for a capture (the CPU profile, served as "profile", is named "cpu"). */
export function captureFileName(profile: string, params: CaptureParams, format: CaptureFormat, time: Date): string {
  const base = profile === 'profile' ? 'cpu' : profile.replace(/[^A-Za-z0-9_.-]/g, '_');
  const parts = [base, compactTime(time)];
  if (profile === 'profile') parts.push(`${params.seconds ?? 30}s`);
  else if (params.seconds !== undefined) parts.push(`delta${params.seconds}s`);
  if (params.gc) parts.push('gc');
  if (params.debug) parts.push(`debug${params.debug}`);
  return `${parts.join('-')}${format === 'text' ? '.txt' : '.pb.gz'}`;
}

function ioError(path: string, what: string, e: unknown): HeapscopeError {
  const code = (e as { code?: string }).code;
  const why =
    code === 'ENOSPC' ? 'no space left on the disk' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : e instanceof Error ? e.message : String(e);
  return new HeapscopeError({ code: 'IO', message: `cannot ${what}: ${why}`, file: path });
}

/** Split "heap-1.pb.gz" into ["heap-1", ".pb.gz"] (double extensions kept whole). */
function splitExt(name: string): [string, string] {
  const m = /^(.*?)((?:\.pb)?\.gz|\.[A-Za-z0-9]{1,8})?$/.exec(name)!;
  return [m[1]!, m[2] ?? ''];
}

function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function writeTemp(dir: string, name: string, bytes: Uint8Array): string {
  const tmp = join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', 0o644);
  } catch (e) {
    throw ioError(join(dir, name), 'write the capture', e);
  }
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    safeUnlink(tmp);
    throw ioError(join(dir, name), 'write the capture', e);
  }
  closeSync(fd);
  return tmp;
}

function safeUnlink(p: string): void {
  try {
    unlinkSync(p);
  } catch {
    // already gone
  }
}

/**
 * Write bytes under `name` in `dir` without ever replacing an existing file: a taken name becomes
 * name-2, name-3, ... Names in `avoid` count as taken (a watch never reuses the name of a capture it
 * dropped). Returns where it went.
 */
export function saveNew(dir: string, name: string, bytes: Uint8Array, opts: { avoid?: ReadonlySet<string> } = {}): SavedFile {
  const absDir = resolve(dir);
  try {
    mkdirSync(absDir, { recursive: true });
  } catch (e) {
    throw ioError(absDir, 'create the folder', e);
  }
  const tmp = writeTemp(absDir, name, bytes);
  const [stem, ext] = splitExt(name);
  try {
    for (let i = 1; i <= 10_000; i++) {
      const candidate = i === 1 ? name : `${stem}-${i}${ext}`;
      if (opts.avoid?.has(candidate)) continue;
      const final = join(absDir, candidate);
      try {
        linkSync(tmp, final);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'EEXIST') continue;
        if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EXDEV' || code === 'ENOSYS') {
          // No hard links here: rename, after making sure the name is free.
          if (existsSync(final)) continue;
          renameSync(tmp, final);
          fsyncDir(absDir);
          return { path: final, name: candidate, sizeBytes: bytes.length };
        }
        throw ioError(final, 'save the capture', e);
      }
      safeUnlink(tmp);
      fsyncDir(absDir);
      return { path: final, name: candidate, sizeBytes: bytes.length };
    }
    throw new HeapscopeError({ code: 'IO', message: `cannot save the capture: too many files named like ${name}`, file: join(absDir, name) });
  } catch (e) {
    safeUnlink(tmp);
    if (e instanceof HeapscopeError) throw e;
    throw ioError(join(absDir, name), 'save the capture', e);
  }
}

/** Write (or atomically replace) a file we own, e.g. the session manifest. */
export function replaceFile(dir: string, name: string, bytes: Uint8Array): SavedFile {
  const absDir = resolve(dir);
  const tmp = writeTemp(absDir, name, bytes);
  const final = join(absDir, name);
  try {
    renameSync(tmp, final);
  } catch (e) {
    safeUnlink(tmp);
    throw ioError(final, 'write', e);
  }
  fsyncDir(absDir);
  return { path: final, name, sizeBytes: bytes.length };
}

/** Create a fresh session folder `<prefix>-<time>` (or -2, -3, ...) inside parent. Never reuses one. */
export function createSessionDir(parent: string, time: Date, prefix = 'watch'): string {
  const absParent = resolve(parent);
  try {
    mkdirSync(absParent, { recursive: true });
  } catch (e) {
    throw ioError(absParent, 'create the folder', e);
  }
  const base = `${prefix}-${compactTime(time)}`;
  for (let i = 1; i <= 10_000; i++) {
    const dir = join(absParent, i === 1 ? base : `${base}-${i}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (e) {
      if ((e as { code?: string }).code === 'EEXIST') continue;
      throw ioError(dir, 'create the session folder', e);
    }
  }
  throw new HeapscopeError({ code: 'IO', message: 'cannot create a session folder: too many with the same time', file: join(absParent, base) });
}

/** Delete a capture we wrote (dropping the oldest of a watch). Missing files are fine. */
export function removeFile(path: string): void {
  safeUnlink(path);
}
