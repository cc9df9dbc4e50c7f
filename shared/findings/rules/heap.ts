/**
 * Rules on one heap dump (the latest of the inputs):
 *   - MAT's leak suspects: a GC root (or an object several roots share) whose dominator subtree holds
 *     at least SUSPECT_MIN_SHARE of the reachable heap, with its accumulation point (descend into the
 *     biggest dominator child while it holds at least ACCUMULATION_CHILD_SHARE of its parent); a
 *     global whose subtree holds a map (allocation stacks through runtime map code, or map types
 *     from the binary's DWARF) is a global map;
 *   - (sub-slices pinning big backing arrays: subslice.ts);
 *   - *os.File objects whose finalizer is still set (Close clears it): files never closed;
 *   - time.Ticker objects only the runtime's timer heap keeps alive: tickers never stopped.
 */
import { isStdlib } from '../../compare/goroutines';
import { dominatingRoots } from '../../compare/heapdiff';
import { contentOffsetAt, interiorOffset, type DumpReader, type HeapAnalysis, type HeapTypes } from '../../heap';
import type { AllocFrame, AllocSiteRow, DomRow } from '../../heap/types';
import { fmtBytes, fmtPct, plural, round3 } from '../format';
import {
  ACCUMULATION_CHILD_SHARE,
  OPEN_FILES_MIN,
  RESOURCE_HIGH_COUNT,
  SUSPECT_HIGH_SHARE,
  SUSPECT_MIN_BYTES,
  SUSPECT_MIN_SHARE,
  TICKERS_MIN,
} from '../thresholds';
import type { Finding } from '../types';

export type { DumpReader };

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

/** The runtime's own frames, skipped when naming who allocated (internal/bytealg too). */
export function isRuntimeFunc(fn: string): boolean {
  return fn.startsWith('runtime.') || fn.startsWith('runtime/') || fn.startsWith('internal/');
}

/**
 * The first function of the program's own code in an allocation stack (not the runtime's, not the
 * standard library's: `main.bigDoc`, not the `strings.(*Builder).Write` it called); null when the
 * whole stack is the runtime's and the standard library's.
 */
export function programCaller(stack: readonly AllocFrame[] | null): string | null {
  return stack ? programFunction(stack.map((f) => f.func)) : null;
}

/** The same for a goroutine's frames (function names, innermost first). */
export function programFunction(frames: readonly string[]): string | null {
  return frames.find(isProgramFunction) ?? null;
}

/** Code of the program or its modules: not the runtime's, not the standard library's. */
export function isProgramFunction(fn: string): boolean {
  return !isRuntimeFunc(fn) && !isStdlib(fn);
}

/** A type of the runtime's own (`runtime.p`, `[2]*runtime.p`, `[]runtime.timerWhen`), by its element type. */
function isRuntimeType(name: string | null): boolean {
  const elem = name?.replace(/^(?:\[\d*\]|\*)+/, '') ?? '';
  return elem.startsWith('runtime.') || elem.startsWith('internal/runtime/');
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
      if (d.retainedBytes / reachable < SUSPECT_MIN_SHARE || d.retainedBytes < SUSPECT_MIN_BYTES) {
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
  // The runtime's own structures (its Ps and their timer heaps, reached also from a runtime
  // function's frame) are nothing a Go developer can free: what they keep is another rule's.
  if (d.kind !== 'root' && isRuntimeType(a.typeName(d.node))) return [];
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

/**
 * Who allocated what `node` keeps, in one walk of it: the function that filled it most (by the
 * whole stack of each object: a site, its leaf frame, shared by several callers such as
 * strings.Repeat would name whichever caller its first stack has), and, when its biggest site
 * `site` is the standard library's or the runtime's (internal/bytealg.MakeNoZero, every
 * strings.Repeat's), the program's function that allocated most of it there.
 */
function allocators(a: HeapAnalysis, node: number, site: number): { filledBy: string | null; siteCaller: string | null } {
  const fn = site >= 0 ? a.sites[site]!.func : '';
  const libSite = site >= 0 && (isRuntimeFunc(fn) || isStdlib(fn));
  const rows = a.groupByAllocStack({ kind: 'retainedBy', node }, (frames, s) => {
    const by = allocatingFunction(frames);
    if (by === null) return null;
    return `${by}\u0000${libSite && s === site ? (programCaller(frames) ?? '') : ''}`;
  });
  const byFn = new Map<string, number>();
  const bySiteCaller = new Map<string, number>();
  for (const r of rows) {
    const [by, caller] = r.key.split('\u0000') as [string, string];
    byFn.set(by, (byFn.get(by) ?? 0) + r.bytes);
    if (caller) bySiteCaller.set(caller, (bySiteCaller.get(caller) ?? 0) + r.bytes);
  }
  return { filledBy: biggest(byFn), siteCaller: biggest(bySiteCaller) };
}

/** The key with the biggest value (ties: the first by name). */
export function biggest(m: ReadonlyMap<string, number>): string | null {
  let best: string | null = null;
  let most = -1;
  for (const [k, v] of m) if (v > most || (v === most && best !== null && k < best)) [best, most] = [k, v];
  return best;
}

/** Who allocated, in the program's words: its own function, else the first one past the runtime. */
export function allocatingFunction(frames: readonly AllocFrame[]): string | null {
  return allocatingFunctionOf(frames.map((f) => f.func));
}

/** The same for a stack of function names (innermost first): a profile sample's. */
export function allocatingFunctionOf(fns: readonly string[]): string | null {
  return programFunction(fns) ?? fns.find((f) => !isRuntimeFunc(f)) ?? null;
}

/** Roots named for an object several roots share (paths from distinct roots). */
const SHARED_ROOTS_SHOWN = 5;

/** "global main.cache and 2 goroutines", "global main.a, global main.b and more". */
export function sharedByText(roots: ReadonlyArray<{ kind: string; name: string }>, more: boolean): string {
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
    const who = allocators(a, s.node, main ? main.site : -1);
    const mainCaller = who.siteCaller;
    if (mainCaller) evidence.biggestSiteCaller = mainCaller;
    const mostly = main ? `, mostly ${mainCaller ? `${mainCaller} via ` : ''}${main.label}` : '';
    const subject = s.name;
    let title: string;
    let kind: Finding['kind'] = 'retained-by-root';
    if (s.isGlobal && s.isMap) {
      kind = 'global-map';
      const fill = who.filledBy;
      if (fill) evidence.filledBy = fill;
      // "global map" unless its type says it holds the map inside something else (a cache struct).
      const word = rootType && !rootType.startsWith('map[') ? 'global' : 'global map';
      title = `${word} ${s.name.replace(/^global /, '')}${rootType ? ` (${rootType})` : ''} holds ${fmtBytes(s.retained)} (${fmtPct(s.share)} of the live heap)${fill ? `, filled by ${fill}` : ''}`;
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

// ---- files and tickers ---------------------------------------------------------------------------

/** The caller of files found by their type alone (no allocation sample says where they were opened). */
const NOT_SAMPLED = '(no allocation sample)';
/** Tickers counted in the timer heaps by their type (the allocation line key of the ticker rule). */
const BY_TYPE = '(the timer heaps, by type)';


/** The standard streams: open for the process's life by design. */
const STD_STREAMS = new Set(['global os.Stdin', 'global os.Stdout', 'global os.Stderr']);

/** The inner files of os.Stdin, os.Stdout and os.Stderr (global → *File → *file). */
function standardStreams(a: HeapAnalysis): Set<number> {
  const g = a.graph;
  const out = new Set<number>();
  for (const r of g.roots) {
    if (!STD_STREAMS.has(r.name)) continue;
    for (let e = g.fwd.start[r.node]!; e < g.fwd.start[r.node + 1]!; e++) {
      const f = g.fwd.targets[e]!;
      out.add(f);
      for (let k = g.fwd.start[f]!; k < g.fwd.start[f + 1]!; k++) out.add(g.fwd.targets[k]!);
    }
  }
  return out;
}

export function openFiles(a: HeapAnalysis, dump: string): Finding[] {
  const byCaller = new Map<string, { count: number; reachable: number; bytes: number; example: string }>();
  const std = standardStreams(a);
  for (const r of a.graph.roots) {
    if (r.kind !== 'finalizer' || !r.object) continue;
    let v: number;
    try {
      v = a.nodeOf(r.object);
    } catch {
      continue;
    }
    if (std.has(v)) continue;
    // An *os.File's inner file: by its allocation stack when sampled, else by its type from the
    // binary's DWARF (at the default MemProfileRate few of these small objects carry a sample).
    const stack = a.allocStack(v);
    const opened = stack !== null && stack.some((f) => f.func === 'os.newFile' || f.func === 'os.NewFile');
    if (!opened && a.typeName(v) !== 'os.file') continue;
    const caller = opened ? callerOutside(stack, ['os.', 'syscall.', 'internal/']) : NOT_SAMPLED;
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
    const where = caller === NOT_SAMPLED ? '' : ` opened in ${caller}`;
    const title = `${x.count} files${where} never closed (*os.File finalizers still set${unreachable > 0 ? `; ${unreachable} already unreachable, waiting for the GC to close them` : ''}${caller === NOT_SAMPLED ? '; where they were opened has no allocation sample' : ''})`;
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

/** The P's timer heaps' element types: `[N]*runtime.timer` up to Go 1.22, `[N]runtime.timerWhen` from 1.23. */
const TIMER_HEAP_TYPES = new Set(['*runtime.timer', 'runtime.timerWhen']);

const timerHeapCache = new WeakMap<HeapAnalysis, number[]>();

/** The objects that are P timer heaps (with the binary's types; empty without). One walk per analysis (tickers and timers both ask). */
export function timerHeapArrays(a: HeapAnalysis): number[] {
  const T = a.types;
  if (!T) return [];
  const hit = timerHeapCache.get(a);
  if (hit) return hit;
  const g = a.graph;
  const out: number[] = [];
  for (let j = g.firstObject; j < g.nodeCount; j++) {
    // The entry, not the name: no string per object of a big dump.
    const en = T.entryOf(j - g.firstObject);
    if (en && en.array && TIMER_HEAP_TYPES.has(en.name)) out.push(j);
  }
  timerHeapCache.set(a, out);
  return out;
}

export function tickers(a: HeapAnalysis, dump: string, read?: DumpReader): Finding[] {
  const g = a.graph;
  const F = g.firstObject;
  const held = dominatingRoots(a);
  const runtimeRoot = new Set<number>();
  for (const r of g.roots) if (r.kind === 'runtime') runtimeRoot.add(r.node);
  // Only the runtime holds a ticker its timer heap alone reaches (the heap's array its immediate
  // dominator), even when the Ps themselves are shared: from Go 1.23 a timer the program keeps points
  // back into its P, and a runtime frame may hold the allp array.
  const heaps = timerHeapArrays(a);
  const heapSet = new Set(heaps);
  const onlyRuntime = (v: number): boolean => runtimeRoot.has(held[v]!) || heapSet.has(a.idom[v]!);
  // Per caller: objects per NewTicker allocation line (the smallest line count = tickers).
  const byCaller = new Map<string, { lines: Map<string, number>; userHeld: Map<string, number>; bytes: number }>();
  const sampled = new Set<number>();
  const add = (v: number, caller: string, line: string): void => {
    let x = byCaller.get(caller);
    if (!x) byCaller.set(caller, (x = { lines: new Map(), userHeld: new Map(), bytes: 0 }));
    const runtimeOnly = onlyRuntime(v);
    const m = runtimeOnly ? x.lines : x.userHeld;
    m.set(line, (m.get(line) ?? 0) + 1);
    if (runtimeOnly) x.bytes += g.size[v - F]!;
  };
  // With the binary's types, every ticker first: the P's timer heaps point into each Ticker's
  // runtime.timer (one word in up to 1.22, two from 1.23); a period set (its offset from DWARF) makes
  // it a ticker, not a timer. Go 1.23–1.26 keep unreferenced tickers only with asynctimerchan=1 (a
  // go.mod older than 1.23); 1.27 never does. Who created one: its own allocation sample.
  const period = a.fieldOffset('runtime.timer', 'period');
  const typed = new Map<number, string | null>();
  if (read && period !== null) {
    for (const j of heaps) {
      for (let e = g.fwd.start[j]!; e < g.fwd.start[j + 1]!; e++) {
        const v = g.fwd.targets[e]!;
        const io = interiorOffset(g, e);
        if (v < F || typed.has(v) || a.idom[v] !== j || (io !== 8 && io !== 16)) continue;
        const b = read(contentOffsetAt(g, v - F) + io + period, 8);
        if (b.length < 8 || b.every((x) => x === 0)) continue;
        const stack = a.allocStack(v);
        typed.set(v, stack ? callerOutside(stack, ['time.']) : null);
        sampled.add(v);
      }
    }
  }
  // A ticker's channel and its buffer are under the ticker in the dominator tree.
  const underTyped = (v: number): boolean => {
    for (let x = v, k = 0; k < 4 && x !== 0; k++, x = a.idom[x]!) if (typed.has(x)) return true;
    return false;
  };
  // Without types, the sampled objects of time.NewTicker's allocation lines.
  a.sites.forEach((s) => {
    if (s.func !== 'time.NewTicker') return;
    a.forEachObject({ kind: 'allocSite', site: s.id }, (i) => {
      const v = F + i;
      if (!a.isReachable(v) || sampled.has(v) || underTyped(v)) return;
      sampled.add(v);
      add(v, callerOutside(a.allocStack(v), ['time.']), s.label);
    });
  });
  // Typed tickers without a sample are put with the others when those all came from one function.
  const callers = new Set([...typed.values()].filter((c): c is string => c !== null));
  const sole = callers.size === 1 ? [...callers][0]! : null;
  for (const [v, c] of typed) add(v, c ?? sole ?? NOT_SAMPLED, c || sole ? BY_TYPE : NOT_SAMPLED);
  const out: Finding[] = [];
  for (const [caller, x] of byCaller) {
    if (x.lines.size === 0) continue;
    const count = Math.min(...x.lines.values());
    if (count < TICKERS_MIN) continue;
    const userHeld = x.userHeld.size > 0 ? Math.min(...x.userHeld.values()) : 0;
    const where = caller === NOT_SAMPLED ? ' (where they were created has no allocation sample)' : ` created in ${caller}`;
    out.push({
      severity: count >= RESOURCE_HIGH_COUNT ? 'high' : 'medium',
      kind: 'ticker-not-stopped',
      title: `${count} tickers${where} were never stopped: only the runtime's timer heap still holds them (call Stop, or use time.NewTimer/AfterFunc)`,
      subject: caller,
      evidence: { tickers: count, bytes: x.bytes, heldByUserCode: userHeld, allocationSites: [...x.lines.keys()] },
      link: { view: 'heap', dump, allocSite: 'time.NewTicker', root: 'Go runtime' },
      size: x.bytes,
      sources: [dump],
    });
  }
  return out;
}
