/**
 * pprof's RemoveUninteresting (profile.Prune with drop_frames / keep_frames), which `go tool pprof`
 * applies to every profile right after loading it. Computed once per profile and cached; the model
 * itself is never modified. Result: for each location the first line that survives, and for each
 * sample the first location (leaf side) that survives.
 */
import type { Profile } from '../model';
import { compileAnchoredGoRegex } from './regex';

export interface PruneInfo {
  /** Per location: index of its first surviving line (== locLineStart when nothing is pruned). */
  locLineFrom: Uint32Array;
  /** Per sample: offset into sampleLocs of its first surviving location. */
  sampleLocFrom: Uint32Array;
}

const reservedNames = ['(anonymous namespace)', 'operator()'];

/** pprof's simplifyFunc: drop a leading '.', cut the argument list at the first non-reserved '('. */
export function simplifyFunc(f: string): string {
  let name = f.startsWith('.') ? f.slice(1) : f;
  let i = 0;
  while (i < name.length) {
    const p = name.indexOf('(', i);
    // Find the earliest of '(' and reserved names (bracketRx alternation, leftmost match).
    let best = p;
    let bestLen = 1;
    let reserved = false;
    for (const r of reservedNames) {
      const q = name.indexOf(r, i);
      if (q >= 0 && (best < 0 || q < best || (q === best && r.length > bestLen))) {
        best = q;
        bestLen = r.length;
        reserved = true;
      }
    }
    if (best < 0) break;
    if (!reserved || (best === p && bestLen === 1)) {
      name = name.slice(0, best);
      break;
    }
    i = best + bestLen;
  }
  return name;
}

const cache = new WeakMap<Profile, PruneInfo>();

export function pruneInfo(p: Profile): PruneInfo {
  let info = cache.get(p);
  if (!info) {
    info = computePrune(p);
    cache.set(p, info);
  }
  return info;
}

function computePrune(p: Profile): PruneInfo {
  const nLoc = p.locationCount;
  const locLineFrom = p.locLineStart.slice(0, nLoc);
  const sampleLocFrom = p.sampleLocStart.slice(0, p.sampleCount);
  const dropSrc = p.dropFrames ? p.strings[p.dropFrames]! : '';
  if (dropSrc === '') return { locLineFrom, sampleLocFrom };
  const drop = compileAnchoredGoRegex(dropSrc);
  if (!drop) return { locLineFrom, sampleLocFrom };
  const keepSrc = p.keepFrames ? p.strings[p.keepFrames]! : '';
  const keep = keepSrc !== '' ? compileAnchoredGoRegex(keepSrc) : null;
  if (keepSrc !== '' && !keep) return { locLineFrom, sampleLocFrom };

  // 1 = prune the whole location, 2 = prune beneath it.
  const mark = new Uint8Array(nLoc);
  const matchCache = new Map<number, boolean>();
  const matches = (fi: number): boolean => {
    const nameIdx = p.funcName[fi]!;
    if (nameIdx === 0) return false;
    let m = matchCache.get(nameIdx);
    if (m === undefined) {
      const fn = simplifyFunc(p.strings[nameIdx]!);
      m = drop.test(fn) && (keep === null || !keep.test(fn));
      matchCache.set(nameIdx, m);
    }
    return m;
  };
  let any = false;
  for (let l = 0; l < nLoc; l++) {
    const s = p.locLineStart[l]!;
    const e = p.locLineStart[l + 1]!;
    let i = e - 1;
    for (; i >= s; i--) {
      const fi = p.lineFunc[i]!;
      if (fi >= 0 && matches(fi)) break;
    }
    if (i >= s) {
      any = true;
      if (i === e - 1) mark[l] = 1;
      else {
        mark[l] = 2;
        locLineFrom[l] = i + 1;
      }
    }
  }
  if (!any) return { locLineFrom, sampleLocFrom };
  for (let si = 0; si < p.sampleCount; si++) {
    const s = p.sampleLocStart[si]!;
    const e = p.sampleLocStart[si + 1]!;
    let foundUser = false;
    for (let i = e - 1; i >= s; i--) {
      const m = mark[p.sampleLocs[i]!]!;
      if (m === 0) {
        foundUser = true;
        continue;
      }
      if (!foundUser) continue;
      sampleLocFrom[si] = m === 1 ? i + 1 : i;
      break;
    }
  }
  return { locLineFrom, sampleLocFrom };
}
