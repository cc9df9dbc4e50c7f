/**
 * Goroutine snapshots from any source, and their comparison.
 *
 * Sources: a goroutine profile (proto or debug=1: counts per stack), a debug=2 dump (one record per
 * goroutine: state, wait minutes, creator, id) or a heap dump (goroutine records with wait reason and
 * the memory each goroutine alone retains).
 *
 * Groups are keyed by stack, one normalisation for every form (stackKeyFrames, stackKey): canonical
 * generic names, compiler wrappers dropped, runtime frames trimmed at both ends, keyed from the
 * innermost frame of the user's code; so one moment captured as a proto profile, a debug=2 dump and
 * a heap dump gives the same keys (test/unit/compare/goroutine-forms.test.ts). Known limit: heap
 * dumps list physical frames only, so a user function inlined into its caller is missing there.
 * When a source has states, the group is (stack, state). Proto profiles have no states: the state is inferred from
 * the runtime and sync frames above the first user frame (runtime.chanrecv → "chan receive",
 * sync.(*Mutex).Lock → "sync.Mutex.Lock", ...: waitreasons.ts); debug=1 text loses those frames and
 * stays without a state. States are as the newest Go prints them: Go 1.19's "semacquire" is named
 * by the sync method in the stack ("sync.Mutex.Lock", "sync.WaitGroup.Wait", ...), so one program's
 * goroutines get the same state on every version; the (leaked)/(durable) suffixes are not part of it.
 */
import type { HeapAnalysis } from '../heap';
import type { ImportedProfile } from '../profile';
import { inferWaitReason, normalizeWaitReason } from '../profile/legacy/waitreasons';
import { canonicalFunctionName, isCompilerWrapper, sampleFunctionNames } from '../profile/names';
import type {
  GoroutineComparison,
  GoroutineGroup,
  GoroutineSnapshot,
  GoroutineStackDelta,
  GoroutineStackStateDelta,
  GoroutineStateDelta,
  LongWaiter,
  Presence,
} from './types';

/** Ids kept per group. */
export const MAX_IDS = 100;

export function isRuntimeFrame(name: string): boolean {
  return name.startsWith('runtime.') || name.startsWith('runtime/internal/') || name.startsWith('internal/runtime/');
}

/**
 * A goroutine's stack as every form shows it (innermost first in and out): the one normalisation
 * of proto and debug=1 profiles, debug=2 dumps and heap dumps.
 *  - generic instantiations named canonically (`F[go.shape.int]` of proto and heap dumps, `F[...]`
 *    of text: `F[...]`);
 *  - compiler wrappers dropped (`gowrapN`, `deferwrapN`, `-fm`): heap dumps list them, tracebacks
 *    and profiles hide them; so is the `go` statement's `funcN` wrapper of Go before 1.22 (the
 *    outermost `X.funcN` under a frame of the user's code: a real closure there is dropped in every
 *    form alike; one that calls into the standard library names the goroutine and stays);
 *  - runtime frames trimmed at both ends (runtime.gopark … above, runtime.goexit below).
 * A stack with only runtime frames is kept whole (runtime goroutines: GC workers, finalizers).
 */
export function stackKeyFrames(frames: readonly string[]): string[] {
  const named: string[] = [];
  let wrapper: string | null = null;
  for (const f of frames) {
    if (isCompilerWrapper(f)) {
      if (!isRuntimeFrame(f)) wrapper = canonicalFunctionName(f);
      continue;
    }
    named.push(canonicalFunctionName(f));
  }
  // A heap dump read without its binary lists `go w.run()` as its wrapper only when run was inlined
  // into it: the wrapper is then the goroutine's only code of its own (the rest is the runtime's and
  // the standard library's: time.Sleep, sync waits), and stays (before goexit).
  if (wrapper !== null && !named.some((f) => !isStdlib(f))) {
    const exit = named.length > 0 && named[named.length - 1] === 'runtime.goexit' ? 1 : 0;
    named.splice(named.length - exit, 0, wrapper);
  }
  let a = 0;
  let b = named.length;
  while (a < b && isRuntimeFrame(named[a]!)) a++;
  while (b > a && isRuntimeFrame(named[b - 1]!)) b--;
  if (a === b) return named.filter((f) => f !== 'runtime.goexit');
  if (b - a > 1 && /\.func\d+$/.test(named[b - 1]!) && !named[b - 2]!.startsWith(`${named[b - 1]}.`) && !isStdlib(named[b - 2]!)) b--;
  return named.slice(a, b);
}

/**
 * The key of a normalised stack: from the innermost frame of the user's code outwards. Standard
 * library frames above it (sync.(*Mutex).Lock, time.Sleep, internal/sync…) are what the goroutine
 * waits in (its state says so), and heap dumps list only physical frames, without the inlined ones
 * tracebacks and profiles show: keyed on them, one moment gave different keys per form. A stack
 * entirely in the standard library keys on all its frames.
 */
export function stackKey(stack: readonly string[]): string {
  let a = 0;
  while (a < stack.length && isStdlib(stack[a]!)) a++;
  return (a < stack.length ? stack.slice(a) : stack).join('\n');
}

/** Package path of a Go function name ("net/http.(*conn).serve" → "net/http"). */
export function packageOf(fn: string): string {
  let end = fn.length;
  for (const c of ['(', '[']) {
    const i = fn.indexOf(c);
    if (i >= 0 && i < end) end = i;
  }
  const head = fn.slice(0, end);
  const slash = head.lastIndexOf('/');
  const dot = head.indexOf('.', slash + 1);
  return dot >= 0 ? head.slice(0, dot) : head;
}

/** Standard library package (first path element without a dot; "main" is the user's). */
export function isStdlib(fn: string): boolean {
  const pkg = packageOf(fn);
  if (pkg === 'main') return false;
  const first = pkg.split('/')[0]!;
  return !first.includes('.');
}

/**
 * What a group is called: the innermost frame of the user's code (not the standard library), else,
 * for goroutines entirely in the standard library (net/http servers and clients, ...), the function
 * the goroutine was started with (its outermost frame).
 */
export function groupName(stack: string[]): string {
  if (stack.length === 0) return '(no frames)';
  for (const f of stack) if (!isStdlib(f)) return f;
  // Heap dumps list the compiler's wrapper of `go f(x)` (pkg.caller.funcN, Go 1.21+: gowrapN) below f.
  let k = stack.length - 1;
  if (k > 0 && /\.(?:func|gowrap)\d+$/.test(stack[k]!) && !stack[k - 1]!.startsWith(`${stack[k]}.`)) k--;
  return stack[k]!;
}

class GroupSet {
  private readonly map = new Map<string, GoroutineGroup>();
  add(frames: string[], state: string | null, count: number, extra: { createdBy?: string | null; waitMinutes?: number | null; id?: number; retained?: number; system?: boolean }): void {
    const stack = stackKeyFrames(frames);
    const key = stackKey(stack);
    const gk = `${key}\u0000${state ?? ''}`;
    let g = this.map.get(gk);
    if (!g) {
      g = {
        key,
        function: groupName(stack),
        stack,
        state,
        count: 0,
        createdBy: extra.createdBy ?? null,
        maxWaitMinutes: null,
        waits: [],
        ids: [],
        system: extra.system ?? stack.every(isRuntimeFrame),
      };
      this.map.set(gk, g);
    }
    g.count += count;
    if (extra.waitMinutes !== undefined && extra.waitMinutes !== null) {
      g.waits.push(extra.waitMinutes);
      if (g.maxWaitMinutes === null || extra.waitMinutes > g.maxWaitMinutes) g.maxWaitMinutes = extra.waitMinutes;
    }
    if (extra.id !== undefined && g.ids.length < MAX_IDS) g.ids.push(extra.id);
    if (extra.retained !== undefined) g.retainedBytes = (g.retainedBytes ?? 0) + extra.retained;
  }
  groups(): GoroutineGroup[] {
    return [...this.map.values()].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || (a.state ?? '').localeCompare(b.state ?? ''));
  }
}

/** A goroutine snapshot from an imported goroutine profile (proto, debug=1 or debug=2). */
export function goroutineSnapshot(name: string, imported: ImportedProfile): GoroutineSnapshot {
  const set = new GroupSet();
  let total = 0;
  if (imported.goroutines) {
    for (const g of imported.goroutines) {
      const frames = g.frames.map((f) => f.func);
      // Go 1.19's "semacquire" is named by its sync method, as newer Go prints it.
      set.add(frames, g.state ? normalizeWaitReason(g.state, frames) : null, 1, { createdBy: g.createdBy?.func ?? null, waitMinutes: g.waitMinutes ?? null, id: g.id });
      total++;
    }
    return { name, source: 'debug2', total, hasStates: true, groups: set.groups() };
  }
  const p = imported.profile;
  const nT = p.sampleTypes.length;
  let ti = p.sampleTypes.findIndex((t) => p.strings[t.type] === 'goroutine');
  if (ti < 0) ti = Math.max(0, nT - 1);
  let inferred = false;
  for (let s = 0; s < p.sampleCount; s++) {
    const v = p.values[s * nT + ti]!;
    if (v === 0) continue;
    const frames = sampleFunctionNames(p, s);
    const state = inferWaitReason(frames);
    if (state !== null) inferred = true;
    set.add(frames, state, v, {});
    total += v;
  }
  return { name, source: 'profile', total, hasStates: inferred, groups: set.groups() };
}

/** A goroutine snapshot from a heap dump: wait reasons, lower-bound waits, retained bytes per goroutine. */
export function goroutineSnapshotFromHeap(name: string, a: HeapAnalysis): GoroutineSnapshot {
  const set = new GroupSet();
  const roots = a.graph.roots;
  for (let r = 0; r < roots.length; r++) {
    const root = roots[r]!;
    const gi = root.goroutine;
    if (root.kind !== 'goroutine' || !gi) continue;
    const state = gi.status === 'waiting' && gi.waitReason ? normalizeWaitReason(gi.waitReason, gi.frames) : gi.status;
    const waitNs = gi.waitedAtLeastNs !== undefined ? Number(gi.waitedAtLeastNs) : null;
    set.add(gi.frames, state, 1, {
      waitMinutes: waitNs !== null ? waitNs / 60e9 : null,
      id: gi.goid,
      retained: a.retainedBytes[root.node]!,
      system: gi.system,
    });
  }
  const groups = set.groups();
  const total = groups.reduce((x, g) => x + g.count, 0);
  return { name, source: 'heapdump', total, hasStates: true, groups };
}

function presence(b: number, t: number): Presence {
  if (b === 0 && t !== 0) return 'new';
  if (t === 0 && b !== 0) return 'gone';
  return 'both';
}

/** Goroutine counts of two snapshots side by side: by stack, and by state when both sides have states. */
export function compareGoroutines(base: GoroutineSnapshot, target: GoroutineSnapshot): GoroutineComparison {
  interface Acc {
    key: string;
    function: string;
    stack: string[];
    base: number;
    target: number;
    tStates: Set<string>;
    bStates: Set<string>;
    wait: number | null;
  }
  // Runtime goroutines (GC workers, finalizers) are in heap dumps and GOTRACEBACK=system crash
  // dumps, never in profiles: compared only when both sides list them.
  const withSystem = base.groups.some((g) => g.system) === target.groups.some((g) => g.system);
  const keep = (s: GoroutineSnapshot): { total: number; groups: GoroutineGroup[] } => {
    if (withSystem) return s;
    const groups = s.groups.filter((g) => !g.system);
    return { total: s.total - s.groups.reduce((n, g) => n + (g.system ? g.count : 0), 0), groups };
  };
  const b0 = keep(base);
  const t0 = keep(target);
  const stacks = new Map<string, Acc>();
  const acc = (g: GoroutineGroup): Acc => {
    let x = stacks.get(g.key);
    if (!x) {
      x = { key: g.key, function: g.function, stack: g.stack, base: 0, target: 0, tStates: new Set(), bStates: new Set(), wait: null };
      stacks.set(g.key, x);
    }
    return x;
  };
  for (const g of b0.groups) {
    const x = acc(g);
    x.base += g.count;
    if (g.state) x.bStates.add(g.state);
  }
  for (const g of t0.groups) {
    const x = acc(g);
    x.target += g.count;
    if (g.state) x.tStates.add(g.state);
    if (g.maxWaitMinutes !== null && (x.wait === null || g.maxWaitMinutes > x.wait)) x.wait = g.maxWaitMinutes;
  }
  const byStack: GoroutineStackDelta[] = [...stacks.values()]
    .map((x) => ({
      key: x.key,
      function: x.function,
      stack: x.stack,
      base: x.base,
      target: x.target,
      delta: x.target - x.base,
      status: presence(x.base, x.target),
      states: [...(x.tStates.size > 0 ? x.tStates : x.bStates)].sort(),
      maxWaitMinutes: x.wait,
    }))
    .sort((a, b) => b.delta - a.delta || b.target - a.target || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let byState: GoroutineStateDelta[] | null = null;
  let byStackAndState: GoroutineStackStateDelta[] | null = null;
  if (base.hasStates && target.hasStates) {
    const st = new Map<string, GoroutineStateDelta>();
    const sst = new Map<string, GoroutineStackStateDelta>();
    const add = (g: GoroutineGroup, side: 'base' | 'target'): void => {
      const s = g.state ?? '(unknown)';
      let a = st.get(s);
      if (!a) st.set(s, (a = { state: s, base: 0, target: 0, delta: 0 }));
      a[side] += g.count;
      const k = `${g.key}\u0000${s}`;
      let b = sst.get(k);
      if (!b) sst.set(k, (b = { key: g.key, function: g.function, state: s, base: 0, target: 0, delta: 0 }));
      b[side] += g.count;
    };
    for (const g of b0.groups) add(g, 'base');
    for (const g of t0.groups) add(g, 'target');
    const fin = <T extends GoroutineStateDelta>(xs: T[]): T[] => {
      for (const x of xs) x.delta = x.target - x.base;
      return xs.sort((a, b) => b.delta - a.delta || b.target - a.target || (a.state < b.state ? -1 : a.state > b.state ? 1 : 0));
    };
    byState = fin([...st.values()]);
    byStackAndState = fin([...sst.values()]);
  }
  return {
    base: { name: base.name, total: b0.total },
    target: { name: target.name, total: t0.total },
    delta: t0.total - b0.total,
    byStack,
    byState,
    byStackAndState,
  };
}

/** Groups with goroutines waiting at least `minMinutes`, longest first. */
export function longWaiters(s: GoroutineSnapshot, minMinutes: number): LongWaiter[] {
  const out: LongWaiter[] = [];
  for (const g of s.groups) {
    let n = 0;
    let max = 0;
    for (const w of g.waits) {
      if (w >= minMinutes) {
        n++;
        if (w > max) max = w;
      }
    }
    if (n > 0) out.push({ key: g.key, function: g.function, state: g.state, count: n, maxWaitMinutes: max });
  }
  return out.sort((a, b) => b.maxWaitMinutes - a.maxWaitMinutes || b.count - a.count);
}

/** Goroutine counts per function key across snapshots (for series trends). */
export function countsByStack(s: GoroutineSnapshot): Map<string, { function: string; count: number }> {
  const m = new Map<string, { function: string; count: number }>();
  for (const g of s.groups) {
    const x = m.get(g.key);
    if (x) x.count += g.count;
    else m.set(g.key, { function: g.function, count: g.count });
  }
  return m;
}
