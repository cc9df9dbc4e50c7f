import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import type { CallContext, ServerEvent } from '../../shared/api/contract';
import { AnalysisHost } from '../../electron/services/analysis-host';
import { ApiService } from '../../electron/services/api-service';
import { dispatch } from '../../electron/services/dispatch';
import { WORKER_JS } from '../helpers/paths';
import { cleanupTempDirs, ensurePprofServer, startPprofServer, tempDir, type GoServer } from './capture/helpers';

const why = ensurePprofServer();
if (why) console.log(`SKIP live capture through the API: ${why}`);

const ctx: CallContext = { callId: 'c', signal: new AbortController().signal, progress: () => undefined };

describe.skipIf(why !== null)('live capture through the API (real Go net/http/pprof server)', () => {
  let go: GoServer;
  let host: AnalysisHost;
  let service: ApiService;
  const events: ServerEvent[] = [];
  let dir: string;

  beforeAll(async () => {
    go = await startPprofServer();
    dir = tempDir();
    host = new AnalysisHost({ workerPath: WORKER_JS });
    service = new ApiService(host, { version: 't', transport: 'http', capturesDir: dir, onEvent: (e) => events.push(e) });
  });
  afterAll(async () => {
    await service.dispose();
    await host.close();
    await go.close();
    cleanupTempDirs();
  });

  it('lists the profiles the service offers', async () => {
    const r = await service.handlers.remoteProfiles({ url: go.url }, ctx);
    expect(r.profiles.map((p) => p.name)).toEqual(expect.arrayContaining(['heap', 'goroutine', 'allocs', 'profile']));
  });

  it('captures heap twice with GC first; both saved and open in the workspace', async () => {
    const a = await service.handlers.captureProfile({ url: go.url, profile: 'heap', gc: true }, ctx);
    await new Promise((r) => setTimeout(r, 600));
    const b = await service.handlers.captureProfile({ url: go.url, profile: 'heap', gc: true }, ctx);
    for (const c of [a, b]) {
      expect(existsSync(c.saved.path)).toBe(true);
      expect(c.saved.path.startsWith(dir)).toBe(true);
      expect(c.opened.items).toHaveLength(1);
      expect(c.opened.items[0]!.profileKind).toBe('heap');
      expect(c.opened.items[0]!.source).toContain('/debug/pprof/heap');
    }
    const items = await service.handlers.listItems({}, ctx);
    expect(items.length).toBe(2);
    // The leak grows between the two captures.
    const ta = await service.handlers.top({ handle: a.opened.items[0]!.handle, sampleIndex: 'inuse_space' }, ctx);
    const tb = await service.handlers.top({ handle: b.opened.items[0]!.handle, sampleIndex: 'inuse_space' }, ctx);
    const grow = (t: typeof ta) => t.rows.find((r) => r.name === 'main.grow')?.flat ?? 0;
    expect(grow(tb)).toBeGreaterThan(grow(ta));
  });

  it('refuses a renderer-chosen save folder and non-http URLs', async () => {
    const bad = await dispatch(service.handlers, 'captureProfile', { url: go.url, profile: 'heap', saveDir: '/etc' }, ctx);
    expect(bad.ok).toBe(false);
    await expect(service.handlers.captureProfile({ url: 'file:///etc/passwd', profile: 'heap' }, ctx)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('watches: captures every tick into a session folder and pushes events', async () => {
    // gc=1: HeapAlloc right after a GC is the live heap, which only grows on this server (a plain
    // HeapAlloc also counts garbage and can drop when a GC runs between two ticks).
    const snap = await service.handlers.watchStart({ url: go.url, profiles: [{ profile: 'heap', gc: true }], everyMs: 300, count: 3 }, ctx);
    expect(snap.state).toBe('running');
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !events.some((e) => e.type === 'watch' && e.event.type === 'stopped')) await new Promise((r) => setTimeout(r, 100));
    const ticks = events.filter((e) => e.type === 'watch' && e.event.type === 'tick');
    expect(ticks.length).toBe(3);
    const list = await service.handlers.watchList({}, ctx);
    const w = list.find((x) => x.watchId === snap.watchId)!;
    expect(w.captures).toHaveLength(3);
    expect(readdirSync(w.sessionDir).filter((f) => f.startsWith('heap-'))).toHaveLength(3);
    expect(w.series.length).toBe(3);
    expect(w.series[2]!.heapAlloc!).toBeGreaterThan(w.series[0]!.heapAlloc!);
  });
});
