/**
 * Issue 11, acceptance 6: the README's "Supported Go versions" table is produced from what this
 * test checks on each version's real output (test/fixtures/out/go<V>/<program>/). Every cell is a
 * check that ran: ✓ with what was seen, or "—" where that Go does not write the form. A check that
 * fails fails the test. Cells say only what does not vary between runs or machines (no counts of
 * runtime goroutines, GC cycles or span slots), since CI regenerates the outputs. The table is compared with the README's section between the
 * `go-support` markers; `npm run support-table` rewrites that section from a fresh run.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeTop, importProfile, type ImportedProfile } from '../../../shared/profile';
import { parseGcTrace } from '../../../shared/compare/gctrace';
import { buildHeapAnalysis, HeapDumpParser, type ElfReader } from '../../../shared/heap/index';
import { openChunkedFile } from '../../../electron/cli/io';
import { MATRIX_VERSIONS, matrixRuns, missingRuns, requireMatrix, type MatrixVersion } from '../../helpers/matrix';
import { ROOT } from '../../helpers/paths';
import { parsePprofTop } from '../profile/golden';
import { gunzip, readBytes } from '../profile/helpers';

requireMatrix();

type Cell = string; // "✓ …" or "— …"
interface Row {
  what: string;
  check(dir: (program: string) => string, v: MatrixVersion): Cell;
}

const load = (f: string): ImportedProfile => importProfile(readBytes(f), f, { gunzip });

function goldenTotal(file: string): number {
  const gdir = `${file}.golden`;
  const p = load(file);
  const st = p.profile.strings[p.profile.sampleTypes[p.profile.sampleTypes.length - 1]!.type]!;
  const g = parsePprofTop(readFileSync(join(gdir, `${st}.functions.top.txt`), 'utf8'));
  const ours = computeTop(p.profile, { sampleIndex: st });
  expect(ours.total, file).toBe(g.total);
  return ours.total;
}

function dumpOf(dir: string, exe: string): ReturnType<typeof buildHeapAnalysis> {
  const f = openChunkedFile(join(dir, 'heap.dump'));
  const p = new HeapDumpParser({ totalBytes: f.size, file: 'heap.dump' });
  for (let off = 0; off < f.size; off += 1 << 20) p.push(f.read(off, 1 << 20));
  f.close();
  const bytes = new Uint8Array(readFileSync(join(dir, exe)));
  const reader: ElfReader = { size: bytes.length, read: (o, n) => bytes.subarray(o, o + n) };
  return buildHeapAnalysis(p.end(), reader);
}

const ROWS: Row[] = [
  {
    what: 'pprof protobuf: heap, allocs, goroutine, mutex, block, CPU, threadcreate (top = that version\'s pprof)',
    check(dir) {
      const files = ['heap-3.pb.gz', 'allocs.pb.gz', 'goroutine.pb.gz', 'mutex.pb.gz', 'block.pb.gz', 'cpu.pb.gz', 'threadcreate.pb.gz'].map((f) => join(dir('leakyapp'), f));
      for (const f of files) goldenTotal(f);
      return `✓ ${files.length} kinds`;
    },
  },
  {
    what: '`?debug=1` text: heap (sorted ascending from 1.23), goroutine, with `# labels:`',
    check(dir) {
      goldenTotal(join(dir('leakyapp'), 'heap-3.debug1.txt'));
      goldenTotal(join(dir('leakyapp'), 'goroutine.debug1.txt'));
      // `# labels:` lines become string labels: the labelled goroutines filter out by them.
      const exp = JSON.parse(readFileSync(join(dir('modern'), 'expected.json'), 'utf8')) as { counts: Record<string, number>; labels: Record<string, string> };
      const g = load(join(dir('modern'), 'goroutine.debug1.txt')).profile;
      const [k, v] = Object.entries(exp.labels)[0]!;
      const rows = computeTop(g, { filters: { tagFocus: [`${k}=^${v.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`] } }).rows;
      expect(rows.reduce((a, r) => a + r.flat, 0)).toBe(exp.counts.labelled);
      return '✓';
    },
  },
  {
    what: '`?debug=2` goroutine dumps (`created by … in goroutine N` from 1.21)',
    check(dir) {
      const f = join(dir('modern'), 'goroutine.debug2.txt');
      const text = readFileSync(f, 'utf8');
      const r = load(f);
      const headers = text.match(/^goroutine \d+/gm)!.length;
      expect(r.goroutines!.length).toBe(headers);
      const inG = r.goroutines!.filter((g) => g.createdBy?.goroutine !== undefined).length;
      if (/^created by .* in goroutine \d+$/m.test(text)) expect(inG).toBeGreaterThan(0);
      return inG ? '✓ with creators\' ids' : '✓';
    },
  },
  {
    what: 'deep stacks cut by the runtime (`...N frames elided...` from 1.21)',
    check(dir) {
      const f = join(dir('modern'), 'goroutine.debug2.txt');
      const r = load(f);
      const deep = r.goroutines!.find((g) => g.frames.some((x) => x.func === 'main.deep'))!;
      if (!readFileSync(f, 'utf8').includes('elided')) {
        // Go 1.19's runtime.Stack stops at 100 frames and says nothing.
        const block = readFileSync(f, 'utf8').split('\n\n').find((b) => b.includes('\nmain.deep('))!;
        const fnLines = block.split('\n').filter((l) => l !== '' && !l.startsWith('\t') && !l.startsWith('goroutine ') && !l.startsWith('created by ')).length;
        expect(fnLines).toBeGreaterThanOrEqual(90);
        expect(deep.frames.length).toBe(fnLines);
        expect(deep.framesElided).toBe(false);
        return '— cut at 100 frames, unmarked';
      }
      expect(deep.framesElided).toBe(true);
      return deep.elidedFrames !== undefined ? `✓ ${deep.elidedFrames} frames elided` : '✓ "additional frames elided"';
    },
  },
  {
    what: 'crash tracebacks with `GOTRACEBACK=system` (`gp= m= mp=` headers, `fp= sp= pc=` frames from 1.22), re-panics',
    check(dir) {
      const f = join(dir('modern'), 'crash-system.txt');
      const text = readFileSync(f, 'utf8');
      const r = load(f);
      expect(r.goroutines!.length).toBe(text.match(/^goroutine \d+/gm)!.length);
      const gp = r.goroutines!.filter((g) => g.gp !== undefined).length;
      if (/^goroutine \d+ gp=/m.test(text)) expect(gp).toBe(r.goroutines!.length);
      return gp > 0 ? '✓ with gp/m, fp/sp/pc' : '✓';
    },
  },
  {
    what: 'labels in `debug=2` headers (1.26 with `GODEBUG=tracebacklabels=1`, 1.27 default) = `# labels:` of debug=1',
    check(dir, v) {
      const r = load(join(dir('modern'), 'goroutine.debug2.txt'));
      const withLabels = r.goroutines!.filter((g) => (g.labels ?? []).length > 0);
      if (v === '1.19') {
        expect(withLabels).toEqual([]);
        return '— not printed';
      }
      const exp = JSON.parse(readFileSync(join(dir('modern'), 'expected.json'), 'utf8')) as { counts: Record<string, number>; labels: Record<string, string> };
      expect(withLabels.length).toBe(exp.counts.labelled);
      for (const g of withLabels) expect(Object.fromEntries(g.labels!.map((l) => [l.key, l.value]))).toEqual(exp.labels);
      return `✓ ${withLabels.length} labelled`;
    },
  },
  {
    what: 'wait reasons of goroutines blocked on sync primitives',
    check(dir) {
      const r = load(join(dir('modern'), 'goroutine.debug2.txt'));
      const states = new Set(r.goroutines!.filter((g) => g.frames.some((f) => /^main\.(lockWait|rlockWait|wgWait)$/.test(f.func))).map((g) => g.state));
      expect(states.size).toBeGreaterThan(0);
      return `✓ ${[...states].sort().map((s) => `\`${s}\``).join(', ')}`;
    },
  },
  {
    what: 'goroutine leak profile: proto, debug=1, debug=2 `(leaked)` (1.26 with `GOEXPERIMENT=goroutineleakprofile`, 1.27)',
    check(dir, v) {
      const d = dir('modern');
      const exp = JSON.parse(readFileSync(join(d, 'expected.json'), 'utf8')) as { leakProfile: boolean; counts: Record<string, number>; leakedKinds: string[] };
      if (!exp.leakProfile) {
        expect(existsSync(join(d, 'goroutineleak.pb.gz'))).toBe(false);
        return v === '1.19' ? '— none' : '— needs the experiment';
      }
      const want = exp.leakedKinds.reduce((a, k) => a + exp.counts[k]!, 0);
      const proto = load(join(d, 'goroutineleak.pb.gz'));
      const text = load(join(d, 'goroutineleak.debug1.txt'));
      const dump = load(join(d, 'goroutineleak.debug2.txt'));
      expect([proto.profileKind, text.profileKind]).toEqual(['goroutineleak', 'goroutineleak']);
      expect(computeTop(proto.profile, {}).total).toBe(want);
      expect(computeTop(text.profile, {}).total).toBe(want);
      expect(dump.goroutines!.filter((g) => g.leaked).length).toBe(want);
      return `✓ ${want} leaked${v === '1.26' ? ' (experiment)' : ''}`;
    },
  },
  {
    what: 'heap dumps with the binary: globals named, span tails not counted as objects, wait reasons of goroutine roots',
    check(dir) {
      const d = dir('leakyapp');
      const a = dumpOf(d, 'leakyapp');
      const s = a.summary();
      expect(s.complete).toBe(true);
      expect(s.globalsNamed).toBe(true);
      expect(a.rootsRanked(0, 1000).rows.map((r) => r.name)).toContain('global main.sessionCache');
      expect(String(s.objects)).toBe(s.memStats!.HeapObjects);
      const waits = new Set(a.rootsRanked(0, 1000).rows.filter((r) => r.kind === 'goroutine' && r.goroutine!.function === 'main.worker').map((r) => r.goroutine!.waitReason));
      expect([...waits]).toEqual(['chan receive']);
      return '✓';
    },
  },
  {
    what: '`GODEBUG=gctrace=1` logs (leak-checking cycles from 1.26)',
    check(dir) {
      const t = parseGcTrace(readFileSync(join(dir('modern'), 'gctrace.txt')));
      expect(t.cycles.length).toBeGreaterThan(0);
      const leak = t.cycles.filter((c) => (c as { leakCheck?: boolean }).leakCheck === true).length;
      return leak ? '✓ with leak-checking cycles' : '✓';
    },
  },
  {
    what: 'generic functions: `F[go.shape.int]` (proto) and `F[...]` (text) as one name; `gowrapN`, `F-rangeN` (1.23)',
    check(dir) {
      const p = load(join(dir('modern'), 'heap-3.pb.gz')).profile;
      const names = Array.from({ length: p.functionCount }, (_, i) => p.strings[p.funcName[i]!]!);
      const shaped = names.some((n) => n.includes('go.shape.'));
      const range = names.some((n) => /-range\d+$/.test(n));
      const wraps = names.some((n) => /\.gowrap\d+$/.test(n));
      return `✓${shaped ? ' shapes' : ' `[...]`'}${wraps ? ', gowrap' : ''}${range ? ', range' : ''}`;
    },
  },
  {
    what: 'program identity: build id in proto mappings (1.24)',
    check(dir, v) {
      const p = load(join(dir('leakyapp'), 'heap-3.pb.gz')).profile;
      const id = p.mappingCount > 0 ? p.strings[p.mapBuildId[0]!]! : '';
      if (v === '1.19') return id ? '✓' : '— path and Go version only';
      expect(id).not.toBe('');
      return '✓ GNU build id';
    },
  },
];

function render(cells: Map<MatrixVersion, Cell[]>): string {
  const vs = MATRIX_VERSIONS.filter((v) => cells.has(v));
  const lines = [`| what Heapscope reads | ${vs.map((v) => `Go ${v}`).join(' | ')} |`, `|---|${vs.map(() => '---').join('|')}|`];
  ROWS.forEach((r, i) => lines.push(`| ${r.what} | ${vs.map((v) => cells.get(v)![i]!).join(' | ')} |`));
  return lines.join('\n');
}

const START = '<!-- go-support:start (generated by test/unit/matrix/support.test.ts: npm run support-table) -->';
const END = '<!-- go-support:end -->';
const runs = matrixRuns();
const complete = missingRuns().length === 0;

describe.skipIf(!complete)('the README\'s Supported Go versions table', () => {
  const cells = new Map<MatrixVersion, Cell[]>();
  for (const v of MATRIX_VERSIONS) {
    const dir = (program: string): string => runs.find((r) => r.version === v && r.program === program)!.dir;
    for (const [i, row] of ROWS.entries()) {
      it(`go${v}: ${row.what}`, () => {
        const c = row.check(dir, v);
        if (!cells.has(v)) cells.set(v, new Array<Cell>(ROWS.length).fill('✗'));
        cells.get(v)![i] = c;
      });
    }
  }
  it('is the table the README shows', () => {
    const table = render(cells);
    const readmePath = join(ROOT, 'README.md');
    const readme = readFileSync(readmePath, 'utf8');
    const a = readme.indexOf(START);
    const b = readme.indexOf(END);
    if (process.env.UPDATE_README === '1') {
      expect(a).toBeGreaterThanOrEqual(0);
      writeFileSync(readmePath, `${readme.slice(0, a + START.length)}\n${table}\n${readme.slice(b)}`);
      return;
    }
    expect(a, 'README has the go-support markers').toBeGreaterThanOrEqual(0);
    expect(readme.slice(a + START.length, b).trim()).toBe(table);
  });
});
