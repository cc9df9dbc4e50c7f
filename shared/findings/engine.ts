/**
 * The findings engine: sorts the inputs into series (same kind, ordered by capture time when every
 * input has one, else in the given order), runs the rules, merges duplicates and ranks.
 *
 *   heap/allocs profiles (2+)   growth of inuse_space per allocating function, first → last
 *   goroutine profiles (1+)     pile-ups in the latest, growth over the series
 *   heap dumps (1+)             suspects, global maps, sparse maps, sub-slices, files, tickers,
 *                               contexts, goroutine pile-ups in the latest; (2+) growth per root
 *                               and per allocating function; (3+) memlab's rule as evidence
 *   gctrace logs                live heap after GC rising
 *   goroutineleak profiles, goroutine dumps with "(leaked)" goroutines
 *                               the goroutines the Go runtime proved leaked (rules/leaked.ts): they
 *                               rank above every heuristic finding, whatever its severity or size
 *
 * Rules that judge one snapshot only look at the latest of each kind, so a profile given twice
 * (compared with itself) yields exactly what it yields alone, and no growth.
 */
import { goroutineSnapshot, goroutineSnapshotFromHeap } from '../compare/goroutines';
import { memlabLeaks } from '../compare/heapdiff';
import { heapSeriesTrends, trendsFromMaps } from '../compare/series';
import type { SeriesPoint } from '../compare/types';
import type { HeapAnalysis } from '../heap';
import type { ImportedProfile } from '../profile';
import { NO_TASK, type TaskContext } from '../task';
import { gcTraceFindings } from './rules/gctrace';
import { goroutineFindings, goroutineSpecificity, isGoroutineKind, sameGoroutines } from './rules/goroutines';
import { allocSiteGrowth, inuseByAllocatingFunction, mainLeaf, rootGrowth } from './rules/growth';
import { pendingTimers } from './rules/timers';
import { allocatingFunction, isGlobalMapRoot, openFiles, suspectFindings, tickers, type DumpReader } from './rules/heap';
import { foldPinnedHolders, subslicePinning } from './rules/subslice';
import { contextsNeverCancelled } from './rules/contexts';
import { sqlConnectionLeaks } from './rules/sqlpool';
import { sharedGroupFindings } from './rules/shared';
import { sparseMaps } from './rules/maps';
import { isLeakInput, LEAKED_KIND, leakedGoroutineFindings, type LeakInput } from './rules/leaked';
import { describeProgram, groupByProgram, heapDumpProgram, NO_FACTS, profileProgram, programLabel, type ProgramFacts } from './programs';
import type { Finding, FindingsInput, FindingsReport, Severity } from './types';

const SEVERITY_RANK: Record<Severity, number> = { high: 3, medium: 2, low: 1 };

export function severityRank(s: Severity): number {
  return SEVERITY_RANK[s];
}

interface Timed<T> {
  item: T;
  index: number;
  time: bigint | null;
}

/** By time when every item has a distinct time, else in the given order. */
function ordered<T>(items: Array<Timed<T>>): { items: T[]; byTime: boolean } {
  const times = items.map((x) => x.time);
  const all = times.every((t) => t !== null && t !== 0n);
  const distinct = new Set(times.map((t) => String(t))).size === times.length;
  if (items.length > 1 && all && distinct) {
    const s = [...items].sort((a, b) => (a.time! < b.time! ? -1 : a.time! > b.time! ? 1 : a.index - b.index));
    return { items: s.map((x) => x.item), byTime: true };
  }
  return { items: items.map((x) => x.item), byTime: false };
}

function toBig(v: string | bigint | undefined): bigint | null {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return v;
  try {
    return BigInt(v);
  } catch {
    return null;
  }
}

interface ProfileIn {
  name: string;
  imported: ImportedProfile;
  time: bigint | null;
}

interface DumpIn {
  name: string;
  analysis: HeapAnalysis;
  read?: DumpReader;
}

function hasInuse(p: ImportedProfile): boolean {
  const pr = p.profile;
  return pr.sampleTypes.some((t) => pr.strings[t.type] === 'inuse_space');
}

function seconds(t: bigint | null): number | null {
  return t === null ? null : Number(t) / 1e9;
}

function heapProfileFindings(list: ProfileIn[], notes: string[], task: TaskContext): Finding[] {
  if (list.length < 2) return [];
  const names = list.map((p) => p.name);
  // By the program's function that allocated (as heap dumps are): a standard library leaf such as
  // strings.(*Builder).Write is every caller's. Runtime frames are charged to their caller too
  // (which runtime function allocates changes across Go versions; the code that asked does not).
  const points: SeriesPoint[] = list.map((p) => ({ name: p.name, timeSec: seconds(p.time) }));
  const per = list.map((p) => {
    task.throwIfCancelled();
    const pr = p.imported.profile;
    return inuseByAllocatingFunction(pr, pr.sampleTypes.findIndex((t) => pr.strings[t.type] === 'inuse_space'));
  });
  const lastTotal = per[per.length - 1]!.total;
  notes.push(`heap profiles: ${list.length} snapshots (${names.join(' → ')}); inuse_space per allocating function`);
  const out: Finding[] = [];
  for (const t of trendsFromMaps(points, per.map((x) => x.bytes))) {
    if (t.growth <= 0) break; // sorted by growth
    const via = mainLeaf(per[per.length - 1]!.leaves.get(t.key), t.key);
    const f = allocSiteGrowth(
      t.key,
      t,
      names,
      lastTotal,
      'heap profiles',
      { view: 'diff', base: names[0]!, target: names[names.length - 1]!, sampleIndex: 'inuse_space', function: t.key },
      false,
      via,
    );
    if (f) {
      f.evidence.sampleType = 'inuse_space';
      out.push(f);
    }
  }
  return out;
}

function dumpFindings(dumps: DumpIn[], notes: string[], task: TaskContext): Finding[] {
  if (dumps.length === 0) return [];
  const out: Finding[] = [];
  const last = dumps[dumps.length - 1]!;
  const a = last.analysis;
  const suspects = suspectFindings(a, last.name);
  task.throwIfCancelled();
  const pinned = subslicePinning(a, last.name, last.read);
  out.push(...foldPinnedHolders(suspects, pinned), ...pinned);
  out.push(...sharedGroupFindings(a, last.name));
  out.push(...openFiles(a, last.name));
  out.push(...tickers(a, last.name, last.read));
  out.push(...pendingTimers(a, last.name, last.read));
  out.push(...contextsNeverCancelled(a, last.name, last.read));
  out.push(...sqlConnectionLeaks(a, last.name, last.read));
  out.push(...sparseMaps(a, last.name, last.read));
  out.push(...goroutineFindings(dumps.map((d) => ({ name: d.name, snapshot: goroutineSnapshotFromHeap(d.name, d.analysis) })), 'heap dumps'));
  if (dumps.length < 2) return out;
  task.throwIfCancelled();
  const names = dumps.map((d) => d.name);
  notes.push(`heap dumps: ${dumps.length} snapshots (${names.join(' → ')}); matched by address`);
  const base = names[0]!;
  const target = names[names.length - 1]!;
  const hs = heapSeriesTrends(dumps.map((d) => ({ name: d.name, analysis: d.analysis })), { programChecked: true });
  const lastTotal = hs.totals[hs.totals.length - 1]!;
  const rootFindings: Finding[] = [];
  for (const t of hs.byRoot) {
    if (t.growth <= 0) break;
    if (t.key.startsWith('goroutine ') || t.key.startsWith('runtime ')) continue;
    const name = t.label;
    const f = rootGrowth(name, isGlobalMapRoot(a, name), t, names, lastTotal, { view: 'heapdiff', base, target, root: name });
    if (f) rootFindings.push(f);
  }
  // Per allocating function (sites of one function summed).
  const points: SeriesPoint[] = names.map((n) => ({ name: n, timeSec: null }));
  // Sampled objects per function, and whether every object carries a sample (MemProfileRate = 1).
  const fnRows: Array<Map<string, { objects: number; bytes: number }>> = [];
  let partial = false;
  const fnMaps = dumps.map((d) => {
    const m = new Map<string, number>();
    const c = new Map<string, { objects: number; bytes: number }>();
    // By the program's function that allocated (a standard library leaf such as
    // internal/bytealg.MakeNoZero is every strings.Repeat caller's site).
    for (const row of d.analysis.groupByAllocStack({ kind: 'reachable' }, allocatingFunction)) {
      m.set(row.key, row.bytes);
      c.set(row.key, row);
    }
    partial ||= d.analysis.groupByAllocSite({ kind: 'reachable' }, 0, Number.MAX_SAFE_INTEGER).rows.some((r) => r.site < 0 && r.objects > 0);
    fnRows.push(c);
    return m;
  });
  const siteFindings: Finding[] = [];
  for (const t of trendsFromMaps(points, fnMaps)) {
    if (t.growth <= 0) break;
    if (partial && samplesMovedByChance(fnRows[0]!.get(t.key), fnRows[fnRows.length - 1]!.get(t.key))) continue;
    const f = allocSiteGrowth(t.key, t, names, lastTotal, 'heap dumps', { view: 'heapdiff', base, target, allocSite: t.key }, partial);
    if (f) siteFindings.push(f);
  }
  if (dumps.length >= 3) {
    const n = dumps.length;
    const [d1, d2, d3] = [dumps[n - 3]!, dumps[n - 2]!, dumps[n - 1]!];
    const m = memlabLeaks({ name: d1.name, analysis: d1.analysis }, { name: d2.name, analysis: d2.analysis }, { name: d3.name, analysis: d3.analysis }, task);
    notes.push(`memlab rule: ${m.leaked.objects} objects (${m.leaked.bytes} B) new in ${d2.name} (not in ${d1.name}) are still alive in ${d3.name}`);
    // Keyed as the growth findings are: by the program's function in each object's stack.
    const byFn = new Map(d3.analysis.groupByAllocStack({ kind: 'nodes', nodes: m.nodes }, allocatingFunction).map((r) => [r.key, r]));
    const byRoot = new Map(m.byRoot.map((r) => [r.root, r]));
    const tag = (f: Finding, x: { objects: number; bytes: number } | undefined): void => {
      if (!x) return;
      f.evidence.memlabObjects = x.objects;
      f.evidence.memlabBytes = x.bytes;
      f.evidence.memlabRule = `new in ${d2.name}, still alive in ${d3.name}`;
    };
    for (const f of siteFindings) tag(f, byFn.get(f.subject));
    for (const f of rootFindings) tag(f, byRoot.get(f.subject));
  }
  out.push(...rootFindings, ...siteFindings);
  return out;
}

/**
 * Heap dumps sample allocation sites (MemProfileRate): the same 300 arrays carry 40 samples in one
 * dump and 48 in the next. A change of sampled objects within three standard deviations of that
 * count's noise (Poisson: √(n₁ + n₂)) says nothing about growth; real growth (200 → 400 sampled
 * objects: 200 against 73) stands out.
 */
export function withinSamplingNoise(first: number, last: number): boolean {
  return Math.abs(last - first) <= 3 * Math.sqrt(first + last);
}

/**
 * Whether a function's sampled bytes moved only as its sampled objects' count did, by chance: the
 * count is within its noise and the objects weigh the same (within 25%). One slice that grew from
 * 1 to 100 MiB is one sampled object in both dumps, and grew.
 */
export function samplesMovedByChance(first: { objects: number; bytes: number } | undefined, last: { objects: number; bytes: number } | undefined): boolean {
  const n1 = first?.objects ?? 0;
  const n2 = last?.objects ?? 0;
  if (!withinSamplingNoise(n1, n2)) return false;
  if (n1 === 0 || n2 === 0) return true;
  const w1 = first!.bytes / n1;
  const w2 = last!.bytes / n2;
  return Math.abs(w2 - w1) <= 0.25 * Math.max(w1, w2);
}

function familyKey(f: Finding): string {
  // Findings of two programs (evidence.program, set when the workspace mixes programs) never merge.
  // Sub-slice pinning is judged per holding root: two holders of one site's arrays are two findings
  // (a string head and a slice tail of the same loader), never one.
  const holder = f.kind === 'subslice-pinning' ? `\u0000${String(f.evidence.holder ?? '')}` : '';
  return `${isGoroutineKind(f.kind) ? 'goroutines' : f.kind === 'sparse-map' ? 'global-map' : f.kind}\u0000${f.subject}\u0000${String(f.evidence.program ?? '')}${holder}`;
}

/**
 * Within a family, the kind that explains most wins: a proven leak over a blocked group, and a map
 * that kept its storage over "a global map holds much" (it says why the map is big).
 */
function specificity(k: Finding['kind']): number {
  return k === 'sparse-map' ? 1 : goroutineSpecificity(k);
}

/** A finding judged over several snapshots (growth) rather than one. */
function isSeries(f: Finding): boolean {
  return Array.isArray(f.evidence.values) || (Array.isArray(f.evidence.counts) && f.evidence.counts.length > 1);
}

/**
 * Merges findings about the same thing (kind family + subject) from several inputs or rules: the most
 * specific kind wins, then the most severe, then the one judged over a series, then the biggest; the
 * evidence of the others fills in what the winner lacks.
 */
export function mergeDuplicates(findings: Finding[]): Finding[] {
  // Per family, the merged findings so far (goroutine findings of one function in different wait
  // states stay apart: different goroutines), in first-seen order.
  const byKey = new Map<string, Finding[]>();
  const order: Array<[string, number]> = [];
  for (const f of findings) {
    const k = familyKey(f);
    const bucket = byKey.get(k) ?? [];
    if (bucket.length === 0) byKey.set(k, bucket);
    const at = bucket.findIndex((x) => !isGoroutineKind(x.kind) || sameGoroutines(x, f));
    const prev = at >= 0 ? bucket[at] : undefined;
    if (!prev) {
      order.push([k, bucket.length]);
      bucket.push(f);
      continue;
    }
    const better = (x: Finding, y: Finding): boolean =>
      specificity(x.kind) !== specificity(y.kind)
        ? specificity(x.kind) > specificity(y.kind)
        : SEVERITY_RANK[x.severity] !== SEVERITY_RANK[y.severity]
          ? SEVERITY_RANK[x.severity] > SEVERITY_RANK[y.severity]
          : isSeries(x) !== isSeries(y)
            ? isSeries(x)
            : x.size > y.size;
    const [win, lose] = better(f, prev) ? [f, prev] : [prev, f];
    // The rules that reached the same conclusion another way (a proven leak also seen blocked).
    const also = [...new Set([...asList(win.evidence.alsoFoundBy), ...asList(lose.evidence.alsoFoundBy), lose.kind])].filter((k) => k !== win.kind);
    const merged: Finding = {
      ...win,
      severity: SEVERITY_RANK[lose.severity] > SEVERITY_RANK[win.severity] ? lose.severity : win.severity,
      evidence: { ...lose.evidence, ...win.evidence, ...(also.length > 0 ? { alsoFoundBy: also } : {}) },
      size: Math.max(win.size, lose.size),
      sources: [...new Set([...win.sources, ...lose.sources])],
    };
    bucket[at] = merged;
  }
  return order.map(([k, i]) => byKey.get(k)![i]!);
}

function asList(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** Findings the Go runtime proved (leaked goroutines) before every heuristic one. */
function provenRank(f: Finding): number {
  return f.kind === LEAKED_KIND ? 1 : 0;
}

export function rankFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      provenRank(b) - provenRank(a) ||
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      b.size - a.size ||
      (a.title < b.title ? -1 : a.title > b.title ? 1 : 0),
  );
}

interface SeriesSet {
  /** "program 2 (…)" when the workspace mixes programs, else null. */
  program: string | null;
  heap: Array<Timed<ProfileIn>>;
  gor: Array<Timed<ProfileIn>>;
  dumps: Array<Timed<DumpIn>>;
}

function programFacts(x: FindingsInput): ProgramFacts {
  if (x.kind === 'profile') return profileProgram(x.imported.profile);
  if (x.kind === 'heapdump') return heapDumpProgram(x.analysis, x.exeIds ?? null);
  return NO_FACTS;
}

/** The series inputs split by program (one set when they cannot be told apart); the notes say which is which. */
function byProgram(inputs: readonly FindingsInput[], heap: Array<Timed<ProfileIn>>, gor: Array<Timed<ProfileIn>>, dumps: Array<Timed<DumpIn>>, notes: string[]): SeriesSet[] {
  const index = [...heap, ...gor, ...dumps].map((t) => t.index).sort((a, b) => a - b);
  const groups = groupByProgram(index.map((i) => programFacts(inputs[i]!)));
  if (groups.length <= 1) return [{ program: null, heap, gor, dumps }];
  const parts = groups.map((g) => `${programLabel(g)} [${describeProgram(g.facts)}]: ${g.members.map((m) => inputs[index[m]!]!.name).join(', ')}`);
  notes.push(`the inputs come from ${groups.length} programs; series are built per program, never across programs: ${parts.join('; ')}`);
  if (groups.some((g) => g.undetermined)) notes.push('undetermined: inputs that could belong to more than one program (no build id, binary path or other fact tells them apart) are judged apart from every program');
  return groups.map((g) => {
    const own = new Set(g.members.map((m) => index[m]!));
    const mine = <T>(xs: Array<Timed<T>>): Array<Timed<T>> => xs.filter((t) => own.has(t.index));
    return { program: `${programLabel(g)} [${describeProgram(g.facts)}]`, heap: mine(heap), gor: mine(gor), dumps: mine(dumps) };
  });
}

/** Every series rule on one program's inputs; with several programs, notes and findings name theirs. */
function seriesFindings(set: SeriesSet, allNotes: string[], task: TaskContext): Finding[] {
  const notes: string[] = [];
  const findings: Finding[] = [];
  const h = ordered(set.heap);
  if (h.items.length === 1) notes.push(`heap profiles: only ${h.items[0]!.name}; growth needs two or more snapshots of one process`);
  if (h.items.length > 1 && !h.byTime) notes.push('heap profiles: in the given order (not every profile has a distinct capture time)');
  findings.push(...heapProfileFindings(h.items, notes, task));
  task.throwIfCancelled();
  const g = ordered(set.gor);
  if (g.items.length > 0) {
    findings.push(
      ...goroutineFindings(
        g.items.map((p) => ({ name: p.name, snapshot: goroutineSnapshot(p.name, p.imported) })),
        'goroutine profiles',
      ),
    );
    notes.push(`goroutine profiles: ${g.items.length} snapshot${g.items.length === 1 ? '' : 's'} (${g.items.map((p) => p.name).join(' → ')})`);
  }
  task.throwIfCancelled();
  const d = ordered(set.dumps);
  findings.push(...dumpFindings(d.items, notes, task));
  const program = set.program;
  if (program === null) allNotes.push(...notes);
  else {
    allNotes.push(...notes.map((n) => `${program.replace(/ \[.*$/, '')}: ${n}`));
    for (const f of findings) f.evidence.program = program;
  }
  return findings;
}

export interface FindingsOptions {
  task?: TaskContext;
}

export function computeFindings(inputs: readonly FindingsInput[], opts: FindingsOptions = {}): FindingsReport {
  const task = opts.task ?? NO_TASK;
  const notes: string[] = [];
  const heap: Array<Timed<ProfileIn>> = [];
  const gor: Array<Timed<ProfileIn>> = [];
  const dumps: Array<Timed<DumpIn>> = [];
  const leak: Array<Timed<LeakInput>> = [];
  const findings: Finding[] = [];
  inputs.forEach((x, index) => {
    if (x.kind === 'profile') {
      const time = toBig(x.timeNanos) ?? (x.imported.profile.timeNanos !== 0n ? x.imported.profile.timeNanos : null);
      const p: ProfileIn = { name: x.name, imported: x.imported, time };
      const k = x.imported.profileKind;
      if ((k === 'heap' || k === 'allocs') && hasInuse(x.imported)) heap.push({ item: p, index, time });
      else if (k === 'goroutine') gor.push({ item: p, index, time });
      else if (k !== 'goroutineleak') notes.push(`${x.name}: ${k} profiles are not used for leak findings (compare them with diff)`);
      if (isLeakInput(x.imported)) leak.push({ item: { name: x.name, imported: x.imported }, index, time });
    } else if (x.kind === 'heapdump') {
      const ms = x.analysis.summary().memStats;
      const t = toBig(x.timeNanos) ?? (ms && ms.LastGC ? toBig(ms.LastGC) : null);
      const d: DumpIn = { name: x.name, analysis: x.analysis };
      if (x.read) d.read = x.read;
      dumps.push({ item: d, index, time: t });
    } else {
      if (x.series.cycles.length === 0) notes.push(`${x.name}: no gctrace lines`);
      findings.push(...gcTraceFindings(x.name, x.series));
    }
  });
  // Series are per program: snapshots of two programs never form one (see programs.ts).
  for (const set of byProgram(inputs, heap, gor, dumps, notes)) findings.push(...seriesFindings(set, notes, task));
  // Proven leaks merge among themselves first (the bigger, later count wins), then absorb the
  // blocked goroutines a dump shows of the same function (rules/goroutines.ts SPECIFICITY).
  const proven = leakedGoroutineFindings(ordered(leak).items, notes);
  return { findings: rankFindings(mergeDuplicates([...proven, ...findings])), notes };
}
