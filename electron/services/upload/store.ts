/**
 * Streamed uploads for `heapscope serve`: a browser sends a file in slices; each slice is written
 * to a temporary file as it arrives, so the host never holds more than one slice of it. When the
 * last slice is in, the temporary file is loaded exactly like a file opened from disk.
 *
 * Temporary files live in one folder per process, `<dir>/heapscope-upload-<pid>-<random>/`:
 * removed when the item is closed, when an upload is cancelled, fails or sits idle, and the whole
 * folder on exit (also on a crash: the next start removes folders whose process is gone).
 *
 * Refusals say what happened, with the file's name and size: over the configured limit, not
 * enough free disk space for the declared size, the disk filling up while writing.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statfsSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeapscopeError } from '../../../shared/errors';
import type { UploadChunkResult, UploadTicket } from '../../../shared/api/upload';

export const DEFAULT_UPLOAD_LIMIT = 64 * 1024 ** 3;
export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;
/** Largest slice the host takes in one request (the page sends chunkBytes). */
export const MAX_CHUNK_BYTES = 64 * 1024 * 1024;
const DIR_PREFIX = 'heapscope-upload-';

export interface UploadStoreOptions {
  /** Where this process's temporary folder goes (default: the OS temp folder). */
  dir?: string;
  /** Largest accepted upload, bytes (default 64 GiB). */
  limitBytes?: number;
  chunkBytes?: number;
  /** An upload with no slice for this long is dropped with its file (default 10 min). */
  idleMs?: number;
  /** Free bytes on the file system holding `dir` (default: statfs); null when unknown. */
  freeBytes?: (dir: string) => number | null;
}

interface Session {
  id: string;
  name: string;
  size: number;
  path: string;
  fh: FileHandle;
  received: number;
  busy: boolean;
  timer: NodeJS.Timeout | null;
}

export interface FinishedUpload {
  path: string;
  name: string;
  size: number;
}

/** 1.1 GB, 340 MB, 12 kB: decimal units, as file managers and browsers show file sizes. */
export function formatSize(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let x = n;
  let i = -1;
  while (x >= 1000 && i < units.length - 1) {
    x /= 1000;
    i++;
  }
  return `${x >= 100 ? Math.round(x) : x.toFixed(1)} ${units[i]}`;
}

function defaultFreeBytes(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** Remove upload folders left by processes that are gone (killed, crashed). */
export function sweepStaleUploadDirs(dir: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const n of names) {
    if (!n.startsWith(DIR_PREFIX)) continue;
    const pid = Number(/^heapscope-upload-(\d+)-/.exec(n)?.[1] ?? NaN);
    if (!Number.isInteger(pid) || pid === process.pid || pidAlive(pid)) continue;
    try {
      rmSync(join(dir, n), { recursive: true, force: true });
      removed.push(join(dir, n));
    } catch {
      // not ours to force
    }
  }
  return removed;
}

function diskFull(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

export class UploadStore {
  private readonly sessions = new Map<string, Session>();
  /** Finished uploads now backing loaded items. */
  private readonly kept = new Set<string>();
  private folder: string | null = null;
  private readonly onExit = () => this.disposeSync();
  readonly parentDir: string;
  readonly limitBytes: number;
  readonly chunkBytes: number;
  private readonly idleMs: number;
  private readonly freeBytes: (dir: string) => number | null;

  constructor(opts: UploadStoreOptions = {}) {
    this.parentDir = opts.dir ?? tmpdir();
    this.limitBytes = opts.limitBytes ?? DEFAULT_UPLOAD_LIMIT;
    this.chunkBytes = Math.min(opts.chunkBytes ?? DEFAULT_CHUNK_BYTES, MAX_CHUNK_BYTES);
    this.idleMs = opts.idleMs ?? 10 * 60_000;
    this.freeBytes = opts.freeBytes ?? defaultFreeBytes;
  }

  /** This process's folder, made on first use (stale folders of dead processes removed then). */
  dir(): string {
    if (this.folder) return this.folder;
    try {
      mkdirSync(this.parentDir, { recursive: true });
      sweepStaleUploadDirs(this.parentDir);
      const f = join(this.parentDir, `${DIR_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
      mkdirSync(f, { mode: 0o700 });
      this.folder = f;
    } catch (e) {
      throw new HeapscopeError({ code: 'IO', message: `cannot make a folder for uploads in ${this.parentDir}: ${e instanceof Error ? e.message : String(e)}` });
    }
    process.on('exit', this.onExit);
    return this.folder;
  }

  /** Whether a path is one of this store's temporary files (removed when its item closes). */
  owns(path: string): boolean {
    return this.kept.has(path);
  }

  /** Uploads in progress (tests, diagnostics). */
  get active(): number {
    return this.sessions.size;
  }

  async begin(name: string, size: number): Promise<UploadTicket> {
    const what = `${formatSize(size)}`;
    if (size > this.limitBytes) {
      throw new HeapscopeError({
        code: 'BAD_REQUEST',
        file: name,
        message: `${what} is over this server's upload limit of ${formatSize(this.limitBytes)} (heapscope serve --max-upload); open it where it is with "Open a file on this machine", or raise the limit`,
      });
    }
    const dir = this.dir();
    const free = this.freeBytes(dir);
    if (free !== null && free < size) {
      throw new HeapscopeError({
        code: 'IO',
        file: name,
        message: `not enough disk space on the server for this upload: ${what} needed, ${formatSize(free)} free in ${this.parentDir}`,
      });
    }
    const id = randomBytes(12).toString('hex');
    const path = join(dir, `${id}.upload`);
    let fh: FileHandle;
    try {
      fh = await open(path, 'wx', 0o600);
    } catch (e) {
      throw new HeapscopeError({ code: 'IO', file: name, message: `cannot create the upload's temporary file in ${dir}: ${e instanceof Error ? e.message : String(e)}` });
    }
    const s: Session = { id, name, size, path, fh, received: 0, busy: false, timer: null };
    this.sessions.set(id, s);
    this.touch(s);
    return { uploadId: id, chunkBytes: this.chunkBytes, limitBytes: this.limitBytes };
  }

  private touch(s: Session): void {
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => void this.drop(s), this.idleMs);
    s.timer.unref();
  }

  private session(id: string): Session {
    const s = this.sessions.get(id);
    if (!s) {
      throw new HeapscopeError({
        code: 'NOT_FOUND',
        message: `no upload ${id.slice(0, 64)} on this server: it was cancelled, failed, sat idle for ${Math.round(this.idleMs / 60_000)} min, or the server restarted`,
      });
    }
    return s;
  }

  /** Drop an upload and its file (cancel, failure, idle, dropped connection). */
  private async drop(s: Session): Promise<void> {
    if (!this.sessions.delete(s.id)) return;
    if (s.timer) clearTimeout(s.timer);
    await s.fh.close().catch(() => undefined);
    await rm(s.path, { force: true }).catch(() => undefined);
  }

  async chunk(id: string, offset: number, bytes: Uint8Array): Promise<UploadChunkResult> {
    const s = this.session(id);
    if (s.busy) throw new HeapscopeError({ code: 'BAD_REQUEST', file: s.name, message: 'a slice of this upload is still being written: send slices one at a time' });
    if (offset !== s.received) {
      throw new HeapscopeError({ code: 'BAD_REQUEST', file: s.name, message: `upload slice at byte ${offset}, but ${s.received} bytes are in: slices go in order` });
    }
    if (offset + bytes.length > s.size) {
      await this.drop(s);
      throw new HeapscopeError({ code: 'BAD_REQUEST', file: s.name, message: `upload of ${formatSize(s.size)} got more bytes than announced (${formatSize(offset + bytes.length)}); the partial upload was removed` });
    }
    s.busy = true;
    try {
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await s.fh.write(bytes, done, bytes.length - done, offset + done);
        done += bytesWritten;
      }
    } catch (e) {
      await this.drop(s);
      if (diskFull(e)) {
        throw new HeapscopeError({
          code: 'IO',
          file: s.name,
          message: `the server's disk is full: no space left in ${this.parentDir} after ${formatSize(offset)} of ${formatSize(s.size)}; the partial upload was removed`,
        });
      }
      throw new HeapscopeError({ code: 'IO', file: s.name, message: `cannot write the upload on the server (${formatSize(s.size)}): ${e instanceof Error ? e.message : String(e)}; the partial upload was removed` });
    } finally {
      s.busy = false;
    }
    s.received += bytes.length;
    this.touch(s);
    return { received: s.received };
  }

  /** The last slice is in: the file is closed and handed over (removeFile when its item closes). */
  async finish(id: string): Promise<FinishedUpload> {
    const s = this.session(id);
    if (s.busy) throw new HeapscopeError({ code: 'BAD_REQUEST', file: s.name, message: 'a slice of this upload is still being written' });
    if (s.received !== s.size) {
      await this.drop(s);
      throw new HeapscopeError({ code: 'TRUNCATED', file: s.name, message: `upload incomplete: ${formatSize(s.received)} of ${formatSize(s.size)} arrived; the partial upload was removed` });
    }
    this.sessions.delete(id);
    if (s.timer) clearTimeout(s.timer);
    await s.fh.close();
    this.kept.add(s.path);
    return { path: s.path, name: s.name, size: s.size };
  }

  async cancel(id: string): Promise<boolean> {
    const s = this.sessions.get(id);
    if (!s) return false;
    await this.drop(s);
    return true;
  }

  /** A dropped connection in the middle of a slice: the upload cannot continue. */
  aborted(id: string): void {
    const s = this.sessions.get(id);
    if (s) void this.drop(s);
  }

  /** Remove a finished upload's file (its item was closed or failed to load). */
  async removeFile(path: string): Promise<void> {
    if (!this.kept.delete(path)) return;
    await rm(path, { force: true }).catch(() => undefined);
  }

  /** Remove everything (exit). Synchronous so it also runs from process 'exit'. */
  disposeSync(): void {
    for (const s of this.sessions.values()) if (s.timer) clearTimeout(s.timer);
    this.sessions.clear();
    this.kept.clear();
    if (this.folder) {
      try {
        rmSync(this.folder, { recursive: true, force: true });
      } catch {
        // nothing more to do on the way out
      }
      this.folder = null;
    }
    process.removeListener('exit', this.onExit);
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.fh.close().catch(() => undefined)));
    this.disposeSync();
  }
}
