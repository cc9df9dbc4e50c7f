/**
 * A standard library allocation site (strings.Repeat's) called from two places of the program is
 * placed, for `check` and SARIF, at the caller that keeps the most: test/fixtures/modern/sharedsite
 * (built and run here with Go 1.19, 1.26 and 1.27) keeps 200 pages from main.heavy and then 10 from
 * main.light (reading the site's first stack, as before, named another caller). The root's finding
 * says so too: "mostly main.heavy via internal/bytealg.MakeNoZero (slice.go:437)".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeFindings, type Finding } from '../../../shared/findings';
import { allocatingFunction } from '../../../shared/findings/rules/heap';
import type { HeapAnalysis } from '../../../shared/heap';
import { buildLocationIndex, locateFinding } from '../../../shared/policy';
import { analyseDump, buildAndDump } from '../../helpers/godump';
import { ROOT } from '../compare/fixtures';
import { toolchainOrSkip, type GoVersion } from '../leakprofile/toolchains';

const PROGRAM = join(ROOT, 'test', 'fixtures', 'modern', 'sharedsite', 'go');
const SRC = readFileSync(join(PROGRAM, 'main.go'), 'utf8').split('\n');
const lineOf = (text: string): number => SRC.findIndex((l) => l.includes(text)) + 1;

for (const v of ['1.19', '1.26', '1.27'] as GoVersion[]) {
  const tc = toolchainOrSkip(v, 'a shared standard library site placed at its caller');
  describe.skipIf(!tc)(`go${v}: one standard library site, two callers`, () => {
    let analysis: HeapAnalysis;
    let finding: Finding;
    beforeAll(() => {
      const run = buildAndDump<{ goVersion: string }>(tc!, PROGRAM, 'sharedsite');
      expect(run.expected.goVersion).toContain(`go${v}`);
      const { analysis: a, read } = analyseDump(run);
      analysis = a;
      const r = computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis, read }]);
      finding = r.findings.find((f) => f.subject === 'global main.heavyPages')!;
      expect(finding).toBeDefined();
    }, 300_000);

    it('the pages are one site with two callers', () => {
      // The site both callers share: the standard library frame their pages were allocated at.
      const site = analysis.groupByAllocSite({ kind: 'reachable' }, 0, 1).rows[0]!;
      const byCaller = analysis.groupByAllocStack({ kind: 'allocSite', site: site.site }, allocatingFunction);
      const of = (fn: string) => byCaller.find((r) => r.key === fn)!;
      // main.heavy's pages (and at times a small object it allocated there on the way), main.light's pages.
      expect(of('main.heavy').bytes).toBeGreaterThanOrEqual(200 * 64 * 1024);
      expect(of('main.heavy').bytes).toBeLessThan(201 * 64 * 1024);
      expect(of('main.light').bytes).toBe(10 * 64 * 1024);
    });

    it("the root's finding says the program's function that allocated most, not only the site", () => {
      const site = analysis.groupByAllocSite({ kind: 'reachable' }, 0, 1).rows[0]!;
      expect(finding.title).toContain(`mostly main.heavy via ${site.label}`);
      expect(finding.evidence.biggestSiteCaller).toBe('main.heavy');
    });

    it('is placed at main.heavy, the caller that keeps 200 of its 210 pages', () => {
      const site = analysis.groupByAllocSite({ kind: 'reachable' }, 0, 1).rows[0]!;
      const ix = buildLocationIndex([{ name: 'heap.dump', kind: 'heapdump', analysis, read: () => new Uint8Array(0) }]);
      // A finding that names only the site (as a pinning finding's arraySite does).
      const f: Finding = { ...finding, link: { view: 'heap', dump: 'heap.dump' }, evidence: { arraySite: site.label } };
      // Go 1.19 writes the first frame's return address line: the line after the call.
      const line = lineOf("heavy's allocation");
      expect(locateFinding(ix, f)).toMatchObject({ function: 'main.heavy', file: expect.stringMatching(/main\.go$/) });
      expect([line, line + 1]).toContain(locateFinding(ix, f)!.line);
    });
  });
}
