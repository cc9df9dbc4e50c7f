/**
 * Heap dumps of one process compared by address (test/fixtures/extra/go/series: three dumps while
 * main.registry grows and main.temp is replaced each round), and memlab's three-snapshot rule.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffHeapDumps, dominatingRoots, memlabLeaks } from '../../../shared/compare';
import { NONE } from '../../../shared/heap/index';
import { cachedDump, haveExtra, haveLeakyapp, LEAKYAPP, SERIES } from './fixtures';

interface SeriesJson {
  registryVariable: string;
  registryFunction: string;
  valueBytes: number;
  tempFunction: string;
  rounds: Array<{ registryValues: string[]; tempBuffers: string[]; registryEntries: number }>;
}

const sym = join(SERIES, 'series.sym.gz');
const dumpN = (n: number) => cachedDump(join(SERIES, `grow-${n}.dump.gz`), sym).analysis;

describe.skipIf(!haveExtra)('heap dump diff by address (series)', () => {
  const exp = JSON.parse(readFileSync(join(SERIES, 'series.json'), 'utf8')) as SeriesJson;

  it('names the globals from the symbol file', () => {
    expect(dumpN(1).summary().globalsNamed).toBe(true);
  });

  it('finds objects added, freed and still alive', () => {
    const d = diffHeapDumps('grow-1', dumpN(1), 'grow-2', dumpN(2));
    const added = new Set(d.addedNodes().map((v) => `0x${dumpN(2).objectAddress(v).toString(16)}`));
    const freed = new Set(d.freedNodes().map((v) => `0x${dumpN(1).objectAddress(v).toString(16)}`));
    // Round 2's registry values are new; round 1's are still alive.
    for (const a of exp.rounds[1]!.registryValues) expect(added.has(a), a).toBe(true);
    for (const a of exp.rounds[0]!.registryValues) {
      expect(added.has(a), a).toBe(false);
      expect(freed.has(a), a).toBe(false);
    }
    // Round 1's temp buffers were replaced: freed, unless the allocator reused the very address for round 2's.
    const reused = new Set(exp.rounds[1]!.tempBuffers);
    for (const a of exp.rounds[0]!.tempBuffers) if (!reused.has(a)) expect(freed.has(a), a).toBe(true);
    const s = d.summary();
    expect(s.added.objects).toBe(added.size);
    expect(s.freed.objects).toBe(freed.size);
    expect(s.alive.objects + s.added.objects).toBe(s.target.objects);
    expect(s.alive.objects + s.freed.objects).toBe(s.base.objects);
    expect(s.target.bytes - s.base.bytes).toBe(s.added.bytes - s.freed.bytes);
    // By allocation site: the registry's values (main.remember) grew by 20 × 4096.
    const rem = s.bySite.filter((r) => r.function === exp.registryFunction);
    expect(rem.reduce((n, r) => n + r.added.bytes, 0)).toBeGreaterThanOrEqual(20 * exp.valueBytes);
    expect(s.bySite[0]!.function).toBe(exp.registryFunction);
    // By root: the global map.
    const root = s.byRoot.find((r) => r.name === `global ${exp.registryVariable}`)!;
    expect(root.status).toBe('both');
    expect(root.delta).toBeGreaterThanOrEqual(20 * exp.valueBytes);
    expect(s.byRoot[0]!.name).toBe(`global ${exp.registryVariable}`);
    // By dominator: the map object itself, the same object in both dumps.
    const top = s.byDominator[0]!;
    expect(top.status).toBe('both');
    expect(top.delta).toBe(root.delta);
  });

  it('a dump compared with itself changes nothing', () => {
    const s = diffHeapDumps('a', dumpN(3), 'b', dumpN(3)).summary();
    expect(s.added).toEqual({ objects: 0, bytes: 0 });
    expect(s.freed).toEqual({ objects: 0, bytes: 0 });
    expect(s.alive.objects).toBe(dumpN(3).summary().reachableObjects);
    expect(s.byRoot.every((r) => r.delta === 0)).toBe(true);
  });

  it("memlab's rule: new in the second dump and still alive in the third", () => {
    const m = memlabLeaks({ name: '1', analysis: dumpN(1) }, { name: '2', analysis: dumpN(2) }, { name: '3', analysis: dumpN(3) });
    const a3 = dumpN(3);
    const leaked = new Set(m.nodes.map((v) => `0x${a3.objectAddress(v).toString(16)}`));
    for (const a of exp.rounds[1]!.registryValues) expect(leaked.has(a), a).toBe(true);
    for (const a of exp.rounds[0]!.registryValues) expect(leaked.has(a), a).toBe(false); // older than the second dump
    for (const a of exp.rounds[2]!.registryValues) expect(leaked.has(a), a).toBe(false); // newer
    const again = new Set([...exp.rounds[2]!.tempBuffers, ...exp.rounds[0]!.tempBuffers]);
    for (const a of exp.rounds[1]!.tempBuffers) if (!again.has(a)) expect(leaked.has(a), a).toBe(false); // freed by the third
    expect(m.leaked.objects).toBe(m.nodes.length);
    expect(m.bySite[0]!.function).toBe(exp.registryFunction);
    expect(m.bySite.reduce((n, r) => n + r.objects, 0)).toBe(m.leaked.objects);
    expect(m.byRoot[0]!.root).toBe(`global ${exp.registryVariable}`);
  });
});

describe.skipIf(!haveLeakyapp)('dominating roots', () => {
  it('assigns every reachable object the root whose dominator subtree holds it', () => {
    const a = cachedDump(join(LEAKYAPP, 'heap.dump'), join(LEAKYAPP, 'leakyapp')).analysis;
    const held = dominatingRoots(a);
    const F = a.graph.firstObject;
    for (let v = F; v < a.graph.nodeCount; v++) {
      if (a.idom[v] === NONE) {
        expect(held[v]).toBe(NONE);
        continue;
      }
      // Walk the idom chain: the last node below the super-root is the answer (0 for shared objects).
      let u = v;
      while (a.idom[u] !== 0) u = a.idom[u]!;
      expect(held[v]).toBe(u <= a.graph.rootCount ? u : 0);
    }
  });
});
