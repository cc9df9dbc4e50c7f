/**
 * `heapscope serve` as a process (the built CLI): a real full disk (a 4 MiB tmpfs mounted in a
 * user + mount namespace, `unshare`), and the server killed in the middle of an upload: SIGTERM
 * removes the upload folder on the way out; after SIGKILL the next serve start removes it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WireResult } from '../../shared/api/contract';
import type { PathCompletion, UploadTicket } from '../../shared/api/upload';
import { CLI_JS, FIXTURES, ROOT } from '../helpers/paths';

const DUMP = join(FIXTURES, 'heap.dump');

interface Proc {
  proc: ChildProcess;
  base: string;
  token: string;
  output(): string;
}
const running: ChildProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

function launch(cmd: string, args: string[]): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(proc);
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL:\n${out}`)), 30_000);
    const onData = (c: Buffer) => {
      out += c.toString('utf8');
      const m = /serving on (http:\/\/127\.0\.0\.1:\d+)\/\?token=([\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, base: m[1]!, token: m[2]!, output: () => out });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}):\n${out}`));
    });
  });
}

async function call<T>(p: Proc, method: string, body: unknown): Promise<WireResult<T>> {
  const res = await fetch(`${p.base}/api/${method}`, { method: 'POST', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as WireResult<T>;
}
async function slice(p: Proc, id: string, offset: number, bytes: Uint8Array): Promise<WireResult<{ received: number }>> {
  const res = await fetch(`${p.base}/api/uploadChunk?uploadId=${id}&offset=${offset}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/octet-stream' },
    body: bytes as Uint8Array<ArrayBuffer>,
  });
  return (await res.json()) as WireResult<{ received: number }>;
}
function ok<T>(w: WireResult<T>): T {
  if (!w.ok) throw new Error(`expected ok, got ${JSON.stringify(w.error)}`);
  return w.result;
}
const exited = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

/** User + mount namespaces let an unprivileged process mount a small tmpfs (a real ENOSPC). */
function haveUnshare(): boolean {
  const r = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'true'], { stdio: 'ignore' });
  return r.status === 0;
}
const unshareOk = haveUnshare();
if (!unshareOk) {
  const why = 'upload-serve: `unshare --user --map-root-user --mount` is not available here (util-linux, user namespaces): the full-disk test cannot make a small file system';
  if (process.env.CI === 'true') throw new Error(why);
  console.log(`${why}; skipped`);
}

describe('serve with a full disk (a real 4 MiB tmpfs)', () => {
  it.skipIf(!unshareOk)('a slice that does not fit says the disk is full, with the file, its size and how far it got; nothing stays', async () => {
    const mnt = mkdtempSync(join(tmpdir(), 'hs-tmpfs-'));
    const p = await launch('unshare', [
      '--user',
      '--map-root-user',
      '--mount',
      'sh',
      '-c',
      'mount -t tmpfs -o size=4m tmpfs "$1" && shift && exec "$@"',
      'sh',
      mnt,
      process.execPath,
      CLI_JS,
      'serve',
      '--no-demo',
      '--port',
      '0',
      '--upload-dir',
      mnt,
    ]);
    const bytes = new Uint8Array(readFileSync(DUMP)); // 2.9 MB: fits once in 4 MiB, not twice
    // Refused up front when the size is known not to fit.
    const tooBig = await call(p, 'uploadBegin', { name: 'big.dump', size: 8 * 1024 * 1024 });
    expect(tooBig.ok ? '' : tooBig.error.message).toMatch(/not enough disk space on the server for this upload: 8\.4 MB needed, 4\.\d MB free/);

    // Two uploads that each fit alone: the second runs out of space while it is written.
    const a = ok(await call<UploadTicket>(p, 'uploadBegin', { name: 'first.dump', size: bytes.length }));
    const b = ok(await call<UploadTicket>(p, 'uploadBegin', { name: 'second.dump', size: bytes.length }));
    const step = 512 * 1024;
    for (let off = 0; off < bytes.length; off += step) ok(await slice(p, a.uploadId, off, bytes.subarray(off, off + step)));
    let failure: WireResult<{ received: number }> | null = null;
    for (let off = 0; off < bytes.length && !failure; off += step) {
      const w = await slice(p, b.uploadId, off, bytes.subarray(off, off + step));
      if (!w.ok) failure = w;
    }
    expect(failure?.ok).toBe(false);
    if (!failure || failure.ok) return;
    expect(failure.error.code).toBe('IO');
    expect(failure.error.file).toBe('second.dump');
    expect(failure.error.message).toMatch(/the server's disk is full: no space left in .* after [\d.]+ (kB|MB) of 2\.9 MB; the partial upload was removed/);

    // The first one still opens; the second left nothing. The folder is seen from inside serve's
    // namespace (browsePath), where the tmpfs is.
    const list = async () => {
      const top = ok(await call<PathCompletion>(p, 'browsePath', { path: `${mnt}/` }));
      const dir = top.entries.find((e) => e.kind === 'dir');
      return dir ? ok(await call<PathCompletion>(p, 'browsePath', { path: `${dir.path}/` })).entries.map((e) => e.name) : [];
    };
    expect(await list()).toEqual([`${a.uploadId}.upload`]);
    ok(await call(p, 'uploadCancel', { uploadId: a.uploadId }));
    expect(await list()).toEqual([]);
    p.proc.kill('SIGTERM');
    await exited(p.proc);
  });
});

describe('serve killed in the middle of an upload', () => {
  it('SIGTERM: the upload folder goes with the server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-kill-'));
    const p = await launch(process.execPath, [CLI_JS, 'serve', '--no-demo', '--port', '0', '--upload-dir', dir]);
    const t = ok(await call<UploadTicket>(p, 'uploadBegin', { name: 'a.dump', size: 1_000_000 }));
    ok(await slice(p, t.uploadId, 0, new Uint8Array(300_000)));
    expect(readdirSync(dir)).toHaveLength(1);
    p.proc.kill('SIGTERM');
    await exited(p.proc);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('SIGKILL: the folder left behind is removed when serve starts again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-kill9-'));
    const p = await launch(process.execPath, [CLI_JS, 'serve', '--no-demo', '--port', '0', '--upload-dir', dir]);
    const t = ok(await call<UploadTicket>(p, 'uploadBegin', { name: 'a.dump', size: 1_000_000 }));
    ok(await slice(p, t.uploadId, 0, new Uint8Array(300_000)));
    const [left] = readdirSync(dir);
    p.proc.kill('SIGKILL');
    await exited(p.proc);
    expect(existsSync(join(dir, left!))).toBe(true);
    const again = await launch(process.execPath, [CLI_JS, 'serve', '--no-demo', '--port', '0', '--upload-dir', dir]);
    expect(readdirSync(dir)).toEqual([]);
    again.proc.kill('SIGTERM');
    await exited(again.proc);
  });
});
