/**
 * app/bootData.ts: the first screen's calls go out once, at boot, and each answer is handed out
 * once (the shell's first load); every later load (retry, refresh) calls the API again.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../../shared/api/contract';
import type { AppInfo, LoadedItem } from '../../../shared/api/types';
import { heapDumpItem, profileItem } from './items';

describe('boot requests', () => {
  it('sends listItems and appInfo once and hands each answer out once', async () => {
    vi.resetModules();
    const { startBootRequests, takeBootInfo, takeBootList } = await import('../../../renderer/src/app/bootData');
    expect(takeBootList()).toBeNull(); // nothing started yet
    const calls: string[] = [];
    const list = [{ handle: 'h1' }] as unknown as LoadedItem[];
    const info = { version: 'x' } as unknown as AppInfo;
    const client = {
      listItems: async () => (calls.push('listItems'), list),
      appInfo: async () => (calls.push('appInfo'), info),
    } as unknown as ApiClient;
    startBootRequests(client);
    startBootRequests(client); // a second start is a no-op
    expect(calls).toEqual(['listItems', 'appInfo']);
    const l = takeBootList();
    expect(l).not.toBeNull();
    await expect(l!).resolves.toBe(list);
    expect(takeBootList()).toBeNull();
    await expect(takeBootInfo()!).resolves.toBe(info);
    expect(takeBootInfo()).toBeNull();
  });
});

async function freshBoot() {
  vi.resetModules();
  return import('../../../renderer/src/app/bootData');
}

function fakeClient(items: LoadedItem[]) {
  const flames: unknown[] = [];
  let n = 0;
  const client = {
    listItems: async () => items,
    appInfo: async () => ({}) as AppInfo,
    flameGraph: async (req: unknown) => (flames.push(req), { answer: ++n }),
  } as unknown as ApiClient;
  return { client, flames };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('boot flame graph prefetch', () => {
  it("asks for the default item's flame graph as the list arrives; the view's same query gets that answer, once", async () => {
    const { defaultFlameQuery, startBootRequests, withBootPrefetch } = await freshBoot();
    const heap = profileItem('heap-1.pb.gz', 'heap');
    const { client, flames } = fakeClient([profileItem('cpu.pb.gz', 'cpu'), heap]);
    startBootRequests(client);
    await settle();
    const q = defaultFlameQuery(heap); // pickDefault: the heap profile
    expect(q).toEqual({ handle: heap.handle, sampleIndex: expect.any(Number), granularity: 'functions', minFraction: 0.0005 });
    expect(flames).toEqual([q]);
    const c = withBootPrefetch(client);
    // the view builds its query in its own key order: still the same query
    await expect(c.flameGraph({ minFraction: q.minFraction!, granularity: q.granularity!, sampleIndex: q.sampleIndex!, handle: q.handle })).resolves.toEqual({ answer: 1 });
    expect(flames.length).toBe(1);
    await expect(c.flameGraph(q)).resolves.toEqual({ answer: 2 }); // later calls ask the API
    expect(flames.length).toBe(2);
  });

  it('a different first query asks the API and drops the prefetched answer', async () => {
    const { defaultFlameQuery, startBootRequests, withBootPrefetch } = await freshBoot();
    const heap = profileItem('heap-1.pb.gz', 'heap');
    const { client, flames } = fakeClient([heap]);
    startBootRequests(client);
    await settle();
    const c = withBootPrefetch(client);
    const q = defaultFlameQuery(heap);
    await expect(c.flameGraph({ ...q, granularity: 'lines' })).resolves.toEqual({ answer: 2 });
    await expect(c.flameGraph(q)).resolves.toEqual({ answer: 3 });
    expect(flames.length).toBe(3);
  });

  it('prefetches nothing when the default item is not a profile, or the list is empty', async () => {
    for (const items of [[heapDumpItem('dump-1')], []]) {
      const { startBootRequests } = await freshBoot();
      const { client, flames } = fakeClient(items);
      startBootRequests(client);
      await settle();
      expect(flames).toEqual([]);
    }
  });
});

describe('boot from the page', () => {
  function inlineDoc(data: unknown) {
    let gone = false;
    const el = { tagName: 'SCRIPT', getAttribute: () => 'application/json', textContent: JSON.stringify(data), remove: () => (gone = true) };
    return { getElementById: (id: string) => (id === 'heapscope-boot' && !gone ? el : null) } as unknown as Document;
  }

  const URL = '/boot/0123456789abcdef_-XYZ01';
  const FLAME = { sampleType: { type: 'inuse_space', unit: 'bytes' }, total: 5, root: { name: 'root', value: 5, self: 0, children: [] } };
  /** `fetch` answering the boot resource with `body` (a JSON text) and `status`, and counting the requests. */
  function stubFetch(answer: () => Promise<{ status: number; body: string }>): string[] {
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      asked.push(url);
      const { status, body } = await answer();
      return { ok: status >= 200 && status < 300, status, json: async () => JSON.parse(body) as unknown };
    });
    return asked;
  }
  function apiClient(calls: string[], info: unknown = {}): ApiClient {
    return {
      listItems: async () => (calls.push('listItems'), []),
      appInfo: async () => (calls.push('appInfo'), info),
      flameGraph: async () => (calls.push('flameGraph'), { answer: 'api' }),
    } as unknown as ApiClient;
  }

  /** A page naming its flame graph's boot resource for a heap profile: the boot started from it. */
  function bootFromResource(boot: Awaited<ReturnType<typeof freshBoot>>, calls: string[]) {
    const heap = profileItem('heap-1.pb.gz', 'heap');
    const client = apiClient(calls);
    boot.startBootRequests(client, inlineDoc({ v: 1, items: [heap], info: {}, flame: { query: boot.defaultFlameQuery(heap), url: URL } }));
    return { heap, client };
  }

  it("takes the inline workspace, and the flame graph from the page's boot resource instead of calling the API", async () => {
    const { defaultFlameQuery, inlineWorkspace, startBootRequests, takeBootList, withBootPrefetch } = await freshBoot();
    const asked = stubFetch(async () => ({ status: 200, body: JSON.stringify(FLAME) }));
    try {
      const heap = profileItem('heap-1.pb.gz', 'heap');
      const info = { version: '9' } as unknown as AppInfo;
      const calls: string[] = [];
      const client = apiClient(calls, info);
      startBootRequests(client, inlineDoc({ v: 1, items: [heap], info, flame: { query: defaultFlameQuery(heap), url: URL } }));
      expect(inlineWorkspace()).toEqual({ items: [heap], info });
      expect(takeBootList()).toBeNull();
      await expect(withBootPrefetch(client).flameGraph(defaultFlameQuery(heap))).resolves.toEqual(FLAME);
      expect(calls).toEqual([]);
      expect(asked).toEqual([URL]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("hands the fetched flame graph itself to the first render, once it is in, for its query (the same again); the client's call then asks the API", async () => {
    const boot = await freshBoot();
    const { bootFlameSettled, defaultFlameQuery, takeInlineFlame, withBootPrefetch } = boot;
    stubFetch(async () => ({ status: 200, body: JSON.stringify(FLAME) }));
    try {
      const calls: string[] = [];
      const { heap, client } = bootFromResource(boot, calls);
      await bootFlameSettled(5000);
      expect(takeInlineFlame({ ...defaultFlameQuery(heap), granularity: 'lines' })).toBeNull();
      const q = defaultFlameQuery(heap);
      // keys in another order are the same query
      const reordered = Object.fromEntries(Object.entries(q).reverse()) as typeof q;
      expect(takeInlineFlame(reordered)).toEqual(FLAME);
      expect(takeInlineFlame(q)).toEqual(FLAME); // a state initializer run twice
      await expect(withBootPrefetch(client).flameGraph(q)).resolves.toEqual({ answer: 'api' });
      expect(calls).toEqual(['flameGraph']);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('asks the API when the boot resource has nothing to give: null, an error status, a broken or foreign answer, a failed fetch', async () => {
    const answers: Array<() => Promise<{ status: number; body: string }>> = [
      async () => ({ status: 200, body: 'null' }),
      async () => ({ status: 404, body: '{"ok":false}' }),
      async () => ({ status: 200, body: '{"root":' }),
      async () => ({ status: 200, body: '{"root":{},"total":"5"}' }),
      () => Promise.reject(new TypeError('Failed to fetch')),
    ];
    for (const answer of answers) {
      const boot = await freshBoot();
      const { bootFlameSettled, defaultFlameQuery, takeInlineFlame } = boot;
      stubFetch(answer);
      try {
        const calls: string[] = [];
        const { heap } = bootFromResource(boot, calls);
        await bootFlameSettled(5000);
        expect(calls).toEqual(['flameGraph']);
        expect(takeInlineFlame(defaultFlameQuery(heap))).toEqual({ answer: 'api' });
      } finally {
        vi.unstubAllGlobals();
      }
    }
  });

  it("waits at most its bound for a slow boot resource: the first render holds none, and the view's call gets the answer when it comes", async () => {
    const boot = await freshBoot();
    const { bootFlameSettled, defaultFlameQuery, takeInlineFlame, withBootPrefetch } = boot;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    stubFetch(async () => (await released, { status: 200, body: JSON.stringify(FLAME) }));
    try {
      const calls: string[] = [];
      const { heap, client } = bootFromResource(boot, calls);
      const t0 = Date.now();
      await bootFlameSettled(30);
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(takeInlineFlame(defaultFlameQuery(heap))).toBeNull();
      const answer = withBootPrefetch(client).flameGraph(defaultFlameQuery(heap));
      release();
      await expect(answer).resolves.toEqual(FLAME);
      expect(calls).toEqual([]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('settles at once when no flame graph is coming (no inline one, a heap dump first)', async () => {
    const { bootFlameSettled, startBootRequests } = await freshBoot();
    const calls: string[] = [];
    startBootRequests(apiClient(calls), inlineDoc({ v: 1, items: [heapDumpItem('dump')], info: {} }));
    const t0 = Date.now();
    await bootFlameSettled(5000);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(calls).toEqual([]);
  });

  it('hands no flame graph to the first render when the page carried none for that query', async () => {
    const { defaultFlameQuery, startBootRequests, takeInlineFlame } = await freshBoot();
    const heap = profileItem('heap-1.pb.gz', 'heap');
    const { client } = fakeClient([heap]);
    startBootRequests(client, inlineDoc({ v: 1, items: [heap], info: {} }));
    expect(takeInlineFlame(defaultFlameQuery(heap))).toBeNull();
  });

  it('asks for the flame graph (and fetches no boot resource) when the inline one answers another query', async () => {
    const { defaultFlameQuery, startBootRequests, withBootPrefetch } = await freshBoot();
    const asked = stubFetch(async () => ({ status: 200, body: JSON.stringify(FLAME) }));
    try {
      const heap = profileItem('heap-1.pb.gz', 'heap');
      const { client, flames } = fakeClient([heap]);
      startBootRequests(client, inlineDoc({ v: 1, items: [heap], info: {}, flame: { query: { ...defaultFlameQuery(heap), granularity: 'lines' }, url: URL } }));
      expect(flames).toEqual([defaultFlameQuery(heap)]);
      await expect(withBootPrefetch(client).flameGraph(defaultFlameQuery(heap))).resolves.toEqual({ answer: 1 });
      expect(asked).toEqual([]);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('the first top table call', () => {
  it('waits for the first flame graph to be drawn and its frame painted; later calls do not wait', async () => {
    vi.resetModules();
    const g = globalThis as unknown as { requestAnimationFrame?: (cb: () => void) => number };
    const hadRaf = g.requestAnimationFrame;
    g.requestAnimationFrame = (cb) => setTimeout(cb, 0) as unknown as number;
    try {
      const { startBootRequests, withBootPrefetch } = await import('../../../renderer/src/app/bootData');
      const { noteFlameDrawn } = await import('../../../renderer/src/flame/firstDraw');
      const heap = profileItem('heap-1.pb.gz', 'heap');
      const tops: unknown[] = [];
      const { client } = fakeClient([heap]);
      const c0 = { ...client, top: async (req: unknown) => (tops.push(req), { rows: [] }) } as unknown as ApiClient;
      startBootRequests(c0);
      await settle(); // the list arrived: a flame graph is coming
      const c = withBootPrefetch(c0);
      const first = c.top({ handle: heap.handle });
      await new Promise((r) => setTimeout(r, 30));
      expect(tops).toEqual([]); // not before the flame graph is drawn
      noteFlameDrawn();
      await first;
      expect(tops.length).toBe(1);
      await c.top({ handle: heap.handle });
      expect(tops.length).toBe(2);
    } finally {
      g.requestAnimationFrame = hadRaf;
    }
  });

  it('does not wait when no flame graph is coming', async () => {
    const { startBootRequests, withBootPrefetch } = await freshBoot();
    const tops: unknown[] = [];
    const { client } = fakeClient([heapDumpItem('dump-1')]);
    const c0 = { ...client, top: async (req: unknown) => (tops.push(req), { rows: [] }) } as unknown as ApiClient;
    startBootRequests(c0);
    await settle();
    await withBootPrefetch(c0).top({ handle: 'x' });
    expect(tops.length).toBe(1);
  });
});
