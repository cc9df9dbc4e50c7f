/**
 * Contexts never cancelled (rules/contexts.ts), on test/fixtures/modern/contexts built and run here
 * with Go 1.19, 1.26 and 1.27 and read with each binary's DWARF types:
 * - 150 jobs under the context in global main.base keep their cancel funcs in main.job.cancel;
 * - 120 requests under the context main.serve's goroutine holds have a one-hour timeout and their
 *   cancel funcs dropped: their timers hold the only funcs that cancel them;
 * - main.tidy's 200 children were cancelled, main.few has 5: no finding for either.
 * And the Go 1.23+ runtime's time.Timer objects (runtime.timeTimer) are one Timer each.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeFindings, type Finding } from '../../../shared/findings';
import { withThresholds } from '../../../shared/findings/thresholds';
import type { HeapAnalysis } from '../../../shared/heap/index';
import { analyseDump, buildAndDump } from '../../helpers/godump';
import { ROOT } from '../compare/fixtures';
import { toolchainOrSkip, type GoVersion } from '../leakprofile/toolchains';

const PROGRAM = join(ROOT, 'test', 'fixtures', 'modern', 'contexts', 'go');

for (const v of ['1.19', '1.26', '1.27'] as GoVersion[]) {
  const tc = toolchainOrSkip(v, 'contexts');
  describe.skipIf(!tc)(`go${v}: contexts never cancelled`, () => {
    let a: HeapAnalysis;
    let bare: HeapAnalysis;
    let read: (o: number, n: number) => Uint8Array;
    let exp: { goVersion: string; jobs: number; requests: number };
    const contexts = (x: HeapAnalysis, r = read): Finding[] => computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis: x, read: r }]).findings.filter((f) => f.kind === 'context-not-cancelled');
    beforeAll(() => {
      const run = buildAndDump<typeof exp>(tc!, PROGRAM, 'contexts');
      exp = run.expected;
      ({ analysis: a, read } = analyseDump(run));
      bare = analyseDump(run, null).analysis;
    }, 300_000);

    it('is the program built with that Go', () => {
      expect(exp.goVersion).toContain(`go${v}`);
      expect(a.summary().goVersion).toContain(`go${v}`);
    });

    it('names the parent by its root, counts its children from its map, and says who keeps their cancel funcs', () => {
      const fs = contexts(a);
      expect(fs).toHaveLength(2);
      const jobs = fs.find((f) => f.subject === 'context in global main.base')!;
      expect(fs.find((f) => f !== jobs)?.subject).toMatch(/^context in goroutine \d+ .*main\.serve$/);
      expect(jobs.evidence).toMatchObject({ children: exp.jobs, childrenFound: exp.jobs, cancelFuncsDropped: 0, withDeadline: 0, cancelFuncHolders: [`main.job.cancel: ${exp.jobs}`] });
      expect(jobs.title).toMatch(new RegExp(`^${exp.jobs} contexts derived from the context in global main\\.base were not cancelled: .*kept by main\\.job\\.cancel \\(${exp.jobs}\\) and never called`));
      const requests = fs.find((f) => f !== jobs)!;
      expect(requests.evidence).toMatchObject({ children: exp.requests, childrenFound: exp.requests, cancelFuncsDropped: exp.requests, withDeadline: exp.requests, cancelFuncHolders: [] });
      expect(requests.title).toMatch(/cancel funcs were dropped without being called; all of them have a deadline/);
      expect(requests.link).toMatchObject({ view: 'heap', dump: 'heap.dump', object: requests.evidence.parent });
    });

    it('a parent under the threshold is found when a policy lowers it; cancelled children are gone from their map', () => {
      const low = withThresholds({ CONTEXT_CHILDREN_MIN: 5 }, () => contexts(a));
      expect(low.map((f) => f.subject)).toContain('context in global main.few');
      expect(low.map((f) => f.subject)).not.toContain('context in global main.tidy');
    });

    it('needs the binary and the dump: without either, no finding', () => {
      expect(contexts(bare)).toEqual([]);
      expect(computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis: a }]).findings.filter((f) => f.kind === 'context-not-cancelled')).toEqual([]);
    });

    it("a global of interface type types its object by the type word beside its pointer (the dump's data segment)", () => {
      const g = a.graph;
      for (const name of ['global main.tidy', 'global main.few']) {
        const r = g.roots.findIndex((x) => x.name === name) + 1;
        expect(r, name).toBeGreaterThan(0);
        const targets = Array.from(g.fwd.targets.subarray(g.fwd.start[r]!, g.fwd.start[r + 1]!));
        expect(targets.map((v) => a.typeName(v)), name).toContain('context.cancelCtx');
      }
    });

    it("an object only a goroutine's interface local holds is typed by the type word in its frame (a split interface's too)", () => {
      expect(a.typeRows().find((r) => r.name === 'main.requestLog')?.count).toBe(1);
    });

    it('time.Timer objects are one Timer each, not [N]time.Timer (Go 1.23+ allocates them as runtime.timeTimer)', () => {
      const rows = a.typeRows();
      expect(rows.filter((r) => /^\[\d+\]time\.Timer$/.test(r.name))).toEqual([]);
      expect(rows.find((r) => r.name === 'time.Timer')?.count).toBeGreaterThanOrEqual(exp.requests);
    });
  });
}
