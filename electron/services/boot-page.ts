/**
 * The page `heapscope serve` sends for `/?token=…`: renderer/index.html with the first screen's data
 * inline, so the bundle starts drawing without asking the API first (no workspace-list round trip
 * before the flame graph request, no flame graph request at all when the answer is inline).
 *
 * The data is one `<script type="application/json" id="heapscope-boot">` element before `</body>`:
 * a data block, never executed, so the strict CSP (`script-src 'self'`) still holds. Its text is
 * JSON with every `<`, `>`, `&` and U+2028/U+2029 written as a `\uXXXX` escape: no profile string
 * (function names, file names, comments are untrusted) can close the element or open a comment,
 * and JSON.parse of the element's text gives the strings back unchanged.
 *
 * Only a request carrying the run's token gets the data (the API's own rule); a page without it
 * (a reload after the page took the token out of its address) gets the plain file and asks the API.
 *
 * The renderer's side is renderer/src/app/bootData.ts (`readInlineBoot`); the two agree on the
 * element id, the payload shape and the default flame graph query (test/unit/app/boot-page.test.ts).
 */
import type { ApiHandlers, CallContext } from '../../shared/api/contract';
import type { AppInfo, FlameQuery, FlameResult, LoadedItem } from '../../shared/api/types';
import { dispatch } from './dispatch';

export const BOOT_ELEMENT_ID = 'heapscope-boot';

/** The flame graph's default pruning (the renderer's MIN_FRACTION). */
const DEFAULT_MIN_FRACTION = 0.0005;

/** How long the page waits for the default flame graph before it goes without (the page then asks). */
export const BOOT_FLAME_WAIT_MS = 250;

export interface BootPayload {
  v: 1;
  items: LoadedItem[];
  info: AppInfo;
  /** The default item's flame graph with the query it answers (absent: not a profile, or not ready). */
  flame?: { query: FlameQuery; result: FlameResult };
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
 * preload/style, with the tags' crossorigin mode (a preload that differs is fetched twice). Only
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
  }
  return links.length ? links.join(', ') : null;
}

function callContext(signal: AbortSignal): CallContext {
  return { callId: 'boot-page', signal, progress: () => undefined };
}

/**
 * The boot data from the API itself (the same handlers and validation an HTTP call goes through):
 * the workspace list, the app info, and the default flame graph if it comes within `flameWaitMs`
 * (the worker computes it when a profile loads, so it is normally ready; a busy worker leaves it out
 * and the page asks for it). Null when the list or the info cannot be had.
 */
export async function collectBootData(handlers: ApiHandlers, opts: { flameWaitMs?: number; signal?: AbortSignal } = {}): Promise<BootPayload | null> {
  const signal = opts.signal ?? new AbortController().signal;
  const [list, info] = await Promise.all([dispatch(handlers, 'listItems', {}, callContext(signal)), dispatch(handlers, 'appInfo', {}, callContext(signal))]);
  if (!list.ok || !info.ok) return null;
  const items = list.result as LoadedItem[];
  const payload: BootPayload = { v: 1, items, info: info.result as AppInfo };
  const query = bootFlameQuery(items);
  if (query) {
    // One that comes too late is left to finish (the worker keeps the answer for the page's own call).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), opts.flameWaitMs ?? BOOT_FLAME_WAIT_MS);
    });
    const flame = await Promise.race([dispatch(handlers, 'flameGraph', query, callContext(signal)), late]);
    clearTimeout(timer);
    if (flame?.ok) payload.flame = { query, result: flame.result as FlameResult };
  }
  return payload;
}
