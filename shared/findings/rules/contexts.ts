/**
 * Contexts never cancelled (a heap dump, with the program's binary). `context.WithCancel`,
 * `WithTimeout`, `WithDeadline` and their `…Cause` forms register the new context in its parent's
 * `children` map, and only the cancel func they return (or the parent's own cancellation, or a
 * deadline that passes) takes it out. Code that keeps the cancel func and never calls it, or drops
 * it (what `go vet`'s lostcancel catches only within one function), under a long-lived parent (a
 * server's base context, a context in a global) leaks one child per call: the map only grows, and
 * each child keeps its values and its own children alive.
 *
 * Read from the dump: the map header's first word is its count on every Go (runtime.hmap.count to
 * Go 1.23, internal/runtime/maps.Map.used from 1.24). The parent is the context holding the map,
 * named by its nearest GC root; its children are the contexts pointing at it; their cancel funcs are
 * the `context.With…` closures pointing at them, and who holds those says where they were kept.
 */
import type { HeapAnalysis } from '../../heap';
import { fmtBytes, plural } from '../format';
import { CONTEXT_CHILDREN_MIN, RESOURCE_HIGH_COUNT } from '../thresholds';
import type { Finding } from '../types';
import type { DumpReader } from './heap';
import { valueWord } from './words';

/** The type of a cancelCtx's `children` map header (typing names map headers `map.hdr[K]V` on every Go). */
const CHILDREN_MAP = 'map.hdr[context.canceler]struct {}';
/** Contexts that hold a children map or are entered in one (cancelCtx, timerCtx, afterFuncCtx). */
const CANCELER = /^context\.(?:cancelCtx|timerCtx|afterFuncCtx)$/;
/** The cancel funcs the context package returns. */
const CANCEL_FUNC = /^closure context\./;
/** What a deadline's timer is typed as (its func cancels the context when the deadline passes). */
const TIMER = /^(?:time\.Timer|time\.Ticker|runtime\.timer|time\.runtimeTimer)$/;
/** Holders listed in the evidence at most. */
const HOLDERS_SHOWN = 5;

export function contextsNeverCancelled(a: HeapAnalysis, dump: string, read?: DumpReader): Finding[] {
  const T = a.types;
  if (!T || !read) return [];
  const g = a.graph;
  const F = g.firstObject;
  const rs = g.rev.start;
  const rt = g.rev.targets;
  const entryName = (v: number): string => (v >= F ? (T.entryOf(v - F)?.name ?? '') : '');
  const out: Finding[] = [];
  for (let v = F; v < g.nodeCount; v++) {
    const en = T.entryOf(v - F);
    if (!en || en.array || en.name !== CHILDREN_MAP || !a.isReachable(v)) continue;
    const count = valueWord(a, read, v, en.base);
    if (count === null) continue;
    if (count < CONTEXT_CHILDREN_MIN) continue;
    let parent = -1;
    for (let e = rs[v]!; e < rs[v + 1]! && parent < 0; e++) if (CANCELER.test(entryName(rt[e]!))) parent = rt[e]!;
    if (parent < 0) continue;
    // Its children point at it (their embedded Context); their cancel funcs point at them.
    const holders = new Map<string, number>();
    let children = 0;
    let dropped = 0;
    let withDeadline = 0;
    let retained = 0;
    for (let e = rs[parent]!; e < rs[parent + 1]!; e++) {
      const c = rt[e]!;
      if (c === parent || !CANCELER.test(entryName(c))) continue;
      children++;
      retained += a.retainedBytes[c]!;
      const kept = new Set<string>();
      let timed = false;
      for (let f = rs[c]!; f < rs[c + 1]!; f++) {
        const k = rt[f]!;
        if (!CANCEL_FUNC.test(entryName(k))) continue;
        for (let h = rs[k]!; h < rs[k + 1]!; h++) {
          // A deadline's timer holds the func that cancels the context when it passes.
          if (TIMER.test(entryName(rt[h]!))) timed = true;
          else kept.add(holderName(a, rt[h]!, k));
        }
      }
      if (timed) withDeadline++;
      if (kept.size === 0) dropped++;
      for (const h of kept) holders.set(h, (holders.get(h) ?? 0) + 1);
    }
    const where = parentName(a, parent);
    const byCount = [...holders.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    const funcs: string[] = [];
    if (byCount.length > 0) funcs.push(`their cancel funcs are kept by ${byCount.slice(0, 2).map(([h, n]) => `${h} (${n})`).join(', ')}${byCount.length > 2 ? ' and others' : ''} and never called`);
    if (dropped > 0) funcs.push(`${plural(dropped, 'cancel func was', 'cancel funcs were')} dropped without being called`);
    if (withDeadline > 0) funcs.push(`${withDeadline === children ? 'all' : withDeadline} of them have a deadline: their timers cancel them only then`);
    out.push({
      severity: count >= RESOURCE_HIGH_COUNT * 10 ? 'high' : 'medium',
      kind: 'context-not-cancelled',
      title: `${count} contexts derived from the context in ${where} were not cancelled: it still holds them${funcs.length > 0 ? `; ${funcs.join('; ')}` : ''} (call cancel when the work is done: defer cancel())`,
      subject: `context in ${where}`,
      evidence: {
        children: count,
        childrenFound: children,
        cancelFuncsDropped: dropped,
        withDeadline,
        cancelFuncHolders: byCount.slice(0, HOLDERS_SHOWN).map(([h, n]) => `${h}: ${n}`),
        retainedBytes: retained,
        parent: `0x${a.objectAddress(parent).toString(16)}`,
      },
      link: { view: 'heap', dump, object: `0x${a.objectAddress(parent).toString(16)}` },
      size: retained + count * a.objectSize(parent),
      sources: [dump],
    });
  }
  return out;
}

/** The nearest GC root of the parent context ("global main.base", "goroutine 1 frame main.main"). */
function parentName(a: HeapAnalysis, parent: number): string {
  const p = a.pathsToRoots({ node: parent }, 1).paths[0];
  return p?.[0]?.root?.name ?? `object 0x${a.objectAddress(parent).toString(16)}`;
}

/** What holds a cancel func `k`: a root's name, or the holding object's type and field ("main.job.cancel"). */
function holderName(a: HeapAnalysis, u: number, k: number): string {
  if (!a.isObject(u)) return u === 0 ? 'the runtime' : (a.graph.roots[u - 1]?.name ?? 'a GC root');
  const type = a.typeName(u);
  if (!type) return `an object of ${fmtBytes(a.objectSize(u))}`;
  const field = a.referenceField(u, k);
  // Array elements differ per holder ("[3]"): the element type names the holder, not its index.
  return field && !field.startsWith('[') ? `${type}${field.startsWith('.') ? '' : '.'}${field}` : type;
}
