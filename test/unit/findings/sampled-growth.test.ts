/**
 * Heap dumps at the default MemProfileRate (test/fixtures/modern/sampledgrowth, built and run here
 * with Go 1.19, 1.26 and 1.27): only some objects carry an allocation sample, and which ones
 * changes between dumps.
 * - The same 300 pages with other samples are no "growing allocation site": a change of sampled
 *   objects within its sampling noise says nothing (it was a LOW finding on a trial service).
 * - Growth is by the program's function that allocated (main.grow), not the standard library leaf
 *   every strings.Repeat caller shares (internal/bytealg.MakeNoZero), and its title says the bytes
 *   are its sampled objects'.
 * - A map's "filled by" is read from the stacks of the objects it keeps: main.kept is filled by
 *   main.render even where the shared site's first stack is main.grow's; check places it there.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeFindings, type Finding, type FindingsInput } from '../../../shared/findings';
import { samplesMovedByChance, withinSamplingNoise } from '../../../shared/findings/engine';
import { allocatingFunction } from '../../../shared/findings/rules/heap';
import { buildLocationIndex, locateFinding } from '../../../shared/policy';
import { importProfile } from '../../../shared/profile';
import { analyseDump, buildAndDump, type GoDump } from '../../helpers/godump';
import { ROOT } from '../compare/fixtures';
import { toolchainOrSkip, type GoVersion } from '../leakprofile/toolchains';

const PROGRAM = join(ROOT, 'test', 'fixtures', 'modern', 'sampledgrowth', 'go');
type Expected = { goVersion: string; pages: number; pageSize: number; stable: number };

describe('sampling noise', () => {
  it('a change within three standard deviations of the sampled count is noise', () => {
    expect(withinSamplingNoise(40, 48)).toBe(true);
    expect(withinSamplingNoise(40, 60)).toBe(true);
    expect(withinSamplingNoise(0, 9)).toBe(true);
    expect(withinSamplingNoise(0, 10)).toBe(false);
    expect(withinSamplingNoise(200, 400)).toBe(false);
  });

  it('only when the objects weigh the same: one slice that grew from 1 to 100 MiB grew', () => {
    const KiB = 1024;
    expect(samplesMovedByChance({ objects: 40, bytes: 40 * 64 * KiB }, { objects: 48, bytes: 48 * 64 * KiB })).toBe(true);
    expect(samplesMovedByChance({ objects: 1, bytes: 1024 * KiB }, { objects: 1, bytes: 100 * 1024 * KiB })).toBe(false);
    expect(samplesMovedByChance(undefined, { objects: 3, bytes: 3 * 64 * KiB })).toBe(true);
    expect(samplesMovedByChance({ objects: 200, bytes: 1 }, { objects: 400, bytes: 2 })).toBe(false);
  });
});

for (const v of ['1.19', '1.26', '1.27'] as GoVersion[]) {
  const tc = toolchainOrSkip(v, 'sampled heap dump growth');
  describe.skipIf(!tc)(`go${v}: growth across sampled heap dumps`, () => {
    let exp: Expected;
    let inputs: FindingsInput[];
    let dir: string;
    const findings = (k: number[]): Finding[] => computeFindings(k.map((i) => inputs[i]!)).findings;
    beforeAll(() => {
      const run = buildAndDump<Expected>(tc!, PROGRAM, 'sampledgrowth');
      exp = run.expected;
      dir = run.dir;
      inputs = Array.from({ length: exp.stable + 1 }, (_, k) => k + 1).map((n) => {
        const one: GoDump<unknown> = { ...run, dump: join(run.dir, `heap-${n}.dump`) };
        const { analysis, read } = analyseDump(one);
        return { name: `heap-${n}.dump`, kind: 'heapdump', analysis, read };
      });
    }, 300_000);

    it('is the program built with that Go', () => {
      expect(exp.goVersion).toContain(`go${v}`);
    });

    it('the same pages with other samples: no growing allocation site', (ctx) => {
      // Which pages carry a sample is chance: each pair of consecutive dumps of the same pages is
      // checked where its sampled pages rose within the noise (without the rule's guard, a rise of
      // more than one page is a finding). A run where no pair rose has nothing to check.
      const sampled = (i: number) => (inputs[i] as Extract<FindingsInput, { kind: 'heapdump' }>).analysis.groupByAllocStack({ kind: 'reachable' }, allocatingFunction).find((r) => r.key === 'main.render')?.objects ?? 0;
      let checked = 0;
      for (let i = 0; i + 1 < exp.stable; i++) {
        const [n1, n2] = [sampled(i), sampled(i + 1)];
        if (n2 <= n1 + 1 || !withinSamplingNoise(n1, n2)) continue;
        checked++;
        expect(findings([i, i + 1]).filter((f) => f.kind === 'growing-alloc-site').map((f) => `${f.title} (${n1} → ${n2} sampled)`)).toEqual([]);
      }
      if (checked === 0) {
        console.warn(`SKIPPED go${v} sampling-noise check: no pair of the ${exp.stable} dumps rose within the noise in this run`);
        ctx.skip();
      }
    });

    it("growth is the program's function's, of its sampled objects; each map is filled by its own function", () => {
      const fs = findings([exp.stable - 1, exp.stable]);
      const grow = fs.find((f) => f.kind === 'growing-alloc-site')!;
      expect(grow?.subject).toBe('main.grow');
      expect(grow.title).toMatch(/^main\.grow: in-use memory of its sampled objects grew /);
      expect(grow.evidence.sampledObjectsOnly).toBe(true);
      const map = (name: string) => fs.find((f) => f.kind === 'global-map' && f.subject === `global ${name}`)!;
      expect(map('main.kept').evidence.filledBy).toBe('main.render');
      expect(map('main.grown').evidence.filledBy).toBe('main.grow');
      const src = readFileSync(join(PROGRAM, 'main.go'), 'utf8').split('\n');
      const lineOf = (text: string) => src.findIndex((l) => l.includes(text)) + 1;
      const ix = buildLocationIndex([inputs[exp.stable - 1]!, inputs[exp.stable]!]);
      expect(locateFinding(ix, map('main.kept'))?.line).toBe(lineOf('func render('));
      expect(locateFinding(ix, grow)?.line).toBe(lineOf('func grow('));
    });

    it("heap profiles: growth is the program's function's too, through the standard library leaf pprof -top shows", () => {
      const profile = (n: number): FindingsInput => {
        const name = `heap-${n}.pb.gz`;
        return { name, kind: 'profile', imported: importProfile(new Uint8Array(readFileSync(join(dir, name))), name, { gunzip: (b) => new Uint8Array(gunzipSync(b)) }) };
      };
      const fs = computeFindings([profile(exp.stable), profile(exp.stable + 1)]).findings.filter((f) => f.kind === 'growing-alloc-site');
      // main.render kept the same pages: main.grow grew. Before, both were one leaf's growth
      // (internal/bytealg.MakeNoZero on Go 1.26+, strings.Repeat on 1.19). main.main's map for the
      // new pages may show too: a profile scales a sampled small allocation up to the sampling rate.
      const subjects = fs.map((f) => f.subject);
      const titles = fs.map((f) => f.title).join('\n');
      expect(subjects[0], titles).toBe('main.grow');
      expect(subjects.filter((x) => x !== 'main.main'), titles).toEqual(['main.grow']);
      expect(fs[0]!.evidence.allocatedVia).toMatch(/^strings\./);
      expect(fs[0]!.title.startsWith(`main.grow (via ${String(fs[0]!.evidence.allocatedVia)}): in-use memory grew `)).toBe(true);
    });

    it("memlab's rule (new in one dump, alive in the next) is evidence on the program function's growth", () => {
      // A third dump of the same moment: every object main.grow added to heap-6 is still alive.
      const [d5, d6] = [inputs[exp.stable - 1]!, inputs[exp.stable]!];
      const grow = computeFindings([d5, d6, { ...d6, name: 'heap-6-again.dump' }]).findings.find((f) => f.kind === 'growing-alloc-site' && f.subject === 'main.grow')!;
      const sampled = (d6 as Extract<FindingsInput, { kind: 'heapdump' }>).analysis.groupByAllocStack({ kind: 'reachable' }, allocatingFunction).find((r) => r.key === 'main.grow')!;
      expect(grow.evidence).toMatchObject({ memlabObjects: sampled.objects, memlabBytes: sampled.bytes, memlabRule: `new in ${d6.name}, still alive in heap-6-again.dump` });
    });
  });
}
