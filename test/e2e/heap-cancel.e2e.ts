/**
 * Cancelling a dominator-tree level while it loads (the status bar's Cancel): the level says so
 * with a Retry, instead of looking empty ("The dump has no reachable objects.") with no way to load
 * it again; Retry loads it, with the cursor on the first root. The server is slowed by delaying the
 * page's dominator calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser, Route } from 'playwright-core';
import { startServe, type ServeProc } from '../helpers/serve';
import { haveChromium, launchChromium, watchErrors } from '../helpers/browser';
import { FIXTURES } from '../helpers/paths';

if (!haveChromium()) console.log('end-to-end: /usr/bin/chromium is missing (apt-get install -y chromium); these tests will fail');

let browser: Browser;
let srv: ServeProc;

beforeAll(async () => {
  browser = await launchChromium();
  srv = await startServe(['--no-demo', join(FIXTURES, 'heap.dump')]);
});
afterAll(async () => {
  await srv?.stop();
  await browser?.close();
});

describe('a dominator level cancelled while it loads', () => {
  it('says it was cancelled, with a Retry that loads it', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchErrors(page);
    let seen = 0;
    await page.route('**/api/heapDominators', (route: Route) => {
      seen++;
      setTimeout(() => void route.continue().catch(() => undefined), 1500);
    });
    await page.goto(srv.url);
    const tree = page.getByTestId('dominator-tree');
    await tree.waitFor();
    await expect.poll(() => seen).toBeGreaterThan(0);
    await page.getByRole('button', { name: /^Cancel Loading GC roots/ }).click();

    const more = tree.locator('[data-more="0"]');
    await expect.poll(() => more.textContent(), { timeout: 10_000 }).toMatch(/cancel/i);
    expect(await more.textContent()).toContain('Retry');
    expect(await tree.textContent()).not.toContain('no reachable objects');

    await page.unroute('**/api/heapDominators');
    await more.click();
    // The cursor goes to the first root, not along with the Retry row to the end of the page (where
    // the grid would scroll, leaving the first roots out of its rendered rows).
    // (Both read in each poll: right after the click the level's only row is the Retry row, which
    // names no node.)
    await expect
      .poll(
        async () => {
          const active = await tree.locator('.grid-row.is-active').getAttribute('data-node', { timeout: 1000 }).catch(() => null);
          const first = await tree.locator('[data-testid=dom-row][data-node]').first().getAttribute('data-node', { timeout: 1000 }).catch(() => null);
          return active !== null && active === first ? 'on the first root' : `active ${active}, first root ${first}`;
        },
        { timeout: 10_000 },
      )
      .toBe('on the first root');
    await tree.locator('[data-testid=dom-row]', { hasText: 'global main.pinned' }).waitFor();
    expect(await tree.locator('[data-more="0"]', { hasText: /cancel/i }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
