/**
 * The page side of chart.bench.ts (bundled by esbuild into one IIFE and run in Chromium): draws the
 * same series with the hand-drawn SVG charts of before issue 16 (chart-baseline-*.tsx) and with the
 * app's chart component (renderer/src/chart, uPlot), and times each from the call to the painted
 * frame (the first animation frame after the draw, then a task: the browser has laid out, painted
 * and presented by then).
 */
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { SeriesPoint } from '../../shared/capture/types';
import { LineChart } from '../../renderer/src/chart/LineChart';
import { GrowthChart } from '../../renderer/src/live/GrowthChart';
import { LineChart as OldLineChart } from './chart-baseline-series';
import { GrowthChart as OldGrowthChart } from './chart-baseline-growth';

const WIDTH = 900;

export interface Scenario {
  /** 'series': the series view's totals chart (two lines over N snapshots); 'watch': the watch's three panels over N captures. */
  kind: 'series' | 'watch';
  points: number;
}

function watchSeries(n: number, t0 = 1_700_000_000_000): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (let i = 0; i < n; i++) {
    const heap = 40e6 + i * 1.5e5 + ((i * 7919) % 13) * 2e5;
    out.push({ tick: i + 1, timeMs: t0 + i * 1000, heapAlloc: heap, heapInuse: heap * 1.2, heapObjects: 3e5 + i * 900, numGC: i, goroutines: 20 + (i % 17), sys: heap * 2, liveHeap: heap * 0.8 });
  }
  return out;
}

function seriesValues(n: number): { labels: string[]; total: number[]; selected: number[] } {
  const labels = Array.from({ length: n }, (_, i) => `heap-${i + 1}.pb.gz`);
  const total = labels.map((_, i) => 50e6 + i * 2e6 + ((i * 31) % 5) * 1e6);
  const selected = labels.map((_, i) => 2e6 + i * 8e5);
  return { labels, total, selected };
}

const nextFrame = () => new Promise<number>((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()))));

function host(): HTMLDivElement {
  const el = document.createElement('div');
  el.style.width = `${WIDTH}px`;
  document.body.append(el);
  return el;
}

/** Draws with the old SVG charts or the chart component; then appends one point (a watch tick). */
async function draw(which: 'old' | 'new', s: Scenario): Promise<{ ms: number; update: number; cleanup(): void }> {
  const el = host();
  const root: Root = createRoot(el);
  const Line = which === 'old' ? OldLineChart : LineChart;
  const Growth = which === 'old' ? OldGrowthChart : GrowthChart;
  let render: (n: number) => void;
  if (s.kind === 'series') {
    const v = seriesValues(s.points + 1);
    render = (n) =>
      root.render(
        <Line
          labels={v.labels.slice(0, n)}
          series={[
            { key: 'total', values: v.total.slice(0, n), tone: 'total', label: 'total' },
            { key: 'sel', values: v.selected.slice(0, n), tone: 'selected', label: 'selected' },
          ]}
          unit="bytes"
          height={260}
          ariaLabel="bench"
        />,
      );
  } else {
    const all = watchSeries(s.points + 1);
    render = (n) => root.render(<Growth series={all.slice(0, n)} />);
  }
  const t0 = performance.now();
  flushSync(() => render(s.points));
  const t1 = await nextFrame();
  const t2 = performance.now();
  flushSync(() => render(s.points + 1));
  const t3 = await nextFrame();
  return { ms: t1 - t0, update: t3 - t2, cleanup: () => (root.unmount(), el.remove()) };
}

declare global {
  interface Window {
    chartBench(which: 'old' | 'new', s: Scenario): Promise<{ ms: number; update: number }>;
  }
}

window.chartBench = async (which, s) => {
  const r = await draw(which, s);
  r.cleanup();
  await nextFrame();
  return { ms: r.ms, update: r.update };
};
