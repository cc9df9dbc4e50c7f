/**
 * Go leak patterns by name, on a real process (test/fixtures/extra/go/patterns): HTTP response bodies
 * not closed, goroutines stuck in select on a context nobody cancels, tickers never stopped, files
 * never closed; and the thresholds, at their edges, on hand-written goroutine dumps.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeFindings, type Finding, type FindingsInput } from '../../../shared/findings';
import { GOROUTINE_GROWTH_MIN, GOROUTINE_PILEUP_MIN, HTTP_PERSISTCONN_MIN, LONG_WAIT_MINUTES, OPEN_FILES_MIN, TICKERS_MIN } from '../../../shared/findings/thresholds';
import { importProfile } from '../../../shared/profile';
import { cachedDump, gunzipToTemp, haveExtra, inflate, PATTERNS, profile, runCli } from '../compare/fixtures';

interface PatternsJson {
  requestsPerRound: number;
  unclosedBodies: number;
  tickers: number;
  tickerFunction: string;
  openFiles: number;
  fileFunction: string;
  waiters: number;
  waitersPerRound: number;
  waiterFunction: string;
  waiterState: string;
}

describe.skipIf(!haveExtra)('leak patterns (patterns fixture)', () => {
  const exp = JSON.parse(readFileSync(join(PATTERNS, 'patterns.json'), 'utf8')) as PatternsJson;
  const d = cachedDump(join(PATTERNS, 'patterns.dump.gz'), join(PATTERNS, 'patterns.sym.gz'));
  const inputs: FindingsInput[] = [
    ...['goroutine-1.pb.gz', 'goroutine-2.pb.gz', 'goroutine-2.debug2.txt', 'heap-2.pb.gz'].map((f): FindingsInput => ({ name: f, kind: 'profile', imported: profile(join(PATTERNS, f)) })),
    { name: 'patterns.dump', kind: 'heapdump', analysis: d.analysis, read: d.read },
  ];
  const report = computeFindings(inputs);
  const byKind = (k: Finding['kind']): Finding[] => report.findings.filter((f) => f.kind === k);

  it('HTTP response bodies not closed: persistConn readLoop/writeLoop goroutines growing', () => {
    const [f, ...rest] = byKind('http-body-not-closed');
    expect(rest).toEqual([]);
    expect(f!.severity).toBe('high');
    expect(f!.evidence.readLoop).toBe(exp.unclosedBodies);
    expect(f!.evidence.writeLoop).toBe(exp.unclosedBodies);
    expect(f!.evidence.counts).toEqual([2 * exp.requestsPerRound, 2 * exp.unclosedBodies, 2 * exp.unclosedBodies]);
    expect(f!.title).toMatch(new RegExp(`^${exp.unclosedBodies} HTTP client connections kept open: response bodies never closed`));
    expect(2 * exp.unclosedBodies).toBeGreaterThanOrEqual(HTTP_PERSISTCONN_MIN);
  });

  it('goroutines stuck in select on a context nobody cancels', () => {
    const f = byKind('goroutines-blocked').find((x) => x.subject === exp.waiterFunction)!;
    expect(f).toBeDefined();
    expect(f.evidence.count).toBe(exp.waiters);
    expect(f.evidence.state).toBe(exp.waiterState);
    expect(f.evidence.growth).toBe(exp.waitersPerRound);
    expect(f.severity).toBe('high');
    expect(f.title).toMatch(/context never cancelled/);
    expect(f.link).toMatchObject({ view: 'goroutines', base: 'goroutine-1.pb.gz', function: exp.waiterFunction, state: 'select' });
  });

  it('tickers never stopped', () => {
    const f = byKind('ticker-not-stopped').find((x) => x.subject === exp.tickerFunction)!;
    expect(f).toBeDefined();
    expect(f.evidence.tickers).toBe(exp.tickers);
    expect(f.evidence.heldByUserCode).toBe(0);
    expect(exp.tickers).toBeGreaterThanOrEqual(TICKERS_MIN);
  });

  it('files never closed', () => {
    const f = byKind('file-not-closed').find((x) => x.subject === exp.fileFunction)!;
    expect(f).toBeDefined();
    expect(f.evidence.openFiles).toBe(exp.openFiles);
    expect(f.evidence.reachable).toBe(exp.openFiles);
    expect(exp.openFiles).toBeGreaterThanOrEqual(OPEN_FILES_MIN);
  });

  it('no MAT suspect or pinning where there is none', () => {
    expect(byKind('subslice-pinning')).toEqual([]);
    expect(byKind('growing-alloc-site')).toEqual([]);
  });

  it('through the CLI: gzipped dump, symbol file, --fail-on', async () => {
    const files = ['goroutine-1.pb.gz', 'goroutine-2.pb.gz', 'patterns.dump.gz'].map((f) => join(PATTERNS, f));
    const sym = gunzipToTemp(join(PATTERNS, 'patterns.sym.gz'));
    const run = await runCli(['findings', ...files, '--exe', sym, '--json']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const kinds = (JSON.parse(run.out) as { findings: Finding[] }).findings.map((f) => f.kind);
    expect(kinds).toEqual(expect.arrayContaining(['http-body-not-closed', 'goroutines-blocked', 'ticker-not-stopped', 'file-not-closed']));
    expect((await runCli(['findings', ...files, '--exe', sym, '--fail-on', 'medium'])).code).toBe(3);
  });
});

// ---- thresholds at their edges -------------------------------------------------------------------

function dumpText(groups: Array<{ n: number; fn: string; state: string; from?: number }>): string {
  let id = 1;
  let text = '';
  for (const g of groups) {
    for (let i = 0; i < g.n; i++) {
      text += `goroutine ${id++} [${g.state}]:\nruntime.gopark(0x0)\n\t/go/src/runtime/proc.go:363 +0xd6\n${g.fn}(0x1)\n\t/src/app.go:10 +0x25\ncreated by main.main\n\t/src/app.go:5 +0x1\n\n`;
    }
  }
  return text;
}

function input(name: string, text: string): FindingsInput {
  return { name, kind: 'profile', imported: importProfile(new TextEncoder().encode(text), name, { gunzip: inflate }) };
}

describe('goroutine thresholds', () => {
  it(`a pile-up starts at ${GOROUTINE_PILEUP_MIN} goroutines on one function`, () => {
    const below = computeFindings([input('a', dumpText([{ n: GOROUTINE_PILEUP_MIN - 1, fn: 'main.wait', state: 'chan receive' }]))]);
    expect(below.findings).toEqual([]);
    const at = computeFindings([input('a', dumpText([{ n: GOROUTINE_PILEUP_MIN, fn: 'main.wait', state: 'chan receive' }]))]);
    expect(at.findings.map((f) => [f.kind, f.subject, f.severity, f.evidence.count])).toEqual([['goroutines-blocked', 'main.wait', 'medium', GOROUTINE_PILEUP_MIN]]);
    // Running goroutines are not a pile-up.
    expect(computeFindings([input('a', dumpText([{ n: 50, fn: 'main.spin', state: 'running' }]))]).findings).toEqual([]);
    // Other wait reasons are a generic pile-up.
    const io = computeFindings([input('a', dumpText([{ n: 12, fn: 'main.read', state: 'IO wait' }]))]);
    expect(io.findings.map((f) => f.kind)).toEqual(['goroutine-pileup']);
  });

  it(`growth of ${GOROUTINE_GROWTH_MIN}+ over snapshots counts even below the pile-up size, and makes a pile-up high`, () => {
    const small = GOROUTINE_GROWTH_MIN + 1;
    const g = computeFindings([input('1', dumpText([{ n: 1, fn: 'main.wait', state: 'chan send' }])), input('2', dumpText([{ n: small, fn: 'main.wait', state: 'chan send' }]))]);
    expect(g.findings.map((f) => [f.kind, f.severity, f.evidence.counts])).toEqual([['goroutines-blocked', 'medium', [1, small]]]);
    const big = computeFindings([
      input('1', dumpText([{ n: GOROUTINE_PILEUP_MIN, fn: 'main.wait', state: 'chan send' }])),
      input('2', dumpText([{ n: GOROUTINE_PILEUP_MIN + GOROUTINE_GROWTH_MIN, fn: 'main.wait', state: 'chan send' }])),
    ]);
    expect(big.findings.map((f) => f.severity)).toEqual(['high']);
    expect(big.findings[0]!.title).toMatch(/channel send/);
    const tooLittle = computeFindings([input('1', dumpText([{ n: 1, fn: 'main.wait', state: 'chan send' }])), input('2', dumpText([{ n: GOROUTINE_GROWTH_MIN, fn: 'main.wait', state: 'chan send' }]))]);
    expect(tooLittle.findings).toEqual([]);
  });

  it(`waiting ${LONG_WAIT_MINUTES}+ minutes makes a pile-up high`, () => {
    const short = computeFindings([input('a', dumpText([{ n: GOROUTINE_PILEUP_MIN, fn: 'main.wait', state: `select, ${LONG_WAIT_MINUTES - 1} minutes` }]))]);
    expect(short.findings.map((f) => f.severity)).toEqual(['medium']);
    const long = computeFindings([input('a', dumpText([{ n: GOROUTINE_PILEUP_MIN, fn: 'main.wait', state: `select, ${LONG_WAIT_MINUTES} minutes` }]))]);
    expect(long.findings.map((f) => [f.severity, f.evidence.longestWaitMinutes])).toEqual([['high', LONG_WAIT_MINUTES]]);
    expect(long.findings[0]!.title).toMatch(/waiting up to 10 min/);
  });
});
