/**
 * Views and dialogs off the first screen are lazy chunks (renderer/src/lib/lazy.tsx). A chunk the
 * page cannot fetch (the server stopped, a rebuild replaced the files) is said in place with a
 * Retry; the rest of the app keeps working, and Retry loads it once it can be had. Screenshot:
 * test-output/screenshots/lazy-chunk-error.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startServe, type ServeProc } from '../helpers/serve';
import { haveChromium, launchChromium, screenshotPath, watchErrors } from '../helpers/browser';
import { ROOT } from '../helpers/paths';

if (!haveChromium()) console.log('end-to-end: /usr/bin/chromium is missing (apt-get install -y chromium); these tests will fail');

let browser: Browser;
let srv: ServeProc;

beforeAll(async () => {
  browser = await launchChromium();
  srv = await startServe([join(ROOT, 'test', 'fixtures', 'out', 'go1.19', 'leakyapp', 'heap-1.pb.gz'), '--no-demo']);
});
afterAll(async () => {
  await srv?.stop();
  await browser?.close();
});

describe('a lazy chunk that cannot be fetched', () => {
  it('is said in place with a Retry, the app keeps working, and Retry loads it', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchErrors(page);
    let blocked = 0;
    // The export dialog's chunk fails (as it would once the server is gone) until unblocked.
    await page.route(/\/assets\/ExportReportDialog-[^/]*\.js$/, (route) => {
      blocked++;
      return route.abort('connectionrefused');
    });
    await page.goto(srv.url);
    await page.getByTestId('flame-graph').locator('rect').first().waitFor();
    await page.getByTestId('export-report').click();
    const err = page.getByTestId('chunk-error');
    await err.waitFor();
    expect(blocked).toBeGreaterThan(0);
    expect(await err.textContent()).toContain('Could not load this part of Heapscope');
    await page.screenshot({ path: screenshotPath('lazy-chunk-error') });

    // The rest of the app is still there and works.
    await page.getByTestId('top-table').getByTestId('top-row').first().waitFor();
    await page.getByTestId('flame-search').fill('main');
    expect(await page.getByTestId('item-row').count()).toBe(1);

    await page.unroute(/\/assets\/ExportReportDialog-[^/]*\.js$/);
    await err.getByRole('button', { name: 'Retry' }).click();
    await page.getByTestId('export-dialog').waitFor();
    expect(await page.getByTestId('chunk-error').count()).toBe(0);
    // The failed fetches are the only errors the page reports.
    expect(errors.filter((e) => !/ExportReportDialog|Failed to fetch dynamically imported module|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
    await page.close();
  });
});
