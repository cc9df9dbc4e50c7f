/**
 * "Profile vs RSS" in one picture: horizontal bars on one byte scale. The runtime's Sys stacked by
 * its parts; the heap profile's in-use total; the resident estimate (MaxRSS, else Sys − released).
 * Plain SVG; labels are text nodes (strings from files are untrusted).
 */
import { useWidth } from '../chart/useWidth';
import { formatBytes } from '../lib/format';

export interface BarSegment {
  name: string;
  bytes: number;
}

export interface BarRow {
  label: string;
  segments: BarSegment[];
  testId: string;
}

const COLORS = ['#2f7ed8', '#8fb8ee', '#f2a33a', '#d9d9d9', '#6bb36b', '#a77bca', '#d36f6f', '#999'];
const ROW = 26;
const LABEL_W = 190;

export function segmentColor(i: number): string {
  return COLORS[i % COLORS.length]!;
}

export function StackedBar({ rows, legend }: { rows: BarRow[]; legend: string[] }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const max = Math.max(1, ...rows.map((r) => r.segments.reduce((s, x) => s + Math.max(0, x.bytes), 0)));
  const w = Math.max(200, width - LABEL_W - 90);
  const height = rows.length * (ROW + 8) + 4;
  return (
    <div className="memory-bar" ref={ref} data-testid="memory-bar">
      <svg width={Math.max(width, 300)} height={height} role="img" aria-label="Sys by part, the heap profile total and resident memory on one scale">
        {rows.map((r, ri) => {
          let x = LABEL_W;
          const y = ri * (ROW + 8) + 2;
          const total = r.segments.reduce((s, seg) => s + Math.max(0, seg.bytes), 0);
          return (
            <g key={r.testId} data-testid={r.testId}>
              <text x={LABEL_W - 8} y={y + ROW / 2 + 4} textAnchor="end" className="memory-bar__label">
                {r.label}
              </text>
              {r.segments.map((seg) => {
                const sw = (Math.max(0, seg.bytes) / max) * w;
                const colorIndex = legend.indexOf(seg.name);
                const rect = (
                  <rect key={seg.name} x={x} y={y} width={Math.max(0, sw)} height={ROW} fill={segmentColor(colorIndex < 0 ? 7 : colorIndex)}>
                    <title>{`${seg.name}: ${formatBytes(seg.bytes)}`}</title>
                  </rect>
                );
                x += sw;
                return rect;
              })}
              <text x={x + 6} y={y + ROW / 2 + 4} className="memory-bar__value">
                {formatBytes(total)}
              </text>
            </g>
          );
        })}
      </svg>
      <ul className="memory-legend">
        {legend.map((name, i) => (
          <li key={name}>
            <span className="memory-legend__swatch" style={{ background: segmentColor(i) }} />
            {name}
          </li>
        ))}
      </ul>
    </div>
  );
}
