/**
 * Sub-slice pinning is one finding per holder, and it replaces the holder's own finding when the
 * pinned arrays are most of what the holder keeps (test/fixtures/modern/pinholders, built and run
 * here with Go 1.19, 1.26 and 1.27 at the default MemProfileRate, so most arrays have no
 * allocation sample):
 * - global main.docIndex holds 16-byte prefixes of 300 64 KiB documents: one finding for all 300
 *   arrays, sampled or not, named by the sampled ones' site; no second "global map main.docIndex
 *   holds 21 MiB" (evidence alsoFoundBy: global-map);
 * - global main.buffersByID holds 300 whole buffers and 12 prefixes: its pinning is a small part of
 *   what it keeps, so both findings stay.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeFindings, type Finding } from '../../../shared/findings';
import { analyseDump, buildAndDump } from '../../helpers/godump';
import { ROOT } from '../compare/fixtures';
import { toolchainOrSkip, type GoVersion } from '../leakprofile/toolchains';

const PROGRAM = join(ROOT, 'test', 'fixtures', 'modern', 'pinholders', 'go');
type Expected = { goVersion: string; docs: number; mixedPins: number; prefixLen: number };

for (const v of ['1.19', '1.26', '1.27'] as GoVersion[]) {
  const tc = toolchainOrSkip(v, 'sub-slice pinning per holder');
  describe.skipIf(!tc)(`go${v}: pinned arrays, one finding per holder`, () => {
    let exp: Expected;
    let findings: Finding[];
    beforeAll(() => {
      const run = buildAndDump<Expected>(tc!, PROGRAM, 'pinholders');
      exp = run.expected;
      const { analysis, read } = analyseDump(run);
      findings = computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis, read }]).findings;
    }, 300_000);
    const pinsOf = (holder: string) => findings.filter((f) => f.kind === 'subslice-pinning' && f.evidence.holder === holder);

    it('is the program built with that Go', () => {
      expect(exp.goVersion).toContain(`go${v}`);
    });

    it('every pinned document is in one finding, named by the site of those sampled', () => {
      const pins = pinsOf('global main.docIndex');
      expect(pins.map((f) => f.title)).toHaveLength(1);
      const f = pins[0]!;
      expect(f.evidence.arrays).toBe(exp.docs);
      expect(f.evidence.usedBytes).toBe(exp.docs * exp.prefixLen);
      const sampled = f.evidence.sampledArrays as number;
      expect(sampled).toBeGreaterThan(0);
      expect(sampled).toBeLessThan(exp.docs);
      expect(f.title).toMatch(new RegExp(`^${exp.docs} × \\d+ KiB arrays from \\S+ \\(${sampled} sampled\\) are kept alive by 16 B sub-slices held by global main\\.docIndex`));
      expect(String(f.evidence.arraySite)).not.toBe('(no allocation sample)');
      expect(f.severity).toBe('high');
    });

    it('the map that is its pinned arrays is not a second finding', () => {
      expect(findings.filter((f) => f.subject === 'global main.docIndex')).toEqual([]);
      const f = pinsOf('global main.docIndex')[0]!;
      expect(f.evidence.alsoFoundBy).toEqual(['global-map']);
      expect(f.evidence.holderType).toBe('map[string]string');
      expect(f.evidence.holderRetainedBytes as number).toBeGreaterThanOrEqual(f.evidence.arrayBytes as number);
    });

    it('a map that keeps mostly whole buffers keeps its own finding beside its few pins', () => {
      const map = findings.find((f) => f.kind === 'global-map' && f.subject === 'global main.buffersByID');
      expect(map).toBeDefined();
      const pins = pinsOf('global main.buffersByID');
      expect(pins).toHaveLength(1);
      expect(pins[0]!.evidence.arrays).toBe(exp.mixedPins);
      expect(pins[0]!.evidence.alsoFoundBy).toBeUndefined();
    });
  });
}
