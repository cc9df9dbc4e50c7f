/**
 * The worker's answers to the first questions asked of a profile, kept per profile: the default
 * top table and flame graph are computed when the profile is loaded (before a page asks for
 * them), and the last few top/flame answers are kept, so a page that opens (or comes back to) a
 * profile gets them without recomputing. Keyed by the query with its defaults resolved (equal
 * queries written differently share an entry); entries die with the profile (WeakMap).
 */
import type { FlameQuery, FlameResult, ProfileQuery, TopResult } from '../../shared/api/types';
import { computeFlame, computeTop } from '../../shared/profile';
import { resolveSampleIndex } from '../../shared/profile/analysis/view';
import { defaultSampleIndex, type Profile } from '../../shared/profile/model';
import type { TaskContext } from '../../shared/task';

/** The flame graph's default display pruning (the UI's MIN_FRACTION and computeFlame's default). */
const DEFAULT_MIN_FRACTION = 0.0005;
/** Frames (sample locations) above which the top table is not computed at load. */
const PREFETCH_TOP_MAX_FRAMES = 4_000_000;
/** Answers kept per profile and kind. */
const KEEP = 6;
/** Flame answers bigger than this (visible nodes) are not kept: they are cheap to lose, dear to hold. */
const MAX_KEPT_NODES = 100_000;

type Query = Omit<ProfileQuery, 'handle'> & { inverted?: boolean; minFraction?: number; pivot?: string };

function sortedJson(x: unknown): string {
  if (x === null || typeof x !== 'object') return JSON.stringify(x) ?? 'null';
  if (Array.isArray(x)) return `[${x.map(sortedJson).join(',')}]`;
  const o = x as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined && o[k] !== '' && !(Array.isArray(o[k]) && (o[k] as unknown[]).length === 0))
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(o[k])}`).join(',')}}`;
}

/** The query with its defaults resolved, as a string; null when it cannot be resolved (let the engine say why). */
export function queryKey(p: Profile, q: Query, kind: 'top' | 'flame'): string | null {
  let si: number;
  try {
    si = resolveSampleIndex(p, q.sampleIndex, defaultSampleIndex(p));
  } catch {
    return null;
  }
  const base = { si, g: q.granularity ?? 'functions', f: q.filters ?? {} };
  if (kind === 'top') return `top${sortedJson({ ...base, ...(q as { sort?: string }).sort !== undefined ? { s: (q as { sort?: string }).sort } : {} })}`;
  return `flame${sortedJson({ ...base, i: q.inverted === true, m: q.minFraction ?? DEFAULT_MIN_FRACTION, p: q.pivot ?? '' })}`;
}

export class QueryCache {
  private readonly byProfile = new WeakMap<Profile, Map<string, TopResult | FlameResult>>();

  private get<R extends TopResult | FlameResult>(p: Profile, key: string | null): R | undefined {
    if (key === null) return undefined;
    const m = this.byProfile.get(p);
    const hit = m?.get(key);
    if (hit !== undefined) {
      m!.delete(key); // most recent last
      m!.set(key, hit);
    }
    return hit as R | undefined;
  }

  private put(p: Profile, key: string | null, r: TopResult | FlameResult): void {
    if (key === null) return;
    let m = this.byProfile.get(p);
    if (!m) this.byProfile.set(p, (m = new Map()));
    m.set(key, r);
    const kind = key.slice(0, 3);
    const same = [...m.keys()].filter((k) => k.slice(0, 3) === kind);
    if (same.length > KEEP) m.delete(same[0]!);
  }

  top(p: Profile, q: Omit<ProfileQuery, 'handle'>, task: TaskContext): TopResult {
    const key = queryKey(p, q, 'top');
    const hit = this.get<TopResult>(p, key);
    if (hit) return hit;
    const r = computeTop(p, q, task);
    this.put(p, key, r);
    return r;
  }

  flame(p: Profile, q: Omit<FlameQuery, 'handle'>, task: TaskContext): FlameResult {
    const key = queryKey(p, q, 'flame');
    const hit = this.get<FlameResult>(p, key);
    if (hit) return hit;
    const r = computeFlame(p, q, task);
    if (r.nodeCount - r.hiddenFrames <= MAX_KEPT_NODES) this.put(p, key, r);
    return r;
  }

  /**
   * Computes the answers a page asks for first: the default flame graph, then the default top
   * table, except for huge profiles (over PREFETCH_TOP_MAX_FRAMES frames), where the top table
   * would delay the flame graph by seconds: it is computed when asked for.
   */
  prefetch(p: Profile, task: TaskContext): void {
    if (p.sampleCount === 0) return;
    this.flame(p, { minFraction: DEFAULT_MIN_FRACTION }, task);
    if (p.sampleLocs.length <= PREFETCH_TOP_MAX_FRAMES) this.top(p, {}, task);
  }
}
