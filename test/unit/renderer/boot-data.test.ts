/**
 * app/bootData.ts: the first screen's calls go out once, at boot, and each answer is handed out
 * once (the shell's first load); every later load (retry, refresh) calls the API again.
 */
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../shared/api/contract';
import type { AppInfo, LoadedItem } from '../../../shared/api/types';

describe('boot requests', () => {
  it('sends listItems and appInfo once and hands each answer out once', async () => {
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
