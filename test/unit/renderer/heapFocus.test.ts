/** A heap dump view opened for a finding: root / object / site found through the API (renderer/src/findings/heapFocus.ts). */
import { describe, expect, it } from 'vitest';
import type { ApiClient, CallOptions } from '../../../shared/api/contract';
import { resolveHeapFocus } from '../../../renderer/src/findings/heapFocus';
import { apiSchemas } from '../../../electron/services/schemas';
import type { ApiMethod } from '../../../shared/api/contract';

interface Call {
  method: string;
  req: Record<string, unknown>;
}

/** A fake client over `roots` root names (node = index + 1) and a few sites. */
function fakeClient(opts: { roots: number; sites?: Array<{ site: number; label: string }>; objects?: Record<number, Array<{ node: number; address: string | null; label: string }>> }) {
  const calls: Call[] = [];
  // Every request as the transports check it (serve, IPC): a payload they refuse never reaches the worker.
  const valid = (method: ApiMethod, req: unknown): void => {
    const r = apiSchemas[method].safeParse(req);
    if (!r.success) throw new Error(`invalid payload for ${method}: ${r.error.message}`);
  };
  const client = {
    async heapRoots(req: { handle: string; start: number; count: number }) {
      valid('heapRoots', req);
      calls.push({ method: 'heapRoots', req });
      const rows = [];
      for (let i = req.start; i < Math.min(opts.roots, req.start + req.count); i++) rows.push({ node: i + 1, name: `root-${i}`, kind: 'global' });
      return { total: opts.roots, start: req.start, rows };
    },
    async heapObject(req: { handle: string; object: string }) {
      valid('heapObject', req);
      calls.push({ method: 'heapObject', req });
      return { node: 77, address: req.object };
    },
    async heapAllocSites(req: Record<string, unknown>) {
      valid('heapAllocSites', req);
      calls.push({ method: 'heapAllocSites', req });
      const rows = opts.sites ?? [];
      return { total: rows.length, start: 0, rows };
    },
    async heapObjects(req: { scope: { site: number } }) {
      valid('heapObjects', req);
      calls.push({ method: 'heapObjects', req });
      const rows = opts.objects?.[req.scope.site] ?? [];
      return { total: rows.length, start: 0, rows };
    },
  };
  return { client: client as unknown as ApiClient, calls };
}

const o: CallOptions = {};

describe('resolveHeapFocus', () => {
  it('finds a root by name on a later page', async () => {
    const { client, calls } = fakeClient({ roots: 1200 });
    const r = await resolveHeapFocus(client, 'h1', { root: 'root-700' }, o);
    expect(r.root).toMatchObject({ node: 701, name: 'root-700' });
    expect(calls.map((c) => c.req.start)).toEqual([0, 500]);
    expect(r.object).toBeNull();
    expect(r.siteFound).toBe(false);
  });

  it('stops at the last page when the root is not there', async () => {
    const { client, calls } = fakeClient({ roots: 700 });
    const r = await resolveHeapFocus(client, 'h1', { root: 'nope' }, o);
    expect(r.root).toBeNull();
    expect(calls).toHaveLength(2);
  });

  it('never pages past 5000 roots', async () => {
    const { client, calls } = fakeClient({ roots: 100_000 });
    const r = await resolveHeapFocus(client, 'h1', { root: 'root-9000' }, o);
    expect(r.root).toBeNull();
    expect(calls).toHaveLength(10);
  });

  it('selects a given object by address, ignoring the site', async () => {
    const { client, calls } = fakeClient({ roots: 0, sites: [{ site: 3, label: 'main.fill' }] });
    const r = await resolveHeapFocus(client, 'h1', { object: '0xc000010000', allocSite: 'main.fill' }, o);
    expect(r.object).toEqual({ node: 77, address: '0xc000010000' });
    expect(calls.map((c) => c.method)).toEqual(['heapObject']);
  });

  it('selects the biggest object of a site, scoped to the root when one is found', async () => {
    const { client, calls } = fakeClient({
      roots: 3,
      sites: [{ site: 1, label: 'main.other' }, { site: 2, label: 'main.fill' }],
      objects: { 2: [{ node: 40, address: '0xc0000a0000', label: '0xc0000a0000' }] },
    });
    const r = await resolveHeapFocus(client, 'h1', { root: 'root-1', allocSite: 'main.fill' }, o);
    expect(r.siteFound).toBe(true);
    expect(r.object).toEqual({ node: 40, address: '0xc0000a0000' });
    const sites = calls.find((c) => c.method === 'heapAllocSites')!;
    expect(sites.req.scope).toEqual({ kind: 'retainedBy', node: 2 });
    const objs = calls.find((c) => c.method === 'heapObjects')!;
    expect(objs.req).toMatchObject({ scope: { kind: 'allocSite', site: 2 }, count: 1 });
  });

  it('looks in the whole reachable heap without a root, and falls back to the label for an address', async () => {
    const { client, calls } = fakeClient({ roots: 0, sites: [{ site: 5, label: 'main.fill' }], objects: { 5: [{ node: 9, address: null, label: '0xc000beef00' }] } });
    const r = await resolveHeapFocus(client, 'h1', { allocSite: 'main.fill' }, o);
    expect(calls.find((c) => c.method === 'heapAllocSites')!.req.scope).toEqual({ kind: 'reachable' });
    expect(r.object).toEqual({ node: 9, address: '0xc000beef00' });
  });

  it('reports an unknown site, and a known site without objects', async () => {
    const none = fakeClient({ roots: 0, sites: [{ site: 5, label: 'main.fill' }] });
    expect(await resolveHeapFocus(none.client, 'h1', { allocSite: 'main.other' }, o)).toEqual({ root: null, object: null, siteFound: false });
    expect(await resolveHeapFocus(none.client, 'h1', { allocSite: 'main.fill' }, o)).toEqual({ root: null, object: null, siteFound: true });
  });
});
