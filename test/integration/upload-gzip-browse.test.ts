/**
 * Gzipped heap dumps (`.dump.gz`) open directly, streamed through gunzip into the same parser:
 * the same analysis as the plain dump, the same object contents, the binary found beside it, no
 * temporary copy. Path completion for "Open a file on this machine".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CallContext } from '../../shared/api/contract';
import { AnalysisHost } from '../../electron/services/analysis-host';
import { ApiService } from '../../electron/services/api-service';
import { completePath, expandPath } from '../../electron/services/upload/browse';
import { gunzipRange } from '../../electron/services/heapdump-gzip';
import { loadHeapDumpFile } from '../../electron/services/heapdump-loader';
import { openChunkedFile } from '../../electron/cli/io';
import { FIXTURES, WORKER_JS } from '../helpers/paths';

let host: AnalysisHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});
const ctx = (): CallContext => ({ callId: 'c', signal: new AbortController().signal, progress: () => undefined });

function gzDir(): { dir: string; gz: string; plain: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hs-gz-'));
  const plain = join(FIXTURES, 'heap.dump');
  const gz = join(dir, 'heap.dump.gz');
  writeFileSync(gz, gzipSync(readFileSync(plain), { level: 6 }));
  return { dir, gz, plain };
}

describe('gzipped heap dumps', () => {
  it('stream through gunzip to the same analysis as the plain dump (CLI loader)', () => {
    const { gz, plain } = gzDir();
    const exe = join(FIXTURES, 'leakyapp');
    const a = loadHeapDumpFile(openChunkedFile, plain, exe);
    const b = loadHeapDumpFile(openChunkedFile, gz, exe);
    expect(b.analysis.retainJson()).toEqual(a.analysis.retainJson());
    // Everything but how long each step took.
    const untimed = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'timings' || k === 'ms' ? undefined : v))) as unknown;
    expect(untimed(b.analysis.summary())).toEqual(untimed(a.analysis.summary()));
  });

  it('open in the app with the binary found beside them, and object contents read from the stream', async () => {
    const { dir, gz, plain } = gzDir();
    copyFileSync(join(FIXTURES, 'leakyapp'), join(dir, 'heap'));
    host = new AnalysisHost({ workerPath: WORKER_JS });
    const s = new ApiService(host, { version: 'test', transport: 'http' });
    const r = await s.handlers.openFiles({ paths: [gz, plain] }, ctx());
    expect(r.failures).toEqual([]);
    const [g, p] = r.items;
    expect(g!.kind).toBe('heapdump');
    expect(g!.totals).toEqual(p!.totals);
    // Globals are named from the binary beside the .dump.gz (heap.dump.gz → heap).
    const roots = await s.handlers.heapRoots({ handle: g!.handle, count: 20 }, ctx());
    expect(roots.rows.map((x) => x.name).join('\n')).toContain('global main.');
    // An object's bytes: the same through gunzip as from the plain file.
    const objs = await s.handlers.heapObjects({ handle: p!.handle, scope: { kind: 'reachable' }, count: 5 }, ctx());
    let compared = 0;
    for (const row of objs.rows) {
      if (row.address === null || compared === 3) continue;
      compared++;
      const x = await s.handlers.heapObject({ handle: p!.handle, object: row.address }, ctx());
      const y = await s.handlers.heapObject({ handle: g!.handle, object: row.address }, ctx());
      expect(y).toEqual(x);
    }
    expect(compared).toBe(3);
    // Nothing was written beside the file.
    expect(readdirSync(dir).sort()).toEqual(['heap', 'heap.dump.gz']);
  });

  it('reads any range of the uncompressed stream', () => {
    const { gz, plain } = gzDir();
    const raw = readFileSync(plain);
    const f = openChunkedFile(gz);
    try {
      for (const [o, l] of [
        [0, 16],
        [123_456, 1000],
        [raw.length - 10, 50],
      ] as const) {
        expect(Buffer.from(gunzipRange(f, gz, o, l))).toEqual(raw.subarray(o, o + l));
      }
    } finally {
      f.close();
    }
  });

  it('a corrupt gzip stream is a BAD_FORMAT error naming the file', () => {
    const { dir, gz } = gzDir();
    const bad = readFileSync(gz);
    bad.fill(0x55, 2000, 2100);
    const p = join(dir, 'bad.dump.gz');
    writeFileSync(p, bad);
    expect(() => loadHeapDumpFile(openChunkedFile, p)).toThrow(expect.objectContaining({ code: 'BAD_FORMAT', format: 'gzip', file: p }));
  });
});

describe('path completion (Open a file on this machine)', () => {
  it('lists folders first, then files with sizes, matching what follows the last separator', () => {
    const d = mkdtempSync(join(tmpdir(), 'hs-browse-'));
    mkdirSync(join(d, 'dumps'));
    mkdirSync(join(d, 'data'));
    writeFileSync(join(d, 'd.dump'), Buffer.alloc(1234));
    writeFileSync(join(d, 'other.txt'), 'x');
    writeFileSync(join(d, '.hidden'), 'x');
    symlinkSync(join(d, 'dumps'), join(d, 'dlink'));
    const all = completePath(d + sep);
    expect(all.dir).toBe(d + sep);
    expect(all.entries.map((e) => `${e.kind}:${e.name}`)).toEqual(['dir:data', 'dir:dlink', 'dir:dumps', 'file:d.dump', 'file:other.txt']);
    expect(all.entries.find((e) => e.name === 'd.dump')!.sizeBytes).toBe(1234);
    const d_ = completePath(join(d, 'd'));
    expect(d_.entries.map((e) => e.name)).toEqual(['data', 'dlink', 'dumps', 'd.dump']);
    expect(completePath(d + sep + '.').entries.map((e) => e.name)).toEqual(['.hidden']);
    expect(completePath('dumps', d).dir).toBe(d + sep);
  });

  it('says why a folder cannot be listed', () => {
    expect(() => completePath('/no/such/folder/x')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('no such folder') }));
    expect(expandPath('~/x')).toMatch(/\/x$/);
  });
});
