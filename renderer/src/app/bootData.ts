/**
 * The first screen's data, as early as the page can have it.
 *
 * Served by `heapscope serve`, the page carries it inline (electron/services/boot-page.ts): the
 * workspace list and the app info in a `<script type="application/json" id="heapscope-boot">` data
 * block (`readInlineBoot`), and where to fetch the default item's flame graph (a boot resource the
 * response's headers already asked the browser to preload) with the query it answers. The shell's
 * first render then already shows the workspace and the profile view (`inlineWorkspace`); main.tsx
 * holds that render until the flame graph is in (`bootFlameSettled`, bounded), so the profile view's
 * first render holds it (`takeInlineFlame`) and its boxes are drawn in the page's first commit.
 *
 * Without it (Electron, or a reload after the page took the token out of its address), the calls go
 * out as soon as the bundle runs (main.tsx) instead of after React's first render and commit: the
 * workspace list and the app info travel while React renders the shell, and when the list arrives,
 * the flame graph the profile view will ask for first (the default item, default settings) is
 * requested at once too. The view's own call gets that answer if its query is exactly the same
 * (withBootPrefetch), else asks the API as usual. Each answer is handed out once; later calls (a
 * retry, a refresh) go to the API as usual.
 */
import { flameQueryKey, type ApiClient } from '../../../shared/api/contract';
import type { AppInfo, FlameQuery, FlameResult, LoadedItem } from '../../../shared/api/types';
import { DEFAULT_SETTINGS, sampleIndexFor, toProfileFilters } from '../profile/settings';
import { MIN_FRACTION } from '../profile/viewControls';
import { whenFlameDrawn } from '../flame/firstDraw';
import { pickDefault } from './pickDefault';

interface Boot {
  list: Promise<LoadedItem[]> | null;
  info: Promise<AppInfo> | null;
}

/** The data a served page carries (electron/services/boot-page.ts BootPayload). */
export interface InlineBoot {
  items: LoadedItem[];
  info: AppInfo;
  /** The default flame graph's query and where it is fetched (a boot resource: `/boot/<id>`). */
  flame?: { query: FlameQuery; url: string };
}

/** The id of the page's boot data element (electron/services/boot-page.ts BOOT_ELEMENT_ID). */
export const BOOT_ELEMENT_ID = 'heapscope-boot';

let boot: Boot | null = null;
let inline: InlineBoot | null = null;
let bootFlame: { req: FlameQuery; res: Promise<FlameResult>; value?: FlameResult } | null = null;
let inlineTaken: { key: string; value: FlameResult } | null = null;
/** The boot has a flame graph coming (the default item is a profile). */
let flameExpected = false;
/** The boot flame graph's settling (null: none is coming). */
let settled: Promise<void> | null = null;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The page's inline boot data, read once and taken out of the DOM; null when there is none or it is
 * not what the host writes (the page then asks the API).
 */
export function readInlineBoot(doc: Document): InlineBoot | null {
  const el = doc.getElementById(BOOT_ELEMENT_ID);
  if (!el || el.tagName !== 'SCRIPT' || el.getAttribute('type') !== 'application/json') return null;
  const text = el.textContent ?? '';
  el.remove();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(data) || data.v !== 1 || !Array.isArray(data.items) || !isObject(data.info)) return null;
  const out: InlineBoot = { items: data.items as LoadedItem[], info: data.info as unknown as AppInfo };
  const f = data.flame;
  if (isObject(f) && isObject(f.query) && typeof f.url === 'string' && BOOT_RESOURCE.test(f.url)) out.flame = { query: f.query as unknown as FlameQuery, url: f.url };
  return out;
}

/** A boot resource's path (electron/services/boot-page.ts BootResources): same origin, nothing else. */
const BOOT_RESOURCE = /^\/boot\/[\w-]{16,64}$/;

/**
 * The boot resource's flame graph (the request the page's response headers preloaded: a plain
 * same-origin GET, so the browser hands over that response); null when it has none to give.
 */
async function fetchBootFlame(url: string): Promise<FlameResult | null> {
  const r = await fetch(url, { credentials: 'same-origin' });
  if (!r.ok) return null;
  const data: unknown = await r.json();
  return isObject(data) && isObject(data.root) && isObject(data.sampleType) && typeof data.total === 'number' ? (data as unknown as FlameResult) : null;
}

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

/**
 * The default item's first flame graph: the boot resource when it answers that query (the API
 * when the resource has nothing after all), else a call now. Its value is kept once it is in.
 */
function prefetchFlame(client: ApiClient, items: LoadedItem[], given?: InlineBoot['flame']): void {
  const d = pickDefault(items);
  if (!d || d.kind !== 'profile') return;
  const req = defaultFlameQuery(d);
  const fromPage = given && flameQueryKey(given.query) === flameQueryKey(req) ? given.url : undefined;
  const res = fromPage ? fetchBootFlame(fromPage).then((r) => r ?? client.flameGraph(req), () => client.flameGraph(req)) : client.flameGraph(req);
  const entry: NonNullable<typeof bootFlame> = { req, res };
  bootFlame = entry;
  flameExpected = true;
  settled = res.then(
    (v) => {
      entry.value = v;
    },
    () => undefined,
  );
}

/**
 * Resolves once the boot flame graph is in (or failed), at most `maxMs` from now; at once when none
 * is coming. main.tsx renders after it: a first render that holds the flame graph draws its boxes in
 * the first commit, one without it waits for a second.
 */
export function bootFlameSettled(maxMs: number): Promise<void> {
  if (!settled) return Promise.resolve();
  return Promise.race([settled, new Promise<void>((resolve) => setTimeout(resolve, maxMs))]);
}

/** Starts the boot calls (once), or takes the page's inline data instead. */
export function startBootRequests(client: ApiClient, doc: Document | null = typeof document === 'undefined' ? null : document): void {
  if (boot) return;
  inline = doc ? readInlineBoot(doc) : null;
  if (inline) {
    boot = { list: null, info: null };
    prefetchFlame(client, inline.items, inline.flame);
    return;
  }
  const list = client.listItems({});
  const info = client.appInfo({});
  // Whoever takes them handles failures; until then a rejection is not "unhandled".
  list.catch(() => undefined);
  info.catch(() => undefined);
  boot = { list, info };
  list.then(
    (items) => prefetchFlame(client, items),
    () => undefined,
  );
}

/**
 * The workspace list and app info the page came with (for the shell's first render), or null when
 * they must be asked for (takeBootList / takeBootInfo). The same answer every time it is asked.
 */
export function inlineWorkspace(): { items: LoadedItem[]; info: AppInfo } | null {
  return inline ? { items: inline.items, info: inline.info } : null;
}

/**
 * The boot flame graph answer if `req` is exactly its query; the first flameGraph call takes (or
 * drops) it either way, so no later call ever sees an old answer.
 */
export function takeBootFlame(req: FlameQuery): Promise<FlameResult> | null {
  const b = bootFlame;
  bootFlame = null;
  return b && flameQueryKey(b.req) === flameQueryKey(req) ? b.res : null;
}

/**
 * The flame graph the page carried, itself (not a promise), when `req` is its query: the profile
 * view's first render then already holds it, and its boxes are drawn in the page's first commit.
 * The client's boot answer is dropped then (takeBootFlame hands it to no later call); asked again
 * for the same query (a state initializer run twice, the view mounted anew) it is the same answer.
 */
export function takeInlineFlame(req: FlameQuery): FlameResult | null {
  const key = flameQueryKey(req);
  if (inlineTaken?.key === key) return inlineTaken.value;
  const b = bootFlame;
  if (!b?.value || flameQueryKey(b.req) !== key) return null;
  bootFlame = null;
  inlineTaken = { key, value: b.value };
  return b.value;
}

/** Longest the first top table call waits for the first flame graph to be drawn. */
export const TOP_WAIT_MAX_MS = 2000;

/**
 * Resolves once the first flame graph is on screen: drawn (flame/firstDraw.ts), then the frame that
 * shows it painted; or after `maxMs` whatever happened.
 */
export function afterFirstFlamePaint(maxMs = TOP_WAIT_MAX_MS): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, maxMs);
    whenFlameDrawn(() =>
      // the frame with the boxes is rendered before the next animation frame's callbacks run
      requestAnimationFrame(() =>
        setTimeout(() => {
          clearTimeout(timer);
          resolve();
        }, 0),
      ),
    );
  });
}

/**
 * `client` with its first flameGraph call answered by the boot prefetch when the query matches,
 * and its first top table call sent once the first flame graph is on screen when the boot has one
 * coming (the answer, every function of the profile: ~1.5 MB for a 15k-function profile, is then
 * neither read, parsed nor laid out while the flame graph is drawn).
 */
export function withBootPrefetch(client: ApiClient): ApiClient {
  let firstTop = true;
  return {
    ...client,
    flameGraph: (req, opts) => takeBootFlame(req) ?? client.flameGraph(req, opts),
    top: (req, opts) => {
      const defer = firstTop && flameExpected;
      firstTop = false;
      return defer ? afterFirstFlamePaint().then(() => client.top(req, opts)) : client.top(req, opts);
    },
  };
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
