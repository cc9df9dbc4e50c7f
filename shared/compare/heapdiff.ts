/**
 * Two heap dumps of the same process compared object by object. Go's garbage collector never moves
 * heap objects, so an object is identified by its address: the same address and size in both dumps
 * (and the same allocation site, when both are sampled) is the same object, still alive. Only
 * reachable objects count on either side (garbage left in a dump is not "alive").
 *
 * Limit: an object freed and another allocated at the same address with the same size class (and
 * site, or no sample) between the dumps looks like one object still alive.
 */
import { NONE, packageOf, type HeapAnalysis } from '../heap';
import type { RootInfo } from '../heap/types';
import { NO_TASK, type TaskContext } from '../task';
import type {
  CountBytes,
  HeapDiffDominatorRow,
  HeapDiffRootRow,
  HeapDiffSiteRow,
  HeapDiffSummary,
  MemlabResult,
  MemlabRootRow,
  MemlabSiteRow,
  Presence,
} from './types';

export const NO_SAMPLE = '(no allocation sample)';

function isLive(a: HeapAnalysis, i: number): boolean {
  return a.idom[a.graph.firstObject + i] !== NONE;
}

/** Site label per object index ('' when not sampled), computed once per analysis. */
const siteCache = new WeakMap<HeapAnalysis, { label: string[]; func: string[] }>();
function siteLabels(a: HeapAnalysis): { label: string[]; func: string[] } {
  let c = siteCache.get(a);
  if (!c) {
    c = { label: a.sites.map((s) => s.label), func: a.sites.map((s) => s.func) };
    siteCache.set(a, c);
  }
  return c;
}

/** Allocation site id of object index i (-1: not sampled). */
function siteOf(a: HeapAnalysis, i: number): number {
  const b = a.objBucket[i]!;
  return b < 0 ? -1 : a.bucketSite[b]!;
}

export interface ObjectMatch {
  /** Per target object index: the base object index it continues, or -1 (new). Unreachable: -2. */
  targetToBase: Int32Array;
  /** Per base object index: the target object index, or -1 (freed). Unreachable: -2. */
  baseToTarget: Int32Array;
}

/** Matches the reachable objects of two dumps by address, size and (when both sampled) allocation site. */
export function matchObjects(base: HeapAnalysis, target: HeapAnalysis, task: TaskContext = NO_TASK): ObjectMatch {
  const gb = base.graph;
  const gt = target.graph;
  const nb = gb.objectCount;
  const nt = gt.objectCount;
  const b2t = new Int32Array(nb).fill(-1);
  const t2b = new Int32Array(nt).fill(-1);
  const lb = siteLabels(base).label;
  const lt = siteLabels(target).label;
  let i = 0;
  let j = 0;
  let steps = 0;
  while (i < nb || j < nt) {
    if ((++steps & 0xfffff) === 0) task.throwIfCancelled();
    if (i < nb && !isLive(base, i)) {
      b2t[i++] = -2;
      continue;
    }
    if (j < nt && !isLive(target, j)) {
      t2b[j++] = -2;
      continue;
    }
    if (i >= nb) {
      j++;
      continue;
    }
    if (j >= nt) {
      i++;
      continue;
    }
    const ab = gb.address[i]!;
    const at = gt.address[j]!;
    if (ab < at) {
      i++;
      continue;
    }
    if (at < ab) {
      j++;
      continue;
    }
    if (gb.size[i] === gt.size[j]) {
      const sb = siteOf(base, i);
      const st = siteOf(target, j);
      if (sb < 0 || st < 0 || lb[sb] === lt[st]) {
        b2t[i] = j;
        t2b[j] = i;
      }
    }
    i++;
    j++;
  }
  return { targetToBase: t2b, baseToTarget: b2t };
}

function rootKey(r: RootInfo): string {
  if (r.kind === 'goroutine' && r.goroutine) return `goroutine ${r.goroutine.goid}`;
  if ((r.kind === 'finalizer' || r.kind === 'pending-finalizer') && r.object) return `${r.kind} ${r.object}`;
  return `${r.kind} ${r.name}`;
}

function presence(inBase: boolean, inTarget: boolean): Presence {
  if (inBase && !inTarget) return 'gone';
  if (inTarget && !inBase) return 'new';
  return 'both';
}

const zero = (): CountBytes => ({ objects: 0, bytes: 0 });

export interface HeapDiffOptions {
  /** Rows kept in byRoot and byDominator (biggest |delta| first). Default 500. */
  limit?: number;
}

/** The comparison of two analysed heap dumps of one process. Holds both analyses; queries return plain data. */
export class HeapDumpDiff {
  readonly match: ObjectMatch;
  constructor(
    readonly baseName: string,
    readonly base: HeapAnalysis,
    readonly targetName: string,
    readonly target: HeapAnalysis,
    task: TaskContext = NO_TASK,
  ) {
    this.match = matchObjects(base, target, task);
  }

  /** Graph node ids (in the target) of reachable objects absent from the base. */
  addedNodes(): number[] {
    const F = this.target.graph.firstObject;
    const out: number[] = [];
    const m = this.match.targetToBase;
    for (let j = 0; j < m.length; j++) if (m[j] === -1) out.push(F + j);
    return out;
  }

  /** Graph node ids (in the base) of reachable objects gone from the target. */
  freedNodes(): number[] {
    const F = this.base.graph.firstObject;
    const out: number[] = [];
    const m = this.match.baseToTarget;
    for (let i = 0; i < m.length; i++) if (m[i] === -1) out.push(F + i);
    return out;
  }

  /** Objects new, freed and alive per Go type (both dumps typed from their binaries' DWARF); `site` is the type, `function` its package. */
  private byType(t2b: Int32Array, b2t: Int32Array): HeapDiffSiteRow[] {
    const rows = new Map<string, HeapDiffSiteRow>();
    const row = (name: string): HeapDiffSiteRow => {
      let r = rows.get(name);
      if (!r) rows.set(name, (r = { site: name, function: packageOf(name), added: zero(), freed: zero(), alive: zero(), deltaBytes: 0, status: 'both' }));
      return r;
    };
    const inBase = new Set<string>();
    const inTarget = new Set<string>();
    const t = this.target;
    const b = this.base;
    for (let j = 0; j < t2b.length; j++) {
      if (t2b[j] === -2) continue;
      const name = t.typeName(t.graph.firstObject + j)!;
      const r = row(name);
      inTarget.add(name);
      const c = t2b[j] === -1 ? r.added : r.alive;
      c.objects++;
      c.bytes += t.graph.size[j]!;
    }
    for (let i = 0; i < b2t.length; i++) {
      if (b2t[i] === -2) continue;
      const name = b.typeName(b.graph.firstObject + i)!;
      const r = row(name);
      inBase.add(name);
      if (b2t[i] !== -1) continue;
      r.freed.objects++;
      r.freed.bytes += b.graph.size[i]!;
    }
    const out = [...rows.values()];
    for (const r of out) {
      r.deltaBytes = r.added.bytes - r.freed.bytes;
      r.status = presence(inBase.has(r.site), inTarget.has(r.site));
    }
    return out.sort((x, y) => y.deltaBytes - x.deltaBytes || y.added.objects - x.added.objects || (x.site < y.site ? -1 : x.site > y.site ? 1 : 0));
  }

  summary(opts: HeapDiffOptions = {}): HeapDiffSummary {
    const limit = opts.limit ?? 500;
    const b = this.base;
    const t = this.target;
    const added = zero();
    const freed = zero();
    const alive = zero();
    const sites = new Map<string, HeapDiffSiteRow>();
    const siteRow = (label: string, func: string): HeapDiffSiteRow => {
      let r = sites.get(label);
      if (!r) sites.set(label, (r = { site: label, function: func, added: zero(), freed: zero(), alive: zero(), deltaBytes: 0, status: 'both' }));
      return r;
    };
    const sb = siteLabels(b);
    const st = siteLabels(t);
    const t2b = this.match.targetToBase;
    const b2t = this.match.baseToTarget;
    let tObjects = 0;
    let tBytes = 0;
    let bObjects = 0;
    let bBytes = 0;
    const inBase = new Set<string>();
    const inTarget = new Set<string>();
    for (let j = 0; j < t2b.length; j++) {
      if (t2b[j] === -2) continue;
      const size = t.graph.size[j]!;
      tObjects++;
      tBytes += size;
      const s = siteOf(t, j);
      const row = s < 0 ? siteRow(NO_SAMPLE, '') : siteRow(st.label[s]!, st.func[s]!);
      inTarget.add(row.site);
      const c = t2b[j] === -1 ? added : alive;
      const rc = t2b[j] === -1 ? row.added : row.alive;
      c.objects++;
      c.bytes += size;
      rc.objects++;
      rc.bytes += size;
    }
    for (let i = 0; i < b2t.length; i++) {
      if (b2t[i] === -2) continue;
      const size = b.graph.size[i]!;
      bObjects++;
      bBytes += size;
      const s = siteOf(b, i);
      const row = s < 0 ? siteRow(NO_SAMPLE, '') : siteRow(sb.label[s]!, sb.func[s]!);
      inBase.add(row.site);
      if (b2t[i] !== -1) continue;
      freed.objects++;
      freed.bytes += size;
      row.freed.objects++;
      row.freed.bytes += size;
    }
    const bySite = [...sites.values()];
    for (const r of bySite) {
      r.deltaBytes = r.added.bytes - r.freed.bytes;
      r.status = presence(inBase.has(r.site), inTarget.has(r.site));
    }
    bySite.sort((x, y) => y.deltaBytes - x.deltaBytes || y.added.objects - x.added.objects || (x.site < y.site ? -1 : x.site > y.site ? 1 : 0));

    // Roots, matched by key.
    const roots = new Map<string, HeapDiffRootRow>();
    for (const r of b.graph.roots) {
      const k = rootKey(r);
      roots.set(k, { key: k, name: r.name, kind: r.kind, baseRetained: b.retainedBytes[r.node]!, targetRetained: 0, delta: 0, status: 'gone' });
    }
    for (const r of t.graph.roots) {
      const k = rootKey(r);
      const x = roots.get(k);
      const v = t.retainedBytes[r.node]!;
      if (x) {
        x.targetRetained = v;
        x.name = r.name;
        x.status = 'both';
      } else roots.set(k, { key: k, name: r.name, kind: r.kind, baseRetained: 0, targetRetained: v, delta: 0, status: 'new' });
    }
    const byRoot = [...roots.values()];
    for (const r of byRoot) r.delta = r.targetRetained - r.baseRetained;
    byRoot.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || y.targetRetained - x.targetRetained || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));

    // Top-level dominators of either dump.
    const doms: HeapDiffDominatorRow[] = [];
    const tF = t.graph.firstObject;
    const bF = b.graph.firstObject;
    const seenBase = new Uint8Array(b2t.length);
    for (let j = 0; j < t2b.length; j++) {
      const d = t.idom[tF + j]!;
      if (d === NONE || d >= tF) continue;
      const i = t2b[j]!;
      if (i >= 0) seenBase[i] = 1;
      const baseRetained = i >= 0 ? b.retainedBytes[bF + i]! : 0;
      const targetRetained = t.retainedBytes[tF + j]!;
      doms.push({
        address: hexAddr(t.graph.address[j]!),
        size: t.graph.size[j]!,
        allocSite: t.allocSiteLabel(tF + j),
        baseRetained,
        targetRetained,
        delta: targetRetained - baseRetained,
        status: i >= 0 ? 'both' : 'new',
      });
    }
    for (let i = 0; i < b2t.length; i++) {
      const d = b.idom[bF + i]!;
      if (d === NONE || d >= bF || seenBase[i]) continue;
      const j = b2t[i]!;
      const targetRetained = j >= 0 ? t.retainedBytes[tF + j]! : 0;
      const baseRetained = b.retainedBytes[bF + i]!;
      doms.push({
        address: hexAddr(b.graph.address[i]!),
        size: b.graph.size[i]!,
        allocSite: b.allocSiteLabel(bF + i),
        baseRetained,
        targetRetained,
        delta: targetRetained - baseRetained,
        status: j >= 0 ? 'both' : 'gone',
      });
    }
    doms.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || y.targetRetained - x.targetRetained || (x.address < y.address ? -1 : 1));

    const byType = b.types && t.types ? this.byType(t2b, b2t) : undefined;

    return {
      ...(byType ? { byType: byType.slice(0, limit) } : {}),
      base: { name: this.baseName, objects: bObjects, bytes: bBytes },
      target: { name: this.targetName, objects: tObjects, bytes: tBytes },
      added,
      freed,
      alive,
      bySite,
      byRoot: byRoot.slice(0, limit),
      byDominator: doms.slice(0, limit),
    };
  }
}

function hexAddr(a: number): string {
  return `0x${a.toString(16)}`;
}

export function diffHeapDumps(baseName: string, base: HeapAnalysis, targetName: string, target: HeapAnalysis, task: TaskContext = NO_TASK): HeapDumpDiff {
  return new HeapDumpDiff(baseName, base, targetName, target, task);
}

/**
 * Per node of an analysis: the root whose dominator subtree holds it (node id), 0 when it is held by
 * several roots together (a child of the super-root), NONE when unreachable. One pass down the tree,
 * cached per analysis (treat the result as read-only).
 */
const heldCache = new WeakMap<HeapAnalysis, Uint32Array>();

export function dominatingRoots(a: HeapAnalysis): Uint32Array {
  const cached = heldCache.get(a);
  if (cached) return cached;
  const n = a.graph.nodeCount;
  const out = new Uint32Array(n).fill(NONE);
  const ds = a.domStart;
  const dc = a.domChildren;
  const R = a.graph.rootCount;
  out[0] = 0;
  const queue = new Uint32Array(n);
  let head = 0;
  let tail = 0;
  queue[tail++] = 0;
  while (head < tail) {
    const v = queue[head++]!;
    for (let c = ds[v]!; c < ds[v + 1]!; c++) {
      const w = dc[c]!;
      out[w] = v === 0 ? (w >= 1 && w <= R ? w : 0) : out[v]!;
      queue[tail++] = w;
    }
  }
  heldCache.set(a, out);
  return out;
}

/**
 * memlab's leak rule over three dumps of one process: objects allocated between `baseline` and
 * `target` (new in target) that are still alive in `final`.
 */
export function memlabLeaks(
  baseline: { name: string; analysis: HeapAnalysis },
  target: { name: string; analysis: HeapAnalysis },
  final: { name: string; analysis: HeapAnalysis },
  task: TaskContext = NO_TASK,
): MemlabResult {
  const m1 = matchObjects(baseline.analysis, target.analysis, task);
  const m2 = matchObjects(target.analysis, final.analysis, task);
  const f = final.analysis;
  const F = f.graph.firstObject;
  const held = dominatingRoots(f);
  const sites = siteLabels(f);
  const bySite = new Map<string, MemlabSiteRow>();
  const byRoot = new Map<number, MemlabRootRow>();
  const nodes: number[] = [];
  const leaked = zero();
  const ft = m2.targetToBase; // final object → target object
  for (let k = 0; k < ft.length; k++) {
    const j = ft[k]!;
    if (j < 0 || m1.targetToBase[j] !== -1) continue;
    const size = f.graph.size[k]!;
    leaked.objects++;
    leaked.bytes += size;
    nodes.push(F + k);
    const s = siteOf(f, k);
    const label = s < 0 ? NO_SAMPLE : sites.label[s]!;
    let sr = bySite.get(label);
    if (!sr) bySite.set(label, (sr = { site: label, function: s < 0 ? '' : sites.func[s]!, objects: 0, bytes: 0 }));
    sr.objects++;
    sr.bytes += size;
    const r = held[F + k]!;
    let rr = byRoot.get(r);
    if (!rr) {
      const info = r >= 1 && r <= f.graph.rootCount ? f.graph.roots[r - 1]! : null;
      byRoot.set(r, (rr = { root: info ? info.name : '(several roots)', kind: info ? info.kind : 'several', objects: 0, bytes: 0 }));
    }
    rr.objects++;
    rr.bytes += size;
  }
  const sortRows = <T extends { bytes: number; objects: number }>(xs: T[], name: (x: T) => string): T[] =>
    xs.sort((a, b) => b.bytes - a.bytes || b.objects - a.objects || (name(a) < name(b) ? -1 : 1));
  return {
    baseline: baseline.name,
    target: target.name,
    final: final.name,
    leaked,
    bySite: sortRows([...bySite.values()], (x) => x.site),
    byRoot: sortRows([...byRoot.values()], (x) => x.root),
    nodes,
  };
}
