/**
 * A watch's growth series as small multiples: heap bytes (Sys, HeapInuse, HeapAlloc, live heap),
 * heap objects, goroutines; one shared time axis. Drawn by the one chart component (uPlot). A point
 * is drawn per capture (up to POINT_MAX points, then only the line); gaps where a tick could not
 * read a value, and before the first point after a restart of the service.
 */
import { useMemo } from 'react';
import type { SeriesPoint, WatchTriggerFired } from '../../../shared/capture/types';
import { yAxis } from '../chart/axes';
import { Chart, xSpan, type ChartMarker, type ChartSeries, type CssColor } from '../chart/Chart';
import { formatBytes, formatCount } from '../lib/format';

type Metric = 'heapAlloc' | 'heapInuse' | 'heapObjects' | 'goroutines' | 'liveHeap' | 'sys';

const val = (p: SeriesPoint, m: Metric): number | null => p[m] ?? null;

interface Panel {
  id: string;
  title: string;
  metrics: Array<{ metric: Metric; label: string }>;
  format(v: number): string;
  bytes: boolean;
}

const PANELS: Panel[] = [
  {
    id: 'heap',
    title: 'Heap',
    metrics: [
      { metric: 'sys', label: 'Sys' },
      { metric: 'heapInuse', label: 'HeapInuse' },
      { metric: 'heapAlloc', label: 'HeapAlloc' },
      { metric: 'liveHeap', label: 'live heap' },
    ],
    format: formatBytes,
    bytes: true,
  },
  { id: 'objects', title: 'Heap objects', metrics: [{ metric: 'heapObjects', label: 'HeapObjects' }], format: formatCount, bytes: false },
  { id: 'goroutines', title: 'Goroutines', metrics: [{ metric: 'goroutines', label: 'Goroutines' }], format: formatCount, bytes: false },
];

/** Above this many points only the line is drawn. */
export const POINT_MAX = 240;
const HEIGHT = 92;
const PAD = { left: 64, right: 12, top: 8, bottom: 18 };
const COLOR: Record<Metric, CssColor> = {
  heapInuse: '--series-inuse',
  heapAlloc: '--series-alloc',
  heapObjects: '--series-objects',
  goroutines: '--series-goroutines',
  liveHeap: '--series-live',
  sys: '--series-sys',
};

const TIME = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function timeLabel(ms: number): string {
  return TIME.format(ms);
}

function durationLabel(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** The points as chart rows: one x per capture, plus a gap row before each restart. */
function rows(series: SeriesPoint[]): Array<SeriesPoint | null> {
  const out: Array<SeriesPoint | null> = [];
  for (const p of series) {
    if (p.restart && out.length) out.push(null);
    out.push(p);
  }
  return out;
}

function ChartPanel({ panel, series, t0, t1, triggers }: { panel: Panel; series: SeriesPoint[]; t0: number; t1: number; triggers: readonly WatchTriggerFired[] }) {
  const metrics = panel.metrics.filter((m) => m.metric !== 'sys' && m.metric !== 'liveHeap' ? true : series.some((p) => val(p, m.metric) !== null));
  panel = { ...panel, metrics };
  const values: number[] = [];
  for (const p of series) for (const m of panel.metrics) if (val(p, m.metric) !== null) values.push(val(p, m.metric)!);
  const axis = values.length ? yAxis(values, panel.bytes) : { lo: 0, hi: 1, ticks: [0, 1] };
  const showPoints = series.length <= POINT_MAX;
  const first = panel.metrics.map((m) => { const p = series.find((q) => val(q, m.metric) !== null); return p ? val(p, m.metric) : null; });
  const last = panel.metrics.map((m) => { const p = [...series].reverse().find((q) => val(q, m.metric) !== null); return p ? val(p, m.metric) : null; });
  const summary = panel.metrics
    .map((m, i) => (last[i] === null ? `${m.label}: no data` : `${m.label} ${panel.format(first[i]!)} → ${panel.format(last[i]!)}`))
    .join('; ');
  const r = useMemo(() => rows(series), [series]);
  const x = useMemo(() => r.map((p, i) => (p ? p.timeMs : (r[i - 1]!.timeMs + r[i + 1]!.timeMs) / 2)), [r]);
  const key = panel.metrics.map((m) => m.metric).join(',');
  const chartSeries = useMemo<ChartSeries[]>(
    () => panel.metrics.map((m) => ({ key: m.metric, label: m.label, values: r.map((p) => (p ? val(p, m.metric) : null)), color: COLOR[m.metric], width: 1.75, points: showPoints ? 'solid' : 'none' })),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [r, key, showPoints],
  );
  const markers: ChartMarker[] = [
    ...series.filter((p) => p.restart).map((p): ChartMarker => ({ x: p.timeMs, label: 'restart', color: '--text-muted', at: 'top', testId: 'growth-restart', tick: p.tick })),
    ...triggers.map((f): ChartMarker => ({ x: f.timeMs, label: f.trigger, color: '--series-trigger', at: 'bottom', testId: 'growth-trigger', tick: f.tick })),
  ];
  const pointText = (s: ChartSeries, i: number) => {
    const p = r[i]!;
    return `${s.label} ${panel.format(s.values[i]!)} · capture ${p.tick} at ${timeLabel(p.timeMs)}${p.numGC !== null ? ` · NumGC ${p.numGC}` : ''}`;
  };

  return (
    <figure className="growth-panel" data-testid="growth-panel" data-panel={panel.id}>
      <figcaption className="growth-panel__head">
        <span className="growth-panel__title">{panel.title}</span>
        {panel.metrics.map((m, i) => (
          <span key={m.metric} className="growth-legend">
            <span className={`growth-swatch growth-swatch--${m.metric}`} aria-hidden="true" />
            {m.label}
            <span className="growth-legend__value" data-testid="growth-last" data-metric={m.metric}>
              {last[i] === null ? '–' : panel.format(last[i]!)}
            </span>
          </span>
        ))}
      </figcaption>
      <Chart
        x={x}
        series={chartSeries}
        height={HEIGHT}
        pad={PAD}
        xRange={xSpan([t0, t1])}
        yRange={[axis.lo, axis.hi]}
        yTicks={axis.ticks}
        yFormat={panel.format}
        yGrid="solid"
        fontSize={10.5}
        yGap={6}
        markers={markers}
        pointRadius={3}
        pointText={pointText}
        pointTick={(i) => r[i]!.tick}
        empty={series.length ? 'not read' : 'waiting for the first capture…'}
        ariaLabel={`${panel.title}: ${summary}`}
        className="growth-plot"
      />
    </figure>
  );
}

export function GrowthChart({ series, triggers = [] }: { series: SeriesPoint[]; triggers?: readonly WatchTriggerFired[] }) {
  const t0 = series.length ? series[0]!.timeMs : 0;
  const t1 = series.length ? series[series.length - 1]!.timeMs : 0;
  const lastGc = [...series].reverse().find((p) => p.numGC !== null)?.numGC ?? null;
  const firstGc = series.find((p) => p.numGC !== null)?.numGC ?? null;
  return (
    <div className="growth-chart" data-testid="growth-chart" data-points={series.length}>
      {PANELS.map((p) => (
        <ChartPanel key={p.id} panel={p} series={series} t0={t0} t1={t1} triggers={triggers} />
      ))}
      <div className="growth-axis text-muted">
        <span>{series.length ? timeLabel(t0) : ''}</span>
        <span>
          {series.length} {series.length === 1 ? 'point' : 'points'}
          {series.length > 1 ? ` over ${durationLabel(t1 - t0)}` : ''}
          {lastGc !== null ? ` · NumGC ${lastGc}${firstGc !== null && lastGc !== firstGc ? ` (+${lastGc - firstGc})` : ''}` : ''}
        </span>
        <span>{series.length > 1 ? timeLabel(t1) : ''}</span>
      </div>
    </div>
  );
}
