/**
 * The raw content of a Go heap dump (runtime/debug.WriteHeapDump), as parsed: plain data and typed
 * arrays only, so it can be posted between threads.
 *
 * Addresses and other pointer-sized values are JavaScript numbers (float64): exact up to 2^53, which
 * covers every user-space address on the 64-bit platforms Go supports (at most 2^48 or 2^57 with LA57 —
 * larger values can only come from corrupt input and are never heap pointers). Values that must stay
 * exact beyond 2^53 (wait-since times, MemStats counters such as LastGC) are decimal strings.
 */

export interface HeapDumpParams {
  bigEndian: boolean;
  ptrSize: number;
  arenaStart: number;
  arenaEnd: number;
  goarch: string;
  goVersion: string;
  ncpu: number;
}

/**
 * Objects in dump order. Pointer fields whose value falls outside [arenaStart, arenaEnd) (nil, pointers
 * to globals, stacks or type descriptors) are dropped while parsing: they can never reach a heap object.
 */
export interface DumpObjects {
  count: number;
  /**
   * Object address minus addressBase: Uint32 offsets from the arena start when the arena spans at
   * most 4 GiB (4 bytes per object instead of 8), else float64 absolute addresses (base 0).
   */
  address: Float64Array | Uint32Array;
  addressBase: number;
  /** Contents length: the size-class slot, not the type size. Float64 only when some object is 4 GiB or more. */
  size: Uint32Array | Float64Array;
  /**
   * Absolute file offset of the contents (re-read the file to show them): the low 32 bits, and the
   * high bits in contentOffsetHigh when the file is over 4 GiB (else null).
   */
  contentOffset: Uint32Array;
  contentOffsetHigh: Uint16Array | null;
  /** Edges of object i are edgeStart[i] .. edgeStart[i+1]. Length count + 1. */
  edgeStart: Uint32Array;
  /**
   * Pointer value found in the field (may be interior) minus edgeTargetBase. Uint32 when the arena
   * spans at most 4 GiB (4 bytes per edge instead of 8), else float64.
   */
  edgeTarget: Float64Array | Uint32Array;
  edgeTargetBase: number;
  /** Byte offset of the field in the object. */
  edgeOffset: Uint32Array;
}

/** A pointer slot found in a root region (data/bss segment, stack frame). */
export interface RootSlot {
  /** Offset in the region (segment base, frame sp). */
  offset: number;
  /** Pointer value. */
  target: number;
}

export interface DumpSegment {
  kind: 'data' | 'bss';
  base: number;
  size: number;
  /** File offset of the segment's contents in the dump (its words: interface type words of globals). */
  contentsAt: number;
  slots: RootSlot[];
  /**
   * Pointer slots whose value lies outside the heap arena (possibly in another data/bss segment:
   * compiler-allocated static data such as the `&T{...}` of `var x = NewT()`), so roots found in
   * unnamed static data can be named after the global that points to them.
   */
  staticSlots?: RootSlot[];
}

export interface DumpFrame {
  sp: number;
  depth: number;
  childSp: number;
  size: number;
  /** File offset of the frame's contents in the dump (sp upward: interface type words of locals). */
  contentsAt: number;
  entryPc: number;
  pc: number;
  continuationPc: number;
  name: string;
  slots: RootSlot[];
}

export interface DumpDefer {
  address: number;
  sp: number;
  pc: number;
  funcval: number;
  fnPc: number;
  link: number;
}

export interface DumpPanic {
  address: number;
  efaceType: number;
  efaceData: number;
  link: number;
}

export interface DumpGoroutine {
  address: number;
  sp: number;
  goid: number;
  gopc: number;
  /** 1 runnable, 2 running, 3 syscall, 4 waiting. */
  status: number;
  isSystem: boolean;
  isBackground: boolean;
  /** Monotonic nanotime when the wait started (set by the GC that first saw it blocked), exact decimal. 0 = unknown. */
  waitSince: string;
  waitReason: string;
  ctxt: number;
  m: number;
  topDefer: number;
  topPanic: number;
  /** Innermost first. */
  frames: DumpFrame[];
  defers: DumpDefer[];
  panics: DumpPanic[];
}

export interface DumpFinalizer {
  object: number;
  funcval: number;
  fnPc: number;
  argType: number;
  objType: number;
}

export interface DumpType {
  address: number;
  size: number;
  name: string;
}

export interface DumpMemProfFrame {
  func: string;
  file: string;
  line: number;
}

export interface DumpMemProfBucket {
  /** Bucket address (what alloc samples refer to). */
  id: number;
  size: number;
  /** Leaf first. */
  frames: DumpMemProfFrame[];
  allocs: number;
  frees: number;
}

export interface DumpOtherRoot {
  description: string;
  pointer: number;
}

export interface DumpThread {
  address: number;
  id: number;
  osId: number;
}

export const MEMSTATS_FIELDS = [
  'Alloc', 'TotalAlloc', 'Sys', 'Lookups', 'Mallocs', 'Frees', 'HeapAlloc', 'HeapSys', 'HeapIdle',
  'HeapInuse', 'HeapReleased', 'HeapObjects', 'StackInuse', 'StackSys', 'MSpanInuse', 'MSpanSys',
  'MCacheInuse', 'MCacheSys', 'BuckHashSys', 'GCSys', 'OtherSys', 'NextGC', 'LastGC', 'PauseTotalNs',
] as const;

export interface DumpMemStats {
  /** The 24 scalar fields by runtime.MemStats name, exact decimal strings. */
  fields: Record<string, string>;
  pauseNs: string[];
  numGC: number;
}

export interface HeapDump {
  /** False when the file ended before the EOF record (or parsing stopped on corrupt bytes in partial mode). */
  complete: boolean;
  /** When incomplete: the byte offset where reading stopped and the record kind cut there ('' between records). */
  cut: { offset: number; record: string } | null;
  /** The file name given to the parser (error messages). */
  file?: string;
  /** Non-fatal notes ("dump is incomplete: ..."). */
  warnings: string[];
  bytesRead: number;
  records: number;
  /** Count of records by tag (index = tag). */
  recordCounts: number[];
  params: HeapDumpParams;
  objects: DumpObjects;
  goroutines: DumpGoroutine[];
  segments: DumpSegment[];
  finalizers: DumpFinalizer[];
  queuedFinalizers: DumpFinalizer[];
  otherRoots: DumpOtherRoot[];
  types: DumpType[];
  itabs: { address: number; typeAddress: number }[];
  threads: DumpThread[];
  memStats: DumpMemStats | null;
  memProf: DumpMemProfBucket[];
  /**
   * Alloc samples: object address (objectBase + object[i]; 32-bit offsets like objects.address) →
   * index in memProf (0xffffffff: unknown bucket).
   */
  allocSamples: { object: Float64Array | Uint32Array; objectBase: number; bucket: Uint32Array };
  /**
   * Go 1.22+: slots over the reserved tail of small-object spans (heap bitmap; from 1.26 also inline
   * mark bits) that the dumper writes as objects although no object can live there (see spans.ts).
   * They are left out of `objects`; listed here (dump order) so that they can be shown and checked.
   */
  spanTails: SpanTails;
  /**
   * Go 1.22+ allocation headers: pointerful objects of 513 B to 32 KiB (64-bit) begin with the address
   * of their runtime type descriptor. Sparse, in dump order: object address → that word (0 when it is
   * not an address). Name types with the binary's DWARF (`DW_AT_go_runtime_type`).
   */
  typeWords: { object: Float64Array; type: Float64Array };
}

export interface SpanTails {
  count: number;
  bytes: number;
  address: Float64Array;
  size: Float64Array;
  /** Absolute file offset of the slot's bytes. */
  contentOffset: Float64Array;
}

/** "a stack frame record", "an object record": a record kind with its article. */
export function aRecord(kind: string): string {
  return `${/^(?:[aeiou]|OS |EOF)/i.test(kind) ? 'an' : 'a'} ${kind}`;
}

export const RECORD_NAMES = [
  'EOF', 'object', 'other root', 'type', 'goroutine', 'stack frame', 'params', 'finalizer', 'itab',
  'OS thread', 'memstats', 'queued finalizer', 'data segment', 'bss segment', 'defer', 'panic',
  'memprof bucket', 'alloc sample',
];
