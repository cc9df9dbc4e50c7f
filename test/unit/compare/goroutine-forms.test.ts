/**
 * One moment captured three ways (test/fixtures/modern/goroutine-forms: the program writes the
 * goroutine profile as proto, debug=1 and debug=2, then a heap dump, while every goroutine it
 * started stays blocked), on Go 1.26 and 1.27: one stack normalisation gives the same keys in every
 * form, so comparing two forms of the moment shows no new and no gone stacks. The shapes covered:
 * `go f(args)` (gowrapN wrappers, listed only by heap dumps), closures (funcN), a method value, a
 * generic function (shape names in proto and dumps, `[...]` in text), sync waits whose inlined
 * frames heap dumps do not list, select under a deeper stack, sleep; runtime goroutines (only in
 * heap dumps) are left out of a comparison with a profile.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareGoroutines, goroutineSnapshot, goroutineSnapshotFromHeap } from '../../../shared/compare';
import type { GoroutineSnapshot } from '../../../shared/compare/types';
import { cachedDump, profile, ROOT } from './fixtures';

const DIR = join(ROOT, 'test', 'fixtures', 'modern', 'goroutine-forms');

/** The goroutine that captured (its stack is the capture call, different in each form). */
const isCapturer = (stack: string[]): boolean => stack.some((f) => f.startsWith('runtime/pprof.') || f === 'runtime/debug.WriteHeapDump');

function withoutCapturer(s: GoroutineSnapshot): GoroutineSnapshot {
  const groups = s.groups.filter((g) => !isCapturer(g.stack));
  return { ...s, groups, total: groups.reduce((n, g) => n + g.count, 0) };
}

for (const v of ['1.26', '1.27']) {
  describe(`go${v}: one moment as proto, debug=1, debug=2 and heap dump`, () => {
    const d = join(DIR, `go${v}`);
    const exp = JSON.parse(readFileSync(join(d, 'expected.json'), 'utf8')) as { goVersion: string; counts: Record<string, number> };
    const forms: Record<string, GoroutineSnapshot> = {
      proto: withoutCapturer(goroutineSnapshot('goroutine.pb.gz', profile(join(d, 'goroutine.pb.gz')))),
      debug1: withoutCapturer(goroutineSnapshot('goroutine.debug1.txt', profile(join(d, 'goroutine.debug1.txt')))),
      debug2: withoutCapturer(goroutineSnapshot('goroutine.debug2.txt', profile(join(d, 'goroutine.debug2.txt')))),
      heap: withoutCapturer(goroutineSnapshotFromHeap('heap.dump', cachedDump(join(d, 'heap.dump.gz')).analysis)),
    };

    it('is the version the fixture says', () => {
      expect(exp.goVersion).toContain(`go${v}`);
    });

    it('every form counts the goroutines the program started, per function', () => {
      for (const [form, s] of Object.entries(forms)) {
        const byFn: Record<string, number> = {};
        for (const g of s.groups) if (!g.system) byFn[g.function] = (byFn[g.function] ?? 0) + g.count;
        expect(byFn, form).toEqual(exp.counts);
      }
    });

    it('every form gives the same stack keys', () => {
      const keys = (s: GoroutineSnapshot): string[] => [...new Set(s.groups.filter((g) => !g.system).map((g) => `${g.key}\t${s.groups.filter((x) => x.key === g.key).reduce((n, x) => n + x.count, 0)}`))].sort();
      const want = keys(forms.debug2!);
      expect(want).toHaveLength(Object.keys(exp.counts).length);
      for (const [form, s] of Object.entries(forms)) expect(keys(s), form).toEqual(want);
    });

    const pairs: Array<[string, string]> = [
      ['proto', 'debug2'],
      ['proto', 'heap'],
      ['debug2', 'heap'],
      ['debug1', 'heap'],
      ['heap', 'proto'],
    ];
    for (const [a, b] of pairs) {
      it(`${a} → ${b}: nothing new, nothing gone`, () => {
        const c = compareGoroutines(forms[a]!, forms[b]!);
        const moved = c.byStack.filter((x) => x.status !== 'both' || x.delta !== 0);
        expect(moved.map((x) => `${x.status} ${x.delta} ${x.key.replace(/\n/g, ' < ')}`)).toEqual([]);
        expect(c.delta).toBe(0);
        expect(c.base.total).toBe(Object.values(exp.counts).reduce((x, y) => x + y, 0));
        // debug=1 text loses the runtime frames that tell most states: its states are not compared
        if (c.byState && a !== 'debug1' && b !== 'debug1') {
          for (const st of c.byState) expect(st.delta, `${a} → ${b} state ${st.state}`).toBe(0);
        }
      });
    }

    it('a heap dump compared with itself keeps its runtime goroutines', () => {
      const c = compareGoroutines(forms.heap!, forms.heap!);
      expect(c.byStack.some((x) => x.function.startsWith('runtime.'))).toBe(true);
    });
  });
}
