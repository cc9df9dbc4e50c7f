/**
 * Issue 11, acceptance 3: findings name the same leaks on every Go of the matrix, and where the
 * goroutine leak profile exists (1.26 built with the experiment, 1.27) its finding names exactly
 * the goroutines the runtime reported.
 *
 * Each program's leaks are its own account (test/fixtures/go/<program>/main.go, expected.json);
 * the inputs are what a user would give `heapscope findings`: three heap profiles, the debug=2
 * goroutine dump, the heap dump with its binary, and the leak profile when there is one.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matrixRuns, requireMatrix, type MatrixRun } from '../../helpers/matrix';
import { runCli } from '../compare/fixtures';

requireMatrix();

interface F {
  severity: string;
  kind: string;
  subject: string;
  evidence: Record<string, unknown>;
}

/** The leaks each program makes on purpose, as (kind, subject) of the finding that must name them. */
const LEAKS: Record<string, Array<[string, string]>> = {
  leakyapp: [
    ['global-map', 'global main.sessionCache'],
    ['growing-alloc-site', 'main.cacheSession'],
    ['growing-alloc-site', 'main.loadBlob'],
    ['growing-alloc-site', 'main.worker'],
    ['subslice-pinning', 'main.loadBlob'],
    ['goroutines-blocked', 'main.worker'],
  ],
  modern: [
    ['global-map', 'global main.registry'],
    ['growing-alloc-site', 'main.remember'],
    ['goroutines-blocked', 'main.lockWait'], // mutex waiters: only an Unlock can wake them (1.19: semacquire)
    ['goroutines-blocked', 'main.sendForever'],
  ],
  service: [
    ['global-map', 'global main.auditLog'],
    ['growing-alloc-site', 'main.audit.func1'],
    ['goroutines-blocked', 'main.(*api).getUser.func1'],
  ],
};

const HEURISTIC_KINDS = new Set(['global-map', 'growing-alloc-site', 'subslice-pinning', 'goroutines-blocked', 'goroutine-pileup', 'retained-by-root', 'growing-root']);

async function findingsOf(run: MatrixRun): Promise<F[]> {
  const files = ['heap-1.pb.gz', 'heap-2.pb.gz', 'heap-3.pb.gz', 'goroutine.debug2.txt', 'heap.dump', 'goroutineleak.pb.gz']
    .map((f) => join(run.dir, f))
    .filter((f) => existsSync(f));
  const r = await runCli(['findings', ...files, '--exe', join(run.dir, run.program), '--json']);
  expect(r.code, r.err).toBe(0);
  return (JSON.parse(r.out) as { findings: F[] }).findings;
}

const runs = matrixRuns().filter((r) => r.program in LEAKS);

describe.skipIf(runs.length === 0)('findings name the same leaks on every Go version', () => {
  const byProgram = new Map<string, Map<string, Set<string>>>();
  for (const run of runs) {
    it(`go${run.version}/${run.program}: every leak it makes is named`, async () => {
      const fs = await findingsOf(run);
      // Where the leak profile proves blocked goroutines leaked, the proven finding is the one that
      // names them (it absorbs the blocked one, which it lists in alsoFoundBy): counted as both.
      const keys = new Set(fs.flatMap((f) => [f.kind, ...((f.evidence.alsoFoundBy as string[] | undefined) ?? [])].map((k) => `${k}\t${f.subject}`)));
      for (const [kind, subject] of LEAKS[run.program]!) expect(keys, `${kind} ${subject}`).toContain(`${kind}\t${subject}`);
      const heuristic = new Set([...keys].filter((k) => HEURISTIC_KINDS.has(k.split('\t')[0]!)));
      if (!byProgram.has(run.program)) byProgram.set(run.program, new Map());
      byProgram.get(run.program)!.set(run.version, heuristic);

      // The leak profile: the runtime's proof outranks every heuristic, and names exactly the
      // goroutines it reported (per function, the program's own counts).
      const exp = JSON.parse(readFileSync(join(run.dir, 'expected.json'), 'utf8')) as {
        leakProfile: boolean;
        counts?: Record<string, number>;
        leakedKinds?: string[];
        leakedLookups?: number;
        leakedFunction?: string;
      };
      const leaked = fs.filter((f) => f.kind === 'leaked-goroutines');
      if (!exp.leakProfile) {
        expect(leaked).toEqual([]);
        return;
      }
      expect(leaked.length).toBeGreaterThan(0);
      const firstOther = fs.findIndex((f) => f.kind !== 'leaked-goroutines');
      const lastLeaked = fs.map((f) => f.kind).lastIndexOf('leaked-goroutines');
      if (firstOther >= 0) expect(lastLeaked).toBeLessThan(firstOther);
      const want = new Map<string, number>();
      if (run.program === 'modern') {
        const fn: Record<string, string> = { labelled: 'main.labelledWait', mutex: 'main.lockWait', rwmutex: 'main.rlockWait', waitgroup: 'main.wgWait', chansend: 'main.sendForever', deep: 'main.deep' };
        for (const k of exp.leakedKinds!) want.set(fn[k]!, (want.get(fn[k]!) ?? 0) + exp.counts![k]!);
      } else if (run.program === 'service') {
        want.set(exp.leakedFunction!, exp.leakedLookups!);
      }
      const got = new Map(leaked.map((f) => [f.subject, Number(f.evidence.count ?? f.evidence.goroutines)]));
      expect(got).toEqual(want);
    });
  }

  it('the heuristic findings are the same set on every version', () => {
    for (const [program, versions] of byProgram) {
      const sets = [...versions.entries()];
      if (sets.length < 2) continue;
      const [v0, s0] = sets[0]!;
      for (const [v, s] of sets.slice(1)) expect([...s].sort(), `${program}: go${v} vs go${v0}`).toEqual([...s0].sort());
    }
  });
});
