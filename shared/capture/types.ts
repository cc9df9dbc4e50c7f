/**
 * Plain-data types of live capture from net/http/pprof (issue 6). Everything here is serialisable
 * (strings, numbers, booleans, arrays, plain objects, Uint8Array) so it can cross IPC, HTTP and the
 * CLI unchanged. No class instances, no functions.
 */
import type { ErrorInfo } from '../errors';

/**
 * Profiles Go's net/http/pprof serves that Heapscope captures ("profile" is the CPU profile).
 * "goroutineleak" exists on Go 1.27+, and on 1.26 built with GOEXPERIMENT=goroutineleakprofile:
 * the index page lists it when the service has it.
 */
export const PROFILE_NAMES = ['heap', 'allocs', 'goroutine', 'goroutineleak', 'mutex', 'block', 'threadcreate', 'profile'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** Profiles that accept `?seconds=N` as a delta profile (the CPU profile takes seconds as its duration). */
export const DELTA_PROFILES: readonly ProfileName[] = ['heap', 'allocs', 'goroutine', 'goroutineleak', 'mutex', 'block'];

/** Profiles whose debug=2 form is the full goroutine stack dump (goroutineleak: with leaked ones marked "(leaked)"). */
export const STACK_DUMP_PROFILES: readonly ProfileName[] = ['goroutine', 'goroutineleak'];

export type DebugLevel = 0 | 1 | 2;

/** Credentials for one target. Kept in memory for the session unless saved through an AuthStore. */
export type AuthConfig = { kind: 'none' } | { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string };

/** Network limits of one request. Every field has a default (see DEFAULT_LIMITS). */
export interface NetworkLimits {
  /** Time allowed to open the TCP (and TLS) connection. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /**
   * Time allowed for the whole request, from start to the last body byte. Default 60 000 ms.
   * For `seconds=N` captures (CPU, delta) N seconds are added, since the server only answers after them.
   */
  totalTimeoutMs?: number;
  /** Largest body accepted. Default 1 GiB. */
  maxBytes?: number;
  /** Redirects followed before giving up. Default 5. */
  maxRedirects?: number;
}

export const DEFAULT_LIMITS: Required<NetworkLimits> = {
  connectTimeoutMs: 10_000,
  totalTimeoutMs: 60_000,
  maxBytes: 1024 * 1024 * 1024,
  maxRedirects: 5,
};

/** How to reach a target: limits and, optionally, credentials for this call. */
export interface TargetOptions extends NetworkLimits {
  /**
   * Credentials for this call. When absent, the service uses what its AuthStore holds for the
   * target's origin (set through CaptureService.setAuth). Never echoed back in any result or event.
   */
  auth?: AuthConfig;
}

/** One row of the /debug/pprof/ index page. All strings are plain text (never HTML). */
export interface ProfileListing {
  /** Profile name as the service lists it ("heap", "goroutine", a custom profile, "cmdline", ...). */
  name: string;
  /** The count the index shows (samples, goroutines, threads); null when the row has none. */
  count: number | null;
  /** Absolute URL of the row's link (same origin as the index), or "" when it was unusable. */
  href: string;
  /** Description from the index page, plain text ("" when absent). */
  description: string;
  /** Whether Heapscope can capture and read it (false for cmdline, trace, symbol). */
  capturable: boolean;
}

export interface ListProfilesResult {
  /** The index URL that was read (credentials removed), ending in "/". */
  indexUrl: string;
  profiles: ProfileListing[];
  /** The page links the full goroutine dump (`goroutine?debug=2`). */
  hasFullGoroutineDump: boolean;
}

export interface CaptureRequest {
  /** What the user typed: `host:port`, `http://host:port`, `.../debug/pprof/`, even `.../debug/pprof/heap`. */
  url: string;
  /** A known profile, or a custom profile name the index listed. */
  profile: ProfileName | string;
  /** CPU profile duration (default 30), or a delta profile window for heap, allocs, goroutine, mutex, block. */
  seconds?: number;
  /** Heap only: run a GC first (`?gc=1`) so inuse numbers are up to date. */
  gc?: boolean;
  /** 0 (default): gzipped protobuf; 1: legacy text; 2: goroutine and goroutineleak only, the full stack dump. */
  debug?: DebugLevel;
  /** When set, the capture is also saved atomically in this folder (created if missing). */
  saveDir?: string;
  options?: TargetOptions;
}

/** Query parameters of a capture, as sent. */
export interface CaptureParams {
  seconds?: number;
  gc?: boolean;
  debug?: DebugLevel;
}

/** What a captured body is. */
export type CaptureFormat = 'pprof-gzip' | 'text';

export interface CaptureMeta {
  /** The URL fetched, after redirects (credentials removed). */
  url: string;
  profile: string;
  params: CaptureParams;
  format: CaptureFormat;
  /** ISO 8601 time the request started and the body ended. */
  startedAt: string;
  finishedAt: string;
  /** Epoch milliseconds the body ended (the capture's time). */
  timeMs: number;
  sizeBytes: number;
  /** Suggested file name: profile and time, e.g. heap-20261122T153012Z.pb.gz. */
  fileName: string;
}

export interface SavedFile {
  /** Absolute path. */
  path: string;
  /** File name inside its folder. */
  name: string;
  sizeBytes: number;
}

export interface CaptureResult {
  meta: CaptureMeta;
  bytes: Uint8Array;
  /** Set when the request had saveDir. */
  saved?: SavedFile;
}

/** Progress of one capture. */
export interface CaptureProgress {
  /**
   * connecting: opening the connection; profiling: waiting for a `seconds=N` capture to finish
   * (show a countdown from durationMs); waiting: waiting for the answer; downloading: body bytes arriving.
   */
  phase: 'connecting' | 'profiling' | 'waiting' | 'downloading';
  elapsedMs: number;
  /** Set for `seconds=N` captures: N × 1000. */
  durationMs?: number;
  receivedBytes: number;
  /** Content-Length when the server sent one. */
  totalBytes?: number;
}

/** One profile a watch captures each tick. */
export interface WatchProfileSpec {
  profile: ProfileName | string;
  seconds?: number;
  gc?: boolean;
  debug?: DebugLevel;
}

export interface WatchRequest {
  url: string;
  /** Profiles captured each tick (may be empty: then only the growth series is recorded). */
  profiles: WatchProfileSpec[];
  /** Interval between tick starts, ms (at least 100). A tick that overruns delays the next; ticks never overlap. */
  everyMs: number;
  /** Stop after this many ticks (default: run until stopWatch). */
  count?: number;
  /** Keep at most this many ticks' captures on disk; older ones are deleted with a `dropped` event. Default 1000. */
  maxKept?: number;
  /** Keep at most this many bytes of captures on disk; older ticks are deleted with a `dropped` event. Default 1 GiB. */
  maxBytes?: number;
  /** Parent folder; the watch creates its own session folder inside (watch-<time>). */
  outDir: string;
  /** Record the growth series (heap?debug=1 MemStats + goroutine count) each tick. Default true. */
  series?: boolean;
  /**
   * Heap profiles of the watch ask for a GC first (`?gc=1`) unless their spec says gc: false, so
   * each tick's in-use numbers are current (a heap profile is as of the last GC). The CLI and the
   * dialog send true by default (opt-out: --no-gc, the dialog's checkbox). Default here: as each spec says.
   */
  gc?: boolean;
  /** Read MemStats from `/debug/vars` (expvar) each tick where the service serves it, else from heap?debug=1. Default false (the CLI and the dialog send true). */
  expvar?: boolean;
  /** Triggers: `heap>512MiB`, `goroutines>+50%` (metrics heap, live, goroutines, sys). When one fires, a full bundle is captured. */
  triggers?: string[];
  /**
   * Retention of a long watch: when set, the first tick, the newest, every Nth tick and every
   * triggered tick are kept while older ticks are dropped to fit maxKept/maxBytes (N doubles when
   * even those do not fit). Unset: the oldest ticks go first (triggered ones last).
   */
  everyNth?: number;
  options?: TargetOptions;
}

/** runtime.MemStats fields read from the heap profile's debug=1 form. */
export interface MemStatsSample {
  heapAlloc: number;
  heapInuse: number;
  heapObjects: number;
  numGC: number;
  /** Every `# Name = number` field of the block, by Go name (Alloc, TotalAlloc, Sys, NextGC, ...). */
  fields: Record<string, number>;
}

/** One point of a watch's growth series. null where that part of the tick failed. */
export interface SeriesPoint {
  tick: number;
  /** Epoch milliseconds. */
  timeMs: number;
  heapAlloc: number | null;
  heapInuse: number | null;
  heapObjects: number | null;
  numGC: number | null;
  goroutines: number | null;
  /** MemStats.Sys (all memory the runtime obtained from the OS), when MemStats were read. */
  sys?: number | null;
  /** The live heap: inuse_space of this tick's heap profile taken with gc=1 (else absent/null). */
  liveHeap?: number | null;
  /** MemStats.NextGC. */
  nextGC?: number | null;
  /** MemStats.LastGC in ms since the epoch. */
  lastGcMs?: number | null;
  /** Where the MemStats came from this tick. */
  memStatsSource?: 'expvar' | 'heap-debug1' | null;
  /** The series (run) this point belongs to: 1, then +1 after each restart of the service. */
  run?: number;
  /** Set on the first point after the service restarted: the chart shows a gap before it. */
  restart?: boolean;
}

export type SeriesMetric = 'heapAlloc' | 'heapInuse' | 'heapObjects' | 'goroutines';

/** A growth trend worth a look, computed from the series as captures arrive. */
export interface GrowthFinding {
  metric: SeriesMetric;
  severity: 'info' | 'warning';
  first: number;
  last: number;
  /** Least-squares slope per second. */
  perSecond: number;
  /** Points the finding is based on. */
  points: number;
  /** One readable line, e.g. "goroutines grew from 7 to 12 over 6 captures (+1/s)". */
  message: string;
}

export interface WatchCapture {
  tick: number;
  meta: CaptureMeta;
  saved: SavedFile;
  /** Part of the full bundle a trigger captured (the trigger's text). */
  trigger?: string;
  /** The capture has the same content as the previous capture of the same profile (no GC between, nothing changed). */
  identical?: boolean;
}

/** A trigger that fired, with the bundle it captured. */
export interface WatchTriggerFired {
  tick: number;
  timeMs: number;
  trigger: string;
  value: number;
  message: string;
  /** Files of the bundle, as saved. */
  files: string[];
  /** Bundle parts that could not be captured, with why (e.g. goroutineleak not served). */
  missing: string[];
}

export type WatchState = 'running' | 'stopping' | 'stopped';

export type WatchEvent =
  | { type: 'started'; watchId: string; sessionDir: string; timeMs: number }
  | { type: 'progress'; watchId: string; tick: number; profile: string; progress: CaptureProgress }
  | { type: 'capture'; watchId: string; tick: number; capture: WatchCapture }
  | { type: 'error'; watchId: string; tick: number; /** The profile whose capture failed; "series" for the growth series; absent for the tick as a whole. */ profile?: string; error: ErrorInfo }
  | { type: 'dropped'; watchId: string; tick: number; files: string[]; bytes: number; reason: 'count' | 'bytes'; message: string }
  | { type: 'tick'; watchId: string; tick: number; point: SeriesPoint | null; captures: WatchCapture[]; failures: number; findings: GrowthFinding[] }
  | { type: 'trigger'; watchId: string; fired: WatchTriggerFired; captures: WatchCapture[] }
  | { type: 'restart'; watchId: string; tick: number; run: number; message: string }
  | { type: 'notice'; watchId: string; tick: number; message: string }
  | { type: 'stopped'; watchId: string; reason: 'requested' | 'count' | 'error'; ticks: number; message?: string };

/** The whole state of a watch, for a UI that (re)attaches. */
export interface WatchSnapshot {
  watchId: string;
  url: string;
  sessionDir: string;
  state: WatchState;
  ticks: number;
  failedTicks: number;
  /** Captures still on disk, oldest first. */
  captures: WatchCapture[];
  bytesOnDisk: number;
  /** The growth series (all ticks, even those whose files were dropped; at most 10 000 points). */
  series: SeriesPoint[];
  findings: GrowthFinding[];
  /** Triggers that fired, oldest first (bundles may since have been dropped only if retention had to). */
  triggersFired?: WatchTriggerFired[];
  /** Ticks where a restart of the service was seen. */
  restarts?: number[];
  /** Notices (expvar missing, identical captures), newest last, at most 50. */
  notices?: string[];
  /** The every-Nth stride retention uses now (it doubles as a long watch thins its history). */
  everyNth?: number;
}
