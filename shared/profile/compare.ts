/**
 * Profile comparison with `go tool pprof`'s semantics, the merged profile built exactly as pprof
 * does (driver/fetch.go):
 *
 *   p     = Merge(target)                  identical samples combined first
 *   -diff_base: base.SetLabel("pprof::base", "true")   (replaces any label of that key)
 *   -normalize: p.Normalize(base)          per type: ratio = Σbase / Σp, then ScaleN on the merged
 *                                          samples: round half away from zero; a sample whose scaled
 *                                          values are all 0 is dropped
 *   base.Scale(-1); Merge(p, base)         zero samples disappear
 *
 * -diff_base: percentages are of the base total (see profileTotal); -base: plain subtraction, for
 * cumulative profiles (allocs/block/mutex taken later from the same process), and a base that is
 * itself a saved diff keeps its pprof::base labels. Merging follows profile.Merge: equal stacks
 * (same mapping, address relative to the mapping, functions, lines) with equal labels become one
 * sample. The result is an ordinary Profile every analysis accepts.
 */
import { HeapscopeError } from '../errors';
import { ProfileBuilder } from './builder';
import { u64Num, type Profile } from './model';

export type CompareMode = 'diff_base' | 'base';

interface Label {
  key: string;
  str?: string;
  num?: number;
  unit?: string;
}

/** Go's math.Round (half away from zero). */
function goRound(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

function sampleTypesOf(p: Profile): string[] {
  return p.sampleTypes.map((t) => `${p.strings[t.type]}/${p.strings[t.unit]}`);
}

/** Σ value per sample type. */
export function profileTotals(p: Profile): number[] {
  const nT = p.sampleTypes.length;
  const out = new Array<number>(nT).fill(0);
  for (let s = 0; s < p.sampleCount; s++) for (let t = 0; t < nT; t++) out[t]! += p.values[s * nT + t]!;
  return out;
}

export function compareProfiles(target: Profile, base: Profile, mode: CompareMode, opts: { normalize?: boolean } = {}): Profile {
  const tt = sampleTypesOf(target);
  const bt = sampleTypesOf(base);
  if (tt.join(',') !== bt.join(',')) {
    throw new HeapscopeError({ code: 'BAD_REQUEST', message: `incompatible profiles: sample types [${tt.join(' ')}] vs [${bt.join(' ')}]` });
  }
  const nT = tt.length;

  const b = new ProfileBuilder();
  const out = b.p;
  out.sampleTypes = target.sampleTypes.map((t) => b.valueType(target.strings[t.type]!, target.strings[t.unit]!));
  if (target.periodType) out.periodType = b.valueType(target.strings[target.periodType.type]!, target.strings[target.periodType.unit]!);
  out.period = target.period;
  out.timeNanos = target.timeNanos;
  out.durationNanos = target.durationNanos;
  out.defaultSampleType = target.defaultSampleType ? b.st.intern(target.strings[target.defaultSampleType]!) : 0;
  out.dropFrames = target.dropFrames ? b.st.intern(target.strings[target.dropFrames]!) : 0;
  out.keepFrames = target.keepFrames ? b.st.intern(target.strings[target.keepFrames]!) : 0;
  out.comments = target.comments.map((c) => b.st.intern(target.strings[c]!));

  const sampleIdx = new Map<string, number>();
  const accLocs: number[][] = [];
  const accVals: number[][] = [];
  const accLabels: Label[][] = [];

  // Adds every non-zero sample of p (values times `sign`) to the accumulator; returns the indices
  // of the accumulated samples it touched, in first-touch order.
  const add = (p: Profile, sign: number, isBase: boolean): number[] => {
    const S = p.strings;
    const locIdx = new Int32Array(p.locationCount).fill(-1);
    const mergedLoc = (l: number): number => {
      let m = locIdx[l]!;
      if (m >= 0) return m;
      const mi = p.locMapping[l]!;
      let addr = u64Num(p.locAddress, l);
      let mk = '';
      if (mi >= 0) {
        const start = u64Num(p.mapStart, mi);
        addr -= start;
        let size = u64Num(p.mapLimit, mi) - start;
        size = size + 0x1000 - 1;
        size -= size % 0x1000;
        const id = p.mapBuildId[mi] ? S[p.mapBuildId[mi]!]! : S[p.mapFile[mi]!]!;
        mk = `${size}/${u64Num(p.mapOffset, mi)}/${id}`;
      }
      const keyLines: string[] = [];
      const lines: Array<{ func: number; line: number }> = [];
      for (let j = p.locLineStart[l]!; j < p.locLineStart[l + 1]!; j++) {
        const fi = p.lineFunc[j]!;
        const fk = fi >= 0 ? `${S[p.funcName[fi]!]}\u0001${S[p.funcSystemName[fi]!]}\u0001${S[p.funcFilename[fi]!]}\u0001${p.funcStartLine[fi]}` : '';
        keyLines.push(`${fk}\u0002${p.lineLine[j]}`);
        if (fi >= 0) lines.push({ func: b.func(S[p.funcName[fi]!]!, S[p.funcFilename[fi]!]!), line: p.lineLine[j]! });
      }
      const k = `${mk}\u0003${addr}\u0003${p.locIsFolded[l]}\u0003${keyLines.join('\u0004')}`;
      m = b.location(k, 0, lines);
      locIdx[l] = m;
      return m;
    };
    const touched: number[] = [];
    const seen = new Set<number>();
    for (let s = 0; s < p.sampleCount; s++) {
      let nonZero = false;
      for (let t = 0; t < nT; t++) if (p.values[s * nT + t] !== 0) nonZero = true;
      if (!nonZero) continue;
      const locs: number[] = [];
      for (let i = p.sampleLocStart[s]!; i < p.sampleLocStart[s + 1]!; i++) locs.push(mergedLoc(p.sampleLocs[i]!));
      const labels: Label[] = [];
      for (let j = p.sampleLabelStart[s]!; j < p.sampleLabelStart[s + 1]!; j++) {
        const key = S[p.labelKey[j]!]!;
        // -diff_base replaces the base's pprof::base label; -base keeps every label as it is.
        if (isBase && mode === 'diff_base' && key === 'pprof::base') continue;
        if (p.labelStr[j] !== 0) labels.push({ key, str: S[p.labelStr[j]!]! });
        else labels.push({ key, num: p.labelNum[j]!, unit: p.labelNumUnit[j] ? S[p.labelNumUnit[j]!]! : '' });
      }
      if (isBase && mode === 'diff_base') labels.push({ key: 'pprof::base', str: 'true' });
      const labelKey = labels
        .map((x) => `${x.key}=${x.str ?? `${x.num}${x.unit}`}`)
        .sort()
        .join(',');
      const key = `${locs.join(',')}|${labelKey}`;
      let at = sampleIdx.get(key);
      if (at === undefined) {
        at = accLocs.length;
        sampleIdx.set(key, at);
        accLocs.push(locs);
        accVals.push(new Array<number>(nT).fill(0));
        accLabels.push(labels);
      }
      const acc = accVals[at]!;
      for (let t = 0; t < nT; t++) acc[t]! += sign * p.values[s * nT + t]!;
      if (!seen.has(at)) {
        seen.add(at);
        touched.push(at);
      }
    }
    return touched;
  };

  const targetSamples = add(target, 1, false);
  if (opts.normalize) {
    const sb = profileTotals(base);
    const st = profileTotals(target);
    const ratios = sb.map((v, t) => (st[t] === 0 ? 0 : v / st[t]!));
    if (!ratios.every((r) => r === 1)) {
      for (const at of targetSamples) {
        const acc = accVals[at]!;
        let keep = false;
        for (let t = 0; t < nT; t++) {
          if (ratios[t] !== 1) acc[t] = goRound(acc[t]! * ratios[t]!);
          if (acc[t] !== 0) keep = true;
        }
        // pprof's ScaleN drops a sample whose scaled values are all zero.
        if (!keep) acc.fill(0);
      }
    }
  }
  add(base, -1, true);
  for (let i = 0; i < accLocs.length; i++) {
    if (accVals[i]!.every((v) => v === 0)) continue;
    b.sample(
      accLocs[i]!,
      accVals[i]!,
      accLabels[i]!.filter((x) => x.str !== undefined || (x.num ?? 0) !== 0 || (x.unit ?? '') !== ''),
    );
  }
  return b.build();
}
