/**
 * Sub-slice pinning when the short string or slice points at the START of a much larger backing
 * array (`doc[:12]` of a 100 KB string, `p[:12]` of a 100 KB []byte), on real heap dumps of Go 1.19,
 * 1.26 and 1.27 (test/fixtures/modern/subslice: the program, its regen.sh, the dumps). With the
 * dump readable the headers' lengths decide wherever the pointer points; strings count as well as
 * slices, and a slice's length counts elements (`w[:4]` of a []uint64 uses 32 bytes). Controls
 * from the same program: whole strings, a short head whose array is also held whole, whole
 * []uint64s (16384 elements fill 128 KiB), an empty channel of pointers (its buffer's pointer and
 * element size read like a short string) and big maps (a Swiss table's {groups, lengthMask} does
 * too; pointerful groups arrays begin with an allocation header) are not reported: from the dump
 * alone, and again with the program's binary built here (its DWARF types decide what each word is).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeFindings, type Finding } from '../../../shared/findings';
import { subslicePinning } from '../../../shared/findings/rules/subslice';
import { interiorOffset, type HeapAnalysis } from '../../../shared/heap/index';
import { analyseDump, buildAndDump, type GoDump } from '../../helpers/godump';
import { cachedDump, ROOT } from '../compare/fixtures';
import { toolchainOrSkip, type GoVersion } from '../leakprofile/toolchains';

const DIR = join(ROOT, 'test', 'fixtures', 'modern', 'subslice');

interface Expected {
  goVersion: string;
  bigSize: number;
  headLen: number;
  pinCount: number;
}

/**
 * The five pins the program makes, and nothing else (the controls, the maps, the whole []uint64
 * and the empty channel's buffer): the checks shared by both ways of reading it.
 */
function expectOnlyTheProgramsPins(pins: Finding[], exp: Expected, typed: boolean): void {
  const titles = JSON.stringify(pins.map((p) => p.title));
  const referrers = pins.map((f) => String(f.evidence.referrerSite ?? '').split(' ')[0]).sort();
  expect(referrers, titles).toEqual(['main.keepSliceHeads', 'main.keepStringHeads', 'main.keepTails', 'main.keepWords', 'main.keepWords']);
  expect(pins.filter((f) => String(f.evidence.arraySite).startsWith('main.fillMaps')), titles).toEqual([]);
  for (const f of pins) expect(f.evidence.arrays).toBe(exp.pinCount);
  // w[:4] of a []uint64: 4 elements of 8 bytes each, not 4 bytes. w[:4:4] says so only with the
  // binary's types (a capacity of 4 in a 128 KiB array implies no element size: read as bytes).
  const used = (holder: string) => pins.find((f) => f.subject === 'main.loadWords' && String(f.evidence.holder).endsWith(holder))?.evidence.usedBytes;
  const words = pins.filter((f) => f.subject === 'main.loadWords').map((f) => Number(f.evidence.usedBytes)).sort((x, y) => x - y);
  if (typed) {
    expect(used('main.u64Heads')).toBe(exp.pinCount * 4 * 8);
    expect(used('main.u64Cut')).toBe(exp.pinCount * 4 * 8);
  } else expect(words).toEqual([exp.pinCount * 4, exp.pinCount * 4 * 8]);
}

for (const v of ['1.19', '1.26', '1.27']) {
  const file = join(DIR, `go${v}`, 'heap.dump.gz');
  describe.skipIf(!existsSync(file))(`go${v}: sub-slices at the start of their arrays`, () => {
    const exp = JSON.parse(readFileSync(join(DIR, `go${v}`, 'expected.json'), 'utf8')) as Expected;
    const d = cachedDump(file);
    const report = computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis: d.analysis, read: d.read }]);
    const pins = report.findings.filter((f) => f.kind === 'subslice-pinning');
    const by = (referrer: string): Finding | undefined => pins.find((f) => String(f.evidence.referrerSite ?? '').startsWith(referrer));

    it('is the program the fixture says', () => {
      expect(exp.goVersion).toContain(`go${v}`);
      expect(d.analysis.summary().goVersion).toContain(`go${v}`);
    });

    it('string heads (doc[:12] of 100 KB strings) pin their strings', () => {
      const f = by('main.keepStringHeads');
      expect(f, JSON.stringify(pins.map((p) => p.title))).toBeDefined();
      expect(f!.subject).toBe('main.loadDocument');
      expect(f!.evidence.arrays).toBe(exp.pinCount);
      expect(f!.evidence.pointerOffsets).toEqual(new Array(exp.pinCount).fill(0));
      expect(f!.evidence.usedBytes).toBe(exp.pinCount * exp.headLen);
      expect(f!.evidence.lengthsRead).toBe(true);
      expect(f!.evidence.arrayBytes as number).toBeGreaterThanOrEqual(exp.pinCount * exp.bigSize);
      expect(f!.evidence.wastedBytes).toBe((f!.evidence.arrayBytes as number) - exp.pinCount * exp.headLen);
    });

    it('slice heads (p[:12] of 100 KB []byte) pin their arrays', () => {
      const f = by('main.keepSliceHeads');
      expect(f).toBeDefined();
      expect(f!.subject).toBe('main.readPacket');
      expect(f!.evidence.arrays).toBe(exp.pinCount);
      expect(f!.evidence.pointerOffsets).toEqual(new Array(exp.pinCount).fill(0));
      expect(f!.evidence.usedBytes).toBe(exp.pinCount * exp.headLen);
    });

    it('string tails (interior pointers) are still found, as their own finding', () => {
      const f = by('main.keepTails');
      expect(f).toBeDefined();
      expect(f!.subject).toBe('main.loadDocument');
      expect(f!.evidence.holder).not.toBe(by('main.keepStringHeads')!.evidence.holder);
      for (const off of f!.evidence.pointerOffsets as number[]) expect(off).toBeGreaterThan(exp.bigSize / 2);
    });

    it('whole strings, heads of arrays held whole elsewhere, map memory, whole []uint64 and an empty channel are not pinned', () => {
      expect(by('main.keepWhole')).toBeUndefined();
      expect(pins.filter((f) => String(f.evidence.arraySite).startsWith('strings.'))).toEqual([]);
      expect(pins.filter((f) => f.subject === 'main.readPacket')).toHaveLength(1);
      expectOnlyTheProgramsPins(pins, exp, false);
    });

    // Go 1.19 has no allocation headers: the check is made where there are some.
    if (v !== '1.19')
      it('a pointer to a value after its allocation header is not interior', () => {
      // Go 1.22+: the pointerful groups arrays of main.index (513 B to 32 KiB) start with a type word.
      const a = d.analysis;
      expect(headerTargets(a).length).toBeGreaterThan(0);
      for (const { node, e } of headerTargets(a).slice(0, 50)) {
        expect(interiorOffset(a.graph, e)).toBe(8);
        const row = a.objectDetails({ node }, 0, 1000).outgoing.rows.find((r) => r.node === a.graph.fwd.targets[e]);
        expect(row?.interiorOffset).toBe(0);
        const path = a.pathsToRoots({ node: a.graph.fwd.targets[e]! }, 1).paths[0]!;
        expect(path.at(-1)!.interiorOffset ?? 0).toBe(0);
      }
    });

    it('without the dump bytes, a pointer to the start decides nothing (only the tails remain)', () => {
      // (the heads of strings, byte slices and []uint64 all point at the start)
      const blind = subslicePinning(d.analysis, 'heap.dump');
      expect(blind.map((f) => f.evidence.referrerSite).filter((s) => String(s).startsWith('main.keepTails'))).toHaveLength(1);
      expect(blind).toHaveLength(1);
    });
  });
}

/** Forward edges from an object to the start of an allocation-header object's value (8 bytes in). */
function headerTargets(a: HeapAnalysis): { node: number; e: number }[] {
  const g = a.graph;
  const headered = new Set(g.typedObjects);
  const out: { node: number; e: number }[] = [];
  for (let u = g.firstObject; u < g.nodeCount && out.length < 200; u++) {
    for (let e = g.fwd.start[u]!; e < g.fwd.start[u + 1]!; e++) {
      const w = g.fwd.targets[e]!;
      if (w >= g.firstObject && headered.has(w - g.firstObject) && interiorOffset(g, e) === 8) out.push({ node: u, e });
    }
  }
  return out;
}

// The same program built and run here, read with its binary: DWARF types name every map word.
for (const v of ['1.19', '1.26', '1.27'] as GoVersion[]) {
  const tc = toolchainOrSkip(v, 'subslice-start (typed)');
  describe.skipIf(!tc)(`go${v}: sub-slices and maps with the binary's types`, () => {
    let run: GoDump<Expected> | null = null;
    beforeAll(() => {
      run = buildAndDump<Expected>(tc!, join(DIR, 'go'), 'subslice');
    }, 300_000);

    it('finds the five pins and nothing in the maps, the whole []uint64 or the channel', () => {
      const { analysis, warnings, read } = analyseDump(run!);
      expect(analysis.typesInfo().available, warnings.join('; ')).toBe(true);
      const pins = computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis, read }]).findings.filter((f) => f.kind === 'subslice-pinning');
      expect(run!.expected.goVersion).toContain(`go${v}`);
      expectOnlyTheProgramsPins(pins, run!.expected, true);
      for (const f of pins) expect(f.evidence.lengthsRead).toBe(true);
    });
  });
}
