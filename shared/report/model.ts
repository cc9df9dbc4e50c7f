/**
 * The HTML report's data: plain, JSON-safe data (strings, numbers, booleans, arrays, plain objects),
 * embedded in the report file and drawn by the viewer (renderer/report/). Built by assembleReport
 * (./assemble.ts) from inputs the caller already loaded; serialised by renderReportHtml (./html.ts).
 *
 * Size: frame and function names repeat across a profile's flame graph, its top table, the
 * comparison trees and the delta tables, so they are interned once in `strings` and referenced by
 * index; trees are packed as parallel arrays in pre-order (parent before child). Everything profile-
 * or dump-derived is untrusted text: the viewer only ever puts it in text nodes and attributes.
 */
import type { ProfileKind, ValueType } from '../api/types';
import type { CompareMode, Presence } from '../compare/types';
import type { Finding } from '../findings/types';
import type { PathStep, RootKind } from '../heap/types';
import type { ListLine, SourceVia } from '../source/types';

export const REPORT_FORMAT = 'heapscope-report';
export const REPORT_MODEL_VERSION = 1;

export interface ReportModel {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_MODEL_VERSION;
  title: string;
  /** When the report was made (ISO 8601). */
  createdAt: string;
  heapscopeVersion: string;
  inputs: ReportInputInfo[];
  /** Interned names, referenced by index from packed trees and tables. */
  strings: string[];
  /** Whether the findings section was included (false: the user left it out). */
  findingsIncluded: boolean;
  findings: ReportFinding[];
  /** How the findings engine used the inputs (series, pairs, ignored inputs). */
  findingNotes: string[];
  sections: ReportSection[];
  /** The display limits applied (each pruned view also says what it hid). */
  limits: ReportLimits;
  /** Notes on the assembly: sections left out and why. */
  notes: string[];
}

export interface ReportLimits {
  /** Frames narrower than this fraction of the total are merged into "N frames hidden" nodes. */
  minFraction: number;
  /** A flame graph keeps at most this many frames (minFraction is raised until it fits). */
  maxFlameNodes: number;
  /** Top and delta tables keep at most this many rows (the biggest). */
  maxTopRows: number;
  /** Annotated source (pprof -list) of the hottest functions: absent in reports made before it existed. */
  source?: ReportSourceLimits;
}

export interface ReportSourceLimits {
  /** Functions annotated per view (the biggest |flat| first). */
  functions: number;
  /** Lines kept per function (pprof's window; longer windows keep the lines with values and their neighbours). */
  linesPerFunction: number;
  /** Characters kept per source line. */
  lineChars: number;
  /** Source text in the whole report at most (UTF-16 units); later functions keep their numbers only. */
  maxChars: number;
}

// ---- annotated source ---------------------------------------------------------------------------

/**
 * One function of pprof's -list in the report: its lines with flat and cum (deltas in a comparison)
 * and the source text read by the host (untrusted text: shown as text only). `lines` ascend; a jump
 * in line numbers is a cut (`omittedLines` in all).
 */
export interface ReportSourceFunction {
  name: string;
  /** The file as the profile records it. */
  file: string;
  /** pprof's ROUTINE totals. */
  flat: number;
  cum: number;
  lines: ListLine[];
  /** Lines of pprof's window left out to bound the size. */
  omittedLines: number;
  /** Lines whose text was cut at `lineChars`. */
  truncatedLines: number;
  /** How the file was found; null when it was not read (`problem` says why, `tried` lists the paths tried, capped). */
  via: SourceVia | null;
  problem?: string;
  tried?: string[];
  /** The text was left out: the report's source budget was spent. */
  textOmitted?: boolean;
}

export interface ReportSource {
  functions: ReportSourceFunction[];
}

export interface ReportInputInfo {
  name: string;
  kind: 'profile' | 'heapdump' | 'gctrace';
  /** Path, URL of a live capture, or "demo:…". */
  source?: string;
  sizeBytes?: number;
  /** Importer format id ("pprof", "goroutine-debug2", "heapdump", "gctrace"). */
  format: string;
  profileKind?: ProfileKind;
  sampleTypes?: ValueType[];
  /** Capture time, ns since the epoch (decimal), when known. */
  timeNanos?: string;
  durationNanos?: string;
  comments?: string[];
  /** Heap dumps. */
  goVersion?: string;
  goarch?: string;
  complete?: boolean;
  /** Heap dumps: the executable that named the globals (null: globals unnamed). */
  exe?: string | null;
  /** gctrace logs: GC cycles read. */
  gcCycles?: number;
  warnings: string[];
}

export interface ReportFinding extends Finding {
  /** Stable anchor id ("finding-3"). */
  id: string;
  /** Anchor id of the section that shows the evidence; null when none was included. */
  section: string | null;
}

export type ReportSection = ProfileSection | ComparisonSection | HeapDumpSection | GoroutineSection | GcTraceSection;

interface SectionBase {
  /** Anchor id, unique in the report. */
  id: string;
  title: string;
}

// ---- packed trees and tables --------------------------------------------------------------------

/**
 * A call tree in pre-order: node 0 is the root, parent[i] < i. `hidden[i]` > 0 marks a synthetic
 * node standing for that many frames merged by pruning (named "N frames hidden (X%)").
 */
export interface PackedTree {
  parent: number[];
  /** Index into ReportModel.strings. */
  name: number[];
  /** Cumulative value. */
  value: number[];
  self: number[];
  hidden: number[];
}

export interface PackedFlame extends PackedTree {
  /** Frames in the full (unpruned) tree. */
  nodeCount: number;
  /** Frames merged into "N frames hidden" nodes. */
  hiddenFrames: number;
  /** The pruning fraction actually used (raised above the asked one when the tree had to shrink). */
  minFraction: number;
}

/** A differential tree: `value`/`self` are the target's, `base`/`baseSelf` the base's. */
export interface PackedDiffFlame extends PackedFlame {
  base: number[];
  baseSelf: number[];
  /** One character per node: n(ew), g(one), b(oth). */
  status: string;
}

export interface PackedTop {
  name: number[];
  flat: number[];
  cum: number[];
  /** Rows before the cap (maxTopRows). */
  totalRows: number;
}

export interface PackedDelta {
  name: number[];
  /** target − base. */
  flat: number[];
  cum: number[];
  baseFlat: number[];
  baseCum: number[];
  /** One character per row: n(ew), g(one), b(oth). */
  status: string;
  totalRows: number;
}

// ---- sections -----------------------------------------------------------------------------------

export interface ProfileView {
  sampleType: ValueType;
  sampleIndex: number;
  /** pprof's percentage base for this sample type. */
  total: number;
  flame: PackedFlame;
  top: PackedTop;
  /** pprof -list of the hottest functions at this sample type (absent: no source was asked for). */
  source?: ReportSource;
}

export interface ProfileSection extends SectionBase {
  kind: 'profile';
  input: string;
  profileKind: ProfileKind;
  /** One per chosen sample type; the first is shown first. */
  views: ProfileView[];
}

export interface SeriesRow {
  name: number;
  values: number[];
  growth: number;
  monotonic: boolean;
}

export interface ComparisonSection extends SectionBase {
  kind: 'comparison';
  base: string;
  target: string;
  /** Every snapshot of the series when the comparison is first → last of more than two. */
  series: string[];
  mode: CompareMode;
  normalize: boolean;
  sampleType: ValueType;
  sampleIndex: number;
  /** pprof's percentage base (the base total for -diff_base). */
  total: number;
  baseTotal: number;
  targetTotal: number;
  flame: PackedDiffFlame;
  delta: PackedDelta;
  /** Per-function values over the whole series (3+ snapshots), biggest growth first. */
  growth: { totals: number[]; rows: SeriesRow[] } | null;
  /** Per-line deltas (target − base, pprof -list -diff_base) of the functions that changed most. */
  source?: ReportSource;
}

export interface HeapRootRow {
  kind: RootKind;
  name: string;
  retainedBytes: number;
  retainedObjects: number;
  directObjects: number;
  /** Goroutine roots: wait reason or status. */
  state?: string;
}

/** A row of the dominator tree's top, in pre-order; parent is a row index (-1: top level). */
export interface HeapDomRow {
  parent: number;
  depth: number;
  kind: 'object' | 'root';
  label: string;
  rootKind?: RootKind;
  address: string | null;
  size: number;
  retainedBytes: number;
  retainedObjects: number;
  /** Children in the dominator tree; `children - shownChildren` are left out. */
  children: number;
  shownChildren: number;
  allocSite: string | null;
}

export interface HeapSuspect {
  /** Anchor id ("heap-0-suspect-1"). */
  id: string;
  address: string;
  /** Why it is a suspect: a finding's title, or "top dominator". */
  reason: string;
  findingId?: string;
  size: number;
  retainedBytes: number;
  allocSite: string | null;
  reachable: boolean;
  /** Shortest first, each from a distinct root, root first. */
  paths: PathStep[][];
  /** More roots reach it than shown. */
  more: boolean;
}

export interface HeapDumpSection extends SectionBase {
  kind: 'heapdump';
  input: string;
  summary: {
    goVersion: string;
    goarch: string;
    complete: boolean;
    objects: number;
    bytes: number;
    reachableObjects: number;
    reachableBytes: number;
    garbageObjects: number;
    garbageBytes: number;
    roots: number;
    goroutines: number;
    globalsNamed: boolean;
    warnings: string[];
  };
  roots: { total: number; rows: HeapRootRow[] };
  dominators: { rows: HeapDomRow[]; topLevelTotal: number };
  suspects: HeapSuspect[];
  /** Objects by Go type (the binary's DWARF); absent in reports made before types existed. */
  types?: HeapTypesView;
}

/** The type histogram of a heap dump (the biggest types by retained bytes), or why there is none. */
export interface HeapTypesView {
  unavailable: string | null;
  typedBytesShare: number;
  total: number;
  rows: Array<{ name: string; count: number; bytes: number; retainedBytes: number }>;
}

export interface GoroutineGroupRow {
  function: string;
  stack: string[];
  state: string | null;
  count: number;
  createdBy: string | null;
  maxWaitMinutes: number | null;
  retainedBytes?: number;
  system: boolean;
}

export interface GoroutineSnapshotView {
  /** Anchor id ("goroutines-0"). */
  id: string;
  input: string;
  source: 'profile' | 'debug2' | 'heapdump';
  total: number;
  hasStates: boolean;
  groups: GoroutineGroupRow[];
  /** Groups left out (the smallest). */
  omittedGroups: number;
  byState: Array<{ state: string; count: number }>;
}

export interface GoroutineGrowth {
  /** "goroutine profiles" or "heap dumps". */
  family: string;
  inputs: string[];
  totals: number[];
  /** Per stack (innermost user function), biggest growth first. */
  byStack: Array<{ function: string; stack: string[]; values: number[]; growth: number }>;
  /** Per wait reason / state, first → last (when both ends have states). */
  byState: Array<{ state: string; base: number; target: number; delta: number }> | null;
}

export interface GoroutineSection extends SectionBase {
  kind: 'goroutines';
  snapshots: GoroutineSnapshotView[];
  growth: GoroutineGrowth[];
}

export interface GcTraceSection extends SectionBase {
  kind: 'gctrace';
  input: string;
  /** Per GC cycle: seconds since start, live heap and goal (MB as printed). */
  atSec: number[];
  liveMB: number[];
  goalMB: number[];
  skipped: number;
}

/** Status characters of packed trees and tables. */
export const STATUS_CHAR: Record<Presence, string> = { new: 'n', gone: 'g', both: 'b' };
export const STATUS_OF_CHAR: Record<string, Presence> = { n: 'new', g: 'gone', b: 'both' };
