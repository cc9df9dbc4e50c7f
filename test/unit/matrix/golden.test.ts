/**
 * Issue 11, acceptance 1, on every Go of the matrix: for every profile every fixture program wrote
 * (test/fixtures/out/go<V>/<program>/), `heapscope top --json` equals that version's own
 * `go tool pprof -top` (the goldens beside the file), every sample type and granularity; and
 * `heapscope diff --json` equals `go tool pprof -diff_base` / `-base` on heap-1 → heap-3.
 *
 * Protobuf profiles compare exactly, row for row. debug=1 text profiles: pprof reads only their
 * addresses and needs the binary to name them, Heapscope names frames from the `#` lines (see
 * test/unit/profile/golden.test.ts for why that can differ): the total and Σ flat exactly, per
 * address exactly (goldens made without the binary, unnamed frames kept), and at function
 * granularity the cum of every function both name, where generic instantiations compare by their
 * one name (`F[go.shape.int]` in the binary, `F[...]` in the text: canonicalFunctionName).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeTop } from '../../../shared/profile';
import { canonicalFunctionName, isCompilerWrapper } from '../../../shared/profile/names';
import { matrixRuns, PROFILE_PROGRAMS, requireMatrix } from '../../helpers/matrix';
import { runCli } from '../compare/fixtures';
import { topJson } from '../profile/cli-runner';
import { goldenFiles, parsePprofTop, rowKeys } from '../profile/golden';
import { load } from '../profile/helpers';

requireMatrix();
const runs = matrixRuns();

describe.skipIf(runs.length === 0)('top and diff == each version\'s go tool pprof', () => {
  for (const run of runs) {
    const goldenDirs = readdirSync(run.dir).filter((d) => d.endsWith('.golden')).sort();
    describe(`go${run.version}/${run.program}`, () => {
      it('has goldens for every profile it wrote', () => {
        const profiles = readdirSync(run.dir).filter((f) => /\.(pb\.gz|debug1\.txt)$/.test(f));
        // Programs that write no profile (typed: only heap dumps) have nothing to compare.
        if (PROFILE_PROGRAMS.includes(run.program)) expect(profiles.length).toBeGreaterThan(0);
        for (const f of profiles) expect(goldenDirs, f).toContain(`${f}.golden`);
      });
      for (const gdir of goldenDirs) {
        const src = gdir.slice(0, -'.golden'.length);
        const file = join(run.dir, src);
        const isText = src.endsWith('.txt');
        for (const g of goldenFiles(join(run.dir, gdir))) {
          it(`${src} ${g.type} ${g.gran}`, async () => {
            const gold = parsePprofTop(readFileSync(join(run.dir, gdir, g.file), 'utf8'));
            expect(gold.type).toBe(g.type);
            if (g.gran === 'addresses') {
              const keep = load(file, { keepUnnamedFrames: true });
              const ours = computeTop(keep.profile, { sampleIndex: g.type, granularityExt: 'addresses' });
              const addr = (rows: Array<{ name: string; flat: number; cum: number }>): string[] =>
                rows.map((r) => `${r.name.split(' ')[0]}\t${r.flat}\t${r.cum}`).sort();
              expect(ours.total).toBe(gold.total);
              expect(addr(ours.rows)).toEqual(addr(gold.rows));
              return;
            }
            const ours = await topJson(file, ['--sample-index', g.type, '--granularity', g.gran]);
            expect(ours.sampleType.type).toBe(g.type);
            expect(ours.total).toBe(gold.total);
            if (!isText) {
              expect(rowKeys(ours.rows)).toEqual(rowKeys(gold.rows));
              return;
            }
            const sumFlat = (rows: Array<{ flat: number }>): number => rows.reduce((a, r) => a + r.flat, 0);
            expect(sumFlat(ours.rows)).toBe(sumFlat(gold.rows));
            if (g.gran !== 'functions') return;
            const mine = new Map<string, number>();
            for (const r of ours.rows) mine.set(canonicalFunctionName(r.name), (mine.get(canonicalFunctionName(r.name)) ?? 0) + r.cum);
            let common = 0;
            const theirs = new Map<string, number>();
            for (const r of gold.rows) theirs.set(canonicalFunctionName(r.name), Math.max(theirs.get(canonicalFunctionName(r.name)) ?? 0, r.cum));
            for (const [name, cum] of theirs) {
              const c = mine.get(name);
              if (c === undefined) {
                // Only runtime frames Go's text format leaves unnamed, and the compiler's wrappers
                // it hides (pprof names both from the binary), may be missing.
                if (!isCompilerWrapper(name)) expect(name, 'a non-runtime function pprof names is missing').toMatch(/^(runtime|internal\/runtime)[./]/);
                continue;
              }
              common++;
              // Several instantiations of one generic function share one text name: their cum
              // can add up on our side, never fall short of pprof's largest.
              if (c !== cum) expect(c, name).toBeGreaterThanOrEqual(cum);
            }
            expect(common).toBeGreaterThan(0);
          });
        }
      }
      for (const mode of ['diff_base', 'base'] as const) {
        const mdir = join(run.dir, mode);
        if (!existsSync(mdir)) continue;
        for (const f of readdirSync(mdir).filter((x) => x.endsWith('.top.txt')).sort()) {
          const m = /^(.+)__(.+)\.(.+)\.top\.txt$/.exec(f)!;
          it(`diff --json --mode ${mode} ${m[1]} ${m[2]} ${m[3]}`, async () => {
            const gold = parsePprofTop(readFileSync(join(mdir, f), 'utf8'));
            const r = await runCli(['diff', join(run.dir, `${m[1]}.pb.gz`), join(run.dir, `${m[2]}.pb.gz`), '--mode', mode, '--sample-index', m[3]!, '--json']);
            expect(r.code, r.err).toBe(0);
            const j = JSON.parse(r.out) as { total: number; rows: Array<{ name: string; flat: number; cum: number }> };
            expect(j.total).toBe(gold.total);
            expect(rowKeys(j.rows)).toEqual(rowKeys(gold.rows));
          });
        }
      }
    });
  }
});
