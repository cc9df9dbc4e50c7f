/**
 * Issue 13 end to end, with screenshots (test-output/screenshots/memory-*.png): the accounting view
 * on real Go output (a heap dump, a debug=1 heap profile and the protobuf heap profile of one run of
 * test/fixtures/modern/memory), and a watch of a real Go service (memserver) with a trigger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { startServe, type ServeProc } from '../helpers/serve';
import { haveChromium, launchChromium, screenshotPath, watchErrors } from '../helpers/browser';
import { memServerOrSkip, startMemServer, type MemServer } from '../integration/capture/memserver';

if (!haveChromium()) console.log('end-to-end: /usr/bin/chromium is missing (apt-get install -y chromium); these tests will fail');
const built = memServerOrSkip();
const FIX = join(__dirname, '..', 'fixtures', 'modern', 'memory', 'go1.27');
const work = mkdtempSync(join(tmpdir(), 'heapscope-memory-e2e-'));
let browser: Browser;
let serve: ServeProc;
let go: MemServer | null = null;

beforeAll(async () => {
  browser = await launchChromium();
  const dump = join(work, 'heap.dump');
  writeFileSync(dump, gunzipSync(readFileSync(join(FIX, 'heap.dump.gz'))));
  serve = await startServe([dump, join(FIX, 'heap.pb.gz'), join(FIX, 'heap.debug1.txt'), '--no-demo'], { HEAPSCOPE_DATA_DIR: join(work, 'data') });
  if (built) go = await startMemServer(built.bin);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await go?.close();
  rmSync(work, { recursive: true, force: true });
});

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = watchErrors(page);
  await page.goto(serve.url);
  return { page, errors };
}

describe('memory accounting and watch, end to end', () => {
  it('the accounting view: Sys by part, the profile total beside it, every part explained', async () => {
    const { page, errors } = await newPage();
    await page.getByTestId('memory-nav').click();
    const view = page.getByTestId('memory-view');
    await view.waitFor();
    const cards = view.getByTestId('memory-account');
    await expect.poll(async () => cards.count(), { timeout: 30_000 }).toBe(2);
    const sources = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-source')));
    expect(sources.sort()).toEqual(['heap-debug1', 'heapdump']);
    const dumpCard = view.locator('[data-testid="memory-account"][data-source="heapdump"]');
    const expected = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8')) as { memStats: Record<string, number> };
    const total = (await dumpCard.getByTestId('memory-total').textContent())!;
    expect(total).toMatch(/^Sys [\d.]+ MiB$/);
    expect(Math.abs(Number(/([\d.]+) MiB/.exec(total)![1]) * 1048576 - expected.memStats.Sys!) / expected.memStats.Sys!).toBeLessThan(0.05);
    const rows = dumpCard.locator('[data-testid="memory-breakdown"] tbody tr');
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-part')))).toEqual([
      'live heap', 'heap fragmentation', 'heap kept by the runtime', 'heap released to the OS', 'goroutine stacks', 'runtime metadata', 'profiling buckets',
    ]);
    // The stacked bar: Sys by part, the heap profile (heap.pb.gz beside the dump), resident memory.
    for (const bar of ['bar-sys', 'bar-profile', 'bar-rss']) expect(await dumpCard.getByTestId(bar).count(), bar).toBe(1);
    expect(await dumpCard.getByTestId('memory-gap').textContent()).toMatch(/The heap profile counts [\d.]+ [KM]iB in use \(heap\.pb\.gz\)/);
    expect(await dumpCard.textContent()).toMatch(/GOGC headroom/);
    expect(await dumpCard.textContent()).toMatch(/goroutines × about/);
    expect(await dumpCard.textContent()).toMatch(/cgo/);
    await page.screenshot({ path: screenshotPath('memory-accounting'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it.skipIf(built === null)('a watch with a trigger: the trigger fires, its bundle is listed, the chart marks it', async () => {
    const { page, errors } = await newPage();
    await page.getByTestId('open-url').click();
    await page.getByTestId('open-url-dialog').waitFor();
    await page.getByTestId('live-url').fill(go!.url);
    await page.getByTestId('live-tab-watch').click();
    await page.getByTestId('watch-form').waitFor();
    const heapGc = page.locator('[data-testid="watch-profile"][data-profile="heap"]').getByTestId('watch-heap-gc');
    expect(await heapGc.isChecked()).toBe(true); // gc=1 by default; the box opts out
    await page.getByTestId('watch-every').fill('0.5');
    await page.getByTestId('watch-count').fill('8');
    await page.getByTestId('watch-triggers').fill('goroutines>+20%');
    await page.getByTestId('watch-start').click();
    const panel = page.getByTestId('watch-panel');
    await panel.waitFor();
    await expect.poll(async () => panel.getAttribute('data-state'), { timeout: 60_000 }).toBe('stopped');
    const trig = panel.getByTestId('watch-trigger');
    expect(await trig.count()).toBe(1);
    expect(await trig.textContent()).toMatch(/goroutines>\+20%: goroutines is \d+, \+\d+% since the start .* captured trigger\d+-heap-.*-gc\.pb\.gz, .*goroutine.*debug2\.txt, .*allocs/);
    const chart = panel.getByTestId('growth-chart');
    expect(await chart.getByTestId('growth-trigger').count()).toBeGreaterThan(0);
    for (const m of ['heapInuse', 'liveHeap', 'sys', 'goroutines']) expect(await chart.locator(`[data-testid="chart-point"][data-metric="${m}"]`).count(), m).toBe(8);
    await page.screenshot({ path: screenshotPath('memory-watch-trigger'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
