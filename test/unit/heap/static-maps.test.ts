/**
 * Typing sees maps where Go 1.2x programs keep them (test/fixtures/modern/staticmaps, built and run
 * here with each toolchain, read with its binary's DWARF):
 * - a registry whose inlined constructor leaves its struct as unnamed static data the global points
 *   to (`var registry = NewRegistry()`): the map inside is typed through the global's pointer type,
 *   and paths name the slot `*main.registry+0x…`;
 * - a map of over 64 Swiss tables (Go 1.24+), whose directory begins with an allocation header
 *   naming the runtime's own `[]*internal/runtime/maps.table`: the map's own `*map.table[K]V` wins,
 *   so its tables and groups are typed too;
 * - files opened and never closed, at the default MemProfileRate: their type, not an allocation
 *   sample, says they are files.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeFindings } from '../../../shared/findings';
import type { HeapAnalysis } from '../../../shared/heap/index';
import { analyseDump, buildAndDump } from '../../helpers/godump';
import { ROOT } from '../compare/fixtures';
import { toolchainOrSkip, type GoVersion } from '../leakprofile/toolchains';

const PROGRAM = join(ROOT, 'test', 'fixtures', 'modern', 'staticmaps', 'go');

for (const v of ['1.19', '1.26', '1.27'] as GoVersion[]) {
  const tc = toolchainOrSkip(v, 'static-maps');
  describe.skipIf(!tc)(`go${v}: maps behind static data and big Swiss directories are typed`, () => {
    let a: HeapAnalysis;
    let read: (o: number, n: number) => Uint8Array;
    let exp: { goVersion: string; entries: number; index: number; files: number };
    beforeAll(() => {
      const run = buildAndDump<typeof exp>(tc!, PROGRAM, 'staticmaps');
      exp = run.expected;
      ({ analysis: a, read } = analyseDump(run));
    }, 300_000);

    it('is the program built with that Go', () => {
      expect(exp.goVersion).toContain(`go${v}`);
      expect(a.summary().goVersion).toContain(`go${v}`);
    });

    it('types (nearly) every reachable byte', () => {
      expect(a.typesInfo().typedBytesShare).toBeGreaterThan(0.99);
    });

    it('names both global maps with their Go types', () => {
      const maps = computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis: a, read }]).findings.filter((f) => f.kind === 'global-map');
      const titles = JSON.stringify(maps.map((f) => f.title));
      expect(maps.find((f) => f.title.startsWith('global main.registry (*main.Registry) ')), titles).toBeDefined();
      expect(maps.find((f) => f.title.startsWith('global map main.bigIndex (map[int64]int64) ')), titles).toBeDefined();
    });

    it('finds the files never closed by their type, leaving out the standard streams', () => {
      const files = computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis: a, read }]).findings.filter((f) => f.kind === 'file-not-closed');
      const count = files.reduce((n, f) => n + Number(f.evidence.openFiles), 0);
      // the program's files and the dump being written (os.Stdin, Stdout, Stderr are not counted)
      expect(count, JSON.stringify(files.map((f) => f.title))).toBe(exp.files + 1);
    });

    it("types the registry's map header and entries through the global's pointer", () => {
      const rows = a.typeRows();
      const row = (name: string) => rows.find((r) => r.name === name);
      expect(row('map.hdr[string]*main.Entry')?.count).toBe(1);
      expect(row('main.Entry')?.count).toBe(exp.entries);
    });

    if (v !== '1.19') {
      it('reaches the registry through static data when the compiler put it there', () => {
        const g = a.graph;
        const root = g.roots.find((r) => r.name === 'global main.registry')!;
        expect(root).toBeDefined();
        // The struct of `var registry = NewRegistry()` is static data after inlining.
        expect(g.staticRegions.get(root.node)?.length).toBe(1);
        const hdr = a.objectsOfType('map.hdr[string]*main.Entry')[0]!;
        const path = a.pathsToRoots({ node: hdr }, 1).paths[0]!;
        expect(path[0]!.root?.name).toBe('global main.registry');
        expect(path[1]!.via).toMatch(/^\*main\.registry\+0x[0-9a-f]+$/);
      });

      it("types a big map's directory, tables and groups by the map's K and V", () => {
        const rows = a.typeRows();
        expect(rows.filter((r) => r.name.includes('internal/runtime/maps.table')).map((r) => r.name)).toEqual([]);
        const dir = rows.find((r) => /^\[\d+\]\*map\.table\[int64\]int64$/.test(r.name));
        expect(dir?.count).toBe(1);
        const tables = rows.find((r) => r.name === 'map.table[int64]int64');
        expect(tables!.count).toBeGreaterThan(64);
        const groups = rows.filter((r) => /^\[\d+\]map\.group\[int64\]int64$/.test(r.name));
        expect(groups.reduce((n, r) => n + r.count, 0)).toBe(tables!.count);
      });
    } else {
      it("types the big map's buckets (Go 1.19: one bucket array)", () => {
        expect(a.typeRows().some((r) => /^\[\d+\]map\.bucket\[int64\]int64$/.test(r.name))).toBe(true);
      });
    }
  });
}
