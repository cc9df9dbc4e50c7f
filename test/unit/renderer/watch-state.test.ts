/** A watch built from the host's snapshot and `watch` server events (renderer/src/live/watch-state.ts). */
import { describe, expect, it } from 'vitest';
import type { SeriesPoint, WatchCapture, WatchEvent, WatchSnapshot } from '../../../shared/capture/types';
import { applySnapshot, applyWatchEvent, capturedProfiles, emptyWatch, lastCaptures, LOG_MAX, type WatchView } from '../../../renderer/src/live/watch-state';

const ID = 'w1';
const T0 = 1_700_000_000_000;

function point(tick: number, heapInuse = tick * 1000): SeriesPoint {
  return { tick, timeMs: T0 + tick * 1000, heapAlloc: heapInuse, heapInuse, heapObjects: tick, numGC: tick, goroutines: 10 + tick };
}

function capture(tick: number, profile = 'heap', sizeBytes = 100): WatchCapture {
  const name = `${profile}-${tick}.pb.gz`;
  return {
    tick,
    meta: {
      url: 'http://127.0.0.1:6060/debug/pprof/heap',
      profile,
      params: {},
      format: 'pprof-gzip',
      startedAt: new Date(T0).toISOString(),
      finishedAt: new Date(T0).toISOString(),
      timeMs: T0 + tick * 1000,
      sizeBytes,
      fileName: name,
    },
    saved: { path: `/data/watch/${name}`, name, sizeBytes },
  };
}

function tick(n: number, captures: WatchCapture[] = [capture(n)], extra: Partial<Extract<WatchEvent, { type: 'tick' }>> = {}): WatchEvent {
  return { type: 'tick', watchId: ID, tick: n, point: point(n), captures, failures: 0, findings: [], ...extra };
}

/** What the host emits for a tick: one `capture` event per saved file, then the `tick`. */
function landed(n: number, captures: WatchCapture[]): WatchEvent[] {
  return [...captures.map((c): WatchEvent => ({ type: 'capture', watchId: ID, tick: n, capture: c })), tick(n, captures)];
}

function snapshot(ticks: number, extra: Partial<WatchSnapshot> = {}): WatchSnapshot {
  const series: SeriesPoint[] = [];
  const captures: WatchCapture[] = [];
  for (let i = 1; i <= ticks; i++) {
    series.push(point(i));
    captures.push(capture(i));
  }
  return {
    watchId: ID,
    url: 'http://127.0.0.1:6060/debug/pprof/',
    sessionDir: '/data/watch',
    state: 'running',
    ticks,
    failedTicks: 0,
    captures,
    bytesOnDisk: captures.length * 100,
    series,
    findings: [],
    ...extra,
  };
}

function run(events: WatchEvent[], start: WatchView = emptyWatch(ID)): WatchView {
  return events.reduce((w, e) => applyWatchEvent(w, e, T0), start);
}

describe('applyWatchEvent', () => {
  it('starts empty and running', () => {
    const w = emptyWatch(ID);
    expect(w).toMatchObject({ watchId: ID, url: '', state: 'running', ticks: 0, captures: [], series: [], log: [] });
  });

  it('records the session folder on started', () => {
    const w = run([{ type: 'started', watchId: ID, sessionDir: '/data/watch', timeMs: T0 }]);
    expect(w.sessionDir).toBe('/data/watch');
  });

  it('tracks captures in flight and clears them when the capture lands', () => {
    let w = run([{ type: 'progress', watchId: ID, tick: 1, profile: 'heap', progress: { phase: 'downloading', elapsedMs: 5, receivedBytes: 10 } }]);
    expect(Object.keys(w.inflight)).toEqual(['heap']);
    w = run([{ type: 'capture', watchId: ID, tick: 1, capture: capture(1) }], w);
    expect(w.inflight).toEqual({});
    expect(w.captures.map((c) => c.saved.name)).toEqual(['heap-1.pb.gz']);
    expect(w.bytesOnDisk).toBe(100);
  });

  it('ignores progress after the watch stopped', () => {
    const stopped = run([{ type: 'stopped', watchId: ID, reason: 'requested', ticks: 0 }]);
    const w = applyWatchEvent(stopped, { type: 'progress', watchId: ID, tick: 1, profile: 'heap', progress: { phase: 'connecting', elapsedMs: 0, receivedBytes: 0 } });
    expect(w).toBe(stopped);
  });

  it('a capture event and its tick event count the file once', () => {
    const w = run([{ type: 'capture', watchId: ID, tick: 1, capture: capture(1) }, tick(1)]);
    expect(w.captures).toHaveLength(1);
    expect(w.bytesOnDisk).toBe(100);
  });

  it('a repeated capture event is idempotent', () => {
    const e: WatchEvent = { type: 'capture', watchId: ID, tick: 1, capture: capture(1) };
    const w = run([e, e, e]);
    expect(w.captures).toHaveLength(1);
    expect(w.bytesOnDisk).toBe(100);
  });

  it('keeps the series ordered by tick, whatever order ticks arrive in, one point per tick', () => {
    const w = run([tick(3), tick(1), tick(2), tick(2)]);
    expect(w.series.map((p) => p.tick)).toEqual([1, 2, 3]);
    expect(w.ticks).toBe(3);
  });

  it('a tick clears captures in flight and replaces the findings', () => {
    const finding = { metric: 'goroutines' as const, severity: 'warning' as const, first: 7, last: 12, perSecond: 1, points: 6, message: 'goroutines grew' };
    let w = run([{ type: 'progress', watchId: ID, tick: 1, profile: 'goroutine', progress: { phase: 'waiting', elapsedMs: 1, receivedBytes: 0 } }, tick(1, [], { findings: [finding] })]);
    expect(w.inflight).toEqual({});
    expect(w.findings).toEqual([finding]);
    w = run([tick(2, [], { findings: [] })], w);
    expect(w.findings).toEqual([]);
  });

  it('counts a tick as failed only when it produced nothing', () => {
    const w = run([tick(1, [], { failures: 2, point: null }), tick(2, [capture(2)], { failures: 1 }), tick(3, [], { failures: 1 })]);
    expect(w.failedTicks).toBe(1);
    expect(w.series.map((p) => p.tick)).toEqual([2, 3]);
  });

  it('logs ticks, errors, drops and the stop, newest last, with the point time', () => {
    const w = run([
      tick(1),
      { type: 'error', watchId: ID, tick: 2, profile: 'heap', error: { code: 'NETWORK', message: 'refused' } },
      { type: 'dropped', watchId: ID, tick: 1, files: ['heap-1.pb.gz'], bytes: 100, reason: 'count', message: 'kept 0' },
      { type: 'stopped', watchId: ID, reason: 'count', ticks: 2, message: 'done' },
    ]);
    expect(w.log.map((e) => e.kind)).toEqual(['tick', 'error', 'dropped', 'stopped']);
    expect(w.log[0]!.timeMs).toBe(T0 + 1000);
    expect(w.log[1]).toMatchObject({ kind: 'error', tick: 2, profile: 'heap', timeMs: T0 });
  });

  it('removes dropped files and their bytes (never below zero)', () => {
    // the host's order: a `capture` event per file, then the tick listing them
    let w = run([...landed(1, [capture(1, 'heap'), capture(1, 'goroutine')]), ...landed(2, [capture(2)])]);
    expect(w.bytesOnDisk).toBe(300);
    w = run([{ type: 'dropped', watchId: ID, tick: 1, files: ['heap-1.pb.gz', 'goroutine-1.pb.gz'], bytes: 200, reason: 'bytes', message: '' }], w);
    expect(w.captures.map((c) => c.saved.name)).toEqual(['heap-2.pb.gz']);
    expect(w.bytesOnDisk).toBe(100);
    w = run([{ type: 'dropped', watchId: ID, tick: 2, files: ['heap-2.pb.gz'], bytes: 5000, reason: 'bytes', message: '' }], w);
    expect(w.bytesOnDisk).toBe(0);
  });

  it('only drops files of the named tick', () => {
    const w = run([tick(1), { type: 'dropped', watchId: ID, tick: 9, files: ['heap-1.pb.gz'], bytes: 0, reason: 'count', message: '' }]);
    expect(w.captures).toHaveLength(1);
  });

  it('an error without a profile keeps other captures in flight', () => {
    const w = run([
      { type: 'progress', watchId: ID, tick: 1, profile: 'heap', progress: { phase: 'waiting', elapsedMs: 1, receivedBytes: 0 } },
      { type: 'progress', watchId: ID, tick: 1, profile: 'goroutine', progress: { phase: 'waiting', elapsedMs: 1, receivedBytes: 0 } },
      { type: 'error', watchId: ID, tick: 1, profile: 'heap', error: { code: 'NETWORK', message: 'x' } },
      { type: 'error', watchId: ID, tick: 1, error: { code: 'NETWORK', message: 'y' } },
    ]);
    expect(Object.keys(w.inflight)).toEqual(['goroutine']);
    expect('profile' in w.log[1]!).toBe(false);
  });

  it('stops with the reason and the larger tick count', () => {
    const w = run([tick(1), tick(2), { type: 'stopped', watchId: ID, reason: 'error', ticks: 1, message: 'target gone' }]);
    expect(w).toMatchObject({ state: 'stopped', ticks: 2, stopReason: 'error', stopMessage: 'target gone', inflight: {} });
  });

  it('bounds the log and counts what it dropped', () => {
    const events: WatchEvent[] = [];
    for (let i = 1; i <= LOG_MAX + 25; i++) events.push(tick(i, []));
    const w = run(events);
    expect(w.log).toHaveLength(LOG_MAX);
    expect(w.logDropped).toBe(25);
    expect(w.log[0]!.tick).toBe(26);
    expect(w.log[w.log.length - 1]!.tick).toBe(LOG_MAX + 25);
    expect(w.series).toHaveLength(LOG_MAX + 25);
  });

  it('never mutates the view it is given', () => {
    const w0 = run([tick(1)]);
    const copy = structuredClone(w0);
    run([tick(2), { type: 'dropped', watchId: ID, tick: 1, files: ['heap-1.pb.gz'], bytes: 100, reason: 'count', message: '' }, { type: 'stopped', watchId: ID, reason: 'requested', ticks: 2 }], w0);
    expect(w0).toEqual(copy);
  });
});

describe('applySnapshot', () => {
  it('creates a watch from a snapshot alone (a reloaded page)', () => {
    const w = applySnapshot(undefined, snapshot(3));
    expect(w).toMatchObject({ watchId: ID, url: 'http://127.0.0.1:6060/debug/pprof/', ticks: 3, bytesOnDisk: 300 });
    expect(w.series.map((p) => p.tick)).toEqual([1, 2, 3]);
  });

  it('is idempotent', () => {
    const once = applySnapshot(undefined, snapshot(3));
    const twice = applySnapshot(once, snapshot(3));
    expect(twice).toEqual(once);
  });

  it('completes a watch its events created first (watchStart answers after `started`)', () => {
    const byEvents = run([{ type: 'started', watchId: ID, sessionDir: '/data/watch', timeMs: T0 }]);
    const w = applySnapshot(byEvents, snapshot(0));
    expect(w.url).toBe('http://127.0.0.1:6060/debug/pprof/');
    expect(w.sessionDir).toBe('/data/watch');
  });

  it('an older snapshot does not roll back ticks the events already told', () => {
    const byEvents = run([tick(1), tick(2), tick(3)]);
    const w = applySnapshot(byEvents, snapshot(2, { failedTicks: 9 }));
    expect(w.ticks).toBe(3);
    expect(w.failedTicks).toBe(0);
    expect(w.captures).toHaveLength(3);
    expect(w.url).toBe('http://127.0.0.1:6060/debug/pprof/');
  });

  it('a newer snapshot wins: its numbers replace what the events counted', () => {
    const byEvents = run([tick(2, [], { failures: 1, point: null })]);
    const w = applySnapshot(byEvents, snapshot(4, { failedTicks: 1 }));
    expect(w.ticks).toBe(4);
    expect(w.failedTicks).toBe(1);
    expect(w.captures.map((c) => c.tick)).toEqual([1, 2, 3, 4]);
    expect(w.bytesOnDisk).toBe(400);
  });

  it('a snapshot of the same tick keeps event points it lacks, in tick order', () => {
    const s = snapshot(5);
    const w = applySnapshot(run([tick(5)]), { ...s, series: s.series.filter((p) => p.tick !== 5) });
    expect(w.series.map((p) => p.tick)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a stopped watch stays stopped, and a stopped snapshot clears captures in flight', () => {
    const stopped = run([tick(1), { type: 'stopped', watchId: ID, reason: 'requested', ticks: 1 }]);
    expect(applySnapshot(stopped, snapshot(1, { state: 'running' })).state).toBe('stopped');
    const busy = run([{ type: 'progress', watchId: ID, tick: 1, profile: 'heap', progress: { phase: 'waiting', elapsedMs: 1, receivedBytes: 0 } }]);
    const w = applySnapshot(busy, snapshot(1, { state: 'stopped' }));
    expect(w.state).toBe('stopped');
    expect(w.inflight).toEqual({});
  });

  it('events after a snapshot continue from it without duplicates', () => {
    let w = applySnapshot(undefined, snapshot(3));
    w = run([tick(3), tick(4)], w);
    expect(w.series.map((p) => p.tick)).toEqual([1, 2, 3, 4]);
    expect(w.captures.map((c) => c.tick)).toEqual([1, 2, 3, 4]);
    expect(w.ticks).toBe(4);
  });

  // BUG (found by this test): useWatches subscribes to events, then asks watchList. When a tick
  // lands while watchList is in flight (a reloaded page or a second window re-attaching to a
  // long-running watch), the event view knows one tick more than the snapshot, so the snapshot is
  // "older" and applySnapshot drops all of its history: the chart shows one point and the
  // capture list one file until the page is reloaded again. Flip to `it` once fixed.
  it('re-attaching keeps the snapshot history when a newer tick event arrived first', () => {
    const byEvents = run([tick(11)]);
    const w = applySnapshot(byEvents, snapshot(10));
    expect(w.ticks).toBe(11);
    expect(w.series.map((p) => p.tick)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(w.captures).toHaveLength(11);
  });
});

describe('captures on disk', () => {
  const w = run([tick(1, [capture(1, 'goroutine'), capture(1, 'heap')]), tick(2, [capture(2, 'heap'), capture(2, 'goroutine')]), tick(3, [capture(3, 'heap')])]);

  it('lastCaptures: the last n of one profile, oldest first', () => {
    expect(lastCaptures(w, 'heap', 2).map((c) => c.tick)).toEqual([2, 3]);
    expect(lastCaptures(w, 'heap', 10).map((c) => c.tick)).toEqual([1, 2, 3]);
    expect(lastCaptures(w, 'goroutine', 1).map((c) => c.tick)).toEqual([2]);
    expect(lastCaptures(w, 'allocs', 3)).toEqual([]);
    expect(lastCaptures(w, 'heap', 0)).toEqual([]);
  });

  it('capturedProfiles: in first-capture order', () => {
    expect(capturedProfiles(w)).toEqual(['goroutine', 'heap']);
  });
});
