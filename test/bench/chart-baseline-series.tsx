/**
 * The hand-drawn SVG charts as they were before issue 16 (renderer/src/series/charts.tsx's LineChart
 * and renderer/src/live/GrowthChart.tsx), kept only as chart.bench.ts's baseline: the bench draws
 * the same series with these and with the app's chart component (uPlot).
 */
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { formatValue } from '../../renderer/src/lib/format';

/** The element's content width, live. */
export function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
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

/** "Nice" tick values from 0 to at least `max`: steps of 1, 2, 2.5 or 5 × 10^n (of 1024^k for bytes). */
export function niceTicks(max: number, unit: string, count = 4): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const bytes = unit.toLowerCase() === 'bytes';
  const scale = bytes ? 1024 ** Math.max(0, Math.floor(Math.log(max) / Math.log(1024))) : 1;
  const m = max / scale;
  const raw = m / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((x) => x * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = 0; v < m + step * 0.999; v += step) out.push(v * scale);
  if (out.length < 2) out.push(step * scale);
  return out;
}

export interface LineSeries {
  key: string;
  values: number[];
  /** CSS modifier: the line's colour. */
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

export function LineChart({ labels, series, unit, height, ariaLabel, testId }: LineChartProps) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const n = labels.length;
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  const ticks = niceTicks(max, unit);
  const top = ticks[ticks.length - 1]!;
  const w = Math.max(0, width - PAD.left - PAD.right);
  const h = Math.max(0, height - PAD.top - PAD.bottom);
  const x = (i: number) => PAD.left + (n <= 1 ? w / 2 : (i * w) / (n - 1));
  const y = (v: number) => PAD.top + h - (top > 0 ? (v / top) * h : 0);
  const path = (vals: number[]) => vals.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
  const area = (vals: number[]) => `${path(vals)}L${x(vals.length - 1).toFixed(1)},${y(0).toFixed(1)}L${x(0).toFixed(1)},${y(0).toFixed(1)}Z`;
  const maxLabelChars = Math.max(6, Math.floor((n > 1 ? w / (n - 1) : w) / 7));
  return (
    <div ref={ref} className="line-chart" data-testid={testId}>
      {width > 0 ? (
        <svg width={width} height={height} role="img" aria-label={ariaLabel}>
          {ticks.map((t) => (
            <g key={t} className="line-chart__tick">
              <line x1={PAD.left} x2={PAD.left + w} y1={y(t)} y2={y(t)} />
              <text x={PAD.left - 8} y={y(t)} dy="0.32em" textAnchor="end">
                {formatValue(t, unit)}
              </text>
            </g>
          ))}
          {labels.map((l, i) => (
            <g key={i} className="line-chart__xtick">
              <line x1={x(i)} x2={x(i)} y1={PAD.top + h} y2={PAD.top + h + 4} />
              <text x={x(i)} y={PAD.top + h + 18} textAnchor={n > 1 && i === 0 ? 'start' : n > 1 && i === n - 1 ? 'end' : 'middle'}>
                <title>{l}</title>
                {`${i + 1}. ${l.length > maxLabelChars ? `${l.slice(0, maxLabelChars - 1)}…` : l}`}
              </text>
            </g>
          ))}
          {series.map((s) =>
            s.tone === 'total' ? <path key={`${s.key}-area`} className="line-chart__area" d={area(s.values)} /> : null,
          )}
          {series.map((s) => (
            <g key={s.key} className={`line-chart__series line-chart__series--${s.tone}`}>
              <path className="line-chart__line" d={path(s.values)} />
              {s.values.map((v, i) => (
                <circle key={i} className="line-chart__dot" cx={x(i)} cy={y(v)} r={3.5}>
                  <title>{`${s.label}\n${labels[i] ?? ''}: ${formatValue(v, unit)}`}</title>
                </circle>
              ))}
            </g>
          ))}
        </svg>
      ) : null}
    </div>
  );
}

/** A tiny line, 0 at the bottom (so growth reads as growth), the last point dotted. */
