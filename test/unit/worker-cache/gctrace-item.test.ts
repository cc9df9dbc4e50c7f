/**
 * A `GODEBUG=gctrace=1` log opened in the app (WorkerState): an item of its own kind (plain or
 * gzipped, a service's stderr with its own lines among the GCs'), its cycles for the GC trace view,
 * and in the findings, the memory accounting and the report like the CLI's inputs. It used to be
 * refused: "not a profile".
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzip } from '../../../electron/cli/io';
import { WorkerState } from '../../../electron/worker/state';
import { parseGcTrace } from '../../../shared/compare';
import { computeFindings, type FindingsReport } from '../../../shared/findings';
import { withThresholds } from '../../../shared/findings/thresholds';
import { NO_TASK } from '../../../shared/task';
import { GCTRACE } from '../compare/fixtures';

const LEAK = join(GCTRACE, 'leak.txt');

/** A service's stderr: its own log lines, a load that grows the live heap to 40 MB, then 30 min flat. */
function serviceLog(): string {
  const lines = ['2026/12/07 20:13:09 listening on 127.0.0.1:17126'];
  const live = [1, 3, 6, 10, 18, 24, 31, 39, 41, 41, 41, 41, 41, 41, 41, 41, 41, 41, 41, 41];
  live.forEach((mb, i) => {
    const at = i < 9 ? 1 + i * 0.2 : 120 * (i - 8);
    lines.push(`gc ${i + 1} @${at.toFixed(3)}s 0%: 0.06+3.7+0.008 ms clock, 0.12+1.5/1.1/2.2+0.016 ms cpu, ${mb + 2}->${mb + 2}->${mb} MB, ${2 * mb + 2} MB goal, 0 MB stacks, 0 MB globals, 2 P${i >= 9 ? ' (forced)' : ''}`);
    if (i % 4 === 0) lines.push(`2026/12/07 20:13:1${i % 10} GET /item/${i} 200`);
  });
  return `${lines.join('\n')}\n`;
}

describe('a gctrace log in the app', () => {
  const dir = mkdtempSync(join(tmpdir(), 'heapscope-gctrace-'));
  const state = new WorkerState({ gunzip });
  const open = (name: string, path: string) => state.loadPath(name, path, path, undefined, () => new Uint8Array(readFileSync(path)), NO_TASK);

  it('opens as a gctrace item: cycles, live heap first and last; gzipped too', () => {
    const it1 = open('leak.txt', LEAK);
    const t = parseGcTrace(readFileSync(LEAK));
    expect(it1.kind).toBe('gctrace');
    expect(it1.format).toBe('gctrace');
    expect(it1.gctrace).toMatchObject({ cycles: t.cycles.length, firstGc: 1, lastGc: t.cycles.at(-1)!.gc, lastLiveBytes: t.cycles.at(-1)!.liveMB * 1048576 });
    expect(it1.totals).toEqual([t.cycles.at(-1)!.liveMB * 1048576, t.cycles.length]);
    expect(state.gcTrace(it1.handle)).toEqual(t);
    const gz = join(dir, 'leak.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(LEAK)));
    const it2 = open('leak.log.gz', gz);
    expect(it2.kind).toBe('gctrace');
    expect(it2.sizeBytes).toBe(readFileSync(gz).length);
    expect(state.gcTrace(it2.handle).cycles).toEqual(t.cycles);
    // Bytes (a browser's drop), gzipped.
    const it3 = state.load('leak.log.gz', 'drop', new Uint8Array(gzipSync(readFileSync(LEAK))), NO_TASK);
    expect(it3.kind).toBe('gctrace');
    expect(state.gcTrace(it3.handle).cycles).toEqual(t.cycles);
  });

  it('is in the findings (linked to its view), the memory accounting and the report', () => {
    const it1 = open('leak.txt', LEAK);
    const r = state.multiQuery('findings', { handles: [it1.handle] }, NO_TASK) as FindingsReport;
    const f = r.findings.find((x) => x.kind === 'live-heap-growth');
    expect(f?.link).toEqual({ view: 'gctrace', file: 'leak.txt' });
    const m = state.multiQuery('memory', { handles: [it1.handle] }, NO_TASK) as { accounts: Array<{ account: { source: string; file: string } }> };
    expect(m.accounts.map((a) => `${a.account.source} ${a.account.file}`)).toEqual(['gctrace leak.txt']);
    const rep = state.exportReport({ handles: [it1.handle], version: '0.0.0' }, NO_TASK);
    expect(rep.html).toContain('leak.txt');
    expect(rep.html).toMatch(/live heap after GC keeps rising/);
  });

  it('is no profile and no heap dump: those queries say what it is', () => {
    const it1 = open('leak.txt', LEAK);
    expect(() => state.top({ handle: it1.handle }, NO_TASK)).toThrow('leak.txt is a gctrace log, not a profile');
    expect(() => state.heapQuery('heapSummary', { handle: it1.handle })).toThrow('leak.txt is a gctrace log, not a heap dump');
    const p = open('heap', join(GCTRACE, '..', '..', '..', 'out', 'go1.19', 'leakyapp', 'heap-1.pb.gz'));
    expect(() => state.gcTrace(p.handle)).toThrow('heap is a profile, not a gctrace log');
  });

  it("a service's log that rose then held: the finding says it stopped rising and nothing freed it", () => {
    const path = join(dir, 'service.log');
    writeFileSync(path, serviceLog());
    const it1 = open('service.log', path);
    expect(it1.gctrace?.cycles).toBe(20);
    const f = (state.multiQuery('findings', { handles: [it1.handle] }, NO_TASK) as FindingsReport).findings.find((x) => x.kind === 'live-heap-growth')!;
    expect(f.title).toMatch(/^live heap after GC rose 1 MiB → 41 MiB by gc 8 \(2 s in, [\d.]+ MiB\/s\) and stayed there through gc 20 \(22 min more\): nothing freed it/);
    expect(f.evidence).toMatchObject({ plateauFromGc: 8 });
    // The plateau's length is a threshold a policy can set: 13 cycles within 5% (gc 8 to 20) are no plateau at 14.
    const series = parseGcTrace(serviceLog());
    const strict = withThresholds({ GCTRACE_PLATEAU_MIN_CYCLES: 14 }, () => computeFindings([{ name: 'service.log', kind: 'gctrace', series }]));
    const g = strict.findings.find((x) => x.kind === 'live-heap-growth')!;
    expect(g.title).toMatch(/^live heap after GC keeps rising/);
    expect(g.evidence).not.toHaveProperty('plateauFromGc');
    const loose = withThresholds({ GCTRACE_PLATEAU_MIN_CYCLES: 13 }, () => computeFindings([{ name: 'service.log', kind: 'gctrace', series }]));
    expect(loose.findings.find((x) => x.kind === 'live-heap-growth')!.evidence).toMatchObject({ plateauFromGc: 8 });
  });
});
