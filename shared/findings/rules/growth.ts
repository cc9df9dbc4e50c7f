/**
 * Growth across snapshots: an allocation site (heap profiles: inuse_space flat per function; heap
 * dumps: reachable bytes per allocating function) or a GC root whose memory grows.
 */
import type { Trend } from '../../compare/types';
import type { Profile } from '../../profile';
import { canonicalFunctionName, sampleFunctionNames } from '../../profile/names';
import { fmtBytes, fmtPct, round3 } from '../format';
import { GROWTH_BIG_SHARE, GROWTH_MIN_BYTES, GROWTH_MIN_SHARE, STEADY_MIN_SNAPSHOTS } from '../thresholds';
import type { Finding, FindingKind, FindingLink, Severity } from '../types';
import { allocatingFunctionOf, biggest, isRuntimeFunc } from './heap';

/** A heap profile's in-use bytes by who allocated, and the leaf functions each allocated through. */
export interface InuseByFunction {
  bytes: Map<string, number>;
  /** Every sample's bytes, those left out included (the profile's total). */
  total: number;
  /** Per function: the first frames past the runtime (pprof -top's rows), bytes each. */
  leaves: Map<string, Map<string, number>>;
}

/**
 * In-use bytes of a heap profile per allocating function in the program's words, as heap dumps are
 * grouped (allocatingFunctionOf each sample's stack, inlined calls included): `main.buildReport`,
 * not the `strings.(*Builder).Write` it called, which is every string builder's site.
 */
export function inuseByAllocatingFunction(p: Profile, valueIndex: number): InuseByFunction {
  const bytes = new Map<string, number>();
  const leaves = new Map<string, Map<string, number>>();
  let total = 0;
  const nT = p.sampleTypes.length;
  if (valueIndex < 0 || valueIndex >= nT) return { bytes, leaves, total };
  for (let s = 0; s < p.sampleCount; s++) {
    const v = p.values[s * nT + valueIndex]!;
    if (v === 0) continue;
    total += v;
    const fns = sampleFunctionNames(p, s).map(canonicalFunctionName);
    // A stack of runtime frames only (a goroutine's g, from runtime.malg) is the goroutine
    // findings' to speak for; an unsymbolized one names nothing.
    const first = fns.find((f) => !isRuntimeFunc(f)) ?? null;
    // A file opened (os.newFile) or a ticker made (time.NewTicker) stays its own subject, whoever
    // called it: the file and ticker patterns.
    const key = first !== null && patternOfFunction(first) ? first : allocatingFunctionOf(fns);
    if (key === null || key === '?') continue;
    bytes.set(key, (bytes.get(key) ?? 0) + v);
    const leaf = first ?? key;
    let m = leaves.get(key);
    if (!m) leaves.set(key, (m = new Map()));
    m.set(leaf, (m.get(leaf) ?? 0) + v);
  }
  return { bytes, leaves, total };
}

/** The leaf that allocated most of a function's bytes, when it is another function. */
export function mainLeaf(leaves: ReadonlyMap<string, number> | undefined, fn: string): string | null {
  const best = leaves ? biggest(leaves) : null;
  return best !== fn ? best : null;
}

export interface GrowthVerdict {
  severity: Severity;
  steady: boolean;
  share: number;
}

/** Whether a trend is reportable growth, and how bad (see README: thresholds). */
export function judgeGrowth(t: Trend, lastTotal: number): GrowthVerdict | null {
  const n = t.values.length;
  if (n < 2 || !(t.last > t.first)) return null;
  const share = lastTotal > 0 ? t.growth / lastTotal : 0;
  if (t.growth < GROWTH_MIN_BYTES || share < GROWTH_MIN_SHARE) return null;
  const steady = n >= STEADY_MIN_SNAPSHOTS && t.monotonic;
  const big = share >= GROWTH_BIG_SHARE;
  const severity: Severity = steady && big ? 'high' : steady || big ? 'medium' : 'low';
  return { severity, steady, share };
}

/** Stdlib allocation sites that name a leak pattern. */
export function patternOfFunction(fn: string): FindingKind | null {
  if (fn === 'os.newFile' || fn === 'os.NewFile') return 'file-not-closed';
  if (fn === 'time.NewTicker' || fn === 'time.Tick') return 'ticker-not-stopped';
  return null;
}

function steadiness(t: Trend, steady: boolean): string {
  if (steady) return 'every step up';
  if (t.decreases > 0) return `${t.decreases} of ${t.values.length - 1} steps down`;
  return t.values.length === 2 ? 'two snapshots' : 'not every step';
}

export function growthEvidence(t: Trend, names: string[], lastTotal: number): Finding['evidence'] {
  const e: Finding['evidence'] = {
    values: t.values,
    snapshots: names,
    first: t.first,
    last: t.last,
    growthBytes: t.growth,
    growthShareOfLast: round3(lastTotal > 0 ? t.growth / lastTotal : 0),
    slopeBytesPerSnapshot: Math.round(t.slope),
    r2: round3(t.r2),
    monotonic: t.monotonic,
    increases: t.increases,
    decreases: t.decreases,
  };
  if (t.slopePerSecond !== null) e.slopeBytesPerSecond = Math.round(t.slopePerSecond);
  return e;
}

/**
 * An allocating function whose in-use memory grows. `what`: "heap profiles" / "heap dumps".
 * `sampled`: heap dumps where only some objects carry an allocation sample: the bytes are those
 * objects' only, and the title says so. `via`: the standard library function it allocated
 * through (pprof -top's row), when that is another.
 */
export function allocSiteGrowth(fn: string, t: Trend, names: string[], lastTotal: number, what: string, link: FindingLink, sampled = false, via: string | null = null): Finding | null {
  const v = judgeGrowth(t, lastTotal);
  if (!v) return null;
  const pattern = patternOfFunction(fn);
  const per = `${t.slope >= 0 ? '+' : ''}${fmtBytes(Math.round(t.slope))} per snapshot`;
  const who = `${fn}${via ? ` (via ${via})` : ''}`;
  let title = `${who}: in-use memory${sampled ? ' of its sampled objects' : ''} grew ${fmtBytes(t.first)} → ${fmtBytes(t.last)} over ${names.length} ${what} (${per}, ${steadiness(t, v.steady)})`;
  if (pattern === 'file-not-closed') title = `files opened and never closed? ${who} in-use memory grew ${fmtBytes(t.first)} → ${fmtBytes(t.last)} over ${names.length} ${what}`;
  if (pattern === 'ticker-not-stopped') title = `tickers never stopped? ${who} in-use memory grew ${fmtBytes(t.first)} → ${fmtBytes(t.last)} over ${names.length} ${what}`;
  const evidence = growthEvidence(t, names, lastTotal);
  evidence.function = fn;
  if (via) evidence.allocatedVia = via;
  if (sampled) evidence.sampledObjectsOnly = true;
  return { severity: v.severity, kind: pattern ?? 'growing-alloc-site', title, subject: fn, evidence, link, size: t.growth, sources: [...names] };
}

/** A GC root whose retained memory grows across heap dumps. */
export function rootGrowth(rootName: string, isGlobalMap: boolean, t: Trend, names: string[], lastTotal: number, link: FindingLink): Finding | null {
  const v = judgeGrowth(t, lastTotal);
  if (!v) return null;
  const evidence = growthEvidence(t, names, lastTotal);
  evidence.root = rootName;
  evidence.retainedShareOfLast = round3(lastTotal > 0 ? t.last / lastTotal : 0);
  const shown = rootName.startsWith('global ') ? rootName.slice('global '.length) : rootName;
  const title = isGlobalMap
    ? `global map ${shown} ${v.steady ? 'only grows' : 'grows'}: ${fmtBytes(t.first)} → ${fmtBytes(t.last)} over ${names.length} heap dumps (${fmtPct(t.last / Math.max(1, lastTotal))} of the live heap)`
    : `${rootName} keeps more and more alive: ${fmtBytes(t.first)} → ${fmtBytes(t.last)} over ${names.length} heap dumps (${steadiness(t, v.steady)})`;
  return { severity: v.severity, kind: isGlobalMap ? 'global-map' : 'growing-root', title, subject: rootName, evidence, link, size: t.growth, sources: [...names] };
}
