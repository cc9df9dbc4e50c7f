/**
 * The HTTP transport behind `heapscope serve`: the same API as the Electron IPC, for a browser on
 * this machine (what the end-to-end tests drive, and what users on a remote box tunnel to, like
 * `go tool pprof -http`).
 *
 * - Binds 127.0.0.1 only. Every /api call needs the per-run token (Authorization: Bearer, or
 *   ?token= for the event stream); Host must be the loopback address we bound (DNS rebinding);
 *   a cross-origin Origin is refused.
 * - POST /api/<method>: JSON payload → JSON WireResult. openBytes takes the raw file as the body
 *   with ?name=; uploadChunk one slice of a streamed upload as the body with ?uploadId=&offset=
 *   (at most 64 MiB; a connection dropped mid-slice drops the upload and its temporary file).
 *   X-Heapscope-Call carries the call id used by progress events and cancel.
 * - GET /api/events: Server-Sent Events: `progress` (per call id) and `server` (ServerEvent: files
 *   opened by the host, live-watch events).
 * - Everything else: the renderer bundle, read-only, with a strict CSP. The page itself (`/`), asked
 *   for with the run's token (`/?token=`, the printed URL), carries the first screen's data inline
 *   (`bootPage`, boot-page.ts), and its response headers preload the bundle and the boot resources
 *   the data names (`GET /boot/<id>`: the default flame graph, by an unguessable short-lived id).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiHandlers, CallContext, ServerEvent } from '../../shared/api/contract';
import type { Progress } from '../../shared/api/types';
import { BOOT_RESOURCE_PREFIX, preloadLinks, splitPage } from './boot-page';
import { dispatch } from './dispatch';

export const RENDERER_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The bundler's output under /assets/ is named by a hash of its content (`index-DuTPG0J6.js`): such
 * a file never changes under its name, so the browser may keep it (and V8 the code compiled from it)
 * with no revalidation. The page itself (`index.html`, which names them) is never cached.
 */
const HASHED_ASSET = /^\/assets\/[\w.-]+-[\w-]{8}\.(?:js|css|wasm|woff2?)$/;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

export interface HttpServerOptions {
  handlers: ApiHandlers;
  staticDir: string;
  port?: number;
  token?: string;
  /** Largest request body accepted (openBytes uploads), bytes. Default 1 GiB. */
  maxBodyBytes?: number;
  /** Told when a connection drops in the middle of an upload slice. */
  uploadAborted?: (uploadId: string) => void;
  /**
   * The token holder's page (boot-page.ts `bootPage`): the boot data element put before `</body>`
   * of index.html, and the boot resources it names (preloaded from the response headers); null: the
   * plain page.
   */
  bootPage?: (signal: AbortSignal) => Promise<{ element: string; preload: string[] } | null>;
  /** A boot resource's JSON by its path (`/boot/<id>`); null when there is no such resource. */
  bootResource?: (path: string) => Promise<string | null> | null;
}

/** Largest uploadChunk body (one slice of a streamed upload). */
const MAX_SLICE_BYTES = 64 * 1024 * 1024;

export interface RunningServer {
  server: Server;
  port: number;
  token: string;
  url: string;
  /** Push a host event to every connected browser. */
  broadcast(e: ServerEvent): void;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      reject(new HttpError(413, `request body over the ${limit}-byte limit`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        // Stop keeping the body, drain the rest so the client reads our 413 answer.
        reject(new HttpError(413, `request body over the ${limit}-byte limit`));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    let ended = false;
    req.on('end', () => {
      ended = true;
      resolve(Buffer.concat(chunks, size));
    });
    req.on('error', reject);
    // The client went away before the body was complete.
    req.on('close', () => {
      if (!ended) reject(new HttpError(400, 'the connection closed before the request body was complete'));
    });
  });
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024 * 1024;
  const sseClients = new Set<ServerResponse>();
  let boundPort = 0;

  const send = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(text);
  };

  const event = (name: string, data: unknown): void => {
    const line = `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const c of sseClients) c.write(line);
  };

  const checkHost = (req: IncomingMessage): boolean => {
    const host = req.headers.host ?? '';
    return host === `127.0.0.1:${boundPort}` || host === `localhost:${boundPort}`;
  };

  const checkOrigin = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin;
    if (!origin) return true;
    return origin === `http://127.0.0.1:${boundPort}` || origin === `http://localhost:${boundPort}`;
  };

  const tokenOf = (req: IncomingMessage, url: URL): string => {
    const auth = req.headers.authorization ?? '';
    if (auth.startsWith('Bearer ')) return auth.slice(7);
    return url.searchParams.get('token') ?? '';
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!sameToken(tokenOf(req, url), token)) throw new HttpError(401, 'missing or wrong token: use the URL printed by `heapscope serve`');
    const method = url.pathname.slice('/api/'.length);
    if (method === 'events') {
      if (req.method !== 'GET') throw new HttpError(405, 'GET only');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': heapscope events\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }
    if (req.method !== 'POST') throw new HttpError(405, 'POST only');
    const callId = String(req.headers['x-heapscope-call'] ?? '').slice(0, 128) || randomBytes(8).toString('hex');
    let payload: unknown;
    if (method === 'openBytes') {
      const body = await readBody(req, maxBody);
      payload = { name: url.searchParams.get('name') ?? 'upload', bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
    } else if (method === 'uploadChunk') {
      const uploadId = (url.searchParams.get('uploadId') ?? '').slice(0, 64);
      let body: Buffer;
      try {
        body = await readBody(req, MAX_SLICE_BYTES);
      } catch (e) {
        opts.uploadAborted?.(uploadId);
        throw e;
      }
      payload = { uploadId, offset: Number(url.searchParams.get('offset') ?? 'NaN'), bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
    } else {
      const ct = req.headers['content-type'] ?? '';
      if (!ct.startsWith('application/json')) throw new HttpError(415, 'content-type must be application/json');
      const body = await readBody(req, 16 * 1024 * 1024);
      try {
        payload = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        throw new HttpError(400, 'body is not valid JSON');
      }
    }
    const ac = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) ac.abort();
    });
    const ctx: CallContext = {
      callId,
      signal: ac.signal,
      progress: (p) => event('progress', { ...p, callId } satisfies Progress),
    };
    const result = await dispatch(opts.handlers, method, payload, ctx);
    send(res, 200, result);
  }

  /** The bundle's files, read once: they do not change while the server runs (a rebuild restarts it). */
  const staticFiles = new Map<string, Promise<Buffer>>();
  function readStatic(file: string): Promise<Buffer> {
    let p = staticFiles.get(file);
    if (!p) {
      p = readFile(file);
      staticFiles.set(file, p);
      p.catch(() => staticFiles.delete(file));
    }
    return p;
  }

  async function handleStatic(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'GET only');
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      throw new HttpError(400, 'bad path');
    }
    if (rel === '/' || rel === '') rel = '/index.html';
    const root = normalize(opts.staticDir + sep);
    const file = normalize(join(root, rel));
    if (!file.startsWith(root)) throw new HttpError(404, 'not found');
    let data: Buffer;
    try {
      data = await readStatic(file);
    } catch {
      throw new HttpError(404, 'not found');
    }
    const headers = {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': RENDERER_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': HASHED_ASSET.test(rel) ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    // The page with the workspace inline: only for the token's holder, and never kept by a cache.
    if (rel === '/index.html' && req.method === 'GET' && opts.bootPage && sameToken(url.searchParams.get('token') ?? '', token)) {
      const [head, tail] = splitPage(data.toString('utf8'));
      const ac = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) ac.abort();
      });
      let boot: { element: string; preload: string[] } | null = null;
      try {
        boot = await opts.bootPage(ac.signal);
      } catch {
        boot = null; // the page asks the API instead
      }
      const links = [preloadLinks(head), ...(boot?.preload ?? []).map((p) => `<${p}>; rel=preload; as=fetch; crossorigin`)].filter((l): l is string => !!l);
      res.writeHead(200, { ...headers, 'cache-control': 'no-store', ...(links.length ? { link: links.join(', ') } : {}) });
      res.end(boot ? head + boot.element + tail : head + tail);
      return;
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : data);
  }

  /** `GET /boot/<id>`: a boot resource the token holder's page was given (no token: the id is the key). */
  async function handleBootResource(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET') throw new HttpError(405, 'GET only');
    const pending = opts.bootResource?.(url.pathname) ?? null;
    if (!pending) throw new HttpError(404, 'not found');
    const json = await pending;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(json ?? 'null');
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    void (async () => {
      try {
        if (!checkHost(req)) throw new HttpError(421, 'wrong Host header: connect to 127.0.0.1');
        if (url.pathname.startsWith('/api/')) {
          if (!checkOrigin(req)) throw new HttpError(403, 'cross-origin request refused');
          await handleApi(req, res, url);
        } else if (url.pathname.startsWith(BOOT_RESOURCE_PREFIX)) await handleBootResource(req, res, url);
        else await handleStatic(req, res, url);
      } catch (e) {
        const status = e instanceof HttpError ? e.status : 500;
        if (!res.headersSent) send(res, status, { ok: false, error: { code: status === 404 ? 'NOT_FOUND' : status >= 500 ? 'INTERNAL' : 'BAD_REQUEST', message: e instanceof Error ? e.message : String(e) } });
        else res.end();
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  boundPort = typeof addr === 'object' && addr ? addr.port : 0;

  return {
    server,
    port: boundPort,
    token,
    url: `http://127.0.0.1:${boundPort}/?token=${token}`,
    broadcast: (e) => event('server', e),
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of sseClients) c.end();
        sseClients.clear();
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
