/**
 * Live capture against a real Go program serving net/http/pprof on 127.0.0.1
 * (test/fixtures/go/pprofserver: leaks 64 KiB and one goroutine per tick).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureService, type CaptureProgress, type WatchEvent } from '../../../electron/services/capture';
import { computeTop, importProfile, profileSummary } from '../../../shared/profile';
import { ensurePprofServer, gunzip, startPprofServer, tempDir, type GoServer, cleanupTempDirs } from './helpers';

afterAll(cleanupTempDirs);

const why = ensurePprofServer();
if (why) console.warn(`capture integration tests skipped: ${why}`);

function inuseSpace(bytes: Uint8Array): number {
  const p = importProfile(bytes, 'heap.pb.gz', { gunzip });
  const s = profileSummary(p.profile);
  const i = s.sampleTypes.findIndex((t) => t.type === 'inuse_space');
  expect(i).toBeGreaterThanOrEqual(0);
  return s.totals[i]!;
}

/** inuse_space that main.grow allocated: exactly what the server leaked, with no noise. */
function leakedBytes(bytes: Uint8Array): number {
  const p = importProfile(bytes, 'heap.pb.gz', { gunzip });
  const top = computeTop(p.profile, { sampleIndex: 'inuse_space' });
  return top.rows.find((r) => r.name === 'main.grow')?.flat ?? 0;
}

describe.skipIf(why !== null)('capture from a real Go net/http/pprof server', () => {
  let go: GoServer;
  const svc = new CaptureService({ limits: { connectTimeoutMs: 2000, totalTimeoutMs: 20_000 } });

  beforeAll(async () => {
    go = await startPprofServer();
  });
  afterAll(async () => {
    await svc.dispose();
    await go?.close();
  });

  it('lists the profiles of the index page with their counts', async () => {
    for (const typed of [go.url, go.url.replace('http://', ''), `${go.url}/debug/pprof/`, `${go.url}/debug/pprof/heap?debug=1`]) {
      const r = await svc.listProfiles(typed);
      expect(r.indexUrl).toBe(`${go.url}/debug/pprof/`);
      const byName = new Map(r.profiles.map((p) => [p.name, p]));
      for (const n of ['allocs', 'block', 'goroutine', 'heap', 'mutex', 'profile', 'threadcreate']) {
        expect(byName.get(n)?.capturable, n).toBe(true);
        expect(byName.get(n)!.href).toBe(`${go.url}/debug/pprof/${n}?debug=1`);
      }
      expect(byName.get('cmdline')?.capturable).toBe(false);
      expect(byName.get('trace')?.capturable).toBe(false);
      // The server leaks a goroutine per tick: at least main, the ticker loop and the HTTP server.
      expect(byName.get('goroutine')!.count).toBeGreaterThanOrEqual(3);
      expect(byName.get('heap')!.count).toBeGreaterThan(0);
      expect(byName.get('heap')!.description).toMatch(/^A sampling of memory allocations of live objects/);
      expect(r.hasFullGoroutineDump).toBe(true);
    }
  });

  it('captures each profile kind as protobuf, and each is the kind asked for', async () => {
    const dir = tempDir();
    const want: Record<string, string> = { heap: 'heap', allocs: 'allocs', goroutine: 'goroutine', mutex: 'mutex', block: 'block', threadcreate: 'threadcreate' };
    for (const [profile, kind] of Object.entries(want)) {
      const r = await svc.capture({ url: go.url, profile, saveDir: dir });
      expect(r.meta.format).toBe('pprof-gzip');
      expect(r.meta.url).toBe(`${go.url}/debug/pprof/${profile}`);
      expect(r.bytes[0]).toBe(0x1f);
      const imported = importProfile(r.bytes, r.meta.fileName, { gunzip });
      if (profile === 'mutex') {
        // Mutex and block protos share sample types; an empty mutex profile cannot be told apart by content.
        expect(profileSummary(imported.profile).sampleTypes.map((t) => t.type)).toEqual(['contentions', 'delay']);
      } else expect(imported.profileKind, profile).toBe(kind);
      expect(r.saved!.name).toMatch(new RegExp(`^${profile}-\\d{8}T\\d{6}Z(-\\d+)?\\.pb\\.gz$`));
      expect(readFileSync(r.saved!.path)).toEqual(Buffer.from(r.bytes));
    }
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('captures the text forms: heap debug=1 with MemStats, goroutine debug=1 and the debug=2 dump', async () => {
    const heap = await svc.capture({ url: go.url, profile: 'heap', debug: 1, gc: true });
    expect(heap.meta.url).toBe(`${go.url}/debug/pprof/heap?gc=1&debug=1`);
    expect(heap.meta.format).toBe('text');
    expect(heap.meta.fileName).toMatch(/^heap-\d{8}T\d{6}Z-gc-debug1\.txt$/);
    const text = new TextDecoder().decode(heap.bytes);
    expect(text).toMatch(/^heap profile: /);
    expect(text).toContain('# runtime.MemStats');
    expect(importProfile(heap.bytes, 'h.txt', { gunzip }).profileKind).toBe('heap');

    const dump = await svc.capture({ url: go.url, profile: 'goroutine', debug: 2 });
    expect(dump.meta.fileName).toMatch(/^goroutine-\d{8}T\d{6}Z-debug2\.txt$/);
    const d = importProfile(dump.bytes, 'g.txt', { gunzip });
    expect(d.format).toBe('goroutine-debug2');
    // The leaked goroutines, blocked in main.stuck.
    expect(new TextDecoder().decode(dump.bytes)).toMatch(/goroutine \d+ \[chan receive\]:\nmain\.stuck/);

    const g1 = await svc.capture({ url: go.url, profile: 'goroutine', debug: 1 });
    expect(new TextDecoder().decode(g1.bytes)).toMatch(/^goroutine profile: total \d+\n/);
  });

  it('captures a heap delta profile (?seconds=1) and a heap after GC (?gc=1)', async () => {
    const progress: CaptureProgress[] = [];
    const delta = await svc.capture({ url: go.url, profile: 'heap', seconds: 1 }, { onProgress: (p) => progress.push(p) });
    expect(delta.meta.url).toBe(`${go.url}/debug/pprof/heap?seconds=1`);
    expect(delta.meta.fileName).toMatch(/^heap-\d{8}T\d{6}Z-delta1s\.pb\.gz$/);
    const t = Date.parse(delta.meta.finishedAt) - Date.parse(delta.meta.startedAt);
    expect(t).toBeGreaterThanOrEqual(900);
    expect(progress.some((p) => p.phase === 'profiling' && p.durationMs === 1000)).toBe(true);
    // Over one second, main.grow leaked about five 64 KiB buffers: the delta holds them.
    const p = importProfile(delta.bytes, 'd.pb.gz', { gunzip });
    expect(p.profileKind).toBe('heap');

    const gc = await svc.capture({ url: go.url, profile: 'heap', gc: true });
    expect(gc.meta.url).toBe(`${go.url}/debug/pprof/heap?gc=1`);
    expect(inuseSpace(gc.bytes)).toBeGreaterThan(64 * 1024);
  });

  it('captures a CPU profile for the seconds asked, with a countdown', async () => {
    const progress: CaptureProgress[] = [];
    const dir = tempDir();
    const r = await svc.capture({ url: go.url, profile: 'profile', seconds: 1, saveDir: dir }, { onProgress: (p) => progress.push(p) });
    expect(r.meta.url).toBe(`${go.url}/debug/pprof/profile?seconds=1`);
    expect(r.meta.params).toEqual({ seconds: 1 });
    expect(r.saved!.name).toMatch(/^cpu-\d{8}T\d{6}Z-1s\.pb\.gz$/);
    expect(Date.parse(r.meta.finishedAt) - Date.parse(r.meta.startedAt)).toBeGreaterThanOrEqual(900);
    expect(importProfile(r.bytes, 'cpu.pb.gz', { gunzip }).profileKind).toBe('cpu');
    const profiling = progress.filter((p) => p.phase === 'profiling');
    // Heartbeats every 250 ms while the server profiles: a countdown the UI can show.
    expect(profiling.length).toBeGreaterThanOrEqual(3);
    expect(profiling.every((p) => p.durationMs === 1000)).toBe(true);
    for (let i = 1; i < profiling.length; i++) expect(profiling[i]!.elapsedMs).toBeGreaterThanOrEqual(profiling[i - 1]!.elapsedMs);
    expect(progress.at(-1)!.receivedBytes).toBe(r.bytes.length);
  });

  it('cancels a CPU capture in flight', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 200);
    await expect(svc.capture({ url: go.url, profile: 'profile', seconds: 5 }, { signal: ac.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
      message: `${go.url}/debug/pprof/profile?seconds=5: cancelled`,
    });
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('reports an unknown profile with the status and what Go said', async () => {
    await expect(svc.capture({ url: go.url, profile: 'nosuch' })).rejects.toMatchObject({
      code: 'NETWORK',
      message: `${go.url}/debug/pprof/nosuch: HTTP 404 Not Found: Unknown profile`,
    });
  });

  it('watch mode: a series whose heap and goroutines grow, captures saved in a session folder', async () => {
    // A faster leak than the shared server's (256 KiB and one goroutine every 50 ms), so that the
    // growth between ticks dwarfs what serving the profiles allocates and starts.
    const fast = await startPprofServer(['-tick', '50ms', '-chunk', String(256 << 10)]);
    try {
      await watchGrows(fast.url);
    } finally {
      await fast.close();
    }
  });

  async function watchGrows(url: string): Promise<void> {
    const out = tempDir();
    const events: WatchEvent[] = [];
    const id = svc.startWatch(
      { url, profiles: [{ profile: 'heap', gc: true }, { profile: 'goroutine' }], everyMs: 450, count: 4, outDir: out },
      (e) => events.push(e),
    );
    const snap = await svc.watchFinished(id);
    expect(snap.state).toBe('stopped');
    expect(snap.ticks).toBe(4);
    expect(snap.failedTicks).toBe(0);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(events[0]).toMatchObject({ type: 'started', watchId: id });
    expect(events.at(-1)).toMatchObject({ type: 'stopped', reason: 'count', ticks: 4 });
    expect(events.filter((e) => e.type === 'tick').map((e) => e.tick)).toEqual([1, 2, 3, 4]);
    expect(events.filter((e) => e.type === 'capture')).toHaveLength(8);

    // Every capture is on disk under the session folder, named by profile and time.
    const files = readdirSync(snap.sessionDir).sort();
    expect(files.filter((f) => f.startsWith('heap-'))).toHaveLength(4);
    expect(files.filter((f) => f.startsWith('goroutine-'))).toHaveLength(4);
    expect(files).toContain('session.json');
    expect(files.filter((f) => f.startsWith('.'))).toEqual([]);

    // The heap grows: what main.grow holds in the heap profiles (each after a GC) rises tick after tick.
    const heaps = snap.captures.filter((c) => c.meta.profile === 'heap').sort((a, b) => a.tick - b.tick);
    const leaked = heaps.map((c) => leakedBytes(new Uint8Array(readFileSync(c.saved.path))));
    for (let i = 1; i < leaked.length; i++) expect(leaked[i]!).toBeGreaterThan(leaked[i - 1]!);

    // The growth series: MemStats from heap?debug=1 and the goroutine count.
    expect(snap.series.map((p) => p.tick)).toEqual([1, 2, 3, 4]);
    for (const p of snap.series) {
      expect(p.heapAlloc).toBeGreaterThan(0);
      expect(p.heapInuse).toBeGreaterThan(0);
      expect(p.heapObjects).toBeGreaterThan(0);
    }
    // Each tick's gc=1 heap capture runs a GC: the next tick's MemStats count it.
    for (let i = 1; i < snap.series.length; i++) expect(snap.series[i]!.numGC!).toBeGreaterThan(snap.series[i - 1]!.numGC!);
    const gor = snap.series.map((p) => p.goroutines!);
    for (let i = 1; i < gor.length; i++) expect(gor[i]!).toBeGreaterThan(gor[i - 1]!);
    expect(snap.series.at(-1)!.heapAlloc!).toBeGreaterThan(snap.series[0]!.heapAlloc!);
    expect(snap.series.at(-1)!.heapInuse!).toBeGreaterThan(snap.series[0]!.heapInuse!);
    // Findings follow the series: goroutine growth is flagged.
    const g = snap.findings.find((f) => f.metric === 'goroutines');
    expect(g?.message).toMatch(new RegExp(`^goroutines grew from ${gor[0]} to ${gor.at(-1)} over 4 captures \\(\\+[\\d.]+/s\\)$`));
    const lastTick = events.filter((e) => e.type === 'tick').at(-1)!;
    expect(lastTick.type === 'tick' && lastTick.findings.map((f) => f.metric)).toContain('goroutines');

    // The manifest agrees with the folder.
    const manifest = JSON.parse(readFileSync(join(snap.sessionDir, 'session.json'), 'utf8')) as { state: string; captures: Array<{ file: string }>; series: unknown[] };
    expect(manifest.state).toBe('stopped');
    expect(manifest.captures.map((c) => c.file).sort()).toEqual(files.filter((f) => f !== 'session.json'));
    expect(manifest.series).toHaveLength(4);
  }

  it('watch mode: bounded by count, the oldest tick dropped with a notice', async () => {
    const out = tempDir();
    const events: WatchEvent[] = [];
    const id = svc.startWatch({ url: go.url, profiles: [{ profile: 'goroutine' }], everyMs: 150, count: 4, maxKept: 2, series: false, outDir: out }, (e) => events.push(e));
    const snap = await svc.watchFinished(id);
    const dropped = events.filter((e): e is Extract<WatchEvent, { type: 'dropped' }> => e.type === 'dropped');
    expect(dropped.map((d) => [d.tick, d.reason])).toEqual([
      [1, 'count'],
      [2, 'count'],
    ]);
    expect(dropped[0]!.message).toMatch(/^deleted the captures of tick 1 \(goroutine-\d{8}T\d{6}Z(-\d+)?\.pb\.gz; [\d.]+ (bytes|KiB)\) to keep at most 2 ticks$/);
    expect(snap.captures.map((c) => c.tick)).toEqual([3, 4]);
    const onDisk = readdirSync(snap.sessionDir).filter((f) => f !== 'session.json').sort();
    expect(onDisk).toEqual(snap.captures.map((c) => c.saved.name).sort());
    for (const d of dropped) for (const f of d.files) expect(existsSync(join(snap.sessionDir, f))).toBe(false);
  });

  it('stopWatch cancels the request in flight and ends the watch', async () => {
    const out = tempDir();
    const events: WatchEvent[] = [];
    const id = svc.startWatch({ url: go.url, profiles: [{ profile: 'profile', seconds: 10 }], everyMs: 1000, series: false, outDir: out }, (e) => events.push(e));
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    const snap = await svc.stopWatch(id);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(snap.state).toBe('stopped');
    expect(snap.captures).toEqual([]);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'stopped', reason: 'requested' });
    expect(readdirSync(snap.sessionDir)).toEqual(['session.json']);
  });
});
