/** `heapscope diff` and `heapscope findings`: human output, errors, exit codes. */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GCTRACE, LEAKYAPP, SERIES, gunzipToTemp, haveExtra, haveLeakyapp, runCli } from '../compare/fixtures';

describe.skipIf(!haveLeakyapp)('heapscope diff', () => {
  it('prints a readable delta table with both sides', async () => {
    const r = await runCli(['diff', join(LEAKYAPP, 'heap-1.pb.gz'), join(LEAKYAPP, 'heap-3.pb.gz'), '--top', '3']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Base: {3}.*heap-1\.pb\.gz \(inuse_space, total /m);
    expect(r.out).toMatch(/^Mode: -diff_base \(percentages of the base total/m);
    const rows = r.out.split('\n').filter((l) => /main\.\w+$/.test(l));
    expect(rows.length).toBe(3);
    // The percentage is of the base total, as go tool pprof prints it (its golden beside the fixture).
    const golden = readFileSync(join(LEAKYAPP, 'diff_base', 'heap-1__heap-3.inuse_space.top.txt'), 'utf8');
    const pct = /^\s*\S+\s+(\d+\.\d+)%.*main\.loadBlob$/m.exec(golden)?.[1];
    expect(pct, 'pprof golden row for main.loadBlob').toBeDefined();
    expect(rows[0]).toMatch(new RegExp(`^\\s*\\+512kB\\s+${pct!.replace('.', '\\.')}%\\s+\\+512kB\\s+${pct!.replace('.', '\\.')}%\\s+256kB\\s+768kB\\s+main\\.loadBlob$`));
    expect(r.out).toMatch(/more rows \(--top\)/);
  });

  it('-base mode and sample index', async () => {
    const r = await runCli(['diff', join(LEAKYAPP, 'heap-1.pb.gz'), join(LEAKYAPP, 'heap-3.pb.gz'), '--mode', 'base', '--sample-index', 'alloc_space', '--json']);
    const j = JSON.parse(r.out) as { mode: string; sampleType: { type: string }; rows: Array<{ status: string }> };
    expect([j.mode, j.sampleType.type]).toEqual(['base', 'alloc_space']);
    expect(j.rows.every((x) => ['new', 'gone', 'both'].includes(x.status))).toBe(true);
  });

  it('fails with one line naming the file when the inputs cannot be compared', async () => {
    const a = await runCli(['diff', join(LEAKYAPP, 'heap-1.pb.gz'), join(LEAKYAPP, 'heap.dump')]);
    expect(a.code).toBe(1);
    expect(a.err).toMatch(/heap\.dump.*heap dump/);
    const b = await runCli(['diff', join(LEAKYAPP, 'heap-1.pb.gz'), join(LEAKYAPP, 'goroutine.pb.gz')]);
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/incompatible profiles/);
    const c = await runCli(['diff', join(LEAKYAPP, 'heap-1.pb.gz'), join(LEAKYAPP, 'nope.pb.gz')]);
    expect(c.code).toBe(1);
    expect(c.err).toMatch(/nope\.pb\.gz/);
    const d = await runCli(['diff', join(LEAKYAPP, 'heap-1.pb.gz'), join(LEAKYAPP, 'heap-3.pb.gz'), '--mode', 'sideways']);
    expect(d.code).not.toBe(0);
    expect(d.err).toMatch(/diff_base or base/);
  });
});

describe.skipIf(!haveExtra)('heapscope diff on heap dumps', () => {
  it('objects added, freed, alive; growth by site, root and dominator', async () => {
    const sym = gunzipToTemp(join(SERIES, 'series.sym.gz'));
    const r = await runCli(['diff', join(SERIES, 'grow-1.dump.gz'), join(SERIES, 'grow-2.dump.gz'), '--exe', sym, '--json']);
    expect(r.err).toBe('');
    const s = JSON.parse(r.out) as { added: { objects: number }; byRoot: Array<{ name: string; delta: number }> };
    expect(s.added.objects).toBeGreaterThan(20);
    expect(s.byRoot[0]!.name).toBe('global main.registry');
    const t = await runCli(['diff', join(SERIES, 'grow-1.dump.gz'), join(SERIES, 'grow-2.dump.gz'), '--exe', sym]);
    expect(t.out).toMatch(/^Added \d+ objects/m);
    expect(t.out).toMatch(/global main\.registry/);
  });
});

describe.skipIf(!haveExtra)('heapscope findings', () => {
  it('reads gctrace logs and gates CI on their severity', async () => {
    const leak = await runCli(['findings', join(GCTRACE, 'leak.txt'), '--fail-on', 'high']);
    expect(leak.code).toBe(3);
    expect(leak.out).toMatch(/gctrace log, \d+ GCs/);
    expect(leak.out).toMatch(/HIGH +live heap after GC keeps rising/);
    const steady = await runCli(['findings', join(GCTRACE, 'steady.txt'), '--fail-on', 'low']);
    expect(steady.code).toBe(0);
    expect(steady.out).toMatch(/No findings\./);
  });

  it('rejects a bad --fail-on and reports unreadable files', async () => {
    const bad = await runCli(['findings', join(GCTRACE, 'leak.txt'), '--fail-on', 'critical']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/low, medium or high/);
    const missing = await runCli(['findings', join(GCTRACE, 'missing.txt')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/missing\.txt/);
  });

  it.skipIf(!existsSync(join(SERIES, 'shrink-1.pb.gz')))('notes how the inputs were used', async () => {
    const r = await runCli(['findings', join(SERIES, 'shrink-3.pb.gz'), join(SERIES, 'shrink-1.pb.gz'), join(SERIES, 'shrink-2.pb.gz'), '--json']);
    const j = JSON.parse(r.out) as { findings: unknown[]; notes: string[] };
    expect(j.findings).toEqual([]);
    expect(j.notes[0]).toMatch(/heap profiles: 3 snapshots \(.*shrink-1\.pb\.gz → .*shrink-2\.pb\.gz → .*shrink-3\.pb\.gz\)/);
  });
});
