/**
 * database/sql connections never given back (test/fixtures/modern/sqlpool, built and run here with
 * Go 1.19, 1.26 and 1.27): four connections in use that only the pool holds (Rows dropped without
 * Close), told apart from the two a kept Rows and a query in progress hold; the three queries
 * waiting for a connection, named by their function; no finding for the pools that lost nothing,
 * and none without the binary (the DB's fields need its types).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeFindings, type Finding, type FindingsInput } from '../../../shared/findings';
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
      expect(f.title).toBe(
        `database/sql pool global main.db: ${e.lost} connections in use that nothing holds (of ${e.maxOpen} open, SetMaxOpenConns ${e.maxOpen}): a Rows, Tx or Conn dropped without Close; ${e.waiters} queries wait for a connection, in main.lookup (${e.waiters})`,
      );
    });

    it('needs the binary: without its types the DB cannot be read', () => {
      expect(computeFindings([input(null)]).findings.filter((f) => f.kind === 'sql-conn-leak')).toEqual([]);
    });
  });
}
