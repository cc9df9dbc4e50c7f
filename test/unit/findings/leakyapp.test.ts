/**
 * Acceptance 2: on leakyapp's snapshot series, goroutine profiles and heap dump, the top findings
 * name the growing allocation site, the piling goroutine stack with its count, the global map root
 * and the sub-slice pinning (what expected.json says the program leaked).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeFindings, severityRank, type Finding, type FindingsInput } from '../../../shared/findings';
import { GOROUTINE_PILEUP_MIN, SUSPECT_MIN_SHARE } from '../../../shared/findings/thresholds';
import { cachedDump, haveLeakyapp, LEAKYAPP, parsePprofTop, profile, runCli } from '../compare/fixtures';

interface Expected {
  perRound: Array<{ heapFile: string }>;
  sessionCache: { variable: string; function: string; totalValueBytes: number };
  workers: { function: string; count: number; waitReason: string; createdBy: string; totalBufferBytes: number };
  pinned: { variable: string; function: string; count: number; totalBackingArrayBytes: number; totalSubSliceBytes: number; subSliceOffset: number };
}

const PROFILES = ['heap-1.pb.gz', 'heap-2.pb.gz', 'heap-3.pb.gz', 'goroutine.pb.gz', 'goroutine.debug1.txt', 'goroutine.debug2.txt'];

function inputs(withReader = true): FindingsInput[] {
  const d = cachedDump(join(LEAKYAPP, 'heap.dump'), join(LEAKYAPP, 'leakyapp'));
  return [
    ...PROFILES.map((f): FindingsInput => ({ name: f, kind: 'profile', imported: profile(join(LEAKYAPP, f)) })),
    withReader ? { name: 'heap.dump', kind: 'heapdump', analysis: d.analysis, read: d.read } : { name: 'heap.dump', kind: 'heapdump', analysis: d.analysis },
  ];
}

function expectSorted(fs: Finding[]): void {
  for (let i = 1; i < fs.length; i++) {
    const a = fs[i - 1]!;
    const b = fs[i]!;
    expect(severityRank(a.severity) > severityRank(b.severity) || (a.severity === b.severity && a.size >= b.size), `${a.title} before ${b.title}`).toBe(true);
  }
}

describe.skipIf(!haveLeakyapp)('findings on leakyapp', () => {
  const exp = JSON.parse(readFileSync(join(LEAKYAPP, 'expected.json'), 'utf8')) as Expected;
  const report = computeFindings(inputs());
  const top = report.findings.slice(0, 8);
  const find = (kind: string, subject: string): Finding | undefined => top.find((f) => f.kind === kind && f.subject === subject);

  it('ranks by severity, then size', () => {
    expect(report.findings.length).toBeGreaterThanOrEqual(4);
    expectSorted(report.findings);
  });

  it('names the growing allocation sites, with the numbers per snapshot', () => {
    const heapFiles = exp.perRound.map((r) => r.heapFile);
    for (const fn of [exp.pinned.function, exp.sessionCache.function, exp.workers.function]) {
      const f = find('growing-alloc-site', fn);
      expect(f, fn).toBeDefined();
      expect(f!.severity).toBe('high');
      const want = heapFiles.map((h) => parsePprofTop(readFileSync(join(LEAKYAPP, `${h}.golden`, 'inuse_space.functions.top.txt'), 'utf8')).rows.find((r) => r.name === fn)!.flat);
      expect(f!.evidence.values).toEqual(want);
      expect(f!.evidence.growthBytes).toBe(want[2]! - want[0]!);
      expect(f!.evidence.monotonic).toBe(true);
      expect(f!.link).toEqual({ view: 'diff', base: heapFiles[0], target: heapFiles[2], sampleIndex: 'inuse_space', function: fn });
      expect(f!.title).toContain(fn);
    }
  });

  it('names the piling goroutine stack with its count and wait reason', () => {
    const f = top.find((x) => x.subject === exp.workers.function && (x.kind === 'goroutines-blocked' || x.kind === 'goroutine-pileup'));
    expect(f).toBeDefined();
    expect(f!.kind).toBe('goroutines-blocked');
    expect(f!.evidence.count).toBe(exp.workers.count);
    expect(f!.evidence.state).toBe(exp.workers.waitReason);
    expect(f!.evidence.createdBy).toBe(exp.workers.createdBy);
    expect(f!.evidence.retainedBytes as number).toBeGreaterThanOrEqual(exp.workers.totalBufferBytes);
    expect(f!.title).toContain(String(exp.workers.count));
    expect(f!.title).toContain(exp.workers.function);
    // Seen in the goroutine profiles and the heap dump: one finding.
    expect(report.findings.filter((x) => x.subject === exp.workers.function && x.kind.startsWith('gorout')).length).toBe(1);
    expect(f!.sources).toEqual(expect.arrayContaining(['heap.dump', 'goroutine.debug2.txt']));
    expect(exp.workers.count).toBeGreaterThanOrEqual(GOROUTINE_PILEUP_MIN);
  });

  it('names the global map root (a MAT suspect, with its accumulation point)', () => {
    const f = find('global-map', `global ${exp.sessionCache.variable}`);
    expect(f).toBeDefined();
    expect(f!.evidence.holdsMap).toBe(true);
    expect(f!.evidence.retainedBytes as number).toBeGreaterThanOrEqual(exp.sessionCache.totalValueBytes);
    expect(f!.evidence.shareOfReachable as number).toBeGreaterThanOrEqual(SUSPECT_MIN_SHARE);
    expect(f!.evidence.accumulationChildren as number).toBeGreaterThanOrEqual(100);
    expect(f!.link).toEqual({ view: 'heap', dump: 'heap.dump', root: `global ${exp.sessionCache.variable}` });
    expect(f!.title).toContain(exp.sessionCache.function);
    // The other big root keeps little but the arrays its sub-slices pin: the pinning finding says
    // it (why, and what to fix), not a second "global main.pinned alone keeps …".
    expect(find('retained-by-root', `global ${exp.pinned.variable}`)).toBeUndefined();
    const p = find('subslice-pinning', exp.pinned.function)!;
    expect(p.evidence.alsoFoundBy).toEqual(['retained-by-root']);
    expect(p.evidence.holderRetainedBytes as number).toBeGreaterThanOrEqual(exp.pinned.totalBackingArrayBytes);
    expect(p.evidence.wastedBytes as number).toBeGreaterThanOrEqual(0.5 * (p.evidence.holderRetainedBytes as number));
  });

  it('names the sub-slice pinning: arrays, what the sub-slices use, who holds them', () => {
    const f = find('subslice-pinning', exp.pinned.function);
    expect(f).toBeDefined();
    expect(f!.evidence.arrays).toBe(exp.pinned.count);
    expect(f!.evidence.arrayBytes).toBe(exp.pinned.totalBackingArrayBytes);
    expect(f!.evidence.usedBytes).toBe(exp.pinned.totalSubSliceBytes);
    expect(f!.evidence.wastedBytes).toBe(exp.pinned.totalBackingArrayBytes - exp.pinned.totalSubSliceBytes);
    expect(f!.evidence.holder).toBe(`global ${exp.pinned.variable}`);
    expect(f!.evidence.lengthsRead).toBe(true);
    expect(f!.evidence.pointerOffsets).toEqual(new Array(exp.pinned.count).fill(exp.pinned.subSliceOffset));
    expect(f!.severity).toBe('high');
  });

  it('without the dump bytes, still finds the pinning from the pointer offsets alone', () => {
    const r = computeFindings(inputs(false));
    const f = r.findings.find((x) => x.kind === 'subslice-pinning' && x.subject === exp.pinned.function)!;
    expect(f.evidence.lengthsRead).toBe(false);
    expect(f.evidence.wastedBytes).toBe(exp.pinned.count * exp.pinned.subSliceOffset);
  });

  it('the same through `heapscope findings --json`, and --fail-on exits 3', async () => {
    const files = [...PROFILES.map((f) => join(LEAKYAPP, f)), join(LEAKYAPP, 'heap.dump')];
    const run = await runCli(['findings', ...files, '--exe', join(LEAKYAPP, 'leakyapp'), '--json', '--fail-on', 'high']);
    expect(run.code).toBe(3);
    expect(run.err).toMatch(/at or above high/);
    const json = JSON.parse(run.out) as { findings: Finding[] };
    expect(json.findings.map((f) => [f.severity, f.kind, f.subject])).toEqual(report.findings.map((f) => [f.severity, f.kind, f.subject.replace(/^heap\.dump$/, join(LEAKYAPP, 'heap.dump'))]));
    for (const f of json.findings) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['severity', 'kind', 'title', 'subject', 'evidence']));
      for (const v of Object.values(f.evidence)) expect(['number', 'string', 'boolean', 'object']).toContain(typeof v);
    }
    const text = await runCli(['findings', ...files, '--exe', join(LEAKYAPP, 'leakyapp')]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^ 1\. HIGH /m);
    expect(text.out).toContain(`global map ${exp.sessionCache.variable}`);
  });
});
