/**
 * Acceptance 1: diff numbers equal `go tool pprof -top -diff_base` / `-base` (and -normalize) on
 * fixture pairs, through the engine (diffTop) and the CLI (`heapscope diff --json`), including pairs
 * where one side is itself a saved -diff_base profile (negative values, pprof::base labels).
 *
 * Goldens: test/fixtures/out/go1.19/leakyapp/{diff_base,base}/ and test/fixtures/extra/out/<dir>/<mode>/
 * named BASE__TARGET.<sample type>.top.txt (made by the fixtures' scripts with go tool pprof).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffTop } from '../../../shared/compare';
import { computeTop } from '../../../shared/profile';
import { exactUnitFlag, haveGo, pprof } from '../profile/helpers';
import { EXTRA, LEAKYAPP, PATTERNS, SERIES, parsePprofTop, profile, rowKeys, runCli } from './fixtures';

interface GoldenCase {
  dir: string;
  modeDir: string;
  mode: 'diff_base' | 'base';
  normalize: boolean;
  base: string;
  target: string;
  type: string;
  file: string;
}

function cases(dir: string): GoldenCase[] {
  const out: GoldenCase[] = [];
  if (!existsSync(dir)) return out;
  for (const modeDir of ['diff_base', 'base', 'diff_base_normalize', 'base_normalize']) {
    const d = join(dir, modeDir);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).sort()) {
      const m = /^(.+)__(.+)\.(.+)\.top\.txt$/.exec(f);
      if (!m) continue;
      out.push({
        dir,
        modeDir,
        mode: modeDir.startsWith('diff_base') ? 'diff_base' : 'base',
        normalize: modeDir.endsWith('_normalize'),
        base: join(dir, `${m[1]}.pb.gz`),
        target: join(dir, `${m[2]}.pb.gz`),
        type: m[3]!,
        file: join(d, f),
      });
    }
  }
  return out;
}

const all = [...cases(LEAKYAPP), ...cases(SERIES), ...cases(PATTERNS)];
const label = (c: GoldenCase): string => `${c.dir.slice(c.dir.lastIndexOf('/') + 1)} ${c.modeDir} ${c.file.slice(c.file.lastIndexOf('/') + 1)}`;

describe.skipIf(all.length === 0)('diff == go tool pprof goldens', () => {
  it('covers -diff_base, -base, -normalize and saved diffs (negative values) on both sides', () => {
    const names = all.map(label).join('\n');
    expect(names).toMatch(/leakyapp diff_base heap-1__heap-3/);
    expect(names).toMatch(/leakyapp base heap-1__heap-3/);
    if (existsSync(EXTRA)) {
      expect(names).toMatch(/series diff_base_normalize grow-1__grow-3/);
      expect(names).toMatch(/series base_normalize grow-1__grow-3/);
      expect(names).toMatch(/series diff_base grow-1__diff-1-2/); // the target is a saved diff
      expect(names).toMatch(/series diff_base diff-1-2__grow-3/); // the base is a saved diff
      expect(names).toMatch(/series base diff-1-2__grow-3/);
      expect(names).toMatch(/patterns diff_base goroutine-1__goroutine-2/);
    }
  });

  for (const c of all) {
    it(label(c), async () => {
      const gold = parsePprofTop(readFileSync(c.file, 'utf8'));
      const base = profile(c.base);
      const target = profile(c.target);
      const r = diffTop(base.profile, target.profile, { mode: c.mode, normalize: c.normalize, sampleIndex: c.type });
      expect(r.sampleType.type).toBe(c.type);
      expect(r.total).toBe(gold.total);
      expect(rowKeys(r.rows)).toEqual(rowKeys(gold.rows));
      // pprof's order: |flat| descending.
      for (let i = 1; i < r.rows.length; i++) expect(Math.abs(r.rows[i - 1]!.flat)).toBeGreaterThanOrEqual(Math.abs(r.rows[i]!.flat));
      // Each side on its own is what `pprof -top` prints for it (un-normalized target).
      const bt = computeTop(base.profile, { sampleIndex: c.type });
      const tt = computeTop(target.profile, { sampleIndex: c.type });
      expect(r.baseTotal).toBe(bt.total);
      expect(r.targetTotal).toBe(tt.total);
      const bRows = new Map(bt.rows.map((x) => [x.name, x]));
      const tRows = new Map(tt.rows.map((x) => [x.name, x]));
      for (const row of r.rows) {
        expect(row.baseFlat, row.name).toBe(bRows.get(row.name)?.flat ?? 0);
        expect(row.baseCum, row.name).toBe(bRows.get(row.name)?.cum ?? 0);
        expect(row.targetFlat).toBe(row.baseFlat + row.flat);
        if (!c.normalize) expect(row.targetCum, row.name).toBe(tRows.get(row.name)?.cum ?? 0);
        expect(row.status).toBe(!bRows.has(row.name) ? 'new' : !tRows.has(row.name) ? 'gone' : 'both');
      }
      // Through the command line, as CI runs it.
      const args = ['diff', c.base, c.target, '--mode', c.mode, '--sample-index', c.type, '--json'];
      if (c.normalize) args.push('--normalize');
      const run = await runCli(args);
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      const json = JSON.parse(run.out) as { total: number; file: string; base: string; sampleType: { type: string }; rows: Array<{ name: string; flat: number; cum: number }> };
      expect(json.file).toBe(c.target);
      expect(json.base).toBe(c.base);
      expect(json.sampleType.type).toBe(c.type);
      expect(json.total).toBe(gold.total);
      expect(rowKeys(json.rows)).toEqual(rowKeys(gold.rows));
    });
  }
});

describe.skipIf(!existsSync(join(LEAKYAPP, 'heap-3.pb.gz')))('diff basics', () => {
  it('a profile compared with itself has no rows', () => {
    const p = profile(join(LEAKYAPP, 'heap-3.pb.gz'));
    for (const mode of ['diff_base', 'base'] as const) {
      const r = diffTop(p.profile, p.profile, { mode });
      expect(r.rows).toEqual([]);
      expect(r.baseTotal).toBe(r.targetTotal);
    }
  });

  it('marks frames present on one side only: new in the target, gone from it', () => {
    const a = profile(join(LEAKYAPP, 'heap-1.pb.gz'));
    const b = profile(join(LEAKYAPP, 'heap-3.pb.gz'));
    const fwd = diffTop(a.profile, b.profile, { sampleIndex: 'inuse_space' });
    const back = diffTop(b.profile, a.profile, { sampleIndex: 'inuse_space' });
    const fresh = fwd.rows.filter((r) => r.status === 'new').map((r) => r.name);
    expect(fresh.length).toBeGreaterThan(0);
    for (const r of fwd.rows.filter((x) => x.status === 'new')) expect([r.baseFlat, r.baseCum]).toEqual([0, 0]);
    // Swapping the sides turns every 'new' into 'gone' and negates the deltas.
    const gone = new Map(back.rows.filter((r) => r.status === 'gone').map((r) => [r.name, r]));
    for (const n of fresh) expect(gone.has(n), n).toBe(true);
    const fwdMap = new Map(fwd.rows.map((r) => [r.name, r]));
    for (const r of back.rows) {
      expect(r.flat).toBe(0 - (fwdMap.get(r.name)?.flat ?? 0));
      expect(r.cum).toBe(0 - (fwdMap.get(r.name)?.cum ?? 0));
    }
  });

  it('rejects profiles of different kinds', () => {
    const h = profile(join(LEAKYAPP, 'heap-3.pb.gz'));
    const g = profile(join(LEAKYAPP, 'goroutine.pb.gz'));
    expect(() => diffTop(h.profile, g.profile)).toThrow(/incompatible profiles/);
  });
});


/** More pairs, checked against a live `go tool pprof` where Go is installed. */
describe.skipIf(!haveGo() || !existsSync(join(LEAKYAPP, 'heap-2.pb.gz')) || !existsSync(SERIES))('diff == live go tool pprof', () => {
  const pairs: Array<[string, string, string[]]> = [
    [join(LEAKYAPP, 'heap-2.pb.gz'), join(LEAKYAPP, 'heap-3.pb.gz'), ['-diff_base']],
    [join(LEAKYAPP, 'heap-3.pb.gz'), join(LEAKYAPP, 'heap-1.pb.gz'), ['-base', '-normalize']],
    [join(SERIES, 'shrink-1.pb.gz'), join(SERIES, 'grow-2.pb.gz'), ['-diff_base', '-normalize']],
    [join(SERIES, 'diff-1-2.pb.gz'), join(SERIES, 'diff-1-2.pb.gz'), ['-base']],
    [join(LEAKYAPP, 'goroutine.pb.gz'), join(PATTERNS, 'goroutine-2.pb.gz'), ['-diff_base']],
  ];
  for (const [b, t, flags] of pairs) {
    const types = computeTop(profile(t).profile, {}).sampleType;
    it(`${flags.join(' ')} ${b.slice(b.lastIndexOf('/') + 1)} → ${t.slice(t.lastIndexOf('/') + 1)} (${types.type})`, () => {
      const mode = flags.includes('-base') ? 'base' : 'diff_base';
      const normalize = flags.includes('-normalize');
      const text = pprof(['-top', '-nodecount=100000', '-nodefraction=0', '-edgefraction=0', `-sample_index=${types.type}`, ...exactUnitFlag(types.unit), ...(normalize ? ['-normalize'] : []), `-${mode}=${b}`, t]);
      const gold = parsePprofTop(text);
      const r = diffTop(profile(b).profile, profile(t).profile, { mode, normalize, sampleIndex: types.type });
      expect(r.total).toBe(gold.total);
      expect(rowKeys(r.rows)).toEqual(rowKeys(gold.rows));
    });
  }
});
