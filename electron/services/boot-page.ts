/**
 * The page `heapscope serve` sends for `/?token=…`: renderer/index.html with the first screen's data
 * inline, so the bundle starts drawing without asking the API first (no workspace-list round trip
 * before the flame graph request).
 *
 * The data is one `<script type="application/json" id="heapscope-boot">` element before `</body>`:
 * a data block, never executed, so the strict CSP (`script-src 'self'`) still holds. Its text is
 * JSON with every `<`, `>`, `&` and U+2028/U+2029 written as a `\uXXXX` escape: no profile string
 * (function names, file names, comments are untrusted) can close the element or open a comment,
 * and JSON.parse of the element's text gives the strings back unchanged.
 *
 * The default flame graph is not in the page: it is a boot resource (`/boot/<id>`, `BootResources`)
 * named in the element and in the response's `Link` header (`rel=preload; as=fetch`), so the
 * browser fetches it beside the bundle. In the page it was most of the HTML (260 KB for a big
 * profile): parsing it held the page's main thread, and the bundle's request and arrival waited
 * (`npm run bench -- speed`). The id is unguessable and short-lived, and only the token's holder
 * is given it.
 *
 * Only a request carrying the run's token gets the data (the API's own rule); a page without it
 * (a reload after the page took the token out of its address) gets the plain file and asks the API.
 *
 * The renderer's side is renderer/src/app/bootData.ts (`readInlineBoot`); the two agree on the
 * element id, the payload shape and the default flame graph query (test/unit/app/boot-page.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { flameQueryKey, type ApiHandlers, type CallContext } from '../../shared/api/contract';
import type { AppInfo, FlameQuery, FlameResult, LoadedItem } from '../../shared/api/types';
import { dispatch } from './dispatch';

export const BOOT_ELEMENT_ID = 'heapscope-boot';

/** The flame graph's default pruning (the renderer's MIN_FRACTION). */
const DEFAULT_MIN_FRACTION = 0.0005;

export interface BootPayload {
  v: 1;
  items: LoadedItem[];
  info: AppInfo;
  /**
   * Where the default item's flame graph is fetched (a boot resource, also preloaded from the
   * response headers), with the query it answers; absent when the default item is not a profile.
   */
  flame?: { query: FlameQuery; url: string };
}

/**
 * The flame graph the renderer asks for first: the default item (the first heap profile, else the
 * first profile, else the first item: a heap dump or goroutine dump has none) with the default view
 * settings (its default sample type, functions, no filters, 0.05% pruning). The renderer only uses
 * the inline answer when its own query is exactly this one.
 */
export function bootFlameQuery(items: readonly LoadedItem[]): FlameQuery | null {
  const d = items.find((i) => i.kind === 'profile' && i.profileKind === 'heap') ?? items.find((i) => i.kind === 'profile') ?? items[0];
  if (!d || d.kind !== 'profile') return null;
  const si = d.defaultSampleIndex;
  const sampleIndex = si >= 0 && si < d.sampleTypes.length ? si : Math.max(0, d.sampleTypes.length - 1);
  return { handle: d.handle, sampleIndex, granularity: 'functions', minFraction: DEFAULT_MIN_FRACTION };
}

/** JSON safe inside a `<script type="application/json">` element (see the file comment). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The element that carries `payload`. */
export function bootElement(payload: BootPayload): string {
  return `<script type="application/json" id="${BOOT_ELEMENT_ID}">${scriptJson(payload)}</script>`;
}

/** `html` cut where the boot element goes (before `</body>`, else at the end): what can be sent at once, and the rest. */
export function splitPage(html: string): [string, string] {
  const at = html.lastIndexOf('</body>');
  return at < 0 ? [html, ''] : [html.slice(0, at), html.slice(at)];
}

/**
 * A `Link` header that asks for the page's bundle, its preloaded chunks and its stylesheet as soon
 * as the response headers arrive: the browser then fetches and parses them while it sets up the
 * document and parses the HTML, not after its parser reaches the tags. From the page's own head
 * (our built index.html): module scripts and modulepreloads as modulepreload, stylesheets as
 * preload/style, font preloads as preload/font, with the tags' crossorigin mode (a preload that
 * differs is fetched twice; a font is always fetched in CORS mode). Only
 * same-origin relative URLs (`./…` or `/…`) are listed; null when there is none.
 */
export function preloadLinks(head: string): string | null {
  const links: string[] = [];
  const attr = (tag: string, name: string): string | null => {
    const m = new RegExp(`\\s${name}(?:\\s*=\\s*"([^"]*)")?(?=[\\s>/])`, 'i').exec(tag);
    return m ? m[1] ?? '' : null;
  };
  const local = (u: string | null): string | null => {
    if (!u || !/^\.?\/[\w./-]+$/.test(u) || u.includes('..')) return null;
    return u.startsWith('./') ? u.slice(1) : u;
  };
  for (const [tag] of head.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    const cors = attr(tag, 'crossorigin') !== null ? '; crossorigin' : '';
    if (/^<script/i.test(tag)) {
      const src = local(attr(tag, 'src'));
      if (src && attr(tag, 'type') === 'module') links.push(`<${src}>; rel=modulepreload${cors}`);
      continue;
    }
    const rel = attr(tag, 'rel');
    const href = local(attr(tag, 'href'));
    if (!href) continue;
    if (rel === 'modulepreload') links.push(`<${href}>; rel=modulepreload${cors}`);
    else if (rel === 'stylesheet') links.push(`<${href}>; rel=preload; as=style${cors}`);
    else if (rel === 'preload' && attr(tag, 'as') === 'font') {
      const type = attr(tag, 'type');
      links.push(`<${href}>; rel=preload; as=font${type && /^font\/[\w.+-]+$/.test(type) ? `; type="${type}"` : ''}${cors}`);
    }
  }
  return links.length ? links.join(', ') : null;
}

function callContext(signal: AbortSignal): CallContext {
  return { callId: 'boot-page', signal, progress: () => undefined };
}

/** The boot data, and the default flame graph's query and call (null: the default item is not a profile). */
export interface BootData {
  payload: BootPayload;
  flame: { query: FlameQuery; fetch(): Promise<FlameResult | null> } | null;
}

/**
 * The boot data from the API itself (the same handlers and validation an HTTP call goes through):
 * the workspace list and the app info, and the default flame graph's query with its call (its answer,
 * null when the call fails, is for `BootResources`; the page asks the API after a null). Null when
 * the list or the info cannot be had.
 */
export async function collectBootData(handlers: ApiHandlers, opts: { signal?: AbortSignal } = {}): Promise<BootData | null> {
  const signal = opts.signal ?? new AbortController().signal;
  const [list, info] = await Promise.all([dispatch(handlers, 'listItems', {}, callContext(signal)), dispatch(handlers, 'appInfo', {}, callContext(signal))]);
  if (!list.ok || !info.ok) return null;
  const items = list.result as LoadedItem[];
  const payload: BootPayload = { v: 1, items, info: info.result as AppInfo };
  const query = bootFlameQuery(items);
  if (!query) return { payload, flame: null };
  // Not the page request's signal: the page is answered long before the flame graph is fetched.
  const fetch = () =>
    dispatch(handlers, 'flameGraph', query, callContext(new AbortController().signal)).then(
      (r) => (r.ok ? (r.result as FlameResult) : null),
      () => null,
    );
  return { payload, flame: { query, fetch } };
}

/** Where boot resources are served: `/boot/<id>`. */
export const BOOT_RESOURCE_PREFIX = '/boot/';

/**
 * The boot resources of pages recently sent: each a JSON answer kept under an unguessable id
 * (144 random bits) for `ttlMs`, the newest `max` of them. The page fetches its own once (or twice,
 * if the browser did not match the preload); a later page gets new ones.
 */
export class BootResources {
  private readonly entries = new Map<string, { json: Promise<string | null>; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly max = 16,
  ) {}

  /** Keeps `json` (null: nothing to give after all) and returns the path it is served at. */
  add(json: Promise<string | null>): string {
    json.catch(() => undefined);
    const id = randomBytes(18).toString('base64url');
    const timer = setTimeout(() => this.entries.delete(id), this.ttlMs);
    timer.unref?.();
    this.entries.set(id, { json, timer });
    for (const [old, e] of this.entries) {
      if (this.entries.size <= this.max) break;
      clearTimeout(e.timer);
      this.entries.delete(old);
    }
    return BOOT_RESOURCE_PREFIX + id;
  }

  private readonly flames = new Map<string, Promise<string | null>>();

  /**
   * The default flame graph's JSON for `query`, made once: a loaded item never changes under its
   * handle, so every page of the same workspace is sent the same text, and the server's event loop
   * (which also sends the page's bundle) does not take the worker's answer apart and write it out
   * again for each page. A failed one (null) is not kept. The last 4 queries are kept.
   */
  flameJson(query: FlameQuery, make: () => Promise<string | null>): Promise<string | null> {
    const key = flameQueryKey(query);
    const kept = this.flames.get(key);
    if (kept) return kept;
    const json = make();
    this.flames.set(key, json);
    json.then(
      (j) => {
        if (j === null && this.flames.get(key) === json) this.flames.delete(key);
      },
      () => this.flames.delete(key),
    );
    while (this.flames.size > 4) this.flames.delete(this.flames.keys().next().value!);
    return json;
  }

  /** The JSON kept at `path`; null when there is none (never was, or expired). */
  get(path: string): Promise<string | null> | null {
    if (!path.startsWith(BOOT_RESOURCE_PREFIX)) return null;
    return this.entries.get(path.slice(BOOT_RESOURCE_PREFIX.length))?.json ?? null;
  }
}

/** The default flame graph's JSON, made once per query (`BootResources.flameJson`). */
function defaultFlameJson(resources: BootResources, flame: NonNullable<BootData['flame']>): Promise<string | null> {
  return resources.flameJson(flame.query, () => flame.fetch().then((r) => (r ? JSON.stringify(r) : null)));
}

/**
 * The token holder's page: its boot element, and the boot resources it names (to preload). The
 * default flame graph is kept in `resources` as JSON.
 */
export async function bootPage(handlers: ApiHandlers, resources: BootResources, signal: AbortSignal): Promise<{ element: string; preload: string[] } | null> {
  const data = await collectBootData(handlers, { signal });
  if (!data) return null;
  if (!data.flame) return { element: bootElement(data.payload), preload: [] };
  const url = resources.add(defaultFlameJson(resources, data.flame));
  return { element: bootElement({ ...data.payload, flame: { query: data.flame.query, url } }), preload: [url] };
}

/** Makes the default flame graph's JSON now (after the files given at startup loaded), for the first page. */
export async function warmBootPage(handlers: ApiHandlers, resources: BootResources): Promise<void> {
  const data = await collectBootData(handlers);
  if (data?.flame) await defaultFlameJson(resources, data.flame);
}
