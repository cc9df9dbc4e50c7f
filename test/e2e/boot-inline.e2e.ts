/**
 * The page `heapscope serve` sends with its boot data inline (electron/services/boot-page.ts,
 * renderer/src/app/bootData.ts), in Chromium: a profile with markup in its function and file names,
 * opened on the command line, so the names travel inside the page's HTML. They show as text in the
 * workspace, the table and the flame graph; nothing runs; no CSP violation (the data block is not a
 * script); the page made no workspace or flame graph call; a reload (the token is out of the
 * address by then) asks the API and shows the same. Screenshot: test-output/screenshots/boot-inline.png.
 * The page's text is drawn in the bundled UI font (renderer/src/styles/fonts.css), which the
 * response headers preload and the page fetches once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ProfileBuilder } from '../../shared/profile/builder';
import { encodeProfile } from '../../shared/profile/index';
import { startServe, type ServeProc } from '../helpers/serve';
import { haveChromium, launchChromium, screenshotPath, watchErrors } from '../helpers/browser';

if (!haveChromium()) console.log('end-to-end: /usr/bin/chromium is missing (apt-get install -y chromium); these tests will fail');

const IMG = 'evil.(*T[x]).<img src=x onerror=window.__pwned=1>';
const SCRIPT = 'evil.(*T[x]).</script><script>window.__pwned=1</script>';
const COMMENT = 'evil.(*T[x]).<!--<script>window.__pwned=1</script>';

function evilProfile(): Uint8Array {
  const b = new ProfileBuilder();
  b.p.sampleTypes = [b.valueType('inuse_objects', 'count'), b.valueType('inuse_space', 'bytes')];
  b.p.defaultSampleType = b.st.intern('inuse_space');
  const main = b.location('main', 0x401000, [{ func: b.func('main.main', 'evil/main.go'), line: 10 }]);
  const img = b.location('img', 0x401100, [{ func: b.func(IMG, 'evil/<b>bold</b>.go'), line: 20 }]);
  const script = b.location('script', 0x401200, [{ func: b.func(SCRIPT, 'evil/main.go'), line: 30 }]);
  const comment = b.location('comment', 0x401300, [{ func: b.func(COMMENT, 'evil/main.go'), line: 40 }]);
  b.sample([img, main], [3, 3 << 20]);
  b.sample([script, main], [2, 2 << 20]);
  b.sample([comment, main], [1, 1 << 20]);
  return encodeProfile(b.build());
}

let browser: Browser;
let srv: ServeProc;
let dir: string;

beforeAll(async () => {
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'hs-boot-e2e-'));
  const file = join(dir, 'evil-<script>&amp;.pb');
  writeFileSync(file, evilProfile());
  srv = await startServe([file, '--no-demo']);
});
afterAll(async () => {
  await srv?.stop();
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function expectNamesAsText(page: Page): Promise<void> {
  await page.getByTestId('item-row').first().waitFor();
  expect(await page.getByTestId('item-row').first().textContent()).toContain('evil-<script>&amp;.pb');
  const table = page.getByTestId('top-table');
  await table.getByTestId('top-row').first().waitFor();
  const names = await table.locator('[data-testid=top-row] .top-cell--name').allTextContents();
  expect(names).toEqual(expect.arrayContaining([IMG, SCRIPT, COMMENT]));
  const graph = page.getByTestId('flame-graph');
  await expect.poll(() => graph.locator('g.frame').evaluateAll((gs) => gs.map((g) => g.getAttribute('name')))).toEqual(expect.arrayContaining([IMG, SCRIPT, COMMENT]));
  await expect.poll(() => graph.locator('.d3-flame-graph-label').allTextContents()).toEqual(expect.arrayContaining([IMG, SCRIPT]));
  expect(await page.locator('main img, main script, aside img, header script').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
}

describe('the served page with its boot data inline', () => {
  it('shows untrusted names as text, runs nothing, and asks no workspace or flame graph call', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchErrors(page);
    const calls: string[] = [];
    page.on('request', (r) => {
      const m = /\/api\/(\w+)/.exec(r.url());
      if (m) calls.push(m[1]!);
    });
    const html: string[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'document') void r.text().then((t) => html.push(t));
    });
    await page.goto(srv.url);
    await expectNamesAsText(page);
    // the data came in the page, as one JSON data block whose text never holds a "<"
    const block = /<script type="application\/json" id="heapscope-boot">([^]*?)<\/script>/.exec(html[0] ?? '');
    expect(block).not.toBeNull();
    expect(block![1]).not.toContain('<');
    expect(JSON.parse(block![1]!).items[0].name).toBe('evil-<script>&amp;.pb');
    expect(await page.locator('#heapscope-boot').count()).toBe(0); // read and taken out
    expect(calls).not.toContain('listItems');
    expect(calls).not.toContain('flameGraph');
    expect(calls).toContain('top');
    await page.screenshot({ path: screenshotPath('boot-inline') });

    // A reload: the address has no token any more (taken out once the page was idle), so the page
    // is the plain file and asks the API.
    await expect.poll(() => page.url()).not.toContain('token=');
    calls.length = 0;
    html.length = 0;
    await page.reload();
    await expectNamesAsText(page);
    expect(html[0] ?? '').not.toContain('heapscope-boot');
    expect(calls).toEqual(expect.arrayContaining(['listItems', 'flameGraph', 'top']));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws its text in the bundled UI font, fetched once through the preload of the headers', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchErrors(page);
    const fonts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'font' || r.url().endsWith('.woff2')) fonts.push(new URL(r.url()).pathname);
    });
    const res = await page.goto(srv.url);
    expect(res?.headers().link ?? '').toMatch(/<\/assets\/noto-sans-latin-wght-normal-[\w-]{8}\.woff2>; rel=preload; as=font; type="font\/woff2"; crossorigin/);
    await page.getByTestId('flame-graph').locator('.d3-flame-graph-label').first().waitFor();
    expect(await page.evaluate(() => [...document.fonts].map((f) => `${f.family} ${f.status}`))).toEqual(['Noto Sans Variable loaded']);
    // What Chromium drew with (DevTools' own answer): the bundled font for the header, the sidebar,
    // the view title and the flame graph's labels; no system font for their Latin text.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    for (const sel of ['.brand__name', '.sidebar__title', '.item-row__name', '.d3-flame-graph-label']) {
      const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: sel });
      expect(nodeId, sel).toBeGreaterThan(0);
      const { fonts: used } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      expect(used.map((f) => `${f.familyName}${f.isCustomFont ? ' (bundled)' : ''}`), sel).toEqual(['Noto Sans (bundled)']);
    }
    expect(fonts).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
