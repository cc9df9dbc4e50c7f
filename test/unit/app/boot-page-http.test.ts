/**
 * The served page with its boot data (http-server.ts `bootElement`): only `/?token=<the token>`
 * gets it, never cached; without the token (or with a wrong one) the page is the plain file.
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
const PAGE = '<!doctype html><html><head><title>hs</title><script type="module" crossorigin src="./assets/app-1.js"></script></head><body><div id="root"></div></body></html>';
const ELEMENT = '<script type="application/json" id="heapscope-boot">{"v":1}</script>';

function get(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: srv.port, path, headers: { host: `127.0.0.1:${srv.port}` } }, (res) => {
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
    bootElement: async () => (asked++, ELEMENT),
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
    // the bundle is asked for with the response headers, before the parser reaches its tag
    expect(r.headers.link).toBe('</assets/app-1.js>; rel=modulepreload; crossorigin');
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
});

