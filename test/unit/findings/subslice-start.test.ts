/**
 * Sub-slice pinning when the short string or slice points at the START of a much larger backing
 * array (`doc[:12]` of a 100 KB string, `p[:12]` of a 100 KB []byte), on real heap dumps of Go 1.19,
 * 1.26 and 1.27 (test/fixtures/modern/subslice: the program, its regen.sh, the dumps). With the
 * dump readable the headers' lengths decide wherever the pointer points; strings count as well as
 * slices. Controls from the same program: whole strings, and a short head whose array is also
 * held whole, are not reported.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeFindings, type Finding } from '../../../shared/findings';
import { subslicePinning } from '../../../shared/findings/rules/heap';
import { cachedDump, ROOT } from '../compare/fixtures';

const DIR = join(ROOT, 'test', 'fixtures', 'modern', 'subslice');

interface Expected {
  goVersion: string;
  bigSize: number;
  headLen: number;
  pinCount: number;
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

    it('whole strings and heads of arrays held whole elsewhere are not pinned', () => {
      expect(by('main.keepWhole')).toBeUndefined();
      expect(pins.filter((f) => String(f.evidence.arraySite).startsWith('strings.'))).toEqual([]);
      expect(pins.filter((f) => f.subject === 'main.readPacket')).toHaveLength(1);
      expect(pins).toHaveLength(3);
    });

    it('without the dump bytes, a pointer to the start decides nothing (only the tails remain)', () => {
      const blind = subslicePinning(d.analysis, 'heap.dump');
      expect(blind.map((f) => f.evidence.referrerSite).filter((s) => String(s).startsWith('main.keepTails'))).toHaveLength(1);
      expect(blind).toHaveLength(1);
    });
  });
}
