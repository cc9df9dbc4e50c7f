/**
 * View models of comparisons: plain data (numbers, strings, arrays), safe to post between threads
 * and to print as JSON. Values are in the sample type's unit (bytes, counts, nanoseconds).
 */
import type { Granularity, ProfileFilters, ValueType } from '../api/types';
import type { RootKind } from '../heap/types';
import type { CompareMode } from './merge';

export type { CompareMode } from './merge';

/** Where a frame, function, stack or object is: only in the target ('new'), only in the base ('gone'), or in both. */
export type Presence = 'new' | 'gone' | 'both';

// ---- two profiles -------------------------------------------------------------------------------

export interface DiffQuery {
  /** 'diff_base' (default): pprof -diff_base; 'base': pprof -base (cumulative profiles). */
  mode?: CompareMode;
  /** pprof -normalize: scale the target so each sample type's total equals the base's. */
  normalize?: boolean;
  /** Sample type (name or index); default: the target's default. */
  sampleIndex?: number | string;
  granularity?: Granularity;
  filters?: ProfileFilters;
}

export interface DiffTopRow {
  name: string;
  /** target − base (pprof's numbers for the merged profile). */
  flat: number;
  cum: number;
  baseFlat: number;
  baseCum: number;
  /** Target values (normalized when asked): baseFlat + flat, baseCum + cum. */
  targetFlat: number;
  targetCum: number;
  status: Presence;
}

export interface DiffTopResult {
  mode: CompareMode;
  normalize: boolean;
  sampleType: ValueType;
  sampleIndex: number;
  /** pprof's percentage base: the base total for -diff_base, Σ|merged| for -base. */
  total: number;
  /** Σ|value| of each side (the total `go tool pprof -top` prints for it alone). */
  baseTotal: number;
  targetTotal: number;
  /** pprof's rows (functions whose flat or cum changed), in pprof's order (|flat| desc, name). */
  rows: DiffTopRow[];
}

export interface DiffFlameQuery extends DiffQuery {
  /** Bottom-up tree (callers above callees). */
  inverted?: boolean;
  /** Pivot (sandwich) on one function: see shared/profile/analysis/flame.ts for the shape. */
  pivot?: string;
  /**
   * Merge siblings whose |value| and |base| are both below this fraction of the larger side's total
   * into one "N frames hidden (X%)" node. Default 0.0005; 0 keeps every frame.
   */
  minFraction?: number;
}

/** A frame of the differential flame graph: both sides' values and the change. */
export interface DiffFlameNode {
  name: string;
  /** Target value (cumulative; normalized when asked). */
  value: number;
  /** Base value (cumulative). */
  base: number;
  /** value − base. */
  delta: number;
  /** Flat (self) values of each side. */
  self: number;
  baseSelf: number;
  status: Presence;
  children: DiffFlameNode[];
  /** Set on a synthetic node standing for frames merged by pruning: how many frames it hides. */
  hiddenFrames?: number;
}

export interface DiffFlameResult {
  mode: CompareMode;
  normalize: boolean;
  sampleType: ValueType;
  sampleIndex: number;
  /** pprof's percentage base of the comparison (see DiffTopResult.total). */
  total: number;
  baseTotal: number;
  targetTotal: number;
  root: DiffFlameNode;
  /** Frames in the full aligned tree (either side). */
  nodeCount: number;
  hiddenFrames: number;
}

/**
 * One frame of the aligned tree, for side-by-side flame graphs that zoom together: the same id on
 * both sides. Rows are in pre-order (a parent before its children, children by name), so each side
 * draws from (x, width = |value|) and zooming on id N shows [x, x + |value|] of that side.
 */
export interface AlignedRow {
  id: number;
  /** -1 for the root. */
  parent: number;
  depth: number;
  name: string;
  status: Presence;
  base: number;
  target: number;
  baseSelf: number;
  targetSelf: number;
  /** Left edge of the frame on each side, in value units from the root's left edge (Σ|value| of earlier siblings). */
  baseX: number;
  targetX: number;
  hiddenFrames?: number;
}

export interface SideBySideResult {
  mode: CompareMode;
  normalize: boolean;
  sampleType: ValueType;
  sampleIndex: number;
  baseTotal: number;
  targetTotal: number;
  rows: AlignedRow[];
  nodeCount: number;
  hiddenFrames: number;
}

// ---- goroutines ---------------------------------------------------------------------------------

/** Goroutines sharing one stack (and state, when the format has states). */
export interface GoroutineGroup {
  /** The stack key: function names, innermost first, with runtime frames trimmed at both ends. */
  key: string;
  /**
   * What the group is called: the innermost function of the user's code, else (goroutines wholly in
   * the standard library) the function the goroutine started in, e.g. net/http.(*conn).serve.
   */
  function: string;
  stack: string[];
  /** Wait reason or status ("chan receive", "select", "IO wait", "running"); null when unknown. */
  state: string | null;
  count: number;
  createdBy: string | null;
  /** Longest wait in minutes (debug=2 prints whole minutes; dumps give a lower bound); null when unknown. */
  maxWaitMinutes: number | null;
  /** Wait of each goroutine with a known wait, minutes. */
  waits: number[];
  /** Goroutine ids (debug=2 and heap dumps), at most MAX_IDS. */
  ids: number[];
  /** Heap dumps: bytes the group's goroutines alone keep alive (sum of their roots' retained sizes). */
  retainedBytes?: number;
  /** Runtime-internal goroutines (GC workers, finalizer goroutine ...). */
  system: boolean;
}

export interface GoroutineSnapshot {
  name: string;
  source: 'profile' | 'debug2' | 'heapdump';
  total: number;
  /** Whether states (wait reasons) are known: debug=2 dumps and heap dumps; inferred for proto stacks. */
  hasStates: boolean;
  groups: GoroutineGroup[];
}

export interface GoroutineStackDelta {
  key: string;
  function: string;
  stack: string[];
  base: number;
  target: number;
  delta: number;
  status: Presence;
  /** States seen on the target side (else the base side). */
  states: string[];
  maxWaitMinutes: number | null;
}

export interface GoroutineStateDelta {
  state: string;
  base: number;
  target: number;
  delta: number;
}

export interface GoroutineStackStateDelta extends GoroutineStateDelta {
  key: string;
  function: string;
}

export interface GoroutineComparison {
  base: { name: string; total: number };
  target: { name: string; total: number };
  delta: number;
  /** By stack (states merged), biggest increase first. */
  byStack: GoroutineStackDelta[];
  /** By state / wait reason: only when both sides have states. */
  byState: GoroutineStateDelta[] | null;
  byStackAndState: GoroutineStackStateDelta[] | null;
}

export interface LongWaiter {
  key: string;
  function: string;
  state: string | null;
  /** Goroutines of the group waiting at least the threshold. */
  count: number;
  maxWaitMinutes: number;
}

// ---- heap dumps ---------------------------------------------------------------------------------

export interface CountBytes {
  objects: number;
  bytes: number;
}

export interface HeapDiffSiteRow {
  /** Allocation site label ("main.loadBlob (main.go:116)"), or "(no allocation sample)". */
  site: string;
  function: string;
  added: CountBytes;
  freed: CountBytes;
  alive: CountBytes;
  /** added.bytes − freed.bytes. */
  deltaBytes: number;
  status: Presence;
}

export interface HeapDiffRootRow {
  /** Match key across dumps: "goroutine 42" for goroutines (by id), else kind + name. */
  key: string;
  name: string;
  kind: RootKind;
  baseRetained: number;
  targetRetained: number;
  delta: number;
  status: Presence;
}

export interface HeapDiffDominatorRow {
  address: string;
  size: number;
  allocSite: string | null;
  baseRetained: number;
  targetRetained: number;
  delta: number;
  /** 'new': allocated after the base dump; 'gone': freed since; 'both': the same object in both. */
  status: Presence;
}

export interface HeapDiffSummary {
  base: { name: string; objects: number; bytes: number };
  target: { name: string; objects: number; bytes: number };
  /** Reachable objects only (garbage left in a dump is excluded on both sides). */
  added: CountBytes;
  freed: CountBytes;
  alive: CountBytes;
  bySite: HeapDiffSiteRow[];
  byRoot: HeapDiffRootRow[];
  /** Top-level dominators (objects kept alive by a single root or by several) of either dump, by |delta|. */
  byDominator: HeapDiffDominatorRow[];
  /** Both dumps typed (their binaries' DWARF): objects new, freed and alive per Go type (`site` = the type, `function` = its package). */
  byType?: HeapDiffSiteRow[];
}

export interface MemlabSiteRow {
  site: string;
  function: string;
  objects: number;
  bytes: number;
}

export interface MemlabRootRow {
  root: string;
  kind: RootKind | 'several';
  objects: number;
  bytes: number;
}

/** memlab's rule over three dumps: objects new in `target` (absent from `baseline`) and still alive in `final`. */
export interface MemlabResult {
  baseline: string;
  target: string;
  final: string;
  leaked: CountBytes;
  bySite: MemlabSiteRow[];
  /** By the root whose dominator subtree holds the object in the final dump ("several" when shared). */
  byRoot: MemlabRootRow[];
  /** Node ids of the leaked objects in the final dump's analysis (page them with objectsIn({kind:'nodes'})). */
  nodes: number[];
}

// ---- series -------------------------------------------------------------------------------------

export interface Trend {
  key: string;
  label: string;
  values: number[];
  first: number;
  last: number;
  min: number;
  max: number;
  /** last − first. */
  growth: number;
  /** last / first; null when first is 0. */
  ratio: number | null;
  /** Least-squares slope per snapshot (x = 0, 1, 2, ...). */
  slope: number;
  /** Least-squares slope per second, when every snapshot has a distinct time. */
  slopePerSecond: number | null;
  /** Coefficient of determination of the linear fit (1: a straight line; 1 too for a constant). */
  r2: number;
  /** Steps up and down. */
  increases: number;
  decreases: number;
  /** Never decreases and ends higher than it started. */
  monotonic: boolean;
}

export interface SeriesPoint {
  name: string;
  /** Seconds (any origin), when known. */
  timeSec: number | null;
}

export interface SeriesTrends {
  points: SeriesPoint[];
  /** Biggest growth first. */
  trends: Trend[];
}

export interface ProfileSeriesTrends extends SeriesTrends {
  sampleType: ValueType;
  /** Total of the sample type per snapshot (Σ|value|). */
  totals: number[];
}

export interface HeapSeriesTrends {
  points: SeriesPoint[];
  /** Reachable bytes per dump. */
  totals: number[];
  byRoot: Trend[];
  bySite: Trend[];
}

// ---- gctrace ------------------------------------------------------------------------------------

/** One `gc N @Ts P%: ...` line of GODEBUG=gctrace=1. Sizes in MB as printed (2^20 bytes). */
export interface GcCycle {
  gc: number;
  /** Seconds since the program started. */
  atSec: number;
  /** Share of CPU spent in GC since start. */
  cpuPercent: number;
  /** Heap at GC start, at GC end, and the live (marked) heap: "4->5->3 MB". */
  heapStartMB: number;
  heapEndMB: number;
  liveMB: number;
  goalMB: number;
  stacksMB: number | null;
  globalsMB: number | null;
  procs: number;
  forced: boolean;
  /** Set on cycles marked " (checking for goroutine leaks)" (Go 1.26 with the experiment, 1.27+). */
  leakCheck?: boolean;
  /** 1-based line in the log. */
  line: number;
}

export interface GcTrace {
  cycles: GcCycle[];
  /** Lines that looked like gctrace but could not be read (cut short, interleaved). */
  skipped: number;
  warnings: string[];
}
