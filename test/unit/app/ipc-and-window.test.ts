import { describe, expect, it } from 'vitest';
import type { ApiHandlers, CallContext } from '../../../shared/api/contract';
import { API_METHODS } from '../../../shared/api/contract';
import { handleIpcCall, isTrustedSender } from '../../../electron/services/ipc-guard';
import { dispatch } from '../../../electron/services/dispatch';
import { apiSchemas } from '../../../electron/services/schemas';
import { isAllowedExternalLink, secureWindowOptions } from '../../../electron/main/window-options';

const RENDERER = 'file:///opt/heapscope/dist/renderer/index.html';
const ctx: CallContext = { callId: 't1', signal: new AbortController().signal, progress: () => undefined };

function fakeHandlers(calls: string[]): ApiHandlers {
  const h = {} as Record<string, (req: unknown) => Promise<unknown>>;
  for (const m of API_METHODS) h[m] = async (req) => {
    calls.push(`${m}:${JSON.stringify(req)}`);
    return { echoed: m };
  };
  return h as unknown as ApiHandlers;
}

describe('IPC guard', () => {
  it('accepts only the top frame of our renderer page', () => {
    expect(isTrustedSender({ frameUrl: RENDERER, isTopFrame: true }, RENDERER)).toBe(true);
    expect(isTrustedSender({ frameUrl: `${RENDERER}#/view`, isTopFrame: true }, RENDERER)).toBe(true);
    expect(isTrustedSender({ frameUrl: RENDERER, isTopFrame: false }, RENDERER)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'https://evil.example/index.html', isTopFrame: true }, RENDERER)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'file:///tmp/other.html', isTopFrame: true }, RENDERER)).toBe(false);
    expect(isTrustedSender({ frameUrl: undefined, isTopFrame: true }, RENDERER)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'not a url', isTopFrame: true }, RENDERER)).toBe(false);
  });

  it('rejects a call from an unexpected frame without calling the handler', async () => {
    const calls: string[] = [];
    const r = await handleIpcCall(fakeHandlers(calls), 'listItems', { frameUrl: 'https://evil.example/', isTopFrame: true }, RENDERER, {}, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/unexpected sender frame/);
    expect(calls).toEqual([]);
  });

  it('rejects malformed payloads without calling the handler', async () => {
    const calls: string[] = [];
    const h = fakeHandlers(calls);
    const trusted = { frameUrl: RENDERER, isTopFrame: true };
    const bad: Array<[string, unknown]> = [
      ['top', { handle: 42 }],
      ['top', { handle: 'h1', granularity: 'bogus' }],
      ['top', { handle: 'h1', extra: true }],
      ['openFiles', { paths: [] }],
      ['openFiles', { paths: 'x' }],
      ['openBytes', { name: 'a', bytes: [1, 2, 3] }],
      ['flameGraph', { handle: 'h1', minFraction: 5 }],
      ['listItems', { sneaky: 1 }],
      ['notAMethod', {}],
      ['__proto__', {}],
    ];
    for (const [m, payload] of bad) {
      const r = await handleIpcCall(h, m, trusted, RENDERER, payload, ctx);
      expect(r.ok, `${m} ${JSON.stringify(payload)}`).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('BAD_REQUEST');
    }
    expect(calls).toEqual([]);
    const good = await handleIpcCall(h, 'top', trusted, RENDERER, { handle: 'h1', granularity: 'lines' }, ctx);
    expect(good).toEqual({ ok: true, result: { echoed: 'top' } });
    expect(calls).toEqual(['top:{"handle":"h1","granularity":"lines"}']);
  });

  it('has a schema for every API method', () => {
    for (const m of API_METHODS) expect(apiSchemas[m], m).toBeDefined();
  });

  it('turns a throwing handler into a typed error result', async () => {
    const h = fakeHandlers([]);
    (h as unknown as Record<string, unknown>).listItems = async () => {
      throw new Error('boom');
    };
    const r = await dispatch(h, 'listItems', {}, ctx);
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom' } });
  });
});

describe('window factory options', () => {
  it('isolates and sandboxes the renderer', () => {
    const o = secureWindowOptions('/x/preload.js');
    const w = o.webPreferences!;
    expect(w.contextIsolation).toBe(true);
    expect(w.sandbox).toBe(true);
    expect(w.nodeIntegration).toBe(false);
    expect(w.nodeIntegrationInWorker).toBe(false);
    expect(w.nodeIntegrationInSubFrames).toBe(false);
    expect(w.webSecurity).toBe(true);
    expect(w.allowRunningInsecureContent).toBe(false);
    expect(w.webviewTag).toBe(false);
    expect(w.preload).toBe('/x/preload.js');
  });

  it('opens external links only from the allowlist', () => {
    expect(isAllowedExternalLink('https://pkg.go.dev/runtime/pprof')).toBe(true);
    expect(isAllowedExternalLink('https://evil.example/')).toBe(false);
    expect(isAllowedExternalLink('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternalLink('javascript:alert(1)')).toBe(false);
  });
});
