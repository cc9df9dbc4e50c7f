/**
 * View-model types that cross every boundary (worker → main → renderer, HTTP, CLI JSON).
 * Plain data only: numbers, strings, arrays, Uint8Array. 64-bit identities and times travel as
 * decimal strings so they stay exact.
 */

export interface ValueType {
  type: string;
  unit: string;
}

export type ItemKind = 'profile' | 'heapdump' | 'gctrace';

/** What a profile measures, guessed from its sample types and content. */
export type ProfileKind =
  | 'heap'
  | 'allocs'
  | 'goroutine'
  /** The goroutine leak profile (Go 1.26 with GOEXPERIMENT=goroutineleakprofile, 1.27+): goroutines the GC proved can never run again. */
  | 'goroutineleak'
  | 'threadcreate'
  | 'cpu'
  | 'mutex'
  | 'block'
  | 'reference'
  | 'unknown';

/** One loaded file, capture or dump, as listed in the workspace. */
export interface LoadedItem {
  handle: string;
  name: string;
  /** Where it came from: a file path, a URL, or "demo". */
  source: string;
  kind: ItemKind;
  /** Format id, e.g. "pprof-proto", "pprof-proto-gzip", "heap-debug1", "goroutine-debug2", "heapdump". */
  format: string;
  profileKind: ProfileKind;
  sampleTypes: ValueType[];
  /** Index into sampleTypes that opens first (pprof's rule: default_sample_type, else the last). */
  defaultSampleIndex: number;
  /** Sum of each sample type's values. */
  totals: number[];
  /** Capture time as nanoseconds since the epoch, decimal string, when known. */
  timeNanos?: string;
  durationNanos?: string;
  comments: string[];
  /** Non-fatal notes from the importer (e.g. "dump is incomplete"). */
  warnings: string[];
  sizeBytes: number;
  loadedAt: number;
  /** Heap dumps only. */
  heap?: HeapItemInfo;
  /** gctrace logs only. */
  gctrace?: GcTraceItemInfo;
}

/** A `GODEBUG=gctrace=1` log: its GC cycles and the live heap after the first and the last. */
export interface GcTraceItemInfo {
  cycles: number;
  firstGc: number | null;
  lastGc: number | null;
  /** When the last cycle ran, in seconds since the program started. */
  seconds: number;
  firstLiveBytes: number;
  lastLiveBytes: number;
  /** Cycles marked "(checking for goroutine leaks)" (Go 1.26 with the experiment, 1.27+). */
  leakChecks: number;
  /** Lines that looked like gctrace but could not be read. */
  skipped: number;
  /** The log also holds a crash's goroutine dump: where it starts (1-based) and its first line. */
  goroutineDump?: { line: number; what: string };
}

export interface HeapItemInfo {
  goVersion: string;
  goarch: string;
  objects: number;
  reachableObjects: number;
  reachableBytes: number;
  garbageObjects: number;
  garbageBytes: number;
  goroutines: number;
  /** False when the dump was cut short (opened with what was read). */
  complete: boolean;
  /** The executable that named the globals, or null (globals show as `global @0x…`). */
  exe: string | null;
}

export type Granularity = 'functions' | 'files' | 'lines';

export interface ProfileFilters {
  /** pprof -focus: keep samples with a frame matching. */
  focus?: string;
  /** pprof -ignore: drop samples with a frame matching. */
  ignore?: string;
  /** pprof -hide: remove matching frames from stacks. */
  hide?: string;
  /** pprof -show: keep only matching frames in stacks. */
  show?: string;
  /** pprof -tagfocus entries: "key=regex" or "key=lo:hi" numeric ranges with units (e.g. bytes=128kb:512kb). */
  tagFocus?: string[];
  tagIgnore?: string[];
}

export interface ProfileQuery {
  handle: string;
  /** Sample type index or name; omitted means the item's default. */
  sampleIndex?: number | string;
  granularity?: Granularity;
  filters?: ProfileFilters;
}

export interface TopRow {
  name: string;
  flat: number;
  cum: number;
}

export interface TopResult {
  sampleType: ValueType;
  sampleIndex: number;
  /** Total of the selected sample type over the whole profile (pprof's percentage base). */
  total: number;
  rows: TopRow[];
}

export interface FlameNode {
  name: string;
  /** Cumulative value of this node. */
  value: number;
  /** Flat (self) value. */
  self: number;
  children: FlameNode[];
  /** Set on a synthetic node standing for frames merged by pruning: how many frames it hides. */
  hiddenFrames?: number;
}

export interface FlameQuery extends ProfileQuery {
  /** Bottom-up (callers above callees). */
  inverted?: boolean;
  /** Merge frames narrower than this fraction of the total into a "N frames hidden" node. Default 0.0005. */
  minFraction?: number;
  /** Pivot (sandwich) on one function: its callers and callees. */
  pivot?: string;
}

export interface FlameResult {
  sampleType: ValueType;
  sampleIndex: number;
  total: number;
  root: FlameNode;
  /** Frames in the full tree. */
  nodeCount: number;
  /** Frames merged away by pruning (disclosed in the UI). */
  hiddenFrames: number;
}

export interface Progress {
  /** Id of the call this progress belongs to. */
  callId: string;
  label: string;
  done: number;
  total: number;
}

export interface OpenFailure {
  source: string;
  error: import('../errors').ErrorInfo;
}

export interface OpenResult {
  items: LoadedItem[];
  failures: OpenFailure[];
}

export interface AppInfo {
  version: string;
  /** Which transport the renderer is talking through. */
  transport: 'ipc' | 'http';
  /** Whether the host can read paths on its own disk (Electron and serve: yes). */
  canOpenPaths: boolean;
  /** Whether the host has a native file dialog (`pickFiles`): Electron yes, serve no. */
  canPickFiles: boolean;
}

export interface RecentFile {
  path: string;
  name: string;
  kind: ItemKind;
  profileKind: ProfileKind;
  /** Epoch milliseconds. */
  openedAt: number;
}
