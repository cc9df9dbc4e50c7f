import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { CallContext } from '../../shared/api/contract';
import { AnalysisHost } from '../../electron/services/analysis-host';
import { ApiService } from '../../electron/services/api-service';
import { FIXTURES, WORKER_JS } from '../helpers/paths';

const ctx: CallContext = { callId: 'c', signal: new AbortController().signal, progress: () => undefined };
let host: AnalysisHost;
let s: ApiService;
const h: Record<string, string> = {};

beforeAll(async () => {
  host = new AnalysisHost({ workerPath: WORKER_JS });
  s = new ApiService(host, { version: 't', transport: 'http' });
  const names = ['heap-1.pb.gz', 'heap-2.pb.gz', 'heap-3.pb.gz', 'goroutine.pb.gz', 'goroutine.debug2.txt', 'heap.dump'];
  const r = await s.handlers.openFiles({ paths: names.map((n) => join(FIXTURES, n)) }, ctx);
  expect(r.failures).toEqual([]);
  for (const i of r.items) h[i.name] = i.handle;
});
afterAll(async () => host.close());

describe('comparisons, series and findings through the API (real worker, real fixtures)', () => {
  it('diffs two heap profiles like pprof -diff_base', async () => {
    const d = await s.handlers.compareTop({ base: h['heap-1.pb.gz']!, target: h['heap-3.pb.gz']!, sampleIndex: 'inuse_space' }, ctx);
    const blob = d.rows.find((r) => r.name === 'main.loadBlob')!;
    expect(blob.flat).toBe(786432 - 262144);
    expect(d.total).toBe(d.baseTotal);
    const same = await s.handlers.compareTop({ base: h['heap-3.pb.gz']!, target: h['heap-3.pb.gz']!, sampleIndex: 'inuse_space' }, ctx);
    expect(same.rows.every((r) => r.flat === 0 && r.cum === 0)).toBe(true);
  });

  it('gives a differential flame tree and aligned side-by-side rows', async () => {
    const f = await s.handlers.compareFlame({ base: h['heap-1.pb.gz']!, target: h['heap-3.pb.gz']! }, ctx);
    expect(f.root.children.length).toBeGreaterThan(0);
    const sbs = await s.handlers.compareSideBySide({ base: h['heap-1.pb.gz']!, target: h['heap-3.pb.gz']! }, ctx);
    expect(sbs.rows.some((r) => r.name === 'main.loadBlob' && r.target > r.base)).toBe(true);
  });

  it('compares goroutines by stack, and refuses a heap profile as goroutines', async () => {
    const g = await s.handlers.compareGoroutines({ base: h['goroutine.pb.gz']!, target: h['goroutine.debug2.txt']! }, ctx);
    expect(g.target.total).toBeGreaterThanOrEqual(30);
    await expect(s.handlers.compareGoroutines({ base: h['heap-1.pb.gz']!, target: h['heap-3.pb.gz']! }, ctx)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('follows a series of three heap snapshots', async () => {
    const r = await s.handlers.series({ handles: [h['heap-1.pb.gz']!, h['heap-2.pb.gz']!, h['heap-3.pb.gz']!], sampleIndex: 'inuse_space' }, ctx);
    if (r.kind !== 'profiles') throw new Error(`expected a profile series, got ${r.kind}`);
    const blob = r.trends.find((t) => t.key === 'main.loadBlob' || t.label === 'main.loadBlob')!;
    expect(blob.monotonic).toBe(true);
    expect(blob.values).toEqual([262144, 524288, 786432]);
  });

  it('ranks findings over the whole workspace: the known leaks', async () => {
    const r = await s.handlers.findings({}, ctx);
    const text = r.findings.map((f) => `${f.kind} ${f.subject} ${f.title}`).join('\n');
    expect(text).toMatch(/main\.sessionCache/);
    expect(text).toMatch(/main\.worker/);
    expect(text).toMatch(/main\.loadBlob|main\.pinned/);
    expect(r.findings.some((f) => f.kind === 'subslice-pinning')).toBe(true);
  });
});

describe('exporting the report through the API', () => {
  it('returns a self-contained document for download, and writes a file atomically', async () => {
    const d = await s.handlers.exportReport({ destination: 'download', title: 'Leak hunt <b>1</b>' }, ctx);
    expect(d.path).toBeNull();
    expect(d.html).toContain('Content-Security-Policy');
    expect(d.html).not.toContain('<b>1</b>');
    expect(d.sizeBytes).toBe(Buffer.byteLength(d.html!, 'utf8'));
    const f = await s.handlers.exportReport({ destination: 'file', handles: [h['heap-1.pb.gz']!, h['heap-3.pb.gz']!] }, ctx);
    expect(f.path).toMatch(/heapscope-report-.*\.html$/);
    expect(readFileSync(f.path!, 'utf8')).toContain('heap-3.pb.gz');
  });
});
