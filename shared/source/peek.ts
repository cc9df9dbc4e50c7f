/**
 * pprof's `-peek REGEX`: for every function whose printable name matches, its callers and callees
 * with the weight of each call edge, as pprof's report.printTree prints them (no trimming: peek
 * keeps every node and edge). The graph follows graph.newGraph: per sample, cum once per node, each
 * (caller, callee) edge once, the edge inline only when every call through it was inlined; nodes in
 * the top table's order (flat, name, cum, NodeInfo); edges by |weight|, then caller name, then
 * callee name.
 */
import { HeapscopeError } from '../errors';
import type { Granularity } from '../api/types';
import type { TaskContext } from '../task';
import { NO_TASK } from '../task';
import type { Profile } from '../profile/model';
import { defaultSampleIndex, sampleTypeNames } from '../profile/model';
import { compileGoRegex } from '../profile/analysis/regex';
import { accumulate, topRows } from '../profile/analysis/top';
import { percentage, scaledLabel } from '../profile/analysis/units';
import { buildView, resolveSampleIndex } from '../profile/analysis/view';
import type { ListQuery } from './list';
import type { PeekEdge, PeekFunction, PeekResult } from './types';

export interface PeekQuery extends ListQuery {
  granularity?: Granularity | undefined;
}

interface EdgeAcc {
  weight: number;
  inline: boolean;
}

export function computePeek(p: Profile, symbol: string, q: PeekQuery = {}, task: TaskContext = NO_TASK): PeekResult {
  const si = resolveSampleIndex(p, q.sampleIndex, defaultSampleIndex(p));
  const v = buildView(p, { sampleIndex: si, granularity: q.granularity ?? 'functions', filters: q.filters });
  const t = accumulate(v, task);
  const re = compileGoRegex(symbol, 'peek');
  const n = v.nodes.count;
  // Edges keyed by caller * n + callee (exact below 2^53 for any realistic node count).
  const edges = new Map<number, EdgeAcc>();
  const seen = new Set<number>();
  const sampleLocs = p.sampleLocs;
  const sampleLocStart = p.sampleLocStart;
  for (let s = 0; s < p.sampleCount; s++) {
    const w = v.weight[s]!;
    if (w === 0) continue;
    if ((s & 8191) === 0 && s > 0) task.throwIfCancelled();
    seen.clear();
    let parent = -1;
    for (let i = sampleLocStart[s + 1]! - 1; i >= v.sampleFrom[s]!; i--) {
      const l = sampleLocs[i]!;
      const ks = v.locNodeStart[l]!;
      const ke = v.locNodeStart[l + 1]!;
      for (let k = ke - 1; k >= ks; k--) {
        const nd = v.locNodes[k]!;
        if (parent >= 0 && nd !== parent) {
          const key = parent * n + nd;
          if (!seen.has(key)) {
            seen.add(key);
            const inline = k !== ke - 1;
            const e = edges.get(key);
            if (e) {
              e.weight += w;
              if (!inline) e.inline = false;
            } else edges.set(key, { weight: w, inline });
          }
        }
        parent = nd;
      }
    }
  }
  const names = v.nodes.names;
  const ins = new Map<number, Array<{ other: number; e: EdgeAcc }>>();
  const outs = new Map<number, Array<{ other: number; e: EdgeAcc }>>();
  for (const [key, e] of edges) {
    const from = Math.floor(key / n);
    const to = key - from * n;
    let a = outs.get(from);
    if (!a) outs.set(from, (a = []));
    a.push({ other: to, e });
    let b = ins.get(to);
    if (!b) ins.set(to, (b = []));
    b.push({ other: from, e });
  }
  const rows = topRows(v, t, 'flat');
  let flatShown = 0;
  for (const r of rows) flatShown += r.flat;
  const sortEdges = (list: Array<{ other: number; e: EdgeAcc }> | undefined, self: number, incoming: boolean): PeekEdge[] => {
    const l = [...(list ?? [])];
    l.sort((x, y) => {
      if (x.e.weight !== y.e.weight) {
        const ax = Math.abs(x.e.weight);
        const ay = Math.abs(y.e.weight);
        if (ax !== ay) return ax > ay ? -1 : 1;
      }
      const from1 = names[incoming ? x.other : self]!;
      const from2 = names[incoming ? y.other : self]!;
      if (from1 !== from2) return from1 < from2 ? -1 : 1;
      const to1 = names[incoming ? self : x.other]!;
      const to2 = names[incoming ? self : y.other]!;
      return to1 < to2 ? -1 : to1 > to2 ? 1 : 0;
    });
    return l.map((x) => ({ name: names[x.other]!, weight: x.e.weight, inline: x.e.inline }));
  };
  const functions: PeekFunction[] = [];
  for (const r of rows) {
    if (!re.test(r.name)) continue;
    functions.push({ name: r.name, flat: r.flat, cum: r.cum, callers: sortEdges(ins.get(r.node), r.node, true), callees: sortEdges(outs.get(r.node), r.node, false) });
  }
  if (functions.length === 0) throw new HeapscopeError({ code: 'NOT_FOUND', message: `no matches found for regexp: ${symbol}` });
  return { sampleType: sampleTypeNames(p)[si]!, sampleIndex: si, total: v.total, flatShown, functions };
}

const SEPARATOR = '----------------------------------------------------------+-------------';
const LEGEND = '      flat  flat%   sum%        cum   cum%   calls calls% + context 	 	 ';

/** pprof's -peek table, from the separator under the header on (the header lines are the CLI's). */
export function formatPeekTable(r: PeekResult, outputUnit: string): string {
  const unit = r.sampleType.unit;
  const fmt = (x: number): string => scaledLabel(x, unit, outputUnit);
  const edge = (e: PeekEdge, cum: number): string => `${fmt(e.weight).padStart(50)} ${percentage(e.weight, cum)} |   ${e.name}${e.inline ? ' (inline)' : ''}`;
  const out: string[] = [SEPARATOR, LEGEND];
  // sum% runs over the matched functions only, as in pprof.
  let flatSum = 0;
  for (const f of r.functions) {
    out.push(SEPARATOR);
    for (const e of f.callers) out.push(edge(e, f.cum));
    flatSum += f.flat;
    out.push(
      `${fmt(f.flat).padStart(10)} ${percentage(f.flat, r.total)} ${percentage(flatSum, r.total)} ${fmt(f.cum).padStart(10)} ${percentage(f.cum, r.total)}                | ${f.name}`,
    );
    for (const e of f.callees) out.push(edge(e, f.cum));
  }
  out.push(SEPARATOR);
  return out.join('\n') + '\n';
}
