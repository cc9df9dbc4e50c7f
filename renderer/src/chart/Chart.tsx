/**
 * The one chart component: lines over x values drawn by uPlot (canvas), with the app's y ticks,
 * colours from CSS custom properties (light and dark), optional points, an area under a series,
 * labelled x positions and vertical markers. A hidden list beside the canvas names every drawn point
 * and marker (`chart-point` with `data-metric`, `data-tone`, `data-tick`; no text, which would cost
 * more than the drawing) for tests; the canvas has an aria-label summary, and hovering a point's x
 * shows its values (pointText) as the tooltip.
 *
 * uPlot is created when the size, the series set or the colour scheme changes; new values only
 * call setData. Strings from profiles reach the canvas through fillText and the DOM as text only.
 */
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useColorScheme } from '../lib/useColorScheme';
import { useWidth } from './useWidth';
import './chart.css';

/** A CSS custom property holding a colour (resolved on the chart's element, so themes apply). */
export type CssColor = `--${string}`;

export interface ChartSeries {
  key: string;
  label: string;
  values: ReadonlyArray<number | null>;
  color: CssColor;
  /** Line width in CSS pixels. */
  width: number;
  /** Fill the area under the line with this colour. */
  fill?: CssColor;
  /** 'ring': a panel-coloured dot with a coloured ring; 'solid': a coloured dot with a panel-coloured edge. */
  points: 'ring' | 'solid' | 'none';
  /** Exposed as `data-tone` on the points. */
  tone?: string;
}

export interface ChartMarker {
  x: number;
  label: string;
  color: CssColor;
  /** Where the label sits: under the top edge or over the bottom edge of the plot. */
  at: 'top' | 'bottom';
  testId: string;
  tick: number;
}

export interface ChartProps {
  x: readonly number[];
  series: ChartSeries[];
  height: number;
  /** The plot area's insets (the y labels live in the left one). */
  pad: { top: number; right: number; bottom: number; left: number };
  xRange: [number, number];
  yRange: [number, number];
  yTicks: readonly number[];
  yFormat(v: number): string;
  /** The y grid: dashed (2 3, the default) or solid lines. */
  yGrid?: 'dashed' | 'solid';
  /** Font size (px) of the y labels (default 11). */
  fontSize?: number;
  /** Gap between the y labels and the plot (default 8). */
  yGap?: number;
  /** Labels under the plot at x positions, each with a 4 px tick; the ends align to the plot's edges. */
  xLabels?: ReadonlyArray<{ at: number; text: string }>;
  markers?: readonly ChartMarker[];
  /** Point radius (CSS px) where points are drawn. */
  pointRadius: number;
  /** One point's text, for the tooltip (computed on hover only). */
  pointText(s: ChartSeries, i: number): string;
  /** A point's `data-tick` (default: its index + 1). */
  pointTick?(i: number): number;
  /** Drawn in the middle when no series has a value. */
  empty?: string;
  ariaLabel: string;
  testId?: string;
  className?: string;
}

const cssVar = (el: Element, name: CssColor) => getComputedStyle(el).getPropertyValue(name).trim() || '#888';

function hasValue(series: readonly ChartSeries[]): boolean {
  return series.some((s) => s.values.some((v) => v !== null));
}

/** The x range of values in order (first to last), widened around a single value. */
export function xSpan(x: readonly number[]): [number, number] {
  const t0 = x.length ? x[0]! : 0;
  const t1 = x.length ? x[x.length - 1]! : 0;
  return t1 > t0 ? [t0, t1] : [t0 - 1, t0 + 1];
}

export function Chart(props: ChartProps) {
  const { x, series, height, testId, className, ariaLabel, pointTick } = props;
  const [ref, width] = useWidth<HTMLDivElement>();
  const plotRef = useRef<HTMLDivElement>(null);
  const uRef = useRef<uPlot | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const scheme = useColorScheme();
  const shape = `${width}|${height}|${scheme}|${series.map((s) => `${s.key}:${s.color}:${s.fill ?? ''}:${s.points}:${s.width}`).join(',')}`;
  const data = useMemo<uPlot.AlignedData>(() => [Float64Array.from(x), ...series.map((s) => s.values as (number | null)[])], [x, series]);

  useLayoutEffect(() => {
    const host = plotRef.current;
    if (!host || width <= 0) return;
    const p = latest.current;
    const el = ref.current ?? host;
    const color = (c: CssColor) => cssVar(el, c);
    const font = getComputedStyle(el).fontFamily;
    const muted = color('--text-muted');
    const panel = color('--bg-panel');
    const opts: uPlot.Options = {
      width,
      height: p.height,
      padding: [p.pad.top, p.pad.right, p.pad.bottom, 0],
      legend: { show: false },
      cursor: { show: true, x: false, y: false, points: { show: false }, drag: { x: false, y: false, setScale: false } },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: false, range: () => latest.current.xRange },
        y: { range: () => latest.current.yRange },
      },
      axes: [
        { show: false },
        {
          size: p.pad.left,
          gap: p.yGap ?? 8,
          font: `${p.fontSize ?? 11}px ${font}`,
          stroke: muted,
          ticks: { show: false },
          grid: { stroke: color('--border'), width: 1, dash: p.yGrid === 'solid' ? [] : [2, 3] },
          splits: () => [...latest.current.yTicks],
          values: (_u, splits) => (hasValue(latest.current.series) ? splits.map((v) => latest.current.yFormat(v)) : splits.map(() => '')),
        },
      ],
      series: [
        {},
        ...p.series.map<uPlot.Series>((s) => ({
          label: s.label,
          stroke: color(s.color),
          width: s.width,
          fill: s.fill ? color(s.fill) : undefined,
          spanGaps: false,
          points:
            s.points === 'none'
              ? { show: false }
              : s.points === 'ring'
                ? { show: true, size: p.pointRadius * 2 + 2, width: 2, stroke: color(s.color), fill: panel }
                : { show: true, size: p.pointRadius * 2 + 1.5, width: 1.5, stroke: panel, fill: color(s.color) },
        })),
      ],
      hooks: {
        draw: [(u) => drawExtras(u, latest.current, el, font)],
        setCursor: [
          (u) => {
            const i = u.cursor.idx;
            const cur = latest.current;
            u.over.title = i == null ? '' : cur.series.filter((s) => s.points !== 'none' && s.values[i] != null).map((s) => cur.pointText(s, i)).join('\n');
          },
        ],
      },
    };
    const u = new uPlot(opts, data, host);
    u.root.setAttribute('role', 'img');
    uRef.current = u;
    return () => {
      u.destroy();
      uRef.current = null;
    };
    // Recreated on a new shape only; values go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape]);

  useEffect(() => {
    const u = uRef.current;
    if (u && u.data !== data) u.setData(data, true);
  }, [data]);

  useEffect(() => {
    uRef.current?.root.setAttribute('aria-label', ariaLabel);
  }, [ariaLabel, shape]);

  const tick = pointTick ?? ((i: number) => i + 1);
  return (
    <div ref={ref} className={`chart${className ? ` ${className}` : ''}`} data-testid={testId}>
      <div ref={plotRef} className="chart__plot" />
      <ul className="chart__data" hidden>
        {series.map((s) =>
          s.points === 'none'
            ? null
            : s.values.map((v, i) =>
                v === null ? null : (
                  <li key={`${s.key}-${i}`} data-testid="chart-point" data-metric={s.key} data-tone={s.tone} data-tick={tick(i)} />
                ),
              ),
        )}
        {props.markers?.map((m) => (
          <li key={`${m.testId}-${m.tick}-${m.label}`} data-testid={m.testId} data-tick={m.tick}>
            {m.label}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The x labels, the markers and the empty note, on the chart's canvas (device pixels). */
function drawExtras(u: uPlot, p: ChartProps, el: Element, font: string): void {
  const ctx = u.ctx;
  const r = uPlot.pxRatio;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  if (p.xLabels?.length) {
    ctx.font = `${11 * r}px ${font}`;
    ctx.fillStyle = cssVar(el, '--text-muted');
    ctx.strokeStyle = cssVar(el, '--border-strong');
    ctx.lineWidth = r;
    const n = p.xLabels.length;
    for (const [i, l] of p.xLabels.entries()) {
      const x = Math.round(u.valToPos(l.at, 'x', true));
      ctx.beginPath();
      ctx.moveTo(x + 0.5, top + height);
      ctx.lineTo(x + 0.5, top + height + 4 * r);
      ctx.stroke();
      ctx.textAlign = n > 1 && i === 0 ? 'left' : n > 1 && i === n - 1 ? 'right' : 'center';
      ctx.textBaseline = 'alphabetic';
      ctx.fillText(l.text, x, top + height + 18 * r);
    }
  }
  for (const m of p.markers ?? []) {
    const x = Math.round(u.valToPos(m.x, 'x', true));
    const c = cssVar(el, m.color);
    ctx.strokeStyle = c;
    ctx.fillStyle = c;
    ctx.lineWidth = 1.2 * r;
    ctx.setLineDash([3 * r, 3 * r]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.font = `${10 * r}px ${font}`;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    ctx.fillText(m.label, x + 3 * r, m.at === 'top' ? top + 9 * r : top + height - 3 * r);
  }
  if (p.empty && !hasValue(p.series)) {
    ctx.font = `${(p.fontSize ?? 11) * r}px ${font}`;
    ctx.fillStyle = cssVar(el, '--text-muted');
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(p.empty, left + width / 2, top + height / 2);
  }
  ctx.restore();
}
