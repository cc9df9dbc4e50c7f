/**
 * One HTTP GET with the limits a live capture needs: connect timeout, total timeout, body size
 * limit, redirect limit, cancellation and progress. Built on node:http / node:https (Node 20).
 *
 * Every fault becomes a HeapscopeError (code NETWORK, or CANCELLED) whose message names the URL and
 * the fault in words: "connection refused", "timed out after 10 s connecting", "HTTP 401
 * Unauthorized", "server closed the connection after 12,345 bytes", "body over the 1 GiB limit",
 * "too many redirects (…)". Nothing is written anywhere: the body is returned in memory.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import { HeapscopeError } from '../../../shared/errors';
import { VERSION } from '../version';
import { formatBytes, formatCount, formatSeconds, sanitizeRemoteText } from './format';
import { displayUrl } from './url';

export interface GetOptions {
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  /** Extra request headers (e.g. Authorization). Dropped when a redirect leaves the origin. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  onProgress?: (p: FetchProgress) => void;
  /** Interval of heartbeat progress reports while nothing arrives (default 250 ms). */
  heartbeatMs?: number;
}

export interface FetchProgress {
  phase: 'connecting' | 'waiting' | 'downloading';
  elapsedMs: number;
  receivedBytes: number;
  totalBytes?: number;
}

export interface HttpResponse {
  /** URL of the answer, after redirects (no credentials). */
  url: string;
  status: number;
  contentType: string;
  body: Uint8Array;
  /** URLs redirected through, in order (no credentials). */
  redirects: string[];
}

/** How much of an error page is read to quote it. */
const ERROR_BODY_MAX = 4096;

function netError(url: string, fault: string): HeapscopeError {
  return new HeapscopeError({ code: 'NETWORK', message: `${displayUrl(url)}: ${fault}` });
}

type Hop = { kind: 'redirect'; location: string; status: number } | { kind: 'body'; res: HttpResponse };

/** GET url, following redirects. Rejects with a HeapscopeError. */
export async function httpGet(url: string, opts: GetOptions): Promise<HttpResponse> {
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new HeapscopeError({ code: 'BAD_REQUEST', message: `not a valid URL: ${JSON.stringify(url)}` });
  }
  if (current.protocol !== 'http:' && current.protocol !== 'https:') {
    throw new HeapscopeError({ code: 'BAD_REQUEST', message: `only http and https URLs are accepted, not ${current.protocol}` });
  }
  const startOrigin = current.origin;
  const start = Date.now();
  const deadline = start + opts.totalTimeoutMs;
  const chain: string[] = [current.href];
  const redirects: string[] = [];
  for (;;) {
    const sameOrigin = current.origin === startOrigin;
    const hop = await requestOnce(current, url, { ...opts, headers: sameOrigin ? (opts.headers ?? {}) : {} }, start, deadline);
    if (hop.kind === 'body') return { ...hop.res, redirects };
    let next: URL;
    try {
      next = new URL(hop.location, current);
    } catch {
      throw netError(url, `HTTP ${hop.status} redirect to an invalid location ${JSON.stringify(sanitizeRemoteText(hop.location, 120))}`);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw netError(url, `redirected to a ${sanitizeRemoteText(next.protocol, 20)} URL; only http and https are followed`);
    }
    next.hash = '';
    if (chain.includes(next.href)) {
      chain.push(next.href);
      throw netError(url, `too many redirects (a loop: ${describeChain(chain, startOrigin)})`);
    }
    chain.push(next.href);
    redirects.push(displayUrl(next.href));
    if (redirects.length > opts.maxRedirects) {
      throw netError(url, `too many redirects (more than ${opts.maxRedirects}: ${describeChain(chain, startOrigin)})`);
    }
    current = next;
  }
}

function describeChain(chain: string[], origin: string): string {
  const short = chain.map((h) => {
    const u = new URL(h);
    return sanitizeRemoteText(u.origin === origin ? `${u.pathname}${u.search}` : displayUrl(h), 100);
  });
  const shown = short.length > 8 ? [...short.slice(0, 3), '…', ...short.slice(-4)] : short;
  return shown.join(' → ');
}

function describeSocketError(e: NodeJS.ErrnoException, host: string): string {
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return `host not found (${host})`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host unreachable';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'server closed the connection before answering';
  if (code === 'ETIMEDOUT') return 'connection timed out';
  if (code.startsWith('HPE_')) return `the server's answer is not valid HTTP (${sanitizeRemoteText(e.message, 100)})`;
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code) || /certificate|ssl|tls/i.test(e.message)) return `TLS error: ${sanitizeRemoteText(e.message, 160)}`;
  return sanitizeRemoteText(e.message || code || 'network error', 160);
}

function requestOnce(target: URL, originalUrl: string, opts: GetOptions, start: number, deadline: number): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    const mod = target.protocol === 'https:' ? https : http;
    let settled = false;
    let connected = false;
    let phase: FetchProgress['phase'] = 'connecting';
    let received = 0;
    let total: number | undefined;
    let lastProgress = 0;
    const timers: NodeJS.Timeout[] = [];
    const cleanups: Array<() => void> = [];

    const progress = (force: boolean) => {
      if (!opts.onProgress) return;
      const now = Date.now();
      if (!force && now - lastProgress < 50) return;
      lastProgress = now;
      const p: FetchProgress = { phase, elapsedMs: now - start, receivedBytes: received };
      if (total !== undefined) p.totalBytes = total;
      try {
        opts.onProgress(p);
      } catch {
        // A listener's failure must not break the download.
      }
    };

    const finish = () => {
      settled = true;
      for (const t of timers) clearTimeout(t);
      for (const c of cleanups) c();
    };
    const fail = (err: HeapscopeError) => {
      if (settled) return;
      finish();
      req.destroy();
      reject(err);
    };
    const done = (hop: Hop) => {
      if (settled) return;
      finish();
      progress(true);
      resolve(hop);
    };

    const headers: Record<string, string> = {
      'user-agent': `heapscope/${VERSION}`,
      accept: '*/*',
      ...(opts.headers ?? {}),
    };
    let req: http.ClientRequest;
    try {
      req = mod.request(target, { method: 'GET', headers, agent: false });
    } catch (e) {
      reject(netError(originalUrl, e instanceof Error ? sanitizeRemoteText(e.message) : 'cannot make the request'));
      return;
    }

    // Cancellation.
    if (opts.signal) {
      const onAbort = () => fail(new HeapscopeError({ code: 'CANCELLED', message: `${displayUrl(originalUrl)}: cancelled` }));
      if (opts.signal.aborted) {
        onAbort();
        return;
      }
      opts.signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => opts.signal?.removeEventListener('abort', onAbort));
    }

    // Total timeout (covers every hop: the deadline is shared).
    const remaining = Math.max(0, deadline - Date.now());
    timers.push(
      setTimeout(() => {
        const t = formatSeconds(opts.totalTimeoutMs);
        if (!connected) fail(netError(originalUrl, `timed out after ${t} connecting`));
        else if (phase === 'downloading') fail(netError(originalUrl, `timed out after ${t} receiving the body (${formatCount(received)} bytes so far)`));
        else fail(netError(originalUrl, `timed out after ${t} waiting for an answer`));
      }, remaining),
    );

    // Heartbeat so countdowns and spinners move while nothing arrives.
    if (opts.onProgress) {
      const beat = setInterval(() => {
        if (!settled) progress(true);
      }, opts.heartbeatMs ?? 250);
      cleanups.push(() => clearInterval(beat));
      progress(true);
    }

    req.on('socket', (socket: Socket) => {
      const isTls = target.protocol === 'https:';
      const onConnected = () => {
        connected = true;
        if (phase === 'connecting') phase = 'waiting';
        progress(true);
      };
      if (!socket.connecting && !isTls) {
        onConnected();
        return;
      }
      const t = setTimeout(() => {
        if (!connected) fail(netError(originalUrl, `timed out after ${formatSeconds(opts.connectTimeoutMs)} connecting`));
      }, opts.connectTimeoutMs);
      timers.push(t);
      socket.once(isTls ? 'secureConnect' : 'connect', () => {
        clearTimeout(t);
        onConnected();
      });
    });

    req.on('error', (e: NodeJS.ErrnoException) => {
      fail(netError(originalUrl, describeSocketError(e, target.hostname)));
    });

    req.on('response', (res: http.IncomingMessage) => {
      if (settled) {
        res.destroy();
        return;
      }
      connected = true;
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && status !== 304 && typeof location === 'string' && location !== '') {
        res.resume();
        done({ kind: 'redirect', location, status });
        return;
      }
      if (status < 200 || status >= 300) {
        readErrorBody(res, (text) => {
          const reason = http.STATUS_CODES[status] ?? sanitizeRemoteText(res.statusMessage ?? '', 60);
          const after = target.href !== new URL(originalUrl).href ? ` (after a redirect to ${displayUrl(target.href)})` : '';
          const quoted = text ? `: ${text}` : '';
          fail(netError(originalUrl, `HTTP ${status}${reason ? ` ${reason}` : ''}${after}${quoted}`));
        });
        return;
      }
      const cl = res.headers['content-length'];
      if (cl !== undefined && /^\d+$/.test(cl)) total = Number(cl);
      if (total !== undefined && total > opts.maxBytes) {
        fail(netError(originalUrl, `body over the ${formatBytes(opts.maxBytes)} limit (the server announced ${formatCount(total)} bytes)`));
        res.destroy();
        return;
      }
      phase = 'downloading';
      progress(true);
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        received += chunk.length;
        if (received > opts.maxBytes) {
          fail(netError(originalUrl, `body over the ${formatBytes(opts.maxBytes)} limit`));
          res.destroy();
          return;
        }
        chunks.push(chunk);
        progress(false);
      });
      const cut = () => {
        const of = total !== undefined ? ` of ${formatCount(total)}` : '';
        fail(netError(originalUrl, `server closed the connection after ${formatCount(received)}${of} bytes`));
      };
      res.on('end', () => {
        if (!res.complete || (total !== undefined && received < total)) {
          cut();
          return;
        }
        const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
        const ct = res.headers['content-type'];
        done({
          kind: 'body',
          res: {
            url: displayUrl(target.href),
            status,
            contentType: typeof ct === 'string' ? ct : '',
            body: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength),
            redirects: [],
          },
        });
      });
      res.on('aborted', cut);
      res.on('error', cut);
      res.on('close', () => {
        if (!settled) cut();
      });
    });

    req.end();

    function readErrorBody(res: http.IncomingMessage, then: (text: string) => void): void {
      const parts: Buffer[] = [];
      let n = 0;
      let called = false;
      const end = () => {
        if (called) return;
        called = true;
        res.destroy();
        const ct = String(res.headers['content-type'] ?? '');
        const raw = Buffer.concat(parts).toString('utf8');
        // Quote plain-text error bodies (Go's pprof handlers answer "Unknown profile" etc.), never HTML.
        const text = /html/i.test(ct) || /^\s*</.test(raw) ? '' : sanitizeRemoteText(raw, 200);
        then(text);
      };
      res.on('data', (c: Buffer) => {
        if (n < ERROR_BODY_MAX) parts.push(c.subarray(0, ERROR_BODY_MAX - n));
        n += c.length;
        if (n >= ERROR_BODY_MAX) end();
      });
      res.on('end', end);
      res.on('error', end);
      res.on('close', end);
      // Never wait long for an error page.
      timers.push(setTimeout(end, Math.min(1000, Math.max(0, deadline - Date.now()))));
    }
  });
}
