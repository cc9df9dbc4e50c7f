/**
 * Uploading a file to `heapscope serve` without ever reading it into the page: the File is sent in
 * slices (Blob.slice is backed by the file on disk; XMLHttpRequest streams it and reports upload
 * progress), one slice in flight, each written by the host to a temporary file as it arrives.
 * Nothing here touches the file's bytes, so the main thread stays free whatever the size.
 *
 * Failures say what happened: the host's own refusal (over its limit, disk full) in its words; a
 * file the browser can no longer read; a connection dropped while the host still answers; or the
 * host gone. Cancel aborts the slice in flight and tells the host to drop what it has.
 */
import type { AbortSignalLike, ApiClient, CallOptions, WireResult } from '../../../shared/api/contract';
import type { OpenResult } from '../../../shared/api/types';
import type { UploadChunkResult } from '../../../shared/api/upload';
import { HeapscopeError, isErrorInfo } from '../../../shared/errors';
import { formatSize, RateMeter, uploadLabel } from './upload-progress';

export interface UploadEnv {
  base: string;
  token: string;
  client: ApiClient;
}

const PROGRESS_EVERY_MS = 200;

function cancelled(name: string, sent: number, size: number): HeapscopeError {
  return new HeapscopeError({ code: 'CANCELLED', file: name, message: `upload cancelled at ${formatSize(sent)} of ${formatSize(size)}; the server removed what it had received` });
}

/** Whether the host still answers (a short authenticated call). */
export async function serverAnswers(base: string, token: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}/api/appInfo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(4000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

type SliceOutcome = { ok: true; result: UploadChunkResult } | { ok: false; kind: 'refused'; error: HeapscopeError } | { ok: false; kind: 'network' } | { ok: false; kind: 'aborted' };

function sendSlice(env: UploadEnv, uploadId: string, offset: number, slice: Blob, onSent: (bytes: number) => void, signal: AbortSignalLike | undefined): Promise<SliceOutcome> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${env.base}/api/uploadChunk?uploadId=${encodeURIComponent(uploadId)}&offset=${offset}`);
    xhr.setRequestHeader('authorization', `Bearer ${env.token}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.responseType = 'text';
    let settled = false;
    signal?.addEventListener('abort', () => settled || xhr.abort(), { once: true });
    const settle = (o: SliceOutcome) => {
      settled = true;
      resolve(o);
    };
    xhr.upload.onprogress = (e) => onSent(e.loaded);
    xhr.onload = () => {
      let wire: WireResult<UploadChunkResult> | null = null;
      try {
        wire = JSON.parse(xhr.responseText) as WireResult<UploadChunkResult>;
      } catch {
        wire = null;
      }
      if (wire && wire.ok) return settle({ ok: true, result: wire.result });
      if (wire && !wire.ok && isErrorInfo(wire.error)) return settle({ ok: false, kind: 'refused', error: new HeapscopeError(wire.error) });
      settle({ ok: false, kind: 'refused', error: new HeapscopeError({ code: 'NETWORK', message: `the Heapscope server answered HTTP ${xhr.status} without a result` }) });
    };
    xhr.onerror = () => settle({ ok: false, kind: 'network' });
    xhr.ontimeout = () => settle({ ok: false, kind: 'network' });
    xhr.onabort = () => settle({ ok: false, kind: 'aborted' });
    if (signal?.aborted) return settle({ ok: false, kind: 'aborted' });
    xhr.send(slice);
  });
}

/** Why a slice could not be sent, found out after the fact (the browser gives no reason). */
async function networkFailure(env: UploadEnv, file: File, sent: number): Promise<HeapscopeError> {
  const what = `${formatSize(file.size)}`;
  try {
    // Reading one byte tells whether the file is still there as it was chosen.
    await file.slice(Math.min(sent, Math.max(0, file.size - 1)), Math.min(sent + 1, file.size)).arrayBuffer();
  } catch {
    return new HeapscopeError({
      code: 'IO',
      file: file.name,
      message: `the browser cannot read this file any more (${what}): it was changed, moved or deleted after it was chosen; ${formatSize(sent)} had been sent`,
    });
  }
  if (await serverAnswers(env.base, env.token)) {
    return new HeapscopeError({
      code: 'NETWORK',
      file: file.name,
      message: `the browser stopped sending this file (${what}) at ${formatSize(sent)}: the connection was dropped or the browser ran out of memory; the Heapscope server is still running, try again`,
    });
  }
  return new HeapscopeError({
    code: 'NETWORK',
    file: file.name,
    message: `the Heapscope server stopped answering during the upload (${what}, ${formatSize(sent)} sent): cannot reach the server, it was stopped or the connection to it is gone`,
  });
}

/** Upload one file in slices and open it on the host. Throws CANCELLED when cancelled. */
export async function uploadFile(env: UploadEnv, file: File, opts?: CallOptions): Promise<OpenResult> {
  const signal = opts?.signal;
  const size = file.size;
  const name = file.name;
  if (signal?.aborted) throw cancelled(name, 0, size);
  const ticket = await env.client.uploadBegin({ name, size }, signal ? { signal } : undefined);
  const meter = new RateMeter();
  const started = performance.now();
  meter.add(started, 0);
  let lastReport = 0;
  let sent = 0;
  const report = (now: number, force = false) => {
    if (!force && now - lastReport < PROGRESS_EVERY_MS) return;
    lastReport = now;
    meter.add(now, sent);
    opts?.onProgress?.({ callId: ticket.uploadId, label: uploadLabel(name, sent, size, meter.rate()), done: sent, total: size });
  };
  report(started, true);
  const dropOnHost = () => void env.client.uploadCancel({ uploadId: ticket.uploadId }).catch(() => undefined);
  try {
    let offset = 0;
    while (offset < size) {
      const end = Math.min(size, offset + ticket.chunkBytes);
      const slice = file.slice(offset, end);
      const base = offset;
      const out = await sendSlice(env, ticket.uploadId, offset, slice, (b) => {
        sent = base + b;
        report(performance.now());
      }, signal);
      if (out.ok) {
        offset = out.result.received;
        sent = offset;
        report(performance.now());
        continue;
      }
      if (out.kind === 'aborted' || signal?.aborted) {
        dropOnHost();
        throw cancelled(name, sent, size);
      }
      if (out.kind === 'refused') {
        dropOnHost();
        if (out.error.file === undefined) out.error.file = name;
        throw out.error;
      }
      const why = await networkFailure(env, file, sent);
      dropOnHost();
      throw why;
    }
  } catch (e) {
    if (e instanceof HeapscopeError) throw e;
    dropOnHost();
    throw e;
  }
  report(performance.now(), true);
  if (signal?.aborted) {
    dropOnHost();
    throw cancelled(name, sent, size);
  }
  return env.client.uploadFinish({ uploadId: ticket.uploadId }, { ...(signal ? { signal } : {}), ...(opts?.onProgress ? { onProgress: opts.onProgress } : {}) });
}
