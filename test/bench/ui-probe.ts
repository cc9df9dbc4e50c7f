/**
 * The in-page probe of the UI benchmark (ui.bench.ts), installed with `page.addInitScript` before
 * any of the app's scripts run. Everything it records is in the page's own clock
 * (`performance.now()`, event `timeStamp`s): no Playwright round trip is inside a measurement.
 *
 * - Long tasks: a buffered PerformanceObserver('longtask') keeps every main-thread task over 50 ms.
 * - Paints: `afterPaint(cb)` calls back just after the frame that shows the current DOM state has
 *   been rendered by the main thread (style, layout, paint recorded). Inside the rendering steps (a
 *   rAF callback, where d3's transitions write their frames) that is "after this frame", so a
 *   message posted now; in any other task it is "after the next frame", so a message posted from
 *   the next rAF. `requestAnimationFrame` is wrapped to know which (d3-timer binds it at import,
 *   after this script).
 * - Flame frames: a MutationObserver on each `[data-testid=flame-graph]` host records every
 *   rendered frame in which the chart's DOM changed ({first, last mutation, paint}); the first frame
 *   with a sized <rect> and the first with a label text are kept apart.
 * - Document: a childList/characterData observer notes when watched test ids first appear, when
 *   the flame match text changes, and the last time anything changed (for "settled").
 * - Input: click / input / change event timestamps (capture phase), the start of an interaction.
 *
 * Must stay self-contained (it is serialized into the page): no imports, no helpers from outside.
 */
import type { Page } from 'playwright-core';
export function installUiProbe(): void {
  type Seen = { at: number; paint: number };
  type FramePaint = { first: number; last: number; paint: number };
  interface Probe {
    longtasks: Array<{ start: number; duration: number }>;
    flame: FramePaint[];
    seen: Record<string, Seen>;
    matchText: Array<{ at: number; paint: number; text: string }>;
    events: Array<{ type: string; t: number; testid: string }>;
    lastDocMutation: number;
    lastFlameMutation: number;
    pendingPaints: number;
    /** React commits (through a minimal DevTools hook, which React calls in production builds too). */
    commits: number[];
    afterPaint(cb: (t: number) => void): void;
    reset(): void;
  }
  const w = window as unknown as { __hs?: Probe };
  if (w.__hs) return;

  // --- paint timing --------------------------------------------------------------------------
  const origRaf = window.requestAnimationFrame.bind(window);
  let inRendering = false;
  const endRendering = new MessageChannel();
  endRendering.port1.onmessage = () => {
    inRendering = false;
  };
  window.requestAnimationFrame = (cb: FrameRequestCallback): number =>
    origRaf((ts) => {
      if (!inRendering) {
        inRendering = true;
        endRendering.port2.postMessage(0); // delivered once this frame's rendering is done
      }
      cb(ts);
    });
  const afterPaint = (cb: (t: number) => void): void => {
    probe.pendingPaints++;
    const post = () => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        probe.pendingPaints--;
        cb(performance.now());
      };
      ch.port2.postMessage(0);
    };
    if (inRendering) post();
    else
      origRaf(() => {
        if (!inRendering) {
          inRendering = true;
          endRendering.port2.postMessage(0);
        }
        post();
      });
  };

  const probe: Probe = {
    longtasks: [],
    flame: [],
    seen: {},
    matchText: [],
    events: [],
    lastDocMutation: 0,
    lastFlameMutation: 0,
    pendingPaints: 0,
    commits: [],
    afterPaint,
    reset() {
      probe.commits = [];
      probe.flame = [];
      probe.seen = {};
      probe.matchText = [];
      probe.events = [];
    },
  };
  w.__hs = probe;

  // --- long tasks ----------------------------------------------------------------------------
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // not supported: the bench reports n/a
  }

  // --- React commits -------------------------------------------------------------------------
  const hookHost = window as unknown as { __REACT_DEVTOOLS_GLOBAL_HOOK__?: unknown };
  if (!hookHost.__REACT_DEVTOOLS_GLOBAL_HOOK__) {
    let nextId = 1;
    hookHost.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
      supportsFiber: true,
      renderers: new Map(),
      inject: () => nextId++,
      checkDCE: () => undefined,
      onCommitFiberRoot: () => {
        probe.commits.push(performance.now());
      },
      onCommitFiberUnmount: () => undefined,
      onPostCommitFiberRoot: () => undefined,
      onScheduleFiberRoot: () => undefined,
      setStrictMode: () => undefined,
    };
  }

  // --- interactions --------------------------------------------------------------------------
  for (const type of ['click', 'input', 'change']) {
    window.addEventListener(
      type,
      (e) => {
        const t = e.target as Element | null;
        probe.events.push({ type, t: e.timeStamp, testid: t?.closest?.('[data-testid]')?.getAttribute('data-testid') ?? '' });
      },
      { capture: true },
    );
  }

  // A bench may expose `__hsSeen(name)` (page.exposeBinding) to be told when a watched element's
  // frame has been painted, instead of polling the page (an evaluation in the page while it boots).
  const tell = (name: string) => {
    const cb = (window as unknown as { __hsSeen?: (name: string) => void }).__hsSeen;
    if (typeof cb === 'function') cb(name);
  };
  const see = (name: string, at: number) => {
    if (probe.seen[name]) return;
    const s: Seen = { at, paint: NaN };
    probe.seen[name] = s;
    afterPaint((t) => {
      s.paint = t;
      tell(name);
    });
  };

  // --- flame hosts ---------------------------------------------------------------------------
  let open: FramePaint | null = null;
  const onFlameMutation = (host: Element) => {
    const now = performance.now();
    probe.lastFlameMutation = now;
    if (open) open.last = now;
    else {
      const f: FramePaint = { first: now, last: now, paint: NaN };
      open = f;
      probe.flame.push(f);
      afterPaint((t) => {
        f.paint = t;
        if (open === f) open = null;
      });
    }
    if (!probe.seen['flame-rect'] && host.querySelector('svg rect[width]')) see('flame-rect', now);
    if (!probe.seen['flame-label']) {
      const labels = host.querySelectorAll('.d3-flame-graph-label');
      for (let i = 0; i < labels.length; i++) {
        if (labels[i]!.textContent) {
          see('flame-label', now);
          break;
        }
      }
    }
  };
  // The hover tooltip lives inside the host: showing or moving it is not a chart frame.
  const inTooltip = (n: Node | null): boolean => !!(n instanceof Element ? n : n?.parentElement)?.closest('.flame-tooltip');
  const isTooltip = (r: MutationRecord): boolean =>
    inTooltip(r.target) || (r.type === 'childList' && [...r.addedNodes, ...r.removedNodes].every((n) => n instanceof Element && n.classList.contains('flame-tooltip')));
  const hosts = new WeakSet<Element>();
  const attachHosts = () => {
    document.querySelectorAll('[data-testid=flame-graph]').forEach((host) => {
      if (hosts.has(host)) return;
      hosts.add(host);
      new MutationObserver((records) => {
        if (!records.every(isTooltip)) onFlameMutation(host);
      }).observe(host, { subtree: true, childList: true, attributes: true, characterData: true });
      // A chart drawn in the commit that inserted its host (a served page's first flame graph) was
      // drawn before this observer existed: that is a chart frame too.
      if (host.querySelector('svg')) onFlameMutation(host);
    });
  };

  // --- document ------------------------------------------------------------------------------
  const WATCH: Record<string, string> = {
    'item-row': '[data-testid=item-row]',
    'flame-graph': '[data-testid=flame-graph]',
    'flame-svg': '[data-testid=flame-graph] svg',
    'flame-breadcrumb': '[data-testid=flame-breadcrumb]',
    'start-screen': '[data-testid=start-screen]',
    'progress-bar': '[data-testid=progress-bar]',
    'heap-view': '[data-testid=heap-view]',
    'heap-stat-objects': '[data-testid=heap-stat-objects]',
    'dom-row': '[data-testid=dom-row]',
    'root-row': '[data-testid=root-row]',
    'object-inspector': '[data-testid=object-inspector]',
    'inspector-address': '[data-testid=inspector-address]',
  };
  let lastMatch = '';
  const onDoc = () => {
    const now = performance.now();
    probe.lastDocMutation = now;
    attachHosts();
    for (const [name, sel] of Object.entries(WATCH)) if (!probe.seen[name] && document.querySelector(sel)) see(name, now);
    if (!document.querySelector('[data-testid=flame-breadcrumb]') && probe.seen['flame-breadcrumb']) delete probe.seen['flame-breadcrumb'];
    const m = document.querySelector('[data-testid=flame-match]')?.textContent ?? '';
    if (m !== lastMatch) {
      lastMatch = m;
      const rec = { at: now, paint: NaN, text: m };
      probe.matchText.push(rec);
      afterPaint((t) => (rec.paint = t));
    }
  };
  const start = () => new MutationObserver(onDoc).observe(document, { subtree: true, childList: true, characterData: true });
  start();
}

/**
 * Before `page.goto`: a wait for the probe to tell (through the `__hsSeen` binding) that the first
 * flame frame is painted, so nothing is evaluated in the page while it boots (polling with
 * waitForFunction compiles and runs Playwright's injected script on its main thread, inside the
 * measurement). The returned function rejects after `timeoutMs` without a paint.
 */
export async function watchFirstFlamePaint(page: Page, timeoutMs = 60_000): Promise<() => Promise<void>> {
  let painted!: () => void;
  const flamePainted = new Promise<void>((resolve) => (painted = resolve));
  await page.exposeBinding('__hsSeen', (_source, name: unknown) => {
    if (name === 'flame-rect') painted();
  });
  return async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([flamePainted, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no flame graph painted in ${timeoutMs / 1000} s`)), timeoutMs)))]);
    } finally {
      clearTimeout(timer);
    }
  };
}
