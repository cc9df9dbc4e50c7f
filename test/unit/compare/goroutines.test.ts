/**
 * Goroutine snapshots from every source (proto, debug=1, debug=2, heap dump) and their comparison:
 * counts by stack, by state (wait reason) with deltas, and long waiters.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareGoroutines, goroutineSnapshot, goroutineSnapshotFromHeap, longWaiters, stackKeyFrames } from '../../../shared/compare';
import { importProfile } from '../../../shared/profile';
import { LEAKYAPP, PATTERNS, cachedDump, haveExtra, haveLeakyapp, inflate, profile } from './fixtures';

interface Expected {
  workers: { function: string; count: number; waitReason: string; createdBy: string; bufferBytes: number; goroutines: Array<{ goid: number }> };
}

function debug2(text: string) {
  return importProfile(new TextEncoder().encode(text), 'dump.txt', { gunzip: inflate });
}

function block(id: number, state: string, fn: string, creator = 'main.main'): string {
  return `goroutine ${id} [${state}]:\nruntime.gopark(0x0)\n\t/go/src/runtime/proc.go:363 +0xd6\n${fn}(0x1)\n\t/src/main.go:${10 + (id % 3)} +0x25\ncreated by ${creator}\n\t/src/main.go:5 +0x1\n\n`;
}

describe.skipIf(!haveLeakyapp)('goroutine snapshots of leakyapp', () => {
  const exp = JSON.parse(readFileSync(join(LEAKYAPP, 'expected.json'), 'utf8')) as Expected;

  it('finds the blocked workers in every format, with the state where the format has one', () => {
    const want = exp.workers;
    for (const [file, state] of [
      ['goroutine.pb.gz', want.waitReason], // inferred from runtime.chanrecv
      ['goroutine.debug2.txt', want.waitReason],
      ['goroutine.debug1.txt', null], // the text format drops the runtime frames
    ] as const) {
      const s = goroutineSnapshot(file, profile(join(LEAKYAPP, file)));
      const g = s.groups.filter((x) => x.function === want.function);
      expect(g.length, file).toBe(1);
      expect(g[0]!.count, file).toBe(want.count);
      expect(g[0]!.state, file).toBe(state);
      expect(g[0]!.stack[0]).toBe(want.function);
      expect(s.groups[0]!.function).toBe(want.function); // biggest first
    }
    const d2 = goroutineSnapshot('d2', profile(join(LEAKYAPP, 'goroutine.debug2.txt')));
    const w = d2.groups.find((x) => x.function === want.function)!;
    expect(w.createdBy).toBe(want.createdBy);
    expect(w.ids.length).toBe(want.count);
    expect(d2.total).toBe(d2.groups.reduce((a, g) => a + g.count, 0));
  });

  it('reads goroutines out of the heap dump with what each group retains', () => {
    const a = cachedDump(join(LEAKYAPP, 'heap.dump'), join(LEAKYAPP, 'leakyapp')).analysis;
    const s = goroutineSnapshotFromHeap('heap.dump', a);
    const w = s.groups.filter((x) => x.function === exp.workers.function);
    expect(w.reduce((n, g) => n + g.count, 0)).toBe(exp.workers.count);
    expect(w.every((g) => g.state === exp.workers.waitReason)).toBe(true);
    expect(w.reduce((n, g) => n + (g.retainedBytes ?? 0), 0)).toBeGreaterThanOrEqual(exp.workers.count * exp.workers.bufferBytes);
    expect(new Set(w.flatMap((g) => g.ids))).toEqual(new Set(exp.workers.goroutines.map((x) => x.goid)));
    expect(s.groups.some((g) => g.system)).toBe(true); // GC workers, finalizer goroutine
  });

  it('compares a snapshot with itself as all zero, and across formats by the same stack keys', () => {
    const pb = goroutineSnapshot('pb', profile(join(LEAKYAPP, 'goroutine.pb.gz')));
    const d2 = goroutineSnapshot('d2', profile(join(LEAKYAPP, 'goroutine.debug2.txt')));
    const self = compareGoroutines(pb, pb);
    expect(self.delta).toBe(0);
    expect(self.byStack.every((r) => r.delta === 0 && r.status === 'both')).toBe(true);
    const c = compareGoroutines(pb, d2);
    const worker = c.byStack.find((r) => r.function === exp.workers.function)!;
    expect([worker.base, worker.target, worker.delta, worker.status]).toEqual([exp.workers.count, exp.workers.count, 0, 'both']);
    expect(c.byState).not.toBeNull();
    expect(c.byState!.find((r) => r.state === exp.workers.waitReason)).toMatchObject({ base: exp.workers.count, target: exp.workers.count, delta: 0 });
  });
});

describe.skipIf(!haveExtra)('goroutine comparison of a leaking process (patterns)', () => {
  const exp = JSON.parse(readFileSync(join(PATTERNS, 'patterns.json'), 'utf8')) as { waitersPerRound: number; requestsPerRound: number; waiterFunction: string; waiterState: string };

  it('counts growth by stack and by wait reason', () => {
    const a = goroutineSnapshot('1', profile(join(PATTERNS, 'goroutine-1.pb.gz')));
    const b = goroutineSnapshot('2', profile(join(PATTERNS, 'goroutine-2.pb.gz')));
    const c = compareGoroutines(a, b);
    expect(c.delta).toBe(b.total - a.total);
    const row = (fn: string) => c.byStack.find((r) => r.function === fn)!;
    expect(row(exp.waiterFunction)).toMatchObject({ base: exp.waitersPerRound, target: 2 * exp.waitersPerRound, delta: exp.waitersPerRound, states: [exp.waiterState] });
    expect(row('net/http.(*persistConn).readLoop').delta).toBe(exp.requestsPerRound);
    expect(row('net/http.(*persistConn).writeLoop').delta).toBe(exp.requestsPerRound);
    // Biggest increase first.
    for (let i = 1; i < c.byStack.length; i++) expect(c.byStack[i - 1]!.delta).toBeGreaterThanOrEqual(c.byStack[i]!.delta);
    const sel = c.byState!.find((r) => r.state === 'select')!;
    expect(sel.delta).toBeGreaterThanOrEqual(exp.waitersPerRound + 2 * exp.requestsPerRound);
    expect(c.byStackAndState!.find((r) => r.function === exp.waiterFunction && r.state === 'select')!.delta).toBe(exp.waitersPerRound);
    // debug=2 of the same moment as goroutine-2.pb.gz: nothing changed.
    const d = goroutineSnapshot('2t', profile(join(PATTERNS, 'goroutine-2.debug2.txt')));
    const same = compareGoroutines(b, d);
    expect(same.byStack.find((r) => r.function === exp.waiterFunction)!.delta).toBe(0);
  });

  it('agrees with the heap dump of the same process on the goroutine stacks', () => {
    const a = cachedDump(join(PATTERNS, 'patterns.dump.gz'), join(PATTERNS, 'patterns.sym.gz')).analysis;
    const s = goroutineSnapshotFromHeap('dump', a);
    const waiters = s.groups.filter((g) => g.function === exp.waiterFunction);
    expect(waiters.reduce((n, g) => n + g.count, 0)).toBe(2 * exp.waitersPerRound);
    expect(waiters.every((g) => g.state === 'select')).toBe(true);
    // The go-statement wrappers the dump lists do not rename the HTTP loops.
    expect(s.groups.filter((g) => g.function === 'net/http.(*persistConn).readLoop').reduce((n, g) => n + g.count, 0)).toBe(2 * exp.requestsPerRound);
  });
});

describe('goroutine stacks and waits (hand-written dumps)', () => {
  it('trims runtime frames at both ends and keys groups by stack and state', () => {
    expect(stackKeyFrames(['runtime.gopark', 'runtime.chanrecv1', 'main.a', 'main.b', 'runtime.goexit'])).toEqual(['main.a', 'main.b']);
    expect(stackKeyFrames(['runtime.gopark', 'runtime.bgsweep', 'runtime.goexit'])).toEqual(['runtime.gopark', 'runtime.bgsweep']);
    // A heap dump without its binary: `go w.run()` whose run was inlined into its wrapper keeps the
    // wrapper, whatever standard library frames it waits in; a runtime wrapper is no program code.
    expect(stackKeyFrames(['runtime.gopark', 'runtime.chanrecv', 'runtime.chanrecv2', 'main.main.func1.gowrap1', 'runtime.goexit'])).toEqual(['main.main.func1.gowrap1']);
    expect(stackKeyFrames(['runtime.gopark', 'time.Sleep', 'main.main.gowrap1', 'runtime.goexit'])).toEqual(['time.Sleep', 'main.main.gowrap1']);
    expect(stackKeyFrames(['runtime.gopark', 'runtime.bgsweep', 'runtime.gcenable.gowrap1', 'runtime.goexit'])).toEqual(['runtime.gopark', 'runtime.bgsweep']);
    let text = '';
    for (let i = 1; i <= 4; i++) text += block(i, 'chan receive', 'main.a');
    for (let i = 5; i <= 6; i++) text += block(i, 'select', 'main.a');
    text += block(7, 'IO wait', 'main.b');
    const s = goroutineSnapshot('x', debug2(text));
    expect(s.groups.map((g) => [g.function, g.state, g.count])).toEqual([
      ['main.a', 'chan receive', 4],
      ['main.a', 'select', 2],
      ['main.b', 'IO wait', 1],
    ]);
  });

  it('reports goroutines waiting longer than a threshold, longest first', () => {
    let text = '';
    text += block(1, 'chan receive, 42 minutes', 'main.stuck');
    text += block(2, 'chan receive, 9 minutes', 'main.stuck');
    text += block(3, 'chan receive, 15 minutes', 'main.stuck');
    text += block(4, 'select, 120 minutes', 'main.other');
    text += block(5, 'running', 'main.busy');
    const s = goroutineSnapshot('x', debug2(text));
    const lw = longWaiters(s, 10);
    expect(lw).toEqual([
      { key: 'main.other', function: 'main.other', state: 'select', count: 1, maxWaitMinutes: 120 },
      { key: 'main.stuck', function: 'main.stuck', state: 'chan receive', count: 2, maxWaitMinutes: 42 },
    ]);
    expect(longWaiters(s, 200)).toEqual([]);
    const c = compareGoroutines(goroutineSnapshot('empty', debug2(block(9, 'running', 'main.busy'))), s);
    expect(c.byStack.find((r) => r.function === 'main.stuck')).toMatchObject({ base: 0, target: 3, status: 'new', maxWaitMinutes: 42 });
    expect(c.byStack.find((r) => r.function === 'main.busy')).toMatchObject({ base: 1, target: 1, status: 'both' });
  });

  it.skipIf(!existsSync(join(LEAKYAPP, 'goroutine.pb.gz')))('leaves goroutines gone from the target marked gone', () => {
    const s = goroutineSnapshot('x', debug2(block(1, 'select', 'main.only')));
    const pb = goroutineSnapshot('pb', profile(join(LEAKYAPP, 'goroutine.pb.gz')));
    const c = compareGoroutines(s, pb);
    expect(c.byStack.find((r) => r.function === 'main.only')).toMatchObject({ base: 1, target: 0, delta: -1, status: 'gone' });
  });
});
