/**
 * The analysed heap: graph + dominator tree + retained sizes + roots + allocation sites, and the
 * paged queries the UI and the CLI ask. The HeapAnalysis object stays where it was built (the
 * analysis worker); every query returns plain data.
 */
import { HeapscopeError } from '../errors';
import { NO_TASK, type TaskContext } from '../task';
import { aRecord, type DumpGoroutine, type DumpMemProfBucket, type HeapDump } from './dump';
import { dominatorAnalysis, NONE } from './dominators';
import { readElfSymbols, type ElfReader, type ExeSymbols } from './elf';
import {
  allocHeaderIndex,
  buildHeapGraph,
  contentOffsetAt,
  edgeOffsetAt,
  findObjectIndex,
  goroutineFunction,
  goroutineName,
  isRuntimeFrame,
  SLOT_CTXT,
  SLOT_DEFER,
  SLOT_FUNCVAL,
  SLOT_G,
  SLOT_OBJECT,
  SLOT_PANIC,
  staticRegionAt,
  valueInteriorOffset,
  type HeapGraph,
} from './graph';
import { hex, newF64, newI32, newU32, newU8, Spares } from './grow';
import { parseGoVersion } from './spans';
import type { GoDwarf } from '../dwarf/index';
import { typeHeap, type DumpReader, type HeapTypes } from './typing';
import { objectFields, sizeClassOf, typeHistogram, unknownName } from './typeviews';
import type {
  AllocFrame,
  AllocSiteRow,
  DomRow,
  HeapSummary,
  MergedPathRow,
  MergedPathsResult,
  ObjectDetails,
  FieldRow,
  Page,
  PathStep,
  PathsJson,
  PathsJsonStep,
  PathsResult,
  PointerRow,
  RetainJson,
  RootInfo,
  RootRow,
  SizeClassRow,
  TypeRow,
  TypesInfo,
  TypesJson,
} from './types';

/** Which objects a grouping covers. */
export type HeapScope =
  | { kind: 'all' }
  | { kind: 'reachable' }
  | { kind: 'garbage' }
  /** Everything the node retains (its dominator subtree); a root or an object. */
  | { kind: 'retainedBy'; node: number }
  | { kind: 'allocSite'; site: number }
  | { kind: 'sizeClass'; size: number }
  | { kind: 'nodes'; nodes: number[] }
  /** Objects of one Go type (a Types tab row's name; needs types). */
  | { kind: 'type'; name: string };

export interface AllocSite {
  id: number;
  label: string;
  func: string;
  file: string;
  line: number;
  /** Memprof bucket indices grouped in this site. */
  buckets: number[];
}

/** An object: a graph node id, or an address ("0x…" string or number). */
export type ObjectRef = number | string | { address: number | string } | { node: number };

const SMALL_MAX = 32768;

function baseName(file: string): string {
  const i = file.lastIndexOf('/');
  return i >= 0 ? file.slice(i + 1) : file;
}

/**
 * Frames an allocation site looks past, as pprof does for heap profiles (runtime/pprof protomem.go:
 * leading `runtime.` frames, and from Go 1.24 `internal/runtime/` frames: the Swiss-table map code).
 */
function isRuntimeAllocFrame(name: string): boolean {
  return name.startsWith('runtime.') || name.startsWith('runtime/') || name.startsWith('internal/runtime/');
}

function siteOf(b: DumpMemProfBucket): { label: string; func: string; file: string; line: number } {
  let f = b.frames.find((x) => !isRuntimeAllocFrame(x.func));
  if (!f) f = b.frames[0];
  if (!f) return { label: '(unknown)', func: '', file: '', line: 0 };
  return { label: `${f.func} (${baseName(f.file)}:${f.line})`, func: f.func, file: f.file, line: f.line };
}

function sizeClassKey(size: number): number {
  if (size <= SMALL_MAX) return size;
  let p = SMALL_MAX;
  while (p < size) p *= 2;
  return p;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${+(n / 1048576).toFixed(1)} MiB`;
  return `${+(n / 1073741824).toFixed(1)} GiB`;
}

function sizeClassLabel(key: number): string {
  if (key <= SMALL_MAX) return `${key} B`;
  return `${formatBytes(key / 2)} < size ≤ ${formatBytes(key)}`;
}

export class HeapAnalysis {
  readonly graph: HeapGraph;
  /** Reachable nodes (super-root, roots and live objects). */
  readonly reachableNodes: number;
  /** Immediate dominator per node (NONE: unreachable). */
  readonly idom: Uint32Array;
  /** Retained bytes / object count per node. */
  readonly retainedBytes: Float64Array;
  readonly retainedCount: Uint32Array;
  /** Dominator tree children (CSR, node space). */
  readonly domStart: Uint32Array;
  readonly domChildren: Uint32Array;
  /** Per object (sorted index): memprof bucket index, -1 when not sampled (8/16/32-bit by bucket count). */
  readonly objBucket: Int8Array | Int16Array | Int32Array;
  readonly bucketSite: Int32Array;
  readonly sites: AllocSite[];
  readonly buckets: DumpMemProfBucket[];
  readonly goroutines: DumpGoroutine[];
  readonly timings: Record<string, number>;
  /** The dump's data and bss segments (base address, size): the same binary dumps the same sizes. */
  readonly segments: ReadonlyArray<{ kind: 'data' | 'bss'; base: number; size: number; contentsAt: number }>;
  private readonly meta: { goVersion: string; goarch: string; ptrSize: number; complete: boolean; warnings: string[]; memStats: Record<string, string> | null };
  private readonly sortedChildren = new Set<number>();
  private rankedRoots: Uint32Array | null = null;
  private inlinesExpanded = false;
  private bfsParent: Int32Array | null = null;
  private bfsOrder: Uint32Array | null = null;
  private reachableBytesTotal = 0;
  /** Object types from the binary's DWARF (attachTypes); null until then. */
  types: HeapTypes | null = null;
  private dwarf: GoDwarf | null = null;
  private typeRead: DumpReader | null = null;
  private typesNote: string | null = 'no binary given: pass the program binary (--exe) to name object types';
  private typeRowsCache: TypeRow[] | null = null;
  private readonly itabs: HeapDump['itabs'];
  private readonly finalizerRecords: HeapDump['finalizers'];
  private readonly queuedFinalizerRecords: HeapDump['queuedFinalizers'];
  private readonly bigEndian: boolean;
  private reachableObjectsTotal = 0;
  private totalBytes = 0;
  /** Resident pages the dominator pass left unused (≥ 1 word per object): the object types' array. */
  private typeSpare: Uint32Array | null = null;

  constructor(dump: HeapDump, exe: ExeSymbols | undefined, task: TaskContext, release = false, readDump: DumpReader | null = null) {
    const t: Record<string, number> = {};
    let t0 = performance.now();
    const lap = (name: string) => {
      const now = performance.now();
      t[name] = Math.round((now - t0) * 10) / 10;
      t0 = now;
    };
    task.progress('Building heap graph', 0, 1);
    this.segments = dump.segments.map((s) => ({ kind: s.kind, base: s.base, size: s.size, contentsAt: s.contentsAt }));
    this.itabs = dump.itabs;
    this.finalizerRecords = dump.finalizers;
    this.queuedFinalizerRecords = dump.queuedFinalizers;
    this.bigEndian = dump.params.bigEndian;
    // With the dump released, the arrays its graph is done with back the graph's and the
    // dominators' own (grow.ts, Spares).
    const spares = new Spares();
    const g = buildHeapGraph(dump, exe, task, release, false, spares, readDump);
    this.graph = g;
    lap('graph');
    // Allocation sites: one per first non-runtime frame of the allocation stacks.
    this.buckets = dump.memProf;
    const siteByLabel = new Map<string, number>();
    this.sites = [];
    this.bucketSite = new Int32Array(dump.memProf.length);
    dump.memProf.forEach((b, i) => {
      const s = siteOf(b);
      let id = siteByLabel.get(s.label);
      if (id === undefined) {
        id = this.sites.length;
        siteByLabel.set(s.label, id);
        this.sites.push({ id, label: s.label, func: s.func, file: s.file, line: s.line, buckets: [] });
      }
      this.sites[id].buckets.push(i);
      this.bucketSite[i] = id;
    });
    // Bucket per object (mapped while the graph was built, before its edges, so that the samples are
    // released early).
    this.objBucket = g.objectBucket;
    g.objectBucket = new Int8Array(0);
    lap('allocSites');
    task.throwIfCancelled();
    task.progress('Computing dominators', 0, 1);
    // The reverse graph is built after the dominators (which do not need it), in buffers they are
    // done with, so that its memory and theirs are never in use at the same time.
    const dom = dominatorAnalysis(g.fwd, undefined, g.size, g.firstObject, task, 'auto', true, spares);
    this.reachableNodes = dom.reachable;
    this.idom = dom.idom;
    this.retainedBytes = dom.retainedBytes;
    this.retainedCount = dom.retainedCount;
    this.domStart = dom.domStart;
    this.domChildren = dom.domChildren;
    g.rev = dom.rev!;
    this.typeSpare = dom.spare ?? null;
    lap('dominators');
    const idom = this.idom;
    this.goroutines = dump.goroutines;
    const N = g.objectCount;
    for (let i = 0; i < N; i++) {
      const s = g.size[i];
      this.totalBytes += s;
      if (idom[g.firstObject + i] !== NONE) {
        this.reachableBytesTotal += s;
        this.reachableObjectsTotal++;
      }
    }
    this.meta = {
      goVersion: dump.params.goVersion,
      goarch: dump.params.goarch,
      ptrSize: dump.params.ptrSize,
      complete: dump.complete,
      warnings: [...dump.warnings, ...g.warnings],
      memStats: dump.memStats ? dump.memStats.fields : null,
    };
    lap('finish');
    this.timings = t;
  }

  // ---- basics -----------------------------------------------------------------------------------

  isObject(node: number): boolean {
    return node >= this.graph.firstObject && node < this.graph.nodeCount;
  }
  isRoot(node: number): boolean {
    return node >= 1 && node <= this.graph.rootCount;
  }
  isReachable(node: number): boolean {
    return this.idom[node] !== NONE;
  }

  /** Node id of an object given by node id or address (interior addresses resolve to the containing object). */
  nodeOf(ref: ObjectRef): number {
    if (typeof ref === 'object') {
      if ('node' in ref) return this.checkNode(ref.node);
      return this.nodeOf(typeof ref.address === 'number' ? hex(ref.address) : ref.address);
    }
    if (typeof ref === 'number') return this.checkNode(ref);
    const s = ref.trim().toLowerCase();
    const v = s.startsWith('0x') ? parseInt(s.slice(2), 16) : /^[0-9]+$/.test(s) ? Number(s) : NaN;
    if (!Number.isFinite(v)) throw new HeapscopeError({ code: 'BAD_REQUEST', message: `not an address: ${ref}` });
    const i = findObjectIndex(this.graph, v);
    if (i < 0) throw new HeapscopeError({ code: 'NOT_FOUND', message: `no heap object at ${hex(v)}` });
    return this.graph.firstObject + i;
  }

  private checkNode(node: number): number {
    if (!Number.isInteger(node) || node < 0 || node >= this.graph.nodeCount) throw new HeapscopeError({ code: 'BAD_REQUEST', message: `no node ${node}` });
    return node;
  }

  objectAddress(node: number): number {
    return this.graph.address[node - this.graph.firstObject];
  }
  objectSize(node: number): number {
    return this.isObject(node) ? this.graph.size[node - this.graph.firstObject] : 0;
  }

  allocSiteId(node: number): number {
    if (!this.isObject(node)) return -1;
    const b = this.objBucket[node - this.graph.firstObject];
    return b < 0 ? -1 : this.bucketSite[b];
  }
  allocSiteLabel(node: number): string | null {
    const s = this.allocSiteId(node);
    return s < 0 ? null : this.sites[s].label;
  }
  allocStack(node: number): AllocFrame[] | null {
    if (!this.isObject(node)) return null;
    const b = this.objBucket[node - this.graph.firstObject];
    return b < 0 ? null : this.buckets[b].frames.map((f) => ({ ...f }));
  }

  /**
   * Go 1.22+: the address of the object's runtime type descriptor, from its allocation header
   * (pointerful objects of 513 B to 32 KiB on 64-bit); null for any other node or when the header word
   * was not an address. A binary's DWARF (`DW_AT_go_runtime_type`) names it.
   */
  typeAddress(node: number): number | null {
    if (!this.isObject(node)) return null;
    const g = this.graph;
    const k = allocHeaderIndex(g, node - g.firstObject);
    if (k < 0) return null;
    const t = g.typeAddresses[k];
    return t === 0 ? null : t;
  }

  /** Label of any node: "0x…" for objects, the root name, "(all roots)" for the super-root. */
  label(node: number): string {
    if (node === 0) return '(all roots)';
    if (this.isRoot(node)) return this.graph.roots[node - 1].name;
    return hex(this.objectAddress(node));
  }

  rootInfo(node: number): RootInfo {
    if (!this.isRoot(node)) throw new HeapscopeError({ code: 'BAD_REQUEST', message: `node ${node} is not a root` });
    return structuredCloneRoot(this.graph.roots[node - 1]);
  }

  summary(): HeapSummary {
    const g = this.graph;
    let sampled = 0;
    for (let i = 0; i < this.objBucket.length; i++) if (this.objBucket[i] >= 0) sampled++;
    return {
      goVersion: this.meta.goVersion,
      goarch: this.meta.goarch,
      ptrSize: this.meta.ptrSize,
      complete: this.meta.complete,
      warnings: [...this.meta.warnings],
      objects: g.objectCount,
      bytes: this.totalBytes,
      edges: g.fwd.start[g.nodeCount] - g.fwd.start[g.firstObject],
      reachableObjects: this.reachableObjectsTotal,
      reachableBytes: this.reachableBytesTotal,
      garbageObjects: g.objectCount - this.reachableObjectsTotal,
      garbageBytes: this.totalBytes - this.reachableBytesTotal,
      roots: g.rootCount,
      goroutines: this.goroutines.length,
      allocSites: this.sites.length,
      sampledObjects: sampled,
      spanTailSlots: g.spanTails.count,
      spanTailBytes: g.spanTails.bytes,
      typedObjects: g.typedObjects.length,
      globalsNamed: g.globalsNamed,
      stackObjects: { ...g.stackObjects },
      types: this.typesInfo(),
      memStats: this.meta.memStats ? { ...this.meta.memStats } : null,
      timings: { ...this.timings },
    };
  }

  // ---- roots & dominator tree -------------------------------------------------------------------

  private ranked(): Uint32Array {
    if (!this.rankedRoots) {
      const R = this.graph.rootCount;
      const ids = Array.from({ length: R }, (_, i) => i + 1);
      const rb = this.retainedBytes;
      const roots = this.graph.roots;
      ids.sort((a, b) => rb[b] - rb[a] || this.retainedCount[b] - this.retainedCount[a] || (roots[a - 1].name < roots[b - 1].name ? -1 : roots[a - 1].name > roots[b - 1].name ? 1 : 0));
      this.rankedRoots = Uint32Array.from(ids);
    }
    return this.rankedRoots;
  }

  rootRow(node: number): RootRow {
    const info = this.rootInfo(node);
    const f = this.graph.fwd;
    const rt = this.rootType(node);
    if (rt) info.type = rt;
    return {
      ...info,
      retainedBytes: this.retainedBytes[node],
      retainedObjects: this.retainedCount[node],
      directObjects: f.start[node + 1] - f.start[node],
    };
  }

  /** Roots ranked by retained size (descending). */
  rootsRanked(start = 0, count = 50): Page<RootRow> {
    const r = this.ranked();
    const s = clampStart(start, r.length);
    const rows: RootRow[] = [];
    for (let i = s; i < Math.min(r.length, s + Math.max(0, count)); i++) rows.push(this.rootRow(r[i]));
    return { total: r.length, start: s, rows };
  }

  domRow(node: number): DomRow {
    this.checkNode(node);
    const kids = this.domStart[node + 1] - this.domStart[node];
    if (node === 0) {
      return { node, kind: 'super-root', label: this.label(0), address: null, size: 0, retainedBytes: this.retainedBytes[0], retainedObjects: this.retainedCount[0], children: kids, allocSite: null };
    }
    if (this.isRoot(node)) {
      const root = this.graph.roots[node - 1];
      const rt = this.rootType(node);
      return { node, kind: 'root', label: root.name, address: null, size: 0, retainedBytes: this.retainedBytes[node], retainedObjects: this.retainedCount[node], children: kids, allocSite: null, rootKind: root.kind, ...(rt ? { type: rt } : {}) };
    }
    return {
      node,
      kind: 'object',
      label: hex(this.objectAddress(node)),
      address: hex(this.objectAddress(node)),
      size: this.objectSize(node),
      retainedBytes: this.retainedBytes[node],
      retainedObjects: this.retainedCount[node],
      children: kids,
      allocSite: this.allocSiteLabel(node),
      ...this.typeField(node),
    };
  }

  /** Children of a node in the dominator tree, biggest retained first (node 0: the roots and top-level objects). */
  dominatorChildren(node = 0, start = 0, count = 100): Page<DomRow> {
    this.checkNode(node);
    const a = this.domStart[node];
    const b = this.domStart[node + 1];
    if (!this.sortedChildren.has(node)) {
      const seg = this.domChildren.subarray(a, b);
      const rb = this.retainedBytes;
      const sorted = Array.from(seg).sort((x, y) => rb[y] - rb[x] || x - y);
      seg.set(sorted);
      this.sortedChildren.add(node);
    }
    const total = b - a;
    const s = clampStart(start, total);
    const rows: DomRow[] = [];
    for (let i = s; i < Math.min(total, s + Math.max(0, count)); i++) rows.push(this.domRow(this.domChildren[a + i]));
    return { total, start: s, rows };
  }

  /** Objects dominated by no single object (children of roots or of the super-root), by retained size. */
  topDominators(count = 20): DomRow[] {
    const g = this.graph;
    const idom = this.idom;
    const cand: number[] = [];
    for (let v = g.firstObject; v < g.nodeCount; v++) {
      const d = idom[v];
      if (d !== NONE && d < g.firstObject) cand.push(v);
    }
    const rb = this.retainedBytes;
    cand.sort((x, y) => rb[y] - rb[x] || x - y);
    return cand.slice(0, Math.max(0, count)).map((v) => this.domRow(v));
  }

  /** The chain of immediate dominators from the node up to (not including) the super-root. */
  dominatorChain(ref: ObjectRef, max = 10000): DomRow[] {
    let v = this.nodeOf(ref);
    const out: DomRow[] = [];
    while (v !== 0 && v !== NONE && out.length < max) {
      out.push(this.domRow(v));
      v = this.idom[v];
    }
    return out;
  }

  // ---- groupings --------------------------------------------------------------------------------

  /** Calls fn(sortedObjectIndex) for each object in the scope. */
  forEachObject(scope: HeapScope, fn: (i: number) => void): void {
    const g = this.graph;
    const F = g.firstObject;
    const idom = this.idom;
    switch (scope.kind) {
      case 'all':
        for (let i = 0; i < g.objectCount; i++) fn(i);
        return;
      case 'reachable':
        for (let i = 0; i < g.objectCount; i++) if (idom[F + i] !== NONE) fn(i);
        return;
      case 'garbage':
        for (let i = 0; i < g.objectCount; i++) if (idom[F + i] === NONE) fn(i);
        return;
      case 'retainedBy': {
        const v = this.checkNode(scope.node);
        if (idom[v] === NONE) return;
        // Iterative walk of the dominator subtree.
        const stack: number[] = [v];
        const ds = this.domStart;
        const dc = this.domChildren;
        while (stack.length) {
          const x = stack.pop()!;
          if (x >= F) fn(x - F);
          for (let c = ds[x]; c < ds[x + 1]; c++) stack.push(dc[c]);
        }
        return;
      }
      case 'allocSite':
        for (let i = 0; i < g.objectCount; i++) {
          const b = this.objBucket[i];
          if (scope.site < 0 ? b < 0 : b >= 0 && this.bucketSite[b] === scope.site) fn(i);
        }
        return;
      case 'sizeClass':
        for (let i = 0; i < g.objectCount; i++) if (sizeClassKey(g.size[i]) === scope.size) fn(i);
        return;
      case 'nodes':
        for (const v of scope.nodes) if (v >= F && v < g.nodeCount) fn(v - F);
        return;
      case 'type':
        if (!this.types) return;
        for (let i = 0; i < g.objectCount; i++) if (idom[F + i] !== NONE && this.typeName(F + i) === scope.name) fn(i);
        return;
    }
  }

  /**
   * Objects of a scope that carry an allocation sample, grouped by what `key` says of their whole
   * stack (leaf first) and its site (an index into `sites`), computed once per stack; null leaves
   * them out. E.g. the program's own function that called a standard library allocator, which a
   * site (its leaf frame) does not tell apart. Biggest first.
   */
  groupByAllocStack(scope: HeapScope, key: (frames: readonly AllocFrame[], site: number) => string | null): Array<{ key: string; objects: number; bytes: number }> {
    const keys = new Array<string | null | undefined>(this.buckets.length);
    const out = new Map<string, { key: string; objects: number; bytes: number }>();
    const g = this.graph;
    this.forEachObject(scope, (i) => {
      const b = this.objBucket[i];
      if (b < 0) return;
      let k = keys[b];
      if (k === undefined) k = keys[b] = key(this.buckets[b].frames, this.bucketSite[b]);
      if (k === null) return;
      let r = out.get(k);
      if (!r) out.set(k, (r = { key: k, objects: 0, bytes: 0 }));
      r.objects++;
      r.bytes += g.size[i];
    });
    return [...out.values()].sort((x, y) => y.bytes - x.bytes || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  }

  /** Objects grouped by allocation site (first non-runtime frame of the allocation stack), biggest first. */
  groupByAllocSite(scope: HeapScope = { kind: 'reachable' }, start = 0, count = 100): Page<AllocSiteRow> {
    const S = this.sites.length;
    const objects = new Float64Array(S + 1);
    const bytes = new Float64Array(S + 1);
    const g = this.graph;
    this.forEachObject(scope, (i) => {
      const b = this.objBucket[i];
      const s = b < 0 ? S : this.bucketSite[b];
      objects[s]++;
      bytes[s] += g.size[i];
    });
    const ids: number[] = [];
    for (let s = 0; s <= S; s++) if (objects[s] > 0) ids.push(s);
    ids.sort((x, y) => bytes[y] - bytes[x] || objects[y] - objects[x] || x - y);
    const s0 = clampStart(start, ids.length);
    const rows = ids.slice(s0, s0 + Math.max(0, count)).map((s): AllocSiteRow => {
      if (s === S) return { site: -1, label: '(no allocation sample)', stack: [], objects: objects[s], bytes: bytes[s] };
      const site = this.sites[s];
      return { site: s, label: site.label, stack: this.buckets[site.buckets[0]].frames.map((f) => ({ ...f })), objects: objects[s], bytes: bytes[s] };
    });
    return { total: ids.length, start: s0, rows };
  }

  /** Objects grouped by size class (slot size; large objects by power-of-two range), biggest total first. */
  groupBySizeClass(scope: HeapScope = { kind: 'reachable' }, start = 0, count = 100): Page<SizeClassRow> {
    const m = new Map<number, { objects: number; bytes: number }>();
    const g = this.graph;
    this.forEachObject(scope, (i) => {
      const sz = g.size[i];
      const k = sizeClassKey(sz);
      let e = m.get(k);
      if (!e) m.set(k, (e = { objects: 0, bytes: 0 }));
      e.objects++;
      e.bytes += sz;
    });
    const rows = [...m.entries()]
      .map(([k, e]): SizeClassRow => ({ size: k, label: sizeClassLabel(k), objects: e.objects, bytes: e.bytes }))
      .sort((a, b) => b.bytes - a.bytes || a.size - b.size);
    const s0 = clampStart(start, rows.length);
    return { total: rows.length, start: s0, rows: rows.slice(s0, s0 + Math.max(0, count)) };
  }

  /** The objects of a scope as dominator rows, biggest retained first. */
  objectsIn(scope: HeapScope, start = 0, count = 100): Page<DomRow> {
    const F = this.graph.firstObject;
    const list: number[] = [];
    this.forEachObject(scope, (i) => list.push(F + i));
    const rb = this.retainedBytes;
    const g = this.graph;
    list.sort((x, y) => rb[y] - rb[x] || g.size[y - F] - g.size[x - F] || x - y);
    const s0 = clampStart(start, list.length);
    return { total: list.length, start: s0, rows: list.slice(s0, s0 + Math.max(0, count)).map((v) => this.domRow(v)) };
  }

  // ---- paths ------------------------------------------------------------------------------------

  private edgeIndex(from: number, to: number, ignored?: Set<string>): number {
    if (ignored && ignored.has(`${from}>${to}`)) return -1;
    const f = this.graph.fwd;
    for (let e = f.start[from]; e < f.start[from + 1]; e++) if (f.targets[e] === to) return e;
    return -1;
  }

  /** Words for where the pointer of edge e sits in its source. */
  private via(from: number, e: number): string {
    const g = this.graph;
    const off = edgeOffsetAt(g, e);
    if (this.isRoot(from)) {
      const root = g.roots[from - 1];
      const code = g.rootEdgeFrame[e - g.fwd.start[1]];
      if (root.kind === 'goroutine') {
        const gr = this.goroutines.find((x) => x.goid === root.goroutine!.goid);
        const local = this.types?.rootVars.get(e);
        if (code >= 0 && gr && gr.frames[code]) return local ? `${gr.frames[code].name} · ${local.name} ${local.type}` : `frame ${gr.frames[code].name} sp+${hex(off)}`;
        if (code === SLOT_CTXT) return 'closure context';
        if (code === SLOT_DEFER) return 'defer';
        if (code === SLOT_PANIC) return 'panic';
        if (code === SLOT_G) return 'its goroutine state (runtime.g)';
        return 'stack';
      }
      if (root.kind === 'global') {
        // Past the symbol: unnamed static data the global points to (`var x = &T{...}`).
        const region = root.symbol && root.symbolSize !== undefined && off >= root.symbolSize ? staticRegionAt(g, from, off) : null;
        if (region) return `*${root.symbol}+${hex(off - region.start)}`;
        return root.symbol ? `${root.symbol}+${hex(off)}` : `${root.address}`;
      }
      if (code === SLOT_FUNCVAL) return 'finalizer function';
      if (code === SLOT_OBJECT) return root.kind === 'pending-finalizer' ? 'queued object' : `object field +${hex(off)}`;
      if (root.kind === 'runtime') return code >= 0 && g.symbolNames[code] ? `${g.symbolNames[code]}+${hex(off)}` : `runtime global +${hex(off)}`;
      return root.name;
    }
    return `+${hex(off)}`;
  }

  private step(node: number, prev: number, e: number): PathStep {
    if (this.isRoot(node)) {
      const r = this.graph.roots[node - 1];
      return { node, root: { kind: r.kind, name: r.name } };
    }
    const st: PathStep = {
      node,
      address: hex(this.objectAddress(node)),
      size: this.objectSize(node),
      allocSite: this.allocSiteLabel(node),
      retainedBytes: this.retainedBytes[node],
      ...this.typeField(node),
    };
    if (prev >= 0 && e >= 0) {
      st.offset = edgeOffsetAt(this.graph, e);
      st.interiorOffset = valueInteriorOffset(this.graph, e);
      st.via = this.via(prev, e);
      const field = this.fieldAt(prev, e);
      if (field) st.field = field;
    }
    return st;
  }

  /**
   * Shortest paths from roots to an object, shortest first, each from a different root, at most k.
   * `ignore` lists edges [from, to] (node ids) to leave out ("ignore this edge" and recompute).
   */
  pathsToRoots(ref: ObjectRef, k = 5, ignore: [number, number][] = []): PathsResult {
    const target = this.nodeOf(ref);
    const g = this.graph;
    const n = g.nodeCount;
    const ignored = new Set(ignore.map(([a, b]) => `${a}>${b}`));
    const next = newI32(n).fill(-1);
    const queue = newU32(n);
    let head = 0;
    let tail = 0;
    next[target] = target;
    queue[tail++] = target;
    const found: number[] = [];
    const rs = g.rev.start;
    const rt = g.rev.targets;
    const R = g.rootCount;
    let more = false;
    while (head < tail) {
      const v = queue[head++];
      if (v >= 1 && v <= R) {
        if (found.length >= k) {
          more = true;
          break;
        }
        found.push(v);
        continue;
      }
      for (let e = rs[v]; e < rs[v + 1]; e++) {
        const u = rt[e];
        if (u === 0 || next[u] >= 0) continue;
        if (ignored.size && ignored.has(`${u}>${v}`)) continue;
        next[u] = v;
        queue[tail++] = u;
      }
    }
    const paths: PathStep[][] = [];
    for (const r of found) {
      const path: PathStep[] = [this.step(r, -1, -1)];
      let u = r;
      while (u !== target) {
        const v = next[u];
        const e = this.edgeIndex(u, v, ignored);
        path.push(this.step(v, u, e));
        u = v;
      }
      paths.push(path);
    }
    return { target, address: this.isObject(target) ? hex(this.objectAddress(target)) : this.label(target), reachable: this.isReachable(target), paths, more };
  }

  private ensureBfs(): { parent: Int32Array; order: Uint32Array } {
    if (!this.bfsParent || !this.bfsOrder) {
      const g = this.graph;
      const n = g.nodeCount;
      const parent = newI32(n).fill(-1);
      const queue = newU32(n);
      let head = 0;
      let tail = 0;
      queue[tail++] = 0;
      parent[0] = 0;
      const fs = g.fwd.start;
      const ft = g.fwd.targets;
      while (head < tail) {
        const v = queue[head++];
        for (let e = fs[v]; e < fs[v + 1]; e++) {
          const w = ft[e];
          if (parent[w] >= 0) continue;
          parent[w] = v;
          queue[tail++] = w;
        }
      }
      this.bfsParent = parent;
      this.bfsOrder = queue.subarray(0, tail);
    }
    return { parent: this.bfsParent, order: this.bfsOrder };
  }

  /**
   * Merge the shortest root paths of a set of objects into one tree (MAT's "merge shortest paths"),
   * e.g. all objects of an allocation site. Rows are parent-linked, shallowest first, at most maxRows.
   */
  mergedPaths(objects: HeapScope | ObjectRef[], maxRows = 2000): MergedPathsResult {
    const { parent, order } = this.ensureBfs();
    const g = this.graph;
    const n = g.nodeCount;
    const cnt = newU32(n);
    const bytes = newF64(n);
    const marked = newU8(n);
    let markedCount = 0;
    let unreachable = 0;
    const add = (v: number) => {
      if (parent[v] < 0) {
        unreachable++;
        return;
      }
      cnt[v]++;
      bytes[v] += this.objectSize(v);
      let u = v;
      while (u !== 0 && !marked[u]) {
        marked[u] = 1;
        markedCount++;
        u = parent[u];
      }
    };
    if (Array.isArray(objects)) for (const o of objects) add(this.nodeOf(o));
    else this.forEachObject(objects, (i) => add(g.firstObject + i));
    // The marked nodes in BFS order (one pass over it).
    const sorted = newU32(markedCount);
    for (let r = 0, k = 0; k < markedCount; r++) if (marked[order[r]]) sorted[k++] = order[r];
    // Accumulate bottom-up (deepest BFS rank first).
    for (let k = sorted.length - 1; k >= 0; k--) {
      const v = sorted[k];
      const p = parent[v];
      if (p !== 0) {
        cnt[p] += cnt[v];
        bytes[p] += bytes[v];
      }
    }
    const rowOf = new Map<number, number>();
    const rows: MergedPathRow[] = [];
    let truncated = false;
    for (let k = 0; k < sorted.length; k++) {
      if (rows.length >= maxRows) {
        truncated = true;
        break;
      }
      const v = sorted[k];
      const p = parent[v];
      const pr = p === 0 ? -1 : rowOf.get(p);
      if (pr === undefined) continue;
      const id = rows.length;
      rowOf.set(v, id);
      const isRoot = this.isRoot(v);
      const row: MergedPathRow = {
        id,
        parent: pr,
        node: v,
        label: this.label(v),
        address: isRoot ? null : hex(this.objectAddress(v)),
        size: this.objectSize(v),
        objects: cnt[v],
        bytes: bytes[v],
        depth: pr < 0 ? 0 : rows[pr].depth + 1,
      };
      if (isRoot) row.rootKind = g.roots[v - 1].kind;
      else if (this.types) row.type = this.typeName(v)!;
      rows.push(row);
    }
    return { rows, unreachable, truncated };
  }

  // ---- details ----------------------------------------------------------------------------------

  /**
   * Everything about one object; outgoing pointers paged. `read` (optional) reads the dump file at an
   * absolute offset: with it, contentHex shows the first `contentBytes` bytes of the object.
   */
  objectDetails(ref: ObjectRef, outStart = 0, outCount = 100, read?: (offset: number, length: number) => Uint8Array, contentBytes = 64): ObjectDetails {
    const v = this.nodeOf(ref);
    if (!this.isObject(v)) throw new HeapscopeError({ code: 'BAD_REQUEST', message: `node ${v} is not an object` });
    const g = this.graph;
    const i = v - g.firstObject;
    const f = g.fwd;
    const a = f.start[v];
    const total = f.start[v + 1] - a;
    const s0 = clampStart(outStart, total);
    const rows: PointerRow[] = [];
    for (let k = s0; k < Math.min(total, s0 + Math.max(0, outCount)); k++) {
      const e = a + k;
      const w = f.targets[e];
      const pr: PointerRow = { offset: edgeOffsetAt(g, e), node: w, address: hex(this.objectAddress(w)), size: this.objectSize(w), interiorOffset: valueInteriorOffset(g, e) };
      if (this.types) {
        pr.type = this.typeName(w)!;
        const field = this.fieldAt(v, e);
        if (field) pr.field = field;
      }
      rows.push(pr);
    }
    const d = this.idom[v];
    const typeAddr = this.typeAddress(v);
    let contentHex = '';
    const contentOffset = contentOffsetAt(g, i);
    const size = g.size[i];
    if (read) {
      const bytes = read(contentOffset, Math.min(contentBytes, size));
      for (let k = 0; k < bytes.length; k++) contentHex += bytes[k].toString(16).padStart(2, '0');
    }
    return {
      node: v,
      address: hex(g.address[i]),
      size,
      reachable: this.isReachable(v),
      retainedBytes: this.retainedBytes[v],
      retainedObjects: this.retainedCount[v],
      dominator: d === NONE ? null : { node: d, label: this.label(d) },
      allocSite: this.allocSiteLabel(v),
      allocStack: this.allocStack(v),
      outgoing: { total, start: s0, rows },
      incoming: g.rev.start[v + 1] - g.rev.start[v],
      contentHex,
      contentOffset,
      typeAddress: typeAddr === null ? null : hex(typeAddr),
      ...(this.types ? { type: this.typeName(v)!, fields: this.fields(v, read ?? this.typeRead) } : {}),
    };
  }

  // ---- types (DWARF) ----------------------------------------------------------------------------

  /**
   * Names every object by its Go type from the binary's DWARF (shared/heap/typing.ts). `dwarf` null:
   * `reason` says why (stripped, no DWARF). `read` reads the dump file (interfaces' type words, map
   * directories, closures' functions, field values); without it typing uses the graph alone.
   */
  attachTypes(dwarf: GoDwarf | null, reason: string | null, read: DumpReader | null, task: TaskContext = NO_TASK): void {
    this.typeRowsCache = null;
    if (!dwarf) {
      this.types = null;
      this.dwarf = null;
      this.typesNote = reason ?? 'the binary has no DWARF: object types cannot be named';
      return;
    }
    this.dwarf = dwarf;
    this.typeRead = read;
    this.typesNote = null;
    this.expandInlinedFrames(dwarf);
    const g = this.graph;
    this.types = null; // its array is reused below
    this.types = typeHeap(
      {
        graph: g,
        goroutines: this.goroutines,
        itabs: this.itabs,
        finalizers: this.finalizerRecords,
        queuedFinalizers: this.queuedFinalizerRecords,
        ptrSize: this.meta.ptrSize,
        bigEndian: this.bigEndian,
        segments: this.segments,
        headerType: (i) => this.typeAddress(g.firstObject + i),
      },
      dwarf,
      read,
      task,
      this.typeSpare ?? undefined,
    );
    this.timings.types = this.types.stats.ms;
  }

  /** The offset of `field` in the named struct type of the binary's DWARF; null without types or no such field. */
  fieldOffset(typeName: string, field: string): number | null {
    const dw = this.dwarf;
    if (!dw) return null;
    const t = dw.underlying(dw.typeNamed(typeName));
    const f = t?.fields?.find((x) => x.name === field);
    return f ? f.offset : null;
  }

  /**
   * Where the goroutines are, by the binary's line tables (with types attached): for each frame of
   * each goroutine outside the runtime, its function and the line it is at (a caller's frame: the
   * line of its call), counted over goroutines. A frame whose pc lies in inlined code is left out
   * (the line would be the inlined function's). Empty without the binary's DWARF.
   */
  goroutineFrameLines(): Array<{ function: string; file: string; line: number; goroutines: number }> {
    const dw = this.dwarf;
    if (!dw) return [];
    const slide = this.graph.slide;
    const count = new Map<string, { function: string; file: string; line: number; goroutines: number }>();
    // A pile-up's goroutines share a few pcs: each looked up once.
    const byPc = new Map<number, { file: string; line: number } | null>();
    const lineOf = (pc: number): { file: string; line: number } | null => {
      let at = byPc.get(pc);
      if (at === undefined) byPc.set(pc, (at = dw.inlinedAt(pc).length > 0 ? null : dw.lineAt(pc)));
      return at;
    };
    for (const gr of this.goroutines) {
      if (gr.isSystem) continue;
      gr.frames.forEach((f, i) => {
        if (isRuntimeFrame(f.name)) return;
        const at = lineOf((i > 0 && f.pc > f.entryPc ? f.pc - 1 : f.pc) - slide);
        if (!at) return;
        const k = `${f.name}\u0000${at.file}\u0000${at.line}`;
        const cur = count.get(k);
        if (cur) cur.goroutines++;
        else count.set(k, { function: f.name, file: at.file, line: at.line, goroutines: 1 });
      });
    }
    return [...count.values()];
  }

  /**
   * A heap dump lists a goroutine's physical frames only; tracebacks and profiles also show the calls
   * inlined into them. With Go 1.21+ `go w.run()` is compiled to a wrapper `F.gowrapN` that run is
   * often inlined into, so without this the goroutine's own function was not in its stack at all.
   * The binary's DWARF says which calls are inlined at each frame's pc: the goroutine's frames,
   * function and root name become the ones its traceback shows. Once per analysis.
   */
  private expandInlinedFrames(dwarf: GoDwarf): void {
    if (this.inlinesExpanded) return;
    this.inlinesExpanded = true;
    const byGoid = new Map<number, DumpGoroutine>();
    for (const gr of this.goroutines) byGoid.set(gr.goid, gr);
    const roots = this.graph.roots;
    const slide = this.graph.slide;
    let renamed = false;
    for (const root of roots) {
      const info = root.goroutine;
      const gr = info && byGoid.get(info.goid);
      if (!info || !gr) continue;
      const frames: string[] = [];
      for (const f of gr.frames) {
        // A caller's pc is its return address: the call is the instruction before it. PIE: less
        // the load bias, as typing reads frames.
        const pc = (f.pc > f.entryPc ? f.pc - 1 : f.pc) - slide;
        frames.push(...dwarf.inlinedAt(pc), f.name);
      }
      if (frames.length === info.frames.length) continue;
      info.frames = frames;
      info.function = goroutineFunction(frames);
      const name = goroutineName(gr, frames);
      if (name !== root.name) {
        root.name = name;
        renamed = true;
      }
    }
    if (renamed) this.rankedRoots = null;
  }

  /** Stop reading the dump for field values (its file is closed); a reader passed to objectDetails still works. */
  releaseTypeReader(): void {
    this.typeRead = null;
  }

  /** A note shown with the summary's warnings. */
  addWarning(w: string): void {
    this.meta.warnings.push(w);
  }

  /** The Go type of an object ("unknown (size class N)" when typing found none); null without types or for roots. */
  typeName(node: number): string | null {
    if (!this.types || !this.isObject(node)) return null;
    const i = node - this.graph.firstObject;
    const size = this.graph.size[i];
    return this.types.nameOf(i, size) ?? unknownName(sizeClassOf(size));
  }

  private typeField(node: number): { type?: string } {
    const t = this.typeName(node);
    return t === null ? {} : { type: t };
  }

  /** A global root's variable type (its first pointer slot's variable). */
  private rootType(node: number): string | null {
    if (!this.types) return null;
    const r = this.graph.roots[node - 1];
    if (r.kind !== 'global') return null;
    const f = this.graph.fwd;
    for (let e = f.start[node]; e < f.start[node + 1]; e++) {
      const v = this.types.rootVars.get(e);
      if (v) return v.type;
    }
    return null;
  }

  /**
   * With the binary's types: what the word of object `from` that edge e's pointer sits in is, by
   * that object's Go type: the data word of a slice or of a string header, or any other pointer (a
   * plain `*T`, `unsafe.Pointer`, a map's directory). Null when the type is not known (a root, an
   * untyped object, a type with no pointer slot there).
   */
  pointerKind(from: number, e: number): 'slice' | 'string' | 'other' | null {
    if (!this.types || !this.isObject(from)) return null;
    const en = this.types.entryOf(from - this.graph.firstObject);
    if (!en || en.layout.size === 0) return null;
    let pos = edgeOffsetAt(this.graph, e) - en.base;
    if (pos < 0) return null;
    if (en.array && en.size > 0) pos %= en.size;
    const leaf = en.layout.get(pos);
    if (!leaf) return null;
    return leaf.k === 'slice' ? 'slice' : leaf.k === 'str' ? 'string' : 'other';
  }

  /** With the binary's types: bytes per element of an array object (a slice's backing array), else null. */
  arrayElementSize(node: number): number | null {
    if (!this.types || !this.isObject(node)) return null;
    const en = this.types.entryOf(node - this.graph.firstObject);
    return en && en.array && en.size > 0 ? en.size : null;
  }

  /** With the binary's types: the field of object `from` that points at `to` (".cancel", "[3].Next"); null when not known. */
  referenceField(from: number, to: number): string | null {
    if (!this.isObject(from)) return null;
    const e = this.edgeIndex(from, to);
    return e >= 0 ? this.fieldAt(from, e) : null;
  }

  /** The field of `from` that edge e's pointer sits in: ".Payload", ".entries[3]", a local's name. */
  private fieldAt(from: number, e: number): string | null {
    if (!this.types) return null;
    if (this.isRoot(from)) {
      const v = this.types.rootVars.get(e);
      return v ? v.name : null;
    }
    const i = from - this.graph.firstObject;
    const en = this.types.entryOf(i);
    if (!en || !en.type || !this.dwarf) return null;
    let pos = edgeOffsetAt(this.graph, e) - en.base;
    let prefix = '';
    if (en.array && en.size > 0) {
      prefix = `[${Math.floor(pos / en.size)}]`;
      pos %= en.size;
    }
    const path = fieldPath(this.dwarf, en.type, pos);
    return prefix + path;
  }

  private fields(node: number, read: DumpReader | null): FieldRow[] {
    if (!this.types || !this.dwarf) return [];
    return objectFields(this.graph, this.types, this.dwarf, node - this.graph.firstObject, read, this.meta.ptrSize, this.bigEndian);
  }

  typesInfo(): TypesInfo {
    const T = this.types;
    if (!T) return { available: false, reason: this.typesNote, typedObjects: 0, typedBytes: 0, typedBytesShare: 0, conflicts: 0, exactObjects: 0, ms: 0 };
    const g = this.graph;
    let typedObjects = 0;
    let typedBytes = 0;
    for (let i = 0; i < g.objectCount; i++) {
      if (this.idom[g.firstObject + i] === NONE || T.obj[i] === 0) continue;
      typedObjects++;
      typedBytes += g.size[i];
    }
    return {
      available: true,
      reason: null,
      typedObjects,
      typedBytes,
      typedBytesShare: this.reachableBytesTotal > 0 ? typedBytes / this.reachableBytesTotal : 1,
      conflicts: T.stats.conflicts,
      exactObjects: T.stats.exactObjects,
      ms: T.stats.ms,
    };
  }

  /** Objects of a scope grouped by Go type, biggest retained first (Types tab). Throws without types. */
  typeRows(scope: HeapScope = { kind: 'reachable' }): TypeRow[] {
    if (!this.types) throw new HeapscopeError({ code: 'UNSUPPORTED', message: this.typesNote ?? 'object types are not available' });
    if (scope.kind === 'reachable' && this.typeRowsCache) return this.typeRowsCache;
    let inScope: (i: number) => boolean;
    if (scope.kind === 'reachable') {
      const F = this.graph.firstObject;
      inScope = (i) => this.idom[F + i] !== NONE;
    } else if (scope.kind === 'all') inScope = () => true;
    else {
      const mark = newU8(this.graph.objectCount);
      this.forEachObject(scope, (i) => (mark[i] = 1));
      inScope = (i) => mark[i] === 1;
    }
    const rows = typeHistogram(
      {
        graph: this.graph,
        idom: this.idom,
        retainedBytes: this.retainedBytes,
        domStart: this.domStart,
        domChildren: this.domChildren,
        types: this.types,
        siteOf: (i) => {
          const b = this.objBucket[i];
          return b < 0 ? -1 : this.bucketSite[b];
        },
        siteLabel: (s) => this.sites[s]?.label ?? null,
      },
      inScope,
    );
    rows.sort((a, b) => b.retainedBytes - a.retainedBytes || b.bytes - a.bytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (scope.kind === 'reachable') this.typeRowsCache = rows;
    return rows;
  }

  /** Objects of one type (a Types tab row's name) as a scope. */
  objectsOfType(name: string, scope: HeapScope = { kind: 'reachable' }): number[] {
    const out: number[] = [];
    const F = this.graph.firstObject;
    this.forEachObject(scope, (i) => {
      if (this.typeName(F + i) === name) out.push(F + i);
    });
    return out;
  }

  /** `heapscope types --json`. */
  typesJson(top?: number): TypesJson {
    const rows = this.typeRows();
    const sorted = [...rows].sort((a, b) => b.bytes - a.bytes || b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // Unknown rows of one size class are one entry in the JSON (the site split is for the UI).
    const merged = new Map<string, { name: string; count: number; bytes: number; retainedBytes: number }>();
    for (const r of sorted) {
      const m = merged.get(r.name);
      if (m) {
        m.count += r.count;
        m.bytes += r.bytes;
        m.retainedBytes += r.retainedBytes;
      } else merged.set(r.name, { name: r.name, count: r.count, bytes: r.bytes, retainedBytes: r.retainedBytes });
    }
    const list = [...merged.values()].sort((a, b) => b.bytes - a.bytes || b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { types: top !== undefined ? list.slice(0, top) : list, typedBytesShare: this.typesInfo().typedBytesShare };
  }

  // ---- CLI JSON ---------------------------------------------------------------------------------

  /** `heapscope retain --json`. Roots: all unless `topRoots` is given; dominators: `topDominators` (default 20). */
  retainJson(opts: { topRoots?: number; topDominators?: number } = {}): RetainJson {
    const s = this.summary();
    const nRoots = opts.topRoots ?? this.graph.rootCount;
    return {
      goVersion: s.goVersion,
      objects: s.objects,
      reachableObjects: s.reachableObjects,
      reachableBytes: s.reachableBytes,
      garbageObjects: s.garbageObjects,
      roots: this.rootsRanked(0, nRoots).rows.map((r) => ({ kind: r.kind, name: r.name, retainedBytes: r.retainedBytes, retainedObjects: r.retainedObjects, ...(r.type ? { type: r.type } : {}) })),
      dominators: this.topDominators(opts.topDominators ?? 20).map((d) => ({ address: d.address!, size: d.size, retainedBytes: d.retainedBytes, allocSite: d.allocSite, ...(d.type ? { type: d.type } : {}) })),
    };
  }

  /** `heapscope paths --json`. */
  pathsJson(ref: ObjectRef, k = 5, ignore: [number, number][] = []): PathsJson {
    const r = this.pathsToRoots(ref, k, ignore);
    return {
      paths: r.paths.map((p) =>
        p.map((st): PathsJsonStep =>
          st.root
            ? { root: { kind: st.root.kind, name: st.root.name } }
            : { address: st.address!, size: st.size!, offset: st.offset ?? 0, allocSite: st.allocSite ?? null, ...(st.type ? { type: st.type } : {}), ...(st.field ? { field: st.field } : {}) },
        ),
      ),
    };
  }
}

/** ".Payload", ".meta.owner", "" (the whole type) for a pointer at `pos` bytes into type t. */
function fieldPath(dw: GoDwarf, t: NonNullable<ReturnType<GoDwarf['type']>>, pos: number): string {
  let path = '';
  let cur: ReturnType<GoDwarf['type']> = t;
  for (let depth = 0; depth < 16 && cur; depth++) {
    const u = dw.underlying(cur);
    if (!u) break;
    if (u.tag === 'struct' && u.fields && u.fields.length && u.goKind !== 23 && u.goKind !== 24 && u.goKind !== 20) {
      let f = null;
      for (const x of u.fields) if (x.offset <= pos) f = x;
      if (!f) break;
      path += `.${f.name}`;
      pos -= f.offset;
      cur = dw.type(f.type);
      continue;
    }
    if (u.tag === 'array') {
      const e = dw.type(u.type);
      const es = dw.sizeOf(e);
      if (!e || es <= 0) break;
      path += `[${Math.floor(pos / es)}]`;
      pos %= es;
      cur = e;
      continue;
    }
    break;
  }
  return path;
}

function clampStart(start: number, total: number): number {
  if (!Number.isFinite(start) || start < 0) return 0;
  return Math.min(Math.floor(start), total);
}

function structuredCloneRoot(r: RootInfo): RootInfo {
  const out: RootInfo = { ...r };
  if (r.goroutine) out.goroutine = { ...r.goroutine, frames: [...r.goroutine.frames] };
  return out;
}

export interface BuildOptions {
  /**
   * Empty the dump's big arrays as soon as they are consumed (object/edge arrays, alloc samples): the
   * peak memory drops by about the dump's size. The dump cannot be analysed again afterwards.
   */
  releaseDump?: boolean;
  /**
   * The dump's bytes, for the goroutines' stack objects (their words are read from the frames; with
   * the binary's records, stackscan.ts). Without it those objects are not scanned.
   */
  readDump?: DumpReader;
}

/**
 * A dump cut short before its data and bss records has no globals (they follow the objects and the
 * goroutines): nothing could be told apart from garbage, so it is refused. The usual cause is a
 * program that died inside WriteHeapDump.
 */
function truncatedBeforeRoots(dump: HeapDump): HeapscopeError {
  const at = dump.cut ? dump.cut.offset : dump.bytesRead;
  const where = dump.cut && dump.cut.record ? ` inside ${aRecord(dump.cut.record)}` : '';
  const v = parseGoVersion(dump.params.goVersion);
  const leakCrash =
    v.minor >= 27 || v.experiments.includes('goroutineleakprofile')
      ? ` On ${dump.params.goVersion}, WriteHeapDump kills a program that has taken the goroutine leak profile ("fatal error: dumpgs in STW - bad status"): dump before any goroutineleak profile is taken, or from a fresh process.`
      : '';
  const info: ConstructorParameters<typeof HeapscopeError>[0] = {
    code: 'TRUNCATED',
    format: 'heapdump',
    offset: at,
    message: `heap dump ends at byte ${at}${where}, before its globals (the GC roots, written after the objects and goroutines): the program stopped while writing it, so nothing can be told apart from garbage.${leakCrash}`,
  };
  if (dump.file !== undefined) info.file = dump.file;
  return new HeapscopeError(info);
}

/** Build the full analysis. `exe`: parsed symbols, or a reader over the executable (ELF) to parse. */
export function buildHeapAnalysis(dump: HeapDump, exe?: ExeSymbols | ElfReader | null, task: TaskContext = NO_TASK, opts: BuildOptions = {}): HeapAnalysis {
  if (!dump.complete && dump.segments.length === 0 && dump.recordCounts[1] > 0) throw truncatedBeforeRoots(dump);
  let symbols: ExeSymbols | undefined;
  if (exe) symbols = 'read' in exe ? readElfSymbols(exe) : exe;
  task.throwIfCancelled();
  return new HeapAnalysis(dump, symbols, task, opts.releaseDump ?? false, opts.readDump ?? null);
}
