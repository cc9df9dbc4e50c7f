/**
 * Chart benchmark (issue 16): the app's chart component (renderer/src/chart: uPlot, used by the
 * series view's totals chart and the watch's growth chart) against the hand-drawn SVG charts it
 * replaced (chart-baseline-*.tsx), drawing the same series at the same size in headless Chromium. Each draw is timed inside the page from the call to the painted frame
 * (chart-page.tsx); "update" is one more point appended to the drawn chart (a watch tick). Medians
 * of BENCH_RUNS (default 15) after 3 warm-up draws. The page script is bundled with esbuild's CLI.
 *
 *   series N    the series view's totals chart: two lines (total, selected trend) over N snapshots
 *   watch N     the watch's three panels (Heap: 4 lines; objects; goroutines) over N captures
 *
 * Run: npm run bench -- chart   (needs /usr/bin/chromium or HEAPSCOPE_CHROMIUM).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

interface Scenario {
  kind: 'series' | 'watch';
  points: number;
}
interface Timing {
  ms: number;
  update: number;
}

const FRAME = 1000 / 60;
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 15));
const CHROMIUM = process.env.HEAPSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const SCENARIOS: Scenario[] = [
  { kind: 'series', points: 5 },
  { kind: 'series', points: 30 },
  { kind: 'watch', points: 60 },
  { kind: 'watch', points: 240 },
  { kind: 'watch', points: 2000 },
];

function findRoot(): string {
  let d = process.cwd();
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(d, 'bin', 'heapscope.js')) && existsSync(join(d, 'shared'))) return d;
    d = resolve(d, '..');
  }
  throw new Error('run from inside the repository');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`chart bench skipped: no Chromium at ${CHROMIUM}`);
    if (process.env.CI === 'true') process.exitCode = 1;
    return;
  }
  const root = findRoot();
  const b = spawnSync(join(root, 'node_modules', 'esbuild', 'bin', 'esbuild'), [join(root, 'test', 'bench', 'chart-page.tsx'), '--bundle', '--format=iife', '--jsx=automatic', '--define:process.env.NODE_ENV="production"', '--minify', '--loader:.css=empty', '--log-level=error'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (b.status !== 0) throw new Error(`bundling chart-page.tsx failed: ${b.stderr}`);
  const css = ['node_modules/uplot/dist/uPlot.min.css', 'renderer/src/styles/app.css', 'renderer/src/live/live.css', 'renderer/src/chart/chart.css'].map((f) => join(root, f));

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.setContent('<!doctype html><html><body></body></html>');
    for (const path of css) await page.addStyleTag({ path });
    await page.addScriptTag({ content: b.stdout });
    const rows: string[] = [];
    rows.push('| chart | points | old SVG draw | chart (uPlot) draw | old SVG update | chart (uPlot) update |');
    rows.push('|---|---:|---:|---:|---:|---:|');
    let newWins = 0;
    for (const s of SCENARIOS) {
      const res: Record<'old' | 'new', Timing[]> = { old: [], new: [] };
      for (let i = 0; i < RUNS + 3; i++) {
        // Alternate which goes first so neither always draws into a warmer page.
        for (const which of i % 2 ? (['new', 'old'] as const) : (['old', 'new'] as const)) {
          const t = await page.evaluate(([w, sc]) => window.chartBench(w, sc), [which, s] as const);
          if (i >= 3) res[which].push(t);
        }
      }
      const m = (w: 'old' | 'new', k: keyof Timing) => median(res[w].map((t) => t[k]));
      // Drawing is counted in frames (the time to the painted frame moves in ~16.7 ms steps): at
      // least as fast = painted in no later a frame, for the first draw and for the update.
      const frames = (ms: number) => Math.round(ms / FRAME);
      if (frames(m('new', 'ms')) <= frames(m('old', 'ms')) && frames(m('new', 'update')) <= frames(m('old', 'update'))) newWins++;
      rows.push(`| ${s.kind} | ${s.points} | ${m('old', 'ms').toFixed(1)} ms | ${m('new', 'ms').toFixed(1)} ms | ${m('old', 'update').toFixed(1)} ms | ${m('new', 'update').toFixed(1)} ms |`);
    }
    console.log(`Chart draw to the painted frame, medians of ${RUNS} (900 px wide):`);
    console.log(rows.join('\n'));
    console.log(`The chart component draws and updates at least as fast as the old SVG in ${newWins} of ${SCENARIOS.length} scenarios (painted in no later a frame, first draw and update).`);
    if (newWins < SCENARIOS.length) console.log('MISS: the chart component is slower than the SVG charts it replaced somewhere above.');
  } finally {
    await browser.close();
  }
}

declare global {
  interface Window {
    chartBench(which: 'old' | 'new', s: Scenario): Promise<Timing>;
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
