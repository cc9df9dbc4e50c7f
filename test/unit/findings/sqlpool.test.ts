/**
 * database/sql connections never given back (test/fixtures/modern/sqlpool, built and run here with
 * Go 1.19, 1.26 and 1.27): four connections in use that only the pool holds (Rows dropped without
 * Close, a Tx dropped without Commit or Rollback and a Rows under a context never cancelled, whose
 * awaitDone goroutines alone reach them), told apart from the two a kept Rows and a query in
 * progress hold; the three queries
 * waiting for a connection, named by their function; no finding for the pools that lost nothing,
 * and none without the binary (the DB's fields need its types). Its goroutine dump (debug=2): three
 * waiters are no pile-up, but waiting for a connection for minutes they are a pool run dry (the
 * program cannot wait minutes in a test: their headers are given a 5-minute wait, as Go prints it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeFindings, type Finding, type FindingsInput } from '../../../shared/findings';
import { withThresholds } from '../../../shared/findings/thresholds';
import { importProfile } from '../../../shared/profile';
import { analyseDump, buildAndDump, type GoDump } from '../../helpers/godump';
import { ROOT } from '../compare/fixtures';
import { toolchainOrSkip, type GoVersion } from '../leakprofile/toolchains';

const PROGRAM = join(ROOT, 'test', 'fixtures', 'modern', 'sqlpool', 'go');
type Expected = { goVersion: string; maxOpen: number; lost: number; waiters: number };

for (const v of ['1.19', '1.26', '1.27'] as GoVersion[]) {
  const tc = toolchainOrSkip(v, 'database/sql connections never released');
  describe.skipIf(!tc)(`go${v}: database/sql connections never released`, () => {
    let run: GoDump<Expected>;
    let findings: Finding[];
    const input = (exe: string | null): FindingsInput => {
      const { analysis, read } = analyseDump(run, exe);
      return { name: 'heap.dump', kind: 'heapdump', analysis, read };
    };
    beforeAll(() => {
      run = buildAndDump<Expected>(tc!, PROGRAM, 'sqlpool');
      findings = computeFindings([input(run.exe)]).findings.filter((f) => f.kind === 'sql-conn-leak');
    }, 300_000);

    it('is the program built with that Go', () => {
      expect(run.expected.goVersion).toContain(`go${v}`);
    });

    it('finds the connections only the pool holds, and who waits for one', () => {
      const e = run.expected;
      expect(findings.map((f) => f.subject)).toEqual(['global main.db']);
      const f = findings[0]!;
      expect(f.severity).toBe('high');
      expect(f.evidence).toMatchObject({
        openConns: e.maxOpen,
        maxOpenConns: e.maxOpen,
        idleConns: 0,
        inUseConns: e.maxOpen,
        leakedConns: e.lost,
        waitingQueries: e.waiters,
        waitingIn: [`main.lookup: ${e.waiters} goroutines`],
      });
      expect(f.evidence.waitCount as number).toBeGreaterThanOrEqual(e.waiters);
      expect(typeof f.evidence.waitDurationNs).toBe('number');
      expect(f.title).toBe(
        `database/sql pool global main.db: ${e.lost} connections in use that nothing holds (of ${e.maxOpen} open, SetMaxOpenConns ${e.maxOpen}): a Rows, Tx or Conn dropped without Close; ${e.waiters} queries wait for a connection, in main.lookup (${e.waiters})`,
      );
    });

    it('needs the binary: without its types the DB cannot be read', () => {
      expect(computeFindings([input(null)]).findings.filter((f) => f.kind === 'sql-conn-leak')).toEqual([]);
    });

    it('goroutines waiting minutes for a connection are a finding, however few', () => {
      const text = readFileSync(join(run.dir, 'goroutines.txt'), 'utf8');
      const dump = (t: string): FindingsInput => ({ name: 'goroutines.txt', kind: 'profile', imported: importProfile(new TextEncoder().encode(t), 'goroutines.txt', { gunzip: (b) => new Uint8Array(gunzipSync(b)) }) });
      const sqlWaits = (fs: Finding[]) => fs.filter((f) => f.evidence.waitingForSqlConn !== undefined);
      // As written: three waiters for seconds, under the pile-up threshold.
      expect(sqlWaits(computeFindings([dump(text)]).findings)).toEqual([]);
      // The same goroutines after five minutes: only the waiters' headers change.
      const waited = text.replace(/^(goroutine \d+ \[select)(\]:\ndatabase\/sql\.\(\*DB\)\.conn\()/gm, '$1, 5 minutes$2');
      expect(waited.match(/\[select, 5 minutes\]/g)).toHaveLength(run.expected.waiters);
      const fs = sqlWaits(computeFindings([dump(waited)]).findings);
      expect(fs.map((f) => [f.kind, f.subject, f.evidence.waitingForSqlConn])).toEqual([['goroutines-blocked', 'main.lookup', run.expected.waiters]]);
      expect(fs[0]!.title).toBe(`${run.expected.waiters} goroutines waiting for a database/sql connection in main.lookup (waiting up to 5 min; started by main.main): the pool is exhausted: slow queries holding its connections, or a Rows, Tx or Conn never closed (defer rows.Close())?`);
      // How long is too long is the policy's.
      expect(sqlWaits(withThresholds({ SQL_CONN_WAIT_MINUTES: 10 }, () => computeFindings([dump(waited)])).findings)).toEqual([]);
    });
  });
}
