/**
 * `heapscope top`: JSON shape and values, pprof-like text table, errors as one line with exit
 * code 1. Runs the command in-process with an injected CliIO.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTop } from './cli-runner';
import { parsePprofTop, rowKeys } from './golden';
import { LEAKYAPP } from './helpers';

const run = runTop;

afterEach(() => {
  process.exitCode = undefined;
});

const HEAP = join(LEAKYAPP, 'heap-3.pb.gz');

describe.skipIf(!existsSync(HEAP))('heapscope top', () => {
  it('--json prints every row with raw values, equal to go tool pprof', async () => {
    const r = await run(['top', HEAP, '--sample-index', 'inuse_space', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { file: string; format: string; sampleType: { type: string; unit: string }; total: number; rows: Array<{ name: string; flat: number; cum: number }> };
    expect(Object.keys(j)).toEqual(['file', 'format', 'sampleType', 'total', 'rows']);
    expect(j.file).toBe(HEAP);
    expect(j.format).toBe('pprof');
    expect(j.sampleType).toEqual({ type: 'inuse_space', unit: 'bytes' });
    const gold = parsePprofTop(readFileSync(join(LEAKYAPP, 'heap-3.pb.gz.golden', 'inuse_space.functions.top.txt'), 'utf8'));
    expect(j.total).toBe(gold.total);
    expect(rowKeys(j.rows)).toEqual(rowKeys(gold.rows));
    for (let i = 1; i < j.rows.length; i++) expect(j.rows[i - 1]!.flat).toBeGreaterThanOrEqual(j.rows[i]!.flat);
  });

  it('honours granularity and filters', async () => {
    const r = await run(['top', HEAP, '--granularity', 'lines', '--focus', 'main\\.', '--hide', 'runtime', '--tag-focus', 'bytes=1kb:', '--json']);
    const j = JSON.parse(r.out) as { rows: Array<{ name: string }> };
    expect(j.rows.length).toBeGreaterThan(0);
    for (const row of j.rows) expect(row.name).toMatch(/^\S+ \S+:\d+$/);
  });

  it('prints a pprof-like table without --json', async () => {
    const r = await run(['top', HEAP]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines).toContain('Type: inuse_space');
    expect(r.out).toMatch(/Showing nodes accounting for \S+, 100% of \S+ total/);
    expect(r.out).toMatch(/^\s+flat\s+flat%\s+sum%\s+cum\s+cum%$/m);
    expect(r.out).toMatch(/main\.loadBlob/);
  });
});

describe('heapscope top errors', () => {
  it('prints one line naming the file, format and offset, with exit code 1', async () => {
    const r = await run(['top', 'bad.pb'], { 'bad.pb': Uint8Array.of(0x0a, 0x05, 0x08) });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^heapscope: bad\.pb: .*\(as pprof, at byte \d+\)\n$/);
  });

  it('reports text-format errors with the line', async () => {
    const r = await run(['top', 'h.txt'], { 'h.txt': new TextEncoder().encode('heap profile: 1: 1 [1: 1] @ heap/1\nnonsense\n') });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/h\.txt: .*\(as heap-debug1, at line 2\)/);
  });

  it('reports an unknown sample type and a missing file', async () => {
    const enc = new TextEncoder().encode('goroutine profile: total 1\n1 @ 0x2\n#\t0x1\tmain.f+0x1\t/a.go:1\n');
    const r = await run(['top', 'g.txt', '--sample-index', 'nope'], { 'g.txt': enc });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/g\.txt: sample index "nope" must be one of/);
    const m = await run(['top', '/no/such/file.pb.gz']);
    expect(m.code).toBe(1);
    expect(m.err).toMatch(/\/no\/such\/file\.pb\.gz/);
  });
});
