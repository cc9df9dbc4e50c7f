import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { copyFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { FIXTURES, ROOT } from '../helpers/paths';
import { startServe, type ServeProc } from '../helpers/serve';
import { haveChromium, launchChromium, screenshotPath, watchErrors } from '../helpers/browser';

if (!haveChromium()) console.log('end-to-end: /usr/bin/chromium is missing (apt-get install -y chromium); these tests will fail');

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('heapscope serve in Chromium', () => {
  let srv: ServeProc;
  afterAll(async () => srv?.stop());

  it('opens a heap profile given on the command line: top table and flame graph', async () => {
    srv = await startServe(['--no-demo', join(FIXTURES, 'heap-3.pb.gz')]);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(srv.url);
    await page.getByTestId('item-row').first().waitFor();
    expect(await page.getByTestId('item-row').count()).toBe(1);
    await page.getByTestId('top-row').first().waitFor();
    const rows = await page.getByTestId('top-row').allTextContents();
    expect(rows.join('\n')).toContain('main.');
    const flame = page.getByTestId('flame-graph');
    await flame.locator('svg g').first().waitFor();
    expect(await flame.locator('svg rect').count()).toBeGreaterThan(3);
    await expect.poll(async () => flame.textContent(), { timeout: 10_000 }).toMatch(/main\.(cacheSession|worker|loadBlob)/);
    // The token left the address bar (once the page was idle).
    await expect.poll(() => page.url()).not.toContain('token=');
    await page.screenshot({ path: screenshotPath('serve-heap-profile'), fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a file picked in the browser (uploaded to serve) and shows it', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(srv.url);
    await page.getByTestId('item-row').first().waitFor();
    await page.locator('input[type=file]').first().setInputFiles(join(FIXTURES, 'heap-1.pb.gz'));
    await expect.poll(async () => page.getByTestId('item-row').count(), { timeout: 20_000 }).toBe(2);
    expect(await page.getByTestId('item-list').textContent()).toContain('heap-1.pb.gz');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a clear error for a file that is not a profile', async () => {
    const page = await browser.newPage();
    await page.goto(srv.url);
    await page.getByTestId('item-row').first().waitFor();
    await page.locator('input[type=file]').first().setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, this is not a profile\n') });
    const banner = page.getByTestId('error-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('notes.txt');
    await page.close();
  });
});

describe('the demo investigation', () => {
  let srv: ServeProc;
  afterAll(async () => srv?.stop());

  it('opens on the bundled demo: real profiles of the leaking Go program', async () => {
    srv = await startServe([]);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(srv.url);
    await page.getByTestId('top-row').first().waitFor();
    expect(await page.getByTestId('item-row').count()).toBeGreaterThanOrEqual(3);
    await expect.poll(async () => page.getByTestId('flame-graph').textContent(), { timeout: 10_000 }).toMatch(/main\./);
    await page.screenshot({ path: screenshotPath('demo'), fullPage: false });
    // HEAPSCOPE_UPDATE_DOCS=1 npm test refreshes the README's screenshot from this run.
    if (process.env.HEAPSCOPE_UPDATE_DOCS) copyFileSync(screenshotPath('demo'), join(ROOT, 'docs', 'screenshot.png'));
    expect(errors).toEqual([]);
    await page.close();
  });
});
