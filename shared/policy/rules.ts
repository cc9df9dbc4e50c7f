/**
 * What each check is, for SARIF rules and JUnit suites: one entry per finding kind, the baseline
 * comparison and each budget, with help a reviewer can act on.
 */
import type { FindingKind } from '../findings';
import { BASELINE_KIND, type BudgetName } from './types';

export type RuleId = FindingKind | typeof BASELINE_KIND | BudgetName;

export interface RuleInfo {
  id: RuleId;
  name: string;
  short: string;
  /** Plain text help: what it means and what to do. */
  help: string;
}

export const RULES: readonly RuleInfo[] = [
  { id: 'leaked-goroutines', name: 'LeakedGoroutines', short: 'Goroutines the Go runtime proved leaked', help: 'The goroutine leak profile (Go 1.27, or 1.26 with GOEXPERIMENT=goroutineleakprofile) found goroutines blocked on a channel, select or sync primitive that nothing runnable can reach: they can never run again. Not a heuristic. Fix: close the channel, cancel the context, or give the goroutine a way out (select on ctx.Done()).' },
  { id: 'growing-alloc-site', name: 'GrowingAllocationSite', short: 'An allocation site keeps growing', help: 'In-use memory allocated by this function grows across snapshots (heap profiles: inuse_space; heap dumps: reachable bytes). Thresholds: GROWTH_MIN_BYTES, GROWTH_MIN_SHARE, GROWTH_BIG_SHARE, STEADY_MIN_SNAPSHOTS. Fix: find what keeps these objects alive (heapscope retain / paths on a heap dump) and bound or release it.' },
  { id: 'growing-root', name: 'GrowingRoot', short: 'Memory kept by one GC root grows', help: 'The memory a GC root (a global, usually) alone retains grows across heap dumps. Thresholds: as growing-alloc-site. Fix: bound the collection the global holds, or evict from it.' },
  { id: 'retained-by-root', name: 'LeakSuspect', short: 'One GC root retains a large share of the heap', help: "Eclipse MAT's leak-suspect rule: a top-level dominator retains at least SUSPECT_MIN_SHARE of the reachable heap and SUSPECT_MIN_BYTES (high at SUSPECT_HIGH_SHARE). The evidence names the accumulation point (ACCUMULATION_CHILD_SHARE) and the biggest allocation sites inside." },
  { id: 'global-map', name: 'GlobalMap', short: 'A global map retains much memory or only grows', help: 'A global holds a map that retains a large share of the heap, or only grows across dumps: an unbounded cache. Fix: bound it (LRU, TTL) or delete entries when done.' },
  { id: 'subslice-pinning', name: 'SubslicePinning', short: 'Small sub-slices keep large arrays alive', help: 'Arrays of at least PINNED_MIN_ARRAY_BYTES are reachable only through interior pointers that use a small part of them (PINNED_MAX_USED_SHARE, PINNED_MIN_PREFIX_SHARE); waste at least PINNED_MIN_WASTED_BYTES. Fix: copy the part you keep (bytes.Clone, strings.Clone).' },
  { id: 'goroutine-pileup', name: 'GoroutinePileUp', short: 'Goroutines pile up on one function', help: 'At least GOROUTINE_PILEUP_MIN goroutines of one function are not running, or their number grows by GOROUTINE_GROWTH_MIN with no step down (high at GOROUTINE_PILEUP_HIGH or waits of LONG_WAIT_MINUTES). An idle worker pool looks like this on purpose: allow it with a reason.' },
  { id: 'goroutines-blocked', name: 'GoroutinesBlocked', short: 'Goroutines blocked on a channel, select or lock', help: 'Goroutines pile up on a wait only another goroutine can end: a channel, a select, a sync primitive, an iter.Pull coroutine. Usually a context never cancelled, a channel never closed, a lock never released or a Done never called. Thresholds: as goroutine-pileup.' },
  { id: 'http-body-not-closed', name: 'HttpBodyNotClosed', short: 'HTTP response bodies not closed', help: 'net/http persistConn readLoop/writeLoop goroutines (two per open connection) reach HTTP_PERSISTCONN_MIN: response bodies are not closed. Fix: defer resp.Body.Close() and drain the body.' },
  { id: 'file-not-closed', name: 'FileNotClosed', short: 'Files opened and never closed', help: '*os.File objects whose finalizer is still set (Close clears it), at least OPEN_FILES_MIN per allocating function (high at RESOURCE_HIGH_COUNT). Needs runtime.MemProfileRate = 1 in the program. Fix: defer f.Close().' },
  { id: 'ticker-not-stopped', name: 'TickerNotStopped', short: 'Tickers never stopped', help: 'time.Ticker objects only the runtime timer heap keeps alive, at least TICKERS_MIN per allocating function. Fix: defer t.Stop().' },
  { id: 'timers-pending', name: 'TimersPending', short: 'Timers pending in the runtime', help: 'Channel timers (time.After, time.NewTimer) that only the runtime timer heap keeps, each with its channel until it fires, at least TIMERS_PENDING_MIN. Fix: time.NewTimer and Stop it instead of time.After in a loop; with Go 1.23+, a go.mod go line of 1.23 or later lets the GC free unreferenced timers.' },
  { id: 'context-not-cancelled', name: 'ContextNotCancelled', short: 'Contexts never cancelled', help: "A context's children map (a heap dump, with the program's binary) holds at least CONTEXT_CHILDREN_MIN contexts derived from it with context.WithCancel, WithTimeout or WithDeadline whose cancel funcs were never called (high at 10 × RESOURCE_HIGH_COUNT): each stays registered, with its values, until the parent is cancelled. Fix: defer cancel() where the context is made." },
  { id: 'sql-conn-leak', name: 'SqlConnLeak', short: 'database/sql connections never released', help: "A database/sql pool (a heap dump, with the program's binary) has at least SQL_LEAKED_CONNS_MIN connections in use that nothing but the pool holds (one is enough when queries wait for a connection): a Rows, Tx or Conn was dropped without Close, and the pool can never hand that connection out again. High when queries wait or the pool is exhausted. Fix: defer rows.Close() right after the query (and tx.Rollback() after BeginTx)." },
  { id: 'sparse-map', name: 'SparseMap', short: 'Maps that kept their storage after deletes', help: "A map (a heap dump, with the program's binary) at most MAP_SPARSE_MAX_FILL full whose empty slots waste at least MAP_SPARSE_MIN_WASTED_BYTES (high at MAP_SPARSE_HIGH_SHARE of the live heap): Go maps never give back their buckets or groups after delete or clear. Fix: copy the live entries into a new map (maps.Clone does not shrink either), or recreate the map periodically." },
  { id: 'live-heap-growth', name: 'LiveHeapGrowth', short: 'The live heap after each GC keeps rising', help: 'GODEBUG=gctrace=1: the live heap after GC rises over GCTRACE_MIN_CYCLES cycles by GCTRACE_MIN_GROWTH_BYTES and GCTRACE_MIN_GROWTH_RATIO, steadily (GCTRACE_MIN_STEADY_SHARE); high at GCTRACE_HIGH_RATIO.' },
  { id: BASELINE_KIND, name: 'BaselineGrowth', short: 'Grew beyond the tolerance band against the baseline', help: 'An allocation site (in-use bytes per function) or a goroutine stack (goroutines) exceeds the baseline run by more than the tolerance band (baseline.tolerancePercent, baseline.minBytes, baseline.minGoroutines in the policy) in every snapshot of the series. Noise that shows in some snapshots only is ignored.' },
  { id: 'maxHeapInuse', name: 'HeapInuseBudget', short: 'Heap in use over budget', help: "The policy's budgets.maxHeapInuse: the heap in use of a snapshot (heap profiles: the inuse_space total; heap dumps: MemStats.HeapInuse) is over the budget." },
  { id: 'maxGoroutines', name: 'GoroutineBudget', short: 'Goroutines over budget', help: "The policy's budgets.maxGoroutines: the goroutines of a snapshot (goroutine profiles and dumps; user goroutines of heap dumps) are over the budget." },
  { id: 'maxGrowthPercent', name: 'HeapGrowthBudget', short: 'Heap in use grew more than allowed against the baseline', help: "The policy's budgets.maxGrowthPercent: heap in use grew over the baseline's by more than this percentage in every snapshot." },
];

export function ruleInfo(id: RuleId): RuleInfo {
  return RULES.find((r) => r.id === id)!;
}
