/**
 * Plain-data view models of the heap dump engine: what queries return (and what crosses the worker
 * boundary). Numbers are float64; addresses are also given as "0x…" strings where shown; 64-bit times
 * are exact decimal strings.
 */

/** global (data/bss symbol), runtime (Go runtime internals, grouped), goroutine, finalizer, pending-finalizer, other. */
export type RootKind = 'global' | 'runtime' | 'goroutine' | 'finalizer' | 'pending-finalizer' | 'other';

export interface GoroutineInfo {
  goid: number;
  /** runnable, running, syscall, waiting (or "status N"). */
  status: string;
  waitReason: string;
  /** Raw monotonic nanotime the wait began (set by the GC that first saw it blocked); "0" when unknown. */
  waitSince: string;
  /**
   * How long it had waited relative to the most recent wait start in the dump (the dump has no clock
   * of its own): a lower bound of the real wait, in ns, exact decimal; undefined when unknown.
   */
  waitedAtLeastNs?: string;
  /** The frame that names the goroutine: the innermost non-runtime function (else the innermost). */
  function: string;
  /** Function of every frame, innermost first. */
  frames: string[];
  /** Runtime-internal goroutine (GC workers, finalizer goroutine, ...). */
  system: boolean;
  /** Address of the go statement that created it. */
  createdByPc: string;
}

export interface RootInfo {
  /** Graph node id. */
  node: number;
  kind: RootKind;
  name: string;
  /** Globals: symbol name (absent when unnamed), address in the dump's address space, symbol size. */
  symbol?: string;
  address?: string;
  symbolSize?: number;
  goroutine?: GoroutineInfo;
  /** Finalizers: the object that has the finalizer. */
  object?: string;
  /** Pointer slots this root holds into the heap. */
  slots: number;
  /** Globals, with the binary's DWARF: the variable's Go type ("map[int]*main.Session"). */
  type?: string;
}

export interface RootRow extends RootInfo {
  retainedBytes: number;
  retainedObjects: number;
  /** Objects this root reaches directly. */
  directObjects: number;
}

export interface Page<T> {
  total: number;
  start: number;
  rows: T[];
}

/** One node of the dominator tree as shown in a table. */
export interface DomRow {
  node: number;
  kind: 'object' | 'root' | 'super-root';
  /** Object address "0x…", or the root's name. */
  label: string;
  address: string | null;
  size: number;
  retainedBytes: number;
  retainedObjects: number;
  /** Children in the dominator tree. */
  children: number;
  allocSite: string | null;
  rootKind?: RootKind;
  /** Objects, with the binary's DWARF: the Go type ("*main.Session" points here: "main.Session"; "unknown (size class 48)"). */
  type?: string;
}

export interface AllocFrame {
  func: string;
  file: string;
  line: number;
}

export interface AllocSiteRow {
  /** Site id (-1: objects with no allocation sample). */
  site: number;
  label: string;
  /** Full stack of one bucket of the site, leaf first. */
  stack: AllocFrame[];
  objects: number;
  bytes: number;
}

export interface SizeClassRow {
  /** Object (slot) size in bytes; objects above 32 KiB are grouped by power of two ("large"). */
  size: number;
  label: string;
  objects: number;
  bytes: number;
}

/** A step on a path from a root to an object. */
export interface PathStep {
  node: number;
  /** Set on the first step. */
  root?: { kind: RootKind; name: string };
  /** Objects: address "0x…", size, alloc site. */
  address?: string;
  size?: number;
  /**
   * Byte offset, in the previous step (the referrer), of the pointer to this object: the field offset
   * in an object; the offset in the symbol for a global; the offset from sp for a stack slot.
   */
  offset?: number;
  /** Where in the referrer the pointer sits, in words: "frame main.worker sp+0x18", "main.sessionCache+0x0", "+0x40". */
  via?: string;
  /**
   * Pointer value minus the start of the object's Go value (after a Go 1.22+ allocation header):
   * non-zero for interior pointers (sub-slices).
   */
  interiorOffset?: number;
  allocSite?: string | null;
  retainedBytes?: number;
  /** With DWARF: the object's Go type. */
  type?: string;
  /** With DWARF: the field of the referrer holding the pointer (".Payload", "buf", "[3]"), when known. */
  field?: string;
}

export interface PathsResult {
  target: number;
  address: string;
  reachable: boolean;
  /** Shortest first, each from a distinct root, root first. */
  paths: PathStep[][];
  /** More roots reach the object than were returned. */
  more: boolean;
}

/** Merged shortest paths of a set of objects (MAT "merge shortest paths"), flattened. */
export interface MergedPathRow {
  /** Row id; parent is the id of the parent row (-1 for roots). */
  id: number;
  parent: number;
  node: number;
  label: string;
  rootKind?: RootKind;
  address: string | null;
  size: number;
  /** Objects of the set whose shortest path goes through here (including itself). */
  objects: number;
  bytes: number;
  depth: number;
  type?: string;
}

export interface MergedPathsResult {
  rows: MergedPathRow[];
  /** Objects of the set that no root reaches. */
  unreachable: number;
  truncated: boolean;
}

export interface PointerRow {
  offset: number;
  node: number;
  address: string;
  size: number;
  /** Pointer value minus the start of the target's Go value (after a Go 1.22+ allocation header). */
  interiorOffset: number;
  /** With DWARF: the field holding it and the target's type. */
  field?: string;
  type?: string;
}

export interface ObjectDetails {
  node: number;
  address: string;
  size: number;
  reachable: boolean;
  retainedBytes: number;
  retainedObjects: number;
  /** Immediate dominator: node and label (object address or root name). */
  dominator: { node: number; label: string } | null;
  allocSite: string | null;
  allocStack: AllocFrame[] | null;
  outgoing: Page<PointerRow>;
  /** How many pointers refer to it. */
  incoming: number;
  /** First bytes of the contents, hex ("" unless a reader of the dump file was given). */
  contentHex: string;
  /** Absolute file offset of the contents in the dump (re-read the file for more). */
  contentOffset: number;
  /** Go 1.22+ allocation header: address of the object's runtime type descriptor ("0x…"), else null. */
  typeAddress: string | null;
  /** With DWARF: the Go type, and the named fields with their values (read from the dump). */
  type?: string;
  fields?: FieldRow[];
}

/** One field of a typed object, flattened ("Payload.len"), with its value as text. */
export interface FieldRow {
  name: string;
  offset: number;
  type: string;
  /** "42", "0x…", a quoted string (truncated), "nil", or "" when unread. */
  value: string;
  /** Pointer fields into the heap: the object they point to (follow it). */
  node?: number;
  address?: string;
}

/** Types tab: one Go type (unknown objects by size class and allocation site). */
export interface TypeRow {
  name: string;
  /** Package path ("main", "net/http", "" for builtins). */
  package: string;
  count: number;
  bytes: number;
  /** Bytes freed if every object of the type were gone (objects not dominated by another of the type). */
  retainedBytes: number;
  /** Unknown rows: the allocation site they share, else null. */
  allocSite: string | null;
  unknown: boolean;
}

export interface TypesInfo {
  /** DWARF was read and objects typed. */
  available: boolean;
  /** Why not (no binary, stripped, no DWARF), when not available. */
  reason: string | null;
  typedObjects: number;
  typedBytes: number;
  /** Typed share of the reachable bytes. */
  typedBytesShare: number;
  conflicts: number;
  exactObjects: number;
  ms: number;
}

export interface TypesJson {
  types: { name: string; count: number; bytes: number; retainedBytes: number }[];
  typedBytesShare: number;
}

export interface HeapSummary {
  goVersion: string;
  goarch: string;
  ptrSize: number;
  complete: boolean;
  warnings: string[];
  objects: number;
  bytes: number;
  edges: number;
  reachableObjects: number;
  reachableBytes: number;
  garbageObjects: number;
  garbageBytes: number;
  roots: number;
  goroutines: number;
  allocSites: number;
  /** Objects with an allocation sample (all of them when MemProfileRate = 1). */
  sampledObjects: number;
  /**
   * Go 1.22+: span-tail slots the dumper wrote as objects (heap bitmap / mark bits, not objects). Not
   * counted in objects, bytes or garbage.
   */
  spanTailSlots: number;
  spanTailBytes: number;
  /** Objects whose allocation header names their type's descriptor (Go 1.22+, pointerful, 513 B – 32 KiB). */
  typedObjects: number;
  globalsNamed: boolean;
  /**
   * Goroutines' address-taken locals (stack objects) scanned as the GC does, with the binary's
   * records: how many were live and the heap pointers they held; or why they were not scanned (what
   * only they hold then reads as garbage).
   */
  stackObjects: { objects: number; pointers: number } | { unavailable: string };
  /** Object types from the binary's DWARF: available, or why not. */
  types?: TypesInfo;
  memStats: Record<string, string> | null;
  timings: Record<string, number>;
}

export interface RetainJson {
  goVersion: string;
  objects: number;
  reachableObjects: number;
  reachableBytes: number;
  garbageObjects: number;
  roots: { kind: string; name: string; retainedBytes: number; retainedObjects: number; type?: string }[];
  dominators: { address: string; size: number; retainedBytes: number; allocSite: string | null; type?: string }[];
}

export type PathsJsonStep =
  | { root: { kind: string; name: string } }
  | { address: string; size: number; offset: number; allocSite: string | null; type?: string; field?: string };

export interface PathsJson {
  paths: PathsJsonStep[][];
}
