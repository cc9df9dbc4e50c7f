/**
 * Goroutines the Go runtime proved leaked are the goroutines a dump also shows blocked: one
 * finding per function, the proven one (the blocked evidence folded in), whichever forms are given,
 * and the latest, biggest proven count in its title. And a text listing of thousands of goroutine
 * ids stays readable (--json keeps every one).
 *
 * The dump is the real Go 1.27 goroutineleak?debug=2 fixture (test/fixtures/modern/leakprofile)
 * with its leaked main.leakSend.func1 record repeated, as a service that leaks on every request
 * shows it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeFindings } from '../../../shared/findings';
import { importProfile } from '../../../shared/profile';
import { inflate, profile, ROOT, runCli } from '../compare/fixtures';

const DIR = join(ROOT, 'test', 'fixtures', 'modern', 'leakprofile', 'go1.27');
const N = 300;

/** The fixture dump with its first leaked main.leakSend.func1 goroutine repeated n times (new ids). */
function manyLeakedSends(n: number): string {
  const text = readFileSync(join(DIR, 'goroutineleak.debug2.txt'), 'utf8');
  const blocks = text.split(/\n\n/);
  const send = blocks.find((b) => /\[chan send \(leaked\)\]:\nmain\.leakSend\.func1\(\)/.test(b))!;
  const extra = Array.from({ length: n }, (_, i) => send.replace(/^goroutine \d+ /, `goroutine ${100000 + i} `));
  return [...blocks.filter((b) => b !== send && !b.includes('main.leakSend.func1()')), ...extra].join('\n\n');
}

const dumpText = manyLeakedSends(N);
const dump = () => importProfile(new TextEncoder().encode(dumpText), 'leak.debug2.txt', { gunzip: inflate });

describe('proven leaks and blocked goroutines of one function are one finding', () => {
  it('a goroutineleak debug=2 dump alone', () => {
    const fs = computeFindings([{ name: 'leak.debug2.txt', kind: 'profile', imported: dump() }]).findings.filter((f) => f.subject === 'main.leakSend.func1');
    expect(fs.map((f) => f.kind)).toEqual(['leaked-goroutines']);
    expect(fs[0]!.evidence.count).toBe(N);
    // what the blocked-goroutines rule saw is kept as evidence
    expect(fs[0]!.evidence.counts).toEqual([N]);
  });

  it('with an older goroutineleak profile of fewer leaks: the dump’s count names it', () => {
    const older = profile(join(DIR, 'goroutineleak.pb.gz'));
    const fs = computeFindings([
      { name: 'goroutineleak.pb.gz', kind: 'profile', imported: older },
      { name: 'leak.debug2.txt', kind: 'profile', imported: dump() },
    ]).findings.filter((f) => f.subject === 'main.leakSend.func1');
    expect(fs).toHaveLength(1);
    expect(fs[0]!.kind).toBe('leaked-goroutines');
    expect(fs[0]!.title).toMatch(new RegExp(`^${N} goroutines leaked in main\\.leakSend\\.func1 `));
  });
});

describe('findings text', () => {
  it('lists 20 of the goroutine ids and says how many more; --json lists them all', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'heapscope-ids-')), 'leak.debug2.txt');
    writeFileSync(file, dumpText);
    const text = await runCli(['findings', file]);
    expect(text.code).toBe(0);
    const line = text.out.split('\n').find((l) => l.includes('goroutineIds=') && l.includes('100000'))!;
    expect(line).toContain(`… ${N - 20} more (--json lists all)]`);
    expect(line.match(/\d+(?=[,\]])/g)!.length).toBe(20);
    const json = await runCli(['findings', file, '--json']);
    const f = (JSON.parse(json.out) as { findings: Array<{ subject: string; evidence: { goroutineIds?: number[] } }> }).findings.find((x) => x.subject === 'main.leakSend.func1')!;
    expect(f.evidence.goroutineIds).toHaveLength(N);
  });
});
