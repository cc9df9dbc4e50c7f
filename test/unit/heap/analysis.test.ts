import { describe, it, expect } from 'vitest';
import { buildHeapAnalysis, parseHeapDump, hex, type ExeSymbols, type HeapAnalysis } from '../../../shared/heap/index';
import { ARENA as A, ARENA_END, DumpWriter, everyRecordDump } from './dumpwriter';

const DATA = 0x500000;
const BSS = 0x510000;
const RT = 0x520000; // runtime range in bss

/**
 * A little heap:
 *   main.cache (bss) -> map header H(48) -> bucket array B(1024) -> values V1, V2 (4096 each)
 *   main.pinned (bss) -> slice array S(48) -> interior pointers into big arrays X1, X2 (131072 each)
 *   runtime.allgs (bss) -> G(64)
 *   goroutine 42 [chan receive] main.worker: frame slot -> buf W(16384); shared S2 also from main.shared
 *   finalizer on F: F -> FA (F itself is not kept alive by the finalizer)
 *   pending finalizer for Q
 *   garbage: Z1 -> Z2 (nobody points to Z1)
 */
const H = A + 0x1000;
const B = A + 0x2000;
const V1 = A + 0x10000;
const V2 = A + 0x12000;
const S = A + 0x3000;
const X1 = A + 0x100000;
const X2 = A + 0x200000;
const G = A + 0x4000;
const W = A + 0x20000;
const SH = A + 0x5000;
const F = A + 0x6000;
const FA = A + 0x6100;
const Q = A + 0x6200;
const Z1 = A + 0x7000;
const Z2 = A + 0x7100;

function littleHeap(): Uint8Array {
  const w = new DumpWriter();
  w.params(A, ARENA_END);
  // Objects in a scrambled order (the dump's span order is not address order).
  w.object(V2, 4096)
    .object(H, 48, { 8: B })
    .object(B, 1024, { 16: V1, 24: V2 })
    .object(V1, 4096)
    .object(X2, 131072)
    .object(S, 48, { 0: X1 + 65536, 24: X2 + 65536 })
    .object(X1, 131072)
    .object(G, 64)
    .object(W, 16384, { 0: SH })
    .object(SH, 32)
    .object(F, 32, { 0: FA })
    .object(FA, 16)
    .object(Q, 16)
    .object(Z1, 16, { 0: Z2 })
    .object(Z2, 16);
  w.goroutine({ addr: 0x9000, goid: 42, waitReason: 'chan receive', waitSince: 2n ** 55n })
    .frame({ sp: 0x7000, depth: 0, name: 'runtime.gopark', size: 16 })
    .frame({ sp: 0x7010, depth: 1, name: 'runtime.chanrecv1', size: 16 })
    .frame({ sp: 0x7020, depth: 2, name: 'main.worker', size: 64, ptrs: { 24: W } })
    .frame({ sp: 0x7060, depth: 3, name: 'runtime.goexit', size: 8 });
  w.goroutine({ addr: 0x9100, goid: 2, waitReason: 'force gc (idle)', system: true, waitSince: 2n ** 55n + 1000n }).frame({ sp: 0x8000, depth: 0, name: 'runtime.forcegchelper', size: 16 });
  w.segment('data', DATA, 0x100, {});
  const bss: Record<number, number> = { 0x10: H, 0x40: S, 0x48: SH, [RT - BSS]: G };
  w.segment('bss', BSS, 0x20000, bss);
  w.finalizer(F).finalizer(Q, 0x4a0000, true);
  w.memstats();
  w.memprof(0xa0, 4096, [
    { func: 'runtime.makeslice', file: '/go/src/runtime/slice.go', line: 103 },
    { func: 'main.cacheSession', file: '/src/app/main.go', line: 57 },
    { func: 'main.main', file: '/src/app/main.go', line: 90 },
  ]);
  w.memprof(0xa1, 131072, [{ func: 'main.loadBlob', file: '/src/app/main.go', line: 70 }]);
  w.memprof(0xa2, 1024, [
    { func: 'runtime.mapassign_faststr', file: '/go/src/runtime/map.go', line: 1 },
    { func: 'main.cacheSession', file: '/src/app/main.go', line: 58 },
  ]);
  w.allocSample(V1, 0xa0).allocSample(V2, 0xa0).allocSample(X1, 0xa1).allocSample(X2, 0xa1).allocSample(B, 0xa2);
  w.eof();
  return w.finish();
}

export const littleExe: ExeSymbols = {
  format: 'elf',
  pie: false,
  stripped: false,
  sections: [
    { name: '.data', addr: DATA, size: 0x100 },
    { name: '.bss', addr: BSS, size: 0x20000 },
  ],
  data: { start: DATA, end: DATA + 0x100 },
  bss: { start: BSS, end: BSS + 0x20000 },
  symbols: {
    addr: [BSS + 0x10, BSS + 0x40, BSS + 0x48, RT],
    size: [8, 24, 8, 24],
    name: ['main.cache', 'main.pinned', 'main.shared', 'runtime.allgs'],
  },
};

function analyse(exe: ExeSymbols | null = littleExe): HeapAnalysis {
  return buildHeapAnalysis(parseHeapDump(littleHeap()), exe);
}

function node(a: HeapAnalysis, addr: number): number {
  return a.nodeOf(hex(addr));
}

describe('heap analysis on a hand-built dump', () => {
  it('names roots from symbols, groups runtime globals, and ranks roots by retained size', () => {
    const a = analyse();
    const rows = a.rootsRanked(0, 100).rows;
    const names = rows.map((r) => r.name);
    expect(names[0]).toBe('global main.pinned');
    expect(names).toContain('global main.cache');
    expect(names).toContain('Go runtime');
    expect(names).toContain('goroutine 42 [chan receive] main.worker');
    expect(names).toContain('goroutine 2 [force gc (idle)] runtime.forcegchelper');
    expect(names).toContain(`finalizer on ${hex(F)}`);
    expect(names).toContain(`pending finalizer for ${hex(Q)}`);
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    // Interior pointers retain the whole backing arrays.
    expect(byName['global main.pinned'].retainedBytes).toBe(48 + 2 * 131072);
    expect(byName['global main.pinned'].retainedObjects).toBe(3);
    expect(byName['global main.cache'].retainedBytes).toBe(48 + 1024 + 2 * 4096);
    expect(byName['Go runtime'].kind).toBe('runtime');
    expect(byName['Go runtime'].retainedBytes).toBe(64);
    const gr = byName['goroutine 42 [chan receive] main.worker'];
    expect(gr.kind).toBe('goroutine');
    // SH is also held by main.shared: not retained by the goroutine alone.
    expect(gr.retainedBytes).toBe(16384);
    expect(gr.goroutine).toMatchObject({ goid: 42, status: 'waiting', waitReason: 'chan receive', function: 'main.worker', system: false, waitedAtLeastNs: '1000' });
    expect(byName['goroutine 2 [force gc (idle)] runtime.forcegchelper'].goroutine!.system).toBe(true);
    // Finalizer keeps the referents, not the object.
    expect(byName[`finalizer on ${hex(F)}`].retainedBytes).toBe(16);
    expect(a.isReachable(node(a, F))).toBe(false);
    expect(a.isReachable(node(a, FA))).toBe(true);
    expect(a.isReachable(node(a, Q))).toBe(true);
    // Ranking is by retained bytes, descending.
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1].retainedBytes).toBeGreaterThanOrEqual(rows[i].retainedBytes);
  });

  it('excludes garbage from reachability and counts it separately', () => {
    const s = analyse().summary();
    expect(s.objects).toBe(15);
    expect(s.garbageObjects).toBe(3); // F, Z1, Z2
    expect(s.garbageBytes).toBe(32 + 16 + 16);
    expect(s.reachableObjects).toBe(12);
    expect(s.globalsNamed).toBe(true);
    expect(s.complete).toBe(true);
  });

  it('falls back to global @0x… without symbols, and per-slot roots', () => {
    const a = analyse(null);
    const names = a.rootsRanked(0, 100).rows.map((r) => r.name);
    expect(names).toContain(`global @${hex(BSS + 0x40)}`);
    expect(names).toContain(`global @${hex(RT)}`);
    expect(a.summary().globalsNamed).toBe(false);
  });

  it('refuses symbols of another build (layout mismatch) with a warning', () => {
    const other: ExeSymbols = { ...littleExe, bss: { start: BSS, end: BSS + 0x30000 } };
    const a = analyse(other);
    expect(a.summary().warnings.join(' ')).toMatch(/does not match the dump/);
    expect(a.rootsRanked(0, 100).rows.map((r) => r.name)).toContain(`global @${hex(BSS + 0x40)}`);
  });

  it('applies the PIE slide to symbols', () => {
    const slide = 0x7f0000000000 - 0x500000;
    const pie: ExeSymbols = {
      ...littleExe,
      pie: true,
      data: { start: DATA - slide, end: DATA - slide + 0x100 },
      bss: { start: BSS - slide, end: BSS - slide + 0x20000 },
      symbols: { ...littleExe.symbols, addr: littleExe.symbols.addr.map((x) => x - slide) },
    };
    const a = analyse(pie);
    expect(a.graph.slide).toBe(slide);
    expect(a.rootsRanked(0, 3).rows[0].name).toBe('global main.pinned');
  });

  it('lists dominator children by retained size, paged', () => {
    const a = analyse();
    const top = a.dominatorChildren(0, 0, 1000);
    expect(top.total).toBe(a.graph.rootCount + 1); // every root + SH (shared by two roots)
    const sh = top.rows.find((r) => r.address === hex(SH));
    expect(sh?.kind).toBe('object');
    const pinned = a.rootsRanked(0, 1).rows[0].node;
    const kids = a.dominatorChildren(pinned, 0, 10);
    expect(kids.rows.map((r) => r.address)).toEqual([hex(S)]);
    const arrays = a.dominatorChildren(node(a, S), 0, 1);
    expect(arrays.total).toBe(2);
    expect(arrays.rows).toHaveLength(1);
    expect(arrays.rows[0]).toMatchObject({ size: 131072, retainedBytes: 131072, allocSite: 'main.loadBlob (main.go:70)' });
    expect(a.dominatorChildren(node(a, S), 1, 5).rows).toHaveLength(1);
    expect(a.topDominators(2).map((d) => d.address)).toEqual([hex(S), hex(W)]);
  });

  it('finds paths to roots: shortest first, distinct roots, with offsets, interior pointers and frames', () => {
    const a = analyse();
    const p = a.pathsToRoots(hex(X2 + 100)); // interior address resolves to X2
    expect(p.address).toBe(hex(X2));
    expect(p.paths).toHaveLength(1);
    const path = p.paths[0];
    expect(path[0].root).toEqual({ kind: 'global', name: 'global main.pinned' });
    expect(path[1]).toMatchObject({ address: hex(S), offset: 0, via: 'main.pinned+0x0' });
    expect(path[2]).toMatchObject({ address: hex(X2), offset: 24, interiorOffset: 65536, via: '+0x18', allocSite: 'main.loadBlob (main.go:70)' });

    const sh = a.pathsToRoots(hex(SH), 5);
    expect(sh.paths.map((q) => q.length)).toEqual([2, 3]); // main.shared directly, then goroutine → W → SH
    expect(sh.paths[1][0].root!.name).toBe('goroutine 42 [chan receive] main.worker');
    expect(sh.paths[1][1].via).toBe('frame main.worker sp+0x18');
    expect(a.pathsToRoots(hex(SH), 1)).toMatchObject({ more: true });

    // Ignore the main.shared edge: only the goroutine path is left.
    const shared = sh.paths[0][0].node;
    const again = a.pathsToRoots(hex(SH), 5, [[shared, node(a, SH)]]);
    expect(again.paths).toHaveLength(1);
    expect(again.paths[0][0].root!.kind).toBe('goroutine');

    const rt = a.pathsToRoots(hex(G)).paths[0];
    expect(rt[0].root).toEqual({ kind: 'runtime', name: 'Go runtime' });
    expect(rt[1].via).toBe('runtime.allgs+0x0');

    const z = a.pathsToRoots(hex(Z2));
    expect(z.reachable).toBe(false);
    expect(z.paths).toEqual([]);
    expect(() => a.pathsToRoots('0x1234')).toThrowError(/no heap object/);
    expect(() => a.pathsToRoots('bogus')).toThrowError(/not an address/);
  });

  it('merges shortest paths of a group (all objects of an allocation site)', () => {
    const a = analyse();
    const site = a.sites.find((s) => s.func === 'main.cacheSession')!;
    const m = a.mergedPaths({ kind: 'allocSite', site: site.id });
    expect(m.unreachable).toBe(0);
    const root = m.rows.find((r) => r.parent === -1)!;
    expect(root.label).toBe('global main.cache');
    expect(root.objects).toBe(2); // V1, V2 (line 57; the bucket array B is line 58: another site)
    expect(root.bytes).toBe(2 * 4096);
    const leaves = m.rows.filter((r) => r.address === hex(V1) || r.address === hex(V2));
    expect(leaves).toHaveLength(2);
    for (const l of leaves) expect(m.rows[l.parent].address).toBe(hex(B));
    const withGarbage = a.mergedPaths([hex(Z1), hex(V1)]);
    expect(withGarbage.unreachable).toBe(1);
    expect(a.mergedPaths({ kind: 'all' }, 3)).toMatchObject({ truncated: true });
  });

  it('groups objects by allocation site and by size class, for any scope', () => {
    const a = analyse();
    const sites = a.groupByAllocSite().rows;
    expect(sites[0]).toMatchObject({ label: 'main.loadBlob (main.go:70)', objects: 2, bytes: 262144 });
    const cache = sites.find((s) => s.label.startsWith('main.cacheSession'))!;
    // A site is the first non-runtime frame (function and line); its stack is kept whole.
    expect(cache.stack[0].func).toBe('runtime.makeslice');
    const none = sites.find((s) => s.site === -1)!;
    expect(none.label).toBe('(no allocation sample)');
    const cacheRoot = a.rootsRanked(0, 100).rows.find((r) => r.name === 'global main.cache')!;
    const under = a.groupByAllocSite({ kind: 'retainedBy', node: cacheRoot.node }).rows;
    expect(under.map((r) => [r.label, r.objects])).toEqual([
      ['main.cacheSession (main.go:57)', 2],
      ['main.cacheSession (main.go:58)', 1],
      ['(no allocation sample)', 1],
    ]);
    const sizes = a.groupBySizeClass().rows;
    expect(sizes[0]).toMatchObject({ size: 131072, objects: 2, bytes: 262144 });
    expect(sizes[0].label).toBe('64 KiB < size ≤ 128 KiB');
    expect(sizes.find((s) => s.size === 16)!.objects).toBe(2); // FA, Q (garbage Z1/Z2 excluded)
    expect(a.groupBySizeClass({ kind: 'garbage' }).rows.map((r) => [r.size, r.objects])).toEqual([
      [16, 2],
      [32, 1],
    ]);
    expect(a.objectsIn({ kind: 'sizeClass', size: 4096 }).rows.map((r) => r.address).sort()).toEqual([hex(V1), hex(V2)]);
  });

  it('describes one object: pointers with offsets, alloc stack, dominator, contents through a reader', () => {
    const bytes = littleHeap();
    const a = buildHeapAnalysis(parseHeapDump(bytes), littleExe);
    const d = a.objectDetails(hex(B), 0, 10, (off, len) => bytes.subarray(off, off + len), 32);
    expect(d.address).toBe(hex(B));
    expect(d.size).toBe(1024);
    expect(d.outgoing.rows.map((r) => [r.offset, r.address])).toEqual([
      [16, hex(V1)],
      [24, hex(V2)],
    ]);
    expect(d.incoming).toBe(1);
    expect(d.dominator!.label).toBe(hex(H));
    expect(d.allocStack![1].func).toBe('main.cacheSession');
    expect(d.contentHex).toHaveLength(64);
    expect(d.contentHex.slice(32, 48)).toBe('00000100c0000000'); // V1 little-endian at offset 16
    expect(a.objectDetails(hex(B)).contentHex).toBe('');
    expect(a.dominatorChain(hex(V1)).map((r) => r.label)).toEqual([hex(V1), hex(B), hex(H), 'global main.cache']);
  });

  it('produces exactly the CLI JSON shapes', () => {
    const a = analyse();
    const j = a.retainJson({ topDominators: 2 });
    expect(Object.keys(j)).toEqual(['goVersion', 'objects', 'reachableObjects', 'reachableBytes', 'garbageObjects', 'roots', 'dominators']);
    expect(j.goVersion).toBe('go1.19.8');
    expect(j.roots[0]).toEqual({ kind: 'global', name: 'global main.pinned', retainedBytes: 48 + 262144, retainedObjects: 3 });
    expect(j.dominators).toEqual([
      { address: hex(S), size: 48, retainedBytes: 48 + 262144, allocSite: null },
      { address: hex(W), size: 16384, retainedBytes: 16384, allocSite: null },
    ]);
    expect(a.retainJson({ topRoots: 2 }).roots).toHaveLength(2);
    const p = a.pathsJson(hex(V1), 3);
    expect(p).toEqual({
      paths: [
        [
          { root: { kind: 'global', name: 'global main.cache' } },
          { address: hex(H), size: 48, offset: 0, allocSite: null },
          { address: hex(B), size: 1024, offset: 8, allocSite: 'main.cacheSession (main.go:58)' },
          { address: hex(V1), size: 4096, offset: 16, allocSite: 'main.cacheSession (main.go:57)' },
        ],
      ],
    });
    // Results are plain data (they cross postMessage).
    expect(structuredClone(a.rootsRanked(0, 50))).toEqual(a.rootsRanked(0, 50));
    expect(() => structuredClone(a.objectDetails(hex(B)))).not.toThrow();
  });

  it('analyses the dump with every record kind (defers, panics, other roots)', () => {
    const a = buildHeapAnalysis(parseHeapDump(everyRecordDump()));
    const rows = a.rootsRanked(0, 100).rows;
    expect(rows.map((r) => r.kind).sort()).toEqual(['finalizer', 'global', 'global', 'goroutine', 'other', 'pending-finalizer']);
    const g = rows.find((r) => r.kind === 'goroutine')!;
    expect(g.name).toBe('goroutine 7 [chan receive] main.worker');
    // frame slot → A+0x100, panic data → A+0x200
    expect(g.directObjects).toBe(2);
  });

  it('honours cancellation between phases', () => {
    let n = 0;
    const task = {
      progress() {},
      throwIfCancelled() {
        if (++n > 3) throw new Error('cancelled');
      },
    };
    expect(() => buildHeapAnalysis(parseHeapDump(littleHeap()), littleExe, task)).toThrowError(/cancelled/);
  });

  it('releases the dump arrays on request and still answers', () => {
    const dump = parseHeapDump(littleHeap());
    const a = buildHeapAnalysis(dump, littleExe, undefined, { releaseDump: true });
    expect(dump.objects.edgeTarget.length).toBe(0);
    expect(dump.allocSamples.object.length).toBe(0);
    expect(a.rootsRanked(0, 1).rows[0].name).toBe('global main.pinned');
    expect(a.groupByAllocSite().rows[0].label).toBe('main.loadBlob (main.go:70)');
  });

  it('gives the same answers with and without releasing the dump, and the dump can be analysed again', () => {
    const snapshot = (a: HeapAnalysis) =>
      JSON.stringify([
        a.retainJson(),
        a.dominatorChildren(0, 0, 1000),
        a.groupBySizeClass({ kind: 'all' }),
        a.groupByAllocSite({ kind: 'all' }),
        a.objectDetails(hex(X1 + 8)),
        a.pathsToRoots(hex(V1), 5),
        a.mergedPaths({ kind: 'reachable' }),
      ]);
    const dump = parseHeapDump(littleHeap());
    const first = snapshot(buildHeapAnalysis(dump, littleExe));
    expect(snapshot(buildHeapAnalysis(dump, littleExe))).toBe(first);
    expect(snapshot(buildHeapAnalysis(parseHeapDump(littleHeap()), littleExe, undefined, { releaseDump: true }))).toBe(first);
  });

  it('walks a 200,000-long linked list from a global without recursion', () => {
    const w = new DumpWriter().params(A, ARENA_END);
    const n = 200_000;
    for (let i = 0; i < n; i++) w.object(A + i * 16, 16, i + 1 < n ? { 0: A + (i + 1) * 16 } : {});
    w.segment('bss', BSS, 8, { 0: A }).eof();
    const a = buildHeapAnalysis(parseHeapDump(w.finish()));
    const root = a.rootsRanked(0, 1).rows[0];
    expect(root.retainedObjects).toBe(n);
    expect(root.retainedBytes).toBe(16 * n);
    const p = a.pathsToRoots(hex(A + (n - 1) * 16), 1);
    expect(p.paths[0]).toHaveLength(n + 1);
    expect(a.dominatorChain(hex(A + (n - 1) * 16), 1e6)).toHaveLength(n + 1);
    const m = a.mergedPaths([hex(A + (n - 1) * 16)], 10);
    expect(m.truncated).toBe(true);
    expect(a.groupByAllocSite({ kind: 'retainedBy', node: root.node }).rows[0].objects).toBe(n);
  });
});
