/**
 * The report's annotated source: pprof's -list of the hottest functions of a view (computeListOf,
 * the numbers `heapscope list` prints), with the text the host read for the input (`readSource`:
 * the CLI and the worker pass one that reads only under the allowed source roots). Pure.
 *
 * Bounded: at most `functions` functions per view; a window longer than `linesPerFunction` keeps
 * the lines with values (biggest first) and their neighbours; lines longer than `lineChars` are cut;
 * once the report holds `maxChars` of source text, later functions keep their numbers only. Every
 * cut is recorded (omittedLines, truncatedLines, textOmitted) and said by the viewer.
 */
import type { Profile } from '../profile/model';
import type { TaskContext } from '../task';
import { computeListOf, fillListSource, type SourceText } from '../source/list';
import type { ListFunction, ListLine, ListResult } from '../source/types';
import type { ReportSource, ReportSourceFunction, ReportSourceLimits } from './model';

/** Reads a file the profile records (as recorded), for one input: text or why not. */
export type ReadSource = (recordedFile: string) => SourceText;

export const DEFAULT_SOURCE_LIMITS: ReportSourceLimits = { functions: 6, linesPerFunction: 80, lineChars: 400, maxChars: 400_000 };

/** Lines kept either side of a line with a value when a window is cut. */
const NEIGHBOURS = 2;
const MAX_TRIED = 8;
const MAX_INLINED = 8;

/** The report-wide source budget (characters of text used so far, functions whose text was left out). */
export interface SourceBudget {
  limits: ReportSourceLimits;
  usedChars: number;
  textOmitted: number;
}

/** A reader that reads each file once. */
export function cachedReader(read: ReadSource): ReadSource {
  const cache = new Map<string, SourceText>();
  return (file) => {
    let t = cache.get(file);
    if (!t) cache.set(file, (t = read(file)));
    return t;
  };
}

/** The `n` names with the biggest |value| (non-zero), biggest first; ties keep the given order. */
export function hottestNames(rows: ReadonlyArray<{ name: string; flat: number }>, n: number): string[] {
  return rows
    .map((r, i) => ({ r, i }))
    .filter((x) => x.r.flat !== 0)
    .sort((a, b) => Math.abs(b.r.flat) - Math.abs(a.r.flat) || a.i - b.i)
    .slice(0, n)
    .map((x) => x.r.name);
}

/** Indices of the lines to keep: all when they fit, else the lines with values (biggest first) and their neighbours. */
function keptLines(lines: readonly ListLine[], max: number): number[] {
  if (lines.length <= max) return lines.map((_, i) => i);
  const byValue = lines
    .map((l, i) => ({ i, v: Math.max(Math.abs(l.flat), Math.abs(l.cum)) }))
    .filter((x) => x.v !== 0)
    .sort((a, b) => b.v - a.v || a.i - b.i);
  const keep = new Set<number>();
  // The lines with values first, then their neighbours, nearest first.
  for (const x of byValue) {
    if (keep.size >= max) break;
    keep.add(x.i);
  }
  for (let d = 1; d <= NEIGHBOURS; d++) {
    for (const x of byValue) {
      if (keep.size >= max) break;
      if (!keep.has(x.i)) continue;
      for (const j of [x.i - d, x.i + d]) if (j >= 0 && j < lines.length && keep.size < max) keep.add(j);
    }
  }
  return [...keep].sort((a, b) => a - b);
}

function oneFunction(r: ListResult, f: ListFunction, read: ReadSource, budget: SourceBudget): ReportSourceFunction {
  const filled = fillListSource({ ...r, functions: [f] }, read).functions[0]!;
  const lim = budget.limits;
  const idx = keptLines(filled.lines, lim.linesPerFunction);
  let truncated = 0;
  let chars = 0;
  const lines: ListLine[] = idx.map((i) => {
    const l = filled.lines[i]!;
    const out: ListLine = { line: l.line, flat: l.flat, cum: l.cum, text: l.text };
    if (l.text !== null && l.text.length > lim.lineChars) {
      out.text = `${l.text.slice(0, lim.lineChars)}…`;
      truncated++;
    }
    if (out.text !== null) chars += out.text.length;
    if (l.inlined?.length) out.inlined = l.inlined.length > MAX_INLINED ? [...l.inlined.slice(0, MAX_INLINED), `… ${l.inlined.length - MAX_INLINED} more`] : l.inlined;
    return out;
  });
  const src = filled.source;
  const out: ReportSourceFunction = {
    name: f.name,
    file: f.file,
    flat: f.flat,
    cum: f.cum,
    lines,
    omittedLines: filled.lines.length - lines.length,
    truncatedLines: truncated,
    via: src?.path ? src.via : null,
  };
  if (filled.error !== undefined || !src?.path) {
    out.problem = filled.error ?? src?.problem ?? 'not read';
    if (src?.tried.length) out.tried = src.tried.length > MAX_TRIED ? [...src.tried.slice(0, MAX_TRIED), `… ${src.tried.length - MAX_TRIED} more`] : src.tried;
  }
  if (chars > 0 && budget.usedChars + chars > lim.maxChars) {
    for (const l of out.lines) l.text = null;
    out.truncatedLines = 0;
    out.textOmitted = true;
    budget.textOmitted++;
  } else budget.usedChars += chars;
  return out;
}

/**
 * pprof -list of `names` (hottest first) in `p` at `sampleIndex`, with source text from `read`:
 * functions in the order of `names`, each function's files in pprof's order.
 */
export function annotateFunctions(p: Profile, names: readonly string[], sampleIndex: number, read: ReadSource, budget: SourceBudget, task: TaskContext): ReportSource {
  const want = new Map(names.map((n, i) => [n, i]));
  if (want.size === 0) return { functions: [] };
  const r = computeListOf(p, (name) => want.has(name), { sampleIndex }, task);
  const fns = r.functions
    .map((f, i) => ({ f, i }))
    .sort((a, b) => want.get(a.f.name)! - want.get(b.f.name)! || a.i - b.i)
    .map((x) => x.f);
  const out: ReportSourceFunction[] = [];
  for (const f of fns) {
    out.push(oneFunction(r, f, read, budget));
    task.throwIfCancelled();
  }
  return { functions: out };
}
