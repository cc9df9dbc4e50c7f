/**
 * The UI, end to end, in Chromium against `heapscope serve`: a walk through the demo investigation
 * (flame search, zoom, top table sort, side-by-side comparison, heap dump: dominator tree, paths to
 * GC roots, ignored edges, roots, allocation sites, inspector), and untrusted names staying text.
 * Each step saves test-output/screenshots/ui-<step>.png; any console error fails the step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { ProfileBuilder } from '../../shared/profile/builder';
import { encodeProfile } from '../../shared/profile/index';
import { FIXTURES } from '../helpers/paths';
import { buildHeapAnalysis, HeapDumpParser } from '../../shared/heap/index';
import { formatCount } from '../../renderer/src/lib/format';

/** The demo dump's summary as the engine computes it in Node (with the binary beside it). */
function nodeSummary(): ReturnType<ReturnType<typeof buildHeapAnalysis>['summary']> {
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'heap.dump')));
  const p = new HeapDumpParser({ totalBytes: bytes.length, file: 'heap.dump' });
  p.push(bytes);
  const exe = new Uint8Array(readFileSync(join(FIXTURES, 'leakyapp')));
  return buildHeapAnalysis(p.end(), { size: exe.length, read: (o, n) => exe.subarray(o, o + n) }).summary();
}
import { startServe, type ServeProc } from '../helpers/serve';
import { haveChromium, launchChromium, screenshotPath, watchErrors } from '../helpers/browser';

if (!haveChromium()) console.log('end-to-end: /usr/bin/chromium is missing (apt-get install -y chromium); these tests will fail');

const UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** "1.85 MiB" → bytes (what formatBytes prints). */
function parseBytes(text: string): number {
  const m = /^(-?[\d.]+)\s*(B|KiB|MiB|GiB)$/.exec(text.trim());
  if (!m) throw new Error(`not a byte size: ${JSON.stringify(text)}`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

function itemRow(page: Page, name: string): Locator {
  return page.getByTestId('item-row').filter({ has: page.locator('.item-row__name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
}

/** d3-flame-graph draws boxes with a transition; wait until a named frame is laid out. */
async function frame(graph: Locator, name: string): Promise<Locator> {
  const g = graph.locator(`g[name="${name}"]`).first();
  await g.waitFor();
  await expect.poll(async () => (await g.boundingBox())?.width ?? 0, { timeout: 10_000 }).toBeGreaterThan(40);
  await graph.page().waitForTimeout(350);
  return g;
}

/**
 * The dominator tree's object/root rows at a depth. A level loads when it is first expanded and
 * shows a "Loading…" row at that depth meanwhile (also a dom-row, without data-node): wait for
 * these rows, not for any row of the level.
 */
function domNodes(tree: Locator, level: number): Locator {
  return tree.locator(`[data-testid=dom-row][data-node][aria-level="${level}"]`);
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('walking the demo investigation', () => {
  let srv: ServeProc;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    srv = await startServe([]);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    errors = watchErrors(page);
    await page.goto(srv.url);
    await page.getByTestId('top-row').first().waitFor();
  });
  afterAll(async () => {
    await page?.close();
    await srv?.stop();
  });

  async function shot(step: string) {
    await page.screenshot({ path: screenshotPath(`ui-${step}`) });
    expect(errors).toEqual([]);
  }

  it('uses the bundled UI font, then the Linux font stack on Linux: the root says data-os=linux and the fallbacks start with the fonts Linux has', async () => {
    // This Chromium runs on Linux (tokens.css puts Noto Sans and DejaVu Sans first there; fonts.css
    // puts the bundled Noto Sans before them).
    expect(await page.evaluate(() => document.documentElement.dataset.os)).toBe('linux');
    const family = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    expect(family.split(',').slice(0, 3).map((f) => f.trim().replace(/["']/g, ''))).toEqual(['Noto Sans Variable', 'Noto Sans', 'DejaVu Sans']);
    const mono = await page.getByTestId('flame-search').evaluate((el) => getComputedStyle(el).fontFamily);
    expect(mono.split(',')[0]!.trim().replace(/["']/g, '')).toBe('DejaVu Sans Mono');
  });

  it('searches the flame graph and shows the matched total', async () => {
    await itemRow(page, 'heap-3.pb.gz').locator('.item-row__main').click();
    await expect.poll(() => page.locator('.profile-header h2').textContent()).toBe('heap-3.pb.gz');
    const graph = page.getByTestId('flame-graph');
    await frame(graph, 'main.loadBlob');
    await page.getByTestId('flame-search').fill('loadBlob');
    // main.loadBlob holds the six 128 KiB arrays: 786432 B.
    await expect.poll(() => page.getByTestId('flame-match').textContent()).toMatch(/^768 KiB \(\d+\.\d\d%\) in 1 frame$/);
    await page.getByTestId('flame-search').fill('main\\.(worker|cacheSession)$');
    await page.getByRole('button', { name: 'Use regular expression' }).click();
    await expect.poll(() => page.getByTestId('flame-match').textContent()).toMatch(/ in 2 frames$/);
    await shot('search');
    await page.getByTestId('flame-search').fill('');
    await page.getByRole('button', { name: 'Use regular expression' }).click();
    await expect.poll(() => page.getByTestId('flame-match').textContent()).toBe('');
  });

  it('zooms on a frame: breadcrumb, then reset', async () => {
    // The profile's own graph: clicking a frame also opens the function panel, whose sandwich has two more.
    const graph = page.getByTestId('flame-graph').first();
    await (await frame(graph, 'main.runRound')).click();
    const crumbs = page.getByTestId('flame-breadcrumb').first();
    await expect.poll(() => crumbs.textContent()).toMatch(/main\.main\s*›\s*main\.runRound$/);
    await expect.poll(() => graph.getAttribute('data-zoomed')).toBe('true');
    expect(await page.getByTestId('flame-reset-zoom').first().isEnabled()).toBe(true);
    await page.waitForTimeout(400);
    await shot('zoom');
    await page.getByTestId('flame-reset-zoom').first().click();
    await expect.poll(() => crumbs.count()).toBe(0);
    await expect.poll(() => graph.getAttribute('data-zoomed')).toBe('false');
    expect(await page.getByTestId('flame-reset-zoom').first().isDisabled()).toBe(true);
  });

  it('sorts the top table by cum', async () => {
    const table = page.getByTestId('top-table');
    const cumHeader = table.getByRole('columnheader', { name: 'Cum', exact: true });
    await cumHeader.getByRole('button').click();
    await expect.poll(() => cumHeader.getAttribute('aria-sort')).toBe('descending');
    const cums = (await table.locator('[data-testid=top-row] .top-cell--cum').allTextContents()).map(parseBytes);
    expect(cums.length).toBeGreaterThan(5);
    for (let i = 1; i < cums.length; i++) expect(cums[i]!).toBeLessThanOrEqual(cums[i - 1]!);
    // Flat order is different: the top cum rows are callers with no flat value of their own.
    const first = await table.locator('[data-testid=top-row] .top-cell--name').first().textContent();
    expect(['runtime.main', 'main.main']).toContain(first);
    await shot('top-cum');
  });

  it('compares heap-1 and heap-3 side by side, zoom kept in sync', async () => {
    await itemRow(page, 'heap-1.pb.gz').locator('.item-row__main').click();
    await itemRow(page, 'heap-3.pb.gz').getByTestId('item-compare').click();
    const view = page.getByTestId('compare-view');
    await view.waitFor();
    await expect.poll(() => itemRow(page, 'heap-1.pb.gz').getAttribute('data-compare')).toBe('A');
    await expect.poll(() => itemRow(page, 'heap-3.pb.gz').getAttribute('data-compare')).toBe('B');
    const a = page.getByTestId('compare-a').getByTestId('flame-graph');
    const b = page.getByTestId('compare-b').getByTestId('flame-graph');
    await frame(a, 'main.loadBlob');
    await frame(b, 'main.loadBlob');
    expect(await a.locator('svg rect').count()).toBeGreaterThan(3);
    expect(await b.locator('svg rect').count()).toBeGreaterThan(3);
    // heap-3 holds three rounds of leaks, heap-1 one.
    await expect.poll(() => page.getByTestId('compare-total-delta').textContent()).toMatch(/^B − A \+/);

    // One search box for both: each graph reports its own matched total.
    await page.getByTestId('compare-search').fill('loadBlob');
    await expect.poll(() => page.getByTestId('compare-a').getByTestId('flame-match').textContent()).toMatch(/^256 KiB .* in 1 frame$/);
    await expect.poll(() => page.getByTestId('compare-b').getByTestId('flame-match').textContent()).toMatch(/^768 KiB .* in 1 frame$/);

    // Zooming A zooms B to the same stack of names.
    await (await frame(a, 'main.pinBlob')).click();
    await expect.poll(() => a.getAttribute('data-zoom-path')).toMatch(/main\.runRound\nmain\.pinBlob$/);
    await expect.poll(() => b.getAttribute('data-zoom-path')).toBe(await a.getAttribute('data-zoom-path'));
    await expect.poll(() => page.getByTestId('compare-b').getByTestId('flame-breadcrumb').textContent()).toMatch(/main\.pinBlob$/);
    // And the other way round.
    await (await frame(b, 'main.runRound')).click();
    await expect.poll(() => a.getAttribute('data-zoom-path')).toMatch(/main\.runRound$/);
    await page.waitForTimeout(400);
    await shot('compare');
    await page.getByTestId('compare-reset-zoom').click();
    await expect.poll(() => a.getAttribute('data-zoomed')).toBe('false');
    await expect.poll(() => b.getAttribute('data-zoomed')).toBe('false');
    await page.getByTestId('compare-search').fill('');
  });

  it('opens the heap dump: summary header', async () => {
    await itemRow(page, 'heap.dump').locator('.item-row__main').click();
    const summary = page.getByTestId('heap-summary');
    await summary.waitFor();
    await expect.poll(() => page.getByTestId('heap-go-version').textContent()).toBe('go1.19.8');
    expect(await page.getByTestId('heap-goarch').textContent()).toBe('amd64');
    // The numbers of the engine run in Node on the same file (leakyapp's own garbage: 64 objects).
    const s = nodeSummary();
    expect(await page.getByTestId('heap-stat-objects').textContent()).toContain(formatCount(s.objects));
    expect(await page.getByTestId('heap-stat-reachable').textContent()).toContain(`${formatCount(s.reachableObjects)} objects`);
    expect(s.garbageObjects).toBeGreaterThanOrEqual(64);
    expect(await page.getByTestId('heap-stat-garbage').textContent()).toContain(formatCount(s.garbageObjects));
    expect(await page.getByTestId('heap-stat-goroutines').textContent()).toContain(formatCount(s.goroutines));
    expect(await page.getByTestId('heap-stat-globals').textContent()).toContain('named');
    expect(await page.getByTestId('heap-exe-hint').count()).toBe(0);
    expect(await page.getByTestId('heap-incomplete').count()).toBe(0);
  });

  it('expands the dominator tree two levels with the keyboard', async () => {
    const tree = page.getByTestId('dominator-tree');
    const pinned = tree.locator('[data-testid=dom-row]', { hasText: 'global main.pinned' });
    await pinned.waitFor();
    expect(await pinned.getAttribute('aria-level')).toBe('1');
    expect(await pinned.getByTestId('root-badge').textContent()).toBe('global');
    await pinned.click();
    await page.keyboard.press('ArrowRight');
    // The level arrives from the server: until then ↓ would move onto its "Loading…" row.
    const level2 = domNodes(tree, 2);
    await level2.first().waitFor();
    expect(await tree.locator('[data-testid=dom-row][aria-level="2"]').count()).toBe(1);
    expect(await level2.first().textContent()).toContain('main.pinBlob');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    const level3 = domNodes(tree, 3);
    await level3.nth(5).waitFor();
    expect(await tree.locator('[data-testid=dom-row][aria-level="3"]').count()).toBe(6);
    for (const t of await level3.allTextContents()) {
      expect(t).toContain('128 KiB');
      expect(t).toContain('main.loadBlob');
    }
    // ← on a child goes to its parent, ← again collapses it.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => level3.count()).toBe(0);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => level3.count()).toBe(6);
    await shot('dominators');
  });

  it('shows paths to GC roots for the biggest object under global main.pinned', async () => {
    // Cursor on the pinBlob slice array; ↓ to its first (biggest) child, Enter selects it.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const selected = page.getByTestId('dominator-tree').locator('[data-testid=dom-row][aria-selected=true]');
    await expect.poll(() => selected.getAttribute('aria-level')).toBe('3');
    const paths = page.getByTestId('heap-paths');
    const steps = paths.getByTestId('path-step');
    await expect.poll(() => steps.count()).toBe(3);
    expect(await steps.first().textContent()).toContain('global main.pinned');
    expect(await steps.nth(1).textContent()).toContain('main.pinBlob');
    expect(await steps.nth(2).textContent()).toContain('main.loadBlob');
    const edges = paths.getByTestId('path-edge');
    expect(await edges.first().textContent()).toContain('main.pinned+0x0');
    // The sub-slice points 64 KiB into the array: an interior pointer.
    expect(await edges.nth(1).textContent()).toContain('interior +0x10000');
    await shot('paths');
  });

  it('ignores an edge: next-shortest path or "no other path", chip removable', async () => {
    const paths = page.getByTestId('heap-paths');
    const before = await paths.getByTestId('heap-path').textContent();
    await paths.getByTestId('ignore-edge').first().click();
    await expect.poll(() => paths.getByTestId('ignored-edge').count()).toBe(1);
    expect(await paths.getByTestId('ignored-edge').textContent()).toContain('global main.pinned →');
    await expect
      .poll(async () => ((await paths.getByTestId('paths-none').count()) ? 'none' : (await paths.getByTestId('heap-path').textContent()) !== before ? 'changed' : 'same'))
      .not.toBe('same');
    // main.pinned is the only way to these arrays.
    expect(await paths.getByTestId('paths-none').textContent()).toContain('No other path');
    await shot('ignore-edge');
    await paths.getByTestId('ignored-edge').getByRole('button').click();
    await expect.poll(() => paths.getByTestId('path-step').count()).toBe(3);
    expect(await paths.getByTestId('ignored-edge').count()).toBe(0);
  });

  it('opens an object in the inspector: size, pointers, hex', async () => {
    const inspector = page.getByTestId('object-inspector');
    // Open the pinBlob slice array from its path step, then follow a pointer back to an array.
    await page.getByTestId('heap-paths').getByTestId('path-step').nth(1).getByRole('button').click();
    await expect.poll(() => inspector.getByTestId('inspector-size').getAttribute('data-bytes')).toBe('192');
    const pointers = inspector.getByTestId('pointer-row');
    await expect.poll(() => pointers.count()).toBe(6);
    expect(await pointers.first().textContent()).toContain('+0x10000');
    await pointers.first().click();
    await expect.poll(() => inspector.getByTestId('inspector-size').getAttribute('data-bytes')).toBe('131072');
    expect(await inspector.getByTestId('inspector-size').textContent()).toBe('131072 B (128 KiB)');
    const hex = inspector.getByTestId('hex-row');
    await hex.first().waitFor();
    // xxd's layout: offset, 16 bytes in groups of two, ASCII column
    expect(await hex.first().textContent()).toMatch(/^[0-9a-f]{5} (?:[0-9a-f]{4} ){7}[0-9a-f]{4}  .{16}$/);
    expect(await inspector.getByTestId('alloc-stack').textContent()).toContain('main.loadBlob');
    // Back returns to the slice array.
    await inspector.getByRole('button', { name: 'Back to the previous object' }).click();
    await expect.poll(() => inspector.getByTestId('inspector-size').getAttribute('data-bytes')).toBe('192');
    await pointers.first().click();
    await expect.poll(() => inspector.getByTestId('inspector-size').getAttribute('data-bytes')).toBe('131072');
    await inspector.getByTestId('hex-dump').scrollIntoViewIfNeeded();
    await shot('inspector');
  });

  it('ranks GC roots by retained size and pages on scroll', async () => {
    await page.getByTestId('heap-tab-roots').click();
    const table = page.getByTestId('roots-table');
    const rows = table.getByTestId('root-row');
    await rows.first().waitFor();
    expect(await rows.first().textContent()).toContain('global main.pinned');
    expect(await rows.nth(1).textContent()).toContain('global main.sessionCache');
    const goroutine = rows.filter({ hasText: /goroutine \d+ \[chan receive\] main\.worker/ }).first();
    expect(await goroutine.getByTestId('root-badge').textContent()).toBe('goroutine');
    // Its 16 KiB buffer and its own goroutine state: its g (416 B on Go 1.19) and its sudog (96 B).
    expect(await goroutine.textContent()).toContain('16.5 KiB');
    // 144 roots, 100 a page: End, then the rest loads as the last rows scroll into view.
    await rows.first().click();
    expect(await table.getAttribute('aria-rowcount')).toBe('145');
    await page.keyboard.press('End');
    await expect.poll(() => table.locator('[data-testid=root-row][aria-rowindex="101"]').count()).toBe(1);
    // The "load more" row came into view: the second page arrives, End reaches root 144.
    await expect.poll(async () => {
      await page.keyboard.press('End');
      return table.locator('[data-testid=root-row][aria-rowindex="145"]').count();
    }).toBe(1);
    // A goroutine root in the inspector: its frames.
    await page.keyboard.press('Home');
    await goroutine.click();
    await expect.poll(() => page.getByTestId('goroutine-stack').textContent()).toContain('main.worker');
    await shot('roots');
  });

  it('groups by allocation site and shows merged paths for a site', async () => {
    await page.getByTestId('heap-tab-sites').click();
    const site = page.getByTestId('alloc-site-row').filter({ hasText: 'main.cacheSession (main.go:97)' });
    await site.waitFor();
    expect(await site.textContent()).toContain('150');
    await site.click();
    const merged = page.getByTestId('merged-paths');
    await merged.getByTestId('merged-row').first().waitFor();
    expect(await merged.getByTestId('merged-row').first().textContent()).toContain('global main.sessionCache');
    expect(await merged.getByTestId('merged-row').first().textContent()).toContain('150');
    // Scope: what the selected root retains.
    await page.getByTestId('heap-tab-sizes').click();
    await page.getByTestId('size-class-row').first().waitFor();
    expect(await page.getByTestId('size-class-row').first().textContent()).toContain('64 KiB < size ≤ 128 KiB');
    // Scope: what the selected goroutine alone retains: its 16 KiB buffer, its g and its sudog.
    const scope = page.locator('.heap-tabpanel:not([hidden])').getByTestId('grouping-scope');
    const retained = await scope.locator('option', { hasText: /^Retained by goroutine/ }).getAttribute('value');
    await scope.selectOption(retained!);
    await expect.poll(() => page.getByTestId('size-class-row').allTextContents()).toEqual([
      expect.stringContaining('16384 B'),
      expect.stringMatching(/^416 B1/),
      expect.stringMatching(/^96 B1/),
    ]);
    await scope.selectOption('reachable');
    await page.getByTestId('heap-tab-sites').click();
    await shot('alloc-sites');
  });

  it('keeps the dominator tree across tabs and pages a long level ("show N more")', async () => {
    await page.getByTestId('heap-tab-dominators').click();
    const tree = page.getByTestId('dominator-tree');
    // Still expanded from before (no reload; the virtualized rows render once the panel is shown).
    await expect.poll(() => domNodes(tree, 3).count()).toBe(6);
    // The super-root has more children than a page: the level ends with a "show N more" row.
    await tree.locator('[data-testid=dom-row]', { hasText: 'global main.sessionCache' }).click();
    await page.keyboard.press('End');
    const more = tree.getByTestId('dom-more');
    await expect.poll(() => more.textContent()).toMatch(/^Show (\d+) more of (\d+) left$/);
    const left = Number(/of (\d+) left/.exec((await more.textContent())!)![1]);
    expect(await more.textContent()).toBe(`Show ${Math.min(100, left)} more of ${left} left`);
    const rowsBefore = Number(await tree.getAttribute('aria-rowcount'));
    await page.keyboard.press('Enter');
    // The next page arrives (while it loads the row says "Loading…", which has no dom-more): its
    // rows join the tree, and the "more" row stays only if some are still left.
    const added = Math.min(100, left);
    const rowsAfter = rowsBefore + added - (left > added ? 0 : 1);
    await page.locator(`[data-testid=dominator-tree][aria-rowcount="${rowsAfter}"]`).waitFor();
    // The focus stays on the "more" row (now after the new rows): the grid scrolls to it once the
    // rows are in, a frame after the row count changes (checked at once, this failed now and then).
    await expect.poll(() => more.count()).toBe(left > added ? 1 : 0);
    if (left > added) expect(await more.textContent()).toMatch(new RegExp(`of ${left - added} left$`));
    expect(errors).toEqual([]);
  });

  it('looks right in the dark theme too', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    // "Go to" an address inside one of the pinned arrays: it opens the array.
    await page.getByTestId('inspector-goto').fill('0xc000190000');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('inspector-address').textContent()).toBe('0xc000180000');
    await page.getByTestId('heap-paths').getByTestId('path-step').nth(2).waitFor();
    await shot('dark-heap');
    await itemRow(page, 'heap-1.pb.gz').locator('.item-row__main').click();
    await itemRow(page, 'heap-3.pb.gz').locator('.item-row__main').click({ modifiers: ['ControlOrMeta'] });
    const b = page.getByTestId('compare-b').getByTestId('flame-graph');
    await (await frame(b, 'main.runRound')).click();
    await expect.poll(() => page.getByTestId('compare-a').getByTestId('flame-graph').getAttribute('data-zoomed')).toBe('true');
    await page.waitForTimeout(400);
    await shot('dark-compare');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});

describe('a heap dump cut short, without its binary', () => {
  let srv: ServeProc;
  let dir: string;
  afterAll(async () => {
    await srv?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says the dump is incomplete and how to name globals', async () => {
    // A copy in an empty folder (no binary beside it), cut two thirds in.
    dir = mkdtempSync(join(tmpdir(), 'heapscope-ui-'));
    const dump = readFileSync(join(FIXTURES, 'heap.dump'));
    // Cut in the allocation records at the end (after the globals: a dump cut before them is
    // refused, since nothing could be called reachable).
    writeFileSync(join(dir, 'cut.dump'), dump.subarray(0, dump.length - 2000));
    srv = await startServe(['--no-demo', join(dir, 'cut.dump')]);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(srv.url);
    await page.getByTestId('heap-summary').waitFor();
    await expect.poll(() => page.getByTestId('heap-incomplete').textContent()).toContain('Incomplete dump');
    expect(await page.getByTestId('heap-exe-hint').textContent()).toContain("open the program's binary to name globals");
    expect(await page.getByTestId('heap-stat-globals').textContent()).toContain('unnamed');
    await page.getByTestId('dominator-tree').waitFor();
    await page.screenshot({ path: screenshotPath('ui-heap-incomplete') });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('untrusted names', () => {
  let srv: ServeProc;
  afterAll(async () => srv?.stop());

  // Method names on a generic type (`…]).`): pprof, and so Heapscope, shows such names exactly as
  // recorded (its C++ heuristic would strip a bare `<…>`; see pprofDisplayName).
  const IMG = 'evil.(*T[x]).<img src=x onerror=window.__pwned=1>';
  const SCRIPT = 'evil.(*T[x]).</script><script>window.__pwned=1</script>';

  function evilProfile(): Uint8Array {
    const b = new ProfileBuilder();
    b.p.sampleTypes = [b.valueType('inuse_objects', 'count'), b.valueType('inuse_space', 'bytes')];
    b.p.defaultSampleType = b.st.intern('inuse_space');
    const main = b.location('main', 0x401000, [{ func: b.func('main.main', 'evil/main.go'), line: 10 }]);
    const img = b.location('img', 0x401100, [{ func: b.func(IMG, 'evil/<b>bold</b>.go'), line: 20 }]);
    const script = b.location('script', 0x401200, [{ func: b.func(SCRIPT, 'evil/main.go'), line: 30 }]);
    b.sample([img, main], [3, 3 << 20]);
    b.sample([script, main], [2, 2 << 20]);
    return encodeProfile(b.build());
  }

  it('shows names with markup as text in the table and the flame graph', async () => {
    srv = await startServe(['--no-demo']);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(srv.url);
    await page.getByTestId('start-screen').waitFor();
    await page.getByTestId('file-input').setInputFiles({ name: 'evil.pb', mimeType: 'application/octet-stream', buffer: Buffer.from(evilProfile()) });
    await itemRow(page, 'evil.pb').waitFor();
    const table = page.getByTestId('top-table');
    await table.getByTestId('top-row').first().waitFor();
    const names = await table.locator('[data-testid=top-row] .top-cell--name').allTextContents();
    expect(names).toContain(IMG);
    expect(names).toContain(SCRIPT);

    const graph = page.getByTestId('flame-graph');
    const imgFrame = await frame(graph, IMG);
    expect(await imgFrame.getAttribute('name')).toBe(IMG);
    await expect.poll(() => graph.locator('.d3-flame-graph-label').allTextContents()).toEqual(expect.arrayContaining([IMG, SCRIPT]));
    // The tooltip too.
    await imgFrame.hover();
    await expect.poll(() => page.locator('.flame-tooltip__title').textContent()).toBe(IMG);
    // Search for it, select it in the table: still text.
    await page.getByTestId('flame-search').fill('<img');
    await expect.poll(() => page.getByTestId('flame-match').textContent()).toMatch(/in 1 frame$/);
    await table.locator('[data-testid=top-row]', { hasText: SCRIPT }).click();
    await expect.poll(() => page.getByTestId('flame-search').inputValue()).toBe(SCRIPT);

    expect(await page.locator('main img, main script, aside img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await page.screenshot({ path: screenshotPath('ui-untrusted-names') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
