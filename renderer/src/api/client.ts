/**
 * The renderer's one API client. In Electron it talks IPC through the preload bridge; in a browser
 * (heapscope serve) it talks HTTP with the token from the page URL. Components never know which.
 */
import type { ApiClient, CallOptions, PreloadBridge, ServerEvent } from '../../../shared/api/contract';
import type { OpenResult } from '../../../shared/api/types';
import { toErrorInfo } from '../../../shared/errors';
import { createHttpClient } from './http-client';
import { createIpcClient } from './ipc-client';
import { whenIdle } from '../lib/idle';

declare global {
  interface Window {
    heapscope?: PreloadBridge;
  }
}

interface Transport {
  client: ApiClient;
  subscribeOpen(cb: (r: OpenResult) => void): () => void;
  subscribeEvents(cb: (e: ServerEvent) => void): () => void;
  bridge: PreloadBridge | null;
  upload: ((file: File, opts?: CallOptions) => Promise<OpenResult>) | null;
}

let transport: Transport | null = null;

function tokenFromPage(): string {
  const fromUrl = new URL(window.location.href).searchParams.get('token');
  if (fromUrl) {
    // Kept for a reload, and taken out of the address bar, history and screenshots, once the page
    // is idle: a page's first sessionStorage access is a synchronous round trip to the browser
    // process, in front of the first paint otherwise. A reload before then still has it in the URL.
    whenIdle(() => {
      sessionStorage.setItem('heapscope-token', fromUrl);
      const url = new URL(window.location.href);
      url.searchParams.delete('token');
      window.history.replaceState(window.history.state, '', url.toString());
    });
    return fromUrl;
  }
  return sessionStorage.getItem('heapscope-token') ?? '';
}

function getTransport(): Transport {
  if (transport) return transport;
  const bridge = window.heapscope ?? null;
  if (bridge) transport = { ...createIpcClient(bridge), bridge, upload: null };
  else transport = { ...createHttpClient(window.location.origin, tokenFromPage()), bridge: null };
  return transport;
}

export function getClient(): ApiClient {
  return getTransport().client;
}

/** Files the host opened on its own (command line, OS open-with, second instance, menu). */
export function subscribeOpenRequests(cb: (r: OpenResult) => void): () => void {
  return getTransport().subscribeOpen(cb);
}

/** Every host event (files opened by the host, live-watch events). */
export function subscribeServerEvents(cb: (e: ServerEvent) => void): () => void {
  return getTransport().subscribeEvents(cb);
}

/**
 * Open dropped or picked files: by path in Electron; in a browser, streamed to the host in slices
 * (never read whole into the page). A file that fails is a failure of its own (with its name and
 * size); Cancel stops everything (CANCELLED).
 */
export async function openDroppedFiles(files: File[], opts?: CallOptions): Promise<OpenResult> {
  const t = getTransport();
  const out: OpenResult = { items: [], failures: [] };
  const paths = t.bridge ? files.map((f) => t.bridge!.pathForFile(f)) : [];
  if (t.bridge && paths.every((p) => p)) return t.client.openFiles({ paths }, opts);
  for (const f of files) {
    try {
      const r = t.upload ? await t.upload(f, opts) : await t.client.openBytes({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }, opts);
      out.items.push(...r.items);
      out.failures.push(...r.failures);
    } catch (e) {
      const error = toErrorInfo(e);
      if (error.code === 'CANCELLED') throw e;
      out.failures.push({ source: f.name, error: { ...error, file: error.file ?? f.name } });
    }
  }
  return out;
}
