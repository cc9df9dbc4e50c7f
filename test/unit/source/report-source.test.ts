/**
 * Issue 15, the report's annotated source (`heapscope report`, shared/report/source.ts):
 *   - on every Go of the matrix, the hottest functions of a report's profile views carry the lines,
 *     flat, cum and text that `heapscope list` prints for them (same profile, same sample type, same
 *     --source-root), the hottest by |flat| first, none of their valued lines left out;
 *   - comparisons carry per-line deltas equal to `heapscope list --diff-base`;
 *   - bounded: lines per function, characters per line, characters per report (cuts recorded);
 *   - escaped: a source line `</script><img src=x onerror=alert(1)>` is in the JSON data block only
 *     as \u003c… escapes, and parses back to the same text (test/e2e/source-report.e2e.ts opens it in
 *     Chromium).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { encodeProfile, importProfile, computeTop } from '../../../shared/profile';
import { ProfileBuilder } from '../../../shared/profile/builder';
import { assembleReport, hottestNames, REPORT_DATA_ID, type ReportModel, type ReportSourceFunction } from '../../../shared/report/index';
import { computeList, splitSourceLines, type ListFunction } from '../../../shared/source/index';
import { exactNameRegex } from '../../../electron/worker/source-list';
import { matrixRuns, requireMatrix } from '../../helpers/matrix';
import { ROOT } from '../../helpers/paths';
import { runCli } from './cli';
import { reportModel } from './report-model';

requireMatrix();
const FIXTURE_SRC = join(ROOT, 'test', 'fixtures', 'go');
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'hs-report-source-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function report(args: string[], name: string): Promise<{ html: string; model: ReportModel }> {
  const out = join(tmp, name);
  const r = await runCli(['report', ...args, '-o', out]);
  expect(r.err.replace(/^note: .*\n/gm, '')).toBe('');
  expect(r.code).toBe(0);
  const html = readFileSync(out, 'utf8');
  return { html, model: reportModel(html) };
}

async function listJson(args: string[]): Promise<ListFunction[]> {
  const r = await runCli(['list', ...args, '--json']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.out) as { functions: ListFunction[] }).functions;
}

/** The report's function equals `heapscope list`'s: totals, and every kept line (number, flat, cum, text); no valued line left out. */
function expectSameAsList(got: ReportSourceFunction, want: ListFunction): void {
  expect({ name: got.name, file: got.file, flat: got.flat, cum: got.cum }).toEqual({ name: want.name, file: want.file, flat: want.flat, cum: want.cum });
  const byLine = new Map(want.lines.map((l) => [l.line, l]));
  for (const l of got.lines) {
    const w = byLine.get(l.line);
    expect(w, `${got.name}:${l.line} is in heapscope list`).toBeDefined();
    expect({ line: l.line, flat: l.flat, cum: l.cum, text: l.text }).toEqual({ line: w!.line, flat: w!.flat, cum: w!.cum, text: w!.text });
  }
  const kept = new Set(got.lines.map((l) => l.line));
  for (const w of want.lines) if (w.flat !== 0 || w.cum !== 0) expect(kept.has(w.line), `${got.name}:${w.line} (valued) is kept`).toBe(true);
  if (want.lines.length <= 80) expect(got.lines.length).toBe(want.lines.length);
  expect(got.omittedLines).toBe(want.lines.length - got.lines.length);
}

const runs = matrixRuns().filter((r) => r.program === 'leakyapp');

describe.each(runs.map((r) => [`go${r.version}`, r] as const))('%s leakyapp: report source = heapscope list', (_v, run) => {
  const src = join(FIXTURE_SRC, 'leakyapp');
  for (const file of ['heap-3.pb.gz', 'goroutine.pb.gz']) {
    it(`${file}: the hottest functions, line by line`, async () => {
      const path = join(run.dir, file);
      const { model } = await report([path, '--source-root', src, '--sample-types', 'all'], `${run.version}-${file}.html`);
      const sec = model.sections.find((s) => s.kind === 'profile');
      expect(sec?.kind).toBe('profile');
      if (sec?.kind !== 'profile') return;
      expect(model.limits.source).toBeDefined();
      const imported = importProfile(readFileSync(path), path, { gunzip: (b) => new Uint8Array(gunzipSync(b)) });
      let withText = 0;
      for (const view of sec.views) {
        const fns = view.source?.functions ?? [];
        // The hottest by |flat| of this sample type, in that order (a function may span files).
        const top = computeTop(imported.profile, { sampleIndex: view.sampleIndex });
        const hottest = hottestNames(top.rows, model.limits.source!.functions);
        expect([...new Set(fns.map((f) => f.name))]).toEqual(hottest.filter((n) => fns.some((f) => f.name === n)));
        expect(fns.length).toBeGreaterThan(0);
        for (const name of new Set(fns.map((f) => f.name))) {
          const want = await listJson([exactNameRegex(name), path, '--source-root', src, '--sample-index', view.sampleType.type]);
          const got = fns.filter((f) => f.name === name);
          expect(got.length).toBe(want.length);
          got.forEach((g, i) => expectSameAsList(g, want[i]!));
          withText += got.filter((g) => g.via !== null && g.lines.some((l) => l.text !== null)).length;
        }
      }
      // Sources were found (main module under the root, the runtime in the GOROOT of that Go).
      expect(withText).toBeGreaterThan(0);
    });
  }

  it('a comparison: per-line deltas = heapscope list --diff-base', async () => {
    const base = join(run.dir, 'heap-1.pb.gz');
    const target = join(run.dir, 'heap-3.pb.gz');
    const { model } = await report([base, target, '--source-root', src], `${run.version}-cmp.html`);
    const cmp = model.sections.find((s) => s.kind === 'comparison');
    if (cmp?.kind !== 'comparison') throw new Error('no comparison section');
    const fns = cmp.source?.functions ?? [];
    expect(fns.length).toBeGreaterThan(0);
    for (const name of new Set(fns.map((f) => f.name))) {
      const want = await listJson([exactNameRegex(name), target, '--diff-base', base, '--source-root', src, '--sample-index', cmp.sampleType.type]);
      fns.filter((f) => f.name === name).forEach((g, i) => expectSameAsList(g, want[i]!));
    }
  });
});

/** main.hot in hostile/evil.go at lines 3..(3+n), one sample per line. */
function hotProfile(lines: number[], file = 'hostile/evil.go'): Uint8Array {
  const b = new ProfileBuilder();
  b.p.sampleTypes = [b.valueType('inuse_space', 'bytes')];
  const f = b.func('main.hot', file);
  const main = b.location('main', 0x1000, [{ func: b.func('main.main', 'hostile/main.go'), line: 1 }]);
  lines.forEach((ln, i) => b.sample([b.location(`l${ln}`, 0x2000 + i, [{ func: f, line: ln }]), main], [1000 + ln]));
  return gzipSync(encodeProfile(b.build()));
}

describe('bounded and escaped', () => {
  const PAYLOAD = '</script><img src=x onerror=alert(1)>';

  it('a hostile source line stays text: escaped in the data block, the same string once parsed', async () => {
    const root = join(tmp, 'hostile-root');
    mkdirSync(join(root, 'hostile'), { recursive: true });
    writeFileSync(join(root, 'hostile', 'evil.go'), `package main\n\nfunc hot() { // ${PAYLOAD}\n\tx := "<!--<script>alert(2)</script>"\n}\n`);
    const prof = join(tmp, 'hostile.pb.gz');
    writeFileSync(prof, hotProfile([3, 4]));
    const { html, model } = await report([prof, '--source-root', root], 'hostile.html');
    const sec = model.sections.find((s) => s.kind === 'profile');
    if (sec?.kind !== 'profile') throw new Error('no profile section');
    const fn = sec.views[0]!.source!.functions.find((f) => f.name === 'main.hot')!;
    expect(fn.via).toBe('user-root');
    expect(fn.lines.find((l) => l.line === 3)!.text).toBe(`func hot() { // ${PAYLOAD}`);
    expect(fn.lines.find((l) => l.line === 4)!.flat).toBe(1004);
    // The only "</script>" / "<img" / "<!--" in the file are the page's own elements, never the source's.
    const data = html.slice(html.indexOf(`id="${REPORT_DATA_ID}"`));
    expect(data.slice(0, data.indexOf('</script>'))).not.toMatch(/<img|<!--|<script/);
    expect(html).toContain('\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e');
  });

  it('cuts long windows, long lines and the whole report, and says so', () => {
    const text = Array.from({ length: 400 }, (_, i) => (i === 199 ? 'y'.repeat(1000) : `line ${i + 1}`)).join('\n');
    const hot = [10, 50, 120, 200, 300, 390];
    const imported = importProfile(hotProfile(hot), 'big.pb.gz', { gunzip: (b) => new Uint8Array(gunzipSync(b)) });
    const read = () => ({ lines: splitSourceLines(text), resolution: { recorded: 'hostile/evil.go', path: '/x/hostile/evil.go', via: 'user-root' as const, tried: ['/x/hostile/evil.go'] } });
    const model = assembleReport([{ name: 'big.pb', kind: 'profile', imported, readSource: read }], {
      heapscopeVersion: 't',
      include: { findings: false },
      source: { linesPerFunction: 20, lineChars: 50 },
    });
    const sec = model.sections.find((s) => s.kind === 'profile');
    if (sec?.kind !== 'profile') throw new Error('no profile section');
    const fn = sec.views[0]!.source!.functions.find((f) => f.name === 'main.hot')!;
    expect(fn.lines.length).toBe(20);
    const window = computeList(imported.profile, '^main\\.hot$').functions[0]!;
    expect(window.lines.length).toBeGreaterThan(300);
    expect(fn.omittedLines).toBe(window.lines.length - 20);
    for (const h of hot) expect(fn.lines.some((l) => l.line === h && l.flat === 1000 + h)).toBe(true);
    expect(fn.lines.find((l) => l.line === 200)!.text).toBe(`${'y'.repeat(50)}…`);
    expect(fn.truncatedLines).toBe(1);

    const chars = fn.lines.reduce((a, l) => a + (l.text?.length ?? 0), 0);

    // The report-wide budget: with room for one function's text, the next keeps its numbers only.
    const small = assembleReport(
      [
        { name: 'a.pb', kind: 'profile', imported, readSource: read },
        { name: 'b.pb', kind: 'profile', imported, readSource: read },
      ],
      { heapscopeVersion: 't', include: { findings: false, comparisons: false }, source: { linesPerFunction: 20, lineChars: 50, maxChars: chars + 10 } },
    );
    const [a, b] = small.sections.map((s) => (s.kind === 'profile' ? s.views[0]!.source!.functions[0]! : null));
    expect(a!.textOmitted).toBeUndefined();
    expect(a!.lines.filter((l) => l.text !== null).length).toBe(20);
    expect(b!.textOmitted).toBe(true);
    expect(b!.lines.every((l) => l.text === null)).toBe(true);
    expect(b!.lines.map((l) => [l.line, l.flat, l.cum])).toEqual(a!.lines.map((l) => [l.line, l.flat, l.cum]));
    expect(small.notes).toContain('annotated source: the text of 1 function left out (numbers kept): the report holds at most ' + (chars + 10).toLocaleString('en-US') + ' characters of source');
  });

  it('a relative name climbing out of the roots (../../…) is not read by heapscope report', async () => {
    const outside = join(tmp, 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret.go'), 'package secret\n\nconst Token = "do-not-serve"\n\n');
    const prof = join(tmp, 'dotdot.pb.gz');
    writeFileSync(prof, hotProfile([3], '../../../../../../../../../../' + join(outside, 'secret.go').slice(1)));
    const { html, model } = await report([prof, '--source-root', join(tmp, 'hostile-root')], 'dotdot.html');
    expect(html).not.toContain('do-not-serve');
    const sec = model.sections.find((s) => s.kind === 'profile');
    if (sec?.kind !== 'profile') throw new Error('no profile section');
    const fn = sec.views[0]!.source!.functions.find((f) => f.name === 'main.hot')!;
    expect(fn.via).toBeNull();
    expect(fn.lines.every((l) => l.text === null)).toBe(true);
    expect(fn.problem).toMatch(/could not find/);
  });
});
