/**
 * The API over Electron IPC, through the preload's window.heapscope bridge (named functions only).
 */
import { API_METHODS, type ApiClient, type ApiMethod, type CallOptions, type PreloadBridge, type ServerEvent, type WireResult } from '../../../shared/api/contract';
import type { OpenResult, Progress } from '../../../shared/api/types';
import { HeapscopeError } from '../../../shared/errors';
import { newCallId } from './call-id';

export function createIpcClient(bridge: PreloadBridge): { client: ApiClient; subscribeOpen(cb: (r: OpenResult) => void): () => void; subscribeEvents(cb: (e: ServerEvent) => void): () => void } {
  const progressListeners = new Map<string, (p: Progress) => void>();
  bridge.onProgress((p) => progressListeners.get(p.callId)?.(p));

  async function call(method: ApiMethod, req: unknown, opts?: CallOptions): Promise<unknown> {
    const callId = newCallId();
    if (opts?.onProgress) progressListeners.set(callId, opts.onProgress);
    const onAbort = () => void bridge.cancel({ callId }, newCallId());
    opts?.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const fn = bridge[method] as (req: unknown, callId: string) => Promise<WireResult<unknown>>;
      const wire = await fn(req, callId);
      if (!wire.ok) throw new HeapscopeError(wire.error);
      return wire.result;
    } finally {
      progressListeners.delete(callId);
    }
  }

  const client = Object.fromEntries(API_METHODS.map((m) => [m, (req: unknown, opts?: CallOptions) => call(m, req, opts)])) as ApiClient;
  return {
    client,
    subscribeOpen: (cb) => bridge.onEvent((e) => e.type === 'opened' && cb(e.result)),
    subscribeEvents: (cb) => bridge.onEvent(cb),
  };
}
