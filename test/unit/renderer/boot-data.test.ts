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
