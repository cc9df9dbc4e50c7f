/**
 * Watch mode: every N ms capture the chosen profiles into a session folder, and read the growth
 * series (runtime.MemStats from `heap?debug=1`, the goroutine count from `goroutine?debug=1`).
 *
 * - Each tick reads the series first, then captures the chosen profiles concurrently.
 * - Ticks never overlap: a tick that overruns its interval delays the next one (no backlog).
 * - Each capture is saved atomically (store.ts) the moment it arrives.
 * - The folder is bounded by ticks kept and bytes on disk: the oldest tick's files are deleted,
 *   each time with a `dropped` event saying what and why. The current tick is never dropped.
 * - A failed capture or series read is an `error` event; the watch goes on.
 * - stop() aborts requests in flight; nothing half-received is written.
 * - `session.json` in the folder is rewritten atomically after every tick (the state a UI or a
 *   later session reopens: captures on disk, series, findings). It never holds credentials.
 */
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import type { CaptureSpec } from './capture';
import { formatBytes } from './format';
import { growthFindings } from './growth';
import { parseGoroutineTotal, parseMemStats } from './memstats';
import { removeFile, replaceFile, saveNew } from './store';
import type { CaptureProgress, CaptureResult, GrowthFinding, SeriesPoint, WatchCapture, WatchEvent, WatchProfileSpec, WatchSnapshot, WatchState } from './types';

export const DEFAULT_MAX_KEPT = 1000;
export const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;
/** Series points kept in memory (about 28 hours at one per 10 s). */
export const MAX_SERIES = 10_000;
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
}

export interface WatchDeps {
  /** Capture one profile (auth, limits and target already bound). */
  capture(spec: CaptureSpec, opts: { signal: AbortSignal; onProgress?: (p: CaptureProgress) => void }): Promise<CaptureResult>;
  now(): Date;
}

const isCancelled = (e: ErrorInfo) => e.code === 'CANCELLED';

export class Watch {
  private state: WatchState = 'running';
  private readonly ac = new AbortController();
  private ticks = 0;
  private failedTicks = 0;
  /** Kept captures, grouped by tick, oldest first. */
  private readonly kept: Array<{ tick: number; captures: WatchCapture[] }> = [];
  private bytesOnDisk = 0;
  private readonly series: SeriesPoint[] = [];
  private findings: GrowthFinding[] = [];
  private wake: (() => void) | null = null;
  private runPromise: Promise<void> | null = null;
  private readonly startedAt: Date;
  /** Every file name this watch has written, dropped ones included: names are never reused. */
  private readonly usedNames = new Set<string>([MANIFEST]);

  constructor(
    readonly id: string,
    private readonly plan: WatchPlan,
    private readonly deps: WatchDeps,
    private readonly listener: (e: WatchEvent) => void,
  ) {
    this.startedAt = deps.now();
  }

  get sessionDir(): string {
    return this.plan.sessionDir;
  }

  /** Begin ticking (the first tick starts at once). */
  start(): void {
    if (this.runPromise) return;
    this.emit({ type: 'started', watchId: this.id, sessionDir: this.plan.sessionDir, timeMs: this.startedAt.getTime() });
    this.runPromise = this.run();
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
    return {
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
  }

  private emit(e: WatchEvent): void {
    try {
      this.listener(e);
    } catch {
      // A listener's failure must not stop the watch.
    }
  }

  private async run(): Promise<void> {
    let reason: 'requested' | 'count' | 'error' = 'requested';
    let message: string | undefined;
    try {
      let nextAt = Date.now();
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
        nextAt = Math.max(nextAt + this.plan.everyMs, Date.now());
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
    return new Promise<void>((resolve) => {
      if (this.state !== 'running') return resolve();
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, Math.max(0, at - Date.now()));
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }

  private async runTick(tick: number): Promise<void> {
    this.ticks = tick;
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
    const seriesRead = async (profile: 'heap' | 'goroutine'): Promise<CaptureResult | null> => {
      if (!this.plan.series || reuseIndex(profile) >= 0) return null;
      attempts++;
      try {
        return await this.deps.capture({ profile, debug: 1 }, { signal });
      } catch (e) {
        fail('series', e);
        return null;
      }
    };
    // One after the other: each request's own server-side goroutine and garbage stay out of the other.
    const gorRead = await seriesRead('goroutine');
    const heapRead = await seriesRead('heap');

    const results = await Promise.all(
      this.plan.profiles.map(async (spec) => {
        attempts++;
        try {
          const r = await this.deps.capture(spec, {
            signal,
            onProgress: (progress) => this.emit({ type: 'progress', watchId: this.id, tick, profile: spec.profile, progress }),
          });
          if (signal.aborted) return null;
          const saved = saveNew(this.plan.sessionDir, r.meta.fileName, r.bytes, { avoid: this.usedNames });
          this.usedNames.add(saved.name);
          const c: WatchCapture = { tick, meta: r.meta, saved };
          captures.push(c);
          this.bytesOnDisk += saved.sizeBytes;
          this.emit({ type: 'capture', watchId: this.id, tick, capture: c });
          return r;
        } catch (e) {
          fail(spec.profile, e);
          return null;
        }
      }),
    );

    let point: SeriesPoint | null = null;
    if (this.plan.series) {
      const pick = (profile: string, read: CaptureResult | null) => {
        const i = reuseIndex(profile);
        return i >= 0 ? (results[i] ?? null) : read;
      };
      const heap = pick('heap', heapRead);
      const gor = pick('goroutine', gorRead);
      const p: SeriesPoint = { tick, timeMs: tickTime, heapAlloc: null, heapInuse: null, heapObjects: null, numGC: null, goroutines: null };
      if (heap) {
        try {
          const m = parseMemStats(heap.bytes);
          p.heapAlloc = m.heapAlloc;
          p.heapInuse = m.heapInuse;
          p.heapObjects = m.heapObjects;
          p.numGC = m.numGC;
          p.timeMs = heap.meta.timeMs;
        } catch (e) {
          fail('series', e);
        }
      }
      if (gor) {
        try {
          p.goroutines = parseGoroutineTotal(gor.bytes);
        } catch (e) {
          fail('series', e);
        }
      }
      if (p.heapAlloc !== null || p.goroutines !== null) {
        point = p;
        this.series.push(p);
        if (this.series.length > MAX_SERIES) this.series.splice(0, this.series.length - MAX_SERIES);
      }
    }
    if (this.state !== 'running' && signal.aborted) {
      // Stopped mid-tick: keep what was saved, report nothing more for this tick.
      if (captures.length) this.keep(tick, captures);
      return;
    }
    captures.sort((a, b) => a.saved.name.localeCompare(b.saved.name));
    if (captures.length) this.keep(tick, captures);
    if (attempts > 0 && failures >= attempts) this.failedTicks++;
    this.enforceBounds(tick);
    this.findings = growthFindings(this.series);
    this.emit({ type: 'tick', watchId: this.id, tick, point, captures, failures, findings: this.findings.slice() });
    this.writeManifest(tick);
  }

  private keep(tick: number, captures: WatchCapture[]): void {
    this.kept.push({ tick, captures });
  }

  private enforceBounds(currentTick: number): void {
    const drop = (reason: 'count' | 'bytes') => {
      const oldest = this.kept.shift()!;
      let bytes = 0;
      for (const c of oldest.captures) {
        removeFile(c.saved.path);
        bytes += c.saved.sizeBytes;
      }
      this.bytesOnDisk -= bytes;
      const names = oldest.captures.map((c) => c.saved.name);
      const why = reason === 'count' ? `to keep at most ${this.plan.maxKept} ticks` : `to stay under the ${formatBytes(this.plan.maxBytes)} disk limit`;
      this.emit({
        type: 'dropped',
        watchId: this.id,
        tick: oldest.tick,
        files: names,
        bytes,
        reason,
        message: `deleted the captures of tick ${oldest.tick} (${names.join(', ')}; ${formatBytes(bytes)}) ${why}`,
      });
    };
    while (this.kept.length > this.plan.maxKept && this.kept[0]!.tick !== currentTick) drop('count');
    while (this.bytesOnDisk > this.plan.maxBytes && this.kept.length > 1 && this.kept[0]!.tick !== currentTick) drop('bytes');
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
      state: s.state,
      ticks: s.ticks,
      failedTicks: s.failedTicks,
      captures: s.captures.map((c) => ({ tick: c.tick, file: c.saved.name, sizeBytes: c.saved.sizeBytes, meta: c.meta })),
      series: s.series,
      findings: s.findings,
    };
    try {
      replaceFile(this.plan.sessionDir, MANIFEST, new TextEncoder().encode(JSON.stringify(manifest, null, 1) + '\n'));
    } catch (e) {
      this.emit({ type: 'error', watchId: this.id, tick, profile: MANIFEST, error: toErrorInfo(e) });
    }
  }
}
