/**
 * CaptureService: live capture from a Go service's net/http/pprof, for the API layer and the CLI.
 * Plain Node (never imports electron). Requests, results and events are plain data (types.ts).
 *
 *   listProfiles(url, opts)              the index page: profiles with counts and descriptions
 *   capture(req, {signal, onProgress})   one profile (optionally saved atomically to req.saveDir)
 *   startWatch(req, listener) → id       capture every N ms into a session folder + growth series
 *   stopWatch(id)                        cancel in-flight requests, end the watch
 *
 * Credentials: `options.auth` for one call; `setAuth(url, auth)` for the session (or saved, when
 * the store has a persistence); `user:pass@` in a typed URL is used and kept for the session.
 */
import { HeapscopeError } from '../../../shared/errors';
import { parseTrigger } from '../../../shared/memory';
import { authHeaders, SessionAuthStore, type AuthStore } from './auth';
import { captureFrom, captureParams, stripUndefined, type CaptureSpec } from './capture';
import { httpGet } from './fetch';
import { parseIndexPage } from './index-page';
import { createSessionDir, saveNew } from './store';
import { normaliseTarget, type PprofTarget } from './url';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_KEPT, Watch } from './watch';
import {
  DEFAULT_LIMITS,
  type AuthConfig,
  type CaptureProgress,
  type CaptureRequest,
  type CaptureResult,
  type ListProfilesResult,
  type NetworkLimits,
  type TargetOptions,
  type WatchEvent,
  type WatchRequest,
  type WatchSnapshot,
} from './types';

export * from './types';
export { normaliseTarget, displayUrl } from './url';
export { parseIndexPage } from './index-page';
export { parseMemStats, parseGoroutineTotal } from './memstats';
export { growthFindings } from './growth';
export { captureFileName } from './store';
export { SessionAuthStore, type AuthStore, type AuthPersistence } from './auth';

/** The index page is small; never read more than this of it. */
const INDEX_MAX_BYTES = 8 * 1024 * 1024;
const MAX_WATCH_PROFILES = 16;
/** /debug/vars is small (MemStats with its 256-entry arrays, cmdline, the program's own vars). */
const VARS_MAX_BYTES = 16 * 1024 * 1024;
const MAX_EVERY_MS = 7 * 86_400_000;

export interface CaptureServiceOptions {
  /** Where credentials live (default: session memory only). */
  authStore?: AuthStore;
  /** Defaults for every request (each call may override). */
  limits?: NetworkLimits;
  /** Clock (tests). */
  now?: () => Date;
  /** How a watch waits between ticks (tests: a fast clock that advances `now`). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface CaptureCallOptions {
  signal?: AbortSignal;
  onProgress?: (p: CaptureProgress) => void;
}

function bad(message: string): HeapscopeError {
  return new HeapscopeError({ code: 'BAD_REQUEST', message });
}

/** Check limits: positive finite numbers (maxRedirects: a whole number 0-20). */
export function resolveLimits(...layers: Array<NetworkLimits | undefined>): Required<NetworkLimits> {
  const out: Required<NetworkLimits> = { ...DEFAULT_LIMITS };
  for (const l of layers) Object.assign(out, stripUndefined(l));
  for (const k of ['connectTimeoutMs', 'totalTimeoutMs', 'maxBytes'] as const) {
    const v = out[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw bad(`${k} must be a positive number, not ${JSON.stringify(v)}`);
  }
  if (!Number.isInteger(out.maxRedirects) || out.maxRedirects < 0 || out.maxRedirects > 20) throw bad(`maxRedirects must be a whole number from 0 to 20, not ${JSON.stringify(out.maxRedirects)}`);
  return out;
}

export class CaptureService {
  readonly auth: AuthStore;
  private readonly watches = new Map<string, Watch>();
  private nextWatch = 1;
  private readonly now: () => Date;

  constructor(private readonly opts: CaptureServiceOptions = {}) {
    this.auth = opts.authStore ?? new SessionAuthStore();
    this.now = opts.now ?? (() => new Date());
    resolveLimits(opts.limits);
  }

  /** Remember credentials for a target's origin for this session (or saved, with save). */
  setAuth(url: string, auth: AuthConfig, opts: { save?: boolean } = {}): void {
    this.auth.set(normaliseTarget(url).origin, auth, opts);
  }

  forgetAuth(url: string): void {
    this.auth.forget(normaliseTarget(url).origin);
  }

  private resolve(url: string, options: TargetOptions | undefined): { target: PprofTarget; headers: Record<string, string>; limits: Required<NetworkLimits> } {
    const target = normaliseTarget(url);
    if (target.auth) this.auth.set(target.origin, target.auth);
    const auth = options?.auth ?? target.auth ?? this.auth.get(target.origin);
    const limits = resolveLimits(this.opts.limits, options);
    return { target, headers: authHeaders(auth), limits };
  }

  /** Read the /debug/pprof/ index: which profiles the service offers, with their counts. */
  async listProfiles(url: string, opts: TargetOptions & { signal?: AbortSignal } = {}): Promise<ListProfilesResult> {
    const { target, headers, limits } = this.resolve(url, opts);
    const res = await httpGet(target.indexUrl, {
      connectTimeoutMs: limits.connectTimeoutMs,
      totalTimeoutMs: limits.totalTimeoutMs,
      maxBytes: Math.min(limits.maxBytes, INDEX_MAX_BYTES),
      maxRedirects: limits.maxRedirects,
      headers,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const b = res.body;
    if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) {
      throw new HeapscopeError({ code: 'NETWORK', message: `${target.indexUrl}: got a gzipped file, not the net/http/pprof index page` });
    }
    return parseIndexPage(new TextDecoder('utf-8').decode(b), res.url.endsWith('/') ? res.url : target.indexUrl);
  }

  /** Capture one profile; with req.saveDir also save it atomically there. */
  async capture(req: CaptureRequest, opts: CaptureCallOptions = {}): Promise<CaptureResult> {
    const { target, headers, limits } = this.resolve(req.url, req.options);
    const spec = specOf(req);
    const r = await captureFrom(target.indexUrl, spec, {
      limits,
      headers,
      now: this.now,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    if (req.saveDir !== undefined) {
      if (typeof req.saveDir !== 'string' || req.saveDir === '') throw bad('saveDir must be a folder path');
      r.saved = saveNew(req.saveDir, r.meta.fileName, r.bytes);
    }
    return r;
  }

  /**
   * Start capturing every req.everyMs into a new session folder inside req.outDir. Throws
   * BAD_REQUEST for an invalid request and IO when the folder cannot be made; everything after
   * that arrives as events (the first is `started`, the last `stopped`).
   */
  startWatch(req: WatchRequest, listener: (e: WatchEvent) => void): string {
    const { target, headers, limits } = this.resolve(req.url, req.options);
    if (!Array.isArray(req.profiles) || req.profiles.length > MAX_WATCH_PROFILES) throw bad(`profiles must be a list of at most ${MAX_WATCH_PROFILES}`);
    const profiles = req.profiles.map((p) => {
      captureParams(p);
      const s: CaptureSpec = { profile: p.profile };
      if (p.seconds !== undefined) s.seconds = p.seconds;
      if (p.gc !== undefined) s.gc = p.gc;
      // The watch's gc setting: heap profiles (not deltas) ask for a GC first unless their spec says no.
      else if (req.gc === true && p.profile === 'heap' && p.seconds === undefined) s.gc = true;
      if (p.debug !== undefined) s.debug = p.debug;
      return s;
    });
    if (req.triggers !== undefined && (!Array.isArray(req.triggers) || req.triggers.length > 16)) throw bad('triggers must be a list of at most 16');
    const triggers = (req.triggers ?? []).map((t) => parseTrigger(t));
    if (req.everyNth !== undefined && (!Number.isInteger(req.everyNth) || req.everyNth < 1)) throw bad(`everyNth must be a whole number of at least 1, not ${JSON.stringify(req.everyNth)}`);
    const series = req.series ?? true;
    if (profiles.length === 0 && !series) throw bad('nothing to watch: choose at least one profile, or keep the growth series');
    if (typeof req.everyMs !== 'number' || !Number.isFinite(req.everyMs) || req.everyMs < 100) throw bad(`the interval must be at least 100 ms, not ${JSON.stringify(req.everyMs)}`);
    if (req.everyMs > MAX_EVERY_MS) throw bad('the interval must be at most 7 days');
    const positiveInt = (name: string, v: number | undefined) => {
      if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw bad(`${name} must be a whole number of at least 1, not ${JSON.stringify(v)}`);
    };
    positiveInt('count', req.count);
    positiveInt('maxKept', req.maxKept);
    if (req.maxBytes !== undefined && (typeof req.maxBytes !== 'number' || !Number.isFinite(req.maxBytes) || req.maxBytes <= 0)) throw bad('maxBytes must be a positive number');
    if (typeof req.outDir !== 'string' || req.outDir === '') throw bad('outDir must be a folder path');

    const sessionDir = createSessionDir(req.outDir, this.now());
    const id = `w${this.nextWatch++}`;
    const watch = new Watch(
      id,
      {
        url: target.indexUrl,
        profiles,
        everyMs: req.everyMs,
        ...(req.count !== undefined ? { count: req.count } : {}),
        maxKept: req.maxKept ?? DEFAULT_MAX_KEPT,
        maxBytes: req.maxBytes ?? DEFAULT_MAX_BYTES,
        series,
        sessionDir,
        expvar: req.expvar ?? false,
        triggers,
        everyNth: req.everyNth ?? null,
      },
      {
        now: this.now,
        ...(this.opts.sleep ? { sleep: this.opts.sleep } : {}),
        capture: (spec, o) =>
          captureFrom(target.indexUrl, spec, { limits, headers, now: this.now, signal: o.signal, ...(o.onProgress ? { onProgress: o.onProgress } : {}) }),
        fetchVars: async (o) => {
          const url = new URL('../vars', target.indexUrl).href;
          const res = await httpGet(url, { connectTimeoutMs: limits.connectTimeoutMs, totalTimeoutMs: limits.totalTimeoutMs, maxBytes: Math.min(limits.maxBytes, VARS_MAX_BYTES), maxRedirects: limits.maxRedirects, headers, signal: o.signal });
          return { url: res.url, bytes: res.body };
        },
        listProfiles: async (o) => (await this.listProfiles(req.url, { ...(req.options ?? {}), signal: o.signal })).profiles.filter((p) => p.capturable).map((p) => p.name),
      },
      listener,
    );
    this.watches.set(id, watch);
    watch.start();
    return id;
  }

  /** Stop a watch: cancels its requests in flight; resolves with its final state. */
  async stopWatch(id: string): Promise<WatchSnapshot> {
    const w = this.watches.get(id);
    if (!w) throw new HeapscopeError({ code: 'NOT_FOUND', message: `no watch ${id}` });
    return w.stop();
  }

  /** Resolves when a watch ends by itself (its count reached) or is stopped. */
  async watchFinished(id: string): Promise<WatchSnapshot> {
    const w = this.watches.get(id);
    if (!w) throw new HeapscopeError({ code: 'NOT_FOUND', message: `no watch ${id}` });
    return w.finished();
  }

  getWatch(id: string): WatchSnapshot | undefined {
    return this.watches.get(id)?.snapshot();
  }

  listWatches(): WatchSnapshot[] {
    return [...this.watches.values()].map((w) => w.snapshot());
  }

  /** Forget an ended watch (its folder stays on disk). */
  removeWatch(id: string): boolean {
    const w = this.watches.get(id);
    if (!w || w.snapshot().state !== 'stopped') return false;
    return this.watches.delete(id);
  }

  /** Stop every watch (app shutdown). */
  async dispose(): Promise<void> {
    await Promise.all([...this.watches.values()].map((w) => w.stop()));
  }
}

function specOf(req: CaptureRequest): CaptureSpec {
  const s: CaptureSpec = { profile: req.profile };
  if (req.seconds !== undefined) s.seconds = req.seconds;
  if (req.gc !== undefined) s.gc = req.gc;
  if (req.debug !== undefined) s.debug = req.debug;
  return s;
}
