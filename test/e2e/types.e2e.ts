/**
 * Object types in the heap view, end to end in Chromium against `heapscope serve` with the typed
 * fixture's dump (its binary beside it names the types): the Types tab (filter, group by package,
 * a type's merged paths), a typed path to a GC root (a goroutine's local named), and the
 * inspector's named fields followed to the object they point to. Screenshots: types-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { MATRIX_ROOT } from '../helpers/matrix';
import { openChunkedFile } from '../../electron/cli/io';
import { loadHeapDumpFile } from '../../electron/services/heapdump-loader';
import { startServe, type ServeProc } from '../helpers/serve';
import { haveChromium, launchChromium, screenshotPath, watchErrors } from '../helpers/browser';

const DIR = ['1.26', '1.27', '1.19'].map((v) => join(MATRIX_ROOT, `go${v}`, 'typed')).find((d) => existsSync(join(d, 'heap.dump')));
if (!DIR) {
  const msg = 'types.e2e: no typed fixture (run test/fixtures/matrix.sh --program typed)';
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`skipped: ${msg}`);
}
if (!haveChromium()) console.log('end-to-end: /usr/bin/chromium is missing (apt-get install -y chromium); these tests will fail');

describe.skipIf(!DIR)('object types in the heap view', () => {
  let browser: Browser;
  let srv: ServeProc;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await launchChromium();
    srv = await startServe(['--no-demo', join(DIR!, 'heap.dump')]);
    page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    errors = watchErrors(page);
    await page.goto(srv.url);
    await page.getByTestId('heap-view').waitFor({ timeout: 30_000 });
  }, 60_000);
  afterAll(async () => {
    await page?.close();
    await srv?.stop();
    await browser?.close();
  });

  /** The first object of a type, by address, as the engine in Node finds it. */
  function firstOf(re: RegExp): string {
    const { analysis: a } = loadHeapDumpFile(openChunkedFile, join(DIR!, 'heap.dump'), join(DIR!, 'typed'));
    const name = a.typeRows().find((t) => re.test(t.name))!.name;
    return a.label(a.objectsOfType(name)[0]!);
  }

  async function goTo(address: string) {
    const input = page.getByTestId('inspector-goto');
    await input.fill(address);
    await input.press('Enter');
    await expect.poll(async () => page.getByTestId('inspector-address').innerText(), { timeout: 15_000 }).toBe(address);
  }

  async function shot(step: string) {
    await page.screenshot({ path: screenshotPath(`types-${step}`) });
    expect(errors).toEqual([]);
  }

  it('the Types tab lists objects by Go type, filters and groups by package', async () => {
    await page.getByTestId('heap-tab-types').click();
    const table = page.getByTestId('types-table');
    await table.waitFor();
    const session = page.locator('[data-testid="type-row"][data-type="main.Session"]');
    await session.waitFor();
    await expect.poll(async () => (await session.innerText()).replace(/\s+/g, ' ')).toMatch(/main\.Session 1,?000 /);
    await expect.poll(async () => page.getByTestId('types-summary').innerText()).toMatch(/% of reachable bytes typed/);
    await page.getByTestId('types-filter').fill('main.');
    await expect.poll(async () => page.getByTestId('type-row').count()).toBeGreaterThan(5);
    const names = await page.getByTestId('type-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')));
    expect(names.every((n) => (n ?? '').includes('main.'))).toBe(true);
    await session.click();
    await page.getByTestId('merged-paths').first().waitFor().catch(() => undefined);
    await shot('tab');
    await page.getByTestId('types-group-package').check();
    await page.locator('[data-testid="type-row"][data-type="main"]').waitFor();
    await page.getByTestId('types-group-package').uncheck();
    await page.getByTestId('types-filter').fill('');
  }, 60_000);

  it('the dominator tree and a path to a goroutine root carry types; the local is named', async () => {
    await page.getByTestId('heap-tab-types').click();
    await page.getByTestId('types-filter').fill('main.Record');
    const rec = page.getByTestId('type-row').first();
    await rec.waitFor();
    await rec.click();
    await page.getByTestId('merged-paths').waitFor();
    await goTo(firstOf(/^\[\d+\]main\.Record$/));
    const path = page.getByTestId('heap-path').first();
    await path.waitFor();
    await expect.poll(async () => (await path.innerText()).replace(/\s+/g, ' ')).toMatch(/goroutine \d+ \[chan receive\].*recs/);
    await expect.poll(async () => page.getByTestId('path-type').last().innerText()).toMatch(/^\[\d+\]main\.Record$/);
    await shot('path');
    await page.getByTestId('heap-tab-dominators').click();
    await expect.poll(async () => page.getByTestId('dom-type').count(), { timeout: 15_000 }).toBeGreaterThan(0);
  }, 60_000);

  it('the inspector shows named fields with values, and follows a pointer field', async () => {
    await page.getByTestId('heap-tab-types').click();
    await page.getByTestId('types-filter').fill('main.Session');
    await page.locator('[data-testid="type-row"][data-type="main.Session"]').click();
    await goTo(firstOf(/^main\.Session$/));
    await expect.poll(async () => page.getByTestId('inspector-type').innerText(), { timeout: 15_000 }).toBe('main.Session');
    const fields = page.getByTestId('object-fields');
    await fields.waitFor();
    const names = await page.getByTestId('field-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field')));
    expect(names).toEqual(['ID', 'Name', 'Payload', 'Next', 'Tags']);
    await expect.poll(async () => page.locator('[data-testid="field-row"][data-field="Name"]').innerText()).toMatch(/"session-\d{4}"/);
    await shot('inspector');
    await page.locator('[data-testid="field-row"][data-field="Payload"] [data-testid="field-follow"]').click();
    await expect.poll(async () => page.getByTestId('inspector-type').innerText(), { timeout: 15_000 }).toBe('[1536]uint8');
    await shot('inspector-followed');
  }, 60_000);
});
