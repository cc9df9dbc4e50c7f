/**
 * Issue 11: the goroutine rules know every Go's wait reasons. Mutex, RWMutex, WaitGroup and Cond
 * pile-ups are named the same on Go 1.19 (which prints `semacquire` for most of them) and on 1.26
 * and 1.27 (`sync.Mutex.Lock`, `sync.RWMutex.RLock`, `sync.WaitGroup.Wait`), as channel pile-ups
 * are.
 *
 * Input: each version's real dump of test/fixtures/modern/goroutines (gdump), with the blocks of
 * the waiting goroutines repeated under new ids until each group reaches the pile-up threshold (the
 * program parks only a few of each).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeFindings, type Finding } from '../../../shared/findings';
import { GOROUTINE_PILEUP_MIN } from '../../../shared/findings/thresholds';
import { importProfile } from '../../../shared/profile';
import { gunzip, ROOT } from '../profile/helpers';
import { openChunkedFile } from '../../../electron/cli/io';
import { loadHeapDumpFile } from '../../../electron/services/heapdump-loader';

const DIR = join(ROOT, 'test', 'fixtures', 'modern', 'goroutines');
const PILED = ['main.mutexWaiter', 'main.readerWaiter', 'main.wgWaiter', 'main.condWaiter', 'main.worker', 'main.sender', 'main.selector', 'main.pipeReader'];

/** The dump with every block of a PILED function repeated until there are GOROUTINE_PILEUP_MIN of them. */
function piledUp(version: string, file = 'goroutine.debug2.txt'): string {
  const text = readFileSync(join(DIR, `go${version}`, file), 'utf8');
  const blocks = text.split('\n\n').filter((b) => b.trim() !== '');
  let id = 100000;
  const out: string[] = [];
  for (const b of blocks) {
    out.push(b);
    const fn = PILED.find((f) => b.includes(`\n${f}(`));
    if (!fn) continue;
    const have = blocks.filter((x) => x.includes(`\n${fn}(`)).length;
    const copies = Math.ceil((GOROUTINE_PILEUP_MIN - have) / have);
    for (let k = 0; k < copies; k++) out.push(b.replace(/^goroutine \d+ /, `goroutine ${id++} `));
  }
  return `${out.join('\n\n')}\n`;
}

function findings(version: string, file?: string): Finding[] {
  const name = `go${version}.debug2.txt`;
  const imported = importProfile(new TextEncoder().encode(piledUp(version, file)), name, { gunzip });
  return computeFindings([{ name, kind: 'profile', imported }]).findings.filter((f) => f.kind === 'goroutines-blocked' || f.kind === 'goroutine-pileup');
}

describe('goroutine rules on every Go version', () => {
  const byVersion = new Map<string, Finding[]>();
  for (const v of ['1.19', '1.26', '1.27']) byVersion.set(v, findings(v));

  it('sync pile-ups are blocked goroutines, named by their primitive, on 1.19 as on 1.26 and 1.27', () => {
    for (const [v, fs] of byVersion) {
      const of = (fn: string): Finding => {
        const f = fs.find((x) => x.subject === fn);
        expect(f, `go${v} ${fn}`).toBeDefined();
        return f!;
      };
      expect(of('main.mutexWaiter').kind).toBe('goroutines-blocked');
      expect(of('main.mutexWaiter').evidence.state).toBe('sync.Mutex.Lock');
      expect(of('main.mutexWaiter').title).toMatch(/waiting to lock a mutex in main\.mutexWaiter/);
      expect(of('main.readerWaiter').evidence.state).toBe('sync.RWMutex.RLock');
      expect(of('main.readerWaiter').kind).toBe('goroutines-blocked');
      expect(of('main.wgWaiter').evidence.state).toBe('sync.WaitGroup.Wait');
      expect(of('main.wgWaiter').title).toMatch(/^12 goroutines waiting on a sync\.WaitGroup in main\.wgWaiter .*: a Done never called/);
      expect(of('main.condWaiter').evidence.state).toBe('sync.Cond.Wait');
      expect(of('main.worker').title).toMatch(/channel receive in main\.worker/);
      expect(of('main.sender').title).toMatch(/channel send in main\.sender/);
      expect(of('main.selector').title).toMatch(/stuck in select in main\.selector/);
      // IO wait is not a goroutine only another goroutine can wake: a pile-up, not "blocked".
      expect(of('main.pipeReader').kind).toBe('goroutine-pileup');
    }
  });

  it('the same findings on every version', () => {
    const key = (fs: Finding[]): string[] => fs.map((f) => `${f.kind} ${f.subject} ${String(f.evidence.state)} ${f.evidence.count}`).sort();
    const want = key(byVersion.get('1.27')!);
    expect(want.length).toBe(PILED.length);
    for (const [v, fs] of byVersion) expect(key(fs), `go${v}`).toEqual(want);
  });

  it('(leaked) and (durable) goroutines keep their wait reason: the same rules apply', () => {
    for (const v of ['1.26', '1.27']) {
      const fs = findings(v, 'goroutine-after-leak.debug2.txt');
      expect(fs.find((f) => f.subject === 'main.wgWaiter')!.evidence.state).toBe('sync.WaitGroup.Wait');
      expect(fs.find((f) => f.subject === 'main.mutexWaiter')!.kind).toBe('goroutines-blocked');
    }
  });

  it('heap dumps name the wait as goroutine dumps do: a mutex on Go 1.19 too, where the dump has only the inlined Lock\'s slow path', () => {
    for (const v of ['1.19', '1.26', '1.27']) {
      const dir = join(ROOT, 'test', 'fixtures', 'out', `go${v}`, 'modern');
      const analysis = loadHeapDumpFile(openChunkedFile, join(dir, 'heap.dump'), join(dir, 'modern')).analysis;
      const f = computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis }]).findings.find((x) => x.subject === 'main.lockWait');
      expect(f?.evidence.state, `go${v}`).toBe('sync.Mutex.Lock');
      expect(f?.title, `go${v}`).toMatch(/waiting to lock a mutex in main\.lockWait/);
    }
  });

  it("a blocked group's title counts the goroutines in its state, and names the function's others beside them", () => {
    // One of main.mutexWaiter's goroutines holds the lock and sits in an empty select: the rest
    // wait for it. The title must not count it among the waiters.
    let moved = 0;
    const text = piledUp('1.27').replace(/^goroutine (\d+) \[sync\.Mutex\.Lock([^\]]*)\]([^\n]*)\n(?=(?:.+\n)*?main\.mutexWaiter\()/gm, (m, id: string, wait: string, labels: string) =>
      moved++ < 1 ? `goroutine ${id} [select (no cases)${wait}]${labels}\n` : m,
    );
    expect(moved).toBeGreaterThan(1);
    const name = 'go1.27.debug2.txt';
    const fs = computeFindings([{ name, kind: 'profile', imported: importProfile(new TextEncoder().encode(text), name, { gunzip }) }]).findings;
    const f = fs.find((x) => x.subject === 'main.mutexWaiter')!;
    const n = f.evidence.count as number;
    expect(f.evidence.states).toEqual([`sync.Mutex.Lock: ${n - 1}`, 'select (no cases): 1']);
    expect(f.title).toMatch(new RegExp(`^${n - 1} goroutines waiting to lock a mutex in main\\.mutexWaiter \\(and 1 more in select \\(no cases\\)[;)].*: a lock never released`));
  });
});
