/**
 * Channel timers pending in the runtime's timer heap that nothing else holds (`timers-pending`).
 *
 * `time.After(d)` in a loop leaves a timer per iteration in the P's timer heap until it fires, with
 * its channel and the Time it will send: a consumer waiting with a one-hour timeout per message
 * keeps every message's timer for an hour. Before Go 1.23 always; on 1.23–1.26 when the program runs
 * with `asynctimerchan=1` (its go.mod says go < 1.23, or GODEBUG sets it), since the new timers are
 * not in a heap unless a goroutine waits on their channel; 1.27 removed the setting.
 *
 * Read with the binary's types: the P's timer heaps (`[N]*runtime.timer` up to 1.22, `[N]runtime.
 * timerWhen` from 1.23) point into each timer's `runtime.timer`, 8 bytes into a `time.Timer` up to
 * 1.22 and 16 into a `runtime.timeTimer` from 1.23; `C`/`c`, the channel, is the first word either
 * way (nil for `time.AfterFunc`), and `period` (its offset from the binary's DWARF) is set for
 * tickers, which `ticker-not-stopped` reports; stopped timers waiting to be cleaned out of the heap
 * (`status` deleted, up to 1.22) are left out. A timer counts
 * when the heap's array is its immediate dominator: one the program also keeps (to Stop or Reset
 * it) has another way in. Who created them: the timers with an allocation sample, by the program's
 * function that called time.After or time.NewTimer.
 */
import { contentOffsetAt, interiorOffset, type DumpReader, type HeapAnalysis } from '../../heap';
import { fmtBytes, fmtPct, plural, round3 } from '../format';
import { GROWTH_BIG_SHARE, RESOURCE_HIGH_COUNT, TIMERS_PENDING_MIN } from '../thresholds';
import type { Finding } from '../types';
import { isProgramFunction, timerHeapArrays } from './heap';

/** Callers named in the title. */
const CALLERS_SHOWN = 2;

export function pendingTimers(a: HeapAnalysis, dump: string, read?: DumpReader): Finding[] {
  const T = a.types;
  const period = a.fieldOffset('runtime.timer', 'period');
  if (!T || !read || period === null) return [];
  // Stopped timers wait in the heap to be cleaned up to 1.22: `status` timerDeleted, Removing or
  // Removed (3–5). (From 1.23 a stopped timer is a zombie until cleaned; none stayed in the fixture's
  // heaps, so that bit is not read: a rule no dump here exercises.)
  const status = a.fieldOffset('runtime.timer', 'status');
  const g = a.graph;
  const F = g.firstObject;
  const seen = new Set<number>();
  let count = 0;
  let bytes = 0;
  const callers = new Map<string, number>();
  let sampled = 0;
  for (const j of timerHeapArrays(a)) {
    for (let e = g.fwd.start[j]!; e < g.fwd.start[j + 1]!; e++) {
      const v = g.fwd.targets[e]!;
      // Only the timer heap holds it: the heap's array is its immediate dominator (a Timer the
      // program also keeps has another way in).
      if (v < F || seen.has(v) || a.idom[v] !== j) continue;
      seen.add(v);
      const at = contentOffsetAt(g, v - F);
      const io = interiorOffset(g, e);
      // A time.Timer's runtimeTimer one word in (≤ 1.22) or a runtime.timeTimer's two words in (1.23+):
      // not a bare runtime.timer (a sleeping goroutine's).
      if (io !== 8 && io !== 16) continue;
      // A ticker (a period) is ticker-not-stopped's; an AfterFunc timer (no channel) runs a function.
      if (!isZero(read(at + io + period, 8)) || isZero(read(at, 8))) continue;
      if (status !== null && [3, 4, 5].includes(read(at + io + status, 1)[0] ?? 0)) continue;
      count++;
      bytes += a.retainedBytes[v]!;
      const stack = a.allocStack(v);
      if (!stack) continue;
      sampled++;
      const fn = stack.find((f) => isProgramFunction(f.func))?.func ?? '(unknown)';
      callers.set(fn, (callers.get(fn) ?? 0) + 1);
    }
  }
  if (count < TIMERS_PENDING_MIN) return [];
  const reachable = a.summary().reachableBytes;
  const share = reachable > 0 ? bytes / reachable : 0;
  const ranked = [...callers.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  const where = ranked.length
    ? `, created in ${ranked.slice(0, CALLERS_SHOWN).map(([f]) => f).join(', ')}${ranked.length > CALLERS_SHOWN ? ' and others' : ''}`
    : ' (none has an allocation sample to say where it was created)';
  const go = goMinor(a.summary().goVersion);
  // 1.23–1.26 keep the old timers for a go.mod older than 1.23 or GODEBUG asynctimerchan=1; 1.27 removed the setting.
  const semantics = go >= 23 ? `; on Go 1.${go} this means the program runs with asynctimerchan=1 (a go.mod go line older than 1.23, or GODEBUG)` : '';
  const evidence: Finding['evidence'] = { timers: count, retainedBytes: bytes, shareOfReachable: round3(share), reachableBytes: reachable, sampledTimers: sampled };
  if (ranked.length) evidence.createdIn = ranked.map(([f, n]) => `${f}: ${plural(n, 'sampled timer')}`);
  return [
    {
      severity: count >= RESOURCE_HIGH_COUNT * 10 || share >= GROWTH_BIG_SHARE ? 'high' : 'medium',
      kind: 'timers-pending',
      title:
        `${plural(count, 'timer')} from time.After or time.NewTimer wait in the runtime's timer heap, nothing else holding them${where}: ` +
        `${fmtBytes(bytes)} (${fmtPct(share)} of the live heap) kept until each fires. time.After in a loop? Use time.NewTimer and Stop it${semantics}`,
      subject: ranked.length ? ranked[0]![0] : 'runtime timer heap',
      evidence,
      link: { view: 'heap', dump, root: 'Go runtime' },
      size: bytes,
      sources: [dump],
    },
  ];
}

function isZero(b: Uint8Array): boolean {
  return b.length > 0 && b.every((x) => x === 0);
}

/** "go1.26.8" → 26; 0 when unknown. */
function goMinor(v: string): number {
  const m = /^go1\.(\d+)/.exec(v);
  return m ? Number(m[1]) : 0;
}
