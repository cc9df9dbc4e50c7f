/**
 * Series of three or more snapshots: one trend per call site, root or goroutine stack, with the
 * least-squares slope, the fit quality and whether the growth is monotonic.
 */
import { HeapscopeError } from '../errors';
import type { HeapAnalysis } from '../heap';
import { computeTop, type Profile } from '../profile';
import { canonicalFunctionName } from '../profile/names';
import { NO_TASK, type TaskContext } from '../task';
import { describeProgram, groupByProgram, heapDumpProgram, profileProgram, type ProgramFacts } from '../findings/programs';
import { countsByStack } from './goroutines';
import type { DiffQuery, GoroutineSnapshot, HeapSeriesTrends, ProfileSeriesTrends, SeriesPoint, SeriesTrends, Trend } from './types';

/** Least squares y = a + b·x: slope b and r² (1 for a perfect line, and for a constant series). */
export function leastSquares(xs: readonly number[], ys: readonly number[]): { slope: number; r2: number } {
  const n = ys.length;
  if (n < 2) return { slope: 0, r2: 1 };
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return { slope: 0, r2: syy === 0 ? 1 : 0 };
  const slope = sxy / sxx;
  if (syy === 0) return { slope: 0, r2: 1 };
  const r2 = (sxy * sxy) / (sxx * syy);
  return { slope, r2 };
}

/** Seconds of each point when every point has one and they are all distinct, else null. */
export function usableTimes(points: readonly SeriesPoint[]): number[] | null {
  const ts: number[] = [];
  for (const p of points) {
    if (p.timeSec === null || !Number.isFinite(p.timeSec)) return null;
    ts.push(p.timeSec);
  }
  return new Set(ts).size === ts.length ? ts : null;
}

export function trendOf(key: string, label: string, values: readonly number[], times: readonly number[] | null = null): Trend {
  const n = values.length;
  const idx = values.map((_, i) => i);
  const fit = leastSquares(idx, values);
  let increases = 0;
  let decreases = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    if (i > 0) {
      if (v > values[i - 1]!) increases++;
      else if (v < values[i - 1]!) decreases++;
    }
  }
  const first = n > 0 ? values[0]! : 0;
  const last = n > 0 ? values[n - 1]! : 0;
  return {
    key,
    label,
    values: [...values],
    first,
    last,
    min: n > 0 ? min : 0,
    max: n > 0 ? max : 0,
    growth: last - first,
    ratio: first !== 0 ? last / first : null,
    slope: fit.slope,
    slopePerSecond: times && times.length === n && n >= 2 ? leastSquares(times, values).slope : null,
    r2: fit.r2,
    increases,
    decreases,
    monotonic: n >= 2 && decreases === 0 && last > first,
  };
}

function sortTrends(ts: Trend[]): Trend[] {
  return ts.sort((a, b) => b.growth - a.growth || b.last - a.last || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Trends from per-snapshot maps key → value (missing = 0). */
export function trendsFromMaps(points: readonly SeriesPoint[], maps: ReadonlyArray<ReadonlyMap<string, number>>, labels?: ReadonlyMap<string, string>): Trend[] {
  const keys = new Set<string>();
  for (const m of maps) for (const k of m.keys()) keys.add(k);
  const times = usableTimes(points);
  const out: Trend[] = [];
  for (const k of keys) out.push(trendOf(k, labels?.get(k) ?? k, maps.map((m) => m.get(k) ?? 0), times));
  return sortTrends(out);
}

export interface SeriesOptions {
  /** The caller already split the snapshots by program (the findings engine, with more facts). */
  programChecked?: boolean;
}

/**
 * Throws BAD_REQUEST when the snapshots come from two or more programs (see findings/programs.ts):
 * a trend across programs is not growth.
 */
export function assertOneProgram(names: readonly string[], facts: readonly ProgramFacts[]): void {
  const groups = groupByProgram(facts);
  if (groups.length <= 1) return;
  const parts = groups.map((g) => `${g.members.map((m) => names[m]!).join(', ')} (${g.undetermined ? 'could be more than one program' : describeProgram(g.facts)})`);
  throw new HeapscopeError({ code: 'BAD_REQUEST', message: `a series is of one program; these snapshots come from ${groups.length}: ${parts.join('; ')}` });
}

export interface ProfileSnapshot {
  name: string;
  profile: Profile;
  timeSec?: number | null;
}

/**
 * Per function (or file / line) flat value across profiles of the same kind, in the given order.
 * Default sample type: inuse_space when the profiles have it (heap/allocs: what is still held),
 * else the first profile's default.
 */
export function profileSeriesTrends(
  snaps: readonly ProfileSnapshot[],
  q: Omit<DiffQuery, 'mode' | 'normalize'> = {},
  task: TaskContext = NO_TASK,
  opts: SeriesOptions = {},
): ProfileSeriesTrends {
  if (snaps.length === 0) throw new HeapscopeError({ code: 'BAD_REQUEST', message: 'a series needs at least one profile' });
  if (!opts.programChecked) assertOneProgram(snaps.map((s) => s.name), snaps.map((s) => profileProgram(s.profile)));
  const first = snaps[0]!.profile;
  let si: number | string | undefined = q.sampleIndex;
  if (si === undefined && first.sampleTypes.some((t) => first.strings[t.type] === 'inuse_space')) si = 'inuse_space';
  const points: SeriesPoint[] = snaps.map((s) => ({ name: s.name, timeSec: s.timeSec ?? null }));
  const maps: Array<Map<string, number>> = [];
  const totals: number[] = [];
  let sampleType = { type: '', unit: '' };
  for (const s of snaps) {
    const tq: Parameters<typeof computeTop>[1] = { granularity: q.granularity ?? 'functions' };
    if (si !== undefined) tq.sampleIndex = si;
    if (q.filters) tq.filters = q.filters;
    const top = computeTop(s.profile, tq, task);
    if (si === undefined) si = top.sampleIndex;
    sampleType = top.sampleType;
    totals.push(top.total);
    const m = new Map<string, number>();
    // One name per function across formats (generic instantiations: proto shapes vs text [...]).
    for (const r of top.rows) if (r.flat !== 0) m.set(canonicalFunctionName(r.name), (m.get(canonicalFunctionName(r.name)) ?? 0) + r.flat);
    maps.push(m);
  }
  return { points, sampleType, totals, trends: trendsFromMaps(points, maps) };
}

export interface HeapSnapshot {
  name: string;
  analysis: HeapAnalysis;
  timeSec?: number | null;
}

/** Retained bytes per root and reachable bytes per allocation site across heap dumps of one process. */
export function heapSeriesTrends(snaps: readonly HeapSnapshot[], opts: SeriesOptions = {}): HeapSeriesTrends {
  if (!opts.programChecked) assertOneProgram(snaps.map((s) => s.name), snaps.map((s) => heapDumpProgram(s.analysis)));
  const points: SeriesPoint[] = snaps.map((s) => ({ name: s.name, timeSec: s.timeSec ?? null }));
  const rootMaps: Array<Map<string, number>> = [];
  const siteMaps: Array<Map<string, number>> = [];
  const rootLabels = new Map<string, string>();
  const totals: number[] = [];
  for (const s of snaps) {
    const a = s.analysis;
    const rm = new Map<string, number>();
    for (const r of a.graph.roots) {
      const key = r.kind === 'goroutine' && r.goroutine ? `goroutine ${r.goroutine.goid}` : `${r.kind} ${r.name}`;
      rootLabels.set(key, r.name);
      rm.set(key, (rm.get(key) ?? 0) + a.retainedBytes[r.node]!);
    }
    rootMaps.push(rm);
    const sm = new Map<string, number>();
    const page = a.groupByAllocSite({ kind: 'reachable' }, 0, Number.MAX_SAFE_INTEGER);
    for (const row of page.rows) sm.set(row.label, row.bytes);
    siteMaps.push(sm);
    totals.push(a.summary().reachableBytes);
  }
  return { points, totals, byRoot: trendsFromMaps(points, rootMaps, rootLabels), bySite: trendsFromMaps(points, siteMaps) };
}

/** Goroutine count per stack across snapshots. Keys are stack keys; labels the innermost function. */
export function goroutineSeriesTrends(snaps: readonly GoroutineSnapshot[], times: ReadonlyArray<number | null> = []): SeriesTrends {
  const points: SeriesPoint[] = snaps.map((s, i) => ({ name: s.name, timeSec: times[i] ?? null }));
  const labels = new Map<string, string>();
  const maps = snaps.map((s) => {
    const m = new Map<string, number>();
    for (const [k, v] of countsByStack(s)) {
      m.set(k, v.count);
      labels.set(k, v.function);
    }
    return m;
  });
  return { points, trends: trendsFromMaps(points, maps, labels) };
}
