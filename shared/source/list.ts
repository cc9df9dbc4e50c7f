/**
 * pprof's `-list REGEX`: annotated source of every function whose name matches, computed the way
 * pprof's report.printSource and getSourceFromFile do (internal/report/source.go, the same in the
 * pprof of Go 1.19 through 1.27):
 *   - a graph at lines granularity (the view's filters and sample index apply), nodes with a value;
 *   - functions whose NodeInfo.Name matches the regex, sorted by name; per function its files,
 *     sorted by file name; the ROUTINE header sums flat and cum over the function's lines;
 *   - the window: from the function's start line (else the first line − 5) to the last line + 5,
 *     with pprof's exact `else if`, cut at the end of the file;
 *   - a file that cannot be read prints " Error: …" instead of lines.
 * Source text comes from the host (`fillListSource`): this module never reads files.
 */
import { HeapscopeError } from '../errors';
import type { ProfileFilters } from '../api/types';
import type { TaskContext } from '../task';
import { NO_TASK } from '../task';
import type { Profile } from '../profile/model';
import { defaultSampleIndex, sampleTypeNames } from '../profile/model';
import { compileGoRegex } from '../profile/analysis/regex';
import { accumulate, compareGoStrings } from '../profile/analysis/top';
import { percentage, scaledLabel } from '../profile/analysis/units';
import { buildView, cleanPath, resolveSampleIndex, trimPath } from '../profile/analysis/view';
import type { ListFunction, ListLine, ListResult, SourceResolution } from './types';

const MARGIN = 5;

export interface ListQuery {
  sampleIndex?: number | string | undefined;
  filters?: ProfileFilters | undefined;
}

interface LineNode {
  line: number;
  startLine: number;
  flat: number;
  cum: number;
}

/** Functions inlined into (function, file, line): the callee frames pprof stacks inside one location. */
function inlinedAt(p: Profile, wanted: Set<string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const S = p.strings;
  for (let l = 0; l < p.locationCount; l++) {
    const s = p.locLineStart[l]!;
    const e = p.locLineStart[l + 1]!;
    for (let j = s + 1; j < e; j++) {
      const caller = p.lineFunc[j]!;
      const callee = p.lineFunc[j - 1]!;
      if (caller < 0 || callee < 0) continue;
      const name = S[p.funcName[caller]!]!;
      if (!wanted.has(name)) continue;
      const raw = S[p.funcFilename[caller]!]!;
      const file = raw === '' ? '' : cleanPath(trimPath(raw));
      const key = `${name}\u0000${file}\u0000${p.lineLine[j]!}`;
      let set = out.get(key);
      if (!set) out.set(key, (set = new Set()));
      set.add(S[p.funcName[callee]!]!);
    }
  }
  return out;
}

/** The functions matching `symbol` with their per-line numbers (no source text yet). */
export function computeList(p: Profile, symbol: string, q: ListQuery = {}, task: TaskContext = NO_TASK): ListResult {
  const re = compileGoRegex(symbol, 'list');
  const r = computeListWhere(p, (name) => re.test(name), q, task);
  if (!r.matched) {
    throw new HeapscopeError({ code: 'NOT_FOUND', message: `no matches found for regexp: ${symbol}` });
  }
  return strip(r);
}

/**
 * The same as computeList for the functions whose name `match` accepts (the report's hottest
 * functions, by exact name); no match is an empty result, not an error.
 */
export function computeListOf(p: Profile, match: (name: string) => boolean, q: ListQuery = {}, task: TaskContext = NO_TASK): ListResult {
  return strip(computeListWhere(p, match, q, task));
}

function strip(r: ListResult & { matched: boolean }): ListResult {
  const { matched: _m, ...rest } = r;
  return rest;
}

function computeListWhere(p: Profile, match: (name: string) => boolean, q: ListQuery, task: TaskContext): ListResult & { matched: boolean } {
  const si = resolveSampleIndex(p, q.sampleIndex, defaultSampleIndex(p));
  const v = buildView(p, { sampleIndex: si, granularity: 'lines', filters: q.filters });
  task.throwIfCancelled();
  const t = accumulate(v, task);
  const re = { test: match };
  // function name → file → nodes (node order, like pprof's graph nodes).
  const fns = new Map<string, Map<string, LineNode[]>>();
  const noFile = new Set<string>();
  for (let nd = 0; nd < v.nodes.count; nd++) {
    if (t.flat[nd] === 0 && t.cum[nd] === 0) continue;
    const info = v.nodes.info(nd);
    if (!re.test(info.name)) continue;
    let files = fns.get(info.name);
    if (!files) fns.set(info.name, (files = new Map()));
    if (info.file === '') {
      noFile.add(info.name);
      continue;
    }
    let list = files.get(info.file);
    if (!list) files.set(info.file, (list = []));
    list.push({ line: info.line, startLine: info.fn >= 0 ? p.funcStartLine[info.fn]! : 0, flat: t.flat[nd]!, cum: t.cum[nd]! });
  }
  const inl = inlinedAt(p, new Set(fns.keys()));
  const names = [...fns.keys()].sort(compareGoStrings);
  const functions: ListFunction[] = [];
  const noSource: string[] = [];
  for (const name of names) {
    const files = fns.get(name)!;
    if (files.size === 0) {
      if (noFile.has(name)) noSource.push(name);
      continue;
    }
    const fileNames = [...files.keys()].sort((a, b) => {
      const c = compareGoStrings(a, b);
      return c !== 0 ? c : files.get(a)![0]!.startLine - files.get(b)![0]!.startLine;
    });
    for (const file of fileNames) {
      const nodes = files.get(file)!;
      const first = nodes[0]!;
      let start = first.startLine !== 0 ? first.startLine : first.line - MARGIN;
      let end = first.line + MARGIN;
      let flat = 0;
      let cum = 0;
      const byLine = new Map<number, { flat: number; cum: number }>();
      for (const n of nodes) {
        const nodeStart = n.startLine !== 0 ? n.startLine : n.line - MARGIN;
        const nodeEnd = n.line + MARGIN;
        // pprof's `if … else if`: a node that moves the start never moves the end.
        if (nodeStart < start) start = nodeStart;
        else if (nodeEnd > end) end = nodeEnd;
        flat += n.flat;
        cum += n.cum;
        const b = byLine.get(n.line);
        if (b) {
          b.flat += n.flat;
          b.cum += n.cum;
        } else byLine.set(n.line, { flat: n.flat, cum: n.cum });
      }
      if (start < 1) start = 1;
      const lines: ListLine[] = [];
      for (let ln = start; ln <= end; ln++) {
        const b = byLine.get(ln);
        const row: ListLine = { line: ln, flat: b?.flat ?? 0, cum: b?.cum ?? 0, text: null };
        const callees = inl.get(`${name}\u0000${file}\u0000${ln}`);
        if (callees) row.inlined = [...callees].sort(compareGoStrings);
        lines.push(row);
      }
      functions.push({ name, file, flat, cum, start, end, lines });
    }
  }
  return { sampleType: sampleTypeNames(p)[si]!, sampleIndex: si, total: v.total, functions, noSource, matched: fns.size > 0 };
}

/** A file's lines (index 0 = line 1), or why it could not be read. */
export type SourceText = { lines: string[]; resolution: SourceResolution } | { lines: null; resolution: SourceResolution; error: string };

/**
 * Puts source text into the listed functions, cutting each window at the end of its file like
 * pprof. A file that could not be read keeps the window's numbered lines (text null) and gets `error`.
 */
export function fillListSource(r: ListResult, read: (file: string) => SourceText): ListResult {
  const cache = new Map<string, SourceText>();
  const functions = r.functions.map((f): ListFunction => {
    let src = cache.get(f.file);
    if (!src) cache.set(f.file, (src = read(f.file)));
    if (src.lines === null) return { ...f, source: src.resolution, error: src.error };
    const text = src.lines;
    const lines: ListLine[] = [];
    for (const l of f.lines) {
      if (l.line < 1 || l.line > text.length) break;
      lines.push({ ...l, text: text[l.line - 1]! });
    }
    return { ...f, lines, source: src.resolution };
  });
  return { ...r, functions };
}

/** Splits file contents into lines like Go's bufio.Scanner (a final newline ends the last line; "\r\n" too). */
export function splitSourceLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** pprof's -list text (`outputUnit`: pprof's -unit, "minimum" by default). */
export function formatListText(r: ListResult, outputUnit = 'minimum'): string {
  const unit = r.sampleType.unit;
  const fmt = (x: number): string => scaledLabel(x, unit, outputUnit);
  const dot = (x: number): string => (x === 0 ? '.' : fmt(x));
  const out: string[] = [`Total: ${fmt(r.total)}`];
  // pprof prints functions in name order, "No source information" ones among them.
  const items: Array<{ name: string; fn?: ListFunction }> = [...r.functions.map((fn) => ({ name: fn.name, fn })), ...r.noSource.map((name) => ({ name }))];
  items.sort((a, b) => compareGoStrings(a.name, b.name));
  for (const it of items) {
    const f = it.fn;
    if (!f) {
      out.push(`No source information for ${it.name}`);
      continue;
    }
    out.push(`ROUTINE ======================== ${f.name} in ${f.file}`);
    out.push(`${fmt(f.flat).padStart(10)} ${fmt(f.cum).padStart(10)} (flat, cum) ${percentage(f.cum, r.total)} of Total`);
    if (f.error !== undefined) {
      out.push(` Error: ${f.error}`);
      continue;
    }
    for (const l of f.lines) out.push(`${dot(l.flat).padStart(10)} ${dot(l.cum).padStart(10)} ${String(l.line).padStart(6)}:${l.text ?? ''}`);
  }
  return out.join('\n') + '\n';
}
