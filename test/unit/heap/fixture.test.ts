/**
 * Acceptance on the real heap dump of test/fixtures/go/leakyapp (with its binary): named global map
 * root, blocked goroutines retaining their buffers, sub-slices pinning whole arrays, garbage excluded.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openChunkedFile } from '../../../electron/cli/io';
import { buildHeapAnalysis, HeapDumpParser, readElfSymbols, type HeapAnalysis, type ElfReader } from '../../../shared/heap/index';
import { flatBySite, readPprof } from './pprof-mini';

const DIR = join(__dirname, '../../fixtures/out/go1.19/leakyapp');
const have = existsSync(join(DIR, 'heap.dump')) && existsSync(join(DIR, 'expected.json'));

interface Expected {
  goVersion: string;
  heapDump: { globals: Record<string, string>; unreachableGarbage: { addresses: string[]; objects: number; objectBytes: number } };
  sessionCache: { entries: number; mapAddress: string; totalValueBytes: number; totalKeyBytes: number; valueAddresses: Record<string, string>; function: string };
  workers: { count: number; bufferBytes: number; goroutines: { goid: number; bufferAddress: string }[] };
  pinned: { arrayAddresses: string[]; subSliceAddresses: string[]; backingArrayBytes: number; count: number; subSliceOffset: number };
}

function load(exe: string | null, chunk = 1 << 20): HeapAnalysis {
  const f = openChunkedFile(join(DIR, 'heap.dump'));
  const p = new HeapDumpParser({ totalBytes: f.size, file: 'heap.dump' });
  for (let off = 0; off < f.size; off += chunk) p.push(f.read(off, chunk));
  f.close();
  let reader: ElfReader | undefined;
  if (exe) {
    const bytes = new Uint8Array(readFileSync(join(DIR, exe)));
    reader = { size: bytes.length, read: (o, n) => bytes.subarray(o, o + n) };
  }
  return buildHeapAnalysis(p.end(), reader);
}

describe.skipIf(!have)('leakyapp heap dump (real Go 1.19 dump + binary)', () => {
  let a: HeapAnalysis;
  let exp: Expected;
  beforeAll(() => {
    exp = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));
    a = load('leakyapp');
  });

  it('parses completely and names globals from the ELF symbol table', () => {
    const s = a.summary();
    expect(s.complete).toBe(true);
    expect(s.warnings).toEqual([]);
    expect(s.goVersion).toBe(exp.goVersion);
    expect(s.globalsNamed).toBe(true);
    const names = a.rootsRanked(0, 1000).rows.map((r) => r.name);
    expect(names).toContain('global main.sessionCache');
    expect(names).toContain('global main.pinned');
    expect(names).toContain('Go runtime');
    expect(names.filter((n) => n.startsWith('global runtime.'))).toEqual([]);
  });

  it('the global map root retains what the program put in it (within 2% of pprof inuse_space for main.cacheSession)', () => {
    const root = a.rootsRanked(0, 1000).rows.find((r) => r.name === 'global main.sessionCache')!;
    expect(root.kind).toBe('global');
    expect(root.symbol).toBe('main.sessionCache');
    expect(root.address).toBe(exp.heapDump.globals['main.sessionCache']);
    const pprof = readPprof(new Uint8Array(readFileSync(join(DIR, 'heap-3.pb.gz'))));
    const inuse = flatBySite(pprof, 'inuse_space').get('main.cacheSession')!;
    expect(inuse).toBeGreaterThan(exp.sessionCache.totalValueBytes);
    expect(Math.abs(root.retainedBytes - inuse) / inuse).toBeLessThan(0.02);
    expect(root.retainedBytes).toBeGreaterThanOrEqual(exp.sessionCache.totalValueBytes + exp.sessionCache.totalKeyBytes);
    // Every value is dominated by the map root.
    for (const addr of Object.values(exp.sessionCache.valueAddresses)) {
      const chain = a.dominatorChain(addr);
      expect(chain[chain.length - 1].node).toBe(root.node);
    }
    // The objects it retains are allocated in main.cacheSession (plus the map header made at init).
    const sites = a.groupByAllocSite({ kind: 'retainedBy', node: root.node }).rows;
    expect(sites[0].label).toMatch(/^main\.cacheSession \(main\.go:\d+\)$/);
    const fromCacheSession = sites.filter((s) => s.label.startsWith('main.cacheSession')).reduce((x, s) => x + s.bytes, 0);
    expect(Math.abs(fromCacheSession - inuse) / inuse).toBeLessThan(0.02);
    // Top dominator of the map: the map header.
    expect(a.dominatorChildren(root.node, 0, 1).rows[0].address).toBe(exp.sessionCache.mapAddress);
  });

  it('the blocked workers are goroutine roots with their wait reason, each retaining its buffer', () => {
    const roots = a.rootsRanked(0, 1000).rows.filter((r) => r.kind === 'goroutine' && r.goroutine!.function === 'main.worker');
    expect(roots).toHaveLength(exp.workers.count);
    for (const w of exp.workers.goroutines) {
      const r = roots.find((x) => x.goroutine!.goid === w.goid)!;
      expect(r.name).toBe(`goroutine ${w.goid} [chan receive] main.worker`);
      expect(r.goroutine!.waitReason).toBe('chan receive');
      expect(r.retainedBytes).toBeGreaterThanOrEqual(exp.workers.bufferBytes);
      const buf = a.nodeOf(w.bufferAddress);
      expect(a.idom[buf]).toBe(r.node);
      const p = a.pathsToRoots(w.bufferAddress, 3);
      expect(p.paths[0][0].root!.name).toBe(r.name);
      expect(p.paths[0][1].via).toMatch(/^frame main\.worker sp\+0x[0-9a-f]+$/);
    }
  });

  it('the global holding small sub-slices retains the full backing arrays', () => {
    const root = a.rootsRanked(0, 1000).rows.find((r) => r.name === 'global main.pinned')!;
    expect(root.retainedBytes).toBeGreaterThanOrEqual(exp.pinned.count * exp.pinned.backingArrayBytes);
    expect(root.retainedBytes).toBeLessThan(exp.pinned.count * exp.pinned.backingArrayBytes + 4096);
    exp.pinned.arrayAddresses.forEach((arr, i) => {
      const chain = a.dominatorChain(arr);
      expect(chain[0].size).toBe(exp.pinned.backingArrayBytes);
      expect(chain[chain.length - 1].node).toBe(root.node);
      // The sub-slice address is inside the array: it resolves to the array, through an interior pointer.
      expect(a.nodeOf(exp.pinned.subSliceAddresses[i])).toBe(a.nodeOf(arr));
      const p = a.pathsToRoots(arr, 1).paths[0];
      expect(p[0].root!.name).toBe('global main.pinned');
      expect(p[p.length - 1].interiorOffset).toBe(exp.pinned.subSliceOffset);
    });
    const json = a.pathsJson(exp.pinned.arrayAddresses[0], 2);
    expect(json.paths[0][0]).toEqual({ root: { kind: 'global', name: 'global main.pinned' } });
    expect(json.paths[0][json.paths[0].length - 1]).toMatchObject({ address: exp.pinned.arrayAddresses[0], size: exp.pinned.backingArrayBytes });
  });

  it('excludes the garbage left in the dump and counts it', () => {
    for (const g of exp.heapDump.unreachableGarbage.addresses) expect(a.isReachable(a.nodeOf(g))).toBe(false);
    const s = a.summary();
    expect(s.garbageObjects).toBeGreaterThanOrEqual(exp.heapDump.unreachableGarbage.objects);
    expect(s.reachableObjects + s.garbageObjects).toBe(s.objects);
  });

  it('ranks roots by retained size in retain JSON, with top dominators and alloc sites', () => {
    const j = a.retainJson();
    expect(j.roots[0].name).toBe('global main.pinned');
    expect(j.roots[1].name).toBe('global main.sessionCache');
    for (let i = 1; i < j.roots.length; i++) expect(j.roots[i - 1].retainedBytes).toBeGreaterThanOrEqual(j.roots[i].retainedBytes);
    expect(j.dominators[0].allocSite).toMatch(/^main\.pinBlob/);
  });

  it('gives the same analysis whatever the read chunk size', () => {
    const b = load('leakyapp', 4093);
    expect(b.retainJson()).toEqual(a.retainJson());
  });

  it('falls back to global @0x… with the stripped binary, and without one', () => {
    for (const exe of existsSync(join(DIR, 'leakyapp.stripped')) ? ['leakyapp.stripped', null] : [null]) {
      const s = load(exe);
      const names = s.rootsRanked(0, 1000).rows.map((r) => r.name);
      expect(names).toContain(`global @${exp.heapDump.globals['main.sessionCache']}`);
      if (exe) expect(s.summary().warnings.join(' ')).toMatch(/stripped/);
      // Same reachability and totals as with symbols.
      expect(s.summary().reachableBytes).toBe(a.summary().reachableBytes);
    }
  });

  it('reads only the headers and the symbol table of the binary', () => {
    const bytes = new Uint8Array(readFileSync(join(DIR, 'leakyapp')));
    let read = 0;
    const syms = readElfSymbols({ size: bytes.length, read: (o, n) => ((read += n), bytes.subarray(o, o + n)) });
    expect(syms.pie).toBe(false);
    expect(syms.stripped).toBe(false);
    expect(read).toBeLessThan(bytes.length / 2);
    const i = syms.symbols.name.indexOf('main.sessionCache');
    expect('0x' + syms.symbols.addr[i].toString(16)).toBe(exp.heapDump.globals['main.sessionCache']);
  });
});
