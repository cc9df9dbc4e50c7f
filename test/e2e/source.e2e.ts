/**
 * Issue 15, acceptance 5: the Source panel and the sandwich view in a browser against
 * `heapscope serve`, with screenshots (test-output/screenshots/source-*.png).
 *   - a top-table row opens the function panel: source (missing at first: the paths tried and a
 *     folder to choose; then the lines, with pprof -list's numbers, the hottest line in view) and
 *     the callers / callees graphs with the function's total;
 *   - a flame frame opens it too;
 *   - a comparison shows per-line deltas and differential callers / callees.
 * Numbers are computed by the engine in Node from the same files (computeList / computeFlame).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startServe, type ServeProc } from '../helpers/serve';
import { launchChromium, screenshotPath, watchErrors } from '../helpers/browser';
import { FIXTURES, ROOT } from '../helpers/paths';
import { computeFlame, compareProfiles } from '../../shared/profile';
import { computeList } from '../../shared/source/index';
import { load } from '../unit/profile/helpers';

const FN = 'main.cacheSession';
const SRC = join(ROOT, 'test', 'fixtures', 'go', 'leakyapp');

describe('the Source panel and the sandwich view', () => {
  let browser: Browser;
  let srv: ServeProc;
  let page: Page;
  let errors: string[];
  let dataDir: string;
  const heap3 = load(join(FIXTURES, 'heap-3.pb.gz')).profile;
  const heap1 = load(join(FIXTURES, 'heap-1.pb.gz')).profile;
  const item = (name: string) => page.getByTestId('item-row').filter({ hasText: name }).locator('.item-row__main');

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hs-source-e2e-'));
    browser = await launchChromium();
    srv = await startServe(['--no-demo', join(FIXTURES, 'heap-1.pb.gz'), join(FIXTURES, 'heap-3.pb.gz')], { HEAPSCOPE_DATA_DIR: dataDir });
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

  it('a top row opens the source: missing first (paths tried), then read from the folder chosen, numbers = pprof -list', async () => {
    await item('heap-3.pb.gz').click();
    await page.getByTestId('top-row').first().waitFor();
    await page.getByTestId('top-row').filter({ has: page.locator('.top-cell--name', { hasText: new RegExp(`^${FN}$`) }) }).click();
    const panel = page.getByTestId('function-panel');
    await expect.poll(() => panel.getAttribute('data-function')).toBe(FN);
    // leakyapp/main.go (GOPATH, -trimpath) is in no GOROOT and no module cache: the view says so.
    const missing = page.getByTestId('source-missing');
    await missing.waitFor();
    expect(await page.getByTestId('source-tried').locator('li').count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('source-missing') });
    await page.getByTestId('source-root-input').fill(SRC);
    await page.getByTestId('source-root-add').click();
    await page.getByTestId('source-lines').waitFor();
    expect(await page.getByTestId('source-via').textContent()).toContain('user-root');

    const want = computeList(heap3, `^${FN.replace('.', '\\.')}$`).functions[0]!;
    const rows = page.getByTestId('source-line');
    expect(await rows.count()).toBe(want.lines.length);
    const got = await rows.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-line')}:${e.getAttribute('data-flat')}:${e.getAttribute('data-cum')}`));
    expect(got).toEqual(want.lines.map((l) => `${l.line}:${l.flat}:${l.cum}`));
    // The hottest line is marked and scrolled into view; hot lines are highlighted.
    const hottest = page.locator('[data-testid=source-line][data-hottest="1"]');
    const best = want.lines.reduce((a, b) => (Math.abs(b.flat) > Math.abs(a.flat) ? b : a));
    expect(await hottest.getAttribute('data-line')).toBe(String(best.line));
    expect(await hottest.isVisible()).toBe(true);
    await expect.poll(() => hottest.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const sc = el.closest('.source-scroll')!.getBoundingClientRect();
      return box.top >= sc.top && box.bottom <= sc.bottom;
    })).toBe(true);
    expect(await hottest.locator('.source-text').textContent()).toContain('make(');
    expect(await page.getByTestId('source-open-editor').getAttribute('href')).toBe(`vscode://file${join(SRC, 'main.go')}:${best.line}`);
    await panel.screenshot({ path: screenshotPath('source-panel') });
    await page.screenshot({ path: screenshotPath('source-page') });
    expect(errors).toEqual([]);
  });

  it('the sandwich: callers above, callees below, each with the function total', async () => {
    const want = computeFlame(heap3, { pivot: FN, minFraction: 0.0005 });
    const sw = page.getByTestId('sandwich-view');
    await sw.getByTestId('sandwich-callers').locator('svg g').first().waitFor();
    await sw.getByTestId('sandwich-callees').locator('svg g').first().waitFor();
    expect(want.root.children).toHaveLength(2);
    // Every caller drawn (the callers tree's frames), the function itself in both.
    const callerNames = new Set<string>();
    const walk = (n: { name: string; children: Array<{ name: string; children: unknown[] }> }): void => {
      callerNames.add(n.name);
      for (const c of n.children) walk(c as never);
    };
    walk(want.root.children[0] as never);
    for (const name of callerNames) {
      if (/hidden/.test(name)) continue;
      expect(await sw.getByTestId('sandwich-callers').locator(`svg g[name="${name}"]`).count(), name).toBeGreaterThan(0);
    }
    expect(callerNames.has('main.runRound') || callerNames.has('main.main')).toBe(true);
    expect(await sw.getByTestId('sandwich-callees').locator(`svg g[name="${FN}"]`).count()).toBeGreaterThan(0);
    expect(await page.getByTestId('sandwich-total').textContent()).toContain(`with ${FN} on the stack`);
    expect(want.root.children[0]!.value).toBe(want.root.value);
    await sw.screenshot({ path: screenshotPath('source-sandwich') });
    expect(errors).toEqual([]);
  });

  it('a flame frame opens the panel for that function', async () => {
    await page.getByTestId('function-panel-close').click();
    await expect.poll(() => page.getByTestId('function-panel').count()).toBe(0);
    await page.getByTestId('top-row').first().click(); // select, then clear, so only the frame decides
    await page.getByTestId('top-row').first().click();
    const frame = page.getByTestId('flame-graph').first().locator('svg g[name="main.worker"]').first();
    await frame.click();
    await expect.poll(() => page.getByTestId('function-panel').getAttribute('data-function')).toBe('main.worker');
    await page.getByTestId('source-lines').waitFor();
    expect(errors).toEqual([]);
  });

  it('a comparison shows per-line deltas and differential callers / callees', async () => {
    await item('heap-1.pb.gz').click();
    await item('heap-3.pb.gz').click({ modifiers: ['ControlOrMeta'] });
    await page.getByTestId('compare-view').waitFor();
    await page.getByTestId('compare-tab-overlay').click();
    const row = page.getByTestId('delta-row').and(page.locator('[data-name="main.loadBlob"]'));
    await row.click();
    const panel = page.getByTestId('function-panel');
    await expect.poll(() => panel.getAttribute('data-function')).toBe('main.loadBlob');
    await page.getByTestId('source-lines').waitFor();
    const diff = compareProfiles(heap3, heap1, 'diff_base');
    const want = computeList(diff, '^main\\.loadBlob$', { sampleIndex: 'inuse_space' }).functions[0]!;
    const got = await page.getByTestId('source-line').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-line')}:${e.getAttribute('data-flat')}`));
    expect(got).toEqual(want.lines.map((l) => `${l.line}:${l.flat}`));
    expect(want.lines.some((l) => l.flat === 786432 - 262144)).toBe(true);
    expect(await page.getByTestId('source-totals').textContent()).toMatch(/^Δ flat \+?512 KiB/);
    await expect.poll(() => page.getByTestId('sandwich-view').getAttribute('data-delta')).toBe('1');
    await page.getByTestId('sandwich-callers').locator('svg g[name="main.loadBlob"]').first().waitFor();
    await panel.screenshot({ path: screenshotPath('source-compare') });
    expect(errors).toEqual([]);
  });
});
