import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { CallContext } from '../../shared/api/contract';
import type { Progress } from '../../shared/api/types';
import { AnalysisHost } from '../../electron/services/analysis-host';
import { ApiService } from '../../electron/services/api-service';
import { FIXTURES, WORKER_JS } from '../helpers/paths';

let host: AnalysisHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

function ctx(progress: Progress[] = []): CallContext {
  return { callId: 'c1', signal: new AbortController().signal, progress: (p) => progress.push({ ...p, callId: 'c1' }) };
}

function service(): ApiService {
  host = new AnalysisHost({ workerPath: WORKER_JS, allowDebug: true });
  return new ApiService(host, { version: 'test', transport: 'http' });
}

describe('ApiService with a real worker and real Go profiles', () => {
  it('opens files, lists them and answers top and flame graph queries', async () => {
    const s = service();
    const r = await s.handlers.openFiles({ paths: [join(FIXTURES, 'heap-3.pb.gz'), join(FIXTURES, 'goroutine.pb.gz')] }, ctx());
    expect(r.failures).toEqual([]);
    expect(r.items.map((i) => i.profileKind)).toEqual(['heap', 'goroutine']);
    const heap = r.items[0]!;
    expect(heap.sampleTypes.map((t) => t.type)).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    expect(heap.sampleTypes[heap.defaultSampleIndex]!.type).toBe('inuse_space');
    expect((await s.handlers.listItems({}, ctx())).map((i) => i.handle)).toEqual(r.items.map((i) => i.handle));

    const top = await s.handlers.top({ handle: heap.handle }, ctx());
    expect(top.sampleType.type).toBe('inuse_space');
    const names = top.rows.map((x) => x.name);
    expect(names.slice(0, 3).sort()).toEqual(['main.cacheSession', 'main.loadBlob', 'main.worker']);
    const flame = await s.handlers.flameGraph({ handle: heap.handle }, ctx());
    expect(flame.root.value).toBe(top.total);
  });

  it('reports files that are not profiles as failures naming the file, and keeps the others', async () => {
    const s = service();
    const dir = mkdtempSync(join(tmpdir(), 'hs-bad-'));
    writeFileSync(join(dir, 'notes.txt'), 'just some notes\n');
    const r = await s.handlers.openFiles({ paths: [join(dir, 'notes.txt'), join(dir, 'missing.pb.gz'), join(FIXTURES, 'heap-1.pb.gz')] }, ctx());
    expect(r.items.map((i) => i.name)).toEqual(['heap-1.pb.gz']);
    expect(r.failures.map((f) => [f.error.file, f.error.code])).toEqual([
      ['notes.txt', 'BAD_FORMAT'],
      [join(dir, 'missing.pb.gz'), 'NOT_FOUND'],
    ]);
  });

  it('opens bytes (browser uploads) without writing anything', async () => {
    const s = service();
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'heap-2.pb.gz')));
    const r = await s.handlers.openBytes({ name: 'dropped.pb.gz', bytes }, ctx());
    expect(r.items[0]!.name).toBe('dropped.pb.gz');
    expect(r.items[0]!.source).toBe('dropped.pb.gz');
  });

  it('survives a worker crash: the items reload on the next query', async () => {
    const s = service();
    const r = await s.handlers.openFiles({ paths: [join(FIXTURES, 'heap-3.pb.gz')] }, ctx());
    const h = r.items[0]!.handle;
    const before = await s.handlers.top({ handle: h }, ctx());
    await host!.call('debugCrash', {}).catch(() => undefined);
    const after = await s.handlers.top({ handle: h }, ctx());
    expect(after).toEqual(before);
  });

  it('closes items and answers NOT_FOUND for them afterwards', async () => {
    const s = service();
    const r = await s.handlers.openFiles({ paths: [join(FIXTURES, 'heap-3.pb.gz')] }, ctx());
    const h = r.items[0]!.handle;
    expect(await s.handlers.closeItem({ handle: h }, ctx())).toEqual({ closed: true });
    await expect(s.handlers.top({ handle: h }, ctx())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await s.handlers.listItems({}, ctx())).toEqual([]);
  });

  it('loads the demo investigation once', async () => {
    const s = service();
    const a = await s.handlers.openDemo({}, ctx());
    expect(a.failures).toEqual([]);
    expect(a.items.length).toBeGreaterThanOrEqual(4);
    expect(a.items.every((i) => i.source.startsWith('demo:'))).toBe(true);
    const b = await s.handlers.openDemo({}, ctx());
    expect(b.items.map((i) => i.handle)).toEqual(a.items.map((i) => i.handle));
  });
});

describe('ApiService with a real Go heap dump', () => {
  it('opens the dump, finds the binary beside it, and answers paged heap queries', async () => {
    const s = service();
    const r = await s.handlers.openFiles({ paths: [join(FIXTURES, 'heap.dump')] }, ctx());
    expect(r.failures).toEqual([]);
    const item = r.items[0]!;
    expect(item.kind).toBe('heapdump');
    expect(item.heap?.exe).toBe(join(FIXTURES, 'leakyapp'));
    expect(item.heap?.goVersion).toMatch(/^go1\./);
    expect(item.heap!.garbageObjects).toBeGreaterThan(0);

    const roots = await s.handlers.heapRoots({ handle: item.handle, count: 200 }, ctx());
    const names = roots.rows.map((x) => x.name);
    expect(names).toContain('global main.sessionCache');
    expect(names).toContain('global main.pinned');
    expect(names.filter((n) => /^goroutine \d+ \[chan receive\] main\.worker$/.test(n))).toHaveLength(30);
    // Sorted by retained size.
    const sizes = roots.rows.map((x) => x.retainedBytes);
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);

    const top = await s.handlers.heapDominators({ handle: item.handle, node: 0, count: 5 }, ctx());
    expect(top.rows.length).toBeGreaterThan(0);
    const pinned = roots.rows.find((x) => x.name === 'global main.pinned')!;
    // main.pinned → its slice of slice headers → the six 128 KiB arrays the sub-slices pin.
    const header = await s.handlers.heapDominators({ handle: item.handle, node: pinned.node, count: 50 }, ctx());
    expect(header.rows).toHaveLength(1);
    const kids = await s.handlers.heapDominators({ handle: item.handle, node: header.rows[0]!.node, count: 50 }, ctx());
    const arrays = kids.rows.filter((k) => k.size === 131072);
    expect(arrays).toHaveLength(6);
    const paths = await s.handlers.heapPaths({ handle: item.handle, object: arrays[0]!.address!, k: 3 }, ctx());
    expect(paths.paths.length).toBeGreaterThan(0);
    expect(paths.paths[0]![0]!.root?.name).toBe('global main.pinned');

    const obj = await s.handlers.heapObject({ handle: item.handle, object: arrays[0]!.address! }, ctx());
    expect(obj.size).toBe(131072);
    const sites = await s.handlers.heapAllocSites({ handle: item.handle, count: 10 }, ctx());
    expect(sites.rows.some((x) => x.label.includes('main.loadBlob'))).toBe(true);

    // A profile query on a dump is a typed error, not a crash.
    await expect(s.handlers.top({ handle: item.handle }, ctx())).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('opens the dump without names when given the stripped binary', async () => {
    const s = service();
    const r = await s.handlers.openFiles({ paths: [join(FIXTURES, 'heap.dump')], exe: join(FIXTURES, 'leakyapp.stripped') }, ctx());
    const roots = await s.handlers.heapRoots({ handle: r.items[0]!.handle, count: 200 }, ctx());
    expect(roots.rows.some((x) => /^global @0x[0-9a-f]+/.test(x.name))).toBe(true);
    expect(roots.rows.some((x) => x.name === 'global main.sessionCache')).toBe(false);
  });
});

describe('recent files and native dialogs', () => {
  it('remembers opened paths newest first, not demo files or uploads, in the data folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hs-data-'));
    host = new AnalysisHost({ workerPath: WORKER_JS });
    const s = new ApiService(host, { version: 't', transport: 'http', dataDir });
    await s.handlers.openDemo({}, ctx());
    await s.handlers.openBytes({ name: 'up.pb.gz', bytes: new Uint8Array(readFileSync(join(FIXTURES, 'heap-1.pb.gz'))) }, ctx());
    expect(await s.handlers.recentFiles({}, ctx())).toEqual([]);
    await s.handlers.openFiles({ paths: [join(FIXTURES, 'heap-1.pb.gz')] }, ctx());
    await s.handlers.openFiles({ paths: [join(FIXTURES, 'goroutine.pb.gz')] }, ctx());
    await s.handlers.openFiles({ paths: [join(FIXTURES, 'heap-1.pb.gz')] }, ctx());
    const recent = await s.handlers.recentFiles({}, ctx());
    expect(recent.map((r) => r.name)).toEqual(['heap-1.pb.gz', 'goroutine.pb.gz']);
    expect(recent[1]!.profileKind).toBe('goroutine');
    expect(JSON.parse(readFileSync(join(dataDir, 'recent.json'), 'utf8'))).toHaveLength(2);
    // A fresh service (next launch) sees the same list.
    const s2 = new ApiService(host, { version: 't', transport: 'http', dataDir });
    expect((await s2.handlers.recentFiles({}, ctx())).map((r) => r.name)).toEqual(['heap-1.pb.gz', 'goroutine.pb.gz']);
  });

  it('says when there is no native file dialog (serve), and uses the host one when given', async () => {
    const s = service();
    expect((await s.handlers.appInfo({}, ctx())).canPickFiles).toBe(false);
    await expect(s.handlers.pickFiles({ purpose: 'open' }, ctx())).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    const s2 = new ApiService(host!, { version: 't', transport: 'ipc', pickFiles: async (p) => [`/picked/${p}`] });
    expect((await s2.handlers.appInfo({}, ctx())).canPickFiles).toBe(true);
    expect(await s2.handlers.pickFiles({ purpose: 'executable' }, ctx())).toEqual({ paths: ['/picked/executable'] });
  });
});

describe('attaching the binary to a loaded dump', () => {
  it('reloads the dump with names, keeping its handle', async () => {
    const s = service();
    const r = await s.handlers.openFiles({ paths: [join(FIXTURES, 'heap.dump')], exe: join(FIXTURES, 'leakyapp.stripped') }, ctx());
    const h = r.items[0]!.handle;
    const before = await s.handlers.heapRoots({ handle: h, count: 200 }, ctx());
    expect(before.rows.some((x) => x.name === 'global main.sessionCache')).toBe(false);
    const item = await s.handlers.attachExecutable({ handle: h, exe: join(FIXTURES, 'leakyapp') }, ctx());
    expect(item.handle).toBe(h);
    expect(item.heap?.exe).toBe(join(FIXTURES, 'leakyapp'));
    const after = await s.handlers.heapRoots({ handle: h, count: 200 }, ctx());
    expect(after.rows.some((x) => x.name === 'global main.sessionCache')).toBe(true);
    await expect(s.handlers.attachExecutable({ handle: h, exe: join(FIXTURES, 'heap-1.pb.gz') }, ctx())).rejects.toMatchObject({ code: 'BAD_FORMAT' });
  });
});

describe('live-service credentials', () => {
  it('keeps session credentials in memory only, saves chosen ones owner-only, and never returns them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hs-cred-'));
    host = new AnalysisHost({ workerPath: WORKER_JS });
    const s = new ApiService(host, { version: 't', transport: 'http', dataDir });
    const a = await s.handlers.setCredentials({ url: 'http://127.0.0.1:6060/debug/pprof/', auth: { kind: 'bearer', token: 'session-only' }, save: false }, ctx());
    expect(a.origin).toBe('http://127.0.0.1:6060');
    expect(existsSync(join(dataDir, 'credentials.json'))).toBe(false);
    await s.handlers.setCredentials({ url: '127.0.0.1:7070', auth: { kind: 'basic', username: 'u', password: 'p4ss' }, save: true }, ctx());
    const file = join(dataDir, 'credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain('session-only');
    const origins = await s.handlers.credentialOrigins({}, ctx());
    expect(origins.origins.sort()).toEqual(['http://127.0.0.1:6060', 'http://127.0.0.1:7070']);
    expect(JSON.stringify(origins)).not.toContain('p4ss');
    // Next launch: only the saved ones come back.
    const s2 = new ApiService(host, { version: 't', transport: 'http', dataDir });
    expect((await s2.handlers.credentialOrigins({}, ctx())).origins).toEqual(['http://127.0.0.1:7070']);
    await s2.handlers.forgetCredentials({ url: 'http://127.0.0.1:7070' }, ctx());
    expect(readFileSync(file, 'utf8')).not.toContain('p4ss');
    const s3 = new ApiService(host, { version: 't', transport: 'http', dataDir });
    expect((await s3.handlers.credentialOrigins({}, ctx())).origins).toEqual([]);
  });
});
