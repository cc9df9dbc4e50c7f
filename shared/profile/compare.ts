/**
 * Profile comparison with `go tool pprof`'s semantics:
 *   -diff_base B: B's samples are labelled pprof::base=true and negated, then merged with the
 *                 target; percentages are of the base total (see profileTotal).
 *   -base B:      B's samples are negated and merged (plain subtraction, for cumulative profiles
 *                 such as allocs/block/mutex taken later from the same process).
 *   normalize:    the target is first scaled so each sample type's total equals the base's.
 * Merging follows profile.Merge: equal stacks (same mapping, address relative to the mapping,
 * functions, lines) with equal labels become one sample; samples that sum to zero disappear.
 * The result is an ordinary Profile every analysis accepts.
 */
import { HeapscopeError } from '../errors';
import { ProfileBuilder } from './builder';
import { u64Num, type Profile } from './model';

export type CompareMode = 'diff_base' | 'base';

/** Go's math.Round (half away from zero). */
function goRound(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

function sampleTypesOf(p: Profile): string[] {
  return p.sampleTypes.map((t) => `${p.strings[t.type]}/${p.strings[t.unit]}`);
}

export function compareProfiles(target: Profile, base: Profile, mode: CompareMode, opts: { normalize?: boolean } = {}): Profile {
  const tt = sampleTypesOf(target);
  const bt = sampleTypesOf(base);
  if (tt.join(',') !== bt.join(',')) {
    throw new HeapscopeError({ code: 'BAD_REQUEST', message: `incompatible profiles: sample types [${tt.join(' ')}] vs [${bt.join(' ')}]` });
  }
  const nT = tt.length;
  const scaleT = new Array<number>(nT).fill(1);
  if (opts.normalize) {
    for (let t = 0; t < nT; t++) {
      let sb = 0;
      let st = 0;
      for (let s = 0; s < base.sampleCount; s++) sb += base.values[s * nT + t]!;
      for (let s = 0; s < target.sampleCount; s++) st += target.values[s * nT + t]!;
      scaleT[t] = st === 0 ? 0 : sb / st;
    }
  }

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

  // Merged samples: key → index into acc.
  const sampleIdx = new Map<string, number>();
  const accLocs: number[][] = [];
  const accVals: number[][] = [];
  const accLabels: Array<Array<{ key: string; str?: string; num?: number; unit?: string }>> = [];

  const add = (p: Profile, ratios: number[], isBase: boolean): void => {
    const S = p.strings;
    // Location keys as pprof's Merge computes them, and their merged index.
    const locKey: string[] = new Array<string>(p.locationCount);
    const locIdx = new Int32Array(p.locationCount).fill(-1);
    const keyOf = (l: number): string => {
      let k = locKey[l];
      if (k !== undefined) return k;
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
      const lines: string[] = [];
      for (let j = p.locLineStart[l]!; j < p.locLineStart[l + 1]!; j++) {
        const fi = p.lineFunc[j]!;
        const fk = fi >= 0 ? `${S[p.funcName[fi]!]}\u0001${S[p.funcSystemName[fi]!]}\u0001${S[p.funcFilename[fi]!]}\u0001${p.funcStartLine[fi]}` : '';
        lines.push(`${fk}\u0002${p.lineLine[j]}`);
      }
      k = `${mk}\u0003${addr}\u0003${p.locIsFolded[l]}\u0003${lines.join('\u0004')}`;
      locKey[l] = k;
      return k;
    };
    const mergedLoc = (l: number): number => {
      let m = locIdx[l]!;
      if (m >= 0) return m;
      const k = keyOf(l);
      const lines = [];
      for (let j = p.locLineStart[l]!; j < p.locLineStart[l + 1]!; j++) {
        const fi = p.lineFunc[j]!;
        if (fi < 0) continue;
        lines.push({ func: b.func(S[p.funcName[fi]!]!, S[p.funcFilename[fi]!]!), line: p.lineLine[j]! });
      }
      m = b.location(k, 0, lines);
      locIdx[l] = m;
      return m;
    };
    for (let s = 0; s < p.sampleCount; s++) {
      const vals: number[] = [];
      let nonZero = false;
      for (let t = 0; t < nT; t++) {
        const v = p.values[s * nT + t]!;
        const r = ratios[t]!;
        const x = r !== 1 ? goRound(v * r) : v;
        vals.push(x);
        if (x !== 0) nonZero = true;
      }
      if (!nonZero) continue;
      const locs: number[] = [];
      for (let i = p.sampleLocStart[s]!; i < p.sampleLocStart[s + 1]!; i++) locs.push(mergedLoc(p.sampleLocs[i]!));
      const labels: Array<{ key: string; str?: string; num?: number; unit?: string }> = [];
      for (let j = p.sampleLabelStart[s]!; j < p.sampleLabelStart[s + 1]!; j++) {
        const key = S[p.labelKey[j]!]!;
        if (isBase && key === 'pprof::base') continue;
        if (p.labelStr[j] !== 0) labels.push({ key, str: S[p.labelStr[j]!]! });
        else labels.push({ key, num: p.labelNum[j]!, unit: p.labelNumUnit[j] ? S[p.labelNumUnit[j]!]! : '' });
      }
      if (isBase && mode === 'diff_base') labels.push({ key: 'pprof::base', str: 'true' });
      const labelKey = labels
        .map((x) => `${x.key}=${x.str ?? `${x.num}${x.unit}`}`)
        .sort()
        .join(',');
      const key = `${locs.join(',')}|${labelKey}`;
      const at = sampleIdx.get(key);
      if (at === undefined) {
        sampleIdx.set(key, accLocs.length);
        accLocs.push(locs);
        accVals.push(vals);
        accLabels.push(labels);
      } else {
        const acc = accVals[at]!;
        for (let t = 0; t < nT; t++) acc[t] += vals[t]!;
      }
    }
  };
  add(target, scaleT, false);
  add(
    base,
    new Array<number>(nT).fill(-1),
    true,
  );
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
