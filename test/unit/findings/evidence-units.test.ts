/**
 * Evidence labels never contradict their values: "longest wait minutes: 1 s" cannot happen. Every
 * evidence number of real findings (the committed leakyapp run, the gctrace and patterns outputs,
 * the matrix where present) and of edge values (a 1-second wait, a 300-minute one, per-GC slopes)
 * is shown by the app's findings panel and by the HTML report (both through
 * renderer/src/findings/evidence.ts) with a label free of unit words and a value in the key's unit.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../shared/findings/types';
import { evidenceLabel } from '../../../shared/findings/labels';
import { evidenceRows } from '../../../renderer/src/findings/evidence';
import { evidenceRows as reportRows } from '../../../renderer/report/format';
import { matrixRuns } from '../../helpers/matrix';
import { EXTRA, haveLeakyapp, LEAKYAPP, runCli } from '../compare/fixtures';

const UNIT_WORD = /(?<!per )\b(?:bytes?|minutes?|seconds?|nanos|nanoseconds|ns|ms)\b/i;
const TIME = /^[<±+−-]?\s?\d[\d.,]*\s?(?:ns|µs|ms|s|min|h)$/;
const BYTES = /^[±+−-]?\d[\d.,]*\s?(?:B|KiB|MiB|GiB|TiB|kB|MB|GB|TB)(?:\/s| per GC| per snapshot| \/ snapshot)?$/;

/** The unit the value has to be in, from its key. */
function expectedUnit(key: string): 'time' | 'bytes' | 'share' | null {
  if (/minutes$/i.test(key) || /[a-z]Ns$/.test(key)) return 'time';
  if (/share/i.test(key)) return 'share';
  if (/bytes/i.test(key)) return 'bytes';
  return null;
}

function checkRow(where: string, key: string, label: string, value: string): void {
  expect(label, `${where} ${key}: label names a unit`).not.toMatch(UNIT_WORD);
  const u = expectedUnit(key);
  if (u === 'time') expect(value, `${where} ${key} = ${value}`).toMatch(TIME.test(value) ? TIME : /^< 1 min$/);
  if (u === 'bytes') expect(value, `${where} ${key} = ${value}`).toMatch(BYTES);
  if (u === 'share') expect(value, `${where} ${key} = ${value}`).toMatch(/%$/);
  if (/(?:^|[a-z])seconds$/i.test(key) && !/perSecond/i.test(key)) expect(value, `${where} ${key}`).toMatch(/\d s$/);
  if (/perGc$/i.test(key)) expect(value, `${where} ${key}`).toMatch(/per GC$/);
  if (/perSecond$/i.test(key)) expect(value, `${where} ${key}`).toMatch(/\/s$/);
}

function checkFinding(f: Finding): number {
  let n = 0;
  const rows = evidenceRows(f);
  for (const r of rows) {
    if (typeof r.value !== 'string') continue;
    const v = f.evidence[r.key];
    if (typeof v !== 'number') continue;
    checkRow(`app ${f.kind}`, r.key, r.label, r.value);
    n++;
  }
  return n;
}

/** A number's text as the panel and the report show it. */
function shown(f: Finding, key: string): string {
  const r = evidenceRows(f).find((x) => x.key === key);
  if (!r || typeof r.value !== 'string') throw new Error(`no row ${key}`);
  return r.value;
}

async function findingsOf(files: string[], exe?: string): Promise<Finding[]> {
  const r = await runCli(['findings', ...files, ...(exe ? ['--exe', exe] : []), '--json']);
  if (r.code !== 0 && r.code !== 3) throw new Error(r.err);
  return (JSON.parse(r.out) as { findings: Finding[] }).findings;
}

describe('evidence labels match their values', () => {
  it('the bug: a one-second wait is not "minutes"', () => {
    const f: Finding = {
      severity: 'high',
      kind: 'goroutines-blocked',
      title: 't',
      subject: 'main.worker',
      evidence: { count: 20, longestWaitMinutes: 1 / 60 },
      link: { view: 'goroutines', file: 'g.txt' },
      size: 1,
      sources: ['g.txt'],
    } as Finding;
    expect(shown(f, 'longestWaitMinutes')).toBe('1 s');
    // A debug=2 dump's 0: under a minute, not "0 s".
    expect(shown({ ...f, evidence: { longestWaitMinutes: 0 } }, 'longestWaitMinutes')).toBe('< 1 min');
    // The report shows the panel's rows: one formatter.
    expect(reportRows).toBe(evidenceRows);
    expect(evidenceLabel('longestWaitMinutes')).toBe('Longest wait');
    checkFinding(f);
  });

  it('edge values: long waits, per-GC and per-second slopes, unknown keys', () => {
    const f = {
      severity: 'medium',
      kind: 'live-heap-growth',
      title: 't',
      subject: 's',
      evidence: { longestWaitMinutes: 300, waitMinutes: 12.6, slopeBytesPerGc: 123456, slopeBytesPerSecond: 2048, someNewBytes: 4096, somethingMinutes: 0.5, steadyShare: 0.9, plateauSeconds: 2182.863, plateauFromGc: 8 },
      link: { view: 'gctrace', file: 'gc.log' },
      size: 1,
      sources: ['gc.log'],
    } as unknown as Finding;
    expect(checkFinding(f)).toBe(9);
    expect(evidenceRows(f).find((r) => r.key === 'plateauSeconds')!.value).toBe('2,182.863 s');
    expect(shown(f, 'longestWaitMinutes')).toBe('5 h');
    expect(shown(f, 'somethingMinutes')).toBe('30 s');
    expect(evidenceLabel('someNewBytes')).toBe('Some new');
    // Durations in nanoseconds (a database/sql pool's total wait): "17705675764" was shown.
    expect(shown({ ...f, evidence: { waitDurationNs: 17705675764 } }, 'waitDurationNs')).toBe('17.7 s');
    expect(shown({ ...f, evidence: { waitDurationNs: 2_500_000 } }, 'waitDurationNs')).toBe('2.50 ms');
  });

  it.skipIf(!haveLeakyapp)('every number of the findings on real outputs', async () => {
    const sets: Finding[][] = [];
    sets.push(await findingsOf(['heap-1.pb.gz', 'heap-2.pb.gz', 'heap-3.pb.gz', 'goroutine.debug2.txt', 'goroutine.pb.gz', 'heap.dump'].map((x) => join(LEAKYAPP, x)), join(LEAKYAPP, 'leakyapp')));
    for (const sub of ['gctrace', 'patterns']) {
      const dir = join(EXTRA, sub);
      if (!existsSync(dir)) continue;
      const files = readdirSync(dir).filter((x) => /\.(log|txt|pb\.gz|dump)$/.test(x) && !x.endsWith('.golden')).map((x) => join(dir, x));
      if (files.length) sets.push(await findingsOf(files));
    }
    for (const run of matrixRuns().filter((r) => r.program === 'modern')) {
      const f = (x: string) => join(run.dir, x);
      sets.push(await findingsOf([f('goroutineleak.debug2.txt'), f('goroutine.debug2.txt'), f('gctrace.txt')].filter((x) => existsSync(x))));
    }
    const all = sets.flat();
    const kinds = new Set(all.map((f) => f.kind));
    expect(kinds.size).toBeGreaterThanOrEqual(4);
    let n = 0;
    for (const f of all) n += checkFinding(f);
    expect(n).toBeGreaterThan(50);
  });
});
