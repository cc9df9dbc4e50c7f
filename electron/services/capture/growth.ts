/**
 * Findings from a watch's growth series, recomputed as each tick arrives: a metric that keeps
 * rising (heap in use, heap allocated, heap objects, goroutines) is what a leak looks like from
 * the outside. Pure: series in, findings out.
 */
import { formatBytes, formatCount } from './format';
import type { GrowthFinding, SeriesMetric, SeriesPoint } from './types';

const METRICS: ReadonlyArray<{ metric: SeriesMetric; label: string; bytes: boolean }> = [
  { metric: 'heapInuse', label: 'heap in use (HeapInuse)', bytes: true },
  { metric: 'heapAlloc', label: 'heap allocated (HeapAlloc)', bytes: true },
  { metric: 'heapObjects', label: 'heap objects (HeapObjects)', bytes: false },
  { metric: 'goroutines', label: 'goroutines', bytes: false },
];

/** Fewest points before a trend is reported. */
export const MIN_POINTS = 3;

function rate(perSecond: number, bytes: boolean): string {
  const abs = Math.abs(perSecond);
  const v = bytes ? formatBytes(abs) : abs >= 100 ? formatCount(abs) : abs.toFixed(abs >= 10 ? 1 : 2).replace(/\.?0+$/, '');
  return `${perSecond >= 0 ? '+' : '-'}${v}/s`;
}

export function growthFindings(series: readonly SeriesPoint[]): GrowthFinding[] {
  const out: GrowthFinding[] = [];
  for (const { metric, label, bytes } of METRICS) {
    const pts: Array<{ t: number; v: number }> = [];
    for (const p of series) {
      const v = p[metric];
      if (v !== null && Number.isFinite(v)) pts.push({ t: p.timeMs / 1000, v });
    }
    const n = pts.length;
    if (n < MIN_POINTS) continue;
    let rises = 0;
    for (let i = 1; i < n; i++) if (pts[i]!.v > pts[i - 1]!.v) rises++;
    const first = pts[0]!.v;
    const last = pts[n - 1]!.v;
    // Least-squares slope per second.
    let st = 0;
    let sv = 0;
    for (const p of pts) {
      st += p.t;
      sv += p.v;
    }
    const mt = st / n;
    const mv = sv / n;
    let num = 0;
    let den = 0;
    for (const p of pts) {
      num += (p.t - mt) * (p.v - mv);
      den += (p.t - mt) * (p.t - mt);
    }
    const perSecond = den > 0 ? num / den : 0;
    const rising = rises / (n - 1);
    const relative = (last - first) / Math.max(Math.abs(first), 1);
    const enough = metric === 'goroutines' ? last - first >= 2 && relative >= 0.05 : relative >= 0.05;
    if (!(perSecond > 0 && last > first && rising >= 0.6 && enough)) continue;
    const fmt = (v: number) => (bytes ? formatBytes(v) : formatCount(v));
    out.push({
      metric,
      severity: rising >= 0.8 && relative >= 0.2 ? 'warning' : 'info',
      first,
      last,
      perSecond,
      points: n,
      message: `${label} grew from ${fmt(first)} to ${fmt(last)} over ${n} captures (${rate(perSecond, bytes)})`,
    });
  }
  return out;
}
