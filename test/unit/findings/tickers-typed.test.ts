/**
 * Tickers never stopped, found without allocation samples: with the binary's types, the P's timer
 * heap ([N]*runtime.timer) points one word into each Ticker, and its timer's period says it is a
 * ticker (test/fixtures/modern/tickers, built and run here). Go 1.19 keeps them alive; from 1.23
 * the runtime lets go of unreferenced tickers, and nothing is reported.
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

describe.skipIf(!toolchainOrSkip('1.19', 'tickers-typed'))('go1.19: tickers never stopped, no allocation sample', () => {
  it('are found by their type and period, all of them', { timeout: 300_000 }, () => {
    const { exp, analysis, findings } = run('1.19');
    expect(exp.goVersion).toContain('go1.19');
    expect(analysis.sites.length).toBe(0); // no sample says where anything was allocated
    expect(findings).toHaveLength(1);
    expect(findings[0]!.evidence.tickers).toBe(exp.tickers);
    expect(findings[0]!.title).toMatch(/^15 tickers \(where they were created has no allocation sample\) were never stopped/);
  });
});

for (const v of ['1.26', '1.27'] as GoVersion[]) {
  describe.skipIf(!toolchainOrSkip(v, 'tickers-typed'))(`go${v}: unreferenced tickers are garbage`, () => {
    it('nothing is reported', { timeout: 300_000 }, () => {
      const { exp, findings } = run(v);
      expect(exp.goVersion).toContain(`go${v}`);
      expect(findings).toEqual([]);
    });
  });
}
