/**
 * assembleReport: inputs the caller already loaded (the FindingsInput shapes: imported profiles,
 * heap analyses, gctrace logs) + options → ReportModel (plain data). Pure: the analysis worker calls
 * it with the items it holds, the CLI calls it in-process.
 *
 * What goes in (each part can be left out through `include`):
 *   findings      computeFindings over every input, each linked to the section that shows it
 *   profiles      per profile and chosen sample type: flame graph (pruned) + top table (capped)
 *   comparisons   per series of profiles of one kind (2+, ordered by capture time when every one has
 *                 a distinct time, else as given): first → last, differential flame graph (the
 *                 side-by-side pair is drawn from the same aligned tree), delta table, and for 3+
 *                 snapshots the per-function values over the series; or the pairs asked for
 *   heap dumps    summary, roots by retained size, the top of the dominator tree, and the paths to
 *                 roots of the suspects (objects named by findings, then the top dominators)
 *   goroutines    per snapshot (goroutine profiles and heap dumps): counts by stack and by wait
 *                 reason; growth over each family with 2+ snapshots
 *   gctrace       live heap and goal per GC cycle
 *
 * Size: flame graphs are pruned at minFraction (raised until a graph has at most maxFlameNodes
 * frames), top and delta tables keep the maxTopRows biggest rows; every cut is recorded in the model
 * and disclosed by the viewer.
 */
import type { FlameNode, ProfileKind } from '../api/types';
import { compareGoroutines, diffFlame, diffTop, goroutineSeriesTrends, goroutineSnapshot, goroutineSnapshotFromHeap, profileSeriesTrends } from '../compare';
import type { CompareMode, DiffFlameNode, GoroutineSnapshot } from '../compare/types';
import { toErrorInfo } from '../errors';
import { computeFindings } from '../findings';
import { groupByProgram, profileProgram } from '../findings/programs';
import type { Finding, FindingsInput, FindingsReport } from '../findings/types';
import type { HeapAnalysis } from '../heap';
import type { DomRow } from '../heap/types';
import { compareProfiles, computeFlame, computeTop, profileSummary, type ImportedProfile } from '../profile';
import { NO_TASK, type TaskContext } from '../task';
import {
  REPORT_FORMAT,
  REPORT_MODEL_VERSION,
  STATUS_CHAR,
  type ComparisonSection,
  type GcTraceSection,
  type GoroutineGrowth,
  type GoroutineSection,
  type GoroutineSnapshotView,
  type HeapDomRow,
  type HeapDumpSection,
  type HeapTypesView,
  type HeapSuspect,
  type PackedDelta,
  type PackedDiffFlame,
  type PackedFlame,
  type PackedTop,
  type ProfileSection,
  type ProfileView,
  type ReportFinding,
  type ReportInputInfo,
  type ReportLimits,
  type ReportModel,
  type ReportSection,
  type ReportSource,
  type ReportSourceLimits,
} from './model';
import { annotateFunctions, cachedReader, DEFAULT_SOURCE_LIMITS, hottestNames, type ReadSource, type SourceBudget } from './source';

/** What the caller knows about an input beyond what the findings engine reads. */
export interface ReportInputMeta {
  /** Where it came from: a path, the URL of a live capture, "demo:…". Shown in the header. */
  source?: string;
  sizeBytes?: number;
  /** Heap dumps: the executable that named the globals (null or absent: none). */
  exe?: string | null;
  /** Loader warnings (the importer's own warnings are added). */
  warnings?: string[];
  /**
   * Profiles: reads a file the profile records, for the annotated source of its hottest functions
   * (the host decides what may be read: electron/services/source.ts). Absent: no source text, and no
   * annotated source at all.
   */
  readSource?: ReadSource;
}

/** One input: a FindingsInput (name, kind, imported / analysis / series) plus what the header shows. */
export type ReportInput = FindingsInput & ReportInputMeta;

/** Which parts go in. Lists hold input names; absent or true means all. */
export interface ReportInclude {
  findings?: boolean;
  profiles?: boolean | string[];
  comparisons?: boolean;
  heapDumps?: boolean | string[];
  goroutines?: boolean;
  gctrace?: boolean;
}

export interface ReportComparison {
  base: string;
  target: string;
  /** Sample type name or index; default: the target's default. */
  sampleIndex?: number | string;
  mode?: CompareMode;
  normalize?: boolean;
}

export interface ReportOptions {
  heapscopeVersion: string;
  title?: string;
  /** ISO 8601; default: now. */
  createdAt?: string;
  include?: ReportInclude;
  /**
   * Sample types drawn per profile: 'default' (pprof's default: default_sample_type, else the last),
   * 'all', or names (those a profile has; its default when it has none of them). Default 'default'.
   */
  sampleTypes?: 'default' | 'all' | string[];
  /** Flame graph pruning (fraction of the total). Default 0.0005 (0.05%), as in the app. */
  minFraction?: number;
  /** Frames per flame graph at most; minFraction is doubled until the tree fits. Default 20000. */
  maxFlameNodes?: number;
  /** Rows per top / delta table at most (the biggest by |flat| or |cum|). Default 5000. */
  maxTopRows?: number;
  /** Pairs to compare instead of the automatic series (first → last per kind). */
  comparisons?: ReportComparison[];
  /** Findings already computed for these inputs (else computed here). */
  findings?: FindingsReport;
  /** Heap dumps: roots listed (default 50), suspects traced to roots (default 6), paths each (default 3). */
  heapRoots?: number;
  heapSuspects?: number;
  heapPaths?: number;
  /** Goroutine groups listed per snapshot (default 100). */
  goroutineGroups?: number;
  /**
   * Annotated source (pprof -list) of the hottest functions of each profile view and comparison, for
   * inputs with `readSource`: how many functions (0: none), lines per function, characters per line
   * and in the whole report. Defaults: DEFAULT_SOURCE_LIMITS.
   */
  source?: Partial<ReportSourceLimits>;
  task?: TaskContext;
}

export const DEFAULT_MIN_FRACTION = 0.0005;
export const DEFAULT_MAX_FLAME_NODES = 20000;
export const DEFAULT_MAX_TOP_ROWS = 5000;
const MAX_STACK_FRAMES = 64;
const MAX_FRACTION = 0.05;

// ---- strings and packing ------------------------------------------------------------------------

class Interner {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  id(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

function countNodes(root: { children: unknown[] }): number {
  let n = 0;
  const st: Array<{ children: unknown[] }> = [root];
  while (st.length) {
    const x = st.pop()!;
    n++;
    for (const c of x.children) st.push(c as { children: unknown[] });
  }
  return n;
}

/** Pre-order walk (children in order) without recursion: visit(node, parentIndex) → own index. */
function preorder<N extends { children: N[] }>(root: N, visit: (n: N, parent: number) => void): void {
  let next = 0;
  const st: Array<{ n: N; parent: number }> = [{ n: root, parent: -1 }];
  while (st.length) {
    const { n, parent } = st.pop()!;
    const id = next++;
    visit(n, parent);
    for (let i = n.children.length - 1; i >= 0; i--) st.push({ n: n.children[i]!, parent: id });
  }
}

function packFlame(root: FlameNode, s: Interner, meta: { nodeCount: number; hiddenFrames: number; minFraction: number }): PackedFlame {
  const out: PackedFlame = { parent: [], name: [], value: [], self: [], hidden: [], ...meta };
  preorder(root, (n, parent) => {
    out.parent.push(parent);
    out.name.push(s.id(n.name));
    out.value.push(n.value);
    out.self.push(n.self);
    out.hidden.push(n.hiddenFrames ?? 0);
  });
  return out;
}

function packDiffFlame(root: DiffFlameNode, s: Interner, meta: { nodeCount: number; hiddenFrames: number; minFraction: number }): PackedDiffFlame {
  const out: PackedDiffFlame = { parent: [], name: [], value: [], self: [], hidden: [], base: [], baseSelf: [], status: '', ...meta };
  const status: string[] = [];
  preorder(root, (n, parent) => {
    out.parent.push(parent);
    out.name.push(s.id(n.name));
    out.value.push(n.value);
    out.self.push(n.self);
    out.hidden.push(n.hiddenFrames ?? 0);
    out.base.push(n.base);
    out.baseSelf.push(n.baseSelf);
    status.push(STATUS_CHAR[n.status]);
  });
  out.status = status.join('');
  return out;
}

/** Indices of the `max` rows with the biggest max(|a|, |b|), in their original order. */
function biggestRows(n: number, a: (i: number) => number, b: (i: number) => number, max: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= max) return all;
  const key = (i: number) => Math.max(Math.abs(a(i)), Math.abs(b(i)));
  return all
    .sort((x, y) => key(y) - key(x) || x - y)
    .slice(0, max)
    .sort((x, y) => x - y);
}

// ---- ordering -----------------------------------------------------------------------------------

function toBig(v: string | bigint | undefined | null): bigint | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'bigint') return v;
  try {
    return BigInt(v);
  } catch {
    return null;
  }
}

/** By time when every item has a distinct non-zero time, else as given (the findings engine's rule). */
function ordered<T>(items: T[], time: (x: T) => bigint | null): T[] {
  if (items.length < 2) return items;
  const times = items.map(time);
  const ok = times.every((t) => t !== null && t !== 0n) && new Set(times.map(String)).size === times.length;
  if (!ok) return items;
  return items
    .map((x, i) => ({ x, i, t: times[i]! }))
    .sort((a, b) => (a.t! < b.t! ? -1 : a.t! > b.t! ? 1 : a.i - b.i))
    .map((e) => e.x);
}

type ProfileInput = Extract<ReportInput, { kind: 'profile' }>;
type DumpInput = Extract<ReportInput, { kind: 'heapdump' }>;
type GcInput = Extract<ReportInput, { kind: 'gctrace' }>;

function profileTime(x: ProfileInput): bigint | null {
  return toBig(x.timeNanos) ?? (x.imported.profile.timeNanos !== 0n ? x.imported.profile.timeNanos : null);
}

function dumpTime(x: DumpInput): bigint | null {
  const ms = x.analysis.summary().memStats;
  return toBig(x.timeNanos) ?? (ms && ms.LastGC ? toBig(ms.LastGC) : null);
}

function included(sel: boolean | string[] | undefined, name: string): boolean {
  if (sel === undefined || sel === true) return true;
  if (sel === false) return false;
  return sel.includes(name);
}

/** A series key: profiles of one kind with the same sample types compare. */
function familyKey(imp: ImportedProfile): string {
  const p = imp.profile;
  const types = p.sampleTypes.map((t) => `${p.strings[t.type]}/${p.strings[t.unit]}`).join(',');
  const kind: ProfileKind = imp.profileKind;
  return `${kind}\u0000${types}`;
}

function sampleIndices(imp: ImportedProfile, want: ReportOptions['sampleTypes']): number[] {
  const p = imp.profile;
  const def = profileSummary(p).defaultSampleIndex;
  const n = p.sampleTypes.length;
  if (n === 0) return [];
  if (want === 'all') return [def, ...Array.from({ length: n }, (_, i) => i).filter((i) => i !== def)];
  if (Array.isArray(want)) {
    const got: number[] = [];
    for (const w of want) {
      const i = p.sampleTypes.findIndex((t) => p.strings[t.type] === w);
      if (i >= 0 && !got.includes(i)) got.push(i);
    }
    if (got.length) return got;
  }
  return [def];
}

// ---- sections -----------------------------------------------------------------------------------

interface Ctx {
  s: Interner;
  limits: ReportLimits;
  task: TaskContext;
  notes: string[];
  /** The source budget; null when no source is embedded (0 functions). */
  source: SourceBudget | null;
  /** Each input's reader, caching files across views. */
  readers: Map<ReportInput, ReadSource>;
}

/** pprof -list of the hottest of `rows` in `p`, or undefined when the input has no reader (or source is off). */
function sourceOf(ctx: Ctx, x: ReportInput, p: ImportedProfile['profile'], rows: ReadonlyArray<{ name: string; flat: number }>, si: number): ReportSource | undefined {
  if (!ctx.source || !x.readSource) return undefined;
  let read = ctx.readers.get(x);
  if (!read) ctx.readers.set(x, (read = cachedReader(x.readSource)));
  try {
    return annotateFunctions(p, hottestNames(rows, ctx.source.limits.functions), si, read, ctx.source, ctx.task);
  } catch (e) {
    const info = toErrorInfo(e);
    if (info.code === 'CANCELLED') throw e;
    ctx.notes.push(`${x.name}: no annotated source: ${info.message}`);
    return undefined;
  }
}

/** Runs a pruned tree builder, doubling minFraction until the tree has at most maxFlameNodes frames. */
function prunedFlame<T extends { root: { children: unknown[] } }>(ctx: Ctx, run: (minFraction: number) => T): { f: T; minFraction: number } {
  let mf = ctx.limits.minFraction;
  for (;;) {
    const f = run(mf);
    if (countNodes(f.root) <= ctx.limits.maxFlameNodes || mf >= MAX_FRACTION) return { f, minFraction: mf };
    mf = Math.min(MAX_FRACTION, mf > 0 ? mf * 2 : 0.0001);
  }
}

function profileView(ctx: Ctx, x: ProfileInput, si: number): ProfileView {
  const imp = x.imported;
  const p = imp.profile;
  const { f, minFraction } = prunedFlame(ctx, (mf) => computeFlame(p, { sampleIndex: si, minFraction: mf }, ctx.task));
  const top = computeTop(p, { sampleIndex: si }, ctx.task);
  const keep = biggestRows(top.rows.length, (i) => top.rows[i]!.flat, (i) => top.rows[i]!.cum, ctx.limits.maxTopRows);
  const packedTop: PackedTop = { name: [], flat: [], cum: [], totalRows: top.rows.length };
  for (const i of keep) {
    const r = top.rows[i]!;
    packedTop.name.push(ctx.s.id(r.name));
    packedTop.flat.push(r.flat);
    packedTop.cum.push(r.cum);
  }
  const view: ProfileView = {
    sampleType: f.sampleType,
    sampleIndex: f.sampleIndex,
    total: f.total,
    flame: packFlame(f.root, ctx.s, { nodeCount: f.nodeCount, hiddenFrames: f.hiddenFrames, minFraction }),
    top: packedTop,
  };
  const source = sourceOf(ctx, x, p, top.rows, f.sampleIndex);
  if (source) view.source = source;
  return view;
}

function profileSection(ctx: Ctx, id: string, x: ProfileInput, sampleTypes: ReportOptions['sampleTypes']): ProfileSection {
  const views = sampleIndices(x.imported, sampleTypes).map((si) => profileView(ctx, x, si));
  return { kind: 'profile', id, title: `${x.name} · ${x.imported.profileKind} profile`, input: x.name, profileKind: x.imported.profileKind, views };
}

function comparisonSection(ctx: Ctx, id: string, base: ProfileInput, target: ProfileInput, series: ProfileInput[], c: Omit<ReportComparison, 'base' | 'target'>): ComparisonSection {
  const q = { mode: c.mode ?? ('diff_base' as CompareMode), normalize: c.normalize === true, ...(c.sampleIndex !== undefined ? { sampleIndex: c.sampleIndex } : {}) };
  const dt = diffTop(base.imported.profile, target.imported.profile, q, ctx.task);
  const { f, minFraction } = prunedFlame(ctx, (mf) => diffFlame(base.imported.profile, target.imported.profile, { ...q, sampleIndex: dt.sampleIndex, minFraction: mf }, ctx.task));
  const keep = biggestRows(dt.rows.length, (i) => dt.rows[i]!.flat, (i) => dt.rows[i]!.cum, ctx.limits.maxTopRows);
  const delta: PackedDelta = { name: [], flat: [], cum: [], baseFlat: [], baseCum: [], status: '', totalRows: dt.rows.length };
  const st: string[] = [];
  for (const i of keep) {
    const r = dt.rows[i]!;
    delta.name.push(ctx.s.id(r.name));
    delta.flat.push(r.flat);
    delta.cum.push(r.cum);
    delta.baseFlat.push(r.baseFlat);
    delta.baseCum.push(r.baseCum);
    st.push(STATUS_CHAR[r.status]);
  }
  delta.status = st.join('');
  let growth: ComparisonSection['growth'] = null;
  if (series.length >= 3) {
    const tr = profileSeriesTrends(
      series.map((x) => ({ name: x.name, profile: x.imported.profile })),
      { sampleIndex: dt.sampleIndex },
      ctx.task,
    );
    growth = {
      totals: tr.totals,
      rows: tr.trends
        .filter((t) => t.growth !== 0)
        .slice(0, 25)
        .map((t) => ({ name: ctx.s.id(t.key), values: t.values, growth: t.growth, monotonic: t.monotonic })),
    };
  }
  const diffProfile = (): ImportedProfile['profile'] => compareProfiles(target.imported.profile, base.imported.profile, dt.mode, { normalize: dt.normalize });
  const source = ctx.source && target.readSource ? sourceOf(ctx, target, diffProfile(), dt.rows, dt.sampleIndex) : undefined;
  const section: ComparisonSection = {
    kind: 'comparison',
    id,
    title: `${base.name} → ${target.name}`,
    base: base.name,
    target: target.name,
    series: series.map((x) => x.name),
    mode: dt.mode,
    normalize: dt.normalize,
    sampleType: dt.sampleType,
    sampleIndex: dt.sampleIndex,
    total: dt.total,
    baseTotal: dt.baseTotal,
    targetTotal: dt.targetTotal,
    flame: packDiffFlame(f.root, ctx.s, { nodeCount: f.nodeCount, hiddenFrames: f.hiddenFrames, minFraction }),
    delta,
    growth,
  };
  if (source) section.source = source;
  return section;
}

const SUSPECT_KEYS = ['accumulationPoint', 'exampleArray', 'exampleFile', 'object'];
const HEX = /^0x[0-9a-f]+$/i;

function heapSection(
  ctx: Ctx,
  id: string,
  x: DumpInput,
  findings: ReportFinding[],
  o: { roots: number; suspects: number; paths: number },
): HeapDumpSection {
  const a: HeapAnalysis = x.analysis;
  const sum = a.summary();
  const roots = a.rootsRanked(0, o.roots);
  // The top of the dominator tree: the biggest top-level nodes, and under each its biggest children.
  const minBytes = Math.max(1, sum.reachableBytes * 0.001);
  const top = a.dominatorChildren(0, 0, 15);
  const rows: HeapDomRow[] = [];
  const st: Array<{ r: DomRow; parent: number; depth: number }> = [];
  for (let i = top.rows.length - 1; i >= 0; i--) st.push({ r: top.rows[i]!, parent: -1, depth: 0 });
  while (st.length && rows.length < 400) {
    const { r, parent, depth } = st.pop()!;
    const kids = depth < 4 && r.children > 0 ? a.dominatorChildren(r.node, 0, 6).rows.filter((k) => k.retainedBytes >= minBytes) : [];
    const idx = rows.length;
    const row: HeapDomRow = {
      parent,
      depth,
      kind: r.kind === 'root' ? 'root' : 'object',
      label: r.label,
      address: r.address,
      size: r.size,
      retainedBytes: r.retainedBytes,
      retainedObjects: r.retainedObjects,
      children: r.children,
      shownChildren: kids.length,
      allocSite: r.allocSite,
    };
    if (r.rootKind) row.rootKind = r.rootKind;
    rows.push(row);
    for (let i = kids.length - 1; i >= 0; i--) st.push({ r: kids[i]!, parent: idx, depth: depth + 1 });
  }
  // Suspects: objects the findings name, then the biggest top-level dominators.
  const cands: Array<{ address: string; reason: string; findingId?: string }> = [];
  for (const f of findings) {
    if (f.link.view !== 'heap' || f.link.dump !== x.name) continue;
    const addrs: string[] = [];
    for (const k of SUSPECT_KEYS) {
      const v = f.evidence[k];
      if (typeof v === 'string' && HEX.test(v)) addrs.push(v);
    }
    if (f.link.object && HEX.test(f.link.object)) addrs.push(f.link.object);
    for (const ad of addrs) cands.push({ address: ad, reason: f.title, findingId: f.id });
  }
  for (const d of a.topDominators(o.suspects)) if (d.address) cands.push({ address: d.address, reason: 'one of the biggest top-level dominators' });
  const suspects: HeapSuspect[] = [];
  const seen = new Set<string>();
  for (const c of cands) {
    if (suspects.length >= o.suspects) break;
    const key = c.address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      const node = a.nodeOf(c.address);
      const d = a.domRow(node);
      const p = a.pathsToRoots(node, o.paths);
      const s: HeapSuspect = {
        id: `${id}-suspect-${suspects.length}`,
        address: d.address ?? c.address,
        reason: c.reason,
        size: d.size,
        retainedBytes: d.retainedBytes,
        allocSite: d.allocSite,
        reachable: p.reachable,
        paths: p.paths,
        more: p.more,
      };
      if (c.findingId) s.findingId = c.findingId;
      suspects.push(s);
    } catch (e) {
      ctx.notes.push(`${x.name}: no paths for ${c.address}: ${toErrorInfo(e).message}`);
    }
    ctx.task.throwIfCancelled();
  }
  return {
    kind: 'heapdump',
    id,
    title: `${x.name} · heap dump`,
    input: x.name,
    summary: {
      goVersion: sum.goVersion,
      goarch: sum.goarch,
      complete: sum.complete,
      objects: sum.objects,
      bytes: sum.bytes,
      reachableObjects: sum.reachableObjects,
      reachableBytes: sum.reachableBytes,
      garbageObjects: sum.garbageObjects,
      garbageBytes: sum.garbageBytes,
      roots: sum.roots,
      goroutines: sum.goroutines,
      globalsNamed: sum.globalsNamed,
      warnings: sum.warnings,
    },
    roots: {
      total: roots.total,
      rows: roots.rows.map((r) => {
        const out: HeapDumpSection['roots']['rows'][number] = {
          kind: r.kind,
          name: r.name,
          retainedBytes: r.retainedBytes,
          retainedObjects: r.retainedObjects,
          directObjects: r.directObjects,
        };
        if (r.goroutine) out.state = r.goroutine.status === 'waiting' && r.goroutine.waitReason ? r.goroutine.waitReason : r.goroutine.status;
        return out;
      }),
    },
    dominators: { rows, topLevelTotal: top.total },
    suspects,
    types: typesView(a),
  };
}

/** The type histogram: the 50 types retaining the most, or why the dump has no types. */
function typesView(a: HeapAnalysis): HeapTypesView {
  const info = a.typesInfo();
  if (!info.available) return { unavailable: info.reason ?? 'no DWARF', typedBytesShare: 0, total: 0, rows: [] };
  const all = a.typeRows();
  const merged = a.typesJson().types;
  const byRetained = [...merged].sort((x, y) => y.retainedBytes - x.retainedBytes || y.bytes - x.bytes);
  return { unavailable: null, typedBytesShare: info.typedBytesShare, total: all.length, rows: byRetained.slice(0, 50) };
}

function snapshotView(id: string, input: string, s: GoroutineSnapshot, maxGroups: number): GoroutineSnapshotView {
  const byState = new Map<string, number>();
  for (const g of s.groups) byState.set(g.state ?? '(unknown)', (byState.get(g.state ?? '(unknown)') ?? 0) + g.count);
  return {
    id,
    input,
    source: s.source,
    total: s.total,
    hasStates: s.hasStates,
    groups: s.groups.slice(0, maxGroups).map((g) => {
      const row: GoroutineSnapshotView['groups'][number] = {
        function: g.function,
        stack: g.stack.length > MAX_STACK_FRAMES ? [...g.stack.slice(0, MAX_STACK_FRAMES), `… ${g.stack.length - MAX_STACK_FRAMES} more frames`] : g.stack,
        state: g.state,
        count: g.count,
        createdBy: g.createdBy,
        maxWaitMinutes: g.maxWaitMinutes,
        system: g.system,
      };
      if (g.retainedBytes !== undefined) row.retainedBytes = g.retainedBytes;
      return row;
    }),
    omittedGroups: Math.max(0, s.groups.length - maxGroups),
    byState: [...byState.entries()].map(([state, count]) => ({ state, count })).sort((a, b) => b.count - a.count || (a.state < b.state ? -1 : 1)),
  };
}

function growthOf(family: string, snaps: GoroutineSnapshot[]): GoroutineGrowth {
  const tr = goroutineSeriesTrends(snaps);
  const stacks = new Map<string, string[]>();
  for (const s of snaps) for (const g of s.groups) if (!stacks.has(g.key)) stacks.set(g.key, g.stack.slice(0, MAX_STACK_FRAMES));
  const cmp = compareGoroutines(snaps[0]!, snaps[snaps.length - 1]!);
  return {
    family,
    inputs: snaps.map((s) => s.name),
    totals: snaps.map((s) => s.total),
    byStack: tr.trends
      .filter((t) => t.growth !== 0 || t.last > 0)
      .slice(0, 50)
      .map((t) => ({ function: t.label, stack: stacks.get(t.key) ?? [], values: t.values, growth: t.growth })),
    byState: cmp.byState ? cmp.byState.map((s) => ({ state: s.state, base: s.base, target: s.target, delta: s.delta })) : null,
  };
}

// ---- findings → sections ------------------------------------------------------------------------

function sectionOf(f: Finding, sections: ReportSection[]): string | null {
  const l = f.link;
  const find = <T extends ReportSection>(pred: (s: ReportSection) => s is T): T | undefined => sections.find(pred);
  const profileOf = (name: string) => find((s): s is ProfileSection => s.kind === 'profile' && s.input === name)?.id ?? null;
  const goroutines = find((s): s is GoroutineSection => s.kind === 'goroutines');
  const goroutinesOf = (name: string) => {
    if (!goroutines) return null;
    return goroutines.snapshots.find((x) => x.input === name)?.id ?? goroutines.id;
  };
  const heapOf = (name: string) => find((s): s is HeapDumpSection => s.kind === 'heapdump' && s.input === name) ?? null;
  switch (l.view) {
    case 'diff': {
      const c =
        find((s): s is ComparisonSection => s.kind === 'comparison' && s.base === l.base && s.target === l.target) ??
        find((s): s is ComparisonSection => s.kind === 'comparison' && s.target === l.target);
      return c?.id ?? profileOf(l.target) ?? profileOf(l.base);
    }
    case 'series': {
      const last = l.files[l.files.length - 1] ?? '';
      const c = find((s): s is ComparisonSection => s.kind === 'comparison' && (s.target === last || s.series.includes(last)));
      return c?.id ?? profileOf(last);
    }
    case 'goroutines':
      return goroutinesOf(l.file) ?? heapOf(l.file)?.id ?? profileOf(l.file);
    case 'heap': {
      const h = heapOf(l.dump);
      if (!h) return goroutinesOf(l.dump);
      const sus = h.suspects.find((s) => s.findingId === (f as ReportFinding).id);
      return sus?.id ?? h.id;
    }
    case 'heapdiff':
      return heapOf(l.target)?.id ?? heapOf(l.base)?.id ?? null;
    case 'gctrace':
      return find((s): s is GcTraceSection => s.kind === 'gctrace' && s.input === l.file)?.id ?? null;
  }
}

// ---- entry --------------------------------------------------------------------------------------

function uniqueNames(inputs: readonly ReportInput[]): ReportInput[] {
  const used = new Set<string>();
  return inputs.map((x) => {
    let name = x.name;
    for (let k = 2; used.has(name); k++) name = `${x.name} (${k})`;
    used.add(name);
    return name === x.name ? x : { ...x, name };
  });
}

function inputInfo(x: ReportInput): ReportInputInfo {
  const base: ReportInputInfo = { name: x.name, kind: x.kind, format: '', warnings: [...(x.warnings ?? [])] };
  if (x.source !== undefined) base.source = x.source;
  if (x.sizeBytes !== undefined) base.sizeBytes = x.sizeBytes;
  if (x.kind === 'profile') {
    const sum = profileSummary(x.imported.profile);
    base.format = x.imported.format;
    base.profileKind = x.imported.profileKind;
    base.sampleTypes = sum.sampleTypes;
    const t = profileTime(x);
    if (t !== null) base.timeNanos = t.toString();
    if (sum.durationNanos) base.durationNanos = sum.durationNanos;
    if (sum.comments.length) base.comments = sum.comments;
    for (const w of x.imported.warnings) if (!base.warnings.includes(w)) base.warnings.push(w);
  } else if (x.kind === 'heapdump') {
    const s = x.analysis.summary();
    base.format = 'heapdump';
    base.goVersion = s.goVersion;
    base.goarch = s.goarch;
    base.complete = s.complete;
    base.exe = x.exe ?? null;
    const t = dumpTime(x);
    if (t !== null) base.timeNanos = t.toString();
    for (const w of s.warnings) if (!base.warnings.includes(w)) base.warnings.push(w);
  } else {
    base.format = 'gctrace';
    base.gcCycles = x.series.cycles.length;
    for (const w of x.series.warnings) if (!base.warnings.includes(w)) base.warnings.push(w);
  }
  return base;
}

function defaultTitle(inputs: readonly ReportInput[]): string {
  if (inputs.length === 0) return 'Heapscope report';
  if (inputs.length === 1) return `Heapscope report: ${inputs[0]!.name}`;
  return `Heapscope report: ${inputs[0]!.name} and ${inputs.length - 1} more`;
}

export function assembleReport(rawInputs: readonly ReportInput[], opts: ReportOptions): ReportModel {
  const task = opts.task ?? NO_TASK;
  const inc = opts.include ?? {};
  const inputs = uniqueNames(rawInputs);
  const limits: ReportLimits = {
    minFraction: opts.minFraction ?? DEFAULT_MIN_FRACTION,
    maxFlameNodes: Math.max(100, opts.maxFlameNodes ?? DEFAULT_MAX_FLAME_NODES),
    maxTopRows: Math.max(10, opts.maxTopRows ?? DEFAULT_MAX_TOP_ROWS),
  };
  const srcLimits = { ...DEFAULT_SOURCE_LIMITS, ...(opts.source ?? {}) };
  const wantSource = srcLimits.functions > 0 && inputs.some((x) => x.kind === 'profile' && x.readSource);
  if (wantSource) limits.source = srcLimits;
  const ctx: Ctx = { s: new Interner(), limits, task, notes: [], source: wantSource ? { limits: srcLimits, usedChars: 0, textOmitted: 0 } : null, readers: new Map() };
  const steps = inputs.length * 2 + 3;
  let step = 0;
  const progress = (label: string) => task.progress(label, step++, steps);

  // Findings first: suspects and links refer to them.
  progress('Report: findings');
  const wantFindings = inc.findings !== false;
  const fr: FindingsReport = wantFindings ? (opts.findings ?? computeFindings(inputs, { task })) : { findings: [], notes: [] };
  const findings: ReportFinding[] = fr.findings.map((f, i) => ({ ...f, id: `finding-${i + 1}`, section: null }));
  task.throwIfCancelled();

  const profiles = inputs.filter((x): x is ProfileInput => x.kind === 'profile');
  const dumps = inputs.filter((x): x is DumpInput => x.kind === 'heapdump');
  const gcs = inputs.filter((x): x is GcInput => x.kind === 'gctrace');
  const sections: ReportSection[] = [];

  // Comparisons.
  if (inc.comparisons !== false) {
    const byName = new Map(profiles.map((p) => [p.name, p]));
    const pairs: Array<{ base: ProfileInput; target: ProfileInput; series: ProfileInput[]; c: ReportComparison }> = [];
    if (opts.comparisons) {
      for (const c of opts.comparisons) {
        const b = byName.get(c.base);
        const t = byName.get(c.target);
        if (!b || !t) ctx.notes.push(`comparison ${c.base} → ${c.target} left out: ${!b ? c.base : c.target} is not a profile of this report`);
        else pairs.push({ base: b, target: t, series: [b, t], c });
      }
    } else {
      const fams = new Map<string, ProfileInput[]>();
      for (const p of profiles) {
        const k = familyKey(p.imported);
        const l = fams.get(k) ?? [];
        l.push(p);
        fams.set(k, l);
      }
      for (const all of fams.values()) {
        // One series per program: profiles of two programs are never one series (findings/programs.ts).
        for (const g of groupByProgram(all.map((p) => profileProgram(p.imported.profile)))) {
          const fam = g.members.map((m) => all[m]!);
          if (fam.length < 2) continue;
          const series = ordered(fam, profileTime);
          pairs.push({ base: series[0]!, target: series[series.length - 1]!, series, c: { base: series[0]!.name, target: series[series.length - 1]!.name } });
        }
      }
    }
    pairs.forEach((pr, i) => {
      progress(`Report: comparing ${pr.base.name} → ${pr.target.name}`);
      try {
        sections.push(comparisonSection(ctx, `compare-${i}`, pr.base, pr.target, pr.series, pr.c));
      } catch (e) {
        const info = toErrorInfo(e);
        if (info.code === 'CANCELLED') throw e;
        ctx.notes.push(`comparison ${pr.base.name} → ${pr.target.name} left out: ${info.message}`);
      }
    });
  }

  // Profiles.
  profiles.forEach((p, i) => {
    if (!included(inc.profiles, p.name)) return;
    progress(`Report: ${p.name}`);
    if (p.imported.profile.sampleTypes.length === 0) {
      ctx.notes.push(`${p.name}: no sample types, no flame graph`);
      return;
    }
    sections.push(profileSection(ctx, `profile-${i}`, p, opts.sampleTypes ?? 'default'));
    task.throwIfCancelled();
  });

  // Heap dumps.
  dumps.forEach((d, i) => {
    if (!included(inc.heapDumps, d.name)) return;
    progress(`Report: ${d.name}`);
    sections.push(heapSection(ctx, `heap-${i}`, d, findings, { roots: opts.heapRoots ?? 50, suspects: opts.heapSuspects ?? 6, paths: opts.heapPaths ?? 3 }));
  });

  // Goroutines.
  if (inc.goroutines !== false) {
    progress('Report: goroutines');
    const maxGroups = opts.goroutineGroups ?? 100;
    const gp = ordered(
      profiles.filter((p) => p.imported.profileKind === 'goroutine'),
      profileTime,
    ).map((p) => goroutineSnapshot(p.name, p.imported));
    const gd = ordered(dumps, dumpTime).map((d) => goroutineSnapshotFromHeap(d.name, d.analysis));
    const all = [...gp, ...gd];
    if (all.length) {
      const growth: GoroutineGrowth[] = [];
      if (gp.length >= 2) growth.push(growthOf('goroutine profiles', gp));
      if (gd.length >= 2) growth.push(growthOf('heap dumps', gd));
      sections.push({
        kind: 'goroutines',
        id: 'goroutines',
        title: 'by stack and wait reason',
        snapshots: all.map((s, i) => snapshotView(`goroutines-${i}`, s.name, s, maxGroups)),
        growth,
      });
    }
  }

  // gctrace.
  if (inc.gctrace !== false) {
    gcs.forEach((g, i) => {
      sections.push({
        kind: 'gctrace',
        id: `gctrace-${i}`,
        title: `${g.name} · GODEBUG=gctrace=1`,
        input: g.name,
        atSec: g.series.cycles.map((c) => c.atSec),
        liveMB: g.series.cycles.map((c) => c.liveMB),
        goalMB: g.series.cycles.map((c) => c.goalMB),
        skipped: g.series.skipped,
      });
    });
  }

  // Order: comparisons (what grows), heap dumps (what keeps it alive), goroutines, profiles, gctrace.
  const rank: Record<ReportSection['kind'], number> = { comparison: 0, heapdump: 1, goroutines: 2, profile: 3, gctrace: 4 };
  sections.sort((a, b) => rank[a.kind] - rank[b.kind]);
  for (const f of findings) f.section = sectionOf(f, sections);
  if (ctx.source && ctx.source.textOmitted > 0) {
    const n = ctx.source.textOmitted;
    ctx.notes.push(`annotated source: the text of ${n} function${n === 1 ? '' : 's'} left out (numbers kept): the report holds at most ${srcLimits.maxChars.toLocaleString('en-US')} characters of source`);
  }
  progress('Report: done');

  return {
    format: REPORT_FORMAT,
    version: REPORT_MODEL_VERSION,
    title: opts.title?.trim() || defaultTitle(inputs),
    createdAt: opts.createdAt ?? new Date().toISOString(),
    heapscopeVersion: opts.heapscopeVersion,
    inputs: inputs.map(inputInfo),
    strings: ctx.s.strings,
    findingsIncluded: wantFindings,
    findings,
    findingNotes: fr.notes,
    sections,
    limits,
    notes: ctx.notes,
  };
}
