/**
 * The call router both renderer clients (HTTP and IPC) are built on (renderer/src/api/transport.ts):
 * every API method exists, results are unwrapped, errors become HeapscopeError, progress reaches
 * only its own call, and an abort cancels that call on the host.
 */
import { describe, expect, it } from 'vitest';
import { API_METHODS, type ApiMethod, type WireResult } from '../../../shared/api/contract';
import type { Progress } from '../../../shared/api/types';
import { HeapscopeError } from '../../../shared/errors';
import { createCallRouter } from '../../../renderer/src/api/transport';

function fakeTransport(answer: (method: ApiMethod, req: unknown) => WireResult<unknown>) {
  const sent: Array<{ method: ApiMethod; req: unknown; callId: string }> = [];
  const cancelled: string[] = [];
  let wanted = 0;
  let release: (() => void) | null = null;
  const gate = { hold: false };
  const router = createCallRouter({
    async send(method, req, callId) {
      sent.push({ method, req, callId });
      if (gate.hold) await new Promise<void>((r) => (release = r));
      return answer(method, req);
    },
    cancel: (id) => cancelled.push(id),
    wantProgress: () => void wanted++,
  });
  return { router, sent, cancelled, gate, release: () => release?.(), wanted: () => wanted };
}

describe('createCallRouter', () => {
  it('offers every API method and unwraps a result', async () => {
    const t = fakeTransport((method, req) => ({ ok: true, result: { method, req } }));
    expect(Object.keys(t.router.client).sort()).toEqual([...API_METHODS].sort());
    await expect(t.router.client.listItems({} as never)).resolves.toEqual({ method: 'listItems', req: {} });
    expect(new Set(t.sent.map((s) => s.callId)).size).toBe(t.sent.length);
  });

  it('turns a wire error into a HeapscopeError with its code and message', async () => {
    const t = fakeTransport(() => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no item 7' } }));
    const err = await t.router.client.listItems({} as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeapscopeError);
    expect((err as HeapscopeError).code).toBe('NOT_FOUND');
    expect((err as HeapscopeError).message).toContain('no item 7');
  });

  it('routes progress to its own call only, and forgets the call once it ends', async () => {
    const t = fakeTransport(() => ({ ok: true, result: 1 }));
    t.gate.hold = true;
    const seen: Progress[] = [];
    const p = t.router.client.listItems({} as never, { onProgress: (x) => seen.push(x) });
    await Promise.resolve();
    const id = t.sent[0]!.callId;
    expect(t.wanted()).toBe(1);
    t.router.progress({ callId: 'someone-else', label: 'x' } as Progress);
    t.router.progress({ callId: id, label: 'reading' } as Progress);
    t.release();
    await p;
    t.router.progress({ callId: id, label: 'late' } as Progress);
    expect(seen.map((s) => s.label)).toEqual(['reading']);
  });

  it('cancels the call on the host when its signal aborts', async () => {
    const t = fakeTransport(() => ({ ok: true, result: 1 }));
    t.gate.hold = true;
    const ac = new AbortController();
    const p = t.router.client.listItems({} as never, { signal: ac.signal });
    await Promise.resolve();
    ac.abort();
    expect(t.cancelled).toEqual([t.sent[0]!.callId]);
    t.release();
    await p;
  });
});
