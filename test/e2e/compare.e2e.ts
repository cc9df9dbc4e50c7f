/**
 * Comparison, series and findings, end to end in Chromium against `heapscope serve` with the demo
 * investigation: the overlay differential flame graph (legend naming the base, growth in red, new and
 * gone frames hatched), the delta table, goroutines compared by stack and state, a series of heap
 * profiles, and the findings panel with its "Open" actions. Each step saves
 * test-output/screenshots/compare-<step>.png; any console error fails the step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { DiffFlameNode, DiffFlameResult } from '../../shared/compare/types';
import { startServe, type ServeProc } from '../helpers/serve';
import { haveChromium, launchChromium, screenshotPath, watchErrors } from '../helpers/browser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildHeapAnalysis, HeapDumpParser } from '../../shared/heap/index';
import { formatBytes } from '../../renderer/src/lib/format';
import { FIXTURES } from '../helpers/paths';

if (!haveChromium()) console.log('end-to-end: /usr/bin/chromium is missing (apt-get install -y chromium); these tests will fail');

function itemRow(page: Page, name: string): Locator {
  return page.getByTestId('item-row').filter({ has: page.locator('.item-row__name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
}

/** d3-flame-graph draws boxes with a transition; wait until a named frame is laid out. */
async function frame(graph: Locator, name: string, minWidth = 40): Promise<Locator> {
  const g = graph.locator(`g[name="${name}"]`).first();
  await g.waitFor({ state: 'attached' });
  await expect.poll(async () => (await g.boundingBox())?.width ?? 0, { timeout: 10_000 }).toBeGreaterThan(minWidth);
  await graph.page().waitForTimeout(350);
  return g;
}

/** "rgb(r, g, b)" → [r, g, b]. */
function rgb(fill: string | null): [number, number, number] {
  const m = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(fill ?? '');
  if (!m) throw new Error(`not an rgb() fill: ${fill}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}


/** Bytes the global main.sessionCache retains in the demo dump (the engine, run in Node). */
function sessionCacheRetained(): number {
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'heap.dump')));
  const p = new HeapDumpParser({ totalBytes: bytes.length, file: 'heap.dump' });
  p.push(bytes);
  const exe = new Uint8Array(readFileSync(join(FIXTURES, 'leakyapp')));
  const a = buildHeapAnalysis(p.end(), { size: exe.length, read: (o, n) => exe.subarray(o, o + n) });
  return a.rootsRanked(0, 1000).rows.find((r) => r.name === 'global main.sessionCache')!.retainedBytes;
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('comparing, series and findings on the demo', () => {
  let srv: ServeProc;
  let page: Page;
  let errors: string[];

  /** The API, as the renderer calls it over HTTP. */
  async function api<T>(method: string, req: unknown): Promise<T> {
    const token = new URL(srv.url).searchParams.get('token')!;
    const res = await fetch(`${srv.origin}/api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(req),
    });
    const body = (await res.json()) as { ok: boolean; result: T };
    expect(body.ok).toBe(true);
    return body.result;
  }

  async function handleOf(name: string): Promise<string> {
    const h = await itemRow(page, name).getAttribute('data-handle');
    expect(h).toBeTruthy();
    return h!;
  }

  beforeAll(async () => {
    srv = await startServe([]);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    errors = watchErrors(page);
    await page.goto(srv.url);
    await page.getByTestId('item-row').first().waitFor();
  });
  afterAll(async () => {
    await page?.close();
    await srv?.stop();
  });

  async function shot(step: string) {
    await page.screenshot({ path: screenshotPath(`compare-${step}`) });
    expect(errors).toEqual([]);
  }

  it('overlays heap-1 and heap-3: legend names the base, main.loadBlob grew by 512 KiB', async () => {
    await itemRow(page, 'heap-1.pb.gz').locator('.item-row__main').click();
    await itemRow(page, 'heap-3.pb.gz').locator('.item-row__main').click({ modifiers: ['ControlOrMeta'] });
    const view = page.getByTestId('compare-view');
    await view.waitFor();
    await page.getByTestId('compare-tab-overlay').click();
    await expect.poll(() => view.getAttribute('data-tab')).toBe('overlay');

    // The legend states the scale and the base.
    const legend = page.getByTestId('diff-legend-text');
    await expect.poll(() => legend.textContent()).toContain('Red = grew vs heap-1.pb.gz, blue = shrank; saturation ∝ change / base total (628 KiB)');
    const text = (await legend.textContent())!;
    expect(text).toContain('grey = unchanged');

    // Delta table: main.loadBlob holds 2 → 6 arrays of 128 KiB: +524288 B flat.
    const row = page.getByTestId('delta-row').and(page.locator('[data-name="main.loadBlob"]'));
    await row.waitFor();
    expect(await row.getAttribute('data-delta-flat')).toBe('524288');
    expect(await row.getByTestId('delta-flat').textContent()).toBe('+512 KiB');
    expect(await row.getAttribute('data-status')).toBe('both');
    // pprof's order: biggest |flat| change first.
    expect(await page.getByTestId('delta-row').first().getAttribute('data-name')).toBe('main.loadBlob');

    // The differential flame graph draws it red (grew): red well above green and blue.
    const graph = page.getByTestId('diff-flame').getByTestId('flame-graph');
    const blob = await frame(graph, 'main.loadBlob');
    const [r, g, b] = rgb(await blob.locator('rect').getAttribute('fill'));
    expect(r).toBeGreaterThan(g + 80);
    expect(r).toBeGreaterThan(b + 80);
    await shot('overlay');

    // Selecting the row highlights the function in the graph (exact search) and sums its change.
    await row.click();
    await expect.poll(() => row.getAttribute('aria-selected')).toBe('true');
    expect(await page.getByTestId('compare-search').inputValue()).toBe('main.loadBlob');
    await expect.poll(() => page.getByTestId('diff-flame').first().getByTestId('flame-match').textContent()).toBe('+512 KiB (256 KiB → 768 KiB) in 1 frame');
    // The selected frame keeps its red; the others step back (washed out, lighter).
    const [r2] = rgb(await blob.locator('rect').getAttribute('fill'));
    expect(r2).toBe(r);
    const [cr, cg] = rgb(await (await frame(graph, 'main.cacheSession')).locator('rect').getAttribute('fill'));
    expect(cg).toBeGreaterThan(g + 60);
    expect(cr).toBeGreaterThan(cg);
    await shot('overlay-selected');
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await expect.poll(() => page.getByTestId('compare-search').inputValue()).toBe('');
  });

  it('marks a frame only in heap-3 as new (hatched, tagged), and as gone once swapped', async () => {
    // A frame present only in the target, found through the API.
    const diff = await api<DiffFlameResult>('compareFlame', { base: await handleOf('heap-1.pb.gz'), target: await handleOf('heap-3.pb.gz'), minFraction: 0.0005 });
    let only: DiffFlameNode | null = null;
    const stack = [...diff.root.children];
    while (stack.length && !only) {
      const n = stack.shift()!;
      if (n.status === 'new' && !n.hiddenFrames) only = n;
      else stack.push(...n.children);
    }
    expect(only).not.toBeNull();
    const name = only!.name; // main.writeProfile: the heap profile writer, only in the last round
    const graph = page.getByTestId('diff-flame').getByTestId('flame-graph');
    const g = await frame(graph, name, 0);
    expect(await g.locator('rect').getAttribute('fill')).toMatch(/^url\(#[\w-]+-new-\d(?:-dim)?\)$/);
    // Zoom into it: the whole graph is that stack, hatched.
    await g.click({ force: true });
    await expect.poll(() => graph.getAttribute('data-zoom-path')).toMatch(new RegExp(`${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    await page.waitForTimeout(400);
    await page.mouse.move(5, 5); // the pointer left the frame: the next hover is a fresh mouseover
    await (await frame(graph, name, 200)).hover();
    const tip = page.locator('.flame-tooltip:not([hidden])');
    await expect.poll(() => tip.textContent()).toContain('NEW · only in heap-3.pb.gz');
    expect(await tip.textContent()).toContain('Base (A)0 B');
    // The delta table tags the same function.
    const row = page.getByTestId('delta-row').and(page.locator(`[data-name="${name}"]`));
    expect(await row.getAttribute('data-status')).toBe('new');
    expect(await row.getByTestId('presence-tag').textContent()).toBe('new');
    await shot('new-frame');

    // Swapped (heap-3 is the base): the same frame is gone, hatched blue.
    await page.mouse.move(5, 5);
    await page.getByTestId('compare-swap').click();
    await expect.poll(() => page.getByTestId('diff-legend-text').textContent()).toContain('grew vs heap-3.pb.gz');
    const gone = await frame(graph, name, 0);
    await expect.poll(() => gone.locator('rect').getAttribute('fill')).toMatch(/^url\(#[\w-]+-gone-\d\)$/);
    expect(await page.getByTestId('delta-row').and(page.locator(`[data-name="${name}"]`)).getAttribute('data-status')).toBe('gone');
    // Still zoomed to the same stack of names (zoom follows frame paths).
    await expect.poll(() => graph.getAttribute('data-zoom-path')).toMatch(new RegExp(`${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    await page.waitForTimeout(400);
    await shot('gone-frame');
    await page.getByTestId('compare-reset-zoom').click();
    await page.getByTestId('compare-swap').click();
  });

  it('compares goroutines (goroutine.pb.gz → goroutine.debug2.txt) by stack and by state', async () => {
    await itemRow(page, 'goroutine.pb.gz').locator('.item-row__main').click();
    await itemRow(page, 'goroutine.debug2.txt').locator('.item-row__main').click({ modifiers: ['ControlOrMeta'] });
    const view = page.getByTestId('compare-view');
    await expect.poll(() => view.getAttribute('data-tab')).toBe('goroutines');
    const cmp = page.getByTestId('goroutine-compare');
    await expect.poll(() => cmp.getByTestId('gr-stat-base').textContent()).toContain('31 goroutines');
    expect(await cmp.getByTestId('gr-stat-target').textContent()).toContain('31 goroutines');
    // The 30 blocked workers are in both.
    const worker = cmp.getByTestId('gr-stack-row').and(page.locator('[data-function="main.worker"]'));
    expect(await worker.getAttribute('data-status')).toBe('both');
    expect(await worker.getAttribute('data-delta')).toBe('0');
    expect(await worker.textContent()).toContain('chan receive');
    // One stack key for every form (issue 16): the same moment written as proto and as debug=2 has
    // no stack only one side lists.
    expect(await cmp.locator('[data-testid=gr-stack-row][data-status=new]').count()).toBe(0);
    expect(await cmp.locator('[data-testid=gr-stack-row][data-status=gone]').count()).toBe(0);
    // By state: pick "chan receive" → only the workers' stack is left.
    const state = cmp.getByTestId('gr-state-row').and(page.locator('[data-state="chan receive"]'));
    expect(await state.textContent()).toMatch(/chan receive\s*30\s*30/);
    await state.click();
    await expect.poll(() => cmp.getByTestId('gr-state-filter').textContent()).toContain('chan receive');
    await expect.poll(() => cmp.getByTestId('gr-stack-row').count()).toBe(1);
    await worker.click();
    await expect.poll(() => cmp.getByTestId('gr-stack-detail').textContent()).toContain('chan receive: 30 → 30');
    await shot('goroutines');

    // The same pair as a differential graph: main.worker did not change, so it is grey (never red).
    await page.getByTestId('compare-tab-overlay').click();
    const graph = page.getByTestId('diff-flame').getByTestId('flame-graph');
    const w = await frame(graph, 'main.worker');
    const [r, g, b] = rgb(await w.locator('rect').getAttribute('fill'));
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThan(20);
    await shot('goroutines-overlay');
  });

  it('shows heap-1 → heap-2 → heap-3 as a series: main.loadBlob grows monotonically', async () => {
    await itemRow(page, 'heap-1.pb.gz').locator('.item-row__main').click();
    await itemRow(page, 'heap-2.pb.gz').locator('.item-row__main').click({ modifiers: ['ControlOrMeta'] });
    await itemRow(page, 'heap-3.pb.gz').locator('.item-row__main').click({ modifiers: ['ControlOrMeta'] });
    const view = page.getByTestId('series-view');
    await view.waitFor();
    expect(await page.getByTestId('compare-hint').textContent()).toContain('A series of 3');
    for (const [i, n] of ['heap-1.pb.gz', 'heap-2.pb.gz', 'heap-3.pb.gz'].entries()) expect(await itemRow(page, n).getAttribute('data-series')).toBe(String(i + 1));
    const row = page.getByTestId('series-trend-row').and(page.locator('[data-key="main.loadBlob"]'));
    await row.waitFor();
    expect(await row.getAttribute('data-monotonic')).toBe('true');
    expect(await row.getByTestId('series-badge-monotonic').textContent()).toBe('monotonic');
    expect(await row.textContent()).toContain('+256 KiB'); // slope per snapshot
    // The biggest grower leads the cards, with its badge.
    const card = page.getByTestId('series-card').first();
    expect(await card.getAttribute('data-key')).toBe('main.loadBlob');
    expect(await card.getAttribute('data-monotonic')).toBe('true');
    // Totals across the three snapshots, then main.loadBlob drawn over them.
    const chart = page.getByTestId('series-totals-chart');
    await expect.poll(() => chart.locator('[data-testid="chart-point"][data-tone="total"]').count()).toBe(3);
    await row.click();
    await expect.poll(() => chart.locator('[data-testid="chart-point"][data-tone="selected"]').count()).toBe(3);
    await shot('series');
  });

  it('lists the known leaks in the findings panel', async () => {
    await page.getByTestId('findings-nav').click();
    const panel = page.getByTestId('findings-panel');
    await panel.waitFor();
    const cards = panel.getByTestId('finding');
    await cards.first().waitFor();
    await expect.poll(async () => Number(await page.getByTestId('findings-count').textContent())).toBe(await cards.count());
    const map = cards.and(page.locator('[data-kind="global-map"][data-subject="global main.sessionCache"]'));
    expect(await map.getAttribute('data-severity')).toBe('high');
    // What the map root retains, as the engine computes it in Node on the same dump and binary.
    expect(await map.getByTestId('finding-evidence').textContent()).toContain(`Retained${formatBytes(sessionCacheRetained())}`);
    const workers = cards.and(page.locator('[data-kind="goroutines-blocked"][data-subject="main.worker"]'));
    expect(await workers.getByTestId('finding-title').textContent()).toContain('30 goroutines blocked');
    const pinning = cards.and(page.locator('[data-kind="subslice-pinning"]'));
    expect(await pinning.getByTestId('finding-subject').textContent()).toBe('main.loadBlob');
    expect(await pinning.getByTestId('finding-evidence').textContent()).toMatch(/Wasted\s*768 KiB/);
    // Ranked: high before medium.
    const sev = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-severity')));
    expect(sev.indexOf('medium')).toBeGreaterThan(sev.lastIndexOf('high'));
    await shot('findings');
  });

  it('"Open" shows the view that proves a finding', async () => {
    const cards = page.getByTestId('finding');
    // The global map → the heap dump, its root selected.
    await cards.and(page.locator('[data-kind="global-map"]')).getByTestId('finding-open').click();
    await page.getByTestId('heap-view').waitFor();
    await expect.poll(() => page.getByTestId('heap-tab-roots').getAttribute('aria-selected')).toBe('true');
    const root = page.getByTestId('root-row').filter({ hasText: 'global main.sessionCache' });
    await expect.poll(() => root.getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByTestId('object-inspector').textContent()).toContain('global main.sessionCache');
    await shot('open-heap');

    // Sub-slice pinning → one of the pinned arrays, its path through global main.pinned.
    await page.getByTestId('findings-nav').click();
    await cards.and(page.locator('[data-kind="subslice-pinning"]')).getByTestId('finding-open').click();
    await expect.poll(() => page.getByTestId('heap-tab-sites').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByTestId('object-inspector').getByTestId('inspector-size').getAttribute('data-bytes')).toBe('131072');
    await expect.poll(() => page.getByTestId('heap-paths').getByTestId('path-step').first().textContent()).toContain('global main.pinned');
    expect(await page.getByTestId('heap-paths').getByTestId('path-edge').nth(1).textContent()).toContain('interior +0x10000');
    await shot('open-subslice');

    // A growing allocation site → the overlay of the first and last heap profile, the function selected.
    await page.getByTestId('findings-nav').click();
    await cards.and(page.locator('[data-kind="growing-alloc-site"][data-subject="main.loadBlob"]')).getByTestId('finding-open').click();
    const view = page.getByTestId('compare-view');
    await expect.poll(() => view.getAttribute('data-tab')).toBe('overlay');
    expect(await itemRow(page, 'heap-1.pb.gz').getAttribute('data-compare')).toBe('A');
    expect(await itemRow(page, 'heap-3.pb.gz').getAttribute('data-compare')).toBe('B');
    const row = page.getByTestId('delta-row').and(page.locator('[data-name="main.loadBlob"]'));
    await expect.poll(() => row.getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByTestId('diff-flame').first().getByTestId('flame-match').textContent()).toBe('+512 KiB (256 KiB → 768 KiB) in 1 frame');
    await shot('open-diff');

    // Blocked goroutines → the goroutine comparison on main.worker, "chan receive".
    await page.getByTestId('findings-nav').click();
    await cards.and(page.locator('[data-kind="goroutines-blocked"]')).getByTestId('finding-open').click();
    await expect.poll(() => view.getAttribute('data-tab')).toBe('goroutines');
    await expect.poll(() => page.getByTestId('gr-state-filter').textContent()).toContain('chan receive');
    const worker = page.getByTestId('gr-stack-row').and(page.locator('[data-function="main.worker"]'));
    await expect.poll(() => worker.getAttribute('aria-selected')).toBe('true');
    await shot('open-goroutines');
  });

  it('looks right in the dark theme too', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await itemRow(page, 'heap-1.pb.gz').locator('.item-row__main').click();
    await itemRow(page, 'heap-3.pb.gz').locator('.item-row__main').click({ modifiers: ['ControlOrMeta'] });
    await page.getByTestId('compare-tab-overlay').click();
    await page.getByTestId('compare-search').fill('');
    const graph = page.getByTestId('diff-flame').getByTestId('flame-graph');
    const [r, g, b] = rgb(await (await frame(graph, 'main.loadBlob')).locator('rect').getAttribute('fill'));
    expect(r).toBeGreaterThan(g + 80);
    expect(r).toBeGreaterThan(b + 80);
    await shot('dark-overlay');
    await page.getByTestId('findings-nav').click();
    await page.getByTestId('finding').first().waitFor();
    await shot('dark-findings');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
