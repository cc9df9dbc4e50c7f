/**
 * Issue 13, acceptance 2: watches against a real Go service on loopback (test/fixtures/go/memserver:
 * net/http/pprof + expvar, keeps 256 KiB and leaks a goroutine every 100 ms).
 *
 *  - a watch with no flags (the CLI: gc=1, /debug/vars, a heap each tick) shows the heap growing;
 *  - a trigger fires once when its threshold is crossed and writes a complete bundle;
 *  - a service restarted mid-watch gives a marked gap and a new series;
 *  - an hour-long watch, simulated with a fast clock, stays within its disk budget.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../electron/cli/main';
import type { CliIO } from '../../../electron/cli/io';
import { CaptureService, type WatchEvent, type WatchSnapshot } from '../../../electron/services/capture';
import { importProfile } from '../../../shared/profile';
import { cleanupTempDirs, gunzip, tempDir, waitFor } from './helpers';
import { memServerOrSkip, startMemServer, type MemServer } from './memserver';

afterAll(cleanupTempDirs);
afterEach(() => {
  process.exitCode = undefined;
});

const built = memServerOrSkip();

async function cli(args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    readFile: async () => {
      throw new Error('unused');
    },
    gunzip,
    openFile: () => {
      throw new Error('unused');
    },
    isTTY: false,
  };
  process.exitCode = undefined;
  const code = await main(args, io);
  process.exitCode = undefined;
  return { out, err, code };
}

function sessionOf(out: string): string {
  return /into (\S+)\n/.exec(out)![1]!;
}

function manifest(dir: string): { series: WatchSnapshot['series']; triggersFired: NonNullable<WatchSnapshot['triggersFired']>; captures: Array<{ tick: number; file: string; trigger?: string; meta: { url: string } }>; restarts: number[] } {
  return JSON.parse(readFileSync(join(dir, 'session.json'), 'utf8'));
}

describe.skipIf(built === null)('watching a real Go service (%s)', () => {
  let go: MemServer;
  beforeAll(async () => {
    go = await startMemServer(built!.bin);
  });
  afterAll(async () => {
    await go?.close();
  });

  it('a watch with no flags shows the heap growing: gc=1 heaps, MemStats from /debug/vars, live heap and Sys', async () => {
    const out = tempDir();
    const r = await cli(['capture', go.url, '--every', '400ms', '--count', '4', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    const dir = sessionOf(r.out);
    const m = manifest(dir);
    expect(m.series).toHaveLength(4);
    for (const p of m.series) {
      expect(p.memStatsSource).toBe('expvar');
      expect(p.sys!).toBeGreaterThan(p.heapInuse!);
      expect(p.liveHeap!).toBeGreaterThan(0);
      expect(p.run).toBe(1);
    }
    // Every heap asked for a GC first, so each tick's in-use numbers are current: they grow.
    const heaps = m.captures.filter((c) => c.meta.url.includes('/heap'));
    expect(heaps).toHaveLength(4);
    for (const h of heaps) expect(h.meta.url).toBe(`${go.url}/debug/pprof/heap?gc=1`);
    const live = m.series.map((p) => p.liveHeap!);
    for (let i = 1; i < live.length; i++) expect(live[i]!, `live heap at tick ${i + 1}`).toBeGreaterThan(live[i - 1]!);
    expect(m.series.at(-1)!.heapInuse!).toBeGreaterThan(m.series[0]!.heapInuse!);
    expect(m.series.at(-1)!.goroutines!).toBeGreaterThan(m.series[0]!.goroutines!);
    expect(r.out).toMatch(/tick 4: live heap [\d.]+ MiB, HeapAlloc .*, goroutines \d+, Sys [\d.]+ MiB\n/);
    expect(r.out).not.toMatch(/identical/);
    expect(r.out).toMatch(/^done: 4 ticks, 4 captures \(4 kept, /m);
  });

  it('a trigger fires once when its threshold is crossed, and writes a complete bundle', async () => {
    const out = tempDir();
    // The threshold: a little above the heap in use now, so it is crossed a few ticks in.
    const snap = await new CaptureService().capture({ url: go.url, profile: 'heap', debug: 1 });
    const inuse = Number(/# HeapInuse = (\d+)/.exec(new TextDecoder().decode(snap.bytes))![1]);
    const threshold = Math.ceil((inuse + 1.2 * 1024 * 1024) / 1024);
    const r = await cli(['capture', go.url, '--every', '300ms', '--count', '9', '--trigger', `heap>${threshold}KiB`, '--trigger', 'goroutines>+1000%', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const dir = sessionOf(r.out);
    const m = manifest(dir);
    expect(m.triggersFired).toHaveLength(1);
    const f = m.triggersFired[0]!;
    expect(f.trigger).toBe(`heap>${threshold}KiB`);
    expect(f.tick).toBeGreaterThan(1);
    // It fired on the first tick above the threshold, not before.
    const before = m.series.find((p) => p.tick === f.tick - 1)!;
    const at = m.series.find((p) => p.tick === f.tick)!;
    expect(before.heapInuse!).toBeLessThanOrEqual(threshold * 1024);
    expect(at.heapInuse!).toBeGreaterThan(threshold * 1024);
    expect(m.series.at(-1)!.heapInuse!).toBeGreaterThan(threshold * 1024); // still above: no second fire
    expect(r.out.match(/TRIGGER/g)).toHaveLength(1);
    // The bundle: heap (gc=1), goroutine debug=2, allocs; goroutineleak where served.
    const bundle = m.captures.filter((c) => c.trigger === f.trigger);
    const urls = bundle.map((c) => c.meta.url.replace(go.url, ''));
    const leak = built!.goVersion === 'go1.27';
    expect(urls.sort()).toEqual(['/debug/pprof/allocs', '/debug/pprof/goroutine?debug=2', '/debug/pprof/heap?gc=1', ...(leak ? ['/debug/pprof/goroutineleak'] : [])].sort());
    if (!leak) expect(f.missing).toEqual(['goroutineleak: not served (Go 1.27+, or 1.26 with GOEXPERIMENT=goroutineleakprofile)']);
    else expect(f.missing).toEqual([]);
    for (const c of bundle) {
      const bytes = new Uint8Array(readFileSync(join(dir, c.file)));
      const imp = importProfile(bytes, c.file, { gunzip });
      const asked = /\/debug\/pprof\/([a-z]+)/.exec(c.meta.url)![1]!;
      expect(imp.profileKind, c.file).toBe(asked);
      expect(c.file.startsWith(`trigger${f.tick}-`)).toBe(true);
    }
  });

  it('a service restarted mid-watch gives a marked gap, then a new series', async () => {
    const first = await startMemServer(built!.bin);
    const port = first.port;
    const svc = new CaptureService({ limits: { connectTimeoutMs: 1000, totalTimeoutMs: 5000 } });
    const out = tempDir();
    const events: WatchEvent[] = [];
    const id = svc.startWatch({ url: first.url, profiles: [{ profile: 'heap' }], gc: true, expvar: true, everyMs: 250, outDir: out }, (e) => events.push(e));
    let second: MemServer | null = null;
    try {
      await waitFor(() => events.filter((e) => e.type === 'tick').length >= 4, 15_000, 'four ticks');
      await first.kill();
      await waitFor(() => events.filter((e) => e.type === 'tick' && e.point === null).length >= 2, 15_000, 'two failed ticks');
      second = await startMemServer(built!.bin, ['-addr', `127.0.0.1:${port}`]);
      await waitFor(() => events.some((e) => e.type === 'restart'), 15_000, 'the restart');
      await waitFor(() => events.filter((e) => e.type === 'tick' && e.point?.run === 2).length >= 2, 15_000, 'two ticks of the new series');
    } finally {
      await svc.stopWatch(id);
      await second?.close();
    }
    const snap = svc.getWatch(id)!;
    const restart = events.find((e): e is Extract<WatchEvent, { type: 'restart' }> => e.type === 'restart')!;
    expect(restart.run).toBe(2);
    expect(restart.message).toMatch(/the service restarted \((TotalAlloc|Mallocs|NumGC) went back from \d+ to \d+\)|the command line changed/);
    // The gap: failed ticks with no point between the two series; the new series' first point is marked.
    const ticks = events.filter((e): e is Extract<WatchEvent, { type: 'tick' }> => e.type === 'tick');
    const firstOfRun2 = snap.series.find((p) => p.run === 2)!;
    expect(firstOfRun2.restart).toBe(true);
    expect(firstOfRun2.tick).toBe(restart.tick);
    const lastOfRun1 = [...snap.series].reverse().find((p) => p.run === 1)!;
    const gap = ticks.filter((t) => t.tick > lastOfRun1.tick && t.tick < firstOfRun2.tick);
    expect(gap.length).toBeGreaterThanOrEqual(2);
    for (const t of gap) expect(t.point).toBeNull();
    expect(snap.restarts).toEqual([restart.tick]);
    expect(snap.series.filter((p) => p.restart)).toHaveLength(1);
    // The errors of the gap say what happened.
    expect(events.some((e) => e.type === 'error' && /connection refused/.test(e.error.message))).toBe(true);
  });

  it('an hour-long watch, simulated with a fast clock, stays within its disk budget and keeps first, last, every Nth and triggered', async () => {
    let clock = Date.parse('2026-12-01T10:00:00Z');
    const svc = new CaptureService({
      now: () => new Date(clock),
      sleep: async (ms) => {
        clock += ms;
        await new Promise((r) => setImmediate(r));
      },
    });
    const out = tempDir();
    const maxBytes = 600 * 1024;
    let peak = 0;
    let sessionDir = '';
    const onDiskBytes = () => readdirSync(sessionDir).filter((f) => f !== 'session.json').reduce((s, f) => s + statSync(join(sessionDir, f)).size, 0);
    const snap = await new Promise<WatchSnapshot>((resolve, reject) => {
      const id = svc.startWatch(
        { url: go.url, profiles: [{ profile: 'heap' }, { profile: 'goroutine' }], gc: true, expvar: true, everyMs: 10_000, count: 360, maxBytes, maxKept: 60, everyNth: 10, triggers: ['goroutines>+1%'], outDir: out },
        (e) => {
          if (e.type === 'started') sessionDir = e.sessionDir;
          if (e.type === 'tick') peak = Math.max(peak, onDiskBytes());
        },
      );
      svc.watchFinished(id).then(resolve, reject);
    });
    expect(snap.ticks).toBe(360);
    expect(clock - Date.parse('2026-12-01T10:00:00Z')).toBeGreaterThanOrEqual(359 * 10_000); // an hour of watch time
    expect(snap.series).toHaveLength(360);
    // Bounded: after every tick the folder was within the budget (the newest tick may overshoot by itself only).
    const perTick = new Map<number, number>();
    for (const c of snap.captures) perTick.set(c.tick, (perTick.get(c.tick) ?? 0) + c.saved.sizeBytes);
    const biggestTick = Math.max(...perTick.values());
    expect(peak).toBeLessThanOrEqual(maxBytes + biggestTick);
    expect(onDiskBytes()).toBeLessThanOrEqual(maxBytes);
    expect(snap.bytesOnDisk).toBe(onDiskBytes());
    const ticks = [...new Set(snap.captures.map((c) => c.tick))];
    expect(ticks.length).toBeLessThanOrEqual(60);
    expect(ticks[0]).toBe(1);
    expect(ticks.at(-1)).toBe(360);
    const fired = snap.triggersFired ?? [];
    expect(fired.length).toBe(1);
    expect(ticks).toContain(fired[0]!.tick);
    // The rest: an even thinning of the history (every Nth tick after the first), then the most
    // recent ticks, all kept until the budget needs their room (oldest unprotected go first).
    const nth = snap.everyNth!;
    expect(nth).toBeGreaterThanOrEqual(10);
    const others = ticks.filter((t) => t !== 1 && t !== 360 && t !== fired[0]!.tick);
    const thinned = others.filter((t) => (t - 1) % nth === 0);
    const recent = others.filter((t) => (t - 1) % nth !== 0);
    expect(thinned.length).toBeGreaterThan(3);
    expect(thinned[0]).toBeLessThan(100);
    if (recent.length) for (let t = recent[0]!; t <= 360; t++) expect(ticks, `tick ${t} (recent history is kept whole)`).toContain(t);
  }, 180_000);
});
