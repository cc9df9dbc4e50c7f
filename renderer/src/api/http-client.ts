/**
 * The API over HTTP, for the renderer served by `heapscope serve`. Same ApiClient as IPC.
 */
import type { ApiClient, ApiMethod, CallOptions, ServerEvent, WireResult } from '../../../shared/api/contract';
import type { OpenResult, Progress } from '../../../shared/api/types';
import { HeapscopeError } from '../../../shared/errors';
import { createCallRouter } from './transport';
import { serverAnswers, uploadFile } from './upload';

export interface HttpTransport {
  client: ApiClient;
  subscribeOpen(cb: (r: OpenResult) => void): () => void;
  subscribeEvents(cb: (e: ServerEvent) => void): () => void;
  /** Send a File in slices (never read whole) and open it on the host. */
  upload(file: File, opts?: CallOptions): Promise<OpenResult>;
}

export function createHttpClient(base: string, token: string): HttpTransport {
  const eventListeners = new Set<(e: ServerEvent) => void>();
  let events: EventSource | null = null;

  const ensureEvents = () => {
    if (events) return;
    events = new EventSource(`${base}/api/events?token=${encodeURIComponent(token)}`);
    events.addEventListener('progress', (e) => {
      router.progress(JSON.parse((e as MessageEvent<string>).data) as Progress);
    });
    events.addEventListener('server', (e) => {
      const ev = JSON.parse((e as MessageEvent<string>).data) as ServerEvent;
      for (const l of eventListeners) l(ev);
    });
  };

  const send = async (method: ApiMethod, req: unknown, callId: string): Promise<WireResult<unknown>> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'x-heapscope-call': callId };
    let body: BodyInit;
    let url = `${base}/api/${method}`;
    if (method === 'openBytes') {
      const { name, bytes } = req as { name: string; bytes: Uint8Array };
      headers['content-type'] = 'application/octet-stream';
      url += `?name=${encodeURIComponent(name)}`;
      body = new Blob([bytes as Uint8Array<ArrayBuffer>]);
    } else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req ?? {});
    }
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers, body });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      // "Failed to fetch" says nothing of who failed: ask the server whether it is there.
      if (await serverAnswers(base, token)) {
        throw new HeapscopeError({ code: 'NETWORK', message: `the browser could not complete the ${method} request (${why}); the Heapscope server is running` });
      }
      throw new HeapscopeError({ code: 'NETWORK', message: `cannot reach the Heapscope server: ${why}` });
    }
    const wire = (await res.json().catch(() => null)) as WireResult<unknown> | null;
    if (!wire) throw new HeapscopeError({ code: 'NETWORK', message: `the Heapscope server answered HTTP ${res.status} without a result` });
    return wire;
  };
  const cancel = (callId: string) => {
    void fetch(`${base}/api/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ callId }),
    }).catch(() => undefined);
  };
  const router = createCallRouter({ send, cancel, wantProgress: ensureEvents });
  const client = router.client;

  return {
    client,
    upload: (file, opts) => uploadFile({ base, token, client }, file, opts),
    subscribeOpen(cb) {
      const l = (e: ServerEvent) => {
        if (e.type === 'opened') cb(e.result);
      };
      ensureEvents();
      eventListeners.add(l);
      return () => eventListeners.delete(l);
    },
    subscribeEvents(cb) {
      ensureEvents();
      eventListeners.add(cb);
      return () => eventListeners.delete(cb);
    },
  };
}
