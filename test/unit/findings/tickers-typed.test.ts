/**
 * Tickers never stopped, found without allocation samples: with the binary's types, the P's timer
 * heaps ([N]*runtime.timer up to 1.22, [N]runtime.timerWhen from 1.23) point into each Ticker's
 * runtime.timer, and its period (offset from DWARF) says it is a ticker (test/fixtures/modern/tickers,
 * built and run here). Go 1.19 keeps them alive, and so does 1.26 for this program (go.mod go 1.19:
 * asynctimerchan=1); 1.27 removed the setting and lets go of unreferenced tickers: nothing reported.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeFindings } from '../../../shared/findings';
import { analyseDump, buildAndDump } from '../../helpers/godump';
import { ROOT } from '../compare/fixtures';
import { toolchainOrSkip, type GoVersion } from '../leakprofile/toolchains';

const PROGRAM = join(ROOT, 'test', 'fixtures', 'modern', 'tickers', 'go');

function run(v: GoVersion) {
  const run = buildAndDump<{ goVersion: string; tickers: number }>(toolchainOrSkip(v, 'tickers-typed')!, PROGRAM, 'tickers');
  const exp = run.expected;
  const { analysis, read } = analyseDump(run);
  const findings = computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis, read }]).findings.filter((f) => f.kind === 'ticker-not-stopped');
  return { exp, analysis, findings };
}

// Go 1.19 keeps every unreferenced ticker; 1.26 too for this program, whose go.mod says go 1.19
// (asynctimerchan=1: the old timers); 1.27 removed that setting.
for (const v of ['1.19', '1.26'] as GoVersion[]) {
  describe.skipIf(!toolchainOrSkip(v, 'tickers-typed'))(`go${v}: tickers never stopped, no allocation sample`, () => {
    it('are found by their type and period, all of them', { timeout: 300_000 }, () => {
      const { exp, analysis, findings } = run(v);
      expect(exp.goVersion).toContain(`go${v}`);
      // No sample says where a ticker was allocated (1.26 samples one allocation before init runs).
      expect(analysis.sites.filter((x) => x.func.startsWith('time.'))).toEqual([]);
      expect(findings).toHaveLength(1);
      expect(findings[0]!.evidence.tickers).toBe(exp.tickers);
      expect(findings[0]!.title).toMatch(/^15 tickers \(where they were created has no allocation sample\) were never stopped/);
    });
  });
}

describe.skipIf(!toolchainOrSkip('1.27', 'tickers-typed'))('go1.27: unreferenced tickers are garbage', () => {
  it('nothing is reported', { timeout: 300_000 }, () => {
    const { exp, findings } = run('1.27');
    expect(exp.goVersion).toContain('go1.27');
    expect(findings).toEqual([]);
  });
});
