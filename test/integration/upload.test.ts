/**
 * Streamed uploads through the real HTTP transport, the real API service and a real analysis
 * worker: slices written to a temporary file as they arrive, the file loaded like one opened from
 * disk, and removed on close, cancel, failure, a dropped connection and exit. Refusals name the
 * file and its size.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WireResult } from '../../shared/api/contract';
import type { OpenResult } from '../../shared/api/types';
import type { UploadTicket } from '../../shared/api/upload';
import { AnalysisHost } from '../../electron/services/analysis-host';
import { ApiService } from '../../electron/services/api-service';
import { startHttpServer, type RunningServer } from '../../electron/services/http-server';
import { sweepStaleUploadDirs, UploadStore, type UploadStoreOptions } from '../../electron/services/upload/store';
import { FIXTURES, ROOT, WORKER_JS } from '../helpers/paths';

const DUMP = join(FIXTURES, 'heap.dump');

interface Rig {
  srv: RunningServer;
  service: ApiService;
  uploads: UploadStore;
  host: AnalysisHost;
  base: string;
}
let rig: Rig | null = null;
afterEach(async () => {
  if (!rig) return;
  await rig.srv.close();
  await rig.service.dispose();
  await rig.host.close();
  rig = null;
});

async function start(opts: UploadStoreOptions = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'hs-upload-test-'));
  const uploads = new UploadStore({ dir, ...opts });
  const host = new AnalysisHost({ workerPath: WORKER_JS });
  const service = new ApiService(host, { version: 'test', transport: 'http', uploads });
  const srv = await startHttpServer({ handlers: service.handlers, staticDir: join(ROOT, 'dist', 'renderer'), uploadAborted: (id) => uploads.aborted(id) });
  rig = { srv, service, uploads, host, base: `http://127.0.0.1:${srv.port}` };
  return rig;
}

async function call<T>(r: Rig, method: string, body: unknown): Promise<WireResult<T>> {
  const res = await fetch(`${r.base}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${r.srv.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as WireResult<T>;
}

async function slice(r: Rig, id: string, offset: number, bytes: Uint8Array): Promise<WireResult<{ received: number }>> {
  const res = await fetch(`${r.base}/api/uploadChunk?uploadId=${id}&offset=${offset}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${r.srv.token}`, 'content-type': 'application/octet-stream' },
    body: bytes as Uint8Array<ArrayBuffer>,
  });
  return (await res.json()) as WireResult<{ received: number }>;
}

function ok<T>(w: WireResult<T>): T {
  if (!w.ok) throw new Error(`expected ok, got ${JSON.stringify(w.error)}`);
  return w.result;
}

function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe('streamed uploads (serve)', () => {
  it('writes slices to a temporary file as they arrive, loads it like a file from disk, removes it on close', async () => {
    const r = await start({ chunkBytes: 256 * 1024 });
    const bytes = new Uint8Array(readFileSync(DUMP));
    const t = ok(await call<UploadTicket>(r, 'uploadBegin', { name: 'prod.dump', size: bytes.length }));
    expect(t.chunkBytes).toBe(256 * 1024);
    const folder = r.uploads.dir();
    for (let off = 0; off < bytes.length; off += t.chunkBytes) {
      const got = ok(await slice(r, t.uploadId, off, bytes.subarray(off, off + t.chunkBytes)));
      expect(got.received).toBe(Math.min(bytes.length, off + t.chunkBytes));
      // On disk as it arrives, never more than what was sent.
      const [f] = filesIn(folder);
      expect(readFileSync(join(folder, f!)).length).toBe(got.received);
    }
    const opened = ok(await call<OpenResult>(r, 'uploadFinish', { uploadId: t.uploadId }));
    expect(opened.failures).toEqual([]);
    const item = opened.items[0]!;
    expect(item.name).toBe('prod.dump');
    expect(item.kind).toBe('heapdump');

    // The same numbers as the file opened from disk.
    const direct = ok(await call<OpenResult>(r, 'openFiles', { paths: [DUMP] })).items[0]!;
    expect(item.totals).toEqual(direct.totals);
    expect(item.heap?.objects).toBe(direct.heap?.objects);

    expect(filesIn(folder)).toHaveLength(1);
    ok(await call(r, 'closeItem', { handle: item.handle }));
    expect(filesIn(folder)).toEqual([]);
    // Uploads are not recent files (their path is temporary).
    const recent = ok(await call<{ path: string }[]>(r, 'recentFiles', {}));
    expect(recent.some((x) => x.path.startsWith(folder))).toBe(false);
  });

  it('refuses an upload over the configured limit before anything is sent, naming file and size', async () => {
    const r = await start({ limitBytes: 1_000_000 });
    const w = await call(r, 'uploadBegin', { name: 'huge.dump', size: 2_500_000 });
    expect(w.ok).toBe(false);
    if (w.ok) return;
    expect(w.error.file).toBe('huge.dump');
    expect(w.error.message).toContain('2.5 MB is over this server\'s upload limit of 1.0 MB');
    expect(w.error.message).toContain('--max-upload');
    expect(filesIn(r.uploads.parentDir).flatMap((d) => filesIn(join(r.uploads.parentDir, d)))).toEqual([]);
  });

  it('refuses an upload bigger than the free disk space, saying how much is free', async () => {
    const r = await start({ freeBytes: () => 1000 });
    const w = await call(r, 'uploadBegin', { name: 'big.dump', size: 5000 });
    expect(w.ok).toBe(false);
    if (w.ok) return;
    expect(w.error.code).toBe('IO');
    expect(w.error.file).toBe('big.dump');
    expect(w.error.message).toMatch(/not enough disk space on the server for this upload: 5\.0 kB needed, 1\.0 kB free/);
  });

  it('cancel removes the partial file; later slices are refused as unknown', async () => {
    const r = await start();
    const t = ok(await call<UploadTicket>(r, 'uploadBegin', { name: 'x.dump', size: 100 }));
    ok(await slice(r, t.uploadId, 0, new Uint8Array(40)));
    expect(filesIn(r.uploads.dir())).toHaveLength(1);
    expect(ok(await call<{ cancelled: boolean }>(r, 'uploadCancel', { uploadId: t.uploadId })).cancelled).toBe(true);
    expect(filesIn(r.uploads.dir())).toEqual([]);
    const late = await slice(r, t.uploadId, 40, new Uint8Array(10));
    expect(late.ok).toBe(false);
    if (!late.ok) expect(late.error.code).toBe('NOT_FOUND');
  });

  it('slices out of order or past the announced size are refused; an incomplete finish removes the file', async () => {
    const r = await start();
    const t = ok(await call<UploadTicket>(r, 'uploadBegin', { name: 'y.dump', size: 100 }));
    const gap = await slice(r, t.uploadId, 50, new Uint8Array(10));
    expect(gap.ok ? '' : gap.error.message).toContain('slices go in order');
    ok(await slice(r, t.uploadId, 0, new Uint8Array(60)));
    const fin = await call(r, 'uploadFinish', { uploadId: t.uploadId });
    expect(fin.ok ? '' : fin.error.message).toContain('upload incomplete: 60 B of 100 B arrived');
    expect(filesIn(r.uploads.dir())).toEqual([]);
  });

  it('a connection dropped in the middle of a slice drops the upload and its file', async () => {
    const r = await start();
    const t = ok(await call<UploadTicket>(r, 'uploadBegin', { name: 'z.dump', size: 1_000_000 }));
    ok(await slice(r, t.uploadId, 0, new Uint8Array(1000)));
    await new Promise<void>((resolve) => {
      const req = request(`${r.base}/api/uploadChunk?uploadId=${t.uploadId}&offset=1000`, {
        method: 'POST',
        headers: { authorization: `Bearer ${r.srv.token}`, 'content-type': 'application/octet-stream', 'content-length': '500000' },
      });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(10_000));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100);
    });
    await expect.poll(() => r.uploads.active, { timeout: 5000 }).toBe(0);
    expect(filesIn(r.uploads.dir())).toEqual([]);
  });

  it('a file that is not a profile fails with its name, and its temporary file is removed', async () => {
    const r = await start();
    const text = new TextEncoder().encode('hello, not a profile\n');
    const t = ok(await call<UploadTicket>(r, 'uploadBegin', { name: 'notes.txt', size: text.length }));
    ok(await slice(r, t.uploadId, 0, text));
    const res = ok(await call<OpenResult>(r, 'uploadFinish', { uploadId: t.uploadId }));
    expect(res.items).toEqual([]);
    expect(res.failures[0]!.error.file).toBe('notes.txt');
    expect(res.failures[0]!.error.code).toBe('BAD_FORMAT');
    expect(filesIn(r.uploads.dir())).toEqual([]);
  });

  it('exit removes the folder with everything in it; a folder of a process that is gone is swept', async () => {
    const r = await start();
    const t = ok(await call<UploadTicket>(r, 'uploadBegin', { name: 'a.dump', size: 10 }));
    ok(await slice(r, t.uploadId, 0, new Uint8Array(5)));
    const folder = r.uploads.dir();
    expect(existsSync(folder)).toBe(true);
    await r.service.dispose();
    expect(existsSync(folder)).toBe(false);

    const parent = mkdtempSync(join(tmpdir(), 'hs-sweep-'));
    // pid 2^22+1 is above Linux's pid_max: never a live process.
    mkdirSync(join(parent, `heapscope-upload-${2 ** 22 + 1}-dead`));
    mkdirSync(join(parent, `heapscope-upload-${process.pid}-mine`));
    mkdirSync(join(parent, 'something-else'));
    expect(sweepStaleUploadDirs(parent)).toEqual([join(parent, `heapscope-upload-${2 ** 22 + 1}-dead`)]);
    expect(readdirSync(parent).sort()).toEqual([`heapscope-upload-${process.pid}-mine`, 'something-else']);
  });
});
