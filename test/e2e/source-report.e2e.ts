/**
 * Issue 15: the HTML report's annotated source in Chromium (file://, every other request blocked).
 *   1. A matrix fixture (go1.19 leakyapp heap-3 and heap-1 → heap-3): the report shows the hottest
 *      functions' source, and every drawn line's number, flat and cum equal `heapscope list --json`
 *      of the same file (per-line deltas equal `heapscope list --diff-base` in the comparison).
 *   2. Untrusted text: a source line `</script><img src=x onerror=alert(1)>` (and a function named
 *      with markup) stays text: no dialog opens, no element is created, nothing runs; the CSP sees
 *      no violation.
 * Screenshots: test-output/screenshots/source-report-*.png. Uses the built CLI (dist/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { encodeProfile } from '../../shared/profile';
import { ProfileBuilder } from '../../shared/profile/builder';
import type { ListFunction } from '../../shared/source/types';
import { exactNameRegex } from '../../electron/worker/source-list';
import { haveChromium, launchChromium, screenshotPath, watchErrors } from '../helpers/browser';
import { CLI_JS, FIXTURES, ROOT } from '../helpers/paths';

if (!haveChromium()) console.log('end-to-end: /usr/bin/chromium is missing (apt-get install -y chromium); these tests will fail');

const SRC = join(ROOT, 'test', 'fixtures', 'go', 'leakyapp');
const PAYLOAD = '</script><img src=x onerror=alert(1)>';
const HOSTILE_FN = 'main.<svg/onload=alert(2)>';
const work = mkdtempSync(join(tmpdir(), 'heapscope-source-report-e2e-'));
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

function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [CLI_JS, ...args], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`heapscope ${args[0]} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

function report(args: string[]): string {
  const file = join(work, `r-${Math.random().toString(36).slice(2)}.html`);
  cli(['report', ...args, '-o', file]);
  return file;
}

interface Opened {
  page: Page;
  errors: string[];
  requests: string[];
  dialogs: string[];
  csp(): Promise<string[]>;
}

async function open(file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, colorScheme: 'light' });
  const errors = watchErrors(page);
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.route('**/*', async (route) => {
    const u = route.request().url();
    if (u === url) return route.continue();
    requests.push(u);
    return route.abort('blockedbyclient');
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  await page.locator('[data-testid=report][data-complete=true]').waitFor({ timeout: 30_000 });
  return { page, errors, requests, dialogs, csp: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp) };
}

/** The drawn rows of one annotated function: "line:flat:cum" and the text. */
async function drawnRows(fn: ReturnType<Page['locator']>): Promise<Array<{ key: string; text: string }>> {
  return fn.getByTestId('source-line').evaluateAll((els) =>
    els.map((e) => ({ key: `${e.getAttribute('data-line')}:${e.getAttribute('data-flat')}:${e.getAttribute('data-cum')}`, text: e.querySelector('.source-text code')?.textContent ?? '' })),
  );
}

function listOf(args: string[]): ListFunction[] {
  return (JSON.parse(cli(['list', ...args, '--json'])) as { functions: ListFunction[] }).functions;
}

describe('the report of a matrix fixture embeds the hottest functions, numbers = heapscope list', () => {
  it('profile and comparison sections', async () => {
    const heap1 = join(FIXTURES, 'heap-1.pb.gz');
    const heap3 = join(FIXTURES, 'heap-3.pb.gz');
    const o = await open(report([heap1, heap3, '--source-root', SRC]));
    const { page } = o;
    const prof = page.locator('[data-testid=report-section][data-kind=profile]').filter({ hasText: 'heap-3.pb.gz' });
    const src = prof.getByTestId('report-source');
    await src.scrollIntoViewIfNeeded();
    const fns = src.getByTestId('report-source-fn');
    expect(await fns.count()).toBeGreaterThanOrEqual(3);
    const names = await fns.evaluateAll((els) => els.map((e) => e.getAttribute('data-function') ?? ''));
    expect(names[0]).toBe('main.loadBlob');
    let checked = 0;
    for (let i = 0; i < names.length; i++) {
      const fn = fns.nth(i);
      // Every function's lines are drawn (closed ones once opened).
      if ((await fn.getAttribute('open')) === null) await fn.locator('summary').click();
      const rows = await drawnRows(fn);
      const want = listOf([exactNameRegex(names[i]!), heap3, '--source-root', SRC]);
      const wantRows = want.flatMap((f) => f.lines.map((l) => ({ key: `${l.line}:${l.flat}:${l.cum}`, text: l.text ?? '' })));
      expect(rows, names[i]).toEqual(wantRows);
      checked++;
    }
    expect(checked).toBe(names.length);
    // main.loadBlob's hottest line is marked, and its text is the allocation.
    const hottest = fns.first().locator('[data-testid=source-line][data-hottest="1"]');
    expect((await hottest.textContent()) ?? '').toMatch(/make\(\[\]byte/);
    await src.screenshot({ path: screenshotPath('source-report-profile') });

    // The comparison: per-line deltas of the functions that changed most.
    const cmp = page.locator('[data-testid=report-section][data-kind=comparison]');
    const csrc = cmp.getByTestId('report-source');
    await csrc.scrollIntoViewIfNeeded();
    const cfn = csrc.getByTestId('report-source-fn').first();
    const cname = (await cfn.getAttribute('data-function')) ?? '';
    const want = listOf([exactNameRegex(cname), heap3, '--diff-base', heap1, '--source-root', SRC]);
    expect(await drawnRows(cfn)).toEqual(want.flatMap((f) => f.lines.map((l) => ({ key: `${l.line}:${l.flat}:${l.cum}`, text: l.text ?? '' }))));
    expect((await cfn.textContent()) ?? '').toMatch(/\+\d/);
    await csrc.screenshot({ path: screenshotPath('source-report-comparison') });
    expect(o.errors).toEqual([]);
    expect(o.requests).toEqual([]);
    expect(await o.csp()).toEqual([]);
    await page.close();
  });
});

describe('untrusted source text in the report', () => {
  it('a line `</script><img src=x onerror=alert(1)>` stays text: nothing runs', async () => {
    const root = join(work, 'root');
    mkdirSync(join(root, 'hostile'), { recursive: true });
    writeFileSync(join(root, 'hostile', 'evil.go'), `package main\n\nfunc hot() {\n\ts := "${PAYLOAD}" // <!-- <script>alert(3)</script>\n\t_ = s\n}\n`);
    const b = new ProfileBuilder();
    b.p.sampleTypes = [b.valueType('inuse_space', 'bytes')];
    const main = b.location('main', 0x1000, [{ func: b.func('main.main', 'hostile/main.go'), line: 1 }]);
    b.sample([b.location('hot', 0x2000, [{ func: b.func(HOSTILE_FN, 'hostile/evil.go'), line: 4 }]), main], [4096]);
    const prof = join(work, 'hostile.pb.gz');
    writeFileSync(prof, gzipSync(encodeProfile(b.build())));
    const o = await open(report([prof, '--source-root', root]));
    const { page } = o;
    const fn = page.getByTestId('report-source-fn').filter({ has: page.locator(`[data-testid=source-line][data-line="4"]`) }).first();
    await fn.scrollIntoViewIfNeeded();
    expect(await fn.getAttribute('data-function')).toBe(HOSTILE_FN);
    const line = fn.locator('[data-testid=source-line][data-line="4"]');
    expect(await line.getAttribute('data-flat')).toBe('4096');
    expect(await line.locator('.source-text code').textContent()).toBe(`\ts := "${PAYLOAD}" // <!-- <script>alert(3)</script>`);
    expect((await fn.locator('summary').textContent()) ?? '').toContain(HOSTILE_FN);
    await page.waitForTimeout(300);
    expect(o.dialogs).toEqual([]);
    expect(await page.evaluate(() => document.querySelectorAll('img, iframe, object, embed, svg[onload], [onerror], [onload]').length)).toBe(0);
    expect(await page.evaluate(() => document.scripts.length)).toBe(2);
    await fn.screenshot({ path: screenshotPath('source-report-hostile') });
    expect(o.errors).toEqual([]);
    expect(o.requests).toEqual([]);
    expect(await o.csp()).toEqual([]);
    await page.close();
  });
});
