/**
 * Maps that never shrank (rules/maps.ts), on test/fixtures/modern/sparsemaps built and run here with
 * Go 1.19, 1.26 and 1.27 and read with each binary's DWARF types: main.sessions held 200000
 * entries and keeps 1000, main.Store.index held 150000 and keeps none; main.full (150000 entries,
 * no deletes) and main.small (5000 → 10, little storage) are not reported.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeFindings, type Finding } from '../../../shared/findings';
import { withThresholds } from '../../../shared/findings/thresholds';
import type { HeapAnalysis } from '../../../shared/heap/index';
import { analyseDump, buildAndDump } from '../../helpers/godump';
import { ROOT } from '../compare/fixtures';
import { toolchainOrSkip, type GoVersion } from '../leakprofile/toolchains';

const PROGRAM = join(ROOT, 'test', 'fixtures', 'modern', 'sparsemaps', 'go');

for (const v of ['1.19', '1.26', '1.27'] as GoVersion[]) {
  const tc = toolchainOrSkip(v, 'sparse-maps');
  describe.skipIf(!tc)(`go${v}: maps that kept their storage after deletes`, () => {
    let a: HeapAnalysis;
    let bare: HeapAnalysis;
    let read: (o: number, n: number) => Uint8Array;
    let exp: { goVersion: string; sessions: number; index: number; full: number; small: number };
    const sparse = (x: HeapAnalysis, r: typeof read | null = read): Finding[] =>
      computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis: x, ...(r ? { read: r } : {}) }]).findings.filter((f) => f.kind === 'sparse-map');
    beforeAll(() => {
      const run = buildAndDump<typeof exp>(tc!, PROGRAM, 'sparsemaps');
      exp = run.expected;
      ({ analysis: a, read } = analyseDump(run));
      bare = analyseDump(run, null).analysis;
    }, 300_000);

    it('is the program built with that Go, and the maps hold what it says', () => {
      expect(exp.goVersion).toContain(`go${v}`);
      expect(exp).toMatchObject({ sessions: 1000, index: 0, full: 150000, small: 10 });
    });

    it('reports the two maps that lost their entries, by root and field, with their exact counts', () => {
      const fs = sparse(a);
      expect(fs.map((f) => f.subject).sort()).toEqual(['global main.sessions', 'main.Store.index in global main.store']);
      const s = fs.find((f) => f.subject === 'global main.sessions')!;
      expect(s.evidence.entries).toBe(exp.sessions);
      expect(s.evidence.mapType).toBe('map[string]*main.Session');
      // room for at least what it held: a map grows at ~80% full
      expect(s.evidence.slots as number).toBeGreaterThanOrEqual(200000);
      expect(s.evidence.fillShare as number).toBeLessThan(0.01);
      expect(s.title).toMatch(/^global map main\.sessions \(map\[string\]\*main\.Session\) holds 1,000 entries in room for [\d,]+ \([\d.]+ MiB, [\d.]+% full\): Go maps keep their storage after deletes/);
      // The global-map rule saw the same map as big: one finding, the one that says why.
      const all = computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis: a, read }]).findings;
      expect(all.filter((f) => f.subject === 'global main.sessions').map((f) => f.kind)).toEqual(['sparse-map']);
      expect(s.evidence.alsoFoundBy).toEqual(['global-map']);
      const i = fs.find((f) => f !== s)!;
      expect(i.title).toMatch(/^map main\.Store\.index in global main\.store \(map\[int64\]int64\) holds 0 entries/);
      expect(i.evidence.entries).toBe(exp.index);
      expect(i.evidence.mapType).toBe('map[int64]int64');
      expect(i.evidence.slots as number).toBeGreaterThanOrEqual(150000);
      expect(i.link).toMatchObject({ view: 'heap', dump: 'heap.dump', object: i.evidence.header });
    });

    it('a full map is never sparse; a small emptied one is found only when a policy lowers the waste floor', () => {
      const low = withThresholds({ MAP_SPARSE_MIN_WASTED_BYTES: 1024 }, () => sparse(a)).map((f) => f.subject);
      expect(low).toContain('global main.small');
      expect(low).not.toContain('global main.full');
    });

    it('needs the binary and the dump: without either, no finding', () => {
      expect(sparse(bare)).toEqual([]);
      expect(sparse(a, null)).toEqual([]);
    });
  });
}
