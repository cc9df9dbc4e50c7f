/**
 * Issue 15: heap dump allocation sites link to their source, in a browser against
 * `heapscope serve --source-root DIR` (the folder every program may read sources from).
 *   - the heap view's allocation sites: a site's "source" link opens the Source panel at the site's
 *     file and line (that line marked and in view, its text the file's own line);
 *   - the object inspector's allocation stack: a frame's file:line opens the same panel at that line;
 *   - without --source-root the same file is not read (the panel lists the paths tried and offers to
 *     choose a folder), so the flag is what let it through.
 * Screenshots: test-output/screenshots/source-heap-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startServe, type ServeProc } from '../helpers/serve';
import { launchChromium, screenshotPath, watchErrors } from '../helpers/browser';
import { FIXTURES, ROOT } from '../helpers/paths';

const SRC = join(ROOT, 'test', 'fixtures', 'go', 'leakyapp');
const MAIN_GO = readFileSync(join(SRC, 'main.go'), 'utf8').split('\n');

async function openDump(page: Page): Promise<void> {
  await page.getByTestId('item-row').filter({ hasText: 'heap.dump' }).locator('.item-row__main').click();
  await page.getByTestId('heap-view').waitFor();
}

/** The Source panel in the heap view's dialog shows `line` of main.go, marked and in view, with the file's text. */
async function expectSourceAt(page: Page, line: number): Promise<void> {
  const dialog = page.getByTestId('heap-source-dialog');
  await dialog.getByTestId('source-lines').waitFor();
  const row = dialog.locator(`[data-testid=source-line][data-line="${line}"]`);
  expect(await row.getAttribute('data-hottest')).toBe('1');
  expect(await row.locator('.source-text code').textContent()).toBe(MAIN_GO[line - 1]);
  await expect
    .poll(() =>
      row.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const sc = el.closest('.source-scroll')!.getBoundingClientRect();
        return box.top >= sc.top && box.bottom <= sc.bottom;
      }),
    )
    .toBe(true);
  expect(await dialog.getByTestId('source-file').textContent()).toContain('main.go');
}

describe('heap dump allocation sites open the Source panel (serve --source-root)', () => {
  let browser: Browser;
  let srv: ServeProc;
  let page: Page;
  let errors: string[];
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hs-source-heap-e2e-'));
    browser = await launchChromium();
    srv = await startServe(['--no-demo', '--source-root', SRC, join(FIXTURES, 'heap.dump')], { HEAPSCOPE_DATA_DIR: dataDir });
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    errors = watchErrors(page);
    await page.goto(srv.url);
  });
  afterAll(async () => {
    await page?.close();
    await srv?.stop();
    await browser?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an allocation site opens its file at its line', async () => {
    await openDump(page);
    await page.getByTestId('heap-tab-sites').click();
    const site = page.getByTestId('alloc-site-row').filter({ hasText: 'main.cacheSession (main.go:97)' });
    await site.waitFor();
    const link = site.getByTestId('source-link');
    expect(await link.getAttribute('data-line')).toBe('97');
    expect(await link.getAttribute('data-file')).toMatch(/main\.go$/);
    await link.click();
    const dialog = page.getByTestId('heap-source-dialog');
    await dialog.waitFor();
    // The link opens the source; it does not select the row (no merged paths for it).
    expect(await page.getByTestId('merged-paths').count()).toBe(0);
    await expectSourceAt(page, 97);
    expect(MAIN_GO[96]).toMatch(/make\(\[\]byte, size\)/);
    await page.screenshot({ path: screenshotPath('source-heap-site') });
    // Escape closes it; the view is as it was.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("the object inspector's allocation stack opens the same panel at the frame's line", async () => {
    await page.getByTestId('heap-tab-dominators').click();
    const tree = page.getByTestId('dominator-tree');
    const pinned = tree.locator('[data-testid=dom-row]', { hasText: 'global main.pinned' });
    await pinned.waitFor();
    await pinned.click();
    // The key goes to the selected row: wait for the click to select it (a loaded host is slow).
    await expect.poll(() => pinned.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => pinned.getAttribute('aria-expanded')).toBe('true');
    const child = tree.locator('[data-testid=dom-row][aria-level="2"]').first();
    await child.waitFor();
    await child.click();
    const stack = page.getByTestId('object-inspector').getByTestId('alloc-stack');
    await stack.waitFor();
    const frame = stack.locator('.stack__frame').filter({ hasText: 'main.pinBlob' }).first();
    const link = frame.getByTestId('source-link');
    const line = Number(await link.getAttribute('data-line'));
    expect(line).toBeGreaterThan(0);
    expect(await link.textContent()).toBe(`${await link.getAttribute('data-file')}:${line}`);
    await link.click();
    await expectSourceAt(page, line);
    expect(await page.getByTestId('heap-source-dialog').getByTestId('source-panel').getAttribute('aria-label')).toBe('Source of main.pinBlob');
    await page.screenshot({ path: screenshotPath('source-heap-inspector') });
    await page.getByTestId('heap-source-close').click();
    await expect.poll(() => page.getByTestId('heap-source-dialog').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});

describe('without --source-root (control)', () => {
  it('the same site is not read: the paths tried and a folder to choose', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hs-source-heap-e2e-'));
    const browser = await launchChromium();
    const srv = await startServe(['--no-demo', join(FIXTURES, 'heap.dump')], { HEAPSCOPE_DATA_DIR: dataDir });
    try {
      const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
      await page.goto(srv.url);
      await openDump(page);
      await page.getByTestId('heap-tab-sites').click();
      const site = page.getByTestId('alloc-site-row').filter({ hasText: 'main.cacheSession (main.go:97)' });
      await site.getByTestId('source-link').click();
      const dialog = page.getByTestId('heap-source-dialog');
      await dialog.getByTestId('source-missing').waitFor();
      expect(await dialog.getByTestId('source-tried').locator('li').count()).toBeGreaterThan(0);
      expect(await dialog.getByTestId('source-lines').count()).toBe(0);
      // Choosing the folder in the panel reads it (remembered for this program).
      await dialog.getByTestId('source-root-input').fill(SRC);
      await dialog.getByTestId('source-root-add').click();
      await expectSourceAt(page, 97);
    } finally {
      await srv.stop();
      await browser.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('serve --source-root refuses what is not a folder', () => {
  it('exits with a one-line error', async () => {
    await expect(startServe(['--no-demo', '--source-root', join(SRC, 'main.go')])).rejects.toThrow(/not a folder: .*main\.go/);
    await expect(startServe(['--no-demo', '--source-root', join(SRC, 'no-such-dir')])).rejects.toThrow(/no such folder: .*no-such-dir/);
  });
});
