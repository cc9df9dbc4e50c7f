/**
 * gctrace from Go 1.19, 1.26 and 1.27 (issue 11): leak-checking cycles
 * (`gc N @…s P% (checking for goroutine leaks): …`) parse as ordinary cycles, the lines other
 * GODEBUG settings interleave (`gctrace=2` scan lines, `checkfinalizers=1`) are skipped without
 * error, and a log holding only leak-checking cycles is recognised as gctrace. Checked on the
 * committed real logs (test/fixtures/modern/gctrace) and on fresh runs of the same program with
 * each toolchain present; fuzzed with a fixed seed.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { GCTRACE_MB, looksLikeGcTrace, parseGcTrace } from '../../../shared/compare';
import { computeFindings } from '../../../shared/findings';
import type { GcTrace } from '../../../shared/compare/types';
import { goBuild, toolchainOrSkip, type GoVersion } from '../leakprofile/toolchains';
import { runCli } from './fixtures';

const DIR = join(__dirname, '../../fixtures/modern/gctrace');
const LOGS = readdirSync(DIR).filter((f) => f.endsWith('.log')).sort();
const LEAK_MARK = ' (checking for goroutine leaks)';

/** What the raw text says, read independently of the parser: every complete gc line. */
function rawCycles(text: string): Array<{ gc: number; leak: boolean; live: number; goal: number; forced: boolean; line: number }> {
  const out: Array<{ gc: number; leak: boolean; live: number; goal: number; forced: boolean; line: number }> = [];
  text.split('\n').forEach((l, i) => {
    if (!l.startsWith('gc ') || !/ P( \(forced\))?$/.test(l)) return;
    const fields = l.split(', ');
    const heap = fields.find((f) => f.includes('->'))!; // "4->5->3 MB"
    const goal = fields.find((f) => f.endsWith(' MB goal'))!;
    out.push({
      gc: Number(l.split(' ')[1]),
      leak: l.includes(LEAK_MARK),
      live: Number(heap.split('->')[2]!.split(' ')[0]),
      goal: Number(goal.split(' ')[0]),
      forced: l.endsWith(' (forced)'),
      line: i + 1,
    });
  });
  return out;
}

function checkAgainstRaw(name: string, text: string, t: GcTrace): void {
  const raw = rawCycles(text);
  expect(raw.length, `${name}: the log has gc lines`).toBeGreaterThan(0);
  expect(t.cycles.map((c) => c.gc), name).toEqual(raw.map((r) => r.gc));
  expect(t.cycles.map((c) => c.liveMB), name).toEqual(raw.map((r) => r.live));
  expect(t.cycles.map((c) => c.goalMB), name).toEqual(raw.map((r) => r.goal));
  expect(t.cycles.map((c) => c.forced), name).toEqual(raw.map((r) => r.forced));
  expect(t.cycles.map((c) => c.line), name).toEqual(raw.map((r) => r.line));
  expect(t.cycles.map((c) => c.leakCheck === true), name).toEqual(raw.map((r) => r.leak));
  // A line the process was cut off in the middle of (at exit) is skipped, never half-read.
  const cut = text.split('\n').filter((l) => /^gc \d+ @/.test(l) && !/ P( \(forced\))?$/.test(l)).length;
  expect(t.skipped, name).toBe(cut);
  const scan = text.split('\n').filter((l) => l.startsWith('scan: ')).length;
  const fin = text.split('\n').filter((l) => l.startsWith('checkfinalizers: ')).length;
  const w = t.warnings.join('\n');
  if (scan > 0) expect(w, name).toContain(`${scan} gctrace=2 "scan:" line`);
  if (fin > 0) expect(w, name).toContain(`${fin} checkfinalizers line`);
  expect(looksLikeGcTrace(text), name).toBe(true);
  expect(looksLikeGcTrace(new TextEncoder().encode(text)), name).toBe(true);
}

describe('gctrace logs of Go 1.19, 1.26 and 1.27 (committed real logs)', () => {
  it('has the logs', () => {
    expect(LOGS.length).toBeGreaterThanOrEqual(10);
  });

  for (const f of LOGS) {
    it(`${f}: every cycle read, leak checks marked, other lines skipped`, () => {
      const text = readFileSync(join(DIR, f), 'utf8');
      checkAgainstRaw(f, text, parseGcTrace(readFileSync(join(DIR, f))));
    });
  }

  it('a leak-checking cycle parses into every field', () => {
    const line =
      'gc 3 @0.004s 8% (checking for goroutine leaks): 0.16+0.18+0.11 ms clock, 0.32+0/0.090/0.073+0.23 ms cpu, 3->3->3 MB, 6 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)';
    expect(parseGcTrace(line).cycles).toEqual([
      { gc: 3, atSec: 0.004, cpuPercent: 8, heapStartMB: 3, heapEndMB: 3, liveMB: 3, goalMB: 6, stacksMB: 0, globalsMB: 0, procs: 2, forced: true, leakCheck: true, line: 1 },
    ]);
    // Cut short after the marker: counted as skipped, like any other cut line.
    expect(parseGcTrace('gc 3 @0.004s 8% (checking for goroutine leaks): 0.16+0.18').skipped).toBe(1);
  });

  it('a log of only leak-checking cycles is gctrace (it used to be refused as "not a profile")', () => {
    for (const f of ['go1.27-leakonly.log', 'go1.26x-leakonly.log']) {
      const text = readFileSync(join(DIR, f), 'utf8');
      expect(text.split('\n').filter((l) => l.startsWith('gc ')).every((l) => l.includes(LEAK_MARK))).toBe(true);
      expect(looksLikeGcTrace(readFileSync(join(DIR, f)))).toBe(true);
    }
  });

  it('heapscope findings reads a log of only leak-checking cycles as gctrace (not "not a profile")', async () => {
    const r = await runCli(['findings', join(DIR, 'go1.27-leakonly.log')]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/not a profile/);
    expect(`${r.out}${r.err}`).toMatch(/go1\.27-leakonly\.log: gctrace log, 3 GCs/);
    const j = await runCli(['findings', '--json', join(DIR, 'go1.27-leakonly.log')]);
    expect(j.code, j.err).toBe(0);
    expect((JSON.parse(j.out) as { warnings: string[] }).warnings.join('\n')).toMatch(/3 of the 3 GC cycles checked for goroutine leaks/);
  });

  it('leak-checking cycles count in the live-heap series the findings read', () => {
    const t = parseGcTrace(readFileSync(join(DIR, 'go1.27-all.log')));
    expect(t.cycles.filter((c) => c.leakCheck).length).toBe(3);
    expect(t.cycles.length).toBe(9);
    const r = computeFindings([{ name: 'go1.27-all.log', kind: 'gctrace', series: t }]);
    const f = r.findings.find((x) => x.kind === 'live-heap-growth');
    // The program keeps 400 × 4 KiB more per round: the live heap rises from 1 to 9 MB.
    expect(f, JSON.stringify(r)).toBeDefined();
    expect(t.cycles[t.cycles.length - 1]!.liveMB * GCTRACE_MB).toBeGreaterThan(t.cycles[0]!.liveMB * GCTRACE_MB);
  });
});

const PROGRAM = join(DIR, 'go');
const RUNS: Array<{ name: string; godebug: string; args: string[]; experiment?: string; leak: boolean; scan: boolean; fin: boolean }> = [
  { name: 'gctrace=1', godebug: 'gctrace=1', args: [], leak: false, scan: false, fin: false },
  { name: 'gctrace=2', godebug: 'gctrace=2', args: [], leak: false, scan: true, fin: false },
  { name: 'checkfinalizers=1', godebug: 'gctrace=1,checkfinalizers=1', args: [], leak: false, scan: false, fin: true },
  { name: 'leak profile requests', godebug: 'gctrace=2,checkfinalizers=1', args: ['-leak'], leak: true, scan: true, fin: true },
];

for (const version of ['1.19', '1.26', '1.27'] as GoVersion[]) {
  const t = toolchainOrSkip(version, 'gctrace fresh runs');
  describe.skipIf(!t)(`gctrace fresh runs with Go ${version}`, () => {
    const dir = mkdtempSync(join(tmpdir(), `hs-gctrace-${version}-`));
    const built = new Map<string, string>();
    const exe = (experiment: boolean): string => {
      const k = experiment ? 'x' : '';
      if (!built.has(k)) {
        const out = join(dir, `gctrace${k}`);
        goBuild(t!, PROGRAM, out, experiment ? { GOEXPERIMENT: 'goroutineleakprofile' } : {});
        built.set(k, out);
      }
      return built.get(k)!;
    };
    for (const run of RUNS) {
      // 1.19 has neither scan lines nor checkfinalizers nor the leak profile; 1.26 needs the experiment for it.
      if (version === '1.19' && run.leak) continue;
      it(run.name, () => {
        const bin = exe(version === '1.26' && run.leak);
        const r = spawnSync(bin, run.args, { env: { ...process.env, GODEBUG: run.godebug }, encoding: 'utf8', timeout: 60_000 });
        expect(r.status, r.stderr).toBe(0);
        const text = r.stderr;
        checkAgainstRaw(`${version} ${run.name}`, text, parseGcTrace(text));
        const lines = text.split('\n');
        const has = (p: string) => lines.some((l) => l.startsWith(p));
        if (version !== '1.19') {
          expect(has('scan: '), 'scan lines').toBe(run.scan);
          expect(has('checkfinalizers: '), 'checkfinalizers lines').toBe(run.fin);
        }
        expect(lines.some((l) => l.includes(LEAK_MARK)), 'leak-checking cycles').toBe(run.leak);
      });
    }
  });
}

describe('gctrace fuzz (fixed seed): no crash, no hang, no throw', () => {
  const seeds = LOGS.map((f) => readFileSync(join(DIR, f), 'utf8'));
  it('mutated real logs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(fc.record({ at: fc.nat(), del: fc.nat({ max: 40 }), ins: fc.string({ maxLength: 20 }) }), { maxLength: 8 }),
        (si, edits) => {
          let s = seeds[si]!;
          for (const e of edits) {
            const at = s.length === 0 ? 0 : e.at % s.length;
            s = s.slice(0, at) + e.ins + s.slice(at + e.del);
          }
          const t0 = performance.now();
          const t = parseGcTrace(s);
          looksLikeGcTrace(s);
          looksLikeGcTrace(new TextEncoder().encode(s));
          expect(performance.now() - t0).toBeLessThan(1000);
          for (const c of t.cycles) {
            expect(Number.isFinite(c.liveMB) && Number.isFinite(c.atSec)).toBe(true);
          }
        },
      ),
      { seed: 20261206, numRuns: 1500 },
    );
  });

  it('adversarial lines stay linear', () => {
    const long = 'gc 1 @1s 1% (checking for goroutine leaks): '.repeat(20000) + 'x'.repeat(200000);
    const t0 = performance.now();
    const t = parseGcTrace(long);
    expect(looksLikeGcTrace(long)).toBe(false);
    expect(t.cycles).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});
