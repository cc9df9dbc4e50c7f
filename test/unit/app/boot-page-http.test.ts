/**
 * The served page with its boot data (http-server.ts `bootPage`): only `/?token=<the token>` gets
 * it, never cached, with its headers preloading the bundle and the boot resources it names; those
 * are served at their path (`bootResource`), nothing else under /boot/. Without the token (or with a
 * wrong one) the page is the plain file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiHandlers } from '../../../shared/api/contract';
import { RENDERER_CSP, startHttpServer, type RunningServer } from '../../../electron/services/http-server';

let srv: RunningServer;
let asked = 0;
const RESOURCE = '/boot/0123456789abcdef_-XYZ01';
const FLAME_JSON = '{"total":5,"root":{"name":"<b>root</b>","value":5}}';
const PAGE = '<!doctype html><html><head><title>hs</title><script type="module" crossorigin src="./assets/app-1.js"></script></head><body><div id="root"></div></body></html>';
const ELEMENT = '<script type="application/json" id="heapscope-boot">{"v":1}</script>';

function get(path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: srv.port, path, method, headers: { host: `127.0.0.1:${srv.port}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-boot-'));
  writeFileSync(join(dir, 'index.html'), PAGE);
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'index-DuTPG0J6.js'), 'export {};');
  writeFileSync(join(dir, 'assets', 'notes.js'), 'export {};');
  srv = await startHttpServer({
    handlers: {} as ApiHandlers,
    staticDir: dir,
    token: 'secret-token',
    bootPage: async () => (asked++, { element: ELEMENT, preload: [RESOURCE] }),
    bootResource: (path) => (path === RESOURCE ? Promise.resolve(FLAME_JSON) : null),
  });
});
afterAll(async () => srv.close());

describe('the served page', () => {
  it('carries the boot element before </body> for the token holder, with the CSP, never cached', async () => {
    const r = await get('/?token=secret-token');
    expect(r.status).toBe(200);
    expect(r.body).toBe(PAGE.replace('</body>', `${ELEMENT}</body>`));
    expect(r.headers['content-security-policy']).toBe(RENDERER_CSP);
    expect(r.headers['cache-control']).toBe('no-store');
    // the bundle and the boot resource are asked for with the response headers
    expect(r.headers.link).toBe(`</assets/app-1.js>; rel=modulepreload; crossorigin, <${RESOURCE}>; rel=preload; as=fetch; crossorigin`);
    expect(asked).toBe(1);
  });

  it('is the plain file without the token or with a wrong one', async () => {
    for (const path of ['/', '/index.html', '/?token=wrong', '/?token=secret-toke', '/index.html?x=secret-token']) {
      const r = await get(path);
      expect(r.status).toBe(200);
      expect(r.body).toBe(PAGE);
      expect(r.headers['cache-control']).toBe('no-cache');
    }
    expect(asked).toBe(1);
  });

  it('lets the browser keep the bundler\'s content-hashed assets, and revalidate anything else', async () => {
    const hashed = await get('/assets/index-DuTPG0J6.js');
    expect(hashed.status).toBe(200);
    expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(hashed.headers['content-type']).toMatch(/javascript/);
    const plain = await get('/assets/notes.js');
    expect(plain.status).toBe(200);
    expect(plain.headers['cache-control']).toBe('no-cache');
  });

  it('serves a boot resource the page named, as JSON never cached, and nothing else under /boot/', async () => {
    const r = await get(RESOURCE);
    expect(r.status).toBe(200);
    expect(r.body).toBe(FLAME_JSON);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    for (const path of ['/boot/0123456789abcdef_-XYZ02', '/boot/', '/boot/0123456789abcdef_-XYZ01/x']) expect((await get(path)).status).toBe(404);
    expect((await get(RESOURCE, 'POST')).status).toBe(405);
  });
});

