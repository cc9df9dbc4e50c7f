/**
 * Sub-slice pinning is one finding per holder, and it replaces the holder's own finding when the
 * pinned arrays are most of what the holder keeps (test/fixtures/modern/pinholders, built and run
 * here with Go 1.19, 1.26 and 1.27 at the default MemProfileRate, so most arrays have no
 * allocation sample):
 * - global main.docIndex holds 16-byte prefixes of 300 64 KiB documents: one finding for all 300
 *   arrays, sampled or not, named by the sampled ones' site; no second "global map main.docIndex
 *   holds 21 MiB" (evidence alsoFoundBy: global-map);
 * - global main.buffersByID holds 300 whole buffers and 12 prefixes: its pinning is a small part of
 *   what it keeps, so both findings stay;
 * - global main.names holds whole strings strings.Repeat allocates: filled by main.fillNames.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeFindings, type Finding, type FindingsInput } from '../../../shared/findings';
import { buildLocationIndex, locateFinding, type LocationIndex } from '../../../shared/policy';
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
    let where: LocationIndex;
    beforeAll(() => {
      const run = buildAndDump<Expected>(tc!, PROGRAM, 'pinholders');
      exp = run.expected;
      const { analysis, read } = analyseDump(run);
      const inputs: FindingsInput[] = [{ name: 'heap.dump', kind: 'heapdump', analysis, read }];
      findings = computeFindings(inputs).findings;
      where = buildLocationIndex(inputs);
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
      // The sampled arrays' site is in the standard library (strings.Builder): named with its caller.
      expect(f.title).toMatch(new RegExp(`^${exp.docs} × \\d+ KiB arrays from main\\.render via (?:strings|fmt)\\.\\S+ \\(${sampled} sampled\\) are kept alive by 16 B sub-slices held by global main\\.docIndex`));
      expect(f.evidence.arraysCaller).toBe('main.render');
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

    it("a map filled through the standard library (strings.Repeat) is 'filled by' the program's function", () => {
      const map = findings.find((f) => f.kind === 'global-map' && f.subject === 'global main.names')!;
      expect(map).toBeDefined();
      const firstSampled = (map.evidence.biggestSites as string[]).find((x) => !x.startsWith('(no allocation sample)'))!;
      expect(firstSampled).toMatch(/^(?:strings\.|internal\/bytealg\.)/); // 1.19: strings.(*Builder).grow; 1.26+: internal/bytealg.MakeNoZero
      expect(map.title).toContain(', filled by main.fillNames;');
    });

    it('check and SARIF place them in the program: a standard library site by its caller there', () => {
      const src = readFileSync(join(PROGRAM, 'main.go'), 'utf8').split('\n');
      const lineOf = (text: string) => src.findIndex((l) => l.includes(text)) + 1;
      const pin = pinsOf('global main.docIndex')[0]!;
      expect(String(pin.evidence.arraySite)).toMatch(/^(strings|fmt)\./);
      expect(locateFinding(where, pin)).toEqual({ file: 'example.com/pinholders/main.go', line: lineOf('fmt.Fprintf(&sb'), function: 'main.render' });
      // A root's finding: where what fills it was allocated, its biggest sampled site (which one
      // is sampling's luck: the buffers, or the map's own storage where main assigns to it).
      const map = findings.find((f) => f.kind === 'global-map' && f.subject === 'global main.buffersByID')!;
      const at = locateFinding(where, map)!;
      const want: Record<string, number> = { 'main.readBuffer': lineOf('b := make([]byte, docSize)'), 'main.main': lineOf('buffersByID[i] = b') };
      expect(at.file).toBe('example.com/pinholders/main.go');
      // Go 1.19's WriteHeapDump gives the first frame of an allocation stack the line of its return
      // address (the user's frame comes first there; shared/heap/README.md): the line after, at times.
      expect([want[at.function], ...(v === '1.19' ? [want[at.function]! + 1] : [])], JSON.stringify(map.evidence.biggestSites)).toContain(at.line);
      expect(String((map.evidence.biggestSites as string[]).find((x) => !x.startsWith('(no allocation sample)')))).toContain(`${at.function} (main.go:${at.line})`);
    });
  });
}
