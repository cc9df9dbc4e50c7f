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

describe('a proven leak merges only with the goroutines it is about', () => {
  const findingsOf = (text: string) => computeFindings([{ name: 'g.debug2.txt', kind: 'profile', imported: importProfile(new TextEncoder().encode(text), 'g.debug2.txt', { gunzip: inflate }) }]).findings;

  it('leaked HTTP client connections: one finding with the not-closed-body rule, the proven one, counting connections', () => {
    // The patterns program's dump (16 connections whose bodies were never closed), its
    // readLoop/writeLoop goroutines marked leaked as a goroutineleak dump marks them when the
    // client is unreachable (a Transport per request).
    const dumpText = readFileSync(join(ROOT, 'test', 'fixtures', 'extra', 'out', 'patterns', 'goroutine-2.debug2.txt'), 'utf8');
    const marked = dumpText.replace(/\[select\]:\n(net\/http\.\(\*persistConn\)\.(?:read|write)Loop\()/g, '[select (leaked)]:\n$1');
    expect(marked).not.toBe(dumpText);
    const http = findingsOf(marked).filter((f) => f.subject.startsWith('net/http.(*persistConn)'));
    expect(http).toHaveLength(1);
    expect(http[0]!.kind).toBe('leaked-goroutines');
    expect(http[0]!.title).toMatch(/^16 HTTP client connections leaked: response bodies never closed; the Go runtime proved their 32 goroutines \(readLoop\/writeLoop\) can never run again/);
    expect(http[0]!.evidence).toMatchObject({ readLoop: 16, writeLoop: 16, alsoFoundBy: ['http-body-not-closed'] });
  });

  it("a leaked goroutine in an empty select is not its function's goroutines waiting on the mutex it holds", () => {
    // The 1.27 dump with N goroutines of main.leakSend.func1 waiting on a mutex instead (not
    // leaked: a global holds the mutex) and one leaked in an empty select.
    const blocks = manyLeakedSends(N).split('\n\n');
    let first = true;
    const text = blocks
      .map((b) => {
        if (!b.includes('main.leakSend.func1()')) return b;
        const head = first ? '[select (no cases) (leaked)]:' : '[sync.Mutex.Lock]:';
        first = false;
        return b.replace(/\[chan send \(leaked\)\]:/, head);
      })
      .join('\n\n');
    const fs = findingsOf(text).filter((f) => f.subject === 'main.leakSend.func1');
    expect(fs.map((f) => `${f.kind} ${String(f.evidence.state)} ${String(f.evidence.count)}`).sort()).toEqual([`goroutines-blocked sync.Mutex.Lock ${N}`, 'leaked-goroutines select (no cases) 1']);
    expect(fs.find((f) => f.kind === 'goroutines-blocked')!.title).toMatch(new RegExp(`^${N - 1} goroutines waiting to lock a mutex in main\\.leakSend\\.func1 \\(and 1 more in select \\(no cases\\)`));
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
