/**
 * The HTML report end to end: made by the built CLI (`node bin/heapscope.js report ...`), opened from
 * file:// in Debian's Chromium with every request other than the file itself blocked and recorded.
 *   1. The leakyapp investigation: no console errors, no request attempted, no CSP violation; the
 *      flame graphs are drawn; search highlights main.loadBlob with its matched total; zoom and
 *      tooltip work; the findings name the known leaks and jump to their sections.
 *   2. Hostile function names, file names and title: nothing executes, the names show as text.
 * Needs the full build (dist/cli.js + dist/report/): built here when dist/report is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { encodeProfile } from '../../shared/profile';
import { haveChromium, launchChromium, screenshotPath, watchErrors } from '../helpers/browser';
import { CLI_JS, FIXTURES, ROOT } from '../helpers/paths';
import { HOSTILE_LIST, HOSTILE_NAMES, hostileProfile } from '../unit/report/hostile';

if (!haveChromium()) console.log('end-to-end: /usr/bin/chromium is missing (apt-get install -y chromium); these tests will fail');

const HIGHLIGHT = '#ff3fb4'; // renderer/src/flame/colors.ts LIGHT_PALETTE.highlight
const work = mkdtempSync(join(tmpdir(), 'heapscope-report-e2e-'));
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'report', 'report.js')) || !existsSync(join(ROOT, 'dist', 'cli.js'))) {
    const b = spawnSync(process.execPath, [join(ROOT, 'build', 'build.mjs'), '--quiet'], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('build failed');
  }
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

function report(args: string[]): { out: string; file: string } {
  const file = join(work, `r-${Math.random().toString(36).slice(2)}.html`);
  const r = spawnSync(process.execPath, [CLI_JS, 'report', ...args, '-o', file], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`heapscope report failed (${r.status}): ${r.stderr}`);
  return { out: r.stdout, file };
}

interface Opened {
  page: Page;
  errors: string[];
  /** Requests other than the report file itself (all blocked). */
  requests: string[];
  cspViolations(): Promise<string[]>;
}

async function open(file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, colorScheme: 'light' });
  const errors = watchErrors(page);
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  await page.route('**/*', async (route) => {
    const u = route.request().url();
    if (u === url) return route.continue();
    requests.push(u);
    return route.abort('blockedbyclient');
  });
  page.on('request', (r) => {
    const u = r.url();
    if (u !== url && !requests.includes(u)) requests.push(u);
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  await page.locator('[data-testid=report][data-complete=true]').waitFor({ timeout: 30_000 });
  return { page, errors, requests, cspViolations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp) };
}

describe('the request and CSP watch (control)', () => {
  it('sees a page that tries to load something', async () => {
    const file = join(work, 'control.html');
    writeFileSync(
      file,
      `<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src http://127.0.0.1:9">` +
        `<div data-testid="report" data-complete="true">x</div><img src="http://127.0.0.1:9/x.png"><img src="https://example.invalid/y.png">`,
    );
    const o = await open(file);
    await expect.poll(() => o.requests).toContain('http://127.0.0.1:9/x.png');
    await expect.poll(() => o.cspViolations()).toEqual(['img-src https://example.invalid/y.png']);
    await o.page.close();
  });
});

describe('the HTML report of the leakyapp investigation', () => {
  let opened: Opened;
  let made: { out: string; file: string };

  it('is made by the CLI as one file and opens offline with no error and no request', async () => {
    made = report([
      ...['heap-1.pb.gz', 'heap-2.pb.gz', 'heap-3.pb.gz', 'goroutine.debug2.txt', 'heap.dump'].map((f) => join(FIXTURES, f)),
      '--exe',
      join(FIXTURES, 'leakyapp'),
      '--title',
      'Leakyapp investigation',
    ]);
    expect(made.out).toMatch(/^wrote .*\.html \([\d.]+ KiB, (\d+) bytes\): 6 findings, 7 sections\n$/);
    expect(Number(/, (\d+) bytes\)/.exec(made.out)![1])).toBe(statSync(made.file).size);
    opened = await open(made.file);
    const { page } = opened;
    expect(await page.title()).toBe('Leakyapp investigation');
    await page.screenshot({ path: screenshotPath('report-top') });
    // Header: what was analysed.
    const inputs = page.getByTestId('report-input');
    expect(await inputs.count()).toBe(5);
    const header = (await page.getByTestId('report-inputs').textContent()) ?? '';
    expect(header).toContain('go1.19.8');
    expect(header).toContain('amd64');
    expect(header).toContain('heap profile');
    expect((await page.getByTestId('report-header').textContent()) ?? '').toMatch(/with Heapscope \d+\.\d+\.\d+/);
    // the app's per-platform font stack (this Chromium runs on Linux)
    expect(await page.evaluate(() => document.documentElement.dataset.os)).toBe('linux');
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
    expect(await opened.cspViolations()).toEqual([]);
  });

  it('names the known leaks in the ranked findings, with evidence and a jump to the section', async () => {
    const { page } = opened;
    const items = page.getByTestId('report-finding');
    const texts = await items.allTextContents();
    const all = texts.join('\n');
    expect(texts.length).toBe(6);
    expect(all).toMatch(/main\.sessionCache/);
    expect(all).toMatch(/30 goroutines blocked on a channel receive in main\.worker/);
    expect(all).toMatch(/main\.loadBlob are kept alive by 16 B sub-slices held by global main\.pinned/);
    expect(all).toMatch(/main\.loadBlob: in-use memory grew 256 KiB → 768 KiB/);
    expect(await page.locator('[data-testid=report-finding][data-severity=high]').count()).toBe(5);
    // Evidence numbers in their units.
    const pin = items.filter({ hasText: 'sub-slices' });
    expect((await pin.textContent()) ?? '').toMatch(/Wasted\s*768 KiB/);
    // The jump link lands on the paths to roots of the pinned arrays.
    await pin.getByTestId('finding-link').click();
    const target = decodeURIComponent(new URL(page.url()).hash.slice(1));
    expect(target).toMatch(/^heap-0-suspect-\d$/);
    const suspect = page.locator(`[id="${target}"]`);
    await expect.poll(async () => suspect.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= -1 && r.top < window.innerHeight;
    })).toBe(true);
    expect((await suspect.textContent()) ?? '').toContain('global main.pinned');
    await page.screenshot({ path: screenshotPath('report-heap-paths') });
  });

  it('draws the flame graphs; search highlights main.loadBlob with its matched total; zoom and tooltip work', async () => {
    const { page } = opened;
    const section = page.locator('[data-testid=report-section][data-kind=profile]').filter({ hasText: 'heap-3.pb.gz' });
    await section.scrollIntoViewIfNeeded();
    const flame = section.getByTestId('flame-graph');
    await flame.locator('svg rect').first().waitFor();
    expect(await flame.locator('svg rect').count()).toBeGreaterThan(5);
    expect((await flame.textContent()) ?? '').toContain('main.loadBlob');
    expect(await section.getByTestId('flame-hidden-note').textContent()).toMatch(/frames hidden below 0\.05% width/);
    // Search.
    await section.getByTestId('flame-search').fill('main.loadBlob');
    const match = section.getByTestId('flame-match');
    await expect.poll(async () => match.textContent()).toMatch(/768 KiB\s*\(40\.6\d%\) in 1 frame/);
    const highlighted = flame.locator(`svg rect[fill="${HIGHLIGHT}"]`);
    await expect.poll(async () => highlighted.count()).toBe(1);
    expect(await highlighted.evaluate((r) => r.parentElement?.textContent ?? '')).toContain('main.loadBlob');
    await section.screenshot({ path: screenshotPath('report-flame-search') });
    // Tooltip.
    const box = flame.locator('svg g').filter({ hasText: /^main\.loadBlob$/ }).first();
    await box.hover();
    const tip = section.locator('.flame-tooltip');
    await expect.poll(async () => tip.isVisible()).toBe(true);
    expect((await tip.textContent()) ?? '').toMatch(/main\.loadBlob.*Total768 KiB/);
    // Zoom.
    await box.click();
    await expect.poll(async () => flame.getAttribute('data-zoomed')).toBe('true');
    expect(await flame.getAttribute('data-zoom-path')).toMatch(/main\.loadBlob$/);
    await section.getByTestId('flame-reset-zoom').click();
    await expect.poll(async () => flame.getAttribute('data-zoomed')).toBe('false');
    // The top table sorts.
    const first = async () => (await section.getByTestId('top-row').first().textContent()) ?? '';
    expect(await first()).toContain('main.loadBlob');
    await section.getByRole('columnheader', { name: /Cum$/ }).getByRole('button').click();
    await expect.poll(first).not.toContain('main.loadBlob');
  });

  it('shows the comparison: differential flame graph with its legend, the delta table, the side-by-side pair', async () => {
    const { page } = opened;
    const c = page.locator('[data-testid=report-section][data-kind=comparison]');
    await c.scrollIntoViewIfNeeded();
    expect((await c.getByTestId('diff-legend').textContent()) ?? '').toMatch(/Red = grew vs heap-1\.pb\.gz, blue = shrank.*full at ±20%/);
    const graphs = c.getByTestId('flame-graph');
    expect(await graphs.count()).toBe(3);
    for (let i = 0; i < 3; i++) await expect.poll(async () => graphs.nth(i).locator('svg rect').count()).toBeGreaterThan(5);
    // The differential graph colours frames by change: main.loadBlob grew, so it is red.
    const diff = c.getByTestId('diff-flame');
    const fill = (await diff.locator('svg g').filter({ hasText: /^main\.loadBlob$/ }).locator('rect').getAttribute('fill')) ?? '';
    const [r, , b] = (/rgb\((\d+), (\d+), (\d+)\)/.exec(fill) ?? []).slice(1).map(Number);
    expect(r, fill).toBeGreaterThan(b! + 60);
    // The delta table: biggest change first; selecting a row highlights the function in the graph.
    const first = c.getByTestId('delta-row').first();
    expect((await first.textContent()) ?? '').toMatch(/main\.loadBlob.*\+512 KiB/);
    await first.click();
    await expect.poll(async () => diff.getByTestId('flame-match').textContent()).toMatch(/\+512 KiB.*in 1 frame/);
    // Side by side: one search for both.
    const sbs = c.getByTestId('side-by-side');
    await sbs.getByTestId('side-search').fill('loadBlob');
    await expect.poll(async () => sbs.locator(`svg rect[fill="${HIGHLIGHT}"]`).count()).toBe(2);
    await c.screenshot({ path: screenshotPath('report-comparison') });
  });

  it('explains the heap dump and the goroutines', async () => {
    const { page } = opened;
    const h = page.locator('[data-testid=report-section][data-kind=heapdump]');
    expect((await h.getByTestId('heap-root-row').first().textContent()) ?? '').toContain('global main.pinned');
    expect(await h.getByTestId('heap-dom-row').count()).toBeGreaterThan(5);
    expect(await h.getByTestId('heap-path').count()).toBeGreaterThanOrEqual(3);
    const g = page.locator('[data-testid=report-section][data-kind=goroutines]');
    const snaps = g.getByTestId('goroutine-snapshot');
    expect(await snaps.count()).toBe(2);
    expect((await snaps.first().getByTestId('goroutine-states').textContent()) ?? '').toMatch(/chan receive\s*30/);
    expect((await snaps.first().getByTestId('goroutine-group').first().textContent()) ?? '').toMatch(/30.*chan receive.*main\.worker/);
    await g.screenshot({ path: screenshotPath('report-goroutines') });
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
    expect(await opened.cspViolations()).toEqual([]);
    await opened.page.close();
  });
});

describe('the HTML report with hostile names', () => {
  it('executes nothing and shows every name as text', async () => {
    const dir = mkdtempSync(join(work, 'hostile-'));
    const a = join(dir, `${HOSTILE_NAMES.img}.pb`);
    const b = join(dir, 'b"><svg onload=window.__pwned=1>.pb');
    writeFileSync(a, encodeProfile(hostileProfile(1)));
    writeFileSync(b, encodeProfile(hostileProfile(3)));
    const made = report([a, b, '--title', '</title><script>window.__pwned=1</script><img src=x onerror=window.__pwned=1>', '--min-fraction', '0']);
    const { page, errors, requests, cspViolations } = await open(made.file);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => document.scripts.length)).toBe(2);
    expect(await page.evaluate(() => document.querySelectorAll('img, iframe, object, embed').length)).toBe(0);
    expect(await page.title()).toBe('</title><script>window.__pwned=1</script><img src=x onerror=window.__pwned=1>');
    expect(await page.getByTestId('report-title').textContent()).toBe('</title><script>window.__pwned=1</script><img src=x onerror=window.__pwned=1>');
    // Every hostile name is in the page as text: flame labels, top table, delta table.
    const profileSection = page.locator('[data-testid=report-section][data-kind=profile]').first();
    await profileSection.scrollIntoViewIfNeeded();
    const topText = (await profileSection.getByTestId('top-table').textContent()) ?? '';
    // Labels are written as the chart's first transition runs.
    await expect.poll(async () => (await profileSection.getByTestId('flame-graph').textContent()) ?? '').toContain(HOSTILE_NAMES.script);
    const flameText = (await profileSection.getByTestId('flame-graph').textContent()) ?? '';
    const deltaText = (await page.getByTestId('delta-table').textContent()) ?? '';
    for (const n of HOSTILE_LIST) {
      expect(topText, n).toContain(n);
      expect(flameText, n).toContain(n);
      expect(deltaText, n).toContain(n);
    }
    // The file names too (header, section titles).
    expect((await page.getByTestId('report-inputs').textContent()) ?? '').toContain(`${HOSTILE_NAMES.img}.pb`);
    // The tooltip of a hostile frame: text.
    const box = profileSection.getByTestId('flame-graph').locator('svg g').filter({ hasText: HOSTILE_NAMES.img }).first();
    await box.hover();
    const tip = profileSection.locator('.flame-tooltip');
    await expect.poll(async () => tip.isVisible()).toBe(true);
    expect((await tip.textContent()) ?? '').toContain(HOSTILE_NAMES.img);
    // Searching for markup matches it literally.
    await profileSection.getByTestId('flame-search').fill('</script>');
    await expect.poll(async () => profileSection.getByTestId('flame-match').textContent()).toMatch(/^8\.79 KiB \(\d+\.\d+%\) in 3 frames$/);
    await page.screenshot({ path: screenshotPath('report-hostile') });
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await cspViolations()).toEqual([]);
    await page.close();
  });
});
