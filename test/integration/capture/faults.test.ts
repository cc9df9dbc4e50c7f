/**
 * Network faults during live capture, against local servers these tests start on 127.0.0.1:
 * refused, slow to accept (connect timeout), slow to answer (total timeout), HTTP errors, an HTML
 * page, lying content, an oversized body, a server dying mid-body, redirect loops.
 *
 * Each test first saves a good capture in a session folder, then provokes the fault with the same
 * folder as target, and asserts (1) the exact message and (2) that the folder still holds exactly
 * the earlier files, byte-identical (no partial file, no temp file left).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as http from 'node:http';
import { CaptureService, type CaptureRequest, type WatchEvent } from '../../../electron/services/capture';
import { HeapscopeError } from '../../../shared/errors';
import { closedPort, expectIntact, LEAKYAPP, snapshotDir, startServer, startUnacceptingServer, tempDir, type LocalServer, cleanupTempDirs } from './helpers';

afterAll(cleanupTempDirs);

const GOOD = new Uint8Array(readFileSync(join(LEAKYAPP, 'heap-1.pb.gz')));
const GOROUTINE_TEXT = readFileSync(join(LEAKYAPP, 'goroutine.debug1.txt'));
const GOROUTINE_FIRST_LINE = GOROUTINE_TEXT.toString('utf8').split('\n')[0]!;
/** 12,345 bytes that start like the real profile. */
const PARTIAL = Buffer.concat([Buffer.from(GOOD), Buffer.alloc(12345, 0x55)]).subarray(0, 12345);
const LIMITS = { connectTimeoutMs: 300, totalTimeoutMs: 500, maxBytes: 1024 * 1024, maxRedirects: 5 };

/** Routes of the fault server. Every loop here is bounded. */
function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const u = new URL(req.url ?? '/', 'http://x');
  const [, mode] = u.pathname.split('/');
  switch (mode) {
    case 'good':
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(GOOD);
      return;
    case 's401':
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' });
      res.end('missing or bad token\n');
      return;
    case 's403':
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('forbidden: pprof is for admins\n');
      return;
    case 's404':
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Unknown profile\n');
      return;
    case 's500':
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<html><body><h1>Internal error</h1><script>alert(1)</script></body></html>');
      return;
    case 'html':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>…</form></body></html>');
      return;
    case 'html-untyped': // an HTML page served as octet-stream
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end('\n  <html><head><title>Proxy</title></head><body>login</body></html>');
      return;
    case 'lying-text': // says nothing, sends text where gzip was expected
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end('this is not a profile\nat all\n');
      return;
    case 'lying-gzip': // gzip magic followed by garbage
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0xff]), Buffer.alloc(200, 0xee)]));
      return;
    case 'lying-kind': // a goroutine profile where a heap text profile was asked for
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(GOROUTINE_TEXT);
      return;
    case 'big': // announces 2 MiB
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(2 * 1024 * 1024) });
      res.end(Buffer.alloc(2 * 1024 * 1024, 1));
      return;
    case 'big-chunked': {
      // No length: streams gzip-looking chunks, at most 4 MiB, until the client hangs up.
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let sent = 0;
      const chunk = Buffer.alloc(64 * 1024, 7);
      chunk[0] = 0x1f;
      chunk[1] = 0x8b;
      const pump = () => {
        while (sent < 4 * 1024 * 1024 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
      return;
    }
    case 'dying': // announces 100,000 bytes, sends 12,345, then the server dies
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '100000' });
      res.write(PARTIAL, () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    case 'dying-chunked': // chunked, dies before the last chunk
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(PARTIAL.subarray(0, 5000), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    case 'loop-a':
      res.writeHead(302, { location: u.pathname.replace('/loop-a/', '/loop-b/') });
      res.end();
      return;
    case 'loop-b':
      res.writeHead(307, { location: u.pathname.replace('/loop-b/', '/loop-a/') });
      res.end();
      return;
    case 'chain': {
      // /chain/N/... → /chain/N+1/... (never a loop; the client's limit ends it; N ≤ 100 here)
      const n = Number(u.pathname.split('/')[2]);
      if (n >= 100) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(301, { location: u.pathname.replace(`/chain/${n}/`, `/chain/${n + 1}/`) });
      res.end();
      return;
    }
    case 'redirect-ftp':
      res.writeHead(302, { location: 'ftp://127.0.0.1/heap' });
      res.end();
      return;
    case 'silent': // accepts, never answers (the test's close() destroys the socket)
      return;
    case 'trickle': {
      // Headers at once, then one byte every 100 ms (at most 50).
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(Buffer.from([0x1f, 0x8b]));
      let n = 0;
      const t = setInterval(() => {
        if (res.destroyed || ++n > 50) {
          clearInterval(t);
          if (!res.destroyed) res.end();
          return;
        }
        res.write(Buffer.from([0]));
      }, 100);
      res.on('close', () => clearInterval(t));
      return;
    }
    case 'auth': {
      const a = req.headers.authorization;
      if (a === 'Bearer s3cret' || a === `Basic ${Buffer.from('ops:pass').toString('base64')}`) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(GOOD);
      } else {
        res.writeHead(401, { 'content-type': 'text/plain' });
        res.end('who are you?\n');
      }
      return;
    }
    default:
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404 page not found\n');
  }
}

let srv: LocalServer;
let svc: CaptureService;
let dir: string;
let snap: Map<string, string>;

beforeAll(async () => {
  srv = await startServer(route);
});
afterAll(async () => {
  await svc?.dispose();
  await srv?.close();
});

/** A session folder with one good capture in it, and its snapshot. */
beforeEach(async () => {
  svc = new CaptureService({ limits: LIMITS });
  dir = tempDir('hs-faults-');
  const r = await svc.capture({ url: `${srv.url}/good/debug/pprof/`, profile: 'heap', saveDir: dir });
  expect(r.saved!.sizeBytes).toBe(GOOD.length);
  snap = snapshotDir(dir);
  expect(snap.size).toBe(1);
});

/** Capture must fail with exactly this message; the folder must be as before. */
async function expectFault(req: Omit<CaptureRequest, 'saveDir'>, message: string | RegExp, code: string = 'NETWORK'): Promise<HeapscopeError> {
  let err: unknown = null;
  try {
    await svc.capture({ ...req, saveDir: dir });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(HeapscopeError);
  const he = err as HeapscopeError;
  if (typeof message === 'string') expect(he.message).toBe(message);
  else expect(he.message).toMatch(message);
  expect(he.code).toBe(code);
  expectIntact(dir, snap);
  return he;
}

describe('capture faults: each ends as a clear message, earlier captures intact', () => {
  it('connection refused', async () => {
    const port = await closedPort();
    await expectFault({ url: `127.0.0.1:${port}`, profile: 'heap' }, `http://127.0.0.1:${port}/debug/pprof/heap: connection refused`);
  });

  it('connect timeout (a listener that never accepts)', async () => {
    const u = await startUnacceptingServer();
    try {
      const t0 = Date.now();
      await expectFault({ url: `http://127.0.0.1:${u.port}`, profile: 'heap', options: { connectTimeoutMs: 300, totalTimeoutMs: 5000 } }, `http://127.0.0.1:${u.port}/debug/pprof/heap: timed out after 0.3 s connecting`);
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      await u.close();
    }
  });

  it('total timeout: a server that never answers', async () => {
    const t0 = Date.now();
    await expectFault({ url: `${srv.url}/silent/debug/pprof/`, profile: 'heap' }, `${srv.url}/silent/debug/pprof/heap: timed out after 0.5 s waiting for an answer`);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('total timeout: a server that trickles the body', async () => {
    await expectFault({ url: `${srv.url}/trickle/debug/pprof/`, profile: 'heap' }, new RegExp(`^${esc(srv.url)}/trickle/debug/pprof/heap: timed out after 0\\.5 s receiving the body \\(\\d bytes so far\\)$`));
  });

  it('the total timeout is configurable and counts the seconds of a CPU profile on top', async () => {
    await expectFault(
      { url: `${srv.url}/silent/debug/pprof/`, profile: 'profile', seconds: 1, options: { totalTimeoutMs: 200 } },
      `${srv.url}/silent/debug/pprof/profile?seconds=1: timed out after 1.2 s waiting for an answer`,
    );
  });

  for (const [mode, status, text] of [
    ['s401', 401, 'HTTP 401 Unauthorized: missing or bad token'],
    ['s403', 403, 'HTTP 403 Forbidden: forbidden: pprof is for admins'],
    ['s404', 404, 'HTTP 404 Not Found: Unknown profile'],
    ['s500', 500, 'HTTP 500 Internal Server Error'], // an HTML error page is never quoted
  ] as const) {
    it(`HTTP ${status} is shown with its status`, async () => {
      await expectFault({ url: `${srv.url}/${mode}/debug/pprof/`, profile: 'heap' }, `${srv.url}/${mode}/debug/pprof/heap: ${text}`);
    });
  }

  it('an HTML page where a profile was expected', async () => {
    await expectFault({ url: `${srv.url}/html/debug/pprof/`, profile: 'heap' }, `${srv.url}/html/debug/pprof/heap: got an HTML page, not a profile`);
    await expectFault({ url: `${srv.url}/html-untyped/debug/pprof/`, profile: 'goroutine', debug: 1 }, `${srv.url}/html-untyped/debug/pprof/goroutine?debug=1: got an HTML page, not a profile`);
  });

  it('lying content: text or fake gzip where a profile was expected, the wrong profile', async () => {
    await expectFault({ url: `${srv.url}/lying-text/debug/pprof/`, profile: 'heap' }, `${srv.url}/lying-text/debug/pprof/heap: expected a gzipped profile, got text starting "this is not a profile"`);
    await expectFault({ url: `${srv.url}/lying-gzip/debug/pprof/`, profile: 'heap' }, new RegExp(`^${esc(srv.url)}/lying-gzip/debug/pprof/heap: the body starts like gzip but does not inflate \\(.+\\)$`));
    await expectFault({ url: `${srv.url}/lying-kind/debug/pprof/`, profile: 'heap', debug: 1 }, `${srv.url}/lying-kind/debug/pprof/heap?debug=1: expected a heap profile (debug=1), got text starting ${JSON.stringify(GOROUTINE_FIRST_LINE)}`);
    expect(GOROUTINE_FIRST_LINE).toMatch(/^goroutine profile: total \d+$/);
  });

  it('a body over the size limit (announced, and streamed without a length)', async () => {
    await expectFault({ url: `${srv.url}/big/debug/pprof/`, profile: 'heap' }, `${srv.url}/big/debug/pprof/heap: body over the 1 MiB limit (the server announced 2,097,152 bytes)`);
    await expectFault({ url: `${srv.url}/big-chunked/debug/pprof/`, profile: 'heap' }, `${srv.url}/big-chunked/debug/pprof/heap: body over the 1 MiB limit`);
    // The default limit is 1 GiB; a configured one is named in its own unit.
    await expectFault({ url: `${srv.url}/good/debug/pprof/`, profile: 'heap', options: { maxBytes: 1000 } }, `${srv.url}/good/debug/pprof/heap: body over the 1,000 bytes limit`);
  });

  it('a server that dies mid-body', async () => {
    await expectFault({ url: `${srv.url}/dying/debug/pprof/`, profile: 'heap' }, `${srv.url}/dying/debug/pprof/heap: server closed the connection after 12,345 of 100,000 bytes`);
    await expectFault({ url: `${srv.url}/dying-chunked/debug/pprof/`, profile: 'heap' }, `${srv.url}/dying-chunked/debug/pprof/heap: server closed the connection after 5,000 bytes`);
  });

  it('a redirect loop, and a chain longer than the limit', async () => {
    await expectFault(
      { url: `${srv.url}/loop-a/debug/pprof/`, profile: 'heap' },
      `${srv.url}/loop-a/debug/pprof/heap: too many redirects (a loop: /loop-a/debug/pprof/heap → /loop-b/debug/pprof/heap → /loop-a/debug/pprof/heap)`,
    );
    await expectFault(
      { url: `${srv.url}/chain/0/debug/pprof/`, profile: 'heap', options: { maxRedirects: 3 } },
      `${srv.url}/chain/0/debug/pprof/heap: too many redirects (more than 3: /chain/0/debug/pprof/heap → /chain/1/debug/pprof/heap → /chain/2/debug/pprof/heap → /chain/3/debug/pprof/heap → /chain/4/debug/pprof/heap)`,
    );
    await expectFault({ url: `${srv.url}/redirect-ftp/debug/pprof/`, profile: 'heap' }, `${srv.url}/redirect-ftp/debug/pprof/heap: redirected to a ftp: URL; only http and https are followed`);
  });

  it('only http and https URLs are accepted', async () => {
    await expectFault({ url: 'ftp://127.0.0.1/debug/pprof/', profile: 'heap' }, 'only http and https URLs are accepted, not ftp: ("ftp://127.0.0.1/debug/pprof/")', 'BAD_REQUEST');
    await expectFault({ url: 'file:///etc/passwd', profile: 'heap' }, 'only http and https URLs are accepted, not file: ("file:///etc/passwd")', 'BAD_REQUEST');
    await expectFault({ url: 'javascript:alert(1)', profile: 'heap' }, 'only http and https URLs are accepted, not javascript: ("javascript:alert(1)")', 'BAD_REQUEST');
  });

  it('cancelling a capture in flight', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    let err: unknown;
    try {
      await svc.capture({ url: `${srv.url}/silent/debug/pprof/`, profile: 'heap', saveDir: dir, options: { totalTimeoutMs: 5000 } }, { signal: ac.signal });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'CANCELLED', message: `${srv.url}/silent/debug/pprof/heap: cancelled` });
    expectIntact(dir, snap);
  });

  it('faults of the index page: HTTP error, a page that is not the index', async () => {
    await expect(svc.listProfiles(`${srv.url}/s403/debug/pprof/`)).rejects.toMatchObject({ code: 'NETWORK', message: `${srv.url}/s403/debug/pprof/: HTTP 403 Forbidden: forbidden: pprof is for admins` });
    await expect(svc.listProfiles(`${srv.url}/html/debug/pprof/`)).rejects.toMatchObject({
      code: 'NETWORK',
      message: `${srv.url}/html/debug/pprof/: not a net/http/pprof index (no profile table found; got a page titled "Sign in")`,
    });
    await expect(svc.listProfiles(`${srv.url}/good/debug/pprof/`)).rejects.toMatchObject({ code: 'NETWORK', message: `${srv.url}/good/debug/pprof/: got a gzipped file, not the net/http/pprof index page` });
    await expect(svc.listProfiles(`${srv.url}/nothing-here/`)).rejects.toMatchObject({ code: 'NETWORK', message: `${srv.url}/nothing-here/: HTTP 404 Not Found: 404 page not found` });
    expectIntact(dir, snap);
  });
});

describe('credentials', () => {
  it('bearer and basic auth are sent; the session store keeps them; no result carries them', async () => {
    const url = `${srv.url}/auth/debug/pprof/`;
    await expectFault({ url, profile: 'heap' }, `${srv.url}/auth/debug/pprof/heap: HTTP 401 Unauthorized: who are you?`);
    const r1 = await svc.capture({ url, profile: 'heap', options: { auth: { kind: 'bearer', token: 's3cret' } } });
    expect(r1.bytes).toEqual(GOOD);
    // One-call credentials are not remembered.
    await expectFault({ url, profile: 'heap' }, /HTTP 401 Unauthorized/);
    svc.setAuth(url, { kind: 'basic', username: 'ops', password: 'pass' });
    const r2 = await svc.capture({ url, profile: 'heap', saveDir: dir });
    snap = snapshotDir(dir);
    expect(snap.size).toBe(2);
    expect(JSON.stringify(r2.meta)).not.toMatch(/s3cret|pass|ops|Basic|Bearer/);
    expect(svc.auth.origins()).toEqual([srv.url]);
    // user:pass@ in the URL works too, and is not shown anywhere.
    const other = new CaptureService({ limits: LIMITS });
    const r3 = await other.capture({ url: `http://ops:pass@127.0.0.1:${srv.port}/auth/debug/pprof/`, profile: 'heap' });
    expect(r3.meta.url).toBe(`${srv.url}/auth/debug/pprof/heap`);
    svc.forgetAuth(url);
    await expectFault({ url, profile: 'heap' }, /HTTP 401 Unauthorized/);
  });

  it('credentials are not sent to another origin after a redirect', async () => {
    const seen: Array<string | undefined> = [];
    const other = await startServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(GOOD);
    });
    const hop = await startServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(302, { location: `${other.url}${req.url}` });
      res.end();
    });
    try {
      const r = await svc.capture({ url: hop.url, profile: 'heap', options: { auth: { kind: 'bearer', token: 's3cret' } } });
      expect(r.meta.url).toBe(`${other.url}/debug/pprof/heap`);
      expect(seen).toEqual(['Bearer s3cret', undefined]);
    } finally {
      await hop.close();
      await other.close();
    }
  });
});

describe('watch mode with a failing server', () => {
  it('a failed tick is an event, the watch goes on, earlier captures stay intact', async () => {
    // Ticks 1 and 2 succeed, 3 and 4 die mid-body, 5 succeeds again.
    let heapCalls = 0;
    const flaky = await startServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname === '/debug/pprof/heap' && u.searchParams.get('debug') === '1') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`heap profile: 1: 8 [1: 8] @ heap/1048576\n\n# runtime.MemStats\n# HeapAlloc = ${1000 * (heapCalls + 1)}\n# HeapInuse = 8192\n# HeapObjects = 10\n# NumGC = 1\n`);
        return;
      }
      if (u.pathname === '/debug/pprof/goroutine') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`goroutine profile: total ${5 + heapCalls}\n`);
        return;
      }
      heapCalls++;
      if (heapCalls === 3 || heapCalls === 4) {
        res.writeHead(200, { 'content-length': '100000' });
        res.write(Buffer.from(GOOD.subarray(0, 777)), () => setTimeout(() => res.socket?.destroy(), 20));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(GOOD);
    });
    const out = tempDir('hs-watch-faults-');
    const events: WatchEvent[] = [];
    let afterTick2: Map<string, string> | null = null;
    let sessionDir = '';
    try {
      const id = svc.startWatch({ url: flaky.url, profiles: [{ profile: 'heap' }], everyMs: 120, count: 5, outDir: out }, (e) => {
        events.push(e);
        if (e.type === 'started') sessionDir = e.sessionDir;
        if (e.type === 'tick' && e.tick === 2) afterTick2 = new Map([...snapshotDir(sessionDir)].filter(([f]) => f !== 'session.json'));
      });
      const snap = await svc.watchFinished(id);
      expect(snap.ticks).toBe(5);
      expect(snap.failedTicks).toBe(0); // the series still worked on ticks 3 and 4
      const errors = events.filter((e): e is Extract<WatchEvent, { type: 'error' }> => e.type === 'error');
      expect(errors.map((e) => [e.tick, e.profile, e.error.code, e.error.message])).toEqual([
        [3, 'heap', 'NETWORK', `${flaky.url}/debug/pprof/heap: server closed the connection after 777 of 100,000 bytes`],
        [4, 'heap', 'NETWORK', `${flaky.url}/debug/pprof/heap: server closed the connection after 777 of 100,000 bytes`],
      ]);
      const ticks = events.filter((e): e is Extract<WatchEvent, { type: 'tick' }> => e.type === 'tick');
      expect(ticks.map((t) => [t.tick, t.captures.length, t.failures])).toEqual([
        [1, 1, 0],
        [2, 1, 0],
        [3, 0, 1],
        [4, 0, 1],
        [5, 1, 0],
      ]);
      expect(snap.series.map((p) => p.heapAlloc)).toEqual([1000, 2000, 3000, 4000, 5000]);
      expect(snap.captures.map((c) => c.tick)).toEqual([1, 2, 5]);
      // The files of ticks 1 and 2 are byte-identical to what they were when tick 2 ended.
      const now = snapshotDir(snap.sessionDir);
      expect(afterTick2).not.toBeNull();
      for (const [f, h] of afterTick2!) expect(now.get(f)).toBe(h);
      expect([...now.keys()].filter((f) => f.startsWith('.'))).toEqual([]);
      expect(now.size).toBe(4); // three captures + session.json
    } finally {
      await flaky.close();
    }
  });

  it('a watch on a dead server reports every tick and keeps going until its count', async () => {
    const port = await closedPort();
    const out = tempDir('hs-watch-dead-');
    const events: WatchEvent[] = [];
    const id = svc.startWatch({ url: `127.0.0.1:${port}`, profiles: [{ profile: 'goroutine' }], everyMs: 100, count: 3, outDir: out }, (e) => events.push(e));
    const snap = await svc.watchFinished(id);
    expect(snap.ticks).toBe(3);
    expect(snap.failedTicks).toBe(3);
    const msgs = new Set(events.filter((e) => e.type === 'error').map((e) => (e.type === 'error' ? e.error.message : '')));
    expect([...msgs].sort()).toEqual([
      `http://127.0.0.1:${port}/debug/pprof/goroutine: connection refused`,
      `http://127.0.0.1:${port}/debug/pprof/goroutine?debug=1: connection refused`,
      `http://127.0.0.1:${port}/debug/pprof/heap?debug=1: connection refused`,
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'stopped', reason: 'count', ticks: 3 });
  });
});

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
