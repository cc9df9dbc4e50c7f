/**
 * Source locations for SARIF: the file and line of an allocation site or of a goroutine's function,
 * taken from the profiles and dumps themselves (pprof Line entries, heap dump allocation stacks, and
 * a heap dump's goroutine frames through the binary's line tables).
 * For each function, the line that carries the most weight (bytes or goroutines) wins: the line that
 * allocates, or the line a goroutine waits on.
 */
import type { Finding, FindingsInput } from '../findings';
import type { AllocFrame } from '../heap';
import type { Profile } from '../profile';
import { isRuntimeFrame, isStdlib } from '../compare/goroutines';
import { canonicalFunctionName } from '../profile/names';
import type { SourceLocation } from './types';

type ByFunction = Map<string, { file: string; line: number; weight: number; caller?: string }>;

export interface LocationIndex {
  /** From heap/allocs (and other non-goroutine) profiles and heap dump allocation stacks. */
  byFunction: ByFunction;
  /** From goroutine profiles and dumps: where goroutines of a function wait. */
  goroutines: ByFunction;
  /**
   * A standard library function that allocates (strings.(*Builder).Write) → the line of the
   * program's own code that called it, the heaviest: a location in GOROOT is no place to fix
   * anything, and a code scanning tool annotates only the repository's files.
   */
  callers: ByFunction;
}

function add(ix: ByFunction, fn: string, file: string, line: number, weight: number, sub: Map<string, number>, caller?: string): void {
  if (!fn || !file || !(line > 0)) return;
  const k = `${fn}\u0000${caller ?? ''}\u0000${file}\u0000${line}`;
  const w = (sub.get(k) ?? 0) + weight;
  sub.set(k, w);
  const cur = ix.get(fn);
  if (!cur || w > cur.weight) ix.set(fn, caller === undefined ? { file, line, weight: w } : { file, line, weight: w, caller });
}

interface StackFrame {
  fn: string;
  file: string;
  line: number;
}

/**
 * A stack (innermost first) whose first frame past the runtime is in the standard library: that
 * function's caller in the program's own code, weighted.
 */
function addCaller(ix: ByFunction, frames: readonly StackFrame[], weight: number, sub: Map<string, number>): void {
  let i = 0;
  while (i < frames.length && isRuntimeFrame(frames[i]!.fn)) i++;
  const site = frames[i];
  if (!site || !isStdlib(site.fn)) return;
  for (let j = i + 1; j < frames.length; j++) {
    const f = frames[j]!;
    if (isStdlib(f.fn) || isRuntimeFrame(f.fn)) continue;
    add(ix, site.fn, f.file, f.line, weight, sub, f.fn);
    return;
  }
}

function addProfile(ix: ByFunction, p: Profile, sub: Map<string, number>, callers?: { ix: ByFunction; sub: Map<string, number> }): void {
  const nT = p.sampleTypes.length;
  let vi = p.sampleTypes.findIndex((t) => p.strings[t.type] === 'inuse_space');
  if (vi < 0) vi = nT - 1;
  const stack: StackFrame[] = [];
  for (let s = 0; s < p.sampleCount; s++) {
    const w = Math.abs(nT > 0 ? p.values[s * nT + vi]! : 0) + 1;
    stack.length = 0;
    for (let j = p.sampleLocStart[s]!; j < p.sampleLocStart[s + 1]!; j++) {
      const loc = p.sampleLocs[j]!;
      for (let l = p.locLineStart[loc]!; l < p.locLineStart[loc + 1]!; l++) {
        const f = p.lineFunc[l]!;
        if (f < 0) continue;
        const fn = canonicalFunctionName(p.strings[p.funcName[f]!]!);
        const file = p.strings[p.funcFilename[f]!]!;
        add(ix, fn, file, p.lineLine[l]!, w, sub);
        stack.push({ fn, file, line: p.lineLine[l]! });
      }
    }
    if (callers) addCaller(callers.ix, stack, w, callers.sub);
  }
}

export function buildLocationIndex(inputs: readonly FindingsInput[]): LocationIndex {
  const ix: LocationIndex = { byFunction: new Map(), goroutines: new Map(), callers: new Map() };
  const sub = new Map<string, number>();
  const gsub = new Map<string, number>();
  const callers = { ix: ix.callers, sub: new Map<string, number>() };
  for (const x of inputs) {
    const k = x.kind === 'profile' ? x.imported.profileKind : null;
    if (x.kind === 'profile' && (k === 'goroutine' || k === 'goroutineleak')) addProfile(ix.goroutines, x.imported.profile, gsub);
    else if (x.kind === 'profile') addProfile(ix.byFunction, x.imported.profile, sub, callers);
    else if (x.kind === 'heapdump') {
      // By allocation stack, each weighed by what it keeps (one site is called from many places).
      const stacks = new Map<string, readonly AllocFrame[]>();
      const key = (frames: readonly AllocFrame[]): string => {
        const k = frames.map((f) => `${f.func}\u0000${f.file}\u0000${f.line}`).join('\u0001');
        stacks.set(k, frames);
        return k;
      };
      for (const row of x.analysis.groupByAllocStack({ kind: 'reachable' }, key)) {
        const stack = stacks.get(row.key)!.map((f) => ({ fn: canonicalFunctionName(f.func), file: f.file, line: f.line }));
        // Every frame: a finding may name the program's function that called the allocator.
        for (const f of stack) add(ix.byFunction, f.fn, f.file, f.line, row.bytes + 1, sub);
        addCaller(callers.ix, stack, row.bytes + 1, callers.sub);
      }
      // Where its goroutines wait, from the binary's line tables (a dump's frames carry pcs only).
      for (const w of x.analysis.goroutineFrameLines()) add(ix.goroutines, canonicalFunctionName(w.function), w.file, w.line, w.goroutines, gsub);
    }
  }
  return ix;
}

/** "main.loadBlob (main.go:116)" → its parts. */
function parseSiteLabel(s: string): { fn: string; file?: string; line?: number } {
  const m = /^(.*) \(([^()]*):(\d+)\)$/.exec(s);
  return m ? { fn: m[1]!, file: m[2]!, line: Number(m[3]) } : { fn: s };
}

function endsWithFile(full: string, base: string): boolean {
  return full === base || full.endsWith(`/${base}`);
}

/** The location of a function (or site label), if any input knows it. */
export function locate(ix: LocationIndex, nameOrSite: string, goroutines = false): SourceLocation | undefined {
  const p = parseSiteLabel(nameOrSite);
  const fn = canonicalFunctionName(p.fn.replace(/^global /, ''));
  for (const m of goroutines ? [ix.goroutines, ix.byFunction] : [ix.byFunction, ix.goroutines]) {
    const known = m.get(fn);
    if (known && (p.file === undefined || endsWithFile(known.file, p.file))) return { file: known.file, line: p.line ?? known.line, function: fn };
  }
  return undefined;
}

const GOROUTINE_KINDS = new Set(['goroutine-pileup', 'goroutines-blocked', 'http-body-not-closed', 'leaked-goroutines']);

/**
 * Where a finding points: its allocation site, the goroutines' function, a root's biggest sampled
 * site, the goroutines sharing a group of objects, else its subject; a standard library site by its
 * caller in the program's own code.
 */
export function locateFinding(ix: LocationIndex, f: Finding): SourceLocation | undefined {
  const cands: string[] = [];
  const l = f.link;
  if ((l.view === 'heap' || l.view === 'heapdiff') && l.allocSite) cands.push(l.allocSite);
  for (const k of ['filledBy', 'accumulationAllocSite', 'arraysCaller', 'arraySite', 'function']) {
    const v = f.evidence[k];
    if (typeof v === 'string') cands.push(v);
  }
  if ('function' in l && typeof l.function === 'string') cands.push(l.function);
  // Objects several roots share, none with an allocation sample: where the goroutines sharing them are.
  const sharing = f.evidence.sharingGoroutines;
  if (Array.isArray(sharing) && typeof sharing[0] === 'string') cands.push(sharing[0]);
  // A root's finding: the sampled site that filled it most ("main.fill (main.go:12): 3 MiB in …").
  const sites = f.evidence.biggestSites;
  if (Array.isArray(sites))
    for (const x of sites) {
      const m = /^(.* \([^()]*:\d+\)): /.exec(String(x));
      if (m) cands.push(m[1]!);
    }
  cands.push(f.subject);
  for (const c of cands) {
    const loc = locate(ix, c, GOROUTINE_KINDS.has(f.kind));
    if (!loc) continue;
    const caller = isStdlib(loc.function) ? ix.callers.get(loc.function) : undefined;
    return caller?.caller ? { file: caller.file, line: caller.line, function: caller.caller } : loc;
  }
  return undefined;
}
