/**
 * Issue 15, acceptances 1 and 4, on every Go of the matrix: `heapscope list` equals that version's
 * `go tool pprof -list` line by line (source text, flat and cum), and `heapscope peek` equals
 * `go tool pprof -peek` (callers' and callees' weights, flat and cum), for every profile of every
 * fixture program at every sample type (goldens: test/fixtures/source-goldens.sh, written by
 * matrix.sh / regen.sh with each version's pprof; -unit=B / -unit=ns so numbers are exact).
 *
 * Sources: pprof got test/fixtures/go, that Go's GOROOT/src and the module cache as -source_path;
 * heapscope gets test/fixtures/go[/<program>] as --source-root and finds GOROOT (the Go version
 * from the binary's build info) and the module cache by itself. Where pprof could not open a file
 * (the service's absolute build paths once matrix.sh's temp folder is gone), heapscope may still
 * find it (a source root, the module cache for vendor/ paths): then its numbered lines must sum to
 * pprof's ROUTINE totals; everywhere else the routine must be byte-identical.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matrixRuns, requireMatrix } from '../../helpers/matrix';
import { ROOT } from '../../helpers/paths';
import { runCli as runTop } from './cli';

requireMatrix();
const runs = matrixRuns();
const RE = 'main\\.|^runtime\\.gopark$';
const FIXTURE_SRC = join(ROOT, 'test', 'fixtures', 'go');

interface Routine {
  header: string;
  totals: string;
  error: string | null;
  lines: string[];
}

function parseList(text: string): { total: string; routines: Routine[]; other: string[] } {
  const lines = text.split('\n').filter((l) => l !== '');
  const out: Routine[] = [];
  const other: string[] = [];
  let total = '';
  let cur: Routine | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith('Total: ')) total = l;
    else if (l.startsWith('ROUTINE ======================== ')) {
      cur = { header: l, totals: lines[++i] ?? '', error: null, lines: [] };
      out.push(cur);
    } else if (l.startsWith(' Error: ') && cur) cur.error = l;
    else if (l.startsWith('No source information for ')) other.push(l);
    else if (cur) cur.lines.push(l);
  }
  return { total, routines: out, other };
}

function unitFlag(gold: string): string[] {
  // The goldens print raw bytes / nanoseconds (-unit=B / -unit=ns); counts have no unit.
  if (/^Total: -?\d+B$/m.test(gold)) return ['--unit', 'B'];
  if (/^Total: -?\d+ns$/m.test(gold)) return ['--unit', 'ns'];
  return [];
}

function goldens(dir: string, kind: 'list' | 'peek'): Array<{ file: string; type: string }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => new RegExp(`^(.+)\\.${kind}\\.txt$`).exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ file: m[0], type: m[1]! }))
    .sort((a, b) => (a.file < b.file ? -1 : 1));
}

function sumNumbered(lines: string[]): { flat: number; cum: number } {
  let flat = 0;
  let cum = 0;
  for (const l of lines) {
    const m = /^\s*(\S+)\s+(\S+)\s+\d+:/.exec(l);
    if (!m) continue;
    const n = (s: string): number => (s === '.' ? 0 : Number.parseInt(s, 10));
    flat += n(m[1]!);
    cum += n(m[2]!);
  }
  return { flat, cum };
}

describe.skipIf(runs.length === 0)("list and peek == each version's go tool pprof", () => {
  let compared = 0;
  let fromSource = 0;
  for (const run of runs) {
    const profiles = readdirSync(run.dir).filter((f) => f.endsWith('.pb.gz')).sort();
    const roots = ['--source-root', FIXTURE_SRC, '--source-root', join(FIXTURE_SRC, run.program)];
    const exe = ['--exe', join(run.dir, run.program)];
    describe(`go${run.version}/${run.program}`, () => {
      it('has -list and -peek goldens for every profile', () => {
        for (const f of profiles) {
          expect(goldens(join(run.dir, `${f}.golden`), 'list').length, `${f}: run test/fixtures/matrix.sh`).toBeGreaterThan(0);
          expect(goldens(join(run.dir, `${f}.golden`), 'peek').length, f).toBeGreaterThan(0);
        }
      });
      for (const f of profiles) {
        const file = join(run.dir, f);
        for (const g of goldens(`${file}.golden`, 'list')) {
          it(`list ${f} ${g.type}`, async () => {
            const goldText = readFileSync(join(`${file}.golden`, g.file), 'utf8');
            const r = await runTop(['list', RE, file, '--sample-index', g.type, ...unitFlag(goldText), ...roots, ...exe]);
            if (goldText.trim() === '') {
              // pprof printed nothing: no function matched (it says so on stderr).
              expect(r.code).toBe(1);
              expect(r.err).toContain('no matches found');
              return;
            }
            expect(r.code, r.err).toBe(0);
            const gold = parseList(goldText);
            const ours = parseList(r.out);
            expect(ours.total).toBe(gold.total);
            expect(ours.other).toEqual(gold.other);
            expect(ours.routines.map((x) => `${x.header}\n${x.totals}`)).toEqual(gold.routines.map((x) => `${x.header}\n${x.totals}`));
            for (let i = 0; i < gold.routines.length; i++) {
              const gr = gold.routines[i]!;
              const or = ours.routines[i]!;
              if (gr.error === null) {
                expect(or.error, `${gr.header}: pprof read the file, heapscope did not`).toBeNull();
                expect(or.lines, gr.header).toEqual(gr.lines);
                compared++;
              } else if (or.error === null) {
                // Found where pprof was not (see above): the numbers still add up to pprof's totals.
                const m = /^\s*(-?\d+)\S*\s+(-?\d+)\S*\s+\(flat, cum\)/.exec(gr.totals);
                if (m) expect(sumNumbered(or.lines)).toEqual({ flat: Number(m[1]), cum: Number(m[2]) });
                fromSource++;
              }
            }
          });
        }
        for (const g of goldens(`${file}.golden`, 'peek')) {
          it(`peek ${f} ${g.type}`, async () => {
            const goldText = readFileSync(join(`${file}.golden`, g.file), 'utf8');
            const unit = /^Showing nodes accounting for -?\d+B,/m.test(goldText) ? ['--unit', 'B'] : /^Showing nodes accounting for -?\d+ns,/m.test(goldText) ? ['--unit', 'ns'] : [];
            const r = await runTop(['peek', RE, file, '--sample-index', g.type, ...unit]);
            const table = (t: string): string => t.slice(t.indexOf('-----'));
            if (!goldText.includes('| ')) {
              expect(r.code).toBe(1);
              return;
            }
            expect(r.code, r.err).toBe(0);
            expect(table(r.out)).toBe(table(goldText));
            const shown = (t: string): string => /^Showing nodes accounting for .*$/m.exec(t)?.[0] ?? '';
            expect(shown(r.out)).toBe(shown(goldText));
          });
        }
      }
    });
  }
  it('compared real source lines (not only errors)', () => {
    expect(compared).toBeGreaterThan(runs.length * 5);
    console.log(`list: ${compared} routines compared line by line; ${fromSource} found by heapscope where pprof could not open the file`);
  });
});
