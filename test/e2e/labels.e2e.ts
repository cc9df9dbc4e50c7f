/**
 * Issue 11: pprof labels read from a Go 1.26/1.27 goroutine dump's headers (`{k: v}` / `labels:{…}`)
 * and from debug=1 `# labels:` lines filter the same goroutines in the UI's label filter, as
 * `--tag-focus` does in the CLI. Inputs: the matrix's modern program (test/fixtures/matrix.sh).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { matrixRuns, requireMatrix } from '../helpers/matrix';
import { startServe, type ServeProc } from '../helpers/serve';
import { launchChromium, screenshotPath, watchErrors } from '../helpers/browser';

requireMatrix();
const runs = matrixRuns().filter((r) => r.program === 'modern' && r.version !== '1.19' && existsSync(join(r.dir, 'goroutine.debug2.txt')));
if (runs.length === 0) console.log('labels e2e: no Go 1.26/1.27 matrix output (test/fixtures/matrix.sh); skipped');

describe.skipIf(runs.length === 0)('the label filter on goroutine dumps', () => {
  let browser: Browser;
  let srv: ServeProc;
  let page: Page;
  let errors: string[];
  const run = runs[runs.length - 1]!;
  const exp = JSON.parse(readFileSync(join(run.dir, 'expected.json'), 'utf8')) as { counts: Record<string, number>; labels: Record<string, string> };

  beforeAll(async () => {
    browser = await launchChromium();
    srv = await startServe(['--no-demo', join(run.dir, 'goroutine.debug2.txt'), join(run.dir, 'goroutine.debug1.txt')]);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    errors = watchErrors(page);
    await page.goto(srv.url);
  });
  afterAll(async () => {
    await page?.close();
    await srv?.stop();
    await browser?.close();
  });

  for (const file of ['goroutine.debug2.txt', 'goroutine.debug1.txt']) {
    it(`${file}: tenant=${exp.labels.tenant} keeps exactly the labelled goroutines`, async () => {
      await page.getByTestId('item-row').filter({ hasText: file }).locator('.item-row__main').click();
      await expect.poll(() => page.locator('.profile-header h2').textContent()).toBe(file);
      await page.getByTestId('top-row').first().waitFor();
      const input = page.getByTestId('filter-tagfocus');
      await input.fill(`tenant=${exp.labels.tenant}`);
      await input.press('Enter');
      await expect.poll(() => page.getByTestId('filter-chip').count()).toBe(1);
      // Only main.labelledWait's goroutines are left: its flat is the number of labelled goroutines.
      await expect
        .poll(async () => (await page.getByTestId('top-row').locator('.top-cell--name').allTextContents()).filter((n) => n.startsWith('main.')))
        .toEqual(['main.labelledWait']);
      const row = page.getByTestId('top-row').filter({ has: page.locator('.top-cell--name', { hasText: 'main.labelledWait' }) });
      expect((await row.locator('.top-cell--flat').textContent())?.trim()).toBe(String(exp.counts.labelled));
      await page.screenshot({ path: screenshotPath(`labels-${file}`) });
      await page.getByRole('button', { name: /Remove label filter/ }).click();
      await expect.poll(() => page.getByTestId('filter-chip').count()).toBe(0);
      expect(errors).toEqual([]);
    });
  }
});
