/**
 * Production-size inputs in browser mode (issue 17): a heap dump of at least 1 GB (bigheap
 * -scale 11 → test/fixtures/big/bigheap-1g.dump, made by run.mjs; never committed; override with
 * HEAPSCOPE_BENCH_UPLOAD_DUMP), each case in a fresh `heapscope serve` process so its peak memory
 * (VmHWM of the serve process: main thread + analysis worker) is its own:
 *
 *   command line     `serve DUMP`: loaded from disk at start (the reference)
 *   upload           dropped through the page's file input in Chromium: sliced upload to a
 *                    temporary file, then loaded from it; upload time, total time, the longest
 *                    main-thread task during the upload (PerformanceObserver 'longtask')
 *   open by path     "Open a file on this machine" in the page: no upload
 *   gzipped          `serve DUMP.gz` (gzip -1 of the same dump): streamed through gunzip
 *
 * Targets: upload and open-by-path peak ≤ 1.5 × the file; gzipped peak ≤ 1.5 × the uncompressed
 * size; no main-thread task over 100 ms during the upload.
 *
 * Run: npm run bench -- upload   (needs Go 1.19 to make the dump, and /usr/bin/chromium).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServe, type ServeProc } from '../helpers/serve';

const ROOT = resolve(__dirname, '..', '..');
const MB = 1024 * 1024;
const DUMP = process.env.HEAPSCOPE_BENCH_UPLOAD_DUMP ?? join(ROOT, 'test', 'fixtures', 'big', 'bigheap-1g.dump');
const CHROMIUM = process.env.HEAPSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const LOAD_TIMEOUT = 15 * 60_000;

/** Peak resident set of a process so far (Linux VmHWM), bytes. */
function vmHwm(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

interface Row {
  name: string;
  file: number;
  seconds: number;
  uploadSeconds?: number;
  peak: number;
  budgetOf: number;
  longestTaskMs?: number;
}

async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  return page;
}

async function commandLine(name: string, file: string, budgetOf: number): Promise<Row> {
  const t0 = performance.now();
  const srv = await startServe(['--no-demo', file], {}, { timeoutMs: LOAD_TIMEOUT }); // the URL is printed once the file is loaded
  const seconds = (performance.now() - t0) / 1000;
  const failed = /error|cannot/i.test(srv.output().split('serving on')[0] ?? '');
  const peak = vmHwm(srv.servingPid());
  await srv.stop();
  if (failed) throw new Error(`serve could not open ${file}:\n${srv.output()}`);
  return { name, file: statSync(file).size, seconds, peak, budgetOf };
}

async function viaPage(name: string, browser: Browser, how: 'upload' | 'path'): Promise<Row> {
  const srv: ServeProc = await startServe(['--no-demo']);
  const page = await newPage(browser);
  let finishAt = 0;
  page.on('request', (r) => {
    if (r.url().includes('/api/uploadFinish')) finishAt = performance.now();
  });
  await page.goto(srv.url);
  await page.getByTestId('start-screen').waitFor();
  const pageT0 = await page.evaluate(() => performance.now());
  const t0 = performance.now();
  if (how === 'upload') await page.getByTestId('file-input').setInputFiles(DUMP);
  else {
    await page.getByTestId('open-path-input').fill(DUMP);
    await page.getByTestId('open-path-input').press('Enter');
  }
  const banner = page.getByTestId('error-banner');
  await Promise.race([
    page.getByTestId('item-row').first().waitFor({ timeout: LOAD_TIMEOUT }),
    banner.waitFor({ timeout: LOAD_TIMEOUT }).then(async () => {
      throw new Error(`${name}: ${await banner.textContent()}`);
    }),
  ]);
  const seconds = (performance.now() - t0) / 1000;
  const peak = vmHwm(srv.servingPid());
  const uploadSeconds = finishAt ? (finishAt - t0) / 1000 : undefined;
  let longestTaskMs: number | undefined;
  if (how === 'upload' && uploadSeconds !== undefined) {
    const tasks = await page.evaluate(() => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks);
    const end = pageT0 + uploadSeconds * 1000;
    longestTaskMs = Math.max(0, ...tasks.filter((t) => t.start >= pageT0 && t.start <= end).map((t) => t.duration));
  }
  await page.close();
  await srv.stop();
  return {
    name,
    file: statSync(DUMP).size,
    seconds,
    peak,
    budgetOf: statSync(DUMP).size,
    ...(uploadSeconds !== undefined ? { uploadSeconds } : {}),
    ...(longestTaskMs !== undefined ? { longestTaskMs } : {}),
  };
}

function gzipped(): string {
  const gz = `${DUMP}.gz`;
  if (!existsSync(gz) || statSync(gz).mtimeMs < statSync(DUMP).mtimeMs) {
    console.log(`upload bench: gzip -1 ${DUMP} …`);
    const r = spawnSync('sh', ['-c', `gzip -1 -c "${DUMP}" > "${gz}.tmp" && mv "${gz}.tmp" "${gz}"`], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('gzip failed');
  }
  return gz;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

async function main(): Promise<void> {
  if (!existsSync(DUMP)) {
    const why = `upload bench: ${DUMP} is missing (npm run bench -- upload makes it with Go 1.19: bigheap -scale 11)`;
    if (process.env.CI === 'true') throw new Error(why);
    console.log(`${why}; skipped`);
    return;
  }
  if (!existsSync(CHROMIUM)) throw new Error(`upload bench: ${CHROMIUM} is missing`);
  const size = statSync(DUMP).size;
  console.log(`dump: ${DUMP} (${(size / 1e9).toFixed(2)} GB)`);
  const rows: Row[] = [];
  rows.push(await commandLine('command line (serve DUMP)', DUMP, size));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    rows.push(await viaPage('upload in Chromium', browser, 'upload'));
    rows.push(await viaPage('open by path in Chromium', browser, 'path'));
  } finally {
    await browser.close();
  }
  const gz = gzipped();
  rows.push(await commandLine('gzipped (serve DUMP.gz)', gz, size));

  console.log('');
  console.log(`${pad('case', 28)}${pad('file', 10)}${pad('total', 9)}${pad('upload', 9)}${pad('peak', 10)}${pad('peak/size', 11)}longest task`);
  const misses: string[] = [];
  for (const r of rows) {
    const ratio = r.peak / r.budgetOf;
    console.log(
      `${pad(r.name, 28)}${pad(`${(r.file / 1e9).toFixed(2)} GB`, 10)}${pad(`${r.seconds.toFixed(1)} s`, 9)}${pad(r.uploadSeconds !== undefined ? `${r.uploadSeconds.toFixed(1)} s` : '—', 9)}${pad(`${Math.round(r.peak / MB)} MiB`, 10)}${pad(`${ratio.toFixed(2)}×`, 11)}${r.longestTaskMs !== undefined ? `${Math.round(r.longestTaskMs)} ms` : '—'}`,
    );
    if (!r.name.startsWith('command line') && ratio > 1.5) misses.push(`${r.name}: peak ${ratio.toFixed(2)}× the ${r.name.startsWith('gzipped') ? 'uncompressed ' : ''}file (target ≤ 1.5×)`);
    if (r.longestTaskMs !== undefined && r.longestTaskMs > 100) misses.push(`${r.name}: a main-thread task of ${Math.round(r.longestTaskMs)} ms during the upload (target ≤ 100 ms)`);
  }
  console.log('');
  console.log('peak/size: of the dump (gzipped: of the uncompressed dump); the command-line row is the reference.');
  if (misses.length) {
    for (const m of misses) console.log(`MISS ${m}`);
    process.exitCode = 1;
  } else console.log('targets met: peak ≤ 1.5× the file, no main-thread task over 100 ms during the upload');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exitCode = 1;
});
