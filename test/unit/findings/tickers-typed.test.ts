/**
 * Tickers never stopped, found without allocation samples: with the binary's types, the P's timer
 * heap ([N]*runtime.timer) points one word into each Ticker, and its timer's period says it is a
 * ticker (test/fixtures/modern/tickers, built and run here). Go 1.19 keeps them alive; from 1.23
 * the runtime lets go of unreferenced tickers, and nothing is reported.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openChunkedFile } from '../../../electron/cli/io';
import { loadHeapDumpFile } from '../../../electron/services/heapdump-loader';
import { computeFindings } from '../../../shared/findings';
import { ROOT } from '../compare/fixtures';
import { toolchainOrSkip, type GoVersion } from '../leakprofile/toolchains';

const PROGRAM = join(ROOT, 'test', 'fixtures', 'modern', 'tickers', 'go');

function run(v: GoVersion) {
  const tc = toolchainOrSkip(v, 'tickers-typed')!;
  const tmp = mkdtempSync(join(tmpdir(), `heapscope-tickers-${v}-`));
  const exe = join(tmp, 'tickers');
  execFileSync(tc.go, ['build', '-trimpath', '-o', exe, '.'], { cwd: PROGRAM, env: { ...tc.env, CGO_ENABLED: '0' }, stdio: 'pipe' });
  execFileSync(exe, ['-out', tmp], { stdio: 'pipe' });
  const exp = JSON.parse(readFileSync(join(tmp, 'expected.json'), 'utf8')) as { goVersion: string; tickers: number };
  const analysis = loadHeapDumpFile(openChunkedFile, join(tmp, 'heap.dump'), exe).analysis;
  const b = readFileSync(join(tmp, 'heap.dump'));
  const read = (o: number, n: number) => new Uint8Array(b.buffer, b.byteOffset + o, Math.max(0, Math.min(n, b.length - o)));
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
