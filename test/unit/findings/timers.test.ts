/**
 * Channel timers pending in the runtime's timer heap (shared/findings/rules/timers.ts), on
 * test/fixtures/modern/timers built and run here with Go 1.19, 1.26 and 1.27: exactly the timers of
 * time.After in main.consume's loop (3,001), none of the stopped ones, the kept ones, the AfterFunc
 * callbacks or the tickers. Timers a global keeps point back into their P's timer heap from Go 1.23:
 * the P is the runtime's (graph.ts), so no "runtime.p keeps … alive" suspect. With the new timers
 * the GC frees them: no finding on 1.26 run with GODEBUG=asynctimerchan=0, nor on 1.27, which removed
 * the setting (its go.mod's go 1.19 no longer brings the old timers back). Without the binary no
 * finding (the timer heaps are found by their types).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeFindings, type Finding } from '../../../shared/findings';
import { analyseDump, buildAndDump, type GoDump } from '../../helpers/godump';
import { ROOT } from '../compare/fixtures';
import { toolchainOrSkip, type GoVersion } from '../leakprofile/toolchains';

const PROGRAM = join(ROOT, 'test', 'fixtures', 'modern', 'timers', 'go');
type Expected = { goVersion: string; pending: number; tickers: number };

function findings(run: GoDump<Expected>, exe: string | null): Finding[] {
  const { analysis, read } = analyseDump(run, exe);
  return computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis, read }]).findings;
}

for (const v of ['1.19', '1.26', '1.27'] as GoVersion[]) {
  const tc = toolchainOrSkip(v, 'timers pending in the runtime');
  describe.skipIf(!tc)(`go${v}: timers pending in the runtime's timer heap`, () => {
    let run: GoDump<Expected>;
    let fs: Finding[];
    beforeAll(() => {
      run = buildAndDump<Expected>(tc!, PROGRAM, 'timers');
      fs = findings(run, run.exe);
    }, 300_000);

    it('is the program built with that Go', () => {
      expect(run.expected.goVersion).toContain(`go${v}`);
    });

    // Per version, only the tests that apply (no skipped ones): 1.27 has no old timers to find.
    if (v !== '1.27') it("counts time.After's timers in main.consume, and only those", () => {
      const t = fs.filter((f) => f.kind === 'timers-pending');
      expect(t.map((f) => [f.subject, f.evidence.timers])).toEqual([['main.consume', run.expected.pending]]);
      expect(t[0]!.severity).toBe('high');
      expect(t[0]!.title).toMatch(new RegExp(`^${run.expected.pending} timers from time\\.After or time\\.NewTimer wait in the runtime's timer heap, nothing else holding them, created in main\\.consume: `));
      if (v !== '1.19') expect(t[0]!.title).toContain(`on Go ${v} this means the program runs with asynctimerchan=1`);
    });

    if (v !== '1.27') it("counts the tickers apart, all of them, and names who made them from the sampled ones", () => {
      // A ticker's channel and buffer, sampled at NewTicker's lines, are not counted again.
      const t = fs.filter((f) => f.kind === 'ticker-not-stopped');
      expect(t.map((f) => f.evidence.tickers)).toEqual([run.expected.tickers]);
      expect(t[0]!.subject).toMatch(/^main\.(main|tick)$/);
    });

    if (v === '1.27') it('finds nothing on Go 1.27, which removed asynctimerchan: its timers are always the new ones', () => {
      expect(fs.filter((f) => f.kind === 'timers-pending')).toEqual([]);
    });

    it('blames no P for the timers a global keeps', () => {
      expect(fs.filter((f) => /runtime\.p\b/.test(f.title))).toEqual([]);
    });

    it('needs the binary: the timer heaps are found by their types', () => {
      expect(findings(run, null).filter((f) => f.kind === 'timers-pending')).toEqual([]);
    });

    if (v === '1.26') it('finds nothing with the new timers (GODEBUG=asynctimerchan=0), which the GC frees', () => {
      const dir = join(run.dir, 'async0');
      mkdirSync(dir, { recursive: true });
      execFileSync(run.exe, ['-out', dir], { env: { ...process.env, GODEBUG: 'asynctimerchan=0' }, stdio: 'pipe' });
      const again: GoDump<Expected> = { ...run, dir, dump: join(dir, 'heap.dump'), expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected };
      expect(findings(again, run.exe).filter((f) => f.kind === 'timers-pending')).toEqual([]);
    });
  });
}
