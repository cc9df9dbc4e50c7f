/**
 * How old a heap profile's numbers are. inuse_space/inuse_objects describe the heap as of the most
 * recently completed GC (runtime/pprof: "as of the most recently completed garbage collection"), so
 * a capture taken long after the last GC shows an old heap, and two captures with no GC between
 * them show the same heap. MemStats.LastGC (ns since the epoch) against the capture time says how
 * old; `?gc=1` makes it fresh.
 */
import type { Freshness, MemStatsValues } from './types';

function ago(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** LastGC in ms since the epoch (exact from the decimal string), or null when no GC has run. */
export function lastGcMs(stats: MemStatsValues): number | null {
  const v = stats.LastGC;
  if (v === undefined || v === '0') return null;
  // ns → ms without a double on the ns value: drop the last 6 digits.
  return v.length > 6 ? Number(v.slice(0, -6)) + Number(v.slice(-6)) / 1e6 : Number(v) / 1e6;
}

/**
 * Freshness of a heap profile's data. captureMs: when the capture was taken (a watch's capture
 * time, a proto's time_nanos); null when unknown.
 */
export function heapFreshness(stats: MemStatsValues, captureMs: number | null, opts: { gcRequested?: boolean } = {}): Freshness {
  const last = lastGcMs(stats);
  if (last === null) {
    return { lastGcMs: null, captureMs, ageMs: null, message: 'No GC had run yet: the heap profile\'s in-use numbers are empty until the first GC; capture with gc=1.' };
  }
  if (captureMs === null) {
    return { lastGcMs: last, captureMs: null, ageMs: null, message: `The heap numbers are as of the last GC, ${new Date(last).toISOString()}; the capture time is unknown.` };
  }
  const age = Math.max(0, captureMs - last);
  const message = opts.gcRequested
    ? `Fresh: the profile asked for a GC (gc=1), which ended ${ago(age)} before the capture.`
    : age < 2000
      ? `Fresh: the last GC ended ${ago(age)} before the capture.`
      : `The in-use numbers are ${ago(age)} old: they describe the heap as of the last GC, ${ago(age)} before the capture. Capture with gc=1 for current numbers.`;
  return { lastGcMs: last, captureMs, ageMs: age, message };
}
