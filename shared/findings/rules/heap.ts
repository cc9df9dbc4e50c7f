/**
 * Rules on one heap dump (the latest of the inputs):
 *   - MAT's leak suspects: a GC root (or an object several roots share) whose dominator subtree holds
 *     at least SUSPECT_MIN_SHARE of the reachable heap, with its accumulation point (descend into the
 *     biggest dominator child while it holds at least ACCUMULATION_CHILD_SHARE of its parent); a
 *     global whose subtree holds a map (allocation stacks through runtime map code, or map types
 *     from the binary's DWARF) is a global map;
 *   - sub-slices pinning big backing arrays (every pointer into the array is interior);
 *   - *os.File objects whose finalizer is still set (Close clears it): files never closed;
 *   - time.Ticker objects only the runtime's timer heap keeps alive: tickers never stopped.
 */
import { dominatingRoots } from '../../compare/heapdiff';
import { ALLOC_HEADER_BYTES, contentOffsetAt, edgeOffsetAt, NONE, usesSwissMaps, type HeapAnalysis, type HeapTypes } from '../../heap';
import type { AllocFrame, AllocSiteRow, DomRow } from '../../heap/types';
import { fmtBytes, fmtPct, plural, round3 } from '../format';
import {
  ACCUMULATION_CHILD_SHARE,
  OPEN_FILES_MIN,
  PINNED_HIGH_SHARE,
  PINNED_MAX_USED_SHARE,
  PINNED_MIN_ARRAY_BYTES,
  PINNED_MIN_PREFIX_SHARE,
  PINNED_MIN_WASTED_BYTES,
  RESOURCE_HIGH_COUNT,
  SUSPECT_HIGH_SHARE,
  SUSPECT_MIN_SHARE,
  TICKERS_MIN,
} from '../thresholds';
import type { Finding } from '../types';

export type DumpReader = (offset: number, length: number) => Uint8Array;

/**
 * Allocation frames of map code. Up to Go 1.23 (and with GOEXPERIMENT=noswissmap in 1.24–1.25):
 * runtime.makemap*, mapassign*, hashGrow, makeBucketArray, (*hmap).newoverflow, growWork*, evacuate*,
 * mapclone*. Swiss tables (1.24+): everything in internal/runtime/maps (NewMap, newTable, newarray,
 * (*table).reset/grow/split/rehash, (*Map).growToSmall/growToTable/installTableSplit/putSlotSmall,
 * ...), entered through runtime.mapassign* / makemap* as before.
 */
const MAP_FRAME = /^(?:runtime\.(?:makemap|mapassign|mapclone|hashGrow|makeBucketArray|growWork|evacuate|newoverflow|\(\*hmap\)\.newoverflow)|internal\/runtime\/maps\.)/;

function isMapStack(stack: readonly AllocFrame[]): boolean {
  return stack.some((f) => MAP_FRAME.test(f.func));
}

/** Per memprof bucket: its stack runs through map code (cached per analysis). */
const mapBuckets = new WeakMap<HeapAnalysis, Uint8Array>();

/**
 * Go types of map memory as typing names them from the binary's DWARF (shared/heap/typelayout.ts
 * goTypeName, viewcore's names): the header `map.hdr[K]V` (hmap; Swiss `Map` from 1.24), buckets
 * `map.bucket[K]V` and `runtime.bmap` / `runtime.mapextra` (up to 1.23), Swiss tables
 * `map.table[K]V`, their directory `*map.table[K]V` and groups `map.group[K]V` (1.24+), alone or as
 * the element of an array object.
 */
const MAP_TYPE = /^(?:\*?map\.(?:hdr|bucket|table|group|groupref)\[|runtime\.(?:hmap|bmap|mapextra)$|internal\/runtime\/maps\.)/;

/** Per type entry: a map type (cached per typing; entries only grow). */
const mapEntries = new WeakMap<HeapTypes, Uint8Array>();

function mapTypeEntries(t: HeapTypes): Uint8Array {
  let flags = mapEntries.get(t);
  if (!flags || flags.length !== t.entries.length) {
    flags = Uint8Array.from(t.entries, (e) => (MAP_TYPE.test(e.name) ? 1 : 0));
    mapEntries.set(t, flags);
  }
  return flags;
}

/**
 * Whether the objects `node` alone keeps alive include map memory: some object of its dominator
 * subtree was allocated through map code (its allocation sample's stack), or, with the binary's
 * DWARF, is typed as a map's header, table, group or bucket array. The types matter because samples
 * are random: at MemProfileRate 4096 a 600-entry map's only big allocation (its 27 KiB group array)
 * goes unsampled in about 1 dump of 800, at the default 512 KiB in nearly every dump; the map's
 * small objects (header, directory, table) rarely carry a sample either. Looked up per object (an
 * allocation site such as main.remember mixes map growth and the values it stores; pprof and the
 * site view merge them). Breadth-first, so a map's header or table near the top is found at once.
 */
function holdsMap(a: HeapAnalysis, node: number): boolean {
  let isMap = mapBuckets.get(a);
  if (!isMap) {
    isMap = Uint8Array.from(a.buckets, (b) => (isMapStack(b.frames) ? 1 : 0));
    mapBuckets.set(a, isMap);
  }
  const types = a.types;
  const mapType = types ? mapTypeEntries(types) : null;
  const bySample = isMap.includes(1);
  const byType = types !== null && mapType !== null && mapType.includes(1);
  if (!bySample && !byType) return false;
  const F = a.graph.firstObject;
  const queue: number[] = [node];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q]!;
    if (v >= F) {
      const i = v - F;
      const b = a.objBucket[i]!;
      if (bySample && b >= 0 && isMap[b]) return true;
      if (byType && mapType[types.entryOf(i)?.id ?? 0]) return true;
    }
    for (let c = a.domStart[v]!; c < a.domStart[v + 1]!; c++) queue.push(a.domChildren[c]!);
  }
  return false;
}

function isRuntimeFunc(fn: string): boolean {
  return fn.startsWith('runtime.') || fn.startsWith('runtime/') || fn.startsWith('internal/');
}

/** The first frame of an allocation stack outside the given package prefixes (the user's call). */
function callerOutside(stack: readonly AllocFrame[] | null, prefixes: readonly string[]): string {
  if (!stack) return '(unknown)';
  for (const f of stack) {
    if (isRuntimeFunc(f.func)) continue;
    if (prefixes.some((p) => f.func.startsWith(p))) continue;
    return f.func;
  }
  return '(unknown)';
}

interface SuspectInfo {
  node: number;
  name: string;
  isRoot: boolean;
  isGlobal: boolean;
  isMap: boolean;
  retained: number;
  share: number;
  sites: AllocSiteRow[];
}

/** Roots (and objects several roots share) holding at least SUSPECT_MIN_SHARE of the reachable heap. */
export function suspects(a: HeapAnalysis): SuspectInfo[] {
  const reachable = a.summary().reachableBytes;
  if (reachable <= 0) return [];
  const out: SuspectInfo[] = [];
  // Children of the super-root, biggest first, a page at a time until they drop below the share.
  const page = 64;
  for (let start = 0; ; start += page) {
    const rows = a.dominatorChildren(0, start, page).rows;
    let done = rows.length < page;
    for (const d of rows) {
      if (d.retainedBytes / reachable < SUSPECT_MIN_SHARE) {
        done = true;
        break;
      }
      out.push(...suspectOf(a, d, reachable));
    }
    if (done) break;
  }
  return out;
}

function suspectOf(a: HeapAnalysis, d: DomRow, reachable: number): SuspectInfo[] {
  if (d.kind === 'root' && d.rootKind === 'runtime') return [];
  const sites = a.groupByAllocSite({ kind: 'retainedBy', node: d.node }, 0, 50).rows;
  return [
    {
      node: d.node,
      name: d.kind === 'root' ? d.label : `object ${d.label}`,
      isRoot: d.kind === 'root',
      isGlobal: d.kind === 'root' && d.rootKind === 'global',
      isMap: holdsMap(a, d.node),
      retained: d.retainedBytes,
      share: d.retainedBytes / reachable,
      sites,
    },
  ];
}

/**
 * MAT's accumulation point: from the suspect, into the biggest dominator child while it keeps at least
 * ACCUMULATION_CHILD_SHARE of its parent. A chain of objects from one allocation site (a linked list,
 * a tree) stops at its head: descending it would end at the tail, which holds nothing.
 */
export function accumulationPoint(a: HeapAnalysis, node: number): number {
  let v = node;
  for (;;) {
    const kids = a.dominatorChildren(v, 0, 1).rows;
    if (kids.length === 0) break;
    const c = kids[0]!;
    if (c.retainedBytes < ACCUMULATION_CHILD_SHARE * a.retainedBytes[v]!) break;
    const site = a.isObject(v) ? a.allocSiteId(v) : -1;
    if (site >= 0 && c.kind === 'object' && a.allocSiteId(c.node) === site) break;
    v = c.node;
  }
  return v;
}

function siteLine(s: AllocSiteRow): string {
  return `${s.label}: ${fmtBytes(s.bytes)} in ${plural(s.objects, 'object')}`;
}

function filler(sites: AllocSiteRow[]): string | null {
  for (const s of sites) {
    if (s.site < 0) continue;
    const fn = callerOutside(s.stack, []);
    if (fn !== '(unknown)') return fn;
  }
  return null;
}

/** Roots named for an object several roots share (paths from distinct roots). */
const SHARED_ROOTS_SHOWN = 5;

/** "global main.cache and 2 goroutines", "global main.a, global main.b and more". */
function sharedByText(roots: ReadonlyArray<{ kind: string; name: string }>, more: boolean): string {
  const parts = roots.filter((r) => r.kind === 'global').map((r) => r.name);
  const goroutines = roots.filter((r) => r.kind === 'goroutine').length;
  const others = roots.length - parts.length - goroutines;
  if (goroutines > 0) parts.push(plural(goroutines, 'goroutine'));
  if (others > 0) parts.push(plural(others, 'other root'));
  if (more) parts.push('more');
  if (parts.length === 0) return 'several roots';
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]!}`;
}

export function suspectFindings(a: HeapAnalysis, dump: string): Finding[] {
  const reachable = a.summary().reachableBytes;
  const out: Finding[] = [];
  for (const s of suspects(a)) {
    const acc = accumulationPoint(a, s.node);
    const accRow = a.domRow(acc);
    const evidence: Finding['evidence'] = {
      retainedBytes: s.retained,
      retainedObjects: a.retainedCount[s.node]!,
      shareOfReachable: round3(s.share),
      reachableBytes: reachable,
      accumulationPoint: accRow.label,
      accumulationRetainedBytes: accRow.retainedBytes,
      accumulationChildren: accRow.children,
      biggestSites: s.sites.slice(0, 3).map(siteLine),
    };
    if (accRow.allocSite) evidence.accumulationAllocSite = accRow.allocSite;
    if (s.isMap) evidence.holdsMap = true;
    // With the binary's DWARF: the types that hold the memory.
    const types = a.types ? [...a.typeRows({ kind: 'retainedBy', node: s.node })].sort((x, y) => y.bytes - x.bytes).slice(0, 3) : [];
    const objs = (n: number) => `${n} object${n === 1 ? '' : 's'}`;
    if (types.length) evidence.biggestTypes = types.map((t) => `${t.name}: ${objs(t.count)}, ${fmtBytes(t.bytes)}`);
    if (accRow.type) evidence.accumulationType = accRow.type;
    const rootType = s.isRoot && a.types ? a.rootRow(s.node).type : undefined;
    if (rootType) evidence.rootType = rootType;
    const main = s.sites.find((x) => x.site >= 0);
    const mostly = main ? `, mostly ${main.label}` : '';
    const subject = s.name;
    let title: string;
    let kind: Finding['kind'] = 'retained-by-root';
    if (s.isGlobal && s.isMap) {
      kind = 'global-map';
      const fill = filler(s.sites);
      title = `global map ${s.name.replace(/^global /, '')}${rootType ? ` (${rootType})` : ''} holds ${fmtBytes(s.retained)} (${fmtPct(s.share)} of the live heap)${fill ? `, filled by ${fill}` : ''}`;
    } else if (s.isRoot) {
      title = `${s.name} alone keeps ${fmtBytes(s.retained)} alive (${fmtPct(s.share)} of the live heap)${mostly}`;
    } else {
      // No one root dominates it: say which ones reach it (globals by name), and what it is.
      const reach = a.pathsToRoots({ node: s.node }, SHARED_ROOTS_SHOWN);
      const roots = reach.paths.map((p) => p[0]?.root).filter((r): r is NonNullable<typeof r> => r !== undefined);
      evidence.sharedBy = roots.map((r) => r.name);
      if (reach.more) evidence.sharedByMore = true;
      const type = a.typeName(s.node);
      title = `${type ? `${type} ` : ''}${s.name} (shared by ${sharedByText(roots, reach.more)}) keeps ${fmtBytes(s.retained)} alive (${fmtPct(s.share)} of the live heap)${mostly}`;
    }
    if (acc !== s.node) title += `; accumulates in ${accRow.label}${accRow.type ? ` ${accRow.type}` : ''}${accRow.allocSite ? ` (${accRow.allocSite})` : ''}`;
    const topType = types.find((t) => !t.unknown);
    if (topType) title += `; by type: ${topType.name} (${objs(topType.count)}, ${fmtBytes(topType.bytes)})`;
    out.push({
      severity: s.share >= SUSPECT_HIGH_SHARE ? 'high' : 'medium',
      kind,
      title,
      subject,
      evidence,
      link: s.isRoot ? { view: 'heap', dump, root: s.name } : { view: 'heap', dump, object: accRow.label },
      size: s.retained,
      sources: [dump],
    });
  }
  return out;
}

/** Whether the global root of that name holds a map (allocation stacks through runtime map code). */
export function isGlobalMapRoot(a: HeapAnalysis, name: string): boolean {
  const r = a.graph.roots.find((x) => x.name === name);
  if (!r || r.kind !== 'global' || a.retainedBytes[r.node]! === 0) return false;
  return holdsMap(a, r.node);
}

// ---- sub-slices ----------------------------------------------------------------------------------

const BIG_ENDIAN_ARCHES = new Set(['ppc64', 'mips', 'mips64', 's390x']);

function readWord(b: Uint8Array, at: number, size: number, bigEndian: boolean): number {
  let v = 0;
  for (let i = 0; i < size; i++) {
    const byte = b[bigEndian ? at + i : at + size - 1 - i]!;
    v = v * 256 + byte;
  }
  return v;
}

interface PinGroup {
  site: string;
  fn: string;
  holder: string;
  referrerSite: string | null;
  arrays: number;
  arrayBytes: number;
  usedBytes: number;
  wastedBytes: number;
  lengthsRead: boolean;
  offsets: number[];
  example: string;
}

/**
 * The end (in the array's value) of what the string or slice header at holder u's edge e uses of
 * the array it points into, or -1 when that word is no header or the header cannot be read. `p`:
 * the address the pointer must hold; `off`: its offset in the array's value of `valueSize` bytes.
 * With the binary's types the holder's field decides what the word is; without them a header is
 * recognised by its shape (a length, and a capacity when it is a slice's), except a Swiss map
 * table's groups reference, whose length mask reads like a length.
 */
function headerEnd(a: HeapAnalysis, read: DumpReader, u: number, e: number, target: number, p: number, off: number, valueSize: number, ptr: number, bigEndian: boolean, swiss: boolean): number {
  const kind = a.pointerKind(u, e);
  if (kind === 'other') return -1;
  try {
    const holder = contentOffsetAt(a.graph, u - a.graph.firstObject);
    const at = edgeOffsetAt(a.graph, e);
    const b = read(holder + at, 3 * ptr);
    if (b.length < 2 * ptr || readWord(b, 0, ptr, bigEndian) !== p) return -1;
    const len = readWord(b, ptr, ptr, bigEndian);
    // An empty header pointing at the start says nothing (a next pointer followed by a zero word
    // reads the same): only a used length decides.
    if (off === 0 && len === 0) return -1;
    if (kind === null && swiss && isSwissGroupsReference(a, read, u, at, len, ptr, bigEndian)) return -1;
    if (kind === null && isChanBuffer(a, read, u, at, len, valueSize, ptr, bigEndian)) return -1;
    const cap = b.length >= 3 * ptr ? readWord(b, 2 * ptr, ptr, bigEndian) : -1;
    if (kind !== 'string' && cap >= 0 && len <= cap) {
      // A slice's length and capacity count elements: bytes only for []byte.
      const es = elementBytes(a, target, off, cap, valueSize);
      if (off + cap * es <= valueSize) return off + len * es; // slice header
    }
    if (kind !== 'slice' && off + len <= valueSize) return off + len; // string header
    return -1;
  } catch {
    return -1;
  }
}

/**
 * Bytes per element of the array a slice header with capacity `cap` points `off` bytes into: from
 * the array's Go type when the binary typed it; else the element size that capacity implies when it
 * is a usual one for pointer-free arrays (2, 4, 8 or 16 bytes: a []uint64 of 16384 fills its
 * 128 KiB), else 1 (a []byte, or a slice cut short with a third index).
 */
function elementBytes(a: HeapAnalysis, target: number, off: number, cap: number, valueSize: number): number {
  const typed = a.arrayElementSize(target);
  if (typed !== null) return typed;
  if (cap <= 0) return 1;
  const q = Math.floor((valueSize - off) / cap);
  return q === 2 || q === 4 || q === 8 || q === 16 ? q : 1;
}

/**
 * Whether holder u's word at `at` is a channel's buffer pointer (runtime.hchan, every Go version:
 * qcount, dataqsiz, buf, then elemsize uint16 and closed uint32, which read like a length): the
 * count is within the capacity and capacity × element size fills the buffer. A channel of pointers
 * that is empty has a buffer the dump shows no pointers in.
 */
function isChanBuffer(a: HeapAnalysis, read: DumpReader, u: number, at: number, sizeWord: number, valueSize: number, ptr: number, bigEndian: boolean): boolean {
  if (at !== 2 * ptr) return false;
  const elemsize = sizeWord % 65536;
  const closed = Math.floor(sizeWord / 2 ** 32);
  if (elemsize === 0 || (ptr === 8 && closed > 1) || (ptr === 8 && Math.floor(sizeWord / 65536) % 65536 !== 0)) return false;
  const head = read(contentOffsetAt(a.graph, u - a.graph.firstObject), 2 * ptr);
  if (head.length < 2 * ptr) return false;
  const qcount = readWord(head, 0, ptr, bigEndian);
  const dataqsiz = readWord(head, ptr, ptr, bigEndian);
  const bytes = dataqsiz * elemsize;
  return dataqsiz > 0 && qcount <= dataqsiz && bytes <= valueSize && bytes * 2 > valueSize;
}

/**
 * Whether holder u's word at `at` is the groups reference of a Swiss map table
 * (internal/runtime/maps.table: used, capacity uint16 at +2, growthLeft, localDepth, index int,
 * then groups {data, lengthMask}): the word after the pointer is the group count less one (a power
 * of two less one) and the table's capacity is 8 slots per group.
 */
function isSwissGroupsReference(a: HeapAnalysis, read: DumpReader, u: number, at: number, lengthMask: number, ptr: number, bigEndian: boolean): boolean {
  if (at !== 8 + ptr || lengthMask < 0 || lengthMask >= 0xffff / 8 || (lengthMask & (lengthMask + 1)) !== 0) return false;
  const head = read(contentOffsetAt(a.graph, u - a.graph.firstObject), 4);
  if (head.length < 4) return false;
  const capacity = bigEndian ? head[2]! * 256 + head[3]! : head[3]! * 256 + head[2]!;
  return capacity === (lengthMask + 1) * 8;
}

export function subslicePinning(a: HeapAnalysis, dump: string, read?: DumpReader): Finding[] {
  const g = a.graph;
  const F = g.firstObject;
  const N = g.objectCount;
  const summary = a.summary();
  const ptr = summary.ptrSize || 8;
  const bigEndian = BIG_ENDIAN_ARCHES.has(summary.goarch);
  const swiss = usesSwissMaps(summary.goVersion);
  // Offsets below are into each array's Go value: after a Go 1.22+ allocation header (pointerful
  // objects of 513 B to 32 KiB begin with their type's address), where every pointer to it points.
  const headered = new Uint8Array(N);
  for (let k = 0; k < g.typedObjects.length; k++) headered[g.typedObjects[k]!] = 1;
  const hb = (i: number): number => (headered[i] ? ALLOC_HEADER_BYTES : 0);
  const hasStart = new Uint8Array(N);
  const minOff = new Float64Array(N).fill(Infinity);
  const ie = g.interiorEdges;
  const io = g.interiorOffsets;
  const fs = g.fwd.start;
  const ft = g.fwd.targets;
  const edgeOff = (k: { k: number }, e: number): number => {
    while (k.k < ie.length && ie[k.k]! < e) k.k++;
    return k.k < ie.length && ie[k.k] === e ? io[k.k]! : 0;
  };
  // Pass 1: per big object, is there a pointer to its value's start, and the smallest interior offset.
  {
    const k = { k: 0 };
    for (let e = fs[1]!; e < fs[g.nodeCount]!; e++) {
      const v = ft[e]!;
      if (v < F) continue;
      const i = v - F;
      if (g.size[i]! < PINNED_MIN_ARRAY_BYTES) continue;
      const off = edgeOff(k, e);
      if (off <= hb(i)) hasStart[i] = 1;
      else if (off - hb(i) < minOff[i]!) minOff[i] = off - hb(i);
    }
  }
  // Candidates: big reachable objects with interior pointers, and (when the dump can be read, so
  // the string/slice headers' lengths can decide) also those pointed at from their start: `s[:12]`
  // of a 100 KB string pins it as surely as `s[len(s)-12:]` does.
  const cand = new Uint8Array(N);
  let any = false;
  for (let i = 0; i < N; i++) {
    // A pointer to the start is judged only for pointer-free arrays (string bytes, []byte, the
    // only arrays the dump shows no pointers in): a pointerful object reached from its start is a
    // struct or list node, whatever the words after the pointer hold.
    const pointerFree = fs[F + i + 1] === fs[F + i];
    if ((minOff[i]! < Infinity || (read && hasStart[i] && pointerFree)) && a.idom[F + i] !== NONE) {
      cand[i] = 1;
      any = true;
    }
  }
  if (!any) return [];
  // Pass 2: the used span of each candidate from the slice and string headers pointing into it.
  const usedEnd = new Float64Array(N);
  const unknown = new Uint8Array(N);
  const firstRef = new Int32Array(N).fill(-1);
  {
    const k = { k: 0 };
    for (let u = 1; u < g.nodeCount; u++) {
      for (let e = fs[u]!; e < fs[u + 1]!; e++) {
        const v = ft[e]!;
        if (v < F || !cand[v - F]) continue;
        const i = v - F;
        const raw = edgeOff(k, e);
        if (firstRef[i]! < 0) firstRef[i] = u;
        const end = read && u >= F ? headerEnd(a, read, u, e, v, g.address[i]! + raw, Math.max(0, raw - hb(i)), g.size[i]! - hb(i), ptr, bigEndian, swiss) : -1;
        if (end < 0) unknown[i] = 1;
        else if (end > usedEnd[i]!) usedEnd[i] = end;
      }
    }
  }
  const held = dominatingRoots(a);
  const groups = new Map<string, PinGroup>();
  for (let i = 0; i < N; i++) {
    if (!cand[i]) continue;
    const size = g.size[i]!;
    const valueSize = size - hb(i);
    const start = hasStart[i] ? 0 : minOff[i]!;
    let used: number;
    if (unknown[i]) {
      // A reference whose header could not be read (or is no slice or string): only interior
      // pointers can still tell (the bytes before the first one are unreachable for Go code); a
      // plain pointer to the start may use the whole array.
      if (hasStart[i]) continue;
      if (start < PINNED_MIN_PREFIX_SHARE * valueSize) continue;
      used = valueSize - start;
    } else {
      used = Math.max(0, usedEnd[i]! - start);
      if (used > PINNED_MAX_USED_SHARE * valueSize) continue;
    }
    const wasted = size - used;
    const u = firstRef[i]!;
    const r = u >= 1 && u <= g.rootCount ? u : held[u]!;
    const holder = r >= 1 && r <= g.rootCount ? g.roots[r - 1]!.name : '(several roots)';
    const site = a.allocSiteLabel(F + i) ?? '(no allocation sample)';
    const sid = a.allocSiteId(F + i);
    const fn = sid >= 0 ? a.sites[sid]!.func : '(unknown)';
    const key = `${site}\u0000${holder}`;
    let pg = groups.get(key);
    if (!pg) {
      pg = {
        site,
        fn,
        holder,
        referrerSite: u >= F ? a.allocSiteLabel(u) : null,
        arrays: 0,
        arrayBytes: 0,
        usedBytes: 0,
        wastedBytes: 0,
        lengthsRead: true,
        offsets: [],
        example: `0x${g.address[i]!.toString(16)}`,
      };
      groups.set(key, pg);
    }
    pg.arrays++;
    pg.arrayBytes += size;
    pg.usedBytes += used;
    pg.wastedBytes += wasted;
    if (unknown[i]) pg.lengthsRead = false;
    if (pg.offsets.length < 10) pg.offsets.push(start);
  }
  const out: Finding[] = [];
  for (const pg of groups.values()) {
    if (pg.wastedBytes < PINNED_MIN_WASTED_BYTES) continue;
    const share = summary.reachableBytes > 0 ? pg.wastedBytes / summary.reachableBytes : 0;
    const each = pg.arrays > 0 ? pg.arrayBytes / pg.arrays : 0;
    const usedEach = pg.arrays > 0 ? pg.usedBytes / pg.arrays : 0;
    const usedText = pg.lengthsRead ? `${fmtBytes(Math.round(usedEach))} sub-slices` : `pointers ${fmtBytes(Math.min(...pg.offsets))}+ into them (sub-slices)`;
    const title = `${pg.arrays} × ${fmtBytes(Math.round(each))} arrays from ${pg.fn} are kept alive by ${usedText} held by ${pg.holder}: ${fmtBytes(pg.wastedBytes)} pinned for nothing`;
    const evidence: Finding['evidence'] = {
      arrays: pg.arrays,
      arrayBytes: pg.arrayBytes,
      usedBytes: pg.usedBytes,
      wastedBytes: pg.wastedBytes,
      wastedShareOfReachable: round3(share),
      arraySite: pg.site,
      holder: pg.holder,
      pointerOffsets: pg.offsets,
      lengthsRead: pg.lengthsRead,
      exampleArray: pg.example,
    };
    if (pg.referrerSite) evidence.referrerSite = pg.referrerSite;
    out.push({
      severity: share >= PINNED_HIGH_SHARE ? 'high' : 'medium',
      kind: 'subslice-pinning',
      title,
      subject: pg.fn,
      evidence,
      link: { view: 'heap', dump, allocSite: pg.site, root: pg.holder },
      size: pg.wastedBytes,
      sources: [dump],
    });
  }
  return out;
}

// ---- files and tickers ---------------------------------------------------------------------------

export function openFiles(a: HeapAnalysis, dump: string): Finding[] {
  const byCaller = new Map<string, { count: number; reachable: number; bytes: number; example: string }>();
  for (const r of a.graph.roots) {
    if (r.kind !== 'finalizer' || !r.object) continue;
    let v: number;
    try {
      v = a.nodeOf(r.object);
    } catch {
      continue;
    }
    const stack = a.allocStack(v);
    if (!stack || !stack.some((f) => f.func === 'os.newFile' || f.func === 'os.NewFile')) continue;
    const caller = callerOutside(stack, ['os.', 'syscall.', 'internal/']);
    let x = byCaller.get(caller);
    if (!x) byCaller.set(caller, (x = { count: 0, reachable: 0, bytes: 0, example: r.object }));
    x.count++;
    if (a.isReachable(v)) x.reachable++;
    x.bytes += a.objectSize(v);
  }
  const out: Finding[] = [];
  for (const [caller, x] of byCaller) {
    if (x.count < OPEN_FILES_MIN) continue;
    const unreachable = x.count - x.reachable;
    const title = `${x.count} files opened in ${caller} and never closed (*os.File finalizers still set${unreachable > 0 ? `; ${unreachable} already unreachable, waiting for the GC to close them` : ''})`;
    out.push({
      severity: x.count >= RESOURCE_HIGH_COUNT ? 'high' : 'medium',
      kind: 'file-not-closed',
      title,
      subject: caller,
      evidence: { openFiles: x.count, reachable: x.reachable, unreachable, bytes: x.bytes, exampleFile: x.example, allocatedBy: caller },
      link: { view: 'heap', dump, allocSite: 'os.newFile' },
      size: x.bytes,
      sources: [dump],
    });
  }
  return out;
}

export function tickers(a: HeapAnalysis, dump: string): Finding[] {
  const F = a.graph.firstObject;
  const held = dominatingRoots(a);
  const runtimeRoot = new Set<number>();
  for (const r of a.graph.roots) if (r.kind === 'runtime') runtimeRoot.add(r.node);
  // Per caller: objects per NewTicker allocation line (the smallest line count = tickers).
  const byCaller = new Map<string, { lines: Map<string, number>; userHeld: Map<string, number>; bytes: number }>();
  a.sites.forEach((s) => {
    if (s.func !== 'time.NewTicker') return;
    a.forEachObject({ kind: 'allocSite', site: s.id }, (i) => {
      const v = F + i;
      if (!a.isReachable(v)) return;
      const caller = callerOutside(a.allocStack(v), ['time.']);
      let x = byCaller.get(caller);
      if (!x) byCaller.set(caller, (x = { lines: new Map(), userHeld: new Map(), bytes: 0 }));
      const onlyRuntime = runtimeRoot.has(held[v]!);
      const m = onlyRuntime ? x.lines : x.userHeld;
      m.set(s.label, (m.get(s.label) ?? 0) + 1);
      if (onlyRuntime) x.bytes += a.graph.size[i]!;
    });
  });
  const out: Finding[] = [];
  for (const [caller, x] of byCaller) {
    if (x.lines.size === 0) continue;
    const count = Math.min(...x.lines.values());
    if (count < TICKERS_MIN) continue;
    const userHeld = x.userHeld.size > 0 ? Math.min(...x.userHeld.values()) : 0;
    out.push({
      severity: count >= RESOURCE_HIGH_COUNT ? 'high' : 'medium',
      kind: 'ticker-not-stopped',
      title: `${count} tickers created in ${caller} were never stopped: only the runtime's timer heap still holds them (call Stop, or use time.NewTimer/AfterFunc)`,
      subject: caller,
      evidence: { tickers: count, bytes: x.bytes, heldByUserCode: userHeld, allocationSites: [...x.lines.keys()] },
      link: { view: 'heap', dump, allocSite: 'time.NewTicker', root: 'Go runtime' },
      size: x.bytes,
      sources: [dump],
    });
  }
  return out;
}
