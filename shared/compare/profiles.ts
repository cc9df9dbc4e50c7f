/**
 * Two profiles of the same kind compared:
 *   diffTop     per-function delta table with pprof's numbers (`go tool pprof -top -diff_base|-base`)
 *   diffFlame   differential flame graph: every frame with target value, base value, delta, status
 *   sideBySide  the two call trees aligned frame by frame (same ids on both sides, pre-order rows with
 *               x offsets), so two flame graphs can be drawn next to each other and zoomed together
 *
 * The three share one aligned tree: both sides' call trees (computeFlame with no pruning) walked
 * breadth-first together, children matched by name (at the root of a pivot tree: callers then
 * callees, by position). With -normalize the target side is the normalized target: merged('base',
 * normalize) + base per frame, so its numbers are exactly those pprof would show.
 */
import type { FlameNode } from '../api/types';
import { computeFlame, computeTop, type Profile } from '../profile';
import { compareGoStrings } from '../profile/analysis/top';
import { alignGenericNames } from '../profile/names';
import { NO_TASK, type TaskContext } from '../task';
import { mergeForCompare, type CompareMode } from './merge';
import type { AlignedRow, DiffFlameNode, DiffFlameQuery, DiffFlameResult, DiffQuery, DiffTopResult, DiffTopRow, Presence, SideBySideResult } from './types';

function topQuery(q: DiffQuery, sampleIndex?: number | string): Parameters<typeof computeTop>[1] {
  const out: Parameters<typeof computeTop>[1] = { granularity: q.granularity ?? 'functions' };
  if (q.filters) out.filters = q.filters;
  const si = sampleIndex ?? q.sampleIndex;
  if (si !== undefined) out.sampleIndex = si;
  return out;
}

function presence(inBase: boolean, inTarget: boolean): Presence {
  if (inBase && !inTarget) return 'gone';
  if (inTarget && !inBase) return 'new';
  return 'both';
}

/**
 * The per-function delta table: rows and total are pprof's for the merged profile
 * (`go tool pprof -top -diff_base=BASE TARGET`), each row also carrying both sides' values.
 */
export function diffTop(base: Profile, target: Profile, q: DiffQuery = {}, task: TaskContext = NO_TASK): DiffTopResult {
  [base, target] = alignGenericNames(base, target);
  const mode: CompareMode = q.mode ?? 'diff_base';
  const merged = mergeForCompare(target, base, mode, { normalize: q.normalize === true });
  task.throwIfCancelled();
  const m = computeTop(merged, topQuery(q), task);
  const b = computeTop(base, topQuery(q, m.sampleIndex), task);
  const t = computeTop(target, topQuery(q, m.sampleIndex), task);
  const bRows = new Map(b.rows.map((r) => [r.name, r]));
  const tNames = new Set(t.rows.map((r) => r.name));
  const rows: DiffTopRow[] = m.rows.map((r) => {
    const br = bRows.get(r.name);
    const baseFlat = br?.flat ?? 0;
    const baseCum = br?.cum ?? 0;
    return {
      name: r.name,
      flat: r.flat,
      cum: r.cum,
      baseFlat,
      baseCum,
      targetFlat: baseFlat + r.flat,
      targetCum: baseCum + r.cum,
      status: presence(br !== undefined, tNames.has(r.name)),
    };
  });
  return {
    mode,
    normalize: q.normalize === true,
    sampleType: m.sampleType,
    sampleIndex: m.sampleIndex,
    total: m.total,
    baseTotal: b.total,
    targetTotal: t.total,
    rows,
  };
}

// ---- the aligned tree -----------------------------------------------------------------------------

interface Aligned {
  n: number;
  name: string[];
  parent: number[];
  /** Children of node i: childStart[i] .. childStart[i] + childCount[i] (contiguous, name order). */
  childStart: number[];
  childCount: number[];
  tVal: number[];
  bVal: number[];
  tSelf: number[];
  bSelf: number[];
  inT: boolean[];
  inB: boolean[];
}

/** Walks the trees breadth-first together. `m` (normalize): merged(base mode) tree, target = m + b. */
function alignTrees(t: FlameNode, b: FlameNode, m: FlameNode | null, positionalRoot: boolean, task: TaskContext): Aligned {
  const a: Aligned = { n: 0, name: [], parent: [], childStart: [], childCount: [], tVal: [], bVal: [], tSelf: [], bSelf: [], inT: [], inB: [] };
  const qt: Array<FlameNode | null> = [];
  const qb: Array<FlameNode | null> = [];
  const qm: Array<FlameNode | null> = [];
  const push = (name: string, parent: number, tn: FlameNode | null, bn: FlameNode | null, mn: FlameNode | null): void => {
    a.name.push(name);
    a.parent.push(parent);
    a.childStart.push(0);
    a.childCount.push(0);
    const bv = bn ? bn.value : 0;
    const bs = bn ? bn.self : 0;
    a.bVal.push(bv);
    a.bSelf.push(bs);
    if (m !== null) {
      a.tVal.push((mn ? mn.value : 0) + bv);
      a.tSelf.push((mn ? mn.self : 0) + bs);
    } else {
      a.tVal.push(tn ? tn.value : 0);
      a.tSelf.push(tn ? tn.self : 0);
    }
    a.inT.push(tn !== null);
    a.inB.push(bn !== null);
    qt.push(tn);
    qb.push(bn);
    qm.push(mn);
    a.n++;
  };
  push('root', -1, t, b, m);
  for (let i = 0; i < a.n; i++) {
    if ((i & 8191) === 0 && i > 0) task.throwIfCancelled();
    const tn = qt[i]!;
    const bn = qb[i]!;
    const mn = qm[i]!;
    qt[i] = null;
    qb[i] = null;
    qm[i] = null;
    a.childStart[i] = a.n;
    const tc = tn ? tn.children : [];
    const bc = bn ? bn.children : [];
    const mc = mn ? mn.children : [];
    if (i === 0 && positionalRoot) {
      // Pivot trees: [callers, callees], both named after the pivot.
      const k = Math.max(tc.length, bc.length, mc.length);
      for (let j = 0; j < k; j++) {
        const name = (tc[j] ?? bc[j] ?? mc[j])!.name;
        push(name, i, tc[j] ?? null, bc[j] ?? null, mc[j] ?? null);
      }
    } else {
      const names = new Set<string>();
      const byT = new Map<string, FlameNode>();
      const byB = new Map<string, FlameNode>();
      const byM = new Map<string, FlameNode>();
      for (const c of tc) {
        byT.set(c.name, c);
        names.add(c.name);
      }
      for (const c of bc) {
        byB.set(c.name, c);
        names.add(c.name);
      }
      for (const c of mc) {
        byM.set(c.name, c);
        names.add(c.name);
      }
      const sorted = [...names].sort(compareGoStrings);
      for (const name of sorted) push(name, i, byT.get(name) ?? null, byB.get(name) ?? null, byM.get(name) ?? null);
    }
    a.childCount[i] = a.n - a.childStart[i]!;
  }
  return a;
}

interface DisplayNode {
  name: string;
  t: number;
  b: number;
  ts: number;
  bs: number;
  status: Presence;
  hidden?: number;
  children: DisplayNode[];
}

function hiddenName(count: number, value: number, total: number): string {
  const pct = total !== 0 ? Math.abs(value / total) * 100 : 0;
  const p = pct >= 10 ? pct.toFixed(0) : pct >= 0.1 ? pct.toFixed(1) : pct === 0 ? '0' : pct.toPrecision(1);
  return `${count} ${count === 1 ? 'frame' : 'frames'} hidden (${p}%)`;
}

/** Prunes the aligned tree for display: siblings narrower than the threshold on both sides merge into one node. */
function displayTree(a: Aligned, threshold: number, total: number): { root: DisplayNode; hidden: number } {
  // Frames per subtree (children after parents: one reverse pass).
  const size = new Float64Array(a.n).fill(1);
  for (let i = a.n - 1; i >= 1; i--) size[a.parent[i]!] += size[i]!;
  const mk = (i: number): DisplayNode => ({
    name: a.name[i]!,
    t: a.tVal[i]!,
    b: a.bVal[i]!,
    ts: a.tSelf[i]!,
    bs: a.bSelf[i]!,
    status: presence(a.inB[i]!, a.inT[i]!),
    children: [],
  });
  const root = mk(0);
  let hiddenTotal = 0;
  const qi: number[] = [0];
  const qo: DisplayNode[] = [root];
  for (let k = 0; k < qi.length; k++) {
    const i = qi[k]!;
    const o = qo[k]!;
    let hidCount = 0;
    let hidT = 0;
    let hidB = 0;
    let hidNew = 0;
    let hidGone = 0;
    let hidNodes = 0;
    const s = a.childStart[i]!;
    for (let c = s; c < s + a.childCount[i]!; c++) {
      if (Math.max(Math.abs(a.tVal[c]!), Math.abs(a.bVal[c]!)) < threshold) {
        hidCount += size[c]!;
        hidT += a.tVal[c]!;
        hidB += a.bVal[c]!;
        hidNodes++;
        if (!a.inB[c]) hidNew++;
        if (!a.inT[c]) hidGone++;
        continue;
      }
      const co = mk(c);
      o.children.push(co);
      qi.push(c);
      qo.push(co);
    }
    if (hidCount > 0) {
      hiddenTotal += hidCount;
      o.children.push({
        name: hiddenName(hidCount, hidT - hidB, total),
        t: hidT,
        b: hidB,
        ts: hidT,
        bs: hidB,
        status: hidNew === hidNodes ? 'new' : hidGone === hidNodes ? 'gone' : 'both',
        hidden: hidCount,
        children: [],
      });
    }
  }
  return { root, hidden: hiddenTotal };
}

interface AlignedFlame {
  mode: CompareMode;
  normalize: boolean;
  sampleType: { type: string; unit: string };
  sampleIndex: number;
  total: number;
  baseTotal: number;
  targetTotal: number;
  tree: DisplayNode;
  nodeCount: number;
  hidden: number;
}

function alignedFlame(base: Profile, target: Profile, q: DiffFlameQuery, task: TaskContext): AlignedFlame {
  const mode: CompareMode = q.mode ?? 'diff_base';
  const normalize = q.normalize === true;
  const merged = mergeForCompare(target, base, mode, { normalize });
  const top = computeTop(merged, topQuery(q), task);
  const si = top.sampleIndex;
  const fq: Parameters<typeof computeFlame>[1] = { sampleIndex: si, granularity: q.granularity ?? 'functions', minFraction: 0 };
  if (q.filters) fq.filters = q.filters;
  if (q.inverted) fq.inverted = true;
  if (q.pivot !== undefined && q.pivot !== '') fq.pivot = q.pivot;
  const ft = computeFlame(target, fq, task);
  const fb = computeFlame(base, fq, task);
  let fm: FlameNode | null = null;
  if (normalize) {
    const mb = mode === 'base' ? merged : mergeForCompare(target, base, 'base', { normalize: true });
    fm = computeFlame(mb, fq, task).root;
  }
  task.throwIfCancelled();
  const a = alignTrees(ft.root, fb.root, fm, fq.pivot !== undefined, task);
  const minFraction = q.minFraction ?? 0.0005;
  const threshold = minFraction > 0 ? minFraction * Math.max(ft.total, fb.total) : 0;
  const d = displayTree(a, threshold, top.total);
  return {
    mode,
    normalize,
    sampleType: top.sampleType,
    sampleIndex: si,
    total: top.total,
    baseTotal: fb.total,
    targetTotal: ft.total,
    tree: d.root,
    nodeCount: a.n - 1,
    hidden: d.hidden,
  };
}

/** The differential flame graph: one tree, every frame with value (target), base, delta and status. */
export function diffFlame(base: Profile, target: Profile, q: DiffFlameQuery = {}, task: TaskContext = NO_TASK): DiffFlameResult {
  [base, target] = alignGenericNames(base, target);
  const f = alignedFlame(base, target, q, task);
  const conv = (d: DisplayNode): DiffFlameNode => {
    const n: DiffFlameNode = { name: d.name, value: d.t, base: d.b, delta: d.t - d.b, self: d.ts, baseSelf: d.bs, status: d.status, children: [] };
    if (d.hidden !== undefined) n.hiddenFrames = d.hidden;
    return n;
  };
  const root = conv(f.tree);
  const qd: DisplayNode[] = [f.tree];
  const qo: DiffFlameNode[] = [root];
  for (let k = 0; k < qd.length; k++) {
    const d = qd[k]!;
    const o = qo[k]!;
    for (const c of d.children) {
      const co = conv(c);
      o.children.push(co);
      qd.push(c);
      qo.push(co);
    }
  }
  return {
    mode: f.mode,
    normalize: f.normalize,
    sampleType: f.sampleType,
    sampleIndex: f.sampleIndex,
    total: f.total,
    baseTotal: f.baseTotal,
    targetTotal: f.targetTotal,
    root,
    nodeCount: f.nodeCount,
    hiddenFrames: f.hidden,
  };
}

/** Both call trees aligned frame by frame, as pre-order rows with each side's x offset. */
export function sideBySide(base: Profile, target: Profile, q: DiffFlameQuery = {}, task: TaskContext = NO_TASK): SideBySideResult {
  [base, target] = alignGenericNames(base, target);
  const f = alignedFlame(base, target, q, task);
  const rows: AlignedRow[] = [];
  // Explicit stack: (node, parent id, depth, x on each side).
  const stack: Array<{ d: DisplayNode; parent: number; depth: number; bx: number; tx: number }> = [{ d: f.tree, parent: -1, depth: 0, bx: 0, tx: 0 }];
  while (stack.length > 0) {
    const e = stack.pop()!;
    const id = rows.length;
    const row: AlignedRow = {
      id,
      parent: e.parent,
      depth: e.depth,
      name: e.d.name,
      status: e.d.status,
      base: e.d.b,
      target: e.d.t,
      baseSelf: e.d.bs,
      targetSelf: e.d.ts,
      baseX: e.bx,
      targetX: e.tx,
    };
    if (e.d.hidden !== undefined) row.hiddenFrames = e.d.hidden;
    rows.push(row);
    // Children laid out left to right; pushed in reverse so the first is visited first.
    const kids = e.d.children;
    const bxs: number[] = [];
    const txs: number[] = [];
    let bx = e.bx;
    let tx = e.tx;
    for (const c of kids) {
      bxs.push(bx);
      txs.push(tx);
      bx += Math.abs(c.b);
      tx += Math.abs(c.t);
    }
    for (let j = kids.length - 1; j >= 0; j--) stack.push({ d: kids[j]!, parent: id, depth: e.depth + 1, bx: bxs[j]!, tx: txs[j]! });
  }
  return {
    mode: f.mode,
    normalize: f.normalize,
    sampleType: f.sampleType,
    sampleIndex: f.sampleIndex,
    baseTotal: f.baseTotal,
    targetTotal: f.targetTotal,
    rows,
    nodeCount: f.nodeCount,
    hiddenFrames: f.hidden,
  };
}
