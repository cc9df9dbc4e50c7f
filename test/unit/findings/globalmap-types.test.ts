/**
 * A global map is named a global map even when none of the map's own memory carries an allocation
 * sample. Samples are random: the matrix's service program (MemProfileRate 4096) keeps 600 entries
 * whose map has one big allocation, its 27 KiB group array, and that array goes unsampled in about
 * one dump of 800 (at the default 512 KiB rate, in nearly every dump); its header, directory and
 * table are small and almost never sampled. With the binary's DWARF, typing names those objects
 * (map.hdr / map.table / map.group / map.bucket), so the rule does not depend on the dice.
 *
 * 1. A hand-built dump (test/unit/heap/dumpwriter.ts) whose map header and group array have no
 *    sample, typed by hand as typing names them: a global map with types, a plain root without.
 * 2. The real service dumps of the Go matrix (1.19, 1.26, 1.27), typed from their binaries, with
 *    every allocation sample dropped.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildHeapAnalysis, HeapTypes, parseHeapDump, type ExeSymbols, type HeapAnalysis } from '../../../shared/heap/index';
import { RANK_EXACT, RANK_PROPAGATED } from '../../../shared/heap/typing';
import { computeFindings, type Finding } from '../../../shared/findings';
import { openChunkedFile } from '../../../electron/cli/io';
import { loadHeapDumpFile } from '../../../electron/services/heapdump-loader';
import { matrixRuns } from '../../helpers/matrix';
import { ARENA as A, ARENA_END, DumpWriter } from '../heap/dumpwriter';

const BSS = 0x510000;
const HDR = A + 0x1000; // map header, 48 B
const GROUPS = A + 0x10000; // group array: 40 groups of 200 B
const E = (i: number) => A + 0x100000 + i * 0x400; // 100 values of 1 KiB
const BLOB = A + 0x200000; // a plain 64 KiB array

const exe: ExeSymbols = {
  format: 'elf',
  pie: false,
  stripped: false,
  sections: [{ name: '.bss', addr: BSS, size: 0x1000 }],
  bss: { start: BSS, end: BSS + 0x1000 },
  symbols: { addr: [BSS + 0x10, BSS + 0x20], size: [8, 24], name: ['main.auditLog', 'main.blob'] },
};

function dumpBytes(): Uint8Array {
  const w = new DumpWriter();
  w.params(A, ARENA_END, 'go1.26.8');
  w.object(HDR, 48, { 16: GROUPS });
  const slots: Record<number, number> = {};
  for (let i = 0; i < 100; i++) slots[8 + (i % 40) * 200 + 8 + Math.floor(i / 40) * 24 + 16] = E(i);
  w.object(GROUPS, 40 * 200, slots);
  for (let i = 0; i < 100; i++) w.object(E(i), 1024);
  w.object(BLOB, 65536);
  w.segment('bss', BSS, 0x1000, { 0x10: HDR, 0x20: BLOB });
  w.memstats();
  // Only the values are sampled, through user code: nothing says "map" but the types.
  w.memprof(0xa0, 1024, [
    { func: 'runtime.mallocgc', file: 'malloc.go', line: 1 },
    { func: 'main.audit.func1', file: '/src/main.go', line: 91 },
  ]);
  for (let i = 0; i < 100; i += 4) w.allocSample(E(i), 0xa0);
  w.eof();
  return w.finish();
}

/** Types objects by address the way typing names them (map internals viewcore-style). */
function typed(a: HeapAnalysis, byAddr: Array<[number, string, number, boolean]>): void {
  const t = new HeapTypes(a.graph.objectCount);
  for (const [addr, name, size, array] of byAddr) {
    const node = a.nodeOf({ address: addr });
    const e = t.intern(name, null, size, array, 0, new Map());
    t.obj[node - a.graph.firstObject] = e.id | ((array ? RANK_EXACT : RANK_PROPAGATED) << 30);
  }
  a.types = t;
}

const find = (fs: Finding[], subject: string) => fs.find((f) => f.subject === subject);

describe('global map without a sample of the map (hand-built dump)', () => {
  const bytes = dumpBytes();

  it('without types, the samples alone cannot tell: a plain root (the behaviour the types fix)', () => {
    const a = buildHeapAnalysis(parseHeapDump(bytes), exe);
    const fs = computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis: a }]).findings;
    expect(find(fs, 'global main.auditLog')?.kind).toBe('retained-by-root');
  });

  it('with the types of its header and groups, it is a global map; a plain array stays a plain root', () => {
    const a = buildHeapAnalysis(parseHeapDump(bytes), exe);
    typed(a, [
      [HDR, 'map.hdr[string]*main.auditEntry', 48, false],
      [GROUPS, 'map.group[string]*main.auditEntry', 200, true],
      ...Array.from({ length: 100 }, (_, i): [number, string, number, boolean] => [E(i), 'uint8', 1, true]),
      [BLOB, 'uint8', 1, true],
    ]);
    const fs = computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis: a }]).findings;
    const f = find(fs, 'global main.auditLog');
    expect(f?.kind).toBe('global-map');
    expect(f!.evidence.holdsMap).toBe(true);
    expect(f!.title).toMatch(/^global map main\.auditLog holds /);
    expect(find(fs, 'global main.blob')?.kind).toBe('retained-by-root');
  });

  it('a Swiss table directory or Go 1.19 buckets count as map memory too', () => {
    for (const name of ['*map.table[string]*main.auditEntry', 'map.table[string]*main.auditEntry', 'map.bucket[string]*main.auditEntry', 'runtime.bmap']) {
      const a = buildHeapAnalysis(parseHeapDump(bytes), exe);
      typed(a, [[GROUPS, name, 200, true]]);
      const fs = computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis: a }]).findings;
      expect(find(fs, 'global main.auditLog')?.kind, name).toBe('global-map');
    }
  });
});

const services = matrixRuns().filter((r) => r.program === 'service' && existsSync(join(r.dir, 'heap.dump')));

describe.skipIf(services.length === 0)('global map without a sample of the map (matrix service dumps)', () => {
  it.each(services)('go$version/service: main.auditLog is a global map with every allocation sample dropped', ({ dir }) => {
    const { analysis: a } = loadHeapDumpFile(openChunkedFile, join(dir, 'heap.dump'), join(dir, 'service'));
    expect(a.typesInfo().available).toBe(true);
    a.objBucket.fill(-1); // as if no allocation had been sampled (the map's, in particular)
    const fs = computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis: a }]).findings;
    const f = find(fs, 'global main.auditLog');
    expect(f?.kind, JSON.stringify(fs.map((x) => `${x.kind} ${x.subject}`))).toBe('global-map');
    expect(f!.evidence.holdsMap).toBe(true);
  }, 60_000);
});
