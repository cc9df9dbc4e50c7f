import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_METHODS, type ApiHandlers } from '../../../shared/api/contract';
import { startHttpServer, type RunningServer } from '../../../electron/services/http-server';

let srv: RunningServer;
const seen: string[] = [];

function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: srv.port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${srv.port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>hs</title>');
  const h = {} as Record<string, (req: unknown, ctx: { progress(p: { label: string; done: number; total: number }): void }) => Promise<unknown>>;
  for (const m of API_METHODS) h[m] = async (req) => {
    seen.push(m);
    return { method: m, req };
  };
  h.openBytes = async (req) => {
    const { name, bytes } = req as { name: string; bytes: Uint8Array };
    return { items: [], failures: [], name, length: bytes.length, first: bytes[0] };
  };
  h.top = async (_req, ctx) => {
    for (let i = 1; i <= 3; i++) {
      ctx.progress({ label: 'step', done: i, total: 3 });
      await new Promise((r) => setTimeout(r, 30));
    }
    return { done: true };
  };
  srv = await startHttpServer({ handlers: h as unknown as ApiHandlers, staticDir: dir, token: 'secret-token', maxBodyBytes: 1024 });
});
afterAll(async () => srv.close());

const auth = { authorization: 'Bearer secret-token', 'content-type': 'application/json' };

describe('serve HTTP transport', () => {
  it('binds 127.0.0.1 and prints a URL with the token', () => {
    const a = srv.server.address();
    expect(typeof a === 'object' && a?.address).toBe('127.0.0.1');
    expect(srv.url).toBe(`http://127.0.0.1:${srv.port}/?token=secret-token`);
  });

  it('serves the UI with a strict CSP and refuses path traversal', async () => {
    const r = await raw('/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>hs</title>');
    expect(String(r.headers['content-security-policy'])).toContain("default-src 'none'");
    expect((await raw('/../../etc/passwd')).status).toBe(404);
    expect((await raw('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
  });

  it('refuses API calls without the right token', async () => {
    const before = seen.length;
    expect((await raw('/api/listItems', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    expect((await raw('/api/listItems', { method: 'POST', headers: { ...auth, authorization: 'Bearer wrong' }, body: '{}' })).status).toBe(401);
    expect(seen.length).toBe(before);
  });

  it('refuses a foreign Host (DNS rebinding) and a cross-origin caller', async () => {
    expect((await raw('/api/listItems', { method: 'POST', headers: { ...auth, host: 'evil.example:80' }, body: '{}' })).status).toBe(421);
    expect((await raw('/api/listItems', { method: 'POST', headers: { ...auth, origin: 'https://evil.example' }, body: '{}' })).status).toBe(403);
  });

  it('dispatches a validated call and returns a WireResult', async () => {
    const r = await raw('/api/closeItem', { method: 'POST', headers: auth, body: JSON.stringify({ handle: 'h1' }) });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: true, result: { method: 'closeItem', req: { handle: 'h1' } } });
    const bad = JSON.parse((await raw('/api/closeItem', { method: 'POST', headers: auth, body: JSON.stringify({ handle: 7 }) })).body);
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('BAD_REQUEST');
    expect(JSON.parse((await raw('/api/nope', { method: 'POST', headers: auth, body: '{}' })).body).ok).toBe(false);
    expect((await raw('/api/closeItem', { method: 'POST', headers: auth, body: '{not json' })).status).toBe(400);
  });

  it('takes raw bytes for openBytes and enforces the body limit', async () => {
    const r = await raw('/api/openBytes?name=heap.pb.gz', { method: 'POST', headers: { authorization: 'Bearer secret-token', 'content-type': 'application/octet-stream' }, body: Buffer.from([0x1f, 0x8b, 1, 2]) });
    expect(JSON.parse(r.body)).toEqual({ ok: true, result: { items: [], failures: [], name: 'heap.pb.gz', length: 4, first: 0x1f } });
    const big = await raw('/api/openBytes?name=x', { method: 'POST', headers: { authorization: 'Bearer secret-token', 'content-type': 'application/octet-stream' }, body: Buffer.alloc(4096) });
    expect(big.status).toBe(413);
  });

  it('streams progress events for a call id over SSE', async () => {
    const events: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const es = request({ host: '127.0.0.1', port: srv.port, path: '/api/events?token=secret-token', headers: { host: `127.0.0.1:${srv.port}` } }, (res) => {
        expect(res.statusCode).toBe(200);
        res.on('data', (c: Buffer) => events.push(c.toString('utf8')));
        void raw('/api/top', { method: 'POST', headers: { ...auth, 'x-heapscope-call': 'call-42' }, body: JSON.stringify({ handle: 'h1' }) }).then((r) => {
          expect(JSON.parse(r.body)).toEqual({ ok: true, result: { done: true } });
          es.destroy();
          resolve();
        }, reject);
      });
      es.on('error', () => undefined);
      es.end();
    });
    const text = events.join('');
    expect(text).toContain('event: progress');
    expect(text).toContain('"callId":"call-42"');
    expect(text).toContain('"done":3');
  });
});
