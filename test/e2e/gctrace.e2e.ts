/**
 * A `GODEBUG=gctrace=1` log in the app, end to end (screenshot test-output/screenshots/gctrace-view.png):
 * it opens as a workspace item of its own, its view charts the live heap after each GC against the
 * goal and lists every cycle, its finding opens that view, the Memory view accounts for it, and
 * once closed it is a recent file of its kind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Browser } from 'playwright-core';
import { startServe, type ServeProc } from '../helpers/serve';
import { haveChromium, launchChromium, screenshotPath, watchErrors } from '../helpers/browser';
import { parseGcTrace } from '../../shared/compare';

if (!haveChromium()) console.log('end-to-end: /usr/bin/chromium is missing (apt-get install -y chromium); these tests will fail');
const LOG = join(__dirname, '..', 'fixtures', 'extra', 'out', 'gctrace', 'leak.txt');
let browser: Browser;
let serve: ServeProc;

beforeAll(async () => {
  browser = await launchChromium();
  serve = await startServe([LOG, '--no-demo'], { HEAPSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), 'heapscope-gctrace-e2e-')) });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('a gctrace log in the app', () => {
  it('is an item of its own; its view charts every cycle and lists them; its finding opens it; Memory accounts for it', async () => {
    const cycles = parseGcTrace(readFileSync(LOG)).cycles;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(serve.url);
    const row = page.getByTestId('item-row').filter({ hasText: 'leak.txt' });
    await row.waitFor();
    expect(await row.locator('.kind-badge').textContent()).toBe('gctrace');
    await row.getByRole('button', { name: /leak\.txt, gctrace log/ }).click();
    const view = page.getByTestId('gctrace-view');
    await view.waitFor();
    await expect.poll(async () => view.getByTestId('gctrace-summary').textContent()).toMatch(new RegExp(`^${cycles.length} GCs \\(gc 1–${cycles.at(-1)!.gc}\\) over .* · live heap after GC 0 B → ${cycles.at(-1)!.liveMB}\\.0 MiB`));
    // The chart draws a point per cycle (its hidden list names them), the grid a row per cycle.
    await expect.poll(async () => view.locator('[data-testid="chart-point"][data-tone="live"]').count()).toBe(cycles.length);
    expect(await view.getByTestId('gctrace-cycles').getAttribute('aria-rowcount')).toBe(String(cycles.length + 1));
    expect(await view.getByTestId('gctrace-cycle').first().getAttribute('data-live-mb')).toBe(String(cycles[0]!.liveMB));
    await page.screenshot({ path: screenshotPath('gctrace-view') });
    // Its finding → this view.
    await page.getByTestId('findings-nav').click();
    const card = page.getByTestId('finding').and(page.locator('[data-kind="live-heap-growth"]'));
    await card.getByTestId('finding-open').click();
    await view.waitFor();
    // The Memory view has its account.
    await page.getByTestId('memory-nav').click();
    await expect.poll(async () => page.locator('[data-testid="memory-account"][data-source="gctrace"]').count(), { timeout: 30_000 }).toBe(1);
    // Closed, it is a recent file of its kind on the start screen.
    await row.getByRole('button', { name: /^Close leak\.txt$/ }).click();
    const recent = page.locator('[data-testid="recent-file"]').filter({ hasText: 'leak.txt' });
    await recent.waitFor();
    expect(await recent.locator('.kind-badge').textContent()).toBe('gctrace');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
