/**
 * Export Report in the UI, end to end: Chromium against `heapscope serve` on the demo investigation.
 *   1. The dialog: header button, Ctrl+E, Escape; a modal dialog with labelled controls, focus kept
 *      inside; every item checked and the default title "Heapscope report — <first item>".
 *   2. One item and the goroutines section left out, a title typed, Export: the browser downloads
 *      the report (saved under test-output/export/); the dialog says so with its size. The file is a
 *      self-contained HTML report: CSP meta, the title, heap-3.pb.gz and not the unchecked item.
 *   3. That file opened from file:// with every other request blocked: the findings list renders,
 *      no goroutines section, no console error, no request.
 *   4. Nothing checked: Export is disabled and the dialog says why (items, then sections).
 *   5. Progress with Cancel (the host's answer held back until the cancel call arrives), and a host
 *      error shown in the dialog in words.
 *   6. Closing the dialog does not cancel: the status bar keeps the progress, then says the download
 *      started.
 * Each step saves test-output/screenshots/export-<step>.png; any console error fails the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Locator, Page, Route } from 'playwright-core';
import { formatBytes } from '../../renderer/src/lib/format';
import { haveChromium, launchChromium, screenshotPath, watchErrors } from '../helpers/browser';
import { TEST_OUTPUT } from '../helpers/paths';
import { startServe, type ServeProc } from '../helpers/serve';

if (!haveChromium()) console.log('end-to-end: /usr/bin/chromium is missing (apt-get install -y chromium); these tests will fail');

const OUT = join(TEST_OUTPUT, 'export');
const TITLE = 'Checkout service: memory review, week 12';
const LEFT_OUT = 'heap-1.pb.gz';

let browser: Browser;
let srv: ServeProc;
let page: Page;
let errors: string[];
/** The downloaded report. */
let reportFile = '';

beforeAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  browser = await launchChromium();
  srv = await startServe([]);
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: 'light', acceptDownloads: true });
  errors = watchErrors(page);
  await page.goto(srv.url);
  await page.getByTestId('top-row').first().waitFor({ timeout: 30_000 });
});
afterAll(async () => {
  await page?.close();
  await browser?.close();
  await srv?.stop();
});

const dialog = () => page.getByTestId('export-dialog');
const item = (name: string): Locator => page.locator(`[data-testid="export-item"][data-name="${name}"]`);
const isOpen = () => dialog().evaluate((d) => (d as HTMLDialogElement).open);
const activeTestId = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);

async function openWithButton(): Promise<void> {
  await page.getByTestId('export-report').click();
  await dialog().waitFor();
}

describe('Export Report on the demo (heapscope serve, browser download)', () => {
  it('opens from the header and Ctrl+E as an accessible modal dialog, everything checked, a default title', async () => {
    expect(await page.getByTestId('item-row').count()).toBe(6);

    // Keyboard on the header button: Enter opens, Escape closes and gives focus back.
    await page.getByTestId('export-report').focus();
    await page.keyboard.press('Enter');
    await dialog().waitFor();
    const d = page.getByRole('dialog', { name: 'Export report' });
    expect(await d.getAttribute('aria-modal')).toBe('true');
    expect(await d.getAttribute('data-testid')).toBe('export-dialog');
    expect(await activeTestId()).toBe('export-title');

    // Every item checked, in the workspace's order; the title names the first one.
    const boxes = page.getByTestId('export-item');
    expect(await boxes.count()).toBe(6);
    const itemNames = await boxes.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
    expect(itemNames).toEqual(expect.arrayContaining(['heap-1.pb.gz', 'heap-2.pb.gz', 'heap-3.pb.gz', 'goroutine.pb.gz', 'goroutine.debug2.txt', 'heap.dump']));
    for (const b of await boxes.all()) expect(await b.isChecked()).toBe(true);
    expect(await page.getByTestId('export-title').inputValue()).toBe(`Heapscope report — ${itemNames[0]}`);
    expect(await page.getByTestId('export-items-count').textContent()).toBe('6 of 6');
    // Sections all on, default sample types, the browser's way of saving said.
    for (const s of ['findings', 'comparisons', 'heapdumps', 'goroutines', 'gctrace', 'profiles']) expect(await page.getByTestId(`export-section-${s}`).isChecked()).toBe(true);
    expect(await page.getByTestId('export-sample-default').isChecked()).toBe(true);
    expect(await page.getByTestId('export-destination').textContent()).toMatch(/browser downloads it/);
    // Labelled controls: every input has an accessible name.
    const unnamed = await dialog().evaluate((el) =>
      [...el.querySelectorAll('input, button')].filter((c) => {
        const i = c as HTMLInputElement;
        return !(i.labels && i.labels.length) && !c.getAttribute('aria-label') && !c.textContent?.trim();
      }).length,
    );
    expect(unnamed).toBe(0);
    expect(await page.getByLabel('Title', { exact: true }).getAttribute('data-testid')).toBe('export-title');
    await page.screenshot({ path: screenshotPath('export-dialog') });

    // Focus stays in the dialog, both ways round.
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="export-dialog"]'))).toBe(true);
    }
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="export-dialog"]'))).toBe(true);
    }

    await page.keyboard.press('Escape');
    await expect.poll(isOpen).toBe(false);
    expect(await activeTestId()).toBe('export-report');

    // Ctrl+E from anywhere opens it again.
    await page.getByTestId('top-row').first().click();
    await page.keyboard.press('Control+e');
    await expect.poll(isOpen).toBe(true);
    expect(errors).toEqual([]);
  });

  it('exports the checked items and sections: the browser downloads one self-contained HTML report', async () => {
    if (!(await isOpen())) await openWithButton();
    await item(LEFT_OUT).uncheck();
    expect(await page.getByTestId('export-items-count').textContent()).toBe('5 of 6');
    // The default title follows the first checked item until one is typed.
    expect(await page.getByTestId('export-title').inputValue()).toMatch(/^Heapscope report — (?!heap-1\.pb\.gz)/);
    await page.getByTestId('export-title').fill(TITLE);
    await page.getByTestId('export-section-goroutines').uncheck();
    expect(await page.getByTestId('export-problem').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('export-choices') });

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('export-submit').click()]);
    const name = download.suggestedFilename();
    expect(name).toMatch(/^heapscope-report-[\dT-]+\.html$/);
    reportFile = join(OUT, name);
    await download.saveAs(reportFile);
    expect(await download.failure()).toBeNull();

    const done = page.getByTestId('export-done');
    await done.waitFor({ timeout: 60_000 });
    const size = statSync(reportFile).size;
    const text = (await done.textContent()) ?? '';
    expect(text).toContain('Download started');
    expect(text).toContain(name);
    expect(text).toContain(`(${formatBytes(size)})`);
    expect(await page.getByTestId('export-error').count()).toBe(0);
    expect(await page.getByTestId('export-dismiss').textContent()).toBe('Done');
    await page.screenshot({ path: screenshotPath('export-done') });

    // Booleans, not toContain: a failure should not print a megabyte of HTML.
    const html = readFileSync(reportFile, 'utf8');
    expect(html.slice(0, 15).toLowerCase()).toBe('<!doctype html>');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    expect(csp?.[1]).toMatch(/^default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+';/);
    expect(csp![1]).not.toMatch(/https?:|'unsafe-inline'|'self'/);
    expect(html.includes(`<title>${TITLE}</title>`), 'the chosen title').toBe(true);
    expect(html.includes('heap-3.pb.gz'), 'names heap-3.pb.gz').toBe(true);
    expect(html.includes(LEFT_OUT), `names ${LEFT_OUT}, which was unchecked`).toBe(false);
    // Self-contained: scripts and styles inline, nothing fetched (the icon is a data: URL).
    expect(/<script[^>]*\ssrc=/i.test(html), 'a <script src>').toBe(false);
    const links = [...html.matchAll(/<link[^>]*\shref="([^"]*)"/gi)].map((m) => m[1]);
    expect(links.every((h) => h!.startsWith('data:')), `links: ${links.join(', ')}`).toBe(true);
    expect(errors).toEqual([]);
  });

  it('opens offline from file:// with every request blocked and shows the findings', async () => {
    expect(reportFile).not.toBe('');
    const p = await browser.newPage({ viewport: { width: 1400, height: 1000 }, colorScheme: 'light' });
    const pageErrors = watchErrors(p);
    const url = pathToFileURL(reportFile).href;
    const requests: string[] = [];
    await p.route('**/*', async (route) => {
      const u = route.request().url();
      if (u === url) return route.continue();
      requests.push(u);
      return route.abort('blockedbyclient');
    });
    p.on('request', (r) => {
      if (r.url() !== url && !requests.includes(r.url())) requests.push(r.url());
    });
    await p.goto(url);
    await p.locator('[data-testid=report][data-complete=true]').waitFor({ timeout: 30_000 });
    expect(await p.title()).toBe(TITLE);
    expect(await p.getByTestId('report-title').textContent()).toBe(TITLE);
    const findings = p.getByTestId('report-finding');
    expect(await findings.count()).toBeGreaterThan(0);
    expect(await findings.first().isVisible()).toBe(true);
    expect((await findings.allTextContents()).join('\n')).toMatch(/main\./);
    // What went in: the five checked items, no goroutines section, the heap-2 → heap-3 comparison.
    expect(await p.getByTestId('report-input').count()).toBe(5);
    expect((await p.getByTestId('report-inputs').textContent()) ?? '').not.toContain(LEFT_OUT);
    expect(await p.locator('[data-testid=report-section][data-kind=goroutines]').count()).toBe(0);
    expect(await p.locator('[data-testid=report-section][data-kind=comparison]').count()).toBeGreaterThan(0);
    expect(await p.locator('[data-testid=report-section][data-kind=heapdump]').count()).toBe(1);
    await p.screenshot({ path: screenshotPath('export-report-file') });
    expect(pageErrors).toEqual([]);
    expect(requests).toEqual([]);
    await p.close();
  });

  it('disables Export and says why when no item, or no section, is checked', async () => {
    if (!(await isOpen())) await openWithButton();
    const submit = page.getByTestId('export-submit');
    await page.getByTestId('export-items-none').click();
    expect(await page.getByTestId('export-items-count').textContent()).toBe('0 of 6');
    expect(await submit.isDisabled()).toBe(true);
    const problem = page.getByTestId('export-problem');
    expect(await problem.textContent()).toMatch(/No item is checked/);
    // The disabled button points at the explanation.
    const described = await submit.getAttribute('aria-describedby');
    expect(described).toBe(await problem.getAttribute('id'));
    // A typed title stays as typed.
    expect(await page.getByTestId('export-title').inputValue()).toBe(TITLE);
    await page.screenshot({ path: screenshotPath('export-no-items') });

    await page.getByTestId('export-items-all').click();
    expect(await submit.isEnabled()).toBe(true);
    for (const s of ['findings', 'comparisons', 'heapdumps', 'goroutines', 'gctrace', 'profiles']) await page.getByTestId(`export-section-${s}`).uncheck();
    expect(await submit.isDisabled()).toBe(true);
    expect(await problem.textContent()).toMatch(/No section is checked/);
    await page.screenshot({ path: screenshotPath('export-no-sections') });
    await page.getByTestId('export-sections-all').click();
    expect(await submit.isEnabled()).toBe(true);
    expect(await problem.count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('shows progress with Cancel while exporting, and a failure in words', async () => {
    if (!(await isOpen())) await openWithButton();
    // Hold the host's answer until the page asks to cancel, then answer as the host does.
    let release: (body: unknown) => void = () => undefined;
    const held = new Promise<unknown>((r) => (release = r));
    let answer: unknown = null;
    const onExport = async (route: Route) => {
      const body = answer ?? (await held);
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
    };
    const isExport = (u: URL) => u.pathname === '/api/exportReport';
    await page.route(isExport, onExport);
    try {
      await page.getByTestId('export-submit').click();
      const progress = page.getByTestId('export-progress');
      await progress.waitFor();
      expect(await page.getByTestId('export-submit').isDisabled()).toBe(true);
      expect(await page.getByTestId('export-submit').textContent()).toBe('Exporting…');
      expect(await page.getByTestId('export-progress-text').textContent()).toMatch(/\S/);
      await expect.poll(activeTestId).toBe('export-cancel');
      // The status bar has the same call, with its own Cancel (the machinery every panel uses).
      await page.getByTestId('progress-bar').filter({ hasText: 'Exporting a report of 6 items' }).waitFor();
      await page.screenshot({ path: screenshotPath('export-progress') });

      const cancelCall = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/cancel');
      await page.getByTestId('export-cancel').click();
      await cancelCall;
      expect(await page.getByTestId('export-progress-text').textContent()).toBe('Cancelling…');
      release({ ok: false, error: { code: 'CANCELLED', message: 'cancelled' } });
      const cancelled = page.getByTestId('export-cancelled');
      await cancelled.waitFor();
      expect(await cancelled.textContent()).toBe('Export cancelled: nothing was saved.');
      expect(await page.getByTestId('export-error').count()).toBe(0);
      expect(await progress.count()).toBe(0);
      await page.screenshot({ path: screenshotPath('export-cancelled') });

      // A failure from the host: shown in the dialog, in words, and the dialog stays usable.
      answer = { ok: false, error: { code: 'IO', message: 'cannot write the report: no space left on device', file: '/data/reports/heapscope-report.html' } };
      await page.getByTestId('export-submit').click();
      const err = page.getByTestId('export-error');
      await err.waitFor();
      const msg = (await err.textContent()) ?? '';
      expect(msg).toContain('Could not export the report');
      expect(msg).toContain('/data/reports/heapscope-report.html: cannot write the report: no space left on device');
      expect(await page.getByTestId('export-cancelled').count()).toBe(0);
      expect(await page.getByTestId('export-submit').isEnabled()).toBe(true);
      await page.screenshot({ path: screenshotPath('export-error') });
    } finally {
      await page.unroute(isExport, onExport);
    }
    await page.getByTestId('export-close').click();
    await expect.poll(isOpen).toBe(false);
    expect(errors).toEqual([]);
  });

  it('keeps exporting when the dialog is closed; the status bar says the download started', async () => {
    await openWithButton();
    // The real host's answer, held until the dialog is closed.
    let go: () => void = () => undefined;
    const gate = new Promise<void>((r) => (go = r));
    const isExport = (u: URL) => u.pathname === '/api/exportReport';
    const onExport = async (route: Route) => {
      const response = await route.fetch();
      await gate;
      await route.fulfill({ response });
    };
    await page.route(isExport, onExport);
    try {
      await page.getByTestId('export-submit').click();
      await page.getByTestId('export-progress').waitFor();
      await page.keyboard.press('Escape');
      await expect.poll(isOpen).toBe(false);
      // The status bar's task (its label is the host's step once progress arrives; its Cancel names the call).
      await page.locator('[data-testid=progress-cancel][aria-label="Cancel Exporting a report of 6 items"]').waitFor();
      await page.screenshot({ path: screenshotPath('export-closed-running') });
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), Promise.resolve().then(go)]);
      const file = join(OUT, `closed-${download.suggestedFilename()}`);
      await download.saveAs(file);
      await expect.poll(async () => page.getByTestId('status-notice').textContent()).toBe(
        `Download started: ${download.suggestedFilename()} (${formatBytes(statSync(file).size)}). Your browser saves it in its downloads folder.`,
      );
      await page.screenshot({ path: screenshotPath('export-closed-done') });
      // Reopened: a fresh dialog (the outcome was said in the status bar).
      await openWithButton();
      expect(await page.getByTestId('export-done').count()).toBe(0);
      await page.keyboard.press('Escape');
      await expect.poll(isOpen).toBe(false);
    } finally {
      await page.unroute(isExport, onExport);
    }
    expect(errors).toEqual([]);
  });
});
