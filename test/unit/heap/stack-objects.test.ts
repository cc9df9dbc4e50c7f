/**
 * Goroutines' stack objects (shared/heap/pclntab.ts, stackscan.ts) on real programs built here with
 * Go 1.19, 1.26 and 1.27 (test/fixtures/modern/stackobjects). The oracle is Go's own GC: the program
 * dumps right after runtime.GC(), so every object in the dump was live to it, and a dump read as the
 * GC reads the stacks has (almost) no garbage. Without the stack objects, the 20 snapshots that only
 * blocked `ch <- rec` senders hold read as garbage. A dead address-taken local is not revived: the
 * block it pointed at stays the global's alone. A goroutine's g and sudogs are its own (graph.ts): a
 * select blocked on the channel it made keeps that channel and its buffered payload, though the
 * runtime's allgs and the shared quit channel's wait queue reach its g and sudogs. Each version
 * built for amd64 and for arm64 (run here under qemu's user-mode emulator: another frame layout).
 * Also a PIE build (its addresses slid at run time) and a gzipped dump (read from its kept
 * uncompressed bytes).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadHeapDumpFile } from '../../../electron/services/heapdump-loader';
import { openChunkedFile } from '../../../electron/cli/io';
import type { HeapAnalysis, PathStep } from '../../../shared/heap';
import { computeFindings } from '../../../shared/findings';
import { buildLocationIndex, locateFinding } from '../../../shared/policy/locations';
import { buildAndDump, qemuArm64OrSkip, type GoDump } from '../../helpers/godump';
import { ROOT } from '../compare/fixtures';
import { toolchainOrSkip, type GoVersion } from '../leakprofile/toolchains';

const PROGRAM = join(ROOT, 'test', 'fixtures', 'modern', 'stackobjects', 'go');
type Expected = { goVersion: string; senders: number; snapshot: number; selects: number; payload: number; keep: number; params: number };

function retainedBy(a: HeapAnalysis, pattern: RegExp): number[] {
  return a
    .rootsRanked(0, 100_000)
    .rows.filter((r) => pattern.test(r.name))
    .map((r) => r.retainedBytes);
}

/** Paths to the biggest object the first selecter alone keeps (its payload's bytes). */
function payloadPaths(a: HeapAnalysis): PathStep[][] {
  const root = a.rootsRanked(0, 100_000).rows.find((r) => /\[select\] main\.selecter$/.test(r.name))!;
  const biggest = (node: number): number => {
    const rows = a.dominatorChildren(node, 0, 100).rows;
    return rows.length === 0 ? node : biggest(rows.reduce((x, y) => (y.retainedBytes > x.retainedBytes ? y : x)).node);
  };
  const paths = a.pathsToRoots({ node: biggest(root.node) }, 3).paths;
  expect(paths[0]![0]!.root!.name).toBe(root.name);
  return paths;
}

function load(dump: string, exe: string | null): HeapAnalysis {
  return loadHeapDumpFile(openChunkedFile, dump, exe ?? undefined).analysis;
}

const qemu = qemuArm64OrSkip('stack objects');
const cases = (['1.19', '1.26', '1.27'] as GoVersion[]).flatMap((v) => [
  { v, arch: 'amd64', tc: toolchainOrSkip(v, 'stack objects'), emulator: null },
  { v, arch: 'arm64', tc: qemu ? toolchainOrSkip(v, 'stack objects') : null, emulator: qemu },
]);

for (const { v, arch, tc, emulator } of cases) {
  describe.skipIf(!tc)(`go${v} ${arch}: goroutines' stack objects`, () => {
    let run: GoDump<Expected>;
    let a: HeapAnalysis;
    beforeAll(() => {
      run = buildAndDump<Expected>(tc!, PROGRAM, 'stackobjects', [], emulator);
      a = load(run.dump, run.exe);
      expect(a.summary().goarch).toBe(arch);
    }, 300_000);

    it('is the program built with that Go', () => {
      expect(run.expected.goVersion).toContain(`go${v}`);
    });

    it('leaves nothing the GC kept as garbage', () => {
      const s = a.summary();
      expect(s.stackObjects).toMatchObject({ objects: expect.any(Number), pointers: expect.any(Number) });
      // Only what was allocated between the GC and the dump may be unreachable: a few small objects.
      expect(s.garbageBytes).toBeLessThan(1024);
    });

    it('gives each blocked sender the snapshot its stack copy of the value holds', () => {
      const senders = retainedBy(a, /\[chan send\] main\.sender$/);
      expect(senders).toHaveLength(run.expected.senders);
      for (const r of senders) expect(r).toBeGreaterThanOrEqual(run.expected.snapshot);
    });

    it('reads an address-taken parameter in the arguments area, above its frame', () => {
      const params = retainedBy(a, /\[chan receive\] main\.param$/);
      expect(params).toHaveLength(run.expected.params);
      for (const r of params) expect(r).toBeGreaterThanOrEqual(run.expected.snapshot);
    });

    it("gives each blocked select the channel it made and the payload buffered in it, through its g", () => {
      // The channel is reached by the select's case array (a stack object) and by the runtime
      // (allgs → the goroutine's g → g.waiting's sudog → the channel): the g is the goroutine's own.
      const selects = retainedBy(a, /\[select\] main\.selecter$/);
      expect(selects).toHaveLength(run.expected.selects);
      for (const r of selects) expect(r).toBeGreaterThanOrEqual(run.expected.payload);
      // The payload's bytes: no other root reaches them (not the runtime, not another selecter).
      const paths = payloadPaths(a);
      expect(paths).toHaveLength(1);
      expect(paths[0]!.at(-1)!.size).toBeGreaterThanOrEqual(run.expected.payload);
    });

    it("says what the blocked senders keep in their finding", () => {
      const fs = computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis: a }]).findings;
      const f = fs.find((x) => x.kind === 'goroutines-blocked' && x.subject === 'main.sender')!;
      expect(f.evidence.retainedBytes as number).toBeGreaterThanOrEqual(run.expected.senders * run.expected.snapshot);
      expect(f.title).toMatch(new RegExp(`^${run.expected.senders} goroutines blocked on a channel send in main\\.sender \\(retaining 1\\.\\d+ MiB\\)`));
    });

    it('places the senders\' finding (SARIF) on the line they block at, from the binary\'s line tables', () => {
      const inputs = [{ name: 'heap.dump', kind: 'heapdump' as const, analysis: a }];
      const f = computeFindings(inputs).findings.find((x) => x.kind === 'goroutines-blocked' && x.subject === 'main.sender')!;
      const src = readFileSync(join(PROGRAM, 'main.go'), 'utf8').split('\n');
      const loc = locateFinding(buildLocationIndex(inputs), f);
      expect(loc).toMatchObject({ file: 'example.com/stackobjects/main.go', function: 'main.sender' });
      expect(src[loc!.line - 1]!.trim()).toBe('done <- rec');
    });

    it('does not revive a dead address-taken local: the global alone keeps its block', () => {
      expect(retainedBy(a, /^global main\.keep$/)).toEqual([expect.any(Number)]);
      expect(retainedBy(a, /^global main\.keep$/)[0]).toBeGreaterThanOrEqual(run.expected.keep);
      // It keeps its own goroutine state (its g), not the block.
      expect(retainedBy(a, /main\.stale$/)).toEqual([expect.any(Number)]);
      expect(retainedBy(a, /main\.stale$/)[0]).toBeLessThan(run.expected.keep);
    });

    it('without the binary the snapshots read as garbage, and the summary says why', () => {
      const bare = load(run.dump, null);
      const s = bare.summary();
      expect(s.stackObjects).toEqual({ unavailable: 'no binary' });
      expect(s.garbageBytes).toBeGreaterThanOrEqual(run.expected.senders * run.expected.snapshot);
      // A goroutine's g and its sudogs are its own with or without the binary.
      for (const r of retainedBy(bare, /\[select\] main\.selecter$/)) expect(r).toBeGreaterThanOrEqual(run.expected.payload);
      expect(payloadPaths(bare)).toHaveLength(1);
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

// PIE: the addresses slide at run time; Go ≤ 1.19 also names the section .data.rel.ro.gopclntab.
for (const v of ['1.19', '1.26'] as GoVersion[]) {
  const tcPie = toolchainOrSkip(v, 'stack objects of a PIE build');
  describe.skipIf(!tcPie)(`go${v} -buildmode=pie: stack objects at slid addresses`, () => {
  it('finds the same live objects', () => {
    const run = buildAndDump<Expected>(tcPie!, PROGRAM, 'stackobjects-pie', ['-buildmode=pie']);
    expect(execFileSync('file', ['-L', run.exe], { encoding: 'utf8' })).toMatch(/pie executable|shared object/);
    const a = load(run.dump, run.exe);
    expect(a.summary().garbageBytes).toBeLessThan(1024);
    for (const r of retainedBy(a, /main\.sender$/)) expect(r).toBeGreaterThanOrEqual(run.expected.snapshot);
  }, 300_000);
  });
}
