/** GODEBUG=gctrace=1: the live heap after each GC rising steadily. */
import { gcTraceTrend, GCTRACE_MB } from '../../compare/gctrace';
import type { GcTrace } from '../../compare/types';
import { fmtBytes, fmtMinutes, round3 } from '../format';
import {
  GCTRACE_HIGH_RATIO,
  GCTRACE_MIN_CYCLES,
  GCTRACE_MIN_GROWTH_BYTES,
  GCTRACE_MIN_GROWTH_RATIO,
  GCTRACE_MIN_STEADY_SHARE,
  GCTRACE_PLATEAU_MIN_CYCLES,
  GCTRACE_PLATEAU_MIN_SHARE,
} from '../thresholds';
import type { Finding } from '../types';

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * Where the live heap reached its last value and stayed (within a MiB, or 5% of it, of the last
 * cycle's, to the end): the index of that cycle, or 0 when it never settled.
 */
function plateauStart(live: readonly number[]): number {
  const last = live[live.length - 1]!;
  const tol = Math.max(GCTRACE_MB, 0.05 * last);
  let p = live.length - 1;
  while (p > 0 && Math.abs(live[p - 1]! - last) <= tol) p--;
  return p;
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
  const range = `${fmtBytes(first.liveMB * GCTRACE_MB)} → ${fmtBytes(last.liveMB * GCTRACE_MB)}`;
  const p = plateauStart(live);
  let title: string;
  if (p > 0 && n - p >= GCTRACE_PLATEAU_MIN_CYCLES && last.atSec - c[p]!.atSec >= GCTRACE_PLATEAU_MIN_SHARE * span) {
    // It rose, then held: a program that stopped growing (its load stopped, or it warmed a cache)
    // with nothing given back. "Keeps rising" would misread its last cycles.
    const top = c[p]!;
    evidence.plateauFromGc = top.gc;
    evidence.plateauSeconds = round3(last.atSec - top.atSec);
    const rise = top.atSec - first.atSec;
    const rate = rise > 0 ? `, ${fmtBytes(Math.round((live[p]! - live[0]!) / rise))}/s` : '';
    title = `live heap after GC rose ${range} by gc ${top.gc} (${fmtMinutes(top.atSec / 60)} in${rate}) and stayed there through gc ${last.gc} (${fmtMinutes((last.atSec - top.atSec) / 60)} more): nothing freed it; take heap profiles to see what holds it`;
  } else {
    const rate = span > 0 ? `, ${fmtBytes(Math.round(growth / span))}/s` : '';
    title = `live heap after GC keeps rising: ${range} over ${n} GCs (gc ${first.gc}–${last.gc}${rate}); take heap profiles to see what holds it`;
  }
  return [
    {
      severity: ratio >= GCTRACE_HIGH_RATIO ? 'high' : 'medium',
      kind: 'live-heap-growth',
      title,
      subject: name,
      evidence,
      link: { view: 'gctrace', file: name },
      size: Math.max(0, Math.round(growth)),
      sources: [name],
    },
  ];
}
