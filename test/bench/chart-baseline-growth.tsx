/** The watch's growth chart as hand-drawn SVG before issue 16: chart.bench.ts's baseline (see chart-baseline-series.tsx). */
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { SeriesPoint, WatchTriggerFired } from '../../shared/capture/types';
import { formatBytes, formatCount } from '../../renderer/src/lib/format';

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

function timeLabel(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function durationLabel(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/**
 * A y-axis for the values: round ticks (in KiB/MiB/GiB steps for bytes), two or three intervals,
 * starting at 0 or above. A flat series gets a band around its value.
 */
export function yAxis(values: number[], bytes: boolean): { lo: number; hi: number; ticks: number[] } {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    const d = Math.max(Math.abs(lo) * 0.05, 1);
    lo = Math.max(0, lo - d);
    hi += d;
  }
  const scale = bytes && hi >= 1024 ? 1024 ** Math.floor(Math.log(hi) / Math.log(1024)) : 1;
  let step = niceStep((hi - lo) / scale / 2) * scale;
  if (!bytes) step = Math.max(step, 1);
  const a = Math.max(0, Math.floor(lo / step) * step);
  const b = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = a; v <= b + step / 2 && ticks.length < 8; v += step) ticks.push(v);
  return { lo: a, hi: ticks[ticks.length - 1]! > a ? ticks[ticks.length - 1]! : a + step, ticks };
}

function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [w, setW] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setW(el.clientWidth);
    const ro = new ResizeObserver(() => setW(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, w];
}

function ChartPanel({ panel, series, width, t0, t1, triggers }: { panel: Panel; series: SeriesPoint[]; width: number; t0: number; t1: number; triggers: readonly WatchTriggerFired[] }) {
  const metrics = panel.metrics.filter((m) => m.metric !== 'sys' && m.metric !== 'liveHeap' ? true : series.some((p) => val(p, m.metric) !== null));
  panel = { ...panel, metrics };
  const values: number[] = [];
  for (const p of series) for (const m of panel.metrics) if (val(p, m.metric) !== null) values.push(val(p, m.metric)!);
  const innerW = Math.max(10, width - PAD.left - PAD.right);
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + (t1 > t0 ? ((t - t0) / (t1 - t0)) * innerW : innerW / 2);
  const axis = values.length ? yAxis(values, panel.bytes) : { lo: 0, hi: 1, ticks: [0, 1] };
  const { lo, hi } = axis;
  const y = (v: number) => PAD.top + innerH - ((v - lo) / (hi - lo)) * innerH;
  const showPoints = series.length <= POINT_MAX;
  const first = panel.metrics.map((m) => { const p = series.find((q) => val(q, m.metric) !== null); return p ? val(p, m.metric) : null; });
  const last = panel.metrics.map((m) => { const p = [...series].reverse().find((q) => val(q, m.metric) !== null); return p ? val(p, m.metric) : null; });
  const summary = panel.metrics
    .map((m, i) => (last[i] === null ? `${m.label}: no data` : `${m.label} ${panel.format(first[i]!)} → ${panel.format(last[i]!)}`))
    .join('; ');

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
      {width > 0 ? (
        <svg className="growth-svg" width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-label={`${panel.title}: ${summary}`}>
          {axis.ticks.map((v, i) => (
            <g key={i} className="growth-grid">
              <line x1={PAD.left} x2={PAD.left + innerW} y1={y(v)} y2={y(v)} />
              <text x={PAD.left - 6} y={y(v)} dy="0.32em" textAnchor="end">
                {values.length ? panel.format(v) : ''}
              </text>
            </g>
          ))}
          {values.length === 0 ? (
            <text className="growth-empty" x={PAD.left + innerW / 2} y={PAD.top + innerH / 2} textAnchor="middle">
              {series.length ? 'not read' : 'waiting for the first capture…'}
            </text>
          ) : null}
          {panel.metrics.map((m) => {
            // One path, broken where a tick has no value.
            let d = '';
            let pen = false;
            for (const p of series) {
              const v = val(p, m.metric);
              if (p.restart) pen = false; // a restarted service: a gap, then a new series
              if (v === null) {
                pen = false;
                continue;
              }
              d += `${pen ? 'L' : 'M'}${x(p.timeMs).toFixed(1)},${y(v).toFixed(1)}`;
              pen = true;
            }
            return (
              <g key={m.metric} className={`growth-series growth-series--${m.metric}`} data-testid="growth-series" data-metric={m.metric}>
                {d ? <path d={d} className="growth-line" /> : null}
                {showPoints
                  ? series.map((p) =>
                      val(p, m.metric) === null ? null : (
                        <circle key={p.tick} className="growth-point" cx={x(p.timeMs)} cy={y(val(p, m.metric)!)} r={3} data-testid="chart-point" data-metric={m.metric} data-tick={p.tick}>
                          <title>{`${m.label} ${panel.format(val(p, m.metric)!)} · capture ${p.tick} at ${timeLabel(p.timeMs)}${p.numGC !== null ? ` · NumGC ${p.numGC}` : ''}`}</title>
                        </circle>
                      ),
                    )
                  : null}
              </g>
            );
          })}
          {series
            .filter((p) => p.restart)
            .map((p) => (
              <g key={`r${p.tick}`} className="growth-marker growth-marker--restart" data-testid="growth-restart" data-tick={p.tick}>
                <line x1={x(p.timeMs)} x2={x(p.timeMs)} y1={PAD.top} y2={PAD.top + innerH} />
                <text x={x(p.timeMs) + 3} y={PAD.top + 9}>
                  restart
                </text>
              </g>
            ))}
          {triggers.map((f) => (
            <g key={`t${f.tick}-${f.trigger}`} className="growth-marker growth-marker--trigger" data-testid="growth-trigger" data-tick={f.tick}>
              <line x1={x(f.timeMs)} x2={x(f.timeMs)} y1={PAD.top} y2={PAD.top + innerH} />
              <text x={x(f.timeMs) + 3} y={PAD.top + innerH - 3}>
                {f.trigger}
              </text>
            </g>
          ))}
        </svg>
      ) : null}
    </figure>
  );
}

export function GrowthChart({ series, triggers = [] }: { series: SeriesPoint[]; triggers?: readonly WatchTriggerFired[] }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const t0 = series.length ? series[0]!.timeMs : 0;
  const t1 = series.length ? series[series.length - 1]!.timeMs : 0;
  const lastGc = [...series].reverse().find((p) => p.numGC !== null)?.numGC ?? null;
  const firstGc = series.find((p) => p.numGC !== null)?.numGC ?? null;
  return (
    <div className="growth-chart" data-testid="growth-chart" data-points={series.length} ref={ref}>
      {PANELS.map((p) => (
        <ChartPanel key={p.id} panel={p} series={series} width={width} t0={t0} t1={t1} triggers={triggers} />
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
