/**
 * The API over Electron IPC, through the preload's window.heapscope bridge (named functions only).
 */
import type { ApiClient, PreloadBridge, ServerEvent, WireResult } from '../../../shared/api/contract';
import type { OpenResult } from '../../../shared/api/types';
import { newCallId } from './call-id';
import { createCallRouter } from './transport';

export function createIpcClient(bridge: PreloadBridge): { client: ApiClient; subscribeOpen(cb: (r: OpenResult) => void): () => void; subscribeEvents(cb: (e: ServerEvent) => void): () => void } {
  const router = createCallRouter({
    send: (method, req, callId) => (bridge[method] as (req: unknown, callId: string) => Promise<WireResult<unknown>>)(req, callId),
    cancel: (callId) => void bridge.cancel({ callId }, newCallId()),
  });
  bridge.onProgress(router.progress);
  return {
    client: router.client,
    subscribeOpen: (cb) => bridge.onEvent((e) => e.type === 'opened' && cb(e.result)),
    subscribeEvents: (cb) => bridge.onEvent(cb),
  };
}
