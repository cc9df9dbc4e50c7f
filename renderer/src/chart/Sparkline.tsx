/**
 * A tiny line, 0 at the bottom (so growth reads as growth), the last point dotted: one SVG path,
 * not a chart (no axes, no interaction). It stands in table rows and cards, where one uPlot per row
 * would cost more than the path.
 */
export function Sparkline({ values, width = 96, height = 24, tone = 'up' }: { values: number[]; width?: number; height?: number; tone?: 'up' | 'down' | 'flat' }) {
  const n = values.length;
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const span = hi - lo || 1;
  const px = (i: number) => 2 + (n <= 1 ? (width - 4) / 2 : (i * (width - 4)) / (n - 1));
  const py = (v: number) => height - 2 - ((v - lo) / span) * (height - 4);
  const d = values.map((v, i) => `${i ? 'L' : 'M'}${px(i).toFixed(1)},${py(v).toFixed(1)}`).join('');
  return (
    <svg className={`sparkline sparkline--${tone}`} width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
      <line className="sparkline__base" x1={2} x2={width - 2} y1={py(0)} y2={py(0)} />
      <path className="sparkline__line" d={d} />
      {n ? <circle className="sparkline__dot" cx={px(n - 1)} cy={py(values[n - 1]!)} r={2.4} /> : null}
    </svg>
  );
}
