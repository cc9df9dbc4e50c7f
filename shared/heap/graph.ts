/**
 * From a parsed dump to the heap graph:
 *
 *   node 0            synthetic super-root
 *   nodes 1..R        roots (one per global symbol, "Go runtime", one per goroutine, per finalizer, ...)
 *   nodes R+1..R+N    objects, sorted by address
 *
 * Edges are CSR (Uint32Array offsets + targets) forward and reverse; each forward edge keeps the byte
 * offset of its pointer slot (low 16 bits per edge, the high bits as sparse runs; offsets past 4 GiB
 * saturate). Pointers are resolved to the object
 * whose [address, address + size) contains them, so an interior pointer (a sub-slice into a big array)
 * retains the whole array. Addresses are float64 (exact up to 2^53: every user-space address); sizes
 * are Uint32 (float64 only when some object is 4 GiB or more); the contents' file offsets keep their
 * low 32 bits (plus 16 high bits for files over 4 GiB).
 */
import { NO_TASK, type TaskContext } from '../task';
import type { DumpGoroutine, HeapDump } from './dump';
import type { ExeSymbols } from './elf';
import { GrowU32, hex, newF64, newI16, newI32, newI8, newU16, newU32, Spares } from './grow';
import { runMergeOrder } from './runorder';
import { NO_DUMP_BYTES, scanStackObjects, stackScanContext, type FrameBytesReader, type StackObjectsInfo } from './stackscan';
import { NONE, reverseCsr, type Csr } from './dominators';
import type { GoroutineInfo, RootInfo, RootKind } from './types';

/** What a root edge points from (for labels). */
export const SLOT_NONE = -1;
export const SLOT_CTXT = -2;
export const SLOT_DEFER = -3;
export const SLOT_PANIC = -4;
export const SLOT_FUNCVAL = -5;
export const SLOT_OBJECT = -6;
/** A goroutine's own `g` (runtime goroutine state), which only its goroutine root points to. */
export const SLOT_G = -7;

export interface HeapGraph {
  nodeCount: number;
  rootCount: number;
  objectCount: number;
  /** Node id of the first object (= 1 + rootCount). */
  firstObject: number;
  /** Per object (index = node - firstObject), sorted by address. */
  address: Float64Array;
  /** Contents length (float64 only when some object is 4 GiB or more). */
  size: Uint32Array | Float64Array;
  /**
   * Per object: index of its alloc sample's memprof bucket, -1 when not sampled (8/16/32-bit by bucket
   * count). The analysis takes it over (and leaves this empty).
   */
  objectBucket: Int8Array | Int16Array | Int32Array;
  /** File offset of the contents: low 32 bits, high bits when the file is over 4 GiB (use contentOffsetAt). */
  contentOffset: Uint32Array;
  contentOffsetHigh: Uint16Array | null;
  fwd: Csr;
  /**
   * Per forward edge: offset of the pointer slot in its source (object field, symbol offset, sp
   * offset), low 16 bits; the high bits are in `edgeOffsetHigh` (use edgeOffsetAt).
   */
  edgeOffset: Uint16Array;
  /**
   * High bits (offset >>> 16) of the edge offsets, as runs: from forward edge at[k] on (ascending)
   * they are high[k], before at[0] zero. An object's pointers come in field order, so only objects
   * over 64 KiB add entries (one per 64 KiB of pointers, one to drop back to zero after them).
   */
  edgeOffsetHigh: { at: Uint32Array; high: Uint32Array };
  /**
   * Interior pointers, sparse: forward edge ids (ascending) whose pointer is not the target's start,
   * and the pointer value minus the target start (saturating Uint32).
   */
  interiorEdges: Uint32Array;
  interiorOffsets: Uint32Array;
  rev: Csr;
  /**
   * Per root edge (edge index - fwd.start[1]): frame index for goroutine roots, symbol index (into
   * symbolNames) for the Go runtime root, or a SLOT_* code.
   */
  rootEdgeFrame: Int32Array;
  /** Names of the executable's data symbols (empty without symbols). */
  symbolNames: string[];
  roots: RootInfo[];
  /** Whether ELF symbols named the globals. */
  globalsNamed: boolean;
  /** Address slide applied to the executable's symbols (PIE). */
  slide: number;
  /** Goroutines' live stack objects scanned with the binary's records (stackscan.ts), or why not. */
  stackObjects: StackObjectsInfo;
  warnings: string[];
  /**
   * Go 1.22+ allocation headers, sparse: object indices (ascending) whose first word is their type
   * descriptor's address, and that address (0 when the word was not an address).
   */
  typedObjects: Uint32Array;
  typeAddresses: Float64Array;
  /**
   * Unnamed static data a global points to (`var x = &T{...}` once inlined), per global root node:
   * where each region starts and the offset in the global of the pointer to it (which names the
   * region's type), both in the dump's address space relative to the global's symbol. A root edge
   * whose offset is past the symbol sits in the region that starts nearest below it.
   */
  staticRegions: Map<number, StaticRegion[]>;
  /** Span-tail slots the dumper wrote as objects (not objects: left out; see spans.ts). */
  spanTails: { count: number; bytes: number };
  /** Address → object lookup: pageTable[p] = first object index with address >= pageMin + p * pageSize. */
  pageMin: number;
  pageSize: number;
  pageTable: Uint32Array;
  objectsEnd: number;
}

export const GO_RUNTIME = 'Go runtime';

export function isRuntimeSymbol(name: string): boolean {
  return (
    name.startsWith('runtime.') ||
    name.startsWith('runtime/') ||
    name.startsWith('internal/abi.') ||
    name.startsWith('go.') ||
    name.startsWith('go:') ||
    name.startsWith('type.') ||
    name.startsWith('type:') ||
    name === ''
  );
}

const STATUS = ['idle', 'runnable', 'running', 'syscall', 'waiting'];

export function goroutineStatus(status: number): string {
  return STATUS[status] ?? `status ${status}`;
}

export function isRuntimeFrame(name: string): boolean {
  return name.startsWith('runtime.') || name.startsWith('runtime/') || name.startsWith('internal/');
}

/**
 * Frames that only say how a goroutine waits (the wait reason says it already): the runtime, sync
 * primitives and time.Sleep. Skipping them names a goroutine by its own code the same way on every Go
 * version (1.24+ moved Mutex's slow path to internal/sync; 1.19 kept it in sync).
 */
function isWaitFrame(name: string): boolean {
  return isRuntimeFrame(name) || name.startsWith('sync.') || name.startsWith('sync/atomic.') || name === 'time.Sleep';
}

/** "goroutine 42 [chan receive] main.worker". */
export function goroutineName(g: DumpGoroutine, frames: readonly string[] = g.frames.map((f) => f.name)): string {
  const state = g.status === 4 && g.waitReason ? g.waitReason : goroutineStatus(g.status);
  const fn = goroutineFunction(frames);
  return `goroutine ${g.goid} [${state}]${fn ? ' ' + fn : ''}`;
}

/** The function that names a goroutine (frames innermost first): its own code, past how it waits. */
export function goroutineFunction(frames: readonly string[]): string {
  for (const f of frames) if (!isWaitFrame(f)) return f;
  for (const f of frames) if (!isRuntimeFrame(f)) return f;
  return frames.length ? frames[0]! : '';
}

export function goroutineInfo(g: DumpGoroutine, latestWait: bigint): GoroutineInfo {
  const frames = g.frames.map((f) => f.name);
  const info: GoroutineInfo = {
    goid: g.goid,
    status: goroutineStatus(g.status),
    waitReason: g.waitReason,
    waitSince: g.waitSince,
    function: goroutineFunction(frames),
    frames,
    system: g.isSystem,
    createdByPc: hex(g.gopc),
  };
  const ws = BigInt(g.waitSince);
  if (ws > 0n && latestWait > 0n) info.waitedAtLeastNs = (latestWait - ws).toString();
  return info;
}

/** Unnamed static data reached from a global: offsets from the global's symbol address. */
export interface StaticRegion {
  /** Where the region starts. */
  start: number;
  /** The global's pointer slot that points at the region's start. */
  slot: number;
}

/** The region of a global root's static data that the slot `off` bytes past its symbol sits in, or null. */
export function staticRegionAt(g: Pick<HeapGraph, 'staticRegions'>, rootNode: number, off: number): StaticRegion | null {
  const list = g.staticRegions.get(rootNode);
  if (!list) return null;
  let best: StaticRegion | null = null;
  for (const r of list) if (r.start <= off && (!best || r.start > best.start)) best = r;
  return best;
}

interface RootDef {
  kind: RootKind;
  name: string;
  info: Partial<RootInfo>;
  /** Pointer values (addresses), offsets, frame codes. */
  targets: number[];
  offsets: number[];
  frames: number[];
  /** Globals: the unnamed static regions whose slots are listed too. */
  statics?: StaticRegion[];
}

const TWO32 = 4294967296;

export function contentOffsetAt(g: Pick<HeapGraph, 'contentOffset' | 'contentOffsetHigh'>, i: number): number {
  return g.contentOffset[i] + (g.contentOffsetHigh ? g.contentOffsetHigh[i] * TWO32 : 0);
}

type Lookup = Pick<HeapGraph, 'address' | 'size' | 'pageMin' | 'pageSize' | 'pageTable' | 'objectsEnd'>;

/** Find the object containing `addr` (sorted index), or -1. */
export function findObjectIndex(g: Lookup, addr: number): number {
  if (!(addr >= g.pageMin && addr < g.objectsEnd)) return -1;
  const pt = g.pageTable;
  const p = Math.floor((addr - g.pageMin) / g.pageSize);
  let lo = pt[p];
  let hi = pt[p + 1];
  // Last object with address <= addr lies in [pt[p]-1, pt[p+1]).
  const a = g.address;
  if (lo > 0) lo--;
  // Binary search for the last index in [lo, hi) with a[i] <= addr.
  let r = -1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= addr) {
      r = mid;
      lo = mid + 1;
    } else hi = mid;
  }
  if (r < 0) return -1;
  return addr < a[r] + g.size[r] || addr === a[r] ? r : -1;
}


interface SortedObjects {
  /** Sorted index → dump index; null when the dump was already sorted. */
  order: Uint32Array | null;
  address: Float64Array;
  size: Uint32Array | Float64Array;
  contentOffset: Uint32Array;
  contentOffsetHigh: Uint16Array | null;
}

/**
 * Objects by address. The dump's (32-bit, arena-relative) addresses become absolute float64 here;
 * sizes and content offsets are gathered into other arrays only when the dump was not already in
 * address order. `inPlace` (a released dump): the dump's arrays may be reused, and those the sort
 * is done with go to `spares`.
 */
function sortObjects(dump: HeapDump, inPlace: boolean, spares: Spares): SortedObjects {
  const o = dump.objects;
  const n = o.count;
  const rel = o.address;
  const base = o.addressBase;
  let sorted = true;
  for (let i = 1; i < n; i++) {
    if (rel[i] <= rel[i - 1]) {
      sorted = false;
      break;
    }
  }
  let address: Float64Array;
  if (rel instanceof Float64Array && base === 0 && sorted) address = rel;
  else {
    address = newF64(n);
    for (let i = 0; i < n; i++) address[i] = base + rel[i];
  }
  if (sorted) return { order: null, address, size: o.size, contentOffset: o.contentOffset, contentOffsetHigh: o.contentOffsetHigh };
  let order: Uint32Array;
  // Arrays every entry of which is written below, free to be the outputs (fresh pages cost time:
  // on some hosts a page fault is 7-10 µs, 18k of them per 19M-entry array).
  let spare: Uint32Array | null = null;
  let spare2: Uint32Array | null = null;
  if (rel instanceof Uint32Array) {
    // 32-bit offsets (an arena under 4 GiB). A dump is a few tens of thousands of ascending runs
    // (its spans): merged (runorder.ts). Else a stable two-pass radix sort, linear and sequential.
    // Either way duplicate addresses of a corrupt input stay apart, in dump order.
    const merged = runMergeOrder(rel, newU32);
    if (merged) order = merged;
    else {
      // The radix pass's 16-bit digits live in `address`, which is written only after it.
      const r = radixOrder32(rel, new Uint16Array(address.buffer, address.byteOffset, n));
      order = r.order;
      spare = r.scratch;
    }
    for (let k = 0; k < n; k++) address[k] = base + rel[order[k]];
    // The dump's own address offsets are done with; when the dump is released they are ours.
    if (inPlace) spare2 = rel;
  } else {
    address.sort();
    order = newU32(n);
    const taken = newI32((n + 32) >>> 5);
    for (let i = 0; i < n; i++) {
      const x = base + rel[i];
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (address[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      while (taken[lo >>> 5] & (1 << (lo & 31))) lo++; // duplicate addresses (corrupt input): keep them apart
      taken[lo >>> 5] |= 1 << (lo & 31);
      order[lo] = i;
    }
  }
  // Sizes and content offsets follow: new[k] = old[order[k]]. A gather, not an in-place cycle walk:
  // the dump lists objects span by span, so `order` is long stretches of consecutive indices and
  // the reads stay sequential (the cycle walk jumps at random: 5× slower on 19M objects). The old
  // arrays are dropped by the caller when it releases the dump.
  const size = (o.size instanceof Float64Array ? newF64(n) : spare ?? newU32(n)) as typeof o.size;
  const content = spare2 ?? newU32(n);
  const high = o.contentOffsetHigh ? newU16(n) : null;
  const os = o.size;
  const oc = o.contentOffset;
  for (let k = 0; k < n; k++) {
    const j = order[k];
    size[k] = os[j];
    content[k] = oc[j];
  }
  if (high) {
    const oh = o.contentOffsetHigh!;
    for (let k = 0; k < n; k++) high[k] = oh[order[k]];
  }
  // With the dump released, its unsorted sizes and content offsets are done with (gathered above).
  if (inPlace) {
    if (os instanceof Uint32Array) spares.give(os);
    spares.give(oc);
  }
  return { order, address, size, contentOffset: content, contentOffsetHigh: high };
}

/**
 * Indices of `keys` in ascending key order, stable: LSD radix on two 16-bit digits (`digits`: scratch
 * of keys.length entries, any contents). Also hands back its other scratch array (keys.length
 * entries, contents undefined) for the caller to reuse.
 */
function radixOrder32(keys: Uint32Array, digits: Uint16Array): { order: Uint32Array; scratch: Uint32Array } {
  const n = keys.length;
  const lo = new Uint32Array(65537);
  const hi = new Uint32Array(65537);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    lo[(k & 0xffff) + 1]++;
    hi[(k >>> 16) + 1]++;
  }
  for (let d = 0; d < 65536; d++) {
    lo[d + 1] += lo[d];
    hi[d + 1] += hi[d];
  }
  const tmp = newU32(n);
  const tmpHi = digits;
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    const at = lo[k & 0xffff]++;
    tmp[at] = i;
    tmpHi[at] = k >>> 16;
  }
  const out = newU32(n);
  for (let j = 0; j < n; j++) out[hi[tmpHi[j]]++] = tmp[j];
  return { order: out, scratch: tmp };
}

/** Memprof bucket per sorted object, from the alloc samples. */
function sampleBuckets(dump: HeapDump, lookup: Lookup): Int8Array | Int16Array | Int32Array {
  const n = dump.objects.count;
  const nb = dump.memProf.length;
  const out = (nb < 128 ? newI8(n) : nb < 32768 ? newI16(n) : newI32(n)).fill(-1);
  const so = dump.allocSamples.object;
  const base = dump.allocSamples.objectBase;
  const sb = dump.allocSamples.bucket;
  // Samples come span by span like the objects: try the object after the last one found first.
  const a = lookup.address;
  let last = -2;
  for (let i = 0; i < so.length; i++) {
    const b = sb[i];
    if (b >= nb) continue; // 0xffffffff: unknown bucket
    const addr = base + so[i];
    const oi = last + 1 < n && a[last + 1] === addr ? last + 1 : findObjectIndex(lookup, addr);
    if (oi >= 0) {
      out[oi] = b;
      last = oi;
    }
  }
  return out;
}

/** The allocation-header words by sorted object index (ascending). */
function typeWordsByObject(dump: HeapDump, find: (a: number) => number): { objects: Uint32Array; types: Float64Array } {
  const tw = dump.typeWords;
  const n = tw.object.length;
  const at = newU32(n);
  const entry = newU32(n);
  let w = 0;
  for (let k = 0; k < n; k++) {
    const i = find(tw.object[k]);
    if (i < 0) continue;
    at[w] = i;
    entry[w++] = k;
  }
  const order = newU32(w);
  for (let k = 0; k < w; k++) order[k] = k;
  order.sort((x, y) => at[x] - at[y]);
  const objects = newU32(w);
  const types = newF64(w);
  for (let k = 0; k < w; k++) {
    objects[k] = at[order[k]];
    types[k] = tw.type[entry[order[k]]];
  }
  return { objects, types };
}

/** Finds whether an address lies in one of the span-tail slots (sorted copy; few entries). */
function tailFinder(dump: HeapDump): (ptr: number) => boolean {
  const t = dump.spanTails;
  if (t.count === 0) return () => false;
  const order = Array.from({ length: t.count }, (_, k) => k).sort((x, y) => t.address[x] - t.address[y]);
  const addr = Float64Array.from(order, (k) => t.address[k]);
  const end = Float64Array.from(order, (k) => t.address[k] + t.size[k]);
  return (ptr) => {
    let lo = 0;
    let hi = addr.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (addr[mid] <= ptr) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && ptr < end[lo - 1];
  };
}

function buildPageTable(address: Float64Array, size: Uint32Array | Float64Array): { pageMin: number; pageSize: number; pageTable: Uint32Array; objectsEnd: number } {
  const n = address.length;
  if (n === 0) return { pageMin: 0, pageSize: 1, pageTable: new Uint32Array(2), objectsEnd: 0 };
  const min = address[0];
  let end = min;
  for (let i = 0; i < n; i++) {
    const e = address[i] + (size[i] > 0 ? size[i] : 1);
    if (e > end) end = e;
  }
  if (end === min) end = min + 1;
  const range = end - min;
  const maxPages = Math.max(1024, Math.min(n >>> 2, 1 << 22));
  let pageSize = 8;
  while (range / pageSize > maxPages) pageSize *= 2;
  const pages = Math.ceil(range / pageSize);
  const table = newU32(pages + 2);
  let j = 0;
  for (let p = 0; p <= pages + 1; p++) {
    const ps = min + p * pageSize;
    while (j < n && address[j] < ps) j++;
    table[p] = j;
  }
  return { pageMin: min, pageSize, pageTable: table, objectsEnd: end };
}

interface Symbolizer {
  slide: number;
  lookup(addr: number): { index: number; name: string; addr: number; size: number } | null;
  /** Name of the closest symbol below addr (for unnamed slots). */
  below(addr: number): string | null;
  /** Address (in the dump) of the closest symbol starting at or below addr. */
  lookupStart(addr: number): number | null;
}
type SymbolHit = NonNullable<ReturnType<Symbolizer['lookup']>>;

function makeSymbolizer(dump: HeapDump, exe: ExeSymbols | undefined, warnings: string[]): Symbolizer | null {
  if (!exe) return null;
  const data = dump.segments.find((s) => s.kind === 'data');
  const bss = dump.segments.find((s) => s.kind === 'bss');
  let slide: number | null = null;
  let ok = true;
  if (data && exe.data) {
    slide = data.base - exe.data.start;
    if (data.size !== exe.data.end - exe.data.start) ok = false;
  }
  if (bss && exe.bss) {
    const s2 = bss.base - exe.bss.start;
    if (slide === null) slide = s2;
    else if (s2 !== slide) ok = false;
    if (bss.size !== exe.bss.end - exe.bss.start) ok = false;
  }
  if (slide === null) {
    warnings.push('the executable has no .data/.bss sections to match against the dump; globals are not named');
    return null;
  }
  if (!exe.pie && slide !== 0) ok = false;
  if (!ok) {
    warnings.push('the executable does not match the dump (its data/bss layout differs); globals are named by address');
    return null;
  }
  if (exe.stripped) {
    warnings.push('the executable is stripped (no symbol table); globals are named by address');
    return null;
  }
  const { addr: sa, size: ss, name: sn } = exe.symbols;
  const n = sa.length;
  const find = (elf: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sa[mid] <= elf) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  };
  const s = slide;
  return {
    slide: s,
    lookup(addr: number) {
      const elf = addr - s;
      let i = find(elf);
      // Prefer a containing symbol among those starting at or before the address.
      for (let k = 0; i >= 0 && k < 4; k++, i--) {
        let size = ss[i];
        if (size === 0) size = i + 1 < n ? sa[i + 1] - sa[i] : 0;
        if (elf < sa[i] + size) return { index: i, name: sn[i], addr: sa[i] + s, size: ss[i] };
        if (k === 0 && ss[i] !== 0) break;
      }
      return null;
    },
    below(addr: number) {
      const i = find(addr - s);
      return i >= 0 ? sn[i] : null;
    },
    lookupStart(addr: number) {
      const i = find(addr - s);
      return i >= 0 ? sa[i] + s : null;
    },
  };
}

/**
 * Static data the compiler allocated without a symbol (e.g. the struct of `var c = NewCache()`
 * once NewCache is inlined: `c` points into .bss, the map inside sits there), indexed by address:
 * find(a) gives the named, non-runtime global whose pointer reaches the unnamed region holding a
 * (the nearest pointed-to address at or below a, within STATIC_REACH bytes, with no symbol
 * covering a).
 */
const STATIC_REACH = 1 << 16;
function staticDataIndex(dump: HeapDump, symbolizer: Symbolizer): { find(a: number): { sym: SymbolHit; target: number; slot: number } | null } | null {
  const inSegment = (v: number): boolean => dump.segments.some((g) => v >= g.base && v < g.base + g.size);
  const pairs: Array<{ target: number; sym: SymbolHit; slot: number }> = [];
  for (const seg of dump.segments) {
    for (const sl of seg.staticSlots ?? []) {
      if (!inSegment(sl.target) || symbolizer.lookup(sl.target)) continue; // only unnamed targets
      const sym = symbolizer.lookup(seg.base + sl.offset);
      if (!sym || isRuntimeSymbol(sym.name)) continue;
      pairs.push({ target: sl.target, sym, slot: seg.base + sl.offset });
    }
  }
  if (pairs.length === 0) return null;
  pairs.sort((x, y) => x.target - y.target);
  return {
    find(a: number) {
      if (symbolizer.lookup(a)) return null;
      let lo = 0;
      let hi = pairs.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (pairs[mid]!.target <= a) lo = mid + 1;
        else hi = mid;
      }
      const p = lo > 0 ? pairs[lo - 1]! : null;
      if (!p || a - p.target >= STATIC_REACH) return null;
      // No named symbol may start between the pointed-to address and a.
      const below = symbolizer.lookupStart(a);
      if (below !== null && below > p.target) return null;
      return { sym: p.sym, target: p.target, slot: p.slot };
    },
  };
}

function buildRoots(
  dump: HeapDump,
  exe: ExeSymbols | undefined,
  warnings: string[],
  sortedFind: (a: number) => number,
  sortedToDump: Uint32Array | null,
  readDump: FrameBytesReader | null,
): { defs: RootDef[]; symbolizer: Symbolizer | null; stackObjects: StackObjectsInfo } {
  const defs: RootDef[] = [];
  const symbolizer = makeSymbolizer(dump, exe, warnings);
  const stack = stackScanContext(dump, exe, symbolizer ? symbolizer.slide : null, readDump);
  // A binary that names the globals but whose stack objects cannot be used: say what that costs.
  if (symbolizer && 'unavailable' in stack && stack.unavailable !== NO_DUMP_BYTES) warnings.push(`goroutines' address-taken locals (stack objects) were not scanned: ${stack.unavailable}; what only they hold counts as garbage`);
  const bySymbol = new Map<number, RootDef>();
  const byAddr = new Map<number, RootDef>();
  let runtimeRoot: RootDef | null = null;
  const runtime = (): RootDef => {
    if (!runtimeRoot) {
      runtimeRoot = { kind: 'runtime', name: GO_RUNTIME, info: {}, targets: [], offsets: [], frames: [] };
      defs.push(runtimeRoot);
    }
    return runtimeRoot;
  };
  const statics = symbolizer ? staticDataIndex(dump, symbolizer) : null;
  for (const seg of dump.segments) {
    for (const slot of seg.slots) {
      const a = seg.base + slot.offset;
      let def: RootDef | undefined;
      let off = 0;
      const via = statics?.find(a);
      if (via && symbolizer) {
        // Unnamed static data a named global points to (`var x = &T{...}` after inlining): the
        // memory belongs to that global as far as a Go developer can tell.
        def = bySymbol.get(via.sym.index);
        if (!def) {
          def = { kind: 'global', name: `global ${via.sym.name}`, info: { symbol: via.sym.name, address: hex(via.sym.addr), symbolSize: via.sym.size }, targets: [], offsets: [], frames: [] };
          bySymbol.set(via.sym.index, def);
          defs.push(def);
        }
        def.targets.push(slot.target);
        def.offsets.push(a - via.sym.addr);
        def.frames.push(SLOT_NONE);
        const region = { start: via.target - via.sym.addr, slot: via.slot - via.sym.addr };
        if (!def.statics) def.statics = [region];
        else if (!def.statics.some((x) => x.start === region.start)) def.statics.push(region);
        continue;
      }
      if (symbolizer) {
        const sym = symbolizer.lookup(a);
        if (sym) {
          off = a - sym.addr;
          if (isRuntimeSymbol(sym.name)) {
            def = runtime();
            def.targets.push(slot.target);
            def.offsets.push(off);
            def.frames.push(sym.index); // which runtime symbol, for labels
            continue;
          } else {
            def = bySymbol.get(sym.index);
            if (!def) {
              def = { kind: 'global', name: `global ${sym.name}`, info: { symbol: sym.name, address: hex(sym.addr), symbolSize: sym.size }, targets: [], offsets: [], frames: [] };
              bySymbol.set(sym.index, def);
              defs.push(def);
            }
          }
        } else {
          const below = symbolizer.below(a);
          if (below !== null && isRuntimeSymbol(below)) {
            def = runtime();
            off = slot.offset;
          }
        }
      }
      if (!def) {
        def = byAddr.get(a);
        off = 0;
        if (!def) {
          def = { kind: 'global', name: `global @${hex(a)}`, info: { address: hex(a) }, targets: [], offsets: [], frames: [] };
          byAddr.set(a, def);
          defs.push(def);
        }
      }
      def.targets.push(slot.target);
      def.offsets.push(off);
      def.frames.push(SLOT_NONE);
    }
  }
  let latestWait = 0n;
  for (const g of dump.goroutines) {
    const w = BigInt(g.waitSince);
    if (w > latestWait) latestWait = w;
  }
  for (const g of dump.goroutines) {
    const def: RootDef = { kind: 'goroutine', name: goroutineName(g), info: { goroutine: goroutineInfo(g, latestWait) }, targets: [], offsets: [], frames: [] };
    // Its g first: the first slot to an object names the edge, and a runtime frame's gp would.
    if (g.address) {
      def.targets.push(g.address);
      def.offsets.push(0);
      def.frames.push(SLOT_G);
    }
    g.frames.forEach((f, fi) => {
      for (const s of f.slots) {
        def.targets.push(s.target);
        def.offsets.push(s.offset);
        def.frames.push(fi);
      }
    });
    if ('table' in stack) {
      scanStackObjects(g, stack, (fi, offset, target) => {
        def.targets.push(target);
        def.offsets.push(offset);
        def.frames.push(fi);
      });
    }
    if (g.ctxt) {
      def.targets.push(g.ctxt);
      def.offsets.push(0);
      def.frames.push(SLOT_CTXT);
    }
    for (const d of g.defers) {
      def.targets.push(d.address, d.funcval);
      def.offsets.push(0, 0);
      def.frames.push(SLOT_DEFER, SLOT_DEFER);
    }
    for (const p of g.panics) {
      def.targets.push(p.address, p.efaceData);
      def.offsets.push(0, 0);
      def.frames.push(SLOT_PANIC, SLOT_PANIC);
    }
    defs.push(def);
  }
  const objs = dump.objects;
  for (const f of dump.finalizers) {
    // The runtime keeps alive what the object points to and the finalizer closure, not the object.
    const def: RootDef = { kind: 'finalizer', name: `finalizer on ${hex(f.object)}`, info: { object: hex(f.object) }, targets: [], offsets: [], frames: [] };
    const i = sortedFind(f.object);
    if (i >= 0) {
      const d = sortedToDump ? sortedToDump[i] : i;
      for (let e = objs.edgeStart[d]; e < objs.edgeStart[d + 1]; e++) {
        def.targets.push(objs.edgeTargetBase + objs.edgeTarget[e]);
        def.offsets.push(objs.edgeOffset[e]);
        def.frames.push(SLOT_OBJECT);
      }
    }
    def.targets.push(f.funcval);
    def.offsets.push(0);
    def.frames.push(SLOT_FUNCVAL);
    defs.push(def);
  }
  for (const f of dump.queuedFinalizers) {
    const def: RootDef = { kind: 'pending-finalizer', name: `pending finalizer for ${hex(f.object)}`, info: { object: hex(f.object) }, targets: [f.object, f.funcval], offsets: [0, 0], frames: [SLOT_OBJECT, SLOT_FUNCVAL] };
    defs.push(def);
  }
  for (const o of dump.otherRoots) {
    defs.push({ kind: 'other', name: o.description || 'other root', info: {}, targets: [o.pointer], offsets: [0], frames: [SLOT_NONE] });
  }
  return { defs, symbolizer, stackObjects: 'table' in stack ? stack.counts : stack };
}

/** Index of the run of `edgeOffsetHigh` that holds forward edge e (-1: before the first). */
export function edgeOffsetRun(g: Pick<HeapGraph, 'edgeOffsetHigh'>, e: number): number {
  const a = g.edgeOffsetHigh.at;
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= e) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Offset of forward edge e's pointer slot in its source. */
export function edgeOffsetAt(g: Pick<HeapGraph, 'edgeOffset' | 'edgeOffsetHigh'>, e: number): number {
  const low = g.edgeOffset[e];
  if (g.edgeOffsetHigh.at.length === 0) return low;
  const k = edgeOffsetRun(g, e);
  return k < 0 ? low : low + g.edgeOffsetHigh.high[k] * 65536;
}

/** Size of a Go 1.22+ allocation header: the type word before the value (8 bytes on every platform). */
export const ALLOC_HEADER_BYTES = 8;

/** Position of object index i in `g.typedObjects` (the objects that begin with an allocation header), or -1. */
export function allocHeaderIndex(g: Pick<HeapGraph, 'typedObjects'>, i: number): number {
  const a = g.typedObjects;
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < i) lo = mid + 1;
    else hi = mid;
  }
  return lo < a.length && a[lo] === i ? lo : -1;
}

/** Where object index i's Go value starts: after its Go 1.22+ allocation header, else at 0. */
export function valueStart(g: Pick<HeapGraph, 'typedObjects'>, i: number): number {
  return allocHeaderIndex(g, i) >= 0 ? ALLOC_HEADER_BYTES : 0;
}

/**
 * How far into its target's Go value forward edge e points (0 at the value's start): what Go code
 * sees, `&a[k]` or `s[k:]`. A pointer to a value after an allocation header is not interior.
 */
export function valueInteriorOffset(g: Pick<HeapGraph, 'interiorEdges' | 'interiorOffsets' | 'typedObjects' | 'firstObject' | 'fwd'>, e: number): number {
  const io = interiorOffset(g, e);
  if (io === 0) return 0;
  const hb = valueStart(g, g.fwd.targets[e] - g.firstObject);
  return io > hb ? io - hb : 0;
}

/** Interior offset of forward edge e from its target object's first byte (0 when it points at the object's start). */
export function interiorOffset(g: Pick<HeapGraph, 'interiorEdges' | 'interiorOffsets'>, e: number): number {
  const a = g.interiorEdges;
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < e) lo = mid + 1;
    else hi = mid;
  }
  return lo < a.length && a[lo] === e ? g.interiorOffsets[lo] : 0;
}

/**
 * Build the graph. With `release`, the dump's big object/edge arrays are emptied once consumed (lower
 * peak memory; the edge targets are resolved in place); the dump must not be analysed again then.
 * `reverse` false leaves rev empty (all lists empty) for the caller to build later.
 */
export function buildHeapGraph(
  dump: HeapDump,
  exe?: ExeSymbols,
  task: TaskContext = NO_TASK,
  release = false,
  reverse = true,
  spares: Spares = new Spares(),
  readDump: FrameBytesReader | null = null,
): HeapGraph {
  const warnings: string[] = [];
  const objs = dump.objects;
  const sorted = sortObjects(dump, release, spares);
  const { order, address, size } = sorted;
  if (release) {
    objs.address = new Uint32Array(0);
    objs.size = new Uint32Array(0);
    objs.contentOffset = new Uint32Array(0);
    objs.contentOffsetHigh = null;
  }
  task.throwIfCancelled();
  const pages = buildPageTable(address, size);
  const lookup = { address, size, ...pages };
  const find = (a: number) => findObjectIndex(lookup, a);
  const objectBucket = sampleBuckets(dump, lookup);
  if (release) dump.allocSamples = { object: new Uint32Array(0), objectBase: 0, bucket: new Uint32Array(0) };
  const { defs, symbolizer, stackObjects } = buildRoots(dump, exe, warnings, find, order, readDump);
  task.throwIfCancelled();
  const typed = typeWordsByObject(dump, find);
  // Span tails are not objects; a pointer into one would mean a real object was taken for one.
  const tails = dump.spanTails;
  const inTail = tailFinder(dump);
  let intoTails = 0;

  const R = defs.length;
  const N = objs.count;
  const firstObject = 1 + R;
  const nodeCount = firstObject + N;
  const eStart = objs.edgeStart;
  const eTarget = objs.edgeTarget;
  const eBase = objs.edgeTargetBase;
  const eOffset = objs.edgeOffset;
  const start = spares.takeU32(nodeCount + 1);

  // Pass 1: resolve every object pointer once (to a sorted object index, NONE when it hits none),
  // count edges per node. With `release` the dump's Uint32 targets are overwritten in place; the few
  // interior pointers are remembered by dump edge (a bitset and their offsets).
  const resolved = release && eTarget instanceof Uint32Array ? eTarget : newU32(eTarget.length);
  const interiorBits = newI32((eTarget.length + 32) >>> 5);
  const interiorAt = new Map<number, number>();
  let m = R;
  // A goroutine's `g` is its goroutine: only its own root points to it. The runtime's pointers to it
  // (allgs, a sudog's g, m.curg, a timer's arg, a run queue's link) are not followed, so what only
  // the g reaches (the sudogs of the channels it waits on, and through them the channels and their
  // buffers, its pprof labels, its heap defers) is the goroutine's, not the runtime's.
  const gOwner = new Map<number, number>();
  for (let r = 0; r < R; r++) {
    const d = defs[r];
    if (d.kind !== 'goroutine') continue;
    const k = d.frames.indexOf(SLOT_G);
    const i = k >= 0 ? find(d.targets[k]) : -1;
    if (i >= 0) gOwner.set(i, r);
  }
  const gBits = newI32((N + 32) >>> 5);
  for (const i of gOwner.keys()) gBits[i >>> 5] |= 1 << (i & 31);
  // Its sudogs too (found in pass 1, by their first word): a channel's wait queue or the semaphore
  // table points to them, and another goroutine's sudog waiting on the same channel links to them,
  // so a goroutine's channels would be shared with every other waiter's. Only the goroutine (its g,
  // its stack, its other sudogs) keeps its sudogs; the edges into them are filtered in pass 2.
  const sudogBits = newI32((N + 32) >>> 5);
  const sudogOwner = new Map<number, number>();
  const gOrSudogOwner = (i: number): number => (gBits[i >>> 5] & (1 << (i & 31)) ? gOwner.get(i)! : sudogBits[i >>> 5] & (1 << (i & 31)) ? sudogOwner.get(i)! : -1);
  const rootTargets: number[][] = [];
  for (let r = 0; r < R; r++) {
    start[1 + r] = m;
    const d = defs[r];
    const seen = new Set<number>();
    const list: number[] = [];
    for (let k = 0; k < d.targets.length; k++) {
      const i = find(d.targets[k]);
      if (i < 0) {
        if (inTail(d.targets[k])) intoTails++;
        continue;
      }
      if (gBits[i >>> 5] & (1 << (i & 31)) && gOwner.get(i) !== r) continue; // another goroutine's g
      if (seen.has(i)) continue; // one edge per root → object (the first slot names it)
      seen.add(i);
      list.push(k, i);
    }
    rootTargets.push(list);
    m += list.length / 2;
  }
  for (let i = 0; i < N; i++) {
    if ((i & 0xfffff) === 0 && i > 0) {
      task.throwIfCancelled();
      task.progress('Building heap graph', i, 2 * N);
    }
    start[firstObject + i] = m;
    const d = order ? order[i] : i;
    const e1 = eStart[d + 1];
    // Pointers of this object to goroutines' g: how many, and the owner of one at offset 0.
    let gEdges = 0;
    let gAtZero = -1;
    // Heap pointers besides a sudog's free-list links (next at 8, prev at 16).
    let inUse = 0;
    for (let e = eStart[d]; e < e1; e++) {
      const ptr = eBase + eTarget[e];
      const j = find(ptr);
      if (j < 0) {
        resolved[e] = NONE;
        if (inTail(ptr)) intoTails++;
      } else if (gBits[j >>> 5] & (1 << (j & 31))) {
        resolved[e] = NONE; // a goroutine's g: its root's alone
        gEdges++;
        if (eOffset[e] === 0) gAtZero = gOwner.get(j)!;
      } else {
        resolved[e] = j;
        const io = ptr - address[j];
        if (io !== 0) {
          interiorBits[e >>> 5] |= 1 << (e & 31);
          interiorAt.set(e, io > 0xffffffff ? 0xffffffff : io);
        }
        if (eOffset[e] !== 8 && eOffset[e] !== 16) inUse++;
        m++;
      }
    }
    // A sudog in use (runtime/runtime2.go): `g *g` first, no other pointer to a g (next, prev,
    // parent, waitlink and waittail are sudogs, elem a value, c a channel), 88 B in Go 1.19, 96–112 B
    // slots up to 1.27, and a heap pointer besides its free-list links (its channel, its elem, a
    // semaphore tree's parent). allgs's backing array also starts with a g, but holds more than one;
    // a free sudog (releaseSudog leaves its stale g) points at nothing else, or, in the central
    // cache, only at the next free one: it stays the runtime's.
    if (gEdges === 1 && gAtZero >= 0 && inUse > 0 && size[i] >= 80 && size[i] <= 128) {
      sudogBits[i >>> 5] |= 1 << (i & 31);
      sudogOwner.set(i, gAtZero);
    }
  }
  start[nodeCount] = m;
  if (intoTails > 0) warnings.push(`${intoTails} pointer${intoTails === 1 ? '' : 's'} lead into span tails the dumper wrote as objects (left out); their targets are missing from the graph`);
  // Pass 2: fill.
  const targets = spares.takeU32(m);
  const offsets = newU16(m);
  const highAt = new GrowU32();
  const highOf = new GrowU32();
  let curHigh = 0;
  const setOffset = (at: number, off: number): void => {
    offsets[at] = off & 0xffff;
    const h = off >>> 16;
    if (h !== curHigh) {
      highAt.push(at);
      highOf.push(h);
      curHigh = h;
    }
  };
  const intE = new GrowU32();
  const intO = new GrowU32();
  const rootEdgeFrame = new Int32Array(start[firstObject] - R);
  let w = 0;
  for (let r = 0; r < R; r++) targets[w++] = 1 + r;
  for (let r = 0; r < R; r++) {
    const d = defs[r];
    const list = rootTargets[r];
    start[1 + r] = w; // pass 2 drops the edges into other goroutines' sudogs: the starts move
    for (let q = 0; q < list.length; q += 2) {
      const k = list[q];
      const i = list[q + 1];
      if (sudogBits[i >>> 5] & (1 << (i & 31)) && sudogOwner.get(i) !== r) continue;
      rootEdgeFrame[w - R] = d.frames[k];
      setOffset(w, Math.min(d.offsets[k], 0xffffffff));
      const io = d.targets[k] - address[i];
      if (io !== 0) {
        intE.push(w);
        intO.push(Math.min(io, 0xffffffff));
      }
      targets[w++] = firstObject + i;
    }
  }
  for (let i = 0; i < N; i++) {
    if ((i & 0xfffff) === 0 && i > 0) {
      task.throwIfCancelled();
      task.progress('Building heap graph', N + i, 2 * N);
    }
    start[firstObject + i] = w;
    const d = order ? order[i] : i;
    const e1 = eStart[d + 1];
    const source = sudogOwner.size > 0 ? gOrSudogOwner(i) : -1;
    for (let e = eStart[d]; e < e1; e++) {
      const j = resolved[e];
      if (j === NONE) continue;
      if (sudogBits[j >>> 5] & (1 << (j & 31)) && sudogOwner.get(j) !== source) continue;
      if (interiorBits[e >>> 5] & (1 << (e & 31))) {
        intE.push(w);
        intO.push(interiorAt.get(e)!);
      }
      const off = eOffset[e];
      if (off >>> 16 === curHigh) offsets[w] = off & 0xffff;
      else setOffset(w, off);
      targets[w++] = firstObject + j;
    }
  }
  if (release) {
    // The dump's pointers are done with: their arrays back later phases (the dominators).
    if (resolved === eTarget) spares.give(resolved);
    if (eOffset instanceof Uint32Array) spares.give(eOffset);
    objs.edgeTarget = new Uint32Array(0);
    objs.edgeOffset = new Uint32Array(0);
    objs.edgeStart = new Uint32Array(1);
  }
  const roots: RootInfo[] = defs.map((d, r) => ({ node: 1 + r, kind: d.kind, name: d.name, ...d.info, slots: start[2 + r] - start[1 + r] }));
  const staticRegions = new Map<number, StaticRegion[]>();
  defs.forEach((d, r) => {
    if (d.statics) staticRegions.set(1 + r, d.statics);
  });
  start[nodeCount] = w;
  const fwd: Csr = { nodeCount, start, targets: w === targets.length ? targets : targets.subarray(0, w) };
  task.throwIfCancelled();
  // Without `reverse` the caller fills in rev later (the analysis does, once the dominators are done).
  const rev = reverse ? reverseCsr(fwd) : { nodeCount, start: newU32(nodeCount + 1), targets: new Uint32Array(0) };
  return {
    nodeCount,
    rootCount: R,
    objectCount: N,
    firstObject,
    address,
    size,
    objectBucket,
    contentOffset: sorted.contentOffset,
    contentOffsetHigh: sorted.contentOffsetHigh,
    fwd,
    edgeOffset: offsets,
    edgeOffsetHigh: { at: highAt.take(), high: highOf.take() },
    interiorEdges: intE.take(),
    interiorOffsets: intO.take(),
    rev,
    rootEdgeFrame,
    symbolNames: symbolizer && exe ? exe.symbols.name : [],
    roots,
    globalsNamed: symbolizer !== null,
    typedObjects: typed.objects,
    typeAddresses: typed.types,
    staticRegions,
    spanTails: { count: tails.count, bytes: tails.bytes },
    slide: symbolizer ? symbolizer.slide : 0,
    stackObjects,
    warnings,
    ...pages,
  };
}
