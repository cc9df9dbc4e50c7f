/**
 * Live capture in the UI, end to end: Chromium against `heapscope serve` and the real Go program
 * serving net/http/pprof on 127.0.0.1. Open URL → the profiles the index page lists (with counts);
 * heap twice (GC first) into the workspace; a 1-second CPU profile with its countdown; a goroutine
 * debug=2 dump; a closed port (a clear message, earlier captures intact); a watch (chart points,
 * dropped notice, findings, open the last captures, Stop); recent files after a restart (a missing
 * one says so in place); "Choose binary…" naming a heap dump's globals through the path field.
 *
 * Each step saves test-output/screenshots/live-<step>.png (some also -dark); any console error
 * fails the step. Serve runs with its own data folder, so recent files and captures are the test's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { FIXTURES } from '../helpers/paths';
import { startServe, type ServeProc } from '../helpers/serve';
import { haveChromium, launchChromium, screenshotPath, watchErrors } from '../helpers/browser';
import { closedPort, ensurePprofServer, startPprofServer, startServer, type GoServer } from '../integration/capture/helpers';

if (!haveChromium()) console.log('end-to-end: /usr/bin/chromium is missing (apt-get install -y chromium); these tests will fail');
const noGo = ensurePprofServer();
if (noGo) console.log(`live e2e skipped: ${noGo}`);

let browser: Browser;
let go: GoServer;
const dataDir = mkdtempSync(join(tmpdir(), 'heapscope-live-e2e-'));

beforeAll(async () => {
  if (noGo) return;
  browser = await launchChromium();
  go = await startPprofServer();
});
afterAll(async () => {
  await browser?.close();
  await go?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function row(page: Page, profile: string): Locator {
  return page.locator(`[data-testid="profile-row"][data-profile="${profile}"]`);
}

async function shot(page: Page, name: string, dark = false): Promise<void> {
  await page.screenshot({ path: screenshotPath(`live-${name}`) });
  if (!dark) return;
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(300); // buttons fade their colours (0.12 s transitions)
  await page.screenshot({ path: screenshotPath(`live-${name}-dark`) });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForTimeout(300);
}

async function openDialog(page: Page): Promise<Locator> {
  const dialog = page.getByTestId('open-url-dialog');
  if (!(await dialog.isVisible())) await page.getByTestId('open-url').click();
  await dialog.waitFor();
  return dialog;
}

async function closeDialog(page: Page): Promise<void> {
  await page.getByTestId('live-close').click();
  await page.getByTestId('open-url-dialog').waitFor({ state: 'hidden' });
}

async function capture(page: Page, profile: string): Promise<void> {
  const r = row(page, profile);
  const before = await page.getByTestId('captured-item').count();
  await r.getByTestId('capture-button').click();
  await expect.poll(async () => page.getByTestId('captured-item').count(), { timeout: 30_000 }).toBe(before + 1);
  await r.getByTestId('capture-done').waitFor();
  expect(await r.getByTestId('capture-error').count()).toBe(0);
}

describe.skipIf(!!noGo)('live capture from a Go service', () => {
  let srv: ServeProc;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    if (noGo) return;
    srv = await startServe(['--no-demo'], { HEAPSCOPE_DATA_DIR: dataDir });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    errors = watchErrors(page);
    await page.goto(srv.url);
  });
  afterAll(async () => {
    await page?.close();
    await srv?.stop();
  });

  it('start screen: Open URL opens the dialog', async () => {
    await page.getByTestId('start-screen').waitFor();
    await page.getByTestId('open-url').click();
    const dialog = page.getByTestId('open-url-dialog');
    await dialog.waitFor();
    // The address field has the focus.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('live-url');
    await shot(page, 'dialog');
    expect(errors).toEqual([]);
  });

  it('connects (host:port) and lists the profiles with their counts', async () => {
    const hostPort = go.url.replace(/^http:\/\//, '');
    await page.getByTestId('live-url').fill(hostPort);
    await page.getByTestId('live-connect').click();
    await row(page, 'heap').waitFor();
    for (const p of ['heap', 'goroutine', 'profile', 'allocs']) expect(await row(page, p).count()).toBe(1);
    const count = async (p: string) => Number((await row(page, p).getByTestId('profile-count').textContent())!.replace(/[^\d.]/g, ''));
    expect(await count('heap')).toBeGreaterThan(0);
    expect(await count('goroutine')).toBeGreaterThanOrEqual(3);
    // Descriptions from the index page, as text.
    expect(await row(page, 'goroutine').textContent()).toMatch(/Stack traces of all current goroutines/);
    expect(await page.getByTestId('profile-others').textContent()).toMatch(/cmdline/);
    await shot(page, 'profiles', true);
    expect(errors).toEqual([]);
  });

  it('captures heap twice (GC first) and both land in the workspace', async () => {
    const gc = row(page, 'heap').getByTestId('capture-gc');
    expect(await gc.isChecked()).toBe(true);
    await capture(page, 'heap');
    await capture(page, 'heap');
    await shot(page, 'heap-captured');
    await closeDialog(page);
    const rows = page.getByTestId('item-row');
    await expect.poll(async () => rows.count()).toBe(2);
    const names = await page.locator('.item-row__name').allTextContents();
    expect(names.every((n) => /^heap-.*\.pb\.gz$/.test(n))).toBe(true);
    expect(new Set(names).size).toBe(2);
    // The captured heap profile is viewed: the leaking allocation site is in it.
    await page.getByTestId('top-row').first().waitFor();
    await expect.poll(async () => (await page.getByTestId('top-row').allTextContents()).join('\n'), { timeout: 15_000 }).toContain('main.grow');
    await shot(page, 'workspace-heap');
    expect(errors).toEqual([]);
  });

  it('captures a 1-second CPU profile with a countdown', async () => {
    await openDialog(page);
    const r = row(page, 'profile');
    await r.getByTestId('capture-seconds').fill('1');
    expect(await r.getByTestId('capture-button').textContent()).toBe('Profile 1 s');
    await r.getByTestId('capture-button').click();
    const countdown = r.getByTestId('capture-countdown');
    await countdown.waitFor({ timeout: 5_000 });
    expect(await countdown.getByTestId('capture-progress-text').textContent()).toMatch(/^\d+ s left$|^downloading/);
    expect(await countdown.getByTestId('capture-cancel').isVisible()).toBe(true);
    await shot(page, 'cpu-countdown');
    await r.getByTestId('capture-done').waitFor({ timeout: 30_000 });
    await expect.poll(async () => page.getByTestId('item-row').count()).toBe(3);
    expect(await page.getByTestId('item-list').textContent()).toMatch(/cpu/i);
    expect(errors).toEqual([]);
  });

  it('cancels a CPU profile: nothing saved, nothing opened', async () => {
    const r = row(page, 'profile');
    await r.getByTestId('capture-seconds').fill('20');
    await r.getByTestId('capture-button').click();
    await r.getByTestId('capture-countdown').waitFor();
    await r.getByTestId('capture-cancel').click();
    await r.getByTestId('capture-cancelled').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('captured-item').count()).toBe(3);
    expect(await page.getByTestId('item-row').count()).toBe(3);
    await r.getByTestId('capture-seconds').fill('1');
    expect(errors).toEqual([]);
  });

  it('captures a goroutine debug=2 dump', async () => {
    const r = row(page, 'goroutine');
    await r.getByTestId('capture-debug').selectOption('2');
    // A delta does not apply to the full dump.
    expect(await r.getByTestId('capture-delta').isDisabled()).toBe(true);
    await capture(page, 'goroutine');
    await expect.poll(async () => page.getByTestId('item-row').count()).toBe(4);
    expect(await page.getByTestId('item-list').textContent()).toContain('goroutine-debug2');
    expect(await page.getByTestId('captured-item').first().getAttribute('data-profile')).toBe('goroutine');
    expect(errors).toEqual([]);
  });

  it('a closed port: a clear message in the dialog, earlier captures intact', async () => {
    const port = await closedPort();
    await page.getByTestId('live-url').fill(`127.0.0.1:${port}`);
    await page.getByTestId('live-connect').click();
    const err = page.getByTestId('live-connect-error');
    await err.waitFor({ timeout: 20_000 });
    const text = (await err.textContent()) ?? '';
    expect(text).toContain(`127.0.0.1:${port}`);
    expect(text).toMatch(/connection refused/);
    expect(await page.getByTestId('captured-item').count()).toBe(4);
    await shot(page, 'fault', true);
    await closeDialog(page);
    expect(await page.getByTestId('item-row').count()).toBe(4);
    // The app goes on: the workspace still answers.
    await page.getByTestId('item-row').first().locator('.item-row__main').click();
    await page.getByTestId('top-row').first().waitFor();
    expect(errors).toEqual([]);
  });

  it('credentials: a 401 in words, a bearer token remembered for the session only; index text stays text', async () => {
    const INDEX = `<html><head><title>/debug/pprof/</title></head><body>/debug/pprof/<br>Types of profiles available:
<table><thead><td>Count</td><td>Profile</td></thead>
<tr><td>3</td><td><a href='heap?debug=1'>heap</a></td></tr>
<tr><td>7</td><td><a href='leaky.sessions?debug=1'>leaky.sessions</a></td></tr>
</table><ul>
<li><div class=profile-name>heap: </div> A sampling of memory</li>
<li><div class=profile-name>leaky.sessions: </div> &lt;img src=x onerror=window.__pwned=1&gt; open sessions</li>
</ul></body></html>`;
    const seen: string[] = [];
    const guarded = await startServer((req, res) => {
      seen.push(req.headers.authorization ?? '');
      if (req.headers.authorization !== 'Bearer s3cret') {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(INDEX);
    });
    try {
      await openDialog(page);
      await page.getByTestId('live-tab-capture').click();
      await page.getByTestId('live-url').fill(`${guarded.url}/debug/pprof/`);
      await page.getByTestId('live-connect').click();
      const err = page.getByTestId('live-connect-error');
      await err.waitFor();
      expect(await err.textContent()).toMatch(/HTTP 401 Unauthorized/);

      await page.getByTestId('live-auth-kind').selectOption('bearer');
      await page.getByTestId('live-auth-token').fill('s3cret');
      expect(await page.getByTestId('live-auth-remember').isChecked()).toBe(true);
      await page.getByTestId('live-connect').click();
      await row(page, 'leaky.sessions').waitFor();
      expect(await page.getByTestId('live-connect-error').count()).toBe(0);
      // The page's markup is text: shown, never run.
      expect(await row(page, 'leaky.sessions').textContent()).toContain('<img src=x onerror=window.__pwned=1> open sessions');
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await row(page, 'leaky.sessions').getByTestId('profile-count').textContent()).toBe('7');
      await shot(page, 'auth');

      // Remembered for this session: with "None" chosen, the token is used again (and said so).
      await page.getByTestId('live-auth-kind').selectOption('none');
      await page.getByTestId('live-connect').click();
      await page.getByTestId('live-auth-remembered').waitFor();
      expect(seen.at(-1)).toBe('Bearer s3cret');
      expect(await page.getByTestId('live-connect-error').count()).toBe(0);
      // …and never follows the address to another origin.
      await page.getByTestId('live-url').fill(go.url);
      expect(await page.getByTestId('live-auth-kind').inputValue()).toBe('none');
      expect(await page.getByTestId('live-auth-remembered').count()).toBe(0);
      // Nothing of it in the page's storage.
      expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }))).not.toContain('s3cret');
      expect(errors).toEqual([]);
    } finally {
      await guarded.close();
    }
  });

  it('watches heap every 500 ms × 3: chart points, dropped notice, findings; opens the last captures', async () => {
    // A fresh service: its growth from a small start is plain to see.
    const fresh = await startPprofServer();
    try {
      await openDialog(page);
      await page.getByTestId('live-url').fill(fresh.url);
      await page.getByTestId('live-tab-watch').click();
      const form = page.getByTestId('watch-form');
      await form.waitFor();
      const on = (p: string) => page.locator(`[data-testid="watch-profile"][data-profile="${p}"]`).getByTestId('watch-profile-on');
      expect(await on('heap').isChecked()).toBe(true);
      await on('goroutine').uncheck();
      await page.getByTestId('watch-every').fill('0.5');
      await page.getByTestId('watch-count').fill('3');
      await page.getByTestId('watch-max-kept').fill('2');
      await page.getByTestId('watch-start').click();
      const panel = page.getByTestId('watch-panel');
      await panel.waitFor();
      await expect.poll(async () => panel.getAttribute('data-state'), { timeout: 30_000 }).toBe('stopped');
      const chart = panel.getByTestId('growth-chart');
      expect(await chart.getAttribute('data-points')).toBe('3');
      for (const m of ['heapInuse', 'heapAlloc', 'heapObjects', 'goroutines']) {
        expect(await chart.locator(`[data-testid="chart-point"][data-metric="${m}"]`).count()).toBe(3);
      }
      expect(await panel.getByTestId('watch-tick').count()).toBe(3);
      // Keep 2 ticks: the first and the last stay (retention keeps both ends of a watch), tick 2's
      // capture was deleted, with a notice.
      const dropped = panel.getByTestId('watch-dropped');
      expect(await dropped.count()).toBe(1);
      expect(await dropped.textContent()).toMatch(/tick 2/);
      expect(await panel.getByTestId('watch-state').textContent()).toMatch(/finished/);
      // The leak shows: something keeps rising.
      await expect.poll(async () => panel.getByTestId('watch-finding').count()).toBeGreaterThan(0);
      await shot(page, 'watch', true);

      // Open the heap captures still on disk (2 of 3) into the workspace.
      const items = await page.getByTestId('item-row').count();
      const openLast = panel.locator('[data-testid="watch-open-last"][data-profile="heap"]');
      expect(await openLast.textContent()).toMatch(/Open last 2 heap/);
      await openLast.click();
      await panel.getByTestId('watch-opened').waitFor();
      await expect.poll(async () => page.getByTestId('item-row').count()).toBe(items + 2);

      // A watch without a count, stopped by hand.
      const firstId = await panel.getAttribute('data-watch');
      // The form folded away when the watch started.
      expect(await page.getByTestId('watch-form').isVisible()).toBe(false);
      await page.getByTestId('watch-new').click();
      await page.getByTestId('watch-count').fill('');
      await page.getByTestId('watch-start').click();
      await expect.poll(async () => page.getByTestId('watch-panel').getAttribute('data-watch'), { timeout: 10_000 }).not.toBe(firstId);
      const second = page.getByTestId('watch-panel');
      await expect.poll(async () => Number(await second.getByTestId('growth-chart').getAttribute('data-points')), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      // The header says a watch runs (the dialog can be closed meanwhile).
      expect(await page.getByTestId('watch-pill').count()).toBe(1);
      await second.getByTestId('watch-stop').click();
      await expect.poll(async () => second.getAttribute('data-state'), { timeout: 15_000 }).toBe('stopped');
      expect(await second.getByTestId('watch-state').textContent()).toBe('stopped');
      expect(await page.getByTestId('watch-pill').count()).toBe(0);
      expect(await page.getByTestId('watch-choice').count()).toBe(2);
      await shot(page, 'watch-stopped');
      await closeDialog(page);
      expect(errors).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});

describe.skipIf(!!noGo)('recent files after a restart', () => {
  let srv: ServeProc;
  let page: Page;
  let errors: string[];
  afterAll(async () => {
    await page?.close();
    await srv?.stop();
  });

  it('lists what was opened, reopens it, and says in place when a file is gone', async () => {
    srv = await startServe(['--no-demo'], { HEAPSCOPE_DATA_DIR: dataDir });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    errors = watchErrors(page);
    await page.goto(srv.url);
    await page.getByTestId('start-screen').waitFor();
    const recent = page.getByTestId('recent-file');
    await recent.first().waitFor();
    const paths = await recent.evaluateAll((els) => els.map((e) => e.getAttribute('data-path') ?? ''));
    expect(paths.length).toBeGreaterThanOrEqual(5);
    expect(paths.some((p) => /[\\/]heap-[^\\/]*\.pb\.gz$/.test(p))).toBe(true);
    expect(paths.some((p) => /[\\/]goroutine-[^\\/]*\.txt$/.test(p) || /goroutine/.test(p))).toBe(true);
    await shot(page, 'recent', true);

    // A file deleted since: the error shows on its row; the start screen stays.
    const gone = paths.find((p) => /[\\/]profile-/.test(p)) ?? paths[paths.length - 1]!;
    unlinkSync(gone);
    const goneRow = page.locator(`[data-testid="recent-file"][data-path="${gone.replace(/"/g, '\\"')}"]`);
    await goneRow.locator('.recent__open').click();
    const err = goneRow.getByTestId('recent-error');
    await err.waitFor();
    expect(await err.textContent()).toMatch(/no such file/);
    expect(await page.getByTestId('start-screen').isVisible()).toBe(true);
    await shot(page, 'recent-missing');

    // A file still there: opened into the workspace.
    const heap = paths.find((p) => /[\\/]heap-[^\\/]*\.pb\.gz$/.test(p))!;
    await page.locator(`[data-testid="recent-file"][data-path="${heap.replace(/"/g, '\\"')}"]`).locator('.recent__open').click();
    await page.getByTestId('item-row').first().waitFor();
    expect(await page.getByTestId('item-row').count()).toBe(1);
    expect(errors).toEqual([]);
  });
});

describe.skipIf(!!noGo)('a heap dump: Choose binary… names its globals', () => {
  let srv: ServeProc;
  let page: Page;
  let errors: string[];
  const dir = mkdtempSync(join(tmpdir(), 'heapscope-live-dump-'));
  afterAll(async () => {
    await page?.close();
    await srv?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opened with the stripped binary (found beside it), then named through the path field', async () => {
    mkdirSync(dir, { recursive: true });
    const dump = join(dir, 'heap.dump');
    copyFileSync(join(FIXTURES, 'heap.dump'), dump);
    // Named like the dump, so Heapscope takes it as the dump's binary: stripped, it names nothing.
    copyFileSync(join(FIXTURES, 'leakyapp.stripped'), join(dir, 'heap'));
    srv = await startServe(['--no-demo', dump], { HEAPSCOPE_DATA_DIR: dataDir });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    errors = watchErrors(page);
    await page.goto(srv.url);
    await page.getByTestId('heap-view').waitFor();
    const hint = page.getByTestId('heap-exe-hint');
    await hint.waitFor();
    expect(await hint.textContent()).toMatch(/heap did not name them/);
    expect(await page.getByTestId('heap-stat-globals').textContent()).toMatch(/unnamed/);

    // In a browser there is no native dialog: a path on this machine.
    await hint.getByTestId('choose-binary').click();
    const field = hint.getByTestId('binary-path');
    await field.waitFor();
    // A wrong path first: the host's words, in place.
    await field.fill(join(dir, 'no-such-binary'));
    await hint.getByTestId('binary-attach').click();
    const err = hint.getByTestId('binary-error');
    await err.waitFor();
    expect(await err.textContent()).toMatch(/no-such-binary/);
    await shot(page, 'binary-error');

    await field.fill(join(FIXTURES, 'leakyapp'));
    await hint.getByTestId('binary-attach').click();
    await expect.poll(async () => page.getByTestId('heap-stat-globals').textContent(), { timeout: 30_000 }).toMatch(/^Globalsnamed/);
    expect(await page.getByTestId('heap-stat-globals').textContent()).toMatch(/from leakyapp/);
    expect(await page.getByTestId('heap-exe-hint').count()).toBe(0);
    await page.getByTestId('heap-tab-roots').click();
    await expect.poll(async () => (await page.getByTestId('root-row').allTextContents()).join('\n'), { timeout: 20_000 }).toContain('global main.sessionCache');
    await shot(page, 'binary-named', true);
    expect(await page.getByTestId('item-row').count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
