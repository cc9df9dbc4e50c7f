/**
 * The profile engine's facade: what the analysis worker, the HTTP server and the CLI call.
 *
 *   importProfile  bytes → canonical model (format sniffed by content, never by file name)
 *   computeTop     pprof-exact top table (flat/cum per function, file or line)
 *   computeFlame   call tree / inverted tree / pivot sandwich with display pruning
 *   encodeProfile  model → raw profile.proto
 *
 * Formats: "pprof" (profile.proto, gzipped or raw; also goref output), "heap-debug1",
 * "goroutine-debug1", "goroutineleak-debug1", "threadcreate-debug1", "mutex-debug1", "block-debug1",
 * "goroutine-debug2". The goroutine leak profile (Go 1.26 with the experiment, 1.27+) is kind
 * "goroutineleak" as proto (sample type goroutineleak/count) and debug=1; its debug=2 form is a full
 * goroutine dump (kind "goroutine") whose leaked goroutines carry the `(leaked)` state suffix.
 */
import type { FlameQuery, FlameResult, ProfileKind, ProfileQuery, TopResult, ValueType } from '../api/types';
import { HeapscopeError } from '../errors';
import type { TaskContext } from '../task';
import { NO_TASK } from '../task';
import { buildFlame } from './analysis/flame';
import { accumulate, topRows } from './analysis/top';
import { buildView, resolveSampleIndex, type AnyGranularity } from './analysis/view';
import { parseGoroutineDump, type GoroutineRecord } from './legacy/goroutines';
import { LEGACY_CPU_FORMAT, parseLegacyCpu, sniffLegacyCpu } from './legacy/cpu';
import { isPlainText, parseLegacyText, sniffLegacyText } from './legacy/text';
import { defaultSampleIndex, sampleTypeNames, type Profile } from './model';
import { decodeProfileProto, looksLikeProfileProto, PPROF_FORMAT } from './proto/decode';
import { encodeProfileProto } from './proto/encode';

export type { Profile } from './model';
export type { GoroutineRecord } from './legacy/goroutines';
export { PIVOT_CALLEES, PIVOT_CALLERS } from './analysis/flame';
export { compareProfiles, type CompareMode } from './compare';

export interface ImportedProfile {
  profile: Profile;
  format: string;
  profileKind: ProfileKind;
  warnings: string[];
  /** goroutine-debug2 only: one record per goroutine, in file order. */
  goroutines?: GoroutineRecord[];
}

export interface ImportDeps {
  gunzip(b: Uint8Array): Uint8Array;
  /** Legacy text: keep the unnamed runtime frames Go elides (pprof's exact address stacks). */
  keepUnnamedFrames?: boolean;
}

const GZIP0 = 0x1f;
const GZIP1 = 0x8b;
const HEAPDUMP = 'go1.7 heap dump\n';

function startsWithAscii(b: Uint8Array, s: string, at = 0): boolean {
  if (b.length - at < s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

/**
 * Cheap sniff of the first bytes: gzip magic, known text headers, or a plausible protobuf Profile.
 * False for Go heap dumps ("go1.7 heap dump\n") and anything else.
 */
export function looksLikeProfile(bytes: Uint8Array): boolean {
  if (bytes.length < 2) return false;
  if (bytes[0] === GZIP0 && bytes[1] === GZIP1) return true;
  if (startsWithAscii(bytes, HEAPDUMP)) return false;
  if (sniffLegacyText(bytes) !== null) return true;
  if (sniffLegacyCpu(bytes)) return true;
  return looksLikeProfileProto(bytes);
}

function guessKind(p: Profile, format: string): ProfileKind {
  switch (format) {
    case 'heap-debug1':
      return 'heap';
    case 'goroutine-debug1':
    case 'goroutine-debug2':
      return 'goroutine';
    case 'goroutineleak-debug1':
      return 'goroutineleak';
    case 'threadcreate-debug1':
      return 'threadcreate';
    case 'mutex-debug1':
      return 'mutex';
    case 'block-debug1':
      return 'block';
  }
  const types = sampleTypeNames(p).map((t) => t.type);
  const has = (t: string): boolean => types.includes(t);
  const S = p.strings;
  // goref writes reference chains: sample types inuse_space/inuse_objects without alloc_*, and
  // frames that are variable/field names rather than functions with files.
  if (isGorefProfile(p, types)) return 'reference';
  if (has('alloc_objects') && has('inuse_space')) {
    return S[p.defaultSampleType] === 'alloc_space' ? 'allocs' : 'heap';
  }
  if (has('goroutine')) return 'goroutine';
  if (has('goroutineleak')) return 'goroutineleak';
  if (has('threadcreate')) return 'threadcreate';
  if (has('cpu') || (has('samples') && p.periodType && S[p.periodType.type] === 'cpu')) return 'cpu';
  if (has('contentions') && has('delay')) return mutexOrBlock(p);
  if (has('space') || has('objects') || has('inuse_space')) return 'heap';
  return 'unknown';
}

function isGorefProfile(p: Profile, types: string[]): boolean {
  if (!types.includes('inuse_space') || types.includes('alloc_space')) return false;
  // goref frames have no file names (they are variable and field names).
  let withFile = 0;
  for (let i = 0; i < p.functionCount; i++) if (p.funcFilename[i] !== 0) withFile++;
  return p.functionCount > 0 && withFile === 0;
}

function mutexOrBlock(p: Profile): ProfileKind {
  // Mutex profiles record the unlocking frame; block profiles the blocking one.
  let unlock = 0;
  let other = 0;
  for (let s = 0; s < p.sampleCount; s++) {
    const a = p.sampleLocStart[s]!;
    if (a === p.sampleLocStart[s + 1]) continue;
    const l = p.sampleLocs[a]!;
    const ls = p.locLineStart[l]!;
    if (ls === p.locLineStart[l + 1]) continue;
    const fi = p.lineFunc[ls]!;
    const name = fi >= 0 ? p.strings[p.funcName[fi]!]! : '';
    if (/[Uu]nlock/.test(name)) unlock++;
    else other++;
  }
  return unlock > 0 && unlock >= other ? 'mutex' : 'block';
}

/** Imports any supported profile. Throws HeapscopeError with file, format and offset or line. */
export function importProfile(bytes: Uint8Array, fileName: string, deps: ImportDeps, task: TaskContext = NO_TASK): ImportedProfile {
  let data = bytes;
  let gz = false;
  if (data.length >= 2 && data[0] === GZIP0 && data[1] === GZIP1) {
    try {
      data = deps.gunzip(data);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const truncated = /unexpected end|truncated|incomplete/i.test(msg);
      throw new HeapscopeError({ code: truncated ? 'TRUNCATED' : 'BAD_FORMAT', message: `corrupt gzip data: ${msg}`, file: fileName, format: 'gzip', offset: 0 });
    }
    gz = true;
  }
  if (data.length === 0) {
    throw new HeapscopeError({ code: 'BAD_FORMAT', message: gz ? 'gzip stream holds no data' : 'empty file', file: fileName, offset: 0 });
  }
  if (startsWithAscii(data, HEAPDUMP)) {
    throw new HeapscopeError({ code: 'UNSUPPORTED', message: 'this is a Go heap dump, not a profile', file: fileName, format: 'heapdump', offset: 0 });
  }
  if (sniffLegacyCpu(data)) {
    // legacy binary CPU profile (Go before 1.9, gperftools): NUL words no protobuf or text starts with
    const r = parseLegacyCpu(data, fileName, task);
    return { profile: r.profile, format: LEGACY_CPU_FORMAT, profileKind: 'cpu', warnings: r.warnings };
  }
  const text = sniffLegacyText(data);
  if (text === 'goroutine-debug2') {
    const r = parseGoroutineDump(data, fileName, task);
    return { profile: r.profile, format: text, profileKind: 'goroutine', warnings: r.warnings, goroutines: r.goroutines };
  }
  if (text !== null) {
    const r = parseLegacyText(data, text, fileName, task, { keepUnnamedFrames: deps.keepUnnamedFrames === true });
    return { profile: r.profile, format: text, profileKind: guessKind(r.profile, text), warnings: r.warnings };
  }
  if (!gz && isPlainText(data)) {
    throw new HeapscopeError({
      code: 'BAD_FORMAT',
      message:
        'not a profile: this is text, but not a pprof text format (expected "heap profile:", "goroutine profile:", "goroutineleak profile:", "threadcreate profile:", "--- mutex:", "--- contention:" or a "goroutine N [state]:" dump)',
      file: fileName,
      format: 'text',
      offset: 0,
      line: 1,
    });
  }
  if (!looksLikeProfileProto(data)) {
    throw new HeapscopeError({
      code: 'BAD_FORMAT',
      message: 'not a profile: neither profile.proto nor a known pprof text format',
      file: fileName,
      format: gz ? 'gzip' : 'unknown',
      offset: 0,
    });
  }
  const profile = decodeProfileProto(data, fileName, task);
  const warnings: string[] = [];
  if (profile.sampleCount === 0) warnings.push('the profile has no samples');
  return { profile, format: PPROF_FORMAT, profileKind: guessKind(profile, PPROF_FORMAT), warnings };
}

export function profileSummary(p: Profile): {
  sampleTypes: ValueType[];
  defaultSampleIndex: number;
  totals: number[];
  timeNanos?: string;
  durationNanos?: string;
  comments: string[];
} {
  const nT = p.sampleTypes.length;
  const totals = new Array<number>(nT).fill(0);
  for (let s = 0; s < p.sampleCount; s++) for (let t = 0; t < nT; t++) totals[t]! += p.values[s * nT + t]!;
  const out: ReturnType<typeof profileSummary> = {
    sampleTypes: sampleTypeNames(p),
    defaultSampleIndex: defaultSampleIndex(p),
    totals,
    comments: p.comments.map((c) => p.strings[c]!),
  };
  if (p.timeNanos !== 0n) out.timeNanos = p.timeNanos.toString();
  if (p.durationNanos !== 0n) out.durationNanos = p.durationNanos.toString();
  return out;
}

/** Query fields the facade accepts beyond ProfileQuery (tests and the CLI use them). */
export interface TopOptions {
  sort?: 'flat' | 'cum';
  /** pprof's other granularities ("filefunctions", "addresses"), for parity tests. */
  granularityExt?: AnyGranularity;
}

export function computeTop(p: Profile, q: Omit<ProfileQuery, 'handle'> & TopOptions, task: TaskContext = NO_TASK): TopResult {
  const si = resolveSampleIndex(p, q.sampleIndex, defaultSampleIndex(p));
  const v = buildView(p, { sampleIndex: si, granularity: q.granularityExt ?? q.granularity ?? 'functions', filters: q.filters });
  task.throwIfCancelled();
  const t = accumulate(v, task);
  const rows = topRows(v, t, q.sort ?? 'flat').map((r) => ({ name: r.name, flat: r.flat, cum: r.cum }));
  const st = sampleTypeNames(p)[si]!;
  return { sampleType: st, sampleIndex: si, total: v.total, rows };
}

/** Like computeTop, with pprof's "(inline)" labels (for the CLI's text table). */
export function computeTopDetailed(
  p: Profile,
  q: Omit<ProfileQuery, 'handle'> & TopOptions,
  task: TaskContext = NO_TASK,
): TopResult & { inline: string[] } {
  const si = resolveSampleIndex(p, q.sampleIndex, defaultSampleIndex(p));
  const v = buildView(p, { sampleIndex: si, granularity: q.granularityExt ?? q.granularity ?? 'functions', filters: q.filters });
  const t = accumulate(v, task);
  const full = topRows(v, t, q.sort ?? 'flat');
  const st = sampleTypeNames(p)[si]!;
  return {
    sampleType: st,
    sampleIndex: si,
    total: v.total,
    rows: full.map((r) => ({ name: r.name, flat: r.flat, cum: r.cum })),
    inline: full.map((r) => r.inline),
  };
}

export function computeFlame(p: Profile, q: Omit<FlameQuery, 'handle'>, task: TaskContext = NO_TASK): FlameResult {
  const si = resolveSampleIndex(p, q.sampleIndex, defaultSampleIndex(p));
  const v = buildView(p, { sampleIndex: si, granularity: q.granularity ?? 'functions', filters: q.filters });
  task.throwIfCancelled();
  const f = buildFlame(v, { inverted: q.inverted, minFraction: q.minFraction, pivot: q.pivot }, task);
  return {
    sampleType: sampleTypeNames(p)[si]!,
    sampleIndex: si,
    total: v.total,
    root: f.root,
    nodeCount: f.nodeCount,
    hiddenFrames: f.hiddenFrames,
  };
}

export function encodeProfile(p: Profile): Uint8Array {
  return encodeProfileProto(p);
}
