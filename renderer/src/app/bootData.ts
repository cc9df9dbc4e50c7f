/**
 * The first screen's API calls, sent as soon as the bundle runs (main.tsx) instead of after React's
 * first render and commit: the workspace list and the app info travel while React renders the
 * shell, so the profile view (and its flame graph request) mounts one round trip and one render
 * earlier. Each answer is handed out once; later calls (a retry, a refresh) go to the API as usual.
 */
import type { ApiClient } from '../../../shared/api/contract';
import type { AppInfo, LoadedItem } from '../../../shared/api/types';

interface Boot {
  list: Promise<LoadedItem[]> | null;
  info: Promise<AppInfo> | null;
}

let boot: Boot | null = null;

/** Starts the boot calls (once). */
export function startBootRequests(client: ApiClient): void {
  if (boot) return;
  const list = client.listItems({});
  const info = client.appInfo({});
  // Whoever takes them handles failures; until then a rejection is not "unhandled".
  list.catch(() => undefined);
  info.catch(() => undefined);
  boot = { list, info };
}

/** The boot workspace list, the first time it is asked for; null after (or without a boot call). */
export function takeBootList(): Promise<LoadedItem[]> | null {
  const p = boot?.list ?? null;
  if (boot) boot.list = null;
  return p;
}

/** The boot app info, the first time it is asked for; null after (or without a boot call). */
export function takeBootInfo(): Promise<AppInfo> | null {
  const p = boot?.info ?? null;
  if (boot) boot.info = null;
  return p;
}
