/** GODEBUG=gctrace=1: the live heap after each GC rising steadily. */
import { gcTraceTrend, GCTRACE_MB } from '../../compare/gctrace';
import type { GcTrace } from '../../compare/types';
import { fmtBytes, round3 } from '../format';
import {
  GCTRACE_HIGH_RATIO,
  GCTRACE_MIN_CYCLES,
  GCTRACE_MIN_GROWTH_BYTES,
  GCTRACE_MIN_GROWTH_RATIO,
  GCTRACE_MIN_STEADY_SHARE,
} from '../thresholds';
import type { Finding } from '../types';

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function gcTraceFindings(name: string, trace: GcTrace): Finding[] {
  const c = trace.cycles;
  const n = c.length;
  if (n < GCTRACE_MIN_CYCLES) return [];
  const live = c.map((x) => x.liveMB * GCTRACE_MB);
  const q = Math.max(1, Math.floor(n / 4));
  const early = mean(live.slice(0, q));
  const late = mean(live.slice(n - q));
  const growth = late - early;
  const ratio = late / Math.max(early, GCTRACE_MB);
  let steadySteps = 0;
  for (let i = 1; i < n; i++) if (live[i]! >= live[i - 1]!) steadySteps++;
  const steadyShare = steadySteps / (n - 1);
  const { live: trend } = gcTraceTrend(trace, name);
  if (growth < GCTRACE_MIN_GROWTH_BYTES || ratio < GCTRACE_MIN_GROWTH_RATIO || steadyShare < GCTRACE_MIN_STEADY_SHARE || trend.slope <= 0) return [];
  const first = c[0]!;
  const last = c[n - 1]!;
  const span = last.atSec - first.atSec;
  const evidence: Finding['evidence'] = {
    cycles: n,
    firstGc: first.gc,
    lastGc: last.gc,
    firstLiveBytes: first.liveMB * GCTRACE_MB,
    lastLiveBytes: last.liveMB * GCTRACE_MB,
    earlyMeanLiveBytes: Math.round(early),
    lateMeanLiveBytes: Math.round(late),
    growthRatio: round3(ratio),
    nonDecreasingShare: round3(steadyShare),
    slopeBytesPerGc: Math.round(trend.slope),
    r2: round3(trend.r2),
    seconds: round3(span),
    lastGoalBytes: last.goalMB * GCTRACE_MB,
  };
  if (trend.slopePerSecond !== null) evidence.slopeBytesPerSecond = Math.round(trend.slopePerSecond);
  const rate = span > 0 ? `, ${fmtBytes(Math.round(growth / span))}/s` : '';
  return [
    {
      severity: ratio >= GCTRACE_HIGH_RATIO ? 'high' : 'medium',
      kind: 'live-heap-growth',
      title: `live heap after GC keeps rising: ${fmtBytes(first.liveMB * GCTRACE_MB)} → ${fmtBytes(last.liveMB * GCTRACE_MB)} over ${n} GCs (gc ${first.gc}–${last.gc}${rate}); take heap profiles to see what holds it`,
      subject: name,
      evidence,
      link: { view: 'gctrace', file: name },
      size: Math.max(0, Math.round(growth)),
      sources: [name],
    },
  ];
}
