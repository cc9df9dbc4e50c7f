/**
 * Leaked goroutines, as the Go runtime itself reports them (Go 1.26 built with
 * GOEXPERIMENT=goroutineleakprofile, and every Go from 1.27). A request for the `goroutineleak`
 * profile runs GC cycles until one checks for leaks: a goroutine blocked on a channel, a select or a
 * sync primitive (Mutex, RWMutex, WaitGroup, Cond) that no runnable goroutine and no global can
 * reach is marked leaked. It can never run again: this is a proof, not a heuristic, so these
 * findings rank above every other (engine.ts, rankFindings).
 *
 * Read from every form of the profile:
 *   proto (debug=0)   sample type goroutineleak/count: one sample per stack (+ pprof labels)
 *   debug=1           "goroutineleak profile: total N": the same records as text, `# labels:` lines
 *   debug=2           the full goroutine dump, leaked goroutines carrying a " (leaked)" state suffix
 *                     (GoroutineRecord.leaked): ids, creators, waits, header labels (Go 1.27)
 * A plain goroutine dump taken after a leak check carries the same marks and counts as well.
 *
 * One finding per function (the innermost frame of the program's code, as the goroutine rules name
 * groups), with exactly the goroutines the runtime reported there: their count, stacks, creator,
 * labels and (debug=2) ids. Leaked goroutines stay leaked, so the latest input of each form is read
 * (an input given twice is read once); inputs from different programs are judged apart.
 */
import { groupName, stackKeyFrames } from '../../compare/goroutines';
import type { GoroutineRecord, ImportedProfile, Profile } from '../../profile';
import { inferWaitReason } from '../../profile/legacy/waitreasons';
import { fmtMinutes } from '../format';
import { describeProgram, groupByProgram, profileProgram, programLabel } from '../programs';
import { GOROUTINE_BYTES_ESTIMATE } from '../thresholds';
import { HTTP_FUNCS, HTTP_SUBJECT } from './goroutines';
import type { Finding, FindingLink } from '../types';
import { sampleFunctionNames } from '../../profile/names';

export const LEAKED_KIND = 'leaked-goroutines' as const;

/** Goroutine ids listed in one finding's evidence at most (the count stays exact). */
export const MAX_LEAKED_IDS = 10_000;

/** One goroutine leak snapshot: a goroutineleak profile (proto / debug=1) or a goroutine dump. */
export interface LeakInput {
  name: string;
  imported: ImportedProfile;
}

/** pprof labels printed in a debug=2 header (Go 1.27 modules; 1.26 with GODEBUG=tracebacklabels=1), as "k=v", sorted. */
function recordLabels(g: GoroutineRecord): string[] {
  return (g.labels ?? []).map((l) => `${l.key}=${l.value}`).sort();
}

/** Whether an imported profile holds leak information: a goroutineleak profile, or a dump with leaked goroutines. */
export function isLeakInput(imp: ImportedProfile): boolean {
  if (imp.profileKind === 'goroutineleak') return true;
  return imp.goroutines !== undefined && imp.goroutines.some((g) => g.leaked);
}

function sampleLabels(p: Profile, s: number): string[] {
  const out: string[] = [];
  for (let i = p.sampleLabelStart[s]!; i < p.sampleLabelStart[s + 1]!; i++) {
    const str = p.labelStr[i]!;
    if (str === 0) continue; // numeric labels are not pprof.Labels
    out.push(`${p.strings[p.labelKey[i]!]}=${p.strings[str]}`);
  }
  return out.sort();
}

interface StackAcc {
  frames: string[];
  count: number;
}

interface Group {
  subject: string;
  count: number;
  /** Goroutines per function, for an HTTP connection's readLoop/writeLoop pair (HTTP_SUBJECT). */
  parts: Map<string, number>;
  stacks: Map<string, StackAcc>;
  states: Map<string, number>;
  creators: Map<string, number>;
  creatorGoroutines: Set<number>;
  labels: Map<string, number>;
  ids: number[];
  maxWait: number | null;
}

class Groups {
  readonly map = new Map<string, Group>();
  add(frames: string[], count: number, extra: { state: string | null; labels: string[]; createdBy?: string; creatorGoroutine?: number; id?: number; waitMinutes?: number }): void {
    const stack = stackKeyFrames(frames);
    const fn = groupName(stack);
    // A leaked HTTP client connection is one finding, as the goroutine rules see it (and merged
    // with theirs): its readLoop and writeLoop goroutines together.
    const subject = HTTP_FUNCS.has(fn) ? HTTP_SUBJECT : fn;
    let g = this.map.get(subject);
    if (!g) {
      g = { subject, count: 0, parts: new Map(), stacks: new Map(), states: new Map(), creators: new Map(), creatorGoroutines: new Set(), labels: new Map(), ids: [], maxWait: null };
      this.map.set(subject, g);
    }
    g.count += count;
    if (subject === HTTP_SUBJECT) g.parts.set(fn, (g.parts.get(fn) ?? 0) + count);
    const key = stack.join('\n');
    const st = g.stacks.get(key) ?? { frames: stack, count: 0 };
    st.count += count;
    g.stacks.set(key, st);
    if (extra.state) g.states.set(extra.state, (g.states.get(extra.state) ?? 0) + count);
    if (extra.createdBy) g.creators.set(extra.createdBy, (g.creators.get(extra.createdBy) ?? 0) + count);
    if (extra.creatorGoroutine !== undefined) g.creatorGoroutines.add(extra.creatorGoroutine);
    if (extra.labels.length > 0) {
      const k = extra.labels.join(', ');
      g.labels.set(k, (g.labels.get(k) ?? 0) + count);
    }
    if (extra.id !== undefined) g.ids.push(extra.id);
    if (extra.waitMinutes !== undefined && (g.maxWait === null || extra.waitMinutes > g.maxWait)) g.maxWait = extra.waitMinutes;
  }
}

function byCount(m: Map<string, number>): Array<[string, number]> {
  return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The form a leak input is in, for the evidence. */
function formOf(imp: ImportedProfile): string {
  if (imp.goroutines !== undefined) return 'debug=2 goroutine dump';
  if (imp.format === 'goroutineleak-debug1') return 'goroutineleak profile, debug=1';
  return 'goroutineleak profile';
}

/** The leaked goroutines of one input, grouped by function. */
function leakGroups(imp: ImportedProfile): { groups: Groups; total: number } {
  const groups = new Groups();
  let total = 0;
  if (imp.goroutines !== undefined) {
    for (const g of imp.goroutines) {
      if (!g.leaked) continue;
      const extra: Parameters<Groups['add']>[2] = { state: g.state || null, labels: recordLabels(g), id: g.id };
      if (g.createdBy) {
        extra.createdBy = g.createdBy.func;
        if (g.createdBy.goroutine !== undefined) extra.creatorGoroutine = g.createdBy.goroutine;
      }
      if (g.waitMinutes !== undefined) extra.waitMinutes = g.waitMinutes;
      groups.add(
        g.frames.map((f) => f.func),
        1,
        extra,
      );
      total++;
    }
    return { groups, total };
  }
  const p = imp.profile;
  const nT = p.sampleTypes.length;
  let ti = p.sampleTypes.findIndex((t) => p.strings[t.type] === 'goroutineleak');
  if (ti < 0) ti = Math.max(0, nT - 1);
  for (let s = 0; s < p.sampleCount; s++) {
    const v = nT > 0 ? p.values[s * nT + ti]! : 0;
    if (!(v > 0)) continue;
    const frames = sampleFunctionNames(p, s);
    groups.add(frames, v, { state: inferWaitReason(frames), labels: sampleLabels(p, s) });
    total += v;
  }
  return { groups, total };
}

function findingsOf(input: LeakInput, program: string | null): { findings: Finding[]; total: number } {
  const { groups, total } = leakGroups(input.imported);
  const form = formOf(input.imported);
  const out: Finding[] = [];
  for (const g of groups.map.values()) {
    const states = byCount(g.states);
    const state = states.length > 0 ? states[0]![0] : null;
    const stacks = [...g.stacks.values()].sort((a, b) => b.count - a.count || (a.frames.join('\n') < b.frames.join('\n') ? -1 : 1));
    const creators = byCount(g.creators);
    const labels = byCount(g.labels);
    const who = `${g.count} goroutine${g.count === 1 ? '' : 's'}`;
    const details: string[] = [];
    if (creators.length > 0) details.push(`started by ${creators[0]![0]}`);
    if (labels.length > 0) details.push(`labels ${labels[0]![0]}`);
    if (g.maxWait !== null && g.maxWait > 0) details.push(`waiting up to ${fmtMinutes(g.maxWait)}`);
    const more = details.length > 0 ? ` (${details.join('; ')})` : '';
    let title = `${who} leaked in ${g.subject}${state ? ` [${state}]` : ''}: the Go runtime proved ${g.count === 1 ? 'it' : 'they'} can never run again${more}`;
    if (g.subject === HTTP_SUBJECT) {
      const conns = Math.max(...g.parts.values());
      title = `${conns} HTTP client connection${conns === 1 ? '' : 's'} leaked: response bodies never closed; the Go runtime proved their ${who} (readLoop/writeLoop) can never run again${more}`;
    }
    const ids = [...g.ids].sort((a, b) => a - b);
    const evidence: Finding['evidence'] = {
      count: g.count,
      function: g.subject,
      provenBy: 'the Go runtime goroutine leak detector (goroutineleak profile)',
      form,
      stack: stacks[0]!.frames,
      stacks: stacks.map((s) => s.frames.join(' ← ')),
      stackCounts: stacks.map((s) => s.count),
    };
    if (state !== null) evidence.state = state;
    if (states.length > 1) evidence.states = states.map(([s, c]) => `${s}: ${c}`);
    if (creators.length > 0) {
      evidence.createdBy = creators[0]![0];
      if (creators.length > 1) evidence.creators = creators.map(([s, c]) => `${s}: ${c}`);
    }
    if (g.creatorGoroutines.size > 0) evidence.creatorGoroutines = [...g.creatorGoroutines].sort((a, b) => a - b);
    if (labels.length > 0) {
      evidence.labels = labels.map(([s]) => s);
      evidence.labelCounts = labels.map(([, c]) => c);
    }
    if (ids.length > 0) {
      evidence.goroutineIds = ids.length > MAX_LEAKED_IDS ? ids.slice(0, MAX_LEAKED_IDS) : ids;
      if (ids.length > MAX_LEAKED_IDS) evidence.goroutineIdsTruncated = true;
    }
    if (g.maxWait !== null) evidence.longestWaitMinutes = g.maxWait;
    for (const [fn, c] of g.parts) evidence[fn.slice(`${HTTP_SUBJECT}.`.length)] = c;
    if (program !== null) evidence.program = program;
    const link: FindingLink = { view: 'goroutines', file: input.name, function: g.subject };
    if (state !== null) link.state = state;
    out.push({
      severity: 'high',
      kind: LEAKED_KIND,
      title,
      subject: g.subject,
      evidence,
      link,
      size: g.count * GOROUTINE_BYTES_ESTIMATE,
      sources: [input.name],
    });
  }
  return { findings: out, total };
}

/**
 * Findings from the leak inputs (ordered, latest last): for each program, the latest goroutineleak
 * profile (proto or debug=1) and the latest goroutine dump with leaked goroutines. Findings about
 * the same function from both forms are merged by the engine (mergeDuplicates).
 */
export function leakedGoroutineFindings(inputs: readonly LeakInput[], notes: string[]): Finding[] {
  if (inputs.length === 0) return [];
  const groups = groupByProgram(inputs.map((x) => profileProgram(x.imported.profile)));
  const out: Finding[] = [];
  for (const grp of groups) {
    const mine = grp.members.map((m) => inputs[m]!);
    // Named like the engine's series ("program 2 [...]"): findings of two programs never merge.
    const program = groups.length > 1 ? `${programLabel(grp)} [${describeProgram(grp.facts)}]` : null;
    const latest: LeakInput[] = [];
    const profiles = mine.filter((x) => x.imported.goroutines === undefined);
    const dumps = mine.filter((x) => x.imported.goroutines !== undefined);
    if (profiles.length > 0) latest.push(profiles[profiles.length - 1]!);
    if (dumps.length > 0) latest.push(dumps[dumps.length - 1]!);
    for (const x of latest) {
      const r = findingsOf(x, program);
      out.push(...r.findings);
      const where = program !== null ? ` (${program})` : '';
      notes.push(
        r.total === 0
          ? `${x.name}: the Go runtime's leak check found no leaked goroutines${where}`
          : `${x.name}: ${r.total} goroutine${r.total === 1 ? '' : 's'} the Go runtime proved leaked, in ${r.findings.length} function${r.findings.length === 1 ? '' : 's'}${where}`,
      );
    }
    const older = mine.filter((x) => !latest.includes(x));
    if (older.length > 0) notes.push(`leaked goroutines: read the latest of each form only (leaked goroutines stay leaked); not read: ${older.map((x) => x.name).join(', ')}`);
  }
  return out;
}
