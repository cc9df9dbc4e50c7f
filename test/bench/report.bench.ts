/**
 * HTML report benchmark (issue 8, acceptance 3): for the large synthetic profile (a ~430k-node call
 * tree, test/bench/synthetic-profile.ts) and the leakyapp investigation:
 *   size          the report file (bytes, and gzipped for reference)
 *   CLI           whole-process `heapscope report FILES -o OUT` (node startup included), median
 *   first paint   Chromium's first-contentful-paint of the file opened from file://, median
 *   first flame   until the first flame graph's first <rect> exists (a MutationObserver in the page)
 *   complete      until every section is drawn (the viewer's 'heapscope-report:complete' mark)
 * Run: npm run bench -- report   (builds dist/ first; needs /usr/bin/chromium for the browser columns)
 * Env: BENCH_RUNS (default 3), HEAPSCOPE_CHROMIUM.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { encodeProfile } from '../../shared/profile';
import { BIG_CPU_SHAPE, syntheticCpuProfile } from './synthetic-profile';

const ROOT = findRoot();
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const CHROMIUM = process.env.HEAPSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const WORK = join(tmpdir(), 'heapscope-bench');
mkdirSync(WORK, { recursive: true });

function findRoot(): string {
  let d = process.cwd();
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(d, 'bin', 'heapscope.js')) && existsSync(join(d, 'shared'))) return d;
    d = resolve(d, '..');
  }
  return process.cwd();
}

function median(xs: number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
}

const fmtMs = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : 'n/a');
const fmtMB = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MB`;

function table(headers: string[], rows: string[][]): string {
  const w = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(headers), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

interface Case {
  name: string;
  args: string[];
}

interface Row {
  name: string;
  size: number;
  gz: number;
  cli: number;
  fcp: number;
  flame: number;
  complete: number;
}

function makeReport(c: Case, out: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'heapscope.js'), 'report', ...c.args, '-o', out], { cwd: ROOT, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`heapscope report failed for ${c.name}: ${r.stderr}`);
  return ms;
}

async function paint(browser: Browser, file: string): Promise<{ fcp: number; flame: number; complete: number }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const url = pathToFileURL(file).href;
  await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.addInitScript(() => {
    const w = window as unknown as { __flameAt?: number };
    const mo = new MutationObserver(() => {
      if (w.__flameAt === undefined && document.querySelector('[data-testid=flame-graph] svg rect')) {
        w.__flameAt = performance.now();
        mo.disconnect();
      }
    });
    mo.observe(document, { childList: true, subtree: true });
  });
  await page.goto(url);
  await page.locator('[data-testid=report][data-complete=true]').waitFor({ timeout: 120_000 });
  await page.waitForFunction(() => (window as unknown as { __flameAt?: number }).__flameAt !== undefined, undefined, { timeout: 60_000 });
  const m = await page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    const complete = performance.getEntriesByName('heapscope-report:complete')[0]?.startTime ?? NaN;
    return { fcp, complete, flame: (window as unknown as { __flameAt: number }).__flameAt };
  });
  await page.close();
  return m;
}

async function main(): Promise<void> {
  console.log('# Heapscope HTML report benchmark');
  console.log(`node ${process.version}, ${RUNS} runs per measurement (medians)`);
  if (!existsSync(join(ROOT, 'dist', 'report', 'report.js')) || !existsSync(join(ROOT, 'dist', 'cli.js'))) {
    console.log('dist/ is not built (dist/cli.js, dist/report/report.js): run `npm run build` (or `npm run bench`, which builds)');
    process.exitCode = 1;
    return;
  }
  const p = syntheticCpuProfile(BIG_CPU_SHAPE);
  const big = join(WORK, 'big-cpu.pb.gz');
  writeFileSync(big, gzipSync(encodeProfile(p)));
  console.log(`synthetic profile: ${big} (${fmtMB(statSync(big).size)} gz, ${BIG_CPU_SHAPE.samples} samples, ~430k-node call tree)`);
  const fx = join(ROOT, 'test', 'fixtures', 'out', 'go1.19', 'leakyapp');
  const cases: Case[] = [
    { name: 'big CPU profile', args: [big] },
    { name: 'big CPU profile, all sample types', args: [big, '--sample-types', 'all'] },
  ];
  if (existsSync(join(fx, 'heap.dump'))) {
    cases.push({
      name: 'leakyapp investigation',
      args: [...['heap-1.pb.gz', 'heap-2.pb.gz', 'heap-3.pb.gz', 'goroutine.debug2.txt', 'heap.dump'].map((f) => join(fx, f)), '--exe', join(fx, 'leakyapp')],
    });
  }
  const haveBrowser = existsSync(CHROMIUM);
  if (!haveBrowser) console.log(`${CHROMIUM} not found: the browser columns are n/a`);
  const browser = haveBrowser
    ? await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] })
    : null;
  console.log('');
  const rows: Row[] = [];
  try {
    for (const [i, c] of cases.entries()) {
      const out = join(WORK, `report-${i}.html`);
      const cli: number[] = [];
      for (let k = 0; k < RUNS; k++) cli.push(makeReport(c, out));
      const bytes = readFileSync(out);
      const fcp: number[] = [];
      const flame: number[] = [];
      const complete: number[] = [];
      if (browser) {
        await paint(browser, out); // warm-up (disk cache, font cache)
        for (let k = 0; k < RUNS; k++) {
          const m = await paint(browser, out);
          fcp.push(m.fcp);
          flame.push(m.flame);
          complete.push(m.complete);
        }
      }
      rows.push({ name: c.name, size: bytes.length, gz: gzipSync(bytes).length, cli: median(cli), fcp: median(fcp), flame: median(flame), complete: median(complete) });
    }
  } finally {
    await browser?.close();
  }
  console.log(
    table(
      ['report', 'size', 'gzipped', 'CLI report', 'first paint', 'first flame graph', 'all sections'],
      rows.map((r) => [r.name, fmtMB(r.size), fmtMB(r.gz), fmtMs(r.cli), fmtMs(r.fcp), fmtMs(r.flame), fmtMs(r.complete)]),
    ),
  );
  const b = rows[0]!;
  console.log('');
  console.log(`big CPU profile report: ${fmtMB(b.size)} (limit 5 MB) ${b.size < 5 * 1024 * 1024 ? 'OK' : 'OVER'}; first paint ${fmtMs(b.fcp)}, first flame graph ${fmtMs(b.flame)}`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
