/**
 * The Electron menu's commands, driven through the browser build: the page's Server-Sent Events
 * stream (`GET /api/events`, where `{type:'menu', command}` events arrive) is served by the test,
 * which queues menu events as Electron's menu would send them. Everything else is the real
 * `heapscope serve` on the demo.
 *   compare (advice with one item selected; the pair shown again from the findings panel),
 *   show-findings / show-workspace, focus-search (profile view, from the findings panel, comparison;
 *   a heap dump has none: said in the status bar), export-report, open-url.
 * Screenshots: test-output/screenshots/menu-<step>.png; any console error fails the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { MenuCommand, ServerEvent } from '../../shared/api/contract';
import { haveChromium, launchChromium, screenshotPath, watchErrors } from '../helpers/browser';
import { startServe, type ServeProc } from '../helpers/serve';

if (!haveChromium()) console.log('end-to-end: /usr/bin/chromium is missing (apt-get install -y chromium); these tests will fail');

let browser: Browser;
let srv: ServeProc;
let page: Page;
let errors: string[];
const queue: ServerEvent[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  srv = await startServe([]);
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
  errors = watchErrors(page);
  // Each connection gets what is queued, then ends; EventSource reconnects after `retry` ms.
  await page.route(
    (u) => u.pathname === '/api/events',
    (route) =>
      route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' },
        body: `retry: 100\n\n${queue
          .splice(0)
          .map((e) => `event: server\ndata: ${JSON.stringify(e)}\n\n`)
          .join('')}`,
      }),
  );
  await page.goto(srv.url);
  await page.getByTestId('top-row').first().waitFor({ timeout: 30_000 });
});
afterAll(async () => {
  await page?.close();
  await browser?.close();
  await srv?.stop();
});

/** Send a menu command and wait until the page has taken it (the stream delivered the queue). */
async function menu(command: MenuCommand): Promise<void> {
  const delivered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/events');
  queue.push({ type: 'menu', command });
  await delivered;
  await expect.poll(() => queue.length).toBe(0);
  await page.waitForTimeout(150); // the event handler and React's commit
}

const activeTestId = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
const notice = () => page.getByTestId('status-notice');
const row = (name: string) => page.getByTestId('item-row').filter({ hasText: name });

describe('menu commands (Electron menu events) in the app', () => {
  it('compare: says how to pick two; with two picked, shows their comparison', async () => {
    await menu('compare');
    await expect.poll(async () => notice().textContent()).toMatch(/^To compare, keep heap-1\.pb\.gz selected and (Ctrl|⌘)-click a second item/);
    await page.screenshot({ path: screenshotPath('menu-compare-hint') });

    await row('heap-3.pb.gz').locator('button').first().click({ modifiers: ['Control'] });
    await page.getByTestId('compare-view').waitFor();
    await menu('show-findings');
    await page.getByTestId('findings-panel').waitFor();
    expect(await page.getByTestId('compare-view').count()).toBe(0);
    await menu('compare');
    await page.getByTestId('compare-view').waitFor();
    expect(await page.getByTestId('findings-panel').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('menu-compare') });
    expect(errors).toEqual([]);
  });

  it('focus-search: the comparison search, the profile search (also from the findings panel); none in a heap dump', async () => {
    await menu('focus-search');
    await expect.poll(activeTestId).toBe('compare-search');

    await row('heap-2.pb.gz').locator('button').first().click();
    await page.getByTestId('top-row').first().waitFor();
    await page.getByTestId('top-row').first().click();
    await menu('focus-search');
    await expect.poll(activeTestId).toBe('flame-search');

    await menu('show-findings');
    await page.getByTestId('findings-panel').waitFor();
    await menu('focus-search');
    await expect.poll(activeTestId).toBe('flame-search');
    expect(await page.getByTestId('findings-panel').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('menu-focus-search') });

    await row('heap.dump').locator('button').first().click();
    await page.getByTestId('heap-view').waitFor();
    await menu('focus-search');
    await expect.poll(async () => notice().textContent()).toBe('This view has no flame graph to search.');
    await page.screenshot({ path: screenshotPath('menu-focus-search-none') });
    expect(errors).toEqual([]);
  });

  it('show-findings and show-workspace switch the main panel', async () => {
    await menu('show-findings');
    await page.getByTestId('findings-panel').waitFor();
    expect(await page.getByTestId('findings-nav').getAttribute('aria-current')).not.toBeNull();
    await page.screenshot({ path: screenshotPath('menu-findings') });
    await menu('show-workspace');
    await page.getByTestId('heap-view').waitFor();
    expect(await page.getByTestId('findings-panel').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('export-report and open-url open their dialogs', async () => {
    await menu('export-report');
    const exp = page.getByTestId('export-dialog');
    await exp.waitFor();
    expect(await exp.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    await page.screenshot({ path: screenshotPath('menu-export-report') });
    await page.keyboard.press('Escape');
    await expect.poll(() => exp.evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);

    await menu('open-url');
    const live = page.getByTestId('open-url-dialog');
    await live.waitFor();
    expect(await live.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    await page.screenshot({ path: screenshotPath('menu-open-url') });
    await page.getByTestId('live-close').click();
    await live.waitFor({ state: 'hidden' });
    expect(errors).toEqual([]);
  });
});
