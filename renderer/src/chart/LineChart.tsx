/**
 * Values across snapshots (the series view's totals): evenly spaced x (snapshot index, the same x
 * the trends' slope per snapshot uses), y ticks in the value's unit from 0, numbered x labels, the
 * total's area filled. Drawn by the one chart component.
 */
import { useMemo } from 'react';
import { formatValue } from '../lib/format';
import { niceTicks } from './axes';
import { Chart, type ChartSeries, type CssColor } from './Chart';
import { useWidth } from './useWidth';

export interface LineSeries {
  key: string;
  values: number[];
  /** The line's colour: the total (filled), the selected trend, or muted. */
  tone: 'total' | 'selected' | 'muted';
  label: string;
}

export interface LineChartProps {
  labels: string[];
  series: LineSeries[];
  unit: string;
  height: number;
  ariaLabel: string;
  testId?: string;
}

const PAD = { top: 12, right: 18, bottom: 34, left: 64 };
const TONE: Record<LineSeries['tone'], { color: CssColor; width: number }> = {
  total: { color: '--accent', width: 2.2 },
  selected: { color: '--grew', width: 2.2 },
  muted: { color: '--text-muted', width: 1.2 },
};

export function LineChart({ labels, series, unit, height, ariaLabel, testId }: LineChartProps) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const n = labels.length;
  const ticks = niceTicks(Math.max(0, ...series.flatMap((s) => s.values)), unit);
  const w = Math.max(0, width - PAD.left - PAD.right);
  const maxChars = Math.max(6, Math.floor((n > 1 ? w / (n - 1) : w) / 7));
  const x = useMemo(() => labels.map((_, i) => i), [labels]);
  const chartSeries = useMemo<ChartSeries[]>(
    () => series.map((s) => ({ key: s.key, label: s.label, values: s.values, tone: s.tone, ...TONE[s.tone], fill: s.tone === 'total' ? '--accent-weak' : undefined, points: s.tone === 'muted' ? 'none' : 'ring' })),
    [series],
  );
  const xLabels = labels.map((l, i) => ({ at: i, text: `${i + 1}. ${l.length > maxChars ? `${l.slice(0, maxChars - 1)}…` : l}` }));
  return (
    <div ref={ref} className="line-chart">
      <Chart
        x={x}
        series={chartSeries}
        height={height}
        pad={PAD}
        xRange={n <= 1 ? [-1, 1] : [0, n - 1]}
        yRange={[0, ticks[ticks.length - 1]!]}
        yTicks={ticks}
        yFormat={(v) => formatValue(v, unit)}
        xLabels={xLabels}
        pointRadius={3.5}
        pointText={(s, i) => `${s.label}\n${labels[i] ?? ''}: ${formatValue(s.values[i] ?? 0, unit)}`}
        ariaLabel={ariaLabel}
        testId={testId}
      />
    </div>
  );
}
