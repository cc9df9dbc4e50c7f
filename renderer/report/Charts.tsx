/** Small SVG charts drawn with React attributes (no inline style, no markup from data). */
import type { ReactNode } from 'react';
import { ColumnHeads } from '../src/controls/ColumnHeads';

export function Sparkline({ values, width = 90, height = 22, label }: { values: readonly number[]; width?: number; height?: number; label: string }) {
  if (values.length < 2) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const pts = values.map((v, i) => `${((i / (values.length - 1)) * (width - 4) + 2).toFixed(1)},${(height - 2 - ((v - min) / span) * (height - 4)).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <polyline points={pts} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
    </svg>
  );
}

export interface LineSeries {
  name: string;
  values: readonly number[];
  className: string;
}

/** A line chart over x values (e.g. seconds), with min/max labels. */
export function LineChart({ xs, series, width = 720, height = 200, yLabel, xLabel, testId }: { xs: readonly number[]; series: LineSeries[]; width?: number; height?: number; yLabel: string; xLabel: string; testId?: string }) {
  const padL = 56;
  const padB = 26;
  const padT = 10;
  const padR = 10;
  const all = series.flatMap((s) => s.values);
  if (xs.length < 1 || all.length < 1) return null;
  const yMax = Math.max(...all, 0) || 1;
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const xSpan = xMax - xMin || 1;
  const X = (x: number) => padL + ((x - xMin) / xSpan) * (width - padL - padR);
  const Y = (y: number) => padT + (1 - y / yMax) * (height - padT - padB);
  return (
    <svg className="line-chart" width="100%" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${yLabel} over ${xLabel}`} data-testid={testId}>
      <line x1={padL} y1={Y(0)} x2={width - padR} y2={Y(0)} className="line-chart__axis" />
      <line x1={padL} y1={padT} x2={padL} y2={Y(0)} className="line-chart__axis" />
      <text x={padL - 6} y={Y(yMax) + 4} textAnchor="end" className="line-chart__label">
        {yMax.toLocaleString()}
      </text>
      <text x={padL - 6} y={Y(0)} textAnchor="end" className="line-chart__label">
        0
      </text>
      <text x={padL} y={height - 6} className="line-chart__label">
        {xMin.toLocaleString()}
      </text>
      <text x={width - padR} y={height - 6} textAnchor="end" className="line-chart__label">
        {`${xMax.toLocaleString()} ${xLabel}`}
      </text>
      <text x={4} y={padT + 4} className="line-chart__label">
        {yLabel}
      </text>
      {series.map((s) => (
        <polyline key={s.name} className={s.className} fill="none" points={s.values.map((v, i) => `${X(xs[i] ?? i).toFixed(1)},${Y(v).toFixed(1)}`).join(' ')} />
      ))}
    </svg>
  );
}

export interface GrowthRow {
  /** The function (or stack) the row is about, drawn as text. */
  name: string;
  title?: string;
  values: readonly number[];
  growth: ReactNode;
  className?: string;
}

/** Values per snapshot, their growth and a sparkline: one row per function, one column per snapshot. */
export function GrowthTable({ label, snapshots, rows, format, trendLabel }: { label: string; snapshots: readonly string[]; rows: readonly GrowthRow[]; format(v: number): string; trendLabel(name: string): string }) {
  return (
    <table className="rtable-static" aria-label={label}>
      <ColumnHeads columns={['Function', ...snapshots.map((s) => ({ label: s, numeric: true })), { label: 'Growth', numeric: true }, 'Trend']} />
      <tbody>
        {rows.map((r, i) => (
          <tr key={i} className={r.className}>
            <td className="mono" title={r.title}>
              {r.name}
            </td>
            {r.values.map((v, j) => (
              <td key={j} className="num">
                {format(v)}
              </td>
            ))}
            <td className="num">{r.growth}</td>
            <td>
              <Sparkline values={r.values} label={trendLabel(r.name)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
