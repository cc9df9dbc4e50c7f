/**
 * Goroutines whose own function the compiler inlined (test/fixtures/modern/inlined, built and run
 * here with Go 1.19, 1.26 and 1.27): `go c.pump()` compiles to a wrapper that pump is inlined into,
 * and serve's call to handle, where it blocks, is inlined. A heap dump lists physical frames only;
 * with the program's binary its DWARF says which calls are inlined at each frame's pc, so the heap
 * dump's goroutines get the frames, names and stack keys their traceback (debug=2) shows (a PIE
 * build too: its pcs less the load bias). Without
 * the binary a goroutine whose only code is the wrapper is named by it, never by the runtime
 * function it waits in.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareGoroutines, goroutineSnapshot, goroutineSnapshotFromHeap } from '../../../shared/compare';
import type { GoroutineSnapshot } from '../../../shared/compare/types';
import { analyseDump, buildAndDump } from '../../helpers/godump';
import { toolchainOrSkip, type GoVersion } from '../leakprofile/toolchains';
import { profile, ROOT } from './fixtures';

const PROGRAM = join(ROOT, 'test', 'fixtures', 'modern', 'inlined', 'go');
type Expected = { goVersion: string; counts: Record<string, number> };

const ofMain = (s: GoroutineSnapshot): GoroutineSnapshot => {
  // The program's own goroutines: the capturing main goroutine and the runtime's are left out.
  const groups = s.groups.filter((g) => !g.system && g.function !== 'main.main' && g.stack.some((f) => f.startsWith('main.')));
  return { ...s, groups, total: groups.reduce((n, g) => n + g.count, 0) };
};
const byFunction = (s: GoroutineSnapshot): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const g of s.groups) out[g.function] = (out[g.function] ?? 0) + g.count;
  return out;
};

for (const v of ['1.19', '1.26', '1.27'] as GoVersion[]) {
  const tc = toolchainOrSkip(v, 'inlined goroutine functions');
  describe.skipIf(!tc)(`go${v}: goroutines whose function was inlined`, () => {
    let exp: Expected;
    let debug2: GoroutineSnapshot;
    let heap: GoroutineSnapshot;
    let bare: GoroutineSnapshot;
    let pie: GoroutineSnapshot;
    beforeAll(() => {
      const run = buildAndDump<Expected>(tc!, PROGRAM, 'inlined');
      exp = run.expected;
      debug2 = ofMain(goroutineSnapshot('goroutine.debug2.txt', profile(join(run.dir, 'goroutine.debug2.txt'))));
      heap = ofMain(goroutineSnapshotFromHeap('heap.dump', analyseDump(run).analysis));
      bare = goroutineSnapshotFromHeap('heap.dump', analyseDump(run, null).analysis);
      pie = ofMain(goroutineSnapshotFromHeap('heap.dump', analyseDump(buildAndDump<Expected>(tc!, PROGRAM, 'inlined', ['-buildmode=pie'])).analysis));
    }, 300_000);

    it('is the program built with that Go, and its traceback names the inlined functions', () => {
      expect(exp.goVersion).toContain(`go${v}`);
      expect(byFunction(debug2)).toEqual(exp.counts);
    });

    it('with the binary, the heap dump names them too, with the same stacks as debug=2', () => {
      expect(byFunction(heap)).toEqual(exp.counts);
      const c = compareGoroutines(debug2, heap);
      expect(c.byStack.filter((x) => x.status !== 'both' || x.delta !== 0).map((x) => `${x.status} ${x.key}`)).toEqual([]);
      const serve = heap.groups.find((g) => g.function === 'main.handle')!;
      expect(serve.stack).toEqual(['main.handle', 'main.serve']);
      expect(serve.state).toBe('chan receive');
    });

    it('a PIE build: its frames are read less the load bias', () => {
      expect(byFunction(pie)).toEqual(exp.counts);
    });

    it('without it, the pump goroutines are named by their own code, not the runtime', () => {
      const pump = bare.groups.find((g) => g.count === exp.counts['main.(*client).pump'] && g.state === 'chan receive' && !g.stack.includes('main.serve'))!;
      expect(pump).toBeDefined();
      expect(pump.system).toBe(false);
      expect(pump.function).toMatch(/^main\.(main\.(gowrap|func)\d+|\(\*client\)\.pump)$/);
      expect(pump.stack.every((f) => f.startsWith('main.'))).toBe(true);
    });
  });
}
