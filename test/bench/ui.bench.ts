/**
 * UI benchmark (issue 7): the renderer served by `heapscope serve`, in headless Chromium at
 * 1400×900, timed inside the page (ui-probe.ts: long tasks, rendered frames, event timestamps), so
 * no Playwright round trip is inside a measurement. Medians after a warm-up: 5 runs per profile
 * measurement, 3 for the heap dump (BENCH_RUNS sets both, at least 3).
 *
 * Big profile: the synthetic CPU profile (synthetic-profile.ts: 20k samples, 23k locations, a
 * ~430k-node call tree) opened from the command line (`serve FILE --no-demo`).
 *   first paint   a click on the item in the sidebar (selection) → the first rendered frame with
 *                 sized boxes; split into the flameGraph call (request → response: the analysis
 *                 worker) and the draw (response → painted). Also from navigation (a fresh page:
 *                 time origin → the same frame), with the page boot before the call shown apart.
 *                 Engine side: computeFlame in-process, for reference.
 *   zoom          click the widest frame under the root → the first rendered frame of the zoom, and
 *                 the frame that shows its final state (the chart's last DOM write); then reset.
 *   search        type a term into the flame search → the frame with the highlights and the
 *                 matched total painted; then clear it.
 * Baseline: the same on test/fixtures/out/go1.19/leakyapp/heap-3.pb.gz (small; its zoom is animated by
 *   design, so its final state is reported, not judged).
 * Heap dump: test/fixtures/big/bigheap.dump (~2M objects) uploaded through the file input: the
 *   longest renderer main-thread task, and the count over 50 / 100 ms, while it is analysed (upload
 *   + worker analysis, until the heap view mounts) and during the heap view's first render (until
 *   the document has been quiet for 1 s); main-thread busy time (CDP TaskDuration) over both.
 * Targets: first paint ≤ 300 ms, zoom and search ≤ 100 ms, no main-thread task over 100 ms. A miss
 *   is printed with its measured cause.
 *
 * Run: npm run bench -- ui   (builds dist/ first; needs /usr/bin/chromium or HEAPSCOPE_CHROMIUM).
 * Env: BENCH_RUNS, HEAPSCOPE_BENCH_DUMP (heap dump path), BENCH_UI_ONLY=profiles|heap,
 *   BENCH_UI_DEBUG=1 (per-run values), BENCH_UI_CPUPROFILE=DIR (a DevTools CPU profile of each
 *   measured interaction), BENCH_UI_TRACE=DIR (a DevTools Performance trace of each instead).
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { computeFlame, computeTop, encodeProfile } from '../../shared/profile';
import { startServe, type ServeProc } from '../helpers/serve';
import { installUiProbe, watchFirstFlamePaint } from './ui-probe';
import { BIG_CPU_SHAPE, syntheticCpuProfile } from './synthetic-profile';

const ROOT = findRoot();
/** Runs per measurement: 5 for the profile measurements (cheap, noisy), 3 for the heap dump (~5 s each). */
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 5));
const HEAP_RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));
const CHROMIUM = process.env.HEAPSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const WORK = join(tmpdir(), 'heapscope-bench');
const VIEWPORT = { width: 1400, height: 900 };
const MIN_FRACTION = 0.0005; // renderer/src/profile/ProfileView.tsx MIN_FRACTION
const CPUPROFILE_DIR = process.env.BENCH_UI_CPUPROFILE;
const TRACE_DIR = process.env.BENCH_UI_TRACE;
const ONLY = process.env.BENCH_UI_ONLY ?? '';
const TARGET = { firstPaint: 300, interaction: 100, longTask: 100 };
mkdirSync(WORK, { recursive: true });

function findRoot(): string {
  let d = process.cwd();
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(d, 'bin', 'heapscope.js')) && existsSync(join(d, 'shared'))) return d;
    d = resolve(d, '..');
  }
  return process.cwd();
}

// ---------------------------------------------------------------------------------------------
// small helpers

function median(xs: number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
}
const max = (xs: number[]): number => (xs.length ? Math.max(...xs) : 0);
const fmtMs = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : 'n/a');
const fmtMB = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MB`;

function table(headers: string[], rows: string[][]): string {
  const w = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(headers), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

interface ProbeState {
  longtasks: Array<{ start: number; duration: number }>;
  flame: Array<{ first: number; last: number; paint: number }>;
  seen: Record<string, { at: number; paint: number }>;
  matchText: Array<{ at: number; paint: number; text: string }>;
  events: Array<{ type: string; t: number; testid: string }>;
  lastDocMutation: number;
  lastFlameMutation: number;
  pendingPaints: number;
  commits: number[];
}

async function probe(page: Page): Promise<ProbeState> {
  return page.evaluate(() => {
    const p = (window as unknown as { __hs: ProbeState & { afterPaint: unknown; reset: unknown } }).__hs;
    return JSON.parse(JSON.stringify({ ...p, afterPaint: undefined, reset: undefined })) as ProbeState;
  });
}

async function resetProbe(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { __hs: { reset(): void } }).__hs.reset());
}

/** Wait until the flame chart has not changed for `quietMs` (transitions done) and every paint callback ran. */
async function waitFlameSettled(page: Page, quietMs = 500, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    (q) => {
      const p = (window as unknown as { __hs: ProbeState }).__hs;
      return p.seen['flame-label'] !== undefined && p.pendingPaints === 0 && performance.now() - p.lastFlameMutation > q;
    },
    quietMs,
    { timeout, polling: 50 },
  );
}

/** Wait until nothing in the document changed for `quietMs`. */
async function waitDocSettled(page: Page, quietMs: number, timeout = 120_000): Promise<void> {
  await page.waitForFunction(
    (q) => {
      const p = (window as unknown as { __hs: ProbeState }).__hs;
      return p.pendingPaints === 0 && performance.now() - Math.max(p.lastDocMutation, p.lastFlameMutation) > q;
    },
    quietMs,
    { timeout, polling: 100 },
  );
}

interface TaskStats {
  longest: number;
  over50: number;
  over100: number;
}

function tasksIn(p: ProbeState, from: number, to: number): TaskStats {
  const ts = p.longtasks.filter((t) => t.start + t.duration > from && t.start < to).map((t) => t.duration);
  return { longest: max(ts), over50: ts.length, over100: ts.filter((d) => d > 100).length };
}

function lastEvent(p: ProbeState, type: string, testid?: string): number {
  const e = p.events.filter((x) => x.type === type && (testid === undefined || x.testid === testid));
  return e.length ? e[e.length - 1]!.t : NaN;
}

/** Longest gap between rendered flame frames in [from, to]: the worst frame of an animation. */
function worstFrameGap(p: ProbeState, from: number, to: number): number {
  const ts = [from, ...p.flame.map((f) => f.paint).filter((t) => t >= from && t <= to)];
  let worst = 0;
  for (let i = 1; i < ts.length; i++) worst = Math.max(worst, ts[i]! - ts[i - 1]!);
  return worst;
}

async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  page.on('pageerror', (e) => console.log(`  (page error: ${e.message})`));
  await page.addInitScript(installUiProbe);
  return page;
}

async function flameWidth(page: Page): Promise<number> {
  return page.evaluate(() => Math.round(document.querySelector('[data-testid=flame-graph] svg')?.getBoundingClientRect().width ?? NaN));
}

async function flameBoxes(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelectorAll('[data-testid=flame-graph] svg g.frame').length);
}

/**
 * Optional diagnostics of one interaction: a DevTools CPU profile (BENCH_UI_CPUPROFILE=DIR) or a
 * Performance-panel trace (BENCH_UI_TRACE=DIR; open it in DevTools › Performance).
 */
async function withDiagnostics<T>(page: Page, name: string, f: () => Promise<T>): Promise<T> {
  if (TRACE_DIR) {
    mkdirSync(TRACE_DIR, { recursive: true });
    const browser = page.context().browser()!;
    await browser.startTracing(page, { path: join(TRACE_DIR, `${name}.trace.json`), screenshots: false, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8.execute'] });
    try {
      return await f();
    } finally {
      await browser.stopTracing();
    }
  }
  if (!CPUPROFILE_DIR) return f();
  mkdirSync(CPUPROFILE_DIR, { recursive: true });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  try {
    return await f();
  } finally {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(join(CPUPROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
    await cdp.detach();
  }
}

// ---------------------------------------------------------------------------------------------
// measurements

interface FirstPaint {
  /** From the start (navigation: time origin; selection: the click) to the first frame with sized boxes painted. */
  firstFrames: number;
  /** ... to the first frame with labels painted. */
  labels: number;
  /** ... to the chart's last DOM write painted (settled). */
  settled: number;
  /** flameGraph call: request start → response end (the analysis worker, one call at a time). */
  call: number;
  /** flameGraph response end → first frames painted (JSON, React, d3 layout + DOM, paint). */
  draw: number;
  /** start → flameGraph request sent (navigation: page boot, listItems, the view's mount). */
  beforeCall: number;
  /** Navigation only: DOMContentLoaded (the bundle evaluated) and the listItems response. */
  dcl: number;
  listItems: number;
  /** Long tasks until the flame graph settled, and until the whole view settled (top table too). */
  tasks: TaskStats;
  viewTasks: TaskStats;
  /** start → the last DOM change of the view (the top table drawn too). */
  viewSettled: number;
  boxes: number;
  width: number;
}

async function firstPaintFrom(page: Page, start: number): Promise<FirstPaint> {
  await waitFlameSettled(page);
  await waitDocSettled(page, 500);
  const p = await probe(page);
  const res = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const rs = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const calls = (m: string) => rs.filter((e) => e.name.includes(`/api/${m}`)).map((e) => ({ start: e.startTime, end: e.responseEnd }));
    return { dcl: nav?.domContentLoadedEventEnd ?? NaN, flame: calls('flameGraph'), list: calls('listItems') };
  });
  const call = res.flame.filter((r) => r.start >= start - 1).pop();
  const first = p.seen['flame-rect']?.paint ?? NaN;
  const settled = max(p.flame.map((f) => f.paint));
  return {
    firstFrames: first - start,
    labels: (p.seen['flame-label']?.paint ?? NaN) - start,
    settled: settled - start,
    call: call ? call.end - call.start : NaN,
    draw: call ? first - call.end : NaN,
    beforeCall: call ? call.start - start : NaN,
    dcl: res.dcl - start,
    listItems: (res.list[0]?.end ?? NaN) - start,
    tasks: tasksIn(p, start, settled),
    viewTasks: tasksIn(p, start, Math.max(p.lastDocMutation, settled)),
    viewSettled: Math.max(p.lastDocMutation, settled) - start,
    boxes: await flameBoxes(page),
    width: await flameWidth(page),
  };
}

async function firstPaintByNavigation(browser: Browser, url: string): Promise<FirstPaint> {
  const page = await newPage(browser);
  // Told of the first flame paint through a binding (no polling while the page boots); the waits
  // for a settled view come after that paint.
  const flamePainted = await watchFirstFlamePaint(page);
  try {
    await page.goto(url);
    await flamePainted();
    return await firstPaintFrom(page, 0);
  } finally {
    await page.close();
  }
}

async function selectItem(page: Page, name: string): Promise<FirstPaint> {
  await resetProbe(page);
  await page.locator('[data-testid=item-row]', { hasText: name }).locator('button.item-row__main').click();
  const p = await probe(page);
  return firstPaintFrom(page, lastEvent(p, 'click', 'item-row'));
}

interface Interaction {
  /** The interaction's event → the first rendered frame with the chart changed. */
  firstFrame: number;
  /** ... → the frame with the chart's last DOM write (transition end) painted. */
  final: number;
  /** Search: ... → the matched total painted. */
  matchShown: number;
  /** Longest gap between frames while it ran (jank). */
  worstFrame: number;
  tasks: TaskStats;
}

function interactionFrom(p: ProbeState, t0: number): Interaction {
  const frames = p.flame.filter((f) => f.first >= t0);
  const first = frames.length ? frames[0]!.paint : NaN;
  const final = max(frames.map((f) => f.paint));
  const match = p.matchText.filter((m) => m.at >= t0).pop();
  return {
    firstFrame: first - t0,
    final: final - t0,
    matchShown: match ? match.paint - t0 : NaN,
    worstFrame: worstFrameGap(p, t0, final),
    tasks: tasksIn(p, t0, Math.max(final, match?.paint ?? 0)),
  };
}

/** Click the widest frame one level under the root. */
async function zoomOnce(page: Page): Promise<{ zoom: Interaction; reset: Interaction; name: string }> {
  const name = await page.evaluate(() => {
    let best: SVGGElement | null = null;
    let bestW = -1;
    document.querySelectorAll<SVGGElement>('[data-testid=flame-graph] svg g.frame').forEach((g) => {
      g.removeAttribute('data-bench-target');
      const d = (g as unknown as { __data__?: { depth: number; data: { hiddenFrames?: number } } }).__data__;
      if (!d || d.depth !== 1 || d.data.hiddenFrames) return;
      const w = g.getBoundingClientRect().width;
      if (w > bestW) {
        bestW = w;
        best = g;
      }
    });
    (best as SVGGElement | null)?.setAttribute('data-bench-target', '1');
    return (best as SVGGElement | null)?.getAttribute('name') ?? '';
  });
  if (!name) throw new Error('no frame to zoom on');
  await resetProbe(page);
  await page.locator('[data-bench-target] > rect').click();
  await page.locator('[data-testid=flame-graph][data-zoomed=true]').waitFor();
  await waitFlameSettled(page);
  let p = await probe(page);
  const zoom = interactionFrom(p, lastEvent(p, 'click'));
  await page.mouse.move(5, 5); // tooltip away
  await resetProbe(page);
  await page.locator('[data-testid=flame-reset-zoom]').click();
  await page.locator('[data-testid=flame-graph][data-zoomed=false]').waitFor();
  await waitFlameSettled(page);
  p = await probe(page);
  const reset = interactionFrom(p, lastEvent(p, 'click', 'flame-reset-zoom'));
  return { zoom, reset, name };
}

async function searchOnce(page: Page, term: string): Promise<{ search: Interaction; clear: Interaction; match: string }> {
  const input = page.locator('[data-testid=flame-search]');
  await resetProbe(page);
  await input.fill(term);
  await page.waitForFunction(() => /frame|No match/.test(document.querySelector('[data-testid=flame-match]')?.textContent ?? ''));
  await waitFlameSettled(page);
  let p = await probe(page);
  const search = interactionFrom(p, lastEvent(p, 'input', 'flame-search'));
  const match = (await page.locator('[data-testid=flame-match]').textContent()) ?? '';
  await resetProbe(page);
  await input.fill('');
  await waitFlameSettled(page);
  p = await probe(page);
  const clear = interactionFrom(p, lastEvent(p, 'input', 'flame-search'));
  return { search, clear, match: match.trim() };
}

interface ProfileResults {
  name: string;
  nav: FirstPaint[];
  select: FirstPaint[];
  zoom: Interaction[];
  reset: Interaction[];
  search: Interaction[];
  clear: Interaction[];
  zoomedOn: string;
  searchMatch: string;
  /** The chart animates zooms (FlameGraph: trees of ≤ 1000 frames; data-animated on the host). */
  animated: boolean;
}

async function benchProfiles(browser: Browser, big: string, small: string, term: Record<string, string>): Promise<ProfileResults[]> {
  const out: ProfileResults[] = [];
  const names = { [big]: 'big-cpu.pb.gz', [small]: 'heap-3.pb.gz' };
  for (const file of [big, small]) {
    const r: ProfileResults = { name: names[file]!, nav: [], select: [], zoom: [], reset: [], search: [], clear: [], zoomedOn: '', searchMatch: '', animated: false };
    out.push(r);
    // Navigation: the profile alone on the command line, a fresh page per run (plus a warm-up).
    const s = await startServe([file, '--no-demo']);
    try {
      await firstPaintByNavigation(browser, s.url);
      for (let i = 0; i < RUNS; i++) r.nav.push(await firstPaintByNavigation(browser, s.url));
    } finally {
      await s.stop();
    }
  }
  // Selection, zoom and search: both profiles open, switching between them in one page.
  const s = await startServe([big, small, '--no-demo']);
  const page = await newPage(browser);
  try {
    await page.goto(s.url);
    await waitFlameSettled(page);
    // heap-3 (a heap profile) is selected first; warm up by switching to the other and back.
    for (const file of [big, small]) await selectItem(page, names[file]!);
    for (let i = 0; i < RUNS; i++) {
      for (const file of [big, small]) {
        const r = out.find((x) => x.name === names[file])!;
        r.select.push(await withDiagnostics(page, `select-${r.name}-${i}`, () => selectItem(page, r.name)));
      }
    }
    for (const file of [big, small]) {
      const r = out.find((x) => x.name === names[file])!;
      await selectItem(page, r.name);
      r.animated = (await page.locator('[data-testid=flame-graph]').getAttribute('data-animated')) === 'true';
      await zoomOnce(page); // warm-up
      await searchOnce(page, term[file]!);
      for (let i = 0; i < RUNS; i++) {
        const z = await withDiagnostics(page, `zoom-${r.name}-${i}`, () => zoomOnce(page));
        r.zoom.push(z.zoom);
        r.reset.push(z.reset);
        r.zoomedOn = z.name;
        const q = await withDiagnostics(page, `search-${r.name}-${i}`, () => searchOnce(page, term[file]!));
        r.search.push(q.search);
        r.clear.push(q.clear);
        r.searchMatch = q.match;
      }
    }
  } finally {
    await page.close();
    await s.stop();
  }
  return out;
}

interface HeapRun {
  /** Main-thread task time (CDP Performance TaskDuration) from the upload to settled, and that window's wall time. */
  busy: number;
  wall: number;
  analysis: number;
  render: number;
  analysisTasks: TaskStats;
  renderTasks: TaskStats;
  objects: string;
  /** React commits during the analysis (upload → the heap view mounted). */
  commits: number;
  /** The start screen left alone for 1 s before the upload: main-thread task time and React commits. */
  idleBusy: number;
  idleCommits: number;
}

async function heapDumpOnce(browser: Browser, dump: string, run: number): Promise<HeapRun> {
  const s: ServeProc = await startServe(['--no-demo']);
  const page = await newPage(browser);
  try {
    await page.goto(s.url);
    await page.locator('[data-testid=start-screen]').waitFor();
    await waitDocSettled(page, 500);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
    // The start screen, left alone: an idle page should do (almost) nothing.
    await resetProbe(page);
    const idle0 = await taskTime();
    await page.waitForTimeout(1000);
    const idleBusy = ((await taskTime()) - idle0) * 1000;
    const idleCommits = (await probe(page)).commits.length;
    await resetProbe(page);
    const busy0 = await taskTime();
    const wall0 = Date.now();
    await withDiagnostics(page, `heapdump-${run}`, async () => {
      await page.locator('[data-testid=file-input]').setInputFiles(dump);
      await page.locator('[data-testid=heap-view]').waitFor({ timeout: 300_000 });
      await page.locator('[data-testid=dom-row]').first().waitFor({ timeout: 120_000 });
      await page.locator('[data-testid=heap-stat-objects]').waitFor({ timeout: 120_000 });
      await waitDocSettled(page, 1000);
    });
    const busy = ((await taskTime()) - busy0) * 1000;
    if (process.env.BENCH_UI_DEBUG) {
      const p0 = await probe(page);
      const t = lastEvent(p0, 'change', 'file-input');
      console.log(`heap run ${run}: long tasks (start after the file was chosen, duration):`, p0.longtasks.filter((x) => x.start >= t - 50).map((x) => `+${fmtMs(x.start - t)} ${fmtMs(x.duration)}`).join(', '), `; heap view at +${fmtMs((p0.seen['heap-view']?.at ?? NaN) - t)}`);
    }
    const wall = Date.now() - wall0;
    await cdp.detach();
    const p = await probe(page);
    const t0 = lastEvent(p, 'change', 'file-input');
    const mounted = p.seen['heap-view']!.at;
    const end = Math.max(p.lastDocMutation, p.lastFlameMutation);
    return {
      busy,
      wall,
      analysis: mounted - t0,
      render: end - mounted,
      analysisTasks: tasksIn(p, t0, mounted),
      renderTasks: tasksIn(p, mounted, end + 1000),
      objects: ((await page.locator('[data-testid=heap-stat-objects] .stat__value').textContent()) ?? '').trim(),
      idleBusy,
      idleCommits,
      commits: p.commits.filter((t) => t >= t0 && t < mounted).length,
    };
  } finally {
    await page.close();
    await s.stop();
  }
}

// ---------------------------------------------------------------------------------------------

function engineTimes(): { flame: number; top: number; bytes: number; sent: number; nodes: number } {
  const p = syntheticCpuProfile(BIG_CPU_SHAPE);
  const flame: number[] = [];
  const top: number[] = [];
  let bytes = 0;
  let sent = 0;
  let nodes = 0;
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = performance.now();
    computeTop(p, {});
    const t1 = performance.now();
    const f = computeFlame(p, { minFraction: MIN_FRACTION });
    const t2 = performance.now();
    if (i > 0) {
      top.push(t1 - t0);
      flame.push(t2 - t1);
    }
    bytes = JSON.stringify(f).length;
    nodes = f.nodeCount;
    sent = 0;
    const st = [f.root];
    while (st.length) {
      const n = st.pop()!;
      sent++;
      for (const c of n.children ?? []) st.push(c);
    }
  }
  return { flame: median(flame), top: median(top), bytes, sent, nodes };
}

const status = (v: number, target: number): string => (!Number.isFinite(v) ? 'n/a' : v <= target ? 'OK' : 'MISSED');

async function main(): Promise<void> {
  console.log('# Heapscope UI benchmark (issue 7)');
  console.log(
    `node ${process.version}, headless Chromium ${VIEWPORT.width}×${VIEWPORT.height}, ${RUNS} runs per profile measurement and ${HEAP_RUNS} for the heap dump ` +
      `(medians, after a warm-up), times measured inside the page`,
  );
  if (!existsSync(join(ROOT, 'dist', 'cli.js')) || !existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) {
    console.log('dist/ is not built: run `npm run build` (or `npm run bench`, which builds)');
    process.exitCode = 1;
    return;
  }
  if (!existsSync(CHROMIUM)) {
    console.log(`${CHROMIUM} not found (HEAPSCOPE_CHROMIUM): the UI benchmark needs Chromium`);
    process.exitCode = 1;
    return;
  }
  const big = join(WORK, 'big-cpu.pb.gz');
  writeFileSync(big, gzipSync(encodeProfile(syntheticCpuProfile(BIG_CPU_SHAPE))));
  const small = join(ROOT, 'test', 'fixtures', 'out', 'go1.19', 'leakyapp', 'heap-3.pb.gz');
  const dump = process.env.HEAPSCOPE_BENCH_DUMP ?? join(ROOT, 'test', 'fixtures', 'big', 'bigheap.dump');
  const eng = engineTimes();
  console.log(
    `big profile: ${big} (${fmtMB(statSync(big).size)} gz), call tree ${eng.nodes.toLocaleString('en-US')} nodes; ` +
      `flame result at minFraction ${MIN_FRACTION}: ${eng.sent.toLocaleString('en-US')} nodes, ${fmtMB(eng.bytes)} JSON`,
  );
  console.log(`engine in-process (warm, median): computeFlame ${fmtMs(eng.flame)}, computeTop ${fmtMs(eng.top)}`);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let profiles: ProfileResults[] = [];
  const heap: HeapRun[] = [];
  try {
    if (ONLY !== 'heap') profiles = await benchProfiles(browser, big, small, { [big]: 'Type4', [small]: 'main.' });
    if (ONLY === 'profiles') {
      // heap dump part skipped
    } else if (existsSync(dump)) {
      console.log(`heap dump: ${dump} (${fmtMB(statSync(dump).size)}), uploaded through the file input`);
      for (let i = 0; i < HEAP_RUNS; i++) heap.push(await heapDumpOnce(browser, dump, i));
    } else console.log(`heap dump ${dump} missing (npm run bench -- heap generates it where Go is installed): heap rows are n/a`);
  } finally {
    await browser.close();
  }

  if (process.env.BENCH_UI_DEBUG) {
    for (const r of profiles) {
      for (const k of ['nav', 'select'] as const)
        console.log(`${r.name} ${k}:`, r[k].map((x) => `first ${fmtMs(x.firstFrames)} = before ${fmtMs(x.beforeCall)} + call ${fmtMs(x.call)} + draw ${fmtMs(x.draw)}; longest ${fmtMs(x.tasks.longest)}`).join(' | '));
      for (const k of ['zoom', 'reset', 'search', 'clear'] as const)
        console.log(`${r.name} ${k}:`, r[k].map((x) => `${fmtMs(x.firstFrame)}/${fmtMs(x.final)} longest ${fmtMs(x.tasks.longest)}`).join(' | '));
    }
  }
  // --- report ---------------------------------------------------------------------------------
  const rows: string[][] = [];
  const missed: string[] = [];
  const row = (what: string, v: number, target: number | null, tasks: TaskStats | null, note = '') => {
    const st = target === null ? '' : status(v, target);
    if (st === 'MISSED') missed.push(what);
    rows.push([what, fmtMs(v), target === null ? '' : `≤ ${target} ms`, st, tasks ? fmtMs(tasks.longest) : '', tasks ? `${tasks.over50}/${tasks.over100}` : '', note]);
  };
  const mt = (xs: TaskStats[]): TaskStats => ({ longest: median(xs.map((t) => t.longest)), over50: median(xs.map((t) => t.over50)), over100: median(xs.map((t) => t.over100)) });
  const fp = (xs: FirstPaint[], k: keyof Omit<FirstPaint, 'tasks' | 'viewTasks'>) => median(xs.map((x) => x[k]));
  const it = (xs: Interaction[], k: 'firstFrame' | 'final' | 'matchShown' | 'worstFrame') => median(xs.map((x) => x[k]));
  const explain: string[] = [];
  for (const r of profiles) {
    const big = r.name === 'big-cpu.pb.gz';
    const label = big ? 'big profile' : 'heap-3 (baseline)';
    const { select: sel, nav } = r;
    const same = (a: number, b: number) => (Math.abs(a - b) < 1 ? 'same frame' : fmtMs(b));
    row(
      `${label}: first paint, from selection`,
      fp(sel, 'firstFrames'),
      TARGET.firstPaint,
      mt(sel.map((x) => x.tasks)),
      `call ${fmtMs(fp(sel, 'call'))} + draw ${fmtMs(fp(sel, 'draw'))}; labels ${same(fp(sel, 'firstFrames'), fp(sel, 'labels'))}; ${fp(sel, 'boxes')} boxes, ${fp(sel, 'width')} px`,
    );
    row(`${label}:   whole view settled`, fp(sel, 'viewSettled'), null, mt(sel.map((x) => x.viewTasks)), 'selection → last DOM change (top table drawn too)');
    /** The page came with its flame graph (heapscope serve's boot resource, preloaded): no API call to time. */
    const carried = !Number.isFinite(fp(nav, 'call'));
    row(
      `${label}: first paint, from navigation`,
      fp(nav, 'firstFrames'),
      TARGET.firstPaint,
      mt(nav.map((x) => x.tasks)),
      carried ? `no flameGraph call: the page's headers preloaded it (DOMContentLoaded ${fmtMs(fp(nav, 'dcl'))})` : `boot ${fmtMs(fp(nav, 'beforeCall'))} + call ${fmtMs(fp(nav, 'call'))} + draw ${fmtMs(fp(nav, 'draw'))}`,
    );
    if (fp(nav, 'firstFrames') > TARGET.firstPaint && carried) {
      explain.push(
        `${label}, first paint from navigation (${fmtMs(fp(nav, 'firstFrames'))}): the served page's headers preloaded its flame graph, so no API call was made; the time is the page's ` +
          `boot, its first render and the draw. \`npm run bench -- speed\` measures and breaks down a fresh page's first flame graph (README, "Speed targets").`,
      );
    } else if (fp(nav, 'firstFrames') > TARGET.firstPaint) {
      const cold = fp(nav, 'call') > 1.5 * fp(sel, 'call') + 20;
      explain.push(
        `${label}, first paint from navigation (${fmtMs(fp(nav, 'firstFrames'))}): a fresh page spends ${fmtMs(fp(nav, 'beforeCall'))} before the flame graph is ` +
          `even requested (the bundle evaluated at DOMContentLoaded ${fmtMs(fp(nav, 'dcl'))}, the App's listItems back at ${fmtMs(fp(nav, 'listItems'))}, then the ` +
          `shell's first render mounts the view): more than the whole 300 ms budget, and none of it flame-graph work. ` +
          (cold ? `The analysis worker's first calls after start run JIT-cold (flameGraph ${fmtMs(fp(nav, 'call'))} vs ${fmtMs(fp(sel, 'call'))} warm). ` : '') +
          `The flame graph's own draw is ${fmtMs(fp(nav, 'draw'))} on a cold page, ${fmtMs(fp(sel, 'draw'))} warm` +
          (fp(sel, 'firstFrames') <= TARGET.firstPaint ? '; from a selection the target is met.' : '.'),
      );
    }
    if (fp(sel, 'firstFrames') > TARGET.firstPaint) {
      explain.push(
        `${label}, first paint from selection (${fmtMs(fp(sel, 'firstFrames'))}): the flameGraph call takes ${fmtMs(fp(sel, 'call'))} ` +
          (big ? `(the engine builds the whole ${eng.nodes.toLocaleString('en-US')}-node tree before pruning it: computeFlame ${fmtMs(eng.flame)} in-process, warm, on this machine now) ` : '') +
          `and the renderer ${fmtMs(fp(sel, 'beforeCall') + fp(sel, 'draw'))} (click → request ${fmtMs(fp(sel, 'beforeCall'))}, response → painted ${fmtMs(fp(sel, 'draw'))}); ` +
          `per-run values: BENCH_UI_DEBUG=1.`,
      );
    }
    // An animated zoom (trees of ≤ 1000 frames) ends with its 300 ms transition by design: reported, not judged.
    const anim = r.animated ? 'animated 300 ms by design; ' : '';
    const zt = r.animated ? null : TARGET.interaction;
    row(`${label}: zoom, first frame`, it(r.zoom, 'firstFrame'), TARGET.interaction, mt(r.zoom.map((x) => x.tasks)), `on ${r.zoomedOn.replace(/^.*\//, '').slice(0, 36)}`);
    row(`${label}: zoom, final state drawn`, it(r.zoom, 'final'), zt, null, `${anim}worst frame ${fmtMs(it(r.zoom, 'worstFrame'))}`);
    row(`${label}: reset zoom, first frame`, it(r.reset, 'firstFrame'), TARGET.interaction, mt(r.reset.map((x) => x.tasks)));
    row(`${label}: reset zoom, final state drawn`, it(r.reset, 'final'), zt, null, `${anim}worst frame ${fmtMs(it(r.reset, 'worstFrame'))}`);
    const searchDone = median(r.search.map((x) => Math.max(x.firstFrame, x.matchShown)));
    row(
      `${label}: search, highlights + total shown`,
      searchDone,
      TARGET.interaction,
      mt(r.search.map((x) => x.tasks)),
      `highlights ${fmtMs(it(r.search, 'firstFrame'))}, total ${fmtMs(it(r.search, 'matchShown'))}, settled ${fmtMs(it(r.search, 'final'))}; "${r.searchMatch}"`,
    );
    row(`${label}: clear search, drawn`, it(r.clear, 'firstFrame'), TARGET.interaction, mt(r.clear.map((x) => x.tasks)));
  }
  if (heap.length) {
    const at = mt(heap.map((h) => h.analysisTasks));
    const rt = mt(heap.map((h) => h.renderTasks));
    const busy = median(heap.map((h) => h.busy));
    const wall = median(heap.map((h) => h.wall));
    const commits = median(heap.map((h) => h.commits));
    const idleBusy = median(heap.map((h) => h.idleBusy));
    const idleCommits = median(heap.map((h) => h.idleCommits));
    row('start screen, idle 1 s (before the upload)', idleBusy, null, null, `main-thread task time; ${idleCommits} React commits`);
    row(
      'bigheap.dump: analysis (upload → view)',
      median(heap.map((h) => h.analysis)),
      null,
      at,
      `${heap[0]!.objects} objects; main thread busy ${fmtMs(busy)} of ${fmtMs(wall)} (${((100 * busy) / wall).toFixed(0)}%), ${commits} React commits`,
    );
    row('bigheap.dump:   longest task, analysis', at.longest, TARGET.longTask, null);
    row('bigheap.dump: first heap-view render', median(heap.map((h) => h.render)), null, rt, 'mount → last DOM change');
    row('bigheap.dump:   longest task, render', rt.longest, TARGET.longTask, null);
    if (idleCommits > 50) {
      explain.push(
        `the renderer never idles while the workspace is empty: the untouched start screen does ${idleCommits} React commits per second ` +
          `(${fmtMs(idleBusy)} of main-thread work per 1000 ms), and keeps it up through the upload and analysis (${commits} commits, busy ` +
          `${((100 * busy) / wall).toFixed(0)}% of the open) until the dump's item exists. At the time of writing the cause is App.tsx's ` +
          `"keep a valid selection" effect: with no items it calls setSelection([]) with a new array, and selection is one of its ` +
          `dependencies, so it runs again, forever. It stays under the long-task limit only because React yields between commits.`,
      );
    }
  }
  console.log('');
  console.log(table(['measurement', 'median', 'target', '', 'longest task', '>50/>100 ms', 'notes'], rows));
  console.log('');
  console.log('Times are in-page: from the event (click / input / change; navigation: time origin) to the end of the rendered frame that shows the result.');
  console.log('Longest task, >50/>100 ms: main-thread long tasks (PerformanceObserver longtask) in that window (medians).');
  console.log(`Flame graphs are drawn by d3-flame-graph (SVG) from the engine's pruned tree (minFraction ${MIN_FRACTION}: ${eng.sent.toLocaleString('en-US')} of ${eng.nodes.toLocaleString('en-US')} nodes, "frames hidden" disclosed).`);
  console.log(missed.length ? `\nMISSED: ${missed.join('; ')}` : '\nAll targets met.');
  for (const e of explain) console.log(`- ${e}`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
