/**
 * Goroutines' stack objects (shared/heap/pclntab.ts, stackscan.ts) on real programs built here with
 * Go 1.19, 1.26 and 1.27 (test/fixtures/modern/stackobjects). The oracle is Go's own GC: the program
 * dumps right after runtime.GC(), so every object in the dump was live to it, and a dump read as the
 * GC reads the stacks has (almost) no garbage. Without the stack objects, the 20 snapshots that only
 * blocked `ch <- rec` senders hold read as garbage. A dead address-taken local is not revived: the
 * block it pointed at stays the global's alone. Also a PIE build (its addresses slid at run time)
 * and a gzipped dump (read from its kept uncompressed bytes).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadHeapDumpFile } from '../../../electron/services/heapdump-loader';
import { openChunkedFile } from '../../../electron/cli/io';
import type { HeapAnalysis } from '../../../shared/heap';
import { buildAndDump, type GoDump } from '../../helpers/godump';
import { ROOT } from '../compare/fixtures';
import { toolchainOrSkip, type GoVersion } from '../leakprofile/toolchains';

const PROGRAM = join(ROOT, 'test', 'fixtures', 'modern', 'stackobjects', 'go');
type Expected = { goVersion: string; senders: number; snapshot: number; selects: number; payload: number; keep: number };

function retainedBy(a: HeapAnalysis, pattern: RegExp): number[] {
  return a
    .rootsRanked(0, 100_000)
    .rows.filter((r) => pattern.test(r.name))
    .map((r) => r.retainedBytes);
}

function load(dump: string, exe: string | null): HeapAnalysis {
  return loadHeapDumpFile(openChunkedFile, dump, exe ?? undefined).analysis;
}

for (const v of ['1.19', '1.26', '1.27'] as GoVersion[]) {
  const tc = toolchainOrSkip(v, 'stack objects');
  describe.skipIf(!tc)(`go${v}: goroutines' stack objects`, () => {
    let run: GoDump<Expected>;
    let a: HeapAnalysis;
    beforeAll(() => {
      run = buildAndDump<Expected>(tc!, PROGRAM, 'stackobjects');
      a = load(run.dump, run.exe);
    }, 300_000);

    it('is the program built with that Go', () => {
      expect(run.expected.goVersion).toContain(`go${v}`);
    });

    it('leaves nothing the GC kept as garbage', () => {
      const s = a.summary();
      expect(s.stackObjects).toMatchObject({ objects: expect.any(Number), pointers: expect.any(Number) });
      // Only what was allocated between the GC and the dump may be unreachable: far below one snapshot.
      expect(s.garbageBytes).toBeLessThan(run.expected.snapshot / 4);
    });

    it('gives each blocked sender the snapshot its stack copy of the value holds', () => {
      const senders = retainedBy(a, /\[chan send\] main\.sender$/);
      expect(senders).toHaveLength(run.expected.senders);
      for (const r of senders) expect(r).toBeGreaterThanOrEqual(run.expected.snapshot);
    });

    it('does not revive a dead address-taken local: the global alone keeps its block', () => {
      expect(retainedBy(a, /^global main\.keep$/)).toEqual([expect.any(Number)]);
      expect(retainedBy(a, /^global main\.keep$/)[0]).toBeGreaterThanOrEqual(run.expected.keep);
      expect(retainedBy(a, /main\.stale$/)).toEqual([0]);
    });

    it('without the binary the snapshots read as garbage, and the summary says why', () => {
      const bare = load(run.dump, null);
      const s = bare.summary();
      expect(s.stackObjects).toEqual({ unavailable: 'no binary' });
      expect(s.garbageBytes).toBeGreaterThanOrEqual(run.expected.senders * run.expected.snapshot);
    });

    it('reads a gzipped dump the same way', () => {
      const gz = join(run.dir, 'heap.dump.gz');
      writeFileSync(gz, gzipSync(readFileSync(run.dump)));
      const g = load(gz, run.exe);
      expect(g.summary().stackObjects).toEqual(a.summary().stackObjects);
      expect(retainedBy(g, /main\.sender$/)).toEqual(retainedBy(a, /main\.sender$/));
    });
  });
}

const tc26 = toolchainOrSkip('1.26', 'stack objects of a PIE build');
describe.skipIf(!tc26)('go1.26 -buildmode=pie: stack objects at slid addresses', () => {
  it('finds the same live objects', () => {
    const run = buildAndDump<Expected>(tc26!, PROGRAM, 'stackobjects-pie', ['-buildmode=pie']);
    expect(execFileSync('file', ['-L', run.exe], { encoding: 'utf8' })).toMatch(/pie executable|shared object/);
    const a = load(run.dump, run.exe);
    expect(a.summary().garbageBytes).toBeLessThan(run.expected.snapshot / 4);
    for (const r of retainedBy(a, /main\.sender$/)) expect(r).toBeGreaterThanOrEqual(run.expected.snapshot);
  }, 300_000);
});
