/**
 * What the HTTP and IPC clients share: each call gets an id, its progress reaches the caller's
 * onProgress by that id, an abort asks the host to cancel it, and the wire result is unwrapped into
 * a value or a HeapscopeError. A transport supplies only how one call and one cancel travel.
 */
import { API_METHODS, type ApiClient, type ApiMethod, type CallOptions, type WireResult } from '../../../shared/api/contract';
import type { Progress } from '../../../shared/api/types';
import { HeapscopeError } from '../../../shared/errors';
import { newCallId } from './call-id';

export interface CallTransport {
  send(method: ApiMethod, req: unknown, callId: string): Promise<WireResult<unknown>>;
  cancel(callId: string): void;
  /** Called before a call that wants progress is sent (the HTTP transport opens its event stream). */
  wantProgress?(): void;
}

export interface CallRouter {
  client: ApiClient;
  /** Hand a progress event from the host to the call it belongs to. */
  progress(p: Progress): void;
}

export function createCallRouter(transport: CallTransport): CallRouter {
  const listeners = new Map<string, (p: Progress) => void>();

  async function call(method: ApiMethod, req: unknown, opts?: CallOptions): Promise<unknown> {
    const callId = newCallId();
    if (opts?.onProgress) {
      transport.wantProgress?.();
      listeners.set(callId, opts.onProgress);
    }
    opts?.signal?.addEventListener('abort', () => transport.cancel(callId), { once: true });
    try {
      const wire = await transport.send(method, req, callId);
      if (!wire.ok) throw new HeapscopeError(wire.error);
      return wire.result;
    } finally {
      listeners.delete(callId);
    }
  }

  const client = Object.fromEntries(API_METHODS.map((m) => [m, (req: unknown, opts?: CallOptions) => call(m, req, opts)])) as ApiClient;
  return { client, progress: (p) => listeners.get(p.callId)?.(p) };
}
