/**
 * The first screen's API calls, sent as soon as the bundle runs (main.tsx) instead of after React's
 * first render and commit: the workspace list and the app info travel while React renders the
 * shell, so the profile view (and its flame graph request) mounts one round trip and one render
 * earlier. When the list arrives, the flame graph the profile view will ask for first (the default
 * item, default settings) is requested at once too, while React renders; the view's own call gets
 * that answer if its query is exactly the same (withBootPrefetch), else asks the API as usual.
 * Each answer is handed out once; later calls (a retry, a refresh) go to the API as usual.
 */
import type { ApiClient } from '../../../shared/api/contract';
import type { AppInfo, FlameQuery, FlameResult, LoadedItem } from '../../../shared/api/types';
import { DEFAULT_SETTINGS, sampleIndexFor, toProfileFilters } from '../profile/settings';
import { MIN_FRACTION } from '../profile/viewControls';
import { pickDefault } from './pickDefault';

interface Boot {
  list: Promise<LoadedItem[]> | null;
  info: Promise<AppInfo> | null;
}

let boot: Boot | null = null;
let bootFlame: { req: FlameQuery; res: Promise<FlameResult> } | null = null;

/** The flame graph query the profile view makes first for `item` with the default settings. */
export function defaultFlameQuery(item: LoadedItem): FlameQuery {
  const filters = toProfileFilters(DEFAULT_SETTINGS.filters);
  return {
    handle: item.handle,
    sampleIndex: sampleIndexFor(item, DEFAULT_SETTINGS),
    granularity: DEFAULT_SETTINGS.granularity,
    ...(filters ? { filters } : {}),
    minFraction: MIN_FRACTION,
  };
}

function canonical(q: FlameQuery): string {
  const o = q as unknown as Record<string, unknown>;
  return JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
}

/** Starts the boot calls (once). */
export function startBootRequests(client: ApiClient): void {
  if (boot) return;
  const list = client.listItems({});
  const info = client.appInfo({});
  // Whoever takes them handles failures; until then a rejection is not "unhandled".
  list.catch(() => undefined);
  info.catch(() => undefined);
  boot = { list, info };
  list.then(
    (items) => {
      const d = pickDefault(items);
      if (!d || d.kind !== 'profile') return;
      const req = defaultFlameQuery(d);
      const res = client.flameGraph(req);
      res.catch(() => undefined);
      bootFlame = { req, res };
    },
    () => undefined,
  );
}

/**
 * The boot flame graph answer if `req` is exactly its query; the first flameGraph call takes (or
 * drops) it either way, so no later call ever sees an old answer.
 */
export function takeBootFlame(req: FlameQuery): Promise<FlameResult> | null {
  const b = bootFlame;
  bootFlame = null;
  return b && canonical(b.req) === canonical(req) ? b.res : null;
}

/** `client` with its first flameGraph call answered by the boot prefetch when the query matches. */
export function withBootPrefetch(client: ApiClient): ApiClient {
  return { ...client, flameGraph: (req, opts) => takeBootFlame(req) ?? client.flameGraph(req, opts) };
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
