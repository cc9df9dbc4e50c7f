/**
 * A watch as the UI sees it, built from the host's snapshot (watchStart/watchStop/watchList) and
 * the `watch` server events that arrive in between. Pure: no React, no DOM.
 *
 * Events may arrive before watchStart answers (the host emits `started` at once), so a watch can
 * be created by its events and completed by its snapshot later; whichever knows more ticks wins.
 */
import type { ErrorInfo } from '../../../shared/errors';
import type { CaptureProgress, GrowthFinding, SeriesPoint, WatchCapture, WatchEvent, WatchSnapshot, WatchState, WatchTriggerFired } from '../../../shared/capture/types';

/** Entries kept in a watch's log (older ones are summarised by a count). */
export const LOG_MAX = 300;

export type WatchLogEntry =
  | { kind: 'tick'; tick: number; timeMs: number; point: SeriesPoint | null; captures: WatchCapture[]; failures: number }
  | { kind: 'error'; tick: number; timeMs: number; profile?: string; error: ErrorInfo }
  | { kind: 'dropped'; tick: number; timeMs: number; files: string[]; bytes: number; reason: 'count' | 'bytes'; message: string }
  | { kind: 'stopped'; tick: number; timeMs: number; reason: 'requested' | 'count' | 'error'; message?: string }
  | { kind: 'note'; tick: number; timeMs: number; tone: 'trigger' | 'restart' | 'notice'; message: string };

export interface WatchView {
  watchId: string;
  /** The index URL watched ("" until the snapshot arrives). */
  url: string;
  sessionDir: string;
  state: WatchState;
  ticks: number;
  failedTicks: number;
  /** Captures still on disk, oldest first. */
  captures: WatchCapture[];
  bytesOnDisk: number;
  series: SeriesPoint[];
  findings: GrowthFinding[];
  /** Newest last. */
  log: WatchLogEntry[];
  /** Log entries dropped from the front to keep it bounded. */
  logDropped: number;
  /** Captures in flight this tick, by profile. */
  inflight: Record<string, { tick: number; progress: CaptureProgress }>;
  stopReason?: 'requested' | 'count' | 'error';
  stopMessage?: string;
  /** Triggers that fired, oldest first. */
  triggers?: WatchTriggerFired[];
}

export type WatchMap = ReadonlyMap<string, WatchView>;

export function emptyWatch(watchId: string): WatchView {
  return {
    watchId,
    url: '',
    sessionDir: '',
    state: 'running',
    ticks: 0,
    failedTicks: 0,
    captures: [],
    bytesOnDisk: 0,
    series: [],
    findings: [],
    log: [],
    logDropped: 0,
    inflight: {},
  };
}

function pushLog(w: WatchView, e: WatchLogEntry): Pick<WatchView, 'log' | 'logDropped'> {
  const log = [...w.log, e];
  const over = log.length - LOG_MAX;
  return over > 0 ? { log: log.slice(over), logDropped: w.logDropped + over } : { log, logDropped: w.logDropped };
}

function withPoint(series: SeriesPoint[], p: SeriesPoint): SeriesPoint[] {
  if (series.some((q) => q.tick === p.tick)) return series;
  const out = [...series, p];
  out.sort((a, b) => a.tick - b.tick);
  return out;
}

/** Apply one watch event. */
export function applyWatchEvent(w: WatchView, e: WatchEvent, now = Date.now()): WatchView {
  switch (e.type) {
    case 'started':
      return { ...w, sessionDir: e.sessionDir };
    case 'progress':
      if (w.state === 'stopped') return w;
      return { ...w, inflight: { ...w.inflight, [e.profile]: { tick: e.tick, progress: e.progress } } };
    case 'capture': {
      const rest = { ...w.inflight };
      delete rest[e.capture.meta.profile];
      if (w.captures.some((c) => c.saved.path === e.capture.saved.path)) return { ...w, inflight: rest };
      return { ...w, inflight: rest, captures: [...w.captures, e.capture], bytesOnDisk: w.bytesOnDisk + e.capture.saved.sizeBytes };
    }
    case 'error': {
      const rest = { ...w.inflight };
      if (e.profile) delete rest[e.profile];
      return { ...w, inflight: rest, ...pushLog(w, { kind: 'error', tick: e.tick, timeMs: now, ...(e.profile !== undefined ? { profile: e.profile } : {}), error: e.error }) };
    }
    case 'dropped': {
      const gone = new Set(e.files);
      const captures = w.captures.filter((c) => !(c.tick === e.tick && gone.has(c.saved.name)));
      return {
        ...w,
        captures,
        bytesOnDisk: Math.max(0, w.bytesOnDisk - e.bytes),
        ...pushLog(w, { kind: 'dropped', tick: e.tick, timeMs: now, files: e.files, bytes: e.bytes, reason: e.reason, message: e.message }),
      };
    }
    case 'tick': {
      let captures = w.captures;
      for (const c of e.captures) if (!captures.some((x) => x.saved.path === c.saved.path)) captures = [...captures, c];
      return {
        ...w,
        ticks: Math.max(w.ticks, e.tick),
        failedTicks: w.failedTicks + (e.failures > 0 && e.captures.length === 0 && !e.point ? 1 : 0),
        captures,
        series: e.point ? withPoint(w.series, e.point) : w.series,
        findings: e.findings,
        inflight: {},
        ...pushLog(w, { kind: 'tick', tick: e.tick, timeMs: e.point?.timeMs ?? now, point: e.point, captures: e.captures, failures: e.failures }),
      };
    }
    case 'trigger':
      return { ...w, triggers: [...(w.triggers ?? []), e.fired], ...pushLog(w, { kind: 'note', tick: e.fired.tick, timeMs: e.fired.timeMs, tone: 'trigger', message: `trigger ${e.fired.message}: captured ${e.fired.files.join(', ') || 'nothing'}${e.fired.missing.length ? ` (without ${e.fired.missing.join('; ')})` : ''}` }) };
    case 'restart':
      return { ...w, ...pushLog(w, { kind: 'note', tick: e.tick, timeMs: now, tone: 'restart', message: e.message }) };
    case 'notice':
      return { ...w, ...pushLog(w, { kind: 'note', tick: e.tick, timeMs: now, tone: 'notice', message: e.message }) };
    case 'stopped':
      return {
        ...w,
        state: 'stopped',
        ticks: Math.max(w.ticks, e.ticks),
        inflight: {},
        stopReason: e.reason,
        ...(e.message !== undefined ? { stopMessage: e.message } : {}),
        ...pushLog(w, { kind: 'stopped', tick: e.ticks, timeMs: now, reason: e.reason, ...(e.message !== undefined ? { message: e.message } : {}) }),
      };
  }
}

/** Merge a snapshot: the host's numbers win unless the events already told more (a later tick). */
export function applySnapshot(w: WatchView | undefined, s: WatchSnapshot): WatchView {
  const base = w ?? emptyWatch(s.watchId);
  const newer = s.ticks >= base.ticks;
  const state: WatchState = base.state === 'stopped' ? 'stopped' : s.state;
  if (!newer) {
    // Events got ahead of the snapshot (a tick landed while watchList was in flight): keep what the
    // events know and add the snapshot's history under it.
    let series = base.series;
    for (const p of s.series) series = withPoint(series, p);
    const known = new Set(base.captures.map((c) => c.saved.path));
    const older = s.captures.filter((c) => !known.has(c.saved.path));
    const captures = [...older, ...base.captures].sort((a, b) => a.tick - b.tick);
    const bytesOnDisk = base.bytesOnDisk + older.reduce((n, c) => n + c.saved.sizeBytes, 0);
    return { ...base, url: s.url, sessionDir: s.sessionDir || base.sessionDir, state, series, captures, bytesOnDisk };
  }
  let series = s.series;
  for (const p of base.series) if (!series.some((q) => q.tick === p.tick)) series = withPoint(series, p);
  return {
    ...base,
    url: s.url,
    sessionDir: s.sessionDir,
    state,
    ticks: s.ticks,
    failedTicks: s.failedTicks,
    captures: s.captures,
    bytesOnDisk: s.bytesOnDisk,
    series,
    findings: s.findings,
    ...(s.triggersFired && s.triggersFired.length >= (base.triggers?.length ?? 0) ? { triggers: s.triggersFired } : {}),
    ...(state === 'stopped' ? { inflight: {} } : {}),
  };
}

/** The last `n` captures of one profile still on disk, oldest first. */
export function lastCaptures(w: WatchView, profile: string, n: number): WatchCapture[] {
  const of = w.captures.filter((c) => c.meta.profile === profile);
  return of.slice(Math.max(0, of.length - n));
}

/** Profiles with captures on disk, in first-capture order. */
export function capturedProfiles(w: WatchView): string[] {
  const out: string[] = [];
  for (const c of w.captures) if (!out.includes(c.meta.profile)) out.push(c.meta.profile);
  return out;
}
