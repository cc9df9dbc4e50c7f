/**
 * Source locations for SARIF: the file and line of an allocation site or of a goroutine's function,
 * taken from the profiles and dumps themselves (pprof Line entries, heap dump allocation stacks).
 * For each function, the line that carries the most weight (bytes or goroutines) wins: the line that
 * allocates, or the line a goroutine waits on.
 */
import type { Finding, FindingsInput } from '../findings';
import type { Profile } from '../profile';
import { canonicalFunctionName } from '../profile/names';
import type { SourceLocation } from './types';

type ByFunction = Map<string, { file: string; line: number; weight: number }>;

export interface LocationIndex {
  /** From heap/allocs (and other non-goroutine) profiles and heap dump allocation stacks. */
  byFunction: ByFunction;
  /** From goroutine profiles and dumps: where goroutines of a function wait. */
  goroutines: ByFunction;
}

function add(ix: ByFunction, fn: string, file: string, line: number, weight: number, sub: Map<string, number>): void {
  if (!fn || !file || !(line > 0)) return;
  const k = `${fn}\u0000${file}\u0000${line}`;
  const w = (sub.get(k) ?? 0) + weight;
  sub.set(k, w);
  const cur = ix.get(fn);
  if (!cur || w > cur.weight) ix.set(fn, { file, line, weight: w });
}

function addProfile(ix: ByFunction, p: Profile, sub: Map<string, number>): void {
  const nT = p.sampleTypes.length;
  let vi = p.sampleTypes.findIndex((t) => p.strings[t.type] === 'inuse_space');
  if (vi < 0) vi = nT - 1;
  for (let s = 0; s < p.sampleCount; s++) {
    const w = Math.abs(nT > 0 ? p.values[s * nT + vi]! : 0) + 1;
    for (let j = p.sampleLocStart[s]!; j < p.sampleLocStart[s + 1]!; j++) {
      const loc = p.sampleLocs[j]!;
      for (let l = p.locLineStart[loc]!; l < p.locLineStart[loc + 1]!; l++) {
        const f = p.lineFunc[l]!;
        if (f < 0) continue;
        add(ix, canonicalFunctionName(p.strings[p.funcName[f]!]!), p.strings[p.funcFilename[f]!]!, p.lineLine[l]!, w, sub);
      }
    }
  }
}

export function buildLocationIndex(inputs: readonly FindingsInput[]): LocationIndex {
  const ix: LocationIndex = { byFunction: new Map(), goroutines: new Map() };
  const sub = new Map<string, number>();
  const gsub = new Map<string, number>();
  for (const x of inputs) {
    const k = x.kind === 'profile' ? x.imported.profileKind : null;
    if (x.kind === 'profile' && (k === 'goroutine' || k === 'goroutineleak')) addProfile(ix.goroutines, x.imported.profile, gsub);
    else if (x.kind === 'profile') addProfile(ix.byFunction, x.imported.profile, sub);
    else if (x.kind === 'heapdump') {
      const a = x.analysis;
      for (const row of a.groupByAllocSite({ kind: 'reachable' }, 0, Number.MAX_SAFE_INTEGER).rows) {
        if (row.site < 0) continue;
        const site = a.sites[row.site]!;
        add(ix.byFunction, canonicalFunctionName(site.func), site.file, site.line, row.bytes + 1, sub);
      }
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

/** Where a finding points: its allocation site, the goroutines' function, else its subject. */
export function locateFinding(ix: LocationIndex, f: Finding): SourceLocation | undefined {
  const cands: string[] = [];
  const l = f.link;
  if ((l.view === 'heap' || l.view === 'heapdiff') && l.allocSite) cands.push(l.allocSite);
  for (const k of ['accumulationAllocSite', 'arraySite', 'function']) {
    const v = f.evidence[k];
    if (typeof v === 'string') cands.push(v);
  }
  if ('function' in l && typeof l.function === 'string') cands.push(l.function);
  cands.push(f.subject);
  for (const c of cands) {
    const loc = locate(ix, c, GOROUTINE_KINDS.has(f.kind));
    if (loc) return loc;
  }
  return undefined;
}
