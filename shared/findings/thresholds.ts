/**
 * Every threshold the findings rules use, in one place. Documented in ./README.md ("Findings and
 * their thresholds"); change both together.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

// ---- growth across snapshots (heap profiles and dumps: per allocating function; dumps: per root) ---

/** Smallest growth (last − first) reported, bytes. */
export let GROWTH_MIN_BYTES = 64 * KiB;
/** Smallest growth reported, as a share of the last snapshot's total. */
export let GROWTH_MIN_SHARE = 0.01;
/** Growth at or above this share of the last snapshot's total is "big". */
export let GROWTH_BIG_SHARE = 0.05;
/** Snapshots needed to call growth steady (every step up or flat, ending higher). */
export let STEADY_MIN_SNAPSHOTS = 3;

// ---- goroutines ----------------------------------------------------------------------------------

/** Goroutines of one function, not running, in one snapshot: a pile-up. */
export let GOROUTINE_PILEUP_MIN = 10;
/** A pile-up this big is high severity on its own. */
export let GOROUTINE_PILEUP_HIGH = 1000;
/** Growth in goroutines of one function across snapshots (monotonic) reported. */
export let GOROUTINE_GROWTH_MIN = 5;
/** Goroutines waiting at least this long (minutes) make a pile-up high severity. */
export let LONG_WAIT_MINUTES = 10;
/** Goroutines waiting this long (minutes) for a database/sql connection are reported however few. */
export let SQL_CONN_WAIT_MINUTES = 1;
/** net/http persistConn readLoop + writeLoop goroutines: two per connection kept open. */
export let HTTP_PERSISTCONN_MIN = 10;
/** Bytes assumed per goroutine for ranking when no heap dump gives what it retains. */
export let GOROUTINE_BYTES_ESTIMATE = 8 * KiB;

// ---- heap dumps ----------------------------------------------------------------------------------

/** MAT's leak suspect: a top-level dominator (here: a GC root) retaining at least this share of the reachable heap. */
export let SUSPECT_MIN_SHARE = 0.1;
/** A leak suspect also retains at least this much (in a small program the standard library's tables alone are 10% of the heap), bytes. */
export let SUSPECT_MIN_BYTES = 64 * KiB;
/** A suspect at or above this share is high severity. */
export let SUSPECT_HIGH_SHARE = 0.3;
/** Accumulation point: descend into the biggest dominator child while it holds at least this share of its parent. */
export let ACCUMULATION_CHILD_SHARE = 0.7;

/** Sub-slice pinning: backing arrays smaller than this are not considered, bytes. */
export let PINNED_MIN_ARRAY_BYTES = 4 * KiB;
/** With slice lengths read from the dump: the used part is at most this share of the array. */
export let PINNED_MAX_USED_SHARE = 0.25;
/** Without lengths: the unreachable bytes before the first pointer are at least this share of the array. */
export let PINNED_MIN_PREFIX_SHARE = 0.5;
/** Smallest total waste (array bytes not used) of one group (array site × holder) reported. */
export let PINNED_MIN_WASTED_BYTES = 64 * KiB;
/** Waste at or above this share of the reachable heap is high severity. */
export let PINNED_HIGH_SHARE = 0.1;

/** *os.File objects whose finalizer is still set (never closed), per allocating function. */
export let OPEN_FILES_MIN = 10;
/** time.Ticker objects kept only by the runtime's timer heap, per allocating function. */
export let TICKERS_MIN = 10;
/** Channel timers (time.After, time.NewTimer) pending in the runtime's timer heap that nothing else holds. */
export let TIMERS_PENDING_MIN = 1000;
/** Either count at or above this is high severity. */
export let RESOURCE_HIGH_COUNT = 100;
/** database/sql connections in use that only the pool holds (a Rows, Tx or Conn dropped without Close); one is enough when queries wait. */
export let SQL_LEAKED_CONNS_MIN = 2;
/** Contexts in one parent's children map (derived, never cancelled); high at 10 × RESOURCE_HIGH_COUNT. */
export let CONTEXT_CHILDREN_MIN = 100;

/** A map at most this full (entries / slots) lost most of its entries: it only grows at ~80%. */
export let MAP_SPARSE_MAX_FILL = 0.25;
/** Smallest storage a sparse map wastes (its bytes × the share of slots empty) to be reported. */
export let MAP_SPARSE_MIN_WASTED_BYTES = 1 * MiB;
/** Waste at or above this share of the reachable heap is high severity. */
export let MAP_SPARSE_HIGH_SHARE = 0.1;

// ---- GODEBUG=gctrace=1 ---------------------------------------------------------------------------

/** GC cycles needed to judge the live heap. */
export let GCTRACE_MIN_CYCLES = 5;
/** Live heap growth (mean of the last quarter of cycles − mean of the first quarter), bytes. */
export let GCTRACE_MIN_GROWTH_BYTES = 4 * MiB;
/** The same as a ratio (last quarter / first quarter). */
export let GCTRACE_MIN_GROWTH_RATIO = 1.25;
/** Share of GC-to-GC steps where the live heap does not go down. */
export let GCTRACE_MIN_STEADY_SHARE = 0.8;
/** Live heap at least doubling is high severity. */
export let GCTRACE_HIGH_RATIO = 2;
/** A rise that then held (the title says "rose … and stayed"): the last cycles within 1 MiB or 5% of the last one, at least this many… */
export let GCTRACE_PLATEAU_MIN_CYCLES = 3;
/** …over at least this share of the log's time. */
export let GCTRACE_PLATEAU_MIN_SHARE = 0.25;

// ---- overrides (a policy file's "thresholds", heapscope check) -----------------------------------

/** The name of every threshold above. */
export type ThresholdName =
  | 'GROWTH_MIN_BYTES' | 'GROWTH_MIN_SHARE' | 'GROWTH_BIG_SHARE' | 'STEADY_MIN_SNAPSHOTS'
  | 'GOROUTINE_PILEUP_MIN' | 'GOROUTINE_PILEUP_HIGH' | 'GOROUTINE_GROWTH_MIN' | 'LONG_WAIT_MINUTES'
  | 'SQL_CONN_WAIT_MINUTES' | 'HTTP_PERSISTCONN_MIN' | 'GOROUTINE_BYTES_ESTIMATE'
  | 'SUSPECT_MIN_SHARE' | 'SUSPECT_MIN_BYTES' | 'SUSPECT_HIGH_SHARE' | 'ACCUMULATION_CHILD_SHARE'
  | 'PINNED_MIN_ARRAY_BYTES' | 'PINNED_MAX_USED_SHARE' | 'PINNED_MIN_PREFIX_SHARE' | 'PINNED_MIN_WASTED_BYTES' | 'PINNED_HIGH_SHARE'
  | 'OPEN_FILES_MIN' | 'TICKERS_MIN' | 'TIMERS_PENDING_MIN' | 'RESOURCE_HIGH_COUNT' | 'SQL_LEAKED_CONNS_MIN' | 'CONTEXT_CHILDREN_MIN'
  | 'MAP_SPARSE_MAX_FILL' | 'MAP_SPARSE_MIN_WASTED_BYTES' | 'MAP_SPARSE_HIGH_SHARE'
  | 'GCTRACE_MIN_CYCLES' | 'GCTRACE_MIN_GROWTH_BYTES' | 'GCTRACE_MIN_GROWTH_RATIO' | 'GCTRACE_MIN_STEADY_SHARE' | 'GCTRACE_HIGH_RATIO'
  | 'GCTRACE_PLATEAU_MIN_CYCLES' | 'GCTRACE_PLATEAU_MIN_SHARE';

function current(): Record<ThresholdName, number> {
  return {
    GROWTH_MIN_BYTES, GROWTH_MIN_SHARE, GROWTH_BIG_SHARE, STEADY_MIN_SNAPSHOTS,
    GOROUTINE_PILEUP_MIN, GOROUTINE_PILEUP_HIGH, GOROUTINE_GROWTH_MIN, LONG_WAIT_MINUTES,
    SQL_CONN_WAIT_MINUTES, HTTP_PERSISTCONN_MIN, GOROUTINE_BYTES_ESTIMATE,
    SUSPECT_MIN_SHARE, SUSPECT_MIN_BYTES, SUSPECT_HIGH_SHARE, ACCUMULATION_CHILD_SHARE,
    PINNED_MIN_ARRAY_BYTES, PINNED_MAX_USED_SHARE, PINNED_MIN_PREFIX_SHARE, PINNED_MIN_WASTED_BYTES, PINNED_HIGH_SHARE,
    OPEN_FILES_MIN, TICKERS_MIN, TIMERS_PENDING_MIN, RESOURCE_HIGH_COUNT, SQL_LEAKED_CONNS_MIN, CONTEXT_CHILDREN_MIN,
    MAP_SPARSE_MAX_FILL, MAP_SPARSE_MIN_WASTED_BYTES, MAP_SPARSE_HIGH_SHARE,
    GCTRACE_MIN_CYCLES, GCTRACE_MIN_GROWTH_BYTES, GCTRACE_MIN_GROWTH_RATIO, GCTRACE_MIN_STEADY_SHARE, GCTRACE_HIGH_RATIO,
    GCTRACE_PLATEAU_MIN_CYCLES, GCTRACE_PLATEAU_MIN_SHARE,
  };
}

/** The defaults, as documented in ./README.md. */
export const THRESHOLD_DEFAULTS: Readonly<Record<ThresholdName, number>> = Object.freeze(current());

function assign(v: Record<ThresholdName, number>): void {
  ({
    GROWTH_MIN_BYTES, GROWTH_MIN_SHARE, GROWTH_BIG_SHARE, STEADY_MIN_SNAPSHOTS,
    GOROUTINE_PILEUP_MIN, GOROUTINE_PILEUP_HIGH, GOROUTINE_GROWTH_MIN, LONG_WAIT_MINUTES,
    SQL_CONN_WAIT_MINUTES, HTTP_PERSISTCONN_MIN, GOROUTINE_BYTES_ESTIMATE,
    SUSPECT_MIN_SHARE, SUSPECT_MIN_BYTES, SUSPECT_HIGH_SHARE, ACCUMULATION_CHILD_SHARE,
    PINNED_MIN_ARRAY_BYTES, PINNED_MAX_USED_SHARE, PINNED_MIN_PREFIX_SHARE, PINNED_MIN_WASTED_BYTES, PINNED_HIGH_SHARE,
    OPEN_FILES_MIN, TICKERS_MIN, TIMERS_PENDING_MIN, RESOURCE_HIGH_COUNT, SQL_LEAKED_CONNS_MIN, CONTEXT_CHILDREN_MIN,
    MAP_SPARSE_MAX_FILL, MAP_SPARSE_MIN_WASTED_BYTES, MAP_SPARSE_HIGH_SHARE,
    GCTRACE_MIN_CYCLES, GCTRACE_MIN_GROWTH_BYTES, GCTRACE_MIN_GROWTH_RATIO, GCTRACE_MIN_STEADY_SHARE, GCTRACE_HIGH_RATIO,
    GCTRACE_PLATEAU_MIN_CYCLES, GCTRACE_PLATEAU_MIN_SHARE,
  } = v);
}

/**
 * Runs `fn` (synchronous: computeFindings) with some thresholds overridden, then restores them. The
 * rules read the named exports above at call time (ES live bindings), so they see the overrides.
 */
export function withThresholds<T>(overrides: Partial<Record<ThresholdName, number>>, fn: () => T): T {
  const saved = current();
  assign({ ...saved, ...overrides });
  try {
    return fn();
  } finally {
    assign(saved);
  }
}
