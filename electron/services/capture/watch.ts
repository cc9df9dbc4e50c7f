/**
 * Watch mode: every N ms capture the chosen profiles into a session folder, and read the growth
 * series (runtime.MemStats from `/debug/vars` where served and asked for, else from `heap?debug=1`;
 * the goroutine count from `goroutine?debug=1`).
 *
 * - Each tick reads the series first, then captures the chosen profiles concurrently (heap
 *   profiles with gc=1 when the watch asks for it, so the in-use numbers are current).
 * - Ticks never overlap: a tick that overruns its interval delays the next one (no backlog).
 * - Each capture is saved atomically (store.ts) the moment it arrives. A capture with the same
 *   content as the previous one of its profile is flagged `identical`.
 * - Triggers (`heap>512MiB`, `goroutines>+50%`) are checked on each point; one that fires captures
 *   a full bundle (heap gc=1, goroutine debug=2, allocs, goroutineleak where served).
 * - A restart of the service (counters going back, another build id or command line) starts a new
 *   series (`run`), marked on its first point; growth triggers measure from the new start.
 * - The folder is bounded by ticks kept and bytes on disk (retention.ts in shared/memory: the
 *   first, the newest, every Nth and triggered ticks are kept when `everyNth` is set), each drop
 *   with a `dropped` event saying what and why. The current tick is never dropped.
 * - A failed capture or series read is an `error` event; the watch goes on.
 * - stop() aborts requests in flight; nothing half-received is written.
 * - `session.json` in the folder is rewritten atomically after every tick (the state a UI or a
 *   later session reopens: captures on disk, series, findings, triggers). It never holds credentials.
 */
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import { lastGcMs, planRetention, statNumber, TriggerState, type TriggerSpec } from '../../../shared/memory';
import type { CaptureSpec } from './capture';
import { formatBytes } from './format';
import { growthFindings } from './growth';
import { parseGoroutineTotal } from './memstats';
import { identityOf, memStatsFromHeapText, memStatsFromVars, profileFacts, restartReason, type MemStatsReading, type RunIdentity } from './bundle';
import { removeFile, replaceFile, saveNew } from './store';
import type { CaptureProgress, CaptureResult, GrowthFinding, SeriesPoint, WatchCapture, WatchEvent, WatchProfileSpec, WatchSnapshot, WatchState, WatchTriggerFired } from './types';

export const DEFAULT_MAX_KEPT = 1000;
export const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;
/** Series points kept in memory (about 28 hours at one per 10 s). */
export const MAX_SERIES = 10_000;
/** Trigger records and notices kept in memory. */
const MAX_FIRED = 1000;
const MAX_NOTICES = 50;
export const MANIFEST = 'session.json';

export interface WatchPlan {
  url: string;
  profiles: WatchProfileSpec[];
  everyMs: number;
  count?: number;
  maxKept: number;
  maxBytes: number;
  series: boolean;
  sessionDir: string;
  /** Read MemStats from /debug/vars first. */
  expvar?: boolean;
  triggers?: TriggerSpec[];
  /** Protect every Nth tick (and the first, the newest, triggered ones); null/undefined: oldest first. */
  everyNth?: number | null;
}

export interface WatchDeps {
  /** Capture one profile (auth, limits and target already bound). */
  capture(spec: CaptureSpec, opts: { signal: AbortSignal; onProgress?: (p: CaptureProgress) => void }): Promise<CaptureResult>;
  /** GET /debug/vars: the body, or throws (NETWORK with "HTTP 404" when not served). */
  fetchVars?(opts: { signal: AbortSignal }): Promise<{ url: string; bytes: Uint8Array }>;
  /** Names the /debug/pprof/ index lists (to know whether goroutineleak is served). */
  listProfiles?(opts: { signal: AbortSignal }): Promise<string[]>;
  now(): Date;
  /** Wait ms (tests pass a fast clock that advances `now` instead). Resolves early on abort. */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
}

const isCancelled = (e: ErrorInfo) => e.code === 'CANCELLED';

/** The full bundle a trigger captures. goroutineleak only where the index lists it. */
export const TRIGGER_BUNDLE: ReadonlyArray<CaptureSpec> = [
  { profile: 'heap', gc: true },
  { profile: 'goroutine', debug: 2 },
  { profile: 'allocs' },
  { profile: 'goroutineleak' },
];

interface KeptEntry {
  tick: number;
  captures: WatchCapture[];
  triggered: boolean;
}

export class Watch {
  private state: WatchState = 'running';
  private readonly ac = new AbortController();
  private ticks = 0;
  private failedTicks = 0;
  /** Kept captures, grouped by tick, oldest first. */
  private readonly kept: KeptEntry[] = [];
  private bytesOnDisk = 0;
  private readonly series: SeriesPoint[] = [];
  private findings: GrowthFinding[] = [];
  private wake: (() => void) | null = null;
  private runPromise: Promise<void> | null = null;
  private readonly startedAt: Date;
  /** Every file name this watch has written, dropped ones included: names are never reused. */
  private readonly usedNames = new Set<string>([MANIFEST]);
  private readonly triggerState: TriggerState;
  private readonly fired: WatchTriggerFired[] = [];
  private readonly restarts: number[] = [];
  private readonly notices: string[] = [];
  private run = 1;
  private identity: RunIdentity | null = null;
  /** null: not known yet; false: the service has no /debug/vars (or no memstats there). */
  private varsServed: boolean | null = null;
  private leakServed: boolean | null = null;
  /** Fingerprint of the last capture of each profile spec. */
  private readonly lastPrint = new Map<string, string>();
  private everyNth: number | null;
  private firstTick: number | null = null;

  constructor(
    readonly id: string,
    private readonly plan: WatchPlan,
    private readonly deps: WatchDeps,
    private readonly listener: (e: WatchEvent) => void,
  ) {
    this.startedAt = deps.now();
    this.triggerState = new TriggerState(plan.triggers ?? []);
    this.everyNth = plan.everyNth ?? null;
  }

  get sessionDir(): string {
    return this.plan.sessionDir;
  }

  /** Begin ticking (the first tick starts at once). */
  start(): void {
    if (this.runPromise) return;
    this.emit({ type: 'started', watchId: this.id, sessionDir: this.plan.sessionDir, timeMs: this.startedAt.getTime() });
    this.runPromise = this.runLoop();
  }

  /** Stop: cancel requests in flight, wait for the loop to end. Resolves with the final state. */
  async stop(): Promise<WatchSnapshot> {
    if (this.state === 'running') this.state = 'stopping';
    this.ac.abort();
    this.wake?.();
    await this.runPromise;
    return this.snapshot();
  }

  /** Resolves when the watch has ended (count reached or stopped). */
  async finished(): Promise<WatchSnapshot> {
    await this.runPromise;
    return this.snapshot();
  }

  snapshot(): WatchSnapshot {
    const s: WatchSnapshot = {
      watchId: this.id,
      url: this.plan.url,
      sessionDir: this.plan.sessionDir,
      state: this.state,
      ticks: this.ticks,
      failedTicks: this.failedTicks,
      captures: this.kept.flatMap((k) => k.captures),
      bytesOnDisk: this.bytesOnDisk,
      series: this.series.slice(),
      findings: this.findings.slice(),
    };
    if (this.fired.length) s.triggersFired = this.fired.slice();
    if (this.restarts.length) s.restarts = this.restarts.slice();
    if (this.notices.length) s.notices = this.notices.slice();
    if (this.everyNth !== null) s.everyNth = this.everyNth;
    return s;
  }

  private emit(e: WatchEvent): void {
    try {
      this.listener(e);
    } catch {
      // A listener's failure must not stop the watch.
    }
  }

  private notice(tick: number, message: string): void {
    this.notices.push(message);
    if (this.notices.length > MAX_NOTICES) this.notices.splice(0, this.notices.length - MAX_NOTICES);
    this.emit({ type: 'notice', watchId: this.id, tick, message });
  }

  private async runLoop(): Promise<void> {
    let reason: 'requested' | 'count' | 'error' = 'requested';
    let message: string | undefined;
    try {
      let nextAt = this.deps.now().getTime();
      for (;;) {
        if (this.state !== 'running') break;
        if (this.plan.count !== undefined && this.ticks >= this.plan.count) {
          reason = 'count';
          break;
        }
        await this.runTick(this.ticks + 1);
        if (this.state !== 'running') break;
        if (this.plan.count !== undefined && this.ticks >= this.plan.count) {
          reason = 'count';
          break;
        }
        nextAt = Math.max(nextAt + this.plan.everyMs, this.deps.now().getTime());
        await this.sleepUntil(nextAt);
      }
    } catch (e) {
      reason = 'error';
      message = toErrorInfo(e).message;
    }
    this.state = 'stopped';
    this.writeManifest();
    const stopped: WatchEvent = { type: 'stopped', watchId: this.id, reason, ticks: this.ticks };
    if (message !== undefined) stopped.message = message;
    this.emit(stopped);
  }

  private sleepUntil(at: number): Promise<void> {
    const ms = Math.max(0, at - this.deps.now().getTime());
    if (this.deps.sleep) return this.state === 'running' ? this.deps.sleep(ms, this.ac.signal) : Promise.resolve();
    return new Promise<void>((resolve) => {
      if (this.state !== 'running') return resolve();
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }

  /** Save a capture under the session folder (a trigger bundle's files are prefixed). */
  private save(tick: number, r: CaptureResult, trigger?: string): WatchCapture {
    const name = trigger ? `trigger${tick}-${r.meta.fileName}` : r.meta.fileName;
    const saved = saveNew(this.plan.sessionDir, name, r.bytes, { avoid: this.usedNames });
    this.usedNames.add(saved.name);
    const c: WatchCapture = { tick, meta: r.meta, saved };
    if (trigger) c.trigger = trigger;
    this.bytesOnDisk += saved.sizeBytes;
    return c;
  }

  private async readMemStats(tick: number, signal: AbortSignal, fail: (p: string, e: unknown) => void, count: () => void): Promise<MemStatsReading | null> {
    if (this.plan.expvar && this.deps.fetchVars && this.varsServed !== false) {
      try {
        const r = await this.deps.fetchVars({ signal });
        const m = memStatsFromVars(r.bytes, r.url);
        this.varsServed = true;
        count();
        return m;
      } catch (e) {
        const err = toErrorInfo(e);
        if (isCancelled(err) && this.state !== 'running') return null;
        const notServed = (err.code === 'NETWORK' && /HTTP 404\b/.test(err.message)) || err.code === 'BAD_FORMAT';
        if (!notServed) {
          count();
          fail('series', e);
          return null;
        }
        this.varsServed = false;
        this.notice(tick, `no MemStats at /debug/vars (${err.message}): reading them from heap?debug=1 instead (import _ "expvar" in the service to serve them)`);
      }
    }
    count();
    try {
      const heap = await this.deps.capture({ profile: 'heap', debug: 1 }, { signal });
      return memStatsFromHeapText(heap.bytes, heap.meta.url);
    } catch (e) {
      fail('series', e);
      return null;
    }
  }

  private async runTick(tick: number): Promise<void> {
    this.ticks = tick;
    this.firstTick ??= tick;
    const signal = this.ac.signal;
    const tickTime = this.deps.now().getTime();
    const captures: WatchCapture[] = [];
    let failures = 0;
    let attempts = 0;

    const fail = (profile: string, e: unknown) => {
      const error = toErrorInfo(e);
      if (isCancelled(error) && this.state !== 'running') return;
      failures++;
      this.emit({ type: 'error', watchId: this.id, tick, profile, error });
    };

    // The growth series is read first, so that the allocations of the profile writers serving this
    // tick's captures do not show in it. A text capture the user asked for anyway is reused instead.
    const reuseIndex = (profile: string) => this.plan.profiles.findIndex((s) => s.profile === profile && s.debug === 1 && s.seconds === undefined && !s.gc);
    let gorRead: CaptureResult | null = null;
    let memStats: MemStatsReading | null = null;
    if (this.plan.series) {
      // One after the other: each request's own server-side goroutine and garbage stay out of the other.
      if (reuseIndex('goroutine') < 0) {
        attempts++;
        try {
          gorRead = await this.deps.capture({ profile: 'goroutine', debug: 1 }, { signal });
        } catch (e) {
          fail('series', e);
        }
      }
      if (reuseIndex('heap') < 0) memStats = await this.readMemStats(tick, signal, fail, () => attempts++);
    }

    const results = await Promise.all(
      this.plan.profiles.map(async (spec) => {
        attempts++;
        try {
          const r = await this.deps.capture(spec, {
            signal,
            onProgress: (progress) => this.emit({ type: 'progress', watchId: this.id, tick, profile: spec.profile, progress }),
          });
          if (signal.aborted) return null;
          const c = this.save(tick, r);
          const facts = profileFacts(r);
          const key = JSON.stringify(spec);
          if (facts) {
            if (this.lastPrint.get(key) === facts.fingerprint) c.identical = true;
            this.lastPrint.set(key, facts.fingerprint);
          }
          captures.push(c);
          this.emit({ type: 'capture', watchId: this.id, tick, capture: c });
          if (c.identical) {
            const gcNote = spec.profile === 'heap' && !spec.gc ? ': a heap profile is as of the last GC and none ran since; capture with gc=1' : '';
            this.notice(tick, `tick ${tick}: ${c.saved.name} is identical to the previous ${spec.profile} capture${gcNote}`);
          }
          return { r, facts };
        } catch (e) {
          fail(spec.profile, e);
          return null;
        }
      }),
    );

    let point: SeriesPoint | null = null;
    if (this.plan.series) {
      const reusedHeap = reuseIndex('heap') >= 0 ? results[reuseIndex('heap')] : null;
      if (reusedHeap) {
        try {
          memStats = memStatsFromHeapText(reusedHeap.r.bytes, reusedHeap.r.meta.url);
        } catch (e) {
          fail('series', e);
        }
      }
      const reusedGor = reuseIndex('goroutine') >= 0 ? results[reuseIndex('goroutine')] : null;
      const gor = reusedGor ? reusedGor.r : gorRead;
      const p: SeriesPoint = { tick, timeMs: tickTime, heapAlloc: null, heapInuse: null, heapObjects: null, numGC: null, goroutines: null };
      if (memStats) {
        const s = memStats.stats;
        p.heapAlloc = statNumber(s, 'HeapAlloc');
        p.heapInuse = statNumber(s, 'HeapInuse');
        p.heapObjects = statNumber(s, 'HeapObjects');
        p.numGC = statNumber(s, 'NumGC');
        p.sys = statNumber(s, 'Sys');
        p.nextGC = statNumber(s, 'NextGC');
        p.lastGcMs = lastGcMs(s);
        p.memStatsSource = memStats.source;
      }
      if (gor) {
        try {
          p.goroutines = parseGoroutineTotal(gor.bytes);
        } catch (e) {
          fail('series', e);
        }
      }
      // The live heap: a gc=1 heap profile of this tick describes the heap right after that GC.
      let buildId: string | null = null;
      this.plan.profiles.forEach((spec, i) => {
        const x = results[i];
        if (!x?.facts) return;
        buildId ??= x.facts.buildId;
        if (spec.profile === 'heap' && spec.gc && x.facts.inuseSpace !== null) p.liveHeap = x.facts.inuseSpace;
      });
      if (p.heapAlloc !== null || p.goroutines !== null) {
        if (memStats || buildId) {
          const cur = identityOf(memStats, buildId);
          const why = restartReason(this.identity, cur);
          this.identity = cur;
          if (why) {
            this.run++;
            p.restart = true;
            this.restarts.push(tick);
            this.triggerState.reset();
            this.emit({ type: 'restart', watchId: this.id, tick, run: this.run, message: `tick ${tick}: the service restarted (${why}): a new series starts` });
          }
        }
        p.run = this.run;
        if (p.timeMs === tickTime && memStats?.source === 'heap-debug1') p.timeMs = this.deps.now().getTime();
        point = p;
        this.series.push(p);
        if (this.series.length > MAX_SERIES) this.series.splice(0, this.series.length - MAX_SERIES);
      }
    }
    if (this.state !== 'running' && signal.aborted) {
      // Stopped mid-tick: keep what was saved, report nothing more for this tick.
      if (captures.length) this.kept.push({ tick, captures, triggered: false });
      return;
    }
    let triggered = false;
    if (point && this.triggerState.triggers.length) {
      const fires = this.triggerState.evaluate({ heap: point.heapInuse, live: point.liveHeap ?? point.heapAlloc, goroutines: point.goroutines, sys: point.sys ?? null });
      for (const f of fires) {
        triggered = true;
        const bundle = await this.captureBundle(tick, f.trigger.text, signal);
        captures.push(...bundle.captures);
        const rec: WatchTriggerFired = { tick, timeMs: point.timeMs, trigger: f.trigger.text, value: f.value, message: f.message, files: bundle.captures.map((c) => c.saved.name), missing: bundle.missing };
        this.fired.push(rec);
        if (this.fired.length > MAX_FIRED) this.fired.splice(0, this.fired.length - MAX_FIRED);
        this.emit({ type: 'trigger', watchId: this.id, fired: rec, captures: bundle.captures });
      }
    }
    captures.sort((a, b) => a.saved.name.localeCompare(b.saved.name));
    if (captures.length) this.kept.push({ tick, captures, triggered });
    if (attempts > 0 && failures >= attempts) this.failedTicks++;
    this.enforceBounds(tick);
    this.findings = growthFindings(this.series);
    this.emit({ type: 'tick', watchId: this.id, tick, point, captures, failures, findings: this.findings.slice() });
    this.writeManifest(tick);
  }

  /** The full bundle of a trigger: heap (gc=1), goroutine debug=2, allocs, goroutineleak where served. */
  private async captureBundle(tick: number, trigger: string, signal: AbortSignal): Promise<{ captures: WatchCapture[]; missing: string[] }> {
    if (this.leakServed === null && this.deps.listProfiles) {
      try {
        this.leakServed = (await this.deps.listProfiles({ signal })).includes('goroutineleak');
      } catch {
        this.leakServed = null; // unknown: try it, a 404 says so
      }
    }
    const out: WatchCapture[] = [];
    const missing: string[] = [];
    for (const spec of TRIGGER_BUNDLE) {
      const label = `${spec.profile}${spec.debug ? ` debug=${spec.debug}` : ''}`;
      if (spec.profile === 'goroutineleak' && this.leakServed === false) {
        missing.push(`${label}: not served (Go 1.27+, or 1.26 with GOEXPERIMENT=goroutineleakprofile)`);
        continue;
      }
      try {
        const r = await this.deps.capture(spec, { signal });
        if (signal.aborted) break;
        const c = this.save(tick, r, trigger);
        out.push(c);
        this.emit({ type: 'capture', watchId: this.id, tick, capture: c });
      } catch (e) {
        const err = toErrorInfo(e);
        if (isCancelled(err) && this.state !== 'running') break;
        missing.push(`${label}: ${err.message}`);
        this.emit({ type: 'error', watchId: this.id, tick, profile: spec.profile, error: err });
      }
    }
    return { captures: out, missing };
  }

  private enforceBounds(currentTick: number): void {
    const dropTick = (tick: number, reason: 'count' | 'bytes') => {
      const i = this.kept.findIndex((k) => k.tick === tick);
      if (i < 0) return;
      const [entry] = this.kept.splice(i, 1);
      let bytes = 0;
      for (const c of entry!.captures) {
        removeFile(c.saved.path);
        bytes += c.saved.sizeBytes;
      }
      this.bytesOnDisk -= bytes;
      const names = entry!.captures.map((c) => c.saved.name);
      const why = reason === 'count' ? `to keep at most ${this.plan.maxKept} ticks` : `to stay under the ${formatBytes(this.plan.maxBytes)} disk limit`;
      this.emit({
        type: 'dropped',
        watchId: this.id,
        tick: entry!.tick,
        files: names,
        bytes,
        reason,
        message: `deleted the captures of tick ${entry!.tick} (${names.join(', ')}; ${formatBytes(bytes)}) ${why}`,
      });
    };
    const kept = this.kept.map((k) => ({ tick: k.tick, bytes: k.captures.reduce((s, c) => s + c.saved.sizeBytes, 0), triggered: k.triggered }));
    if (this.everyNth !== null) {
      const plan = planRetention(kept, { maxKept: this.plan.maxKept, maxBytes: this.plan.maxBytes }, this.everyNth, this.firstTick ?? 1);
      this.everyNth = plan.everyNth;
      for (const d of plan.drop) if (d.tick !== currentTick) dropTick(d.tick, d.reason);
      return;
    }
    // Oldest first; ticks with a trigger bundle go only when nothing else can.
    const order = () => {
      const i = this.kept.findIndex((k) => !k.triggered && k.tick !== currentTick);
      return i >= 0 ? this.kept[i]! : this.kept.find((k) => k.tick !== currentTick);
    };
    while (this.kept.length > this.plan.maxKept) {
      const k = order();
      if (!k) break;
      dropTick(k.tick, 'count');
    }
    while (this.bytesOnDisk > this.plan.maxBytes && this.kept.length > 1) {
      const k = order();
      if (!k) break;
      dropTick(k.tick, 'bytes');
    }
  }

  private writeManifest(tick = this.ticks): void {
    const s = this.snapshot();
    const manifest = {
      heapscopeWatch: 1,
      watchId: s.watchId,
      url: s.url,
      startedAt: this.startedAt.toISOString(),
      everyMs: this.plan.everyMs,
      profiles: this.plan.profiles,
      triggers: (this.plan.triggers ?? []).map((t) => t.text),
      state: s.state,
      ticks: s.ticks,
      failedTicks: s.failedTicks,
      captures: s.captures.map((c) => ({ tick: c.tick, file: c.saved.name, sizeBytes: c.saved.sizeBytes, meta: c.meta, ...(c.trigger ? { trigger: c.trigger } : {}), ...(c.identical ? { identical: true } : {}) })),
      series: s.series,
      findings: s.findings,
      triggersFired: s.triggersFired ?? [],
      restarts: s.restarts ?? [],
      notices: s.notices ?? [],
    };
    try {
      replaceFile(this.plan.sessionDir, MANIFEST, new TextEncoder().encode(JSON.stringify(manifest, null, 1) + '\n'));
    } catch (e) {
      this.emit({ type: 'error', watchId: this.id, tick, profile: MANIFEST, error: toErrorInfo(e) });
    }
  }
}
