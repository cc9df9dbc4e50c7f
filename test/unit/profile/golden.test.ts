/**
 * Acceptance 1: for every committed pprof fixture, Heapscope's top equals the golden output of
 * `go tool pprof -top` committed beside it (test/fixtures/out/go1.19/leakyapp/F.golden/<type>.<g>.top.txt):
 * every row's flat and cum, and the total.
 *
 * Protobuf profiles compare exactly, row for row. The debug=1 text goldens were made by pprof with
 * the binary (pprof ignores the "#" lines): it names each address by its *physical* function (no
 * inline expansion) and names the runtime frames Go's text format leaves without a "#" line,
 * which Heapscope trims (it has no binary). For those files the test checks:
 *   - the total, exactly;
 *   - at function granularity, the cum of every function both sides name (cum does not depend
 *     on trimmed leaf/root frames nor on how inlined pcs are named);
 *   - heap-3.debug1.txt against heap-3.pb.gz's goldens, exactly, at every sample type and
 *     granularity: both were written in the same GC cycle, Go's protobuf heap writer drops the
 *     same leading runtime frames, and both name inlined frames by their own function;
 *   - <type>.addresses.top.txt goldens (pprof without the binary, -addresses) when present,
 *     exactly per address, with the unnamed frames kept.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareProfiles, computeTop } from '../../../shared/profile';
import { topJson } from './cli-runner';
import { goldenFiles, parsePprofTop, rowKeys } from './golden';
import { LEAKYAPP, fixtureProfiles, load } from './helpers';

const goldenDirs = existsSync(LEAKYAPP) ? readdirSync(LEAKYAPP).filter((d) => d.endsWith('.golden')) : [];

describe.skipIf(goldenDirs.length === 0)('top == go tool pprof goldens', () => {
  it('has goldens for every profile fixture except the goroutine dump', () => {
    const profiles = fixtureProfiles().filter((f) => !f.endsWith('.debug2.txt'));
    for (const f of profiles) expect(goldenDirs, f).toContain(`${f}.golden`);
  });

  for (const dir of goldenDirs) {
    const src = dir.slice(0, -'.golden'.length);
    const isText = src.endsWith('.txt');
    describe(src, () => {
      const imported = load(join(LEAKYAPP, src));
      const keep = isText ? load(join(LEAKYAPP, src), { keepUnnamedFrames: true }) : imported;
      for (const g of goldenFiles(join(LEAKYAPP, dir))) {
        it(`${g.type} ${g.gran}`, async () => {
          const gold = parsePprofTop(readFileSync(join(LEAKYAPP, dir, g.file), 'utf8'));
          if (g.gran === 'addresses') {
            // pprof without the binary: rows are "%016x <unknown>"; compare per address.
            const ours = computeTop(keep.profile, { sampleIndex: g.type, granularityExt: 'addresses' });
            const addr = (rows: Array<{ name: string; flat: number; cum: number }>): string[] =>
              rows.map((r) => `${r.name.split(' ')[0]}\t${r.flat}\t${r.cum}`).sort();
            expect(ours.total).toBe(gold.total);
            expect(addr(ours.rows)).toEqual(addr(gold.rows));
            return;
          }
          // Through the command line, as users and CI run it: `heapscope top F --json`.
          const ours = await topJson(join(LEAKYAPP, src), ['--sample-index', g.type, '--granularity', g.gran]);
          expect(ours.sampleType.type).toBe(g.type);
          expect(gold.type).toBe(g.type);
          expect(ours.total).toBe(gold.total);
          if (!isText) {
            expect(rowKeys(ours.rows)).toEqual(rowKeys(gold.rows));
            // pprof's order (|flat| desc, then name) where flat differs.
            const flats = ours.rows.map((r) => Math.abs(r.flat));
            for (let i = 1; i < flats.length; i++) expect(flats[i - 1]!).toBeGreaterThanOrEqual(flats[i]!);
            return;
          }
          const sumFlat = (rows: Array<{ flat: number }>): number => rows.reduce((a, r) => a + r.flat, 0);
          expect(sumFlat(ours.rows)).toBe(sumFlat(gold.rows));
          if (g.gran === 'functions') {
            const mine = new Map(ours.rows.map((r) => [r.name, r.cum]));
            let common = 0;
            for (const r of gold.rows) {
              const c = mine.get(r.name);
              if (c === undefined) {
                // Only runtime frames Go's text format leaves unnamed may be missing.
                expect(r.name, 'a non-runtime function pprof names is missing').toMatch(/^runtime\./);
                continue;
              }
              common++;
              expect(c, r.name).toBe(r.cum);
            }
            expect(common).toBeGreaterThan(0);
          }
        });
      }
    });
  }
});

describe.skipIf(!existsSync(join(LEAKYAPP, 'heap-3.debug1.txt.golden')) || !existsSync(join(LEAKYAPP, 'heap-3.pb.gz.golden')))(
  'heap-3.debug1.txt matches pprof on heap-3.pb.gz (same GC cycle)',
  () => {
    const text = load(join(LEAKYAPP, 'heap-3.debug1.txt'));
    for (const g of existsSync(join(LEAKYAPP, 'heap-3.pb.gz.golden')) ? goldenFiles(join(LEAKYAPP, 'heap-3.pb.gz.golden')) : []) {
      it(`${g.type} ${g.gran}`, () => {
        const gold = parsePprofTop(readFileSync(join(LEAKYAPP, 'heap-3.pb.gz.golden', g.file), 'utf8'));
        const ours = computeTop(text.profile, { sampleIndex: g.type, granularity: g.gran as 'functions' | 'files' | 'lines' });
        expect(ours.total).toBe(gold.total);
        expect(rowKeys(ours.rows)).toEqual(rowKeys(gold.rows));
      });
    }
  },
);

const cmpDirs = ['diff_base', 'base'].filter((d) => existsSync(join(LEAKYAPP, d)));

describe.skipIf(cmpDirs.length === 0)('comparisons == go tool pprof -diff_base / -base', () => {
  for (const mode of cmpDirs as Array<'diff_base' | 'base'>) {
    for (const f of readdirSync(join(LEAKYAPP, mode)).filter((x) => x.endsWith('.top.txt'))) {
      const m = /^(.+)__(.+)\.(.+)\.top\.txt$/.exec(f);
      if (!m) continue;
      it(`${mode} ${f}`, async () => {
        const base = load(join(LEAKYAPP, `${m[1]}.pb.gz`)).profile;
        const target = load(join(LEAKYAPP, `${m[2]}.pb.gz`)).profile;
        const merged = compareProfiles(target, base, mode);
        const gold = parsePprofTop(readFileSync(join(LEAKYAPP, mode, f), 'utf8'));
        const ours = computeTop(merged, { sampleIndex: m[3] });
        expect(ours.total).toBe(gold.total);
        expect(rowKeys(ours.rows)).toEqual(rowKeys(gold.rows));
        // And through the CLI.
        const flag = mode === 'diff_base' ? '--diff-base' : '--base';
        const cli = await topJson(join(LEAKYAPP, `${m[2]}.pb.gz`), ['--sample-index', m[3]!, flag, join(LEAKYAPP, `${m[1]}.pb.gz`)]);
        expect(cli.total).toBe(gold.total);
        expect(rowKeys(cli.rows)).toEqual(rowKeys(gold.rows));
      });
    }
  }
});
