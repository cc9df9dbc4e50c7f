/**
 * Two heap dumps of one process compared, end to end in Chromium against `heapscope serve` with the
 * typed fixture's heap.dump → heap-2.dump (its binary beside them names the types): the totals, the
 * tables by allocation site, by type, by GC root and by dominator (one DeltaGrid each: sortable,
 * selected by key, every row's data-status and data-delta), the tabs by keyboard, and goroutines.
 * What the tables show is checked against the compare engine run in Node on the same files.
 * Screenshots: heap-compare-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { MATRIX_ROOT } from '../helpers/matrix';
import { openChunkedFile } from '../../electron/cli/io';
import { loadHeapDumpFile } from '../../electron/services/heapdump-loader';
import { diffHeapDumps } from '../../shared/compare/index';
import type { HeapDiffSummary } from '../../shared/compare/types';
import { formatBytes, formatCount } from '../../renderer/src/lib/format';
import { startServe, type ServeProc } from '../helpers/serve';
import { haveChromium, launchChromium, screenshotPath, watchErrors } from '../helpers/browser';

const DIR = ['1.26', '1.27', '1.19'].map((v) => join(MATRIX_ROOT, `go${v}`, 'typed')).find((d) => existsSync(join(d, 'heap-2.dump')));
if (!DIR) {
  const msg = 'heap-compare.e2e: no typed fixture with two dumps (run test/fixtures/matrix.sh --program typed)';
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`skipped: ${msg}`);
}
if (!haveChromium()) console.log('end-to-end: /usr/bin/chromium is missing (apt-get install -y chromium); these tests will fail');

function itemRow(page: Page, name: string): Locator {
  return page.getByTestId('item-row').filter({ has: page.locator('.item-row__name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
}

describe.skipIf(!DIR)('comparing two heap dumps', () => {
  let browser: Browser;
  let srv: ServeProc;
  let page: Page;
  let errors: string[];
  let engine: HeapDiffSummary;

  beforeAll(async () => {
    const exe = join(DIR!, 'typed');
    const { analysis: base } = loadHeapDumpFile(openChunkedFile, join(DIR!, 'heap.dump'), exe);
    const { analysis: target } = loadHeapDumpFile(openChunkedFile, join(DIR!, 'heap-2.dump'), exe);
    engine = diffHeapDumps('heap.dump', base, 'heap-2.dump', target).summary();
    browser = await launchChromium();
    srv = await startServe(['--no-demo', join(DIR!, 'heap.dump'), join(DIR!, 'heap-2.dump')]);
    page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    errors = watchErrors(page);
    await page.goto(srv.url);
    await itemRow(page, 'heap-2.dump').waitFor({ timeout: 30_000 });
  }, 90_000);
  afterAll(async () => {
    await page?.close();
    await srv?.stop();
    await browser?.close();
  });

  async function shot(step: string) {
    await page.screenshot({ path: screenshotPath(`heap-compare-${step}`) });
    expect(errors).toEqual([]);
  }

  it('opens the comparison with the totals the engine computes', async () => {
    await itemRow(page, 'heap.dump').locator('.item-row__main').click();
    await itemRow(page, 'heap-2.dump').locator('.item-row__main').click({ modifiers: ['ControlOrMeta'] });
    const view = page.getByTestId('heap-compare-view');
    await view.waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('heapdiff-stat-new').textContent(), { timeout: 30_000 }).toContain(`${formatCount(engine.added.objects)} objects`);
    expect(await page.getByTestId('heapdiff-stat-new').textContent()).toContain(formatBytes(engine.added.bytes));
    expect(await page.getByTestId('heapdiff-stat-freed').textContent()).toContain(`${formatCount(engine.freed.objects)} objects`);
    expect(await page.getByTestId('heapdiff-stat-alive').textContent()).toContain(`${formatCount(engine.alive.objects)} objects`);
    expect(await page.getByTestId('heapdiff-stat-base').textContent()).toContain(formatBytes(engine.base.bytes));
  });

  it('by allocation site: one row per site with its status and change; a click selects it; a header sorts', async () => {
    const rows = page.getByTestId('heapdiff-site-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const first = engine.bySite[0]!;
    const row = rows.and(page.locator(`[data-site="${first.site.replace(/["\\]/g, '\\$&')}"]`));
    expect(await row.getAttribute('data-status')).toBe(first.status);
    expect(await row.getAttribute('data-delta')).toBe(String(first.deltaBytes));
    await row.click();
    await expect.poll(() => row.getAttribute('aria-selected')).toBe('true');
    // Sorting by the change puts the biggest growth first (then its reverse on a second click).
    const header = page.getByTestId('heapdiff-sites-table').getByRole('columnheader').filter({ hasText: /Δ/ }).first();
    await header.click();
    const deltas = async () => (await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-delta')))));
    await expect.poll(async () => (await deltas())[0]).toBe(Math.max(...engine.bySite.map((s) => s.deltaBytes)));
    await shot('sites');
  });

  it('by type: the sessions added are new objects of main.Session, the names dropped are gone', async () => {
    await page.getByTestId('heapdiff-tab-types').click();
    const rows = page.getByTestId('heapdiff-type-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const session = engine.byType!.find((r) => r.site === 'main.Session')!;
    expect(session.added.objects).toBeGreaterThan(0);
    const row = rows.and(page.locator('[data-site="main.Session"]'));
    expect(await row.getAttribute('data-status')).toBe(session.status);
    expect(await row.getAttribute('data-delta')).toBe(String(session.deltaBytes));
    expect(await row.textContent()).toContain(formatCount(session.added.objects));
    // Sorted by the change, smallest first: the biggest drop leads, and it is a type whose objects all went.
    const header = page.getByTestId('heapdiff-types-table').getByRole('columnheader').filter({ hasText: /Δ/ }).first();
    const biggestDrop = engine.byType!.reduce((m, r) => (r.deltaBytes < m.deltaBytes ? r : m));
    expect(biggestDrop.status).toBe('gone');
    for (let i = 0; i < 3 && (await rows.first().getAttribute('data-site')) !== biggestDrop.site; i++) await header.click();
    await expect.poll(() => rows.first().getAttribute('data-site')).toBe(biggestDrop.site);
    expect(await rows.first().getAttribute('data-status')).toBe('gone');
    expect(await rows.first().getAttribute('data-delta')).toBe(String(biggestDrop.deltaBytes));
    await shot('types');
  });

  it('the tabs move with the arrow keys; by GC root and by dominator list what the engine lists', async () => {
    await page.getByTestId('heapdiff-tab-types').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('heapdiff-tab-roots').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('heapdiff-tab-roots');
    const roots = page.getByTestId('heapdiff-root-row');
    await expect.poll(() => roots.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const r0 = engine.byRoot[0]!;
    const root = roots.and(page.locator(`[data-root="${r0.name.replace(/["\\]/g, '\\$&')}"]`));
    expect(await root.getAttribute('data-delta')).toBe(String(r0.delta));
    await root.click();
    await expect.poll(() => root.getAttribute('aria-selected')).toBe('true');
    await shot('roots');

    await page.getByTestId('heapdiff-tab-roots').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('heapdiff-tab-dominators').getAttribute('aria-selected')).toBe('true');
    const doms = page.getByTestId('heapdiff-dominator-row');
    await expect.poll(() => doms.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const d0 = engine.byDominator[0]!;
    const dom = doms.and(page.locator(`[data-address="${d0.address}"]`)).first();
    expect(await dom.getAttribute('data-delta')).toBe(String(d0.delta));
    expect(await dom.getAttribute('data-status')).toBe(d0.status);
    await shot('dominators');

    await page.keyboard.press('End');
    await expect.poll(() => page.getByTestId('heapdiff-tab-goroutines').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByTestId('gr-stack-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const stack = page.getByTestId('gr-stack-row').first();
    expect(await stack.getAttribute('data-status')).toMatch(/^(new|gone|both)$/);
    expect(Number(await stack.getAttribute('data-delta'))).not.toBeNaN();
    await shot('goroutines');
  });
});
