/**
 * What one watch tick learns beyond the files it saves: MemStats (from /debug/vars or the heap
 * profile's debug=1 trailer), the live heap and the program's identity from a gc=1 heap profile,
 * a content fingerprint to flag a capture identical to the previous one, and restart detection.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { importProfile, profileSummary } from '../../../shared/profile';
import { expvarCmdline, lastGcMs, parseExpvarMemStats, parseMemStatsTrailer, statNumber, type MemStatsValues } from '../../../shared/memory';
import type { CaptureResult } from './types';

const gunzip = (b: Uint8Array): Uint8Array => {
  const o = gunzipSync(b);
  return new Uint8Array(o.buffer, o.byteOffset, o.byteLength);
};

export interface MemStatsReading {
  stats: MemStatsValues;
  source: 'expvar' | 'heap-debug1';
  /** expvar's cmdline (the program's identity across restarts), when served. */
  cmdline: string | null;
}

/** What the growth series needs (Sys and the rest are shown when present). */
const SERIES_FIELDS = ['HeapAlloc', 'HeapInuse', 'HeapObjects', 'NumGC'];

export function memStatsFromVars(bytes: Uint8Array, url: string): MemStatsReading {
  return { stats: parseExpvarMemStats(bytes, url, SERIES_FIELDS), source: 'expvar', cmdline: expvarCmdline(bytes) };
}

export function memStatsFromHeapText(bytes: Uint8Array, url: string): MemStatsReading {
  return { stats: parseMemStatsTrailer(bytes, url, SERIES_FIELDS).stats, source: 'heap-debug1', cmdline: null };
}

export interface ProfileFacts {
  /** inuse_space total (heap profiles), else null. */
  inuseSpace: number | null;
  /** Mapping[0].build_id (Go 1.24+ on Linux), else null. */
  buildId: string | null;
  /** Content fingerprint: equal for two captures with the same samples (time stamps ignored). */
  fingerprint: string;
}

/** Facts of a captured profile; null when it cannot be read (it is saved all the same). */
export function profileFacts(r: CaptureResult): ProfileFacts | null {
  try {
    if (r.meta.format === 'text') {
      const text = new TextDecoder('utf-8').decode(r.bytes);
      const at = text.indexOf('\n# runtime.MemStats\n');
      return { inuseSpace: null, buildId: null, fingerprint: createHash('sha256').update(at >= 0 ? text.slice(0, at) : text).digest('hex') };
    }
    const imp = importProfile(r.bytes, r.meta.fileName, { gunzip });
    const p = imp.profile;
    const s = profileSummary(p);
    const i = s.sampleTypes.findIndex((t) => t.type === 'inuse_space');
    const h = createHash('sha256');
    h.update(JSON.stringify(s.sampleTypes));
    h.update(new Uint8Array(p.values.buffer, p.values.byteOffset, p.values.byteLength));
    h.update(new Uint8Array(p.sampleLocs.buffer, p.sampleLocs.byteOffset, p.sampleLocs.byteLength));
    const bid = p.mappingCount > 0 ? p.strings[p.mapBuildId[0]!] ?? '' : '';
    return { inuseSpace: i >= 0 ? s.totals[i]! : null, buildId: bid || null, fingerprint: h.digest('hex') };
  } catch {
    return null;
  }
}

/** What identifies one run of the service, tick to tick. */
export interface RunIdentity {
  totalAlloc: number | null;
  numGC: number | null;
  mallocs: number | null;
  lastGcMs: number | null;
  buildId: string | null;
  cmdline: string | null;
}

export function identityOf(ms: MemStatsReading | null, buildId: string | null): RunIdentity {
  const s = ms?.stats ?? {};
  return {
    totalAlloc: statNumber(s, 'TotalAlloc'),
    numGC: statNumber(s, 'NumGC'),
    mallocs: statNumber(s, 'Mallocs'),
    lastGcMs: lastGcMs(s),
    buildId,
    cmdline: ms?.cmdline ?? null,
  };
}

/**
 * Why the service is a new process since `prev`, or null. Counters that only grow in one process
 * (TotalAlloc, Mallocs, NumGC) going back mean it started again; a different build id or command
 * line means another binary (or the same one started anew).
 */
export function restartReason(prev: RunIdentity | null, cur: RunIdentity): string | null {
  if (!prev) return null;
  if (prev.buildId && cur.buildId && prev.buildId !== cur.buildId) return `the build id changed (${prev.buildId.slice(0, 12)} → ${cur.buildId.slice(0, 12)})`;
  if (prev.cmdline !== null && cur.cmdline !== null && prev.cmdline !== cur.cmdline) return 'the command line changed';
  const back = (name: string, a: number | null, b: number | null) => (a !== null && b !== null && b < a ? `${name} went back from ${a} to ${b}` : null);
  return back('TotalAlloc', prev.totalAlloc, cur.totalAlloc) ?? back('Mallocs', prev.mallocs, cur.mallocs) ?? back('NumGC', prev.numGC, cur.numGC);
}
