import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
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
