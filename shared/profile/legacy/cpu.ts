/**
 * Legacy binary CPU profiles: the format Go's runtime/pprof wrote before Go 1.9 and gperftools'
 * CPU profiler (libprofiler, `CPUPROFILE=file`) still writes. Read exactly as google/pprof's
 * legacy_profile.go reads them (parseCPU, cpuProfile, parseCPUSamples, ParseMemoryMap,
 * cleanupDuplicateLocations), so `go tool pprof -symbolize=none` is the oracle.
 *
 * Layout: a sequence of machine words, 32- or 64-bit, little- or big-endian (pprof tries 32l,
 * 32b, 64l, 64b in that order and takes the first whose header fits):
 *   header   0, 3, 0, period (µs, > 0), 0           (third word 1 = a Java profile: refused)
 *   records  count, n, pc[0] … pc[n-1]               (pc[0] the leaf, from the signal context)
 *   trailer  0, 1, 0
 * then, optionally, the process's memory map as text (/proc/self/maps lines), which names the
 * mappings locations fall in.
 *
 * Values: samples/count = count and cpu/nanoseconds = count × period × 1000. Every pc but the
 * leaf is a return address: −1 lands on the call. pprof's artefact rules are applied: a second
 * frame shared by nearly every sample (all but len/32) is the profiler's signal handler and is
 * removed (twice at most), and a leaf duplicated as leaf+1 / leaf−1 loses the copy. Frames have
 * no names (this format has none: pprof names them only by symbolizing the binaries, which
 * Heapscope does not): a frame shows as `[binary]` of its mapping, or `<unknown>` outside any.
 */
import { HeapscopeError } from '../../errors';
import type { TaskContext } from '../../task';
import { NO_TASK } from '../../task';
import { ProfileBuilder } from '../builder';
import { setU64, type Profile } from '../model';

export const LEGACY_CPU_FORMAT = 'cpu-legacy';
const FORMAT = LEGACY_CPU_FORMAT;

type WordKind = { size: 4 | 8; little: boolean; name: string };
const KINDS: readonly WordKind[] = [
  { size: 4, little: true, name: '32-bit little-endian' },
  { size: 4, little: false, name: '32-bit big-endian' },
  { size: 8, little: true, name: '64-bit little-endian' },
  { size: 8, little: false, name: '64-bit big-endian' },
];

/** pprof's drop_frames for legacy CPU profiles (cpuProfilerRxStr). */
const CPU_PROFILER_DROP = ['ProfileData::Add', 'ProfileData::prof_handler', 'CpuProfiler::prof_handler', '__pthread_sighandler', '__restore'].join('|');

class Words {
  readonly dv: DataView;
  constructor(
    readonly b: Uint8Array,
    readonly k: WordKind,
  ) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  /** Word at byte offset `o` as [lo, hi] uint32 halves. */
  lohi(o: number): [number, number] {
    if (this.k.size === 4) return [this.dv.getUint32(o, this.k.little), 0];
    const a = this.dv.getUint32(o, this.k.little);
    const c = this.dv.getUint32(o + 4, this.k.little);
    return this.k.little ? [a, c] : [c, a];
  }
  /** Word as a number (callers use it for counts and sizes: exact below 2^53, else Infinity). */
  num(o: number): number {
    const [lo, hi] = this.lohi(o);
    return hi >= 0x200000 ? Infinity : hi * 4294967296 + lo;
  }
}

function headerKind(b: Uint8Array): { kind: WordKind; java: boolean; period: number } | null {
  for (const k of KINDS) {
    if (b.length < 5 * k.size) continue;
    const w = new Words(b, k);
    const n = [0, 1, 2, 3, 4].map((i) => w.num(i * k.size));
    if (n[0] === 0 && n[1] === 3 && (n[2] === 0 || n[2] === 1) && n[3]! > 0 && n[4] === 0) {
      return { kind: k, java: n[2] === 1, period: n[3]! };
    }
  }
  return null;
}

/** True when the bytes start with a legacy CPU profile header (C++/Go or Java). */
export function sniffLegacyCpu(b: Uint8Array): boolean {
  return headerKind(b) !== null;
}

interface Mapping {
  start: bigint;
  limit: bigint;
  offset: bigint;
  file: string;
  buildId: string;
}

// pprof's procMapsRE and briefMapsRE (RE2 → JS; \s kept ASCII).
const S = '[\\t\\n\\f\\r ]';
const cHex = '(?:0x)?([0-9A-Fa-f]+)';
const cHexRange = `${S}*${cHex}[${S.slice(1, -1)}-]?${S}*${cHex}:?`;
const cSpaceString = `(?:${S}+(\\S+))?`;
const cSpaceHex = `(?:${S}+([0-9A-Fa-f]+))?`;
const cSpaceAtOffset = `(?:${S}+\\(@([0-9A-Fa-f]+)\\))?`;
const cPerm = `(?:${S}+([-rwxp]+))?`;
const procMapsRE = new RegExp(`^${cHexRange}${cPerm}${cSpaceHex}${S}+[0-9A-Fa-f]+:[0-9A-Fa-f]+${S}+[0-9]+${cSpaceString}`);
const briefMapsRE = new RegExp(`^${cHexRange}${cPerm}${cSpaceString}${cSpaceAtOffset}${cSpaceHex}`);
const logInfoRE = /^[^[\]]+:[0-9]+\][\t\n\f\r ]/;
const libRx = /([.]so$|[.]so[._][0-9]+)/;

function parseHexBig(s: string): bigint {
  return BigInt('0x' + s);
}

/** pprof's parseProcMapsFromScanner (with `attr=value` substitutions and glog prefixes). */
function parseMemoryMap(text: string): Mapping[] {
  const out: Mapping[] = [];
  const attrs: Array<[string, string]> = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let raw of lines) {
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    const m0 = logInfoRE.exec(raw);
    let line = m0 ? raw.slice(m0[0].length) : raw;
    for (const [k, v] of attrs) line = line.split(k).join(v);
    let start: string, end: string, perm: string | undefined, offset: string | undefined, file: string | undefined, buildId: string | undefined;
    let me = procMapsRE.exec(line);
    if (me) {
      [start, end, perm, offset, file] = [me[1]!, me[2]!, me[3], me[4], me[5]];
    } else if ((me = briefMapsRE.exec(line))) {
      [start, end, perm, file, offset, buildId] = [me[1]!, me[2]!, me[3], me[4], me[5], me[6]];
    } else {
      const eq = line.indexOf('=');
      if (eq >= 0) attrs.push(['$' + line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
      continue;
    }
    if (perm !== undefined && perm !== '' && !perm.includes('x')) continue; // not executable
    out.push({ start: parseHexBig(start), limit: parseHexBig(end), offset: offset ? parseHexBig(offset) : 0n, file: file ?? '', buildId: buildId ?? '' });
  }
  return out;
}

/** pprof's massageMappings + the mapping heuristics of remapMappingIDs. */
function massageMappings(ms: Mapping[]): Mapping[] {
  let maps = ms;
  if (maps.length > 1) {
    const merged: Mapping[] = [maps[0]!];
    for (const m of maps.slice(1)) {
      const lm = merged[merged.length - 1]!;
      const adjacent =
        !(lm.file !== '' && m.file !== '' && lm.file !== m.file) &&
        !(lm.buildId !== '' && m.buildId !== '' && lm.buildId !== m.buildId) &&
        lm.limit === m.start &&
        !(lm.offset !== 0n && m.offset !== 0n && lm.offset + (lm.limit - lm.start) !== m.offset);
      if (adjacent) {
        lm.limit = m.limit;
        if (m.file !== '') lm.file = m.file;
        if (m.buildId !== '') lm.buildId = m.buildId;
        continue;
      }
      merged.push(m);
    }
    maps = merged;
  }
  for (let i = 0; i < maps.length; i++) {
    const file = maps[i]!.file.split('(deleted)').join('').trim();
    if (file.length === 0 || libRx.test(file) || file[0] === '[') continue;
    [maps[0], maps[i]] = [maps[i]!, maps[0]!];
    break;
  }
  if (maps.length > 1 && maps[0]!.file.startsWith('/anon_hugepage') && maps[0]!.limit === maps[1]!.start) maps = maps.slice(1);
  if (maps.length > 0 && maps[0]!.start - maps[0]!.offset === 0x400000n) {
    maps[0]!.start = 0x400000n;
    maps[0]!.offset = 0n;
  }
  return maps;
}

export interface LegacyCpuResult {
  profile: Profile;
  warnings: string[];
}

function bad(fileName: string, code: 'BAD_FORMAT' | 'TRUNCATED' | 'UNSUPPORTED', message: string, offset: number): HeapscopeError {
  return new HeapscopeError({ code, message, file: fileName, format: FORMAT, offset });
}

export function parseLegacyCpu(b: Uint8Array, fileName: string, task: TaskContext = NO_TASK): LegacyCpuResult {
  const h = headerKind(b);
  if (!h) throw bad(fileName, 'BAD_FORMAT', 'not a legacy CPU profile: the header is not 0, 3, 0, period, 0', 0);
  if (h.java) throw bad(fileName, 'UNSUPPORTED', 'a Java legacy CPU profile (header word 3 = 1): only C++/Go profiles are read', 2 * h.kind.size);
  const W = h.kind.size;
  const w = new Words(b, h.kind);
  const periodNs = h.period * 1000;
  const warnings: string[] = [];

  // Records → stacks of (adjusted) addresses as [lo, hi].
  const stacks: Array<Array<[number, number]>> = [];
  const counts: number[] = [];
  let o = 5 * W;
  let sawEnd = false;
  while (o < b.length) {
    if ((stacks.length & 4095) === 0) task.throwIfCancelled();
    if (o + 2 * W > b.length) throw bad(fileName, 'TRUNCATED', `record at byte ${o} cut short: fewer than two ${W * 8}-bit words left`, o);
    const count = w.num(o);
    const nstk = w.num(o + W);
    const rest = b.length - (o + 2 * W);
    // pprof's own bound (it divides by 4 whatever the word size)
    if (nstk > Math.floor(rest / 4)) throw bad(fileName, 'BAD_FORMAT', `record at byte ${o} claims ${nstk} frames, more than the ${rest} bytes left can hold`, o);
    if (o + 2 * W + nstk * W > b.length) throw bad(fileName, 'TRUNCATED', `record at byte ${o} has ${nstk} frames but the file ends inside them`, o);
    const at = o + 2 * W;
    o = at + nstk * W;
    if (count === 0 && nstk === 1) {
      const [lo, hi] = w.lohi(at);
      if (lo === 0 && hi === 0) {
        sawEnd = true;
        break;
      }
    }
    if (!Number.isFinite(count)) throw bad(fileName, 'BAD_FORMAT', `record at byte ${at - 2 * W} has a sample count beyond 2^53`, at - 2 * W);
    const st: Array<[number, number]> = new Array(nstk);
    for (let i = 0; i < nstk; i++) {
      let [lo, hi] = w.lohi(at + i * W);
      if (i > 0) {
        // return address − 1 (64-bit, with borrow; pprof's uint64 wraps at 0)
        if (lo === 0) {
          lo = 0xffffffff;
          hi = W === 8 ? (hi === 0 ? 0xffffffff : hi - 1) : 0xffffffff;
        } else lo -= 1;
      }
      st[i] = [lo, hi];
    }
    stacks.push(st);
    counts.push(count);
  }
  if (!sawEnd) warnings.push('no end-of-data trailer (0, 1, 0): the profile may be cut short');

  // The profiler's signal-handler frame: the same second frame in all but len/32 samples.
  const margin = Math.floor(stacks.length / 32);
  for (let iter = 0; iter < 2; iter++) {
    const freq = new Map<string, number>();
    for (const s of stacks) {
      if (s.length > 1) {
        const k = `${s[1]![1]}:${s[1]![0]}`;
        freq.set(k, (freq.get(k) ?? 0) + 1);
      }
    }
    for (const [k, c] of freq) {
      if (c >= stacks.length - margin) {
        for (const s of stacks) if (s.length > 1 && `${s[1]![1]}:${s[1]![0]}` === k) s.splice(1, 1);
        warnings.push('removed a second frame shared by nearly every sample (the profiler\'s signal handler), as pprof does');
        break;
      }
    }
  }
  // A leaf also unwound as a caller (leaf = caller + 1 after the −1 adjustment) is one frame.
  for (const s of stacks) {
    if (s.length > 1) {
      const a = s[0]!;
      const c = s[1]!;
      const cPlus = c[0] === 0xffffffff ? [0, c[1] + 1] : [c[0] + 1, c[1]];
      if (a[0] === cPlus[0] && a[1] === cPlus[1]) s.splice(1, 1);
    }
  }

  // Memory map (text after the trailer).
  let maps: Mapping[] = [];
  if (o < b.length) {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(o));
    maps = massageMappings(parseMemoryMap(text));
  }

  const pb = new ProfileBuilder();
  const locs: number[] = [];
  const addrOf: bigint[] = [];
  const vals = [0, 0];
  for (let si = 0; si < stacks.length; si++) {
    locs.length = 0;
    for (const [lo, hi] of stacks[si]!) {
      const key = hi * 4294967296 + lo; // exact below 2^53; above, the string form
      const k: string | number = hi < 0x200000 ? key : `${hi}:${lo}`;
      let li = pb.findLocation(k);
      if (li < 0) {
        const big = (BigInt(hi) << 32n) | BigInt(lo);
        li = pb.location(k, big, []);
        addrOf[li] = big;
      }
      locs.push(li);
    }
    vals[0] = counts[si]!;
    vals[1] = counts[si]! * periodNs;
    pb.sample(locs, vals);
  }
  const p = pb.build();
  p.sampleTypes = [pb.valueType('samples', 'count'), pb.valueType('cpu', 'nanoseconds')];
  p.periodType = pb.valueType('cpu', 'nanoseconds');
  p.period = periodNs;
  p.dropFrames = pb.st.intern(CPU_PROFILER_DROP);

  // Locations → mappings (pprof's remapMappingIDs), with its fake mapping for the rest.
  const nL = p.locationCount;
  const locMap = new Int32Array(nL).fill(-1);
  let fake = -1;
  for (let l = 0; l < nL; l++) {
    const a = addrOf[l]!;
    if (a === 0n) continue;
    let found = maps.findIndex((m) => m.start <= a && a < m.limit);
    if (found < 0) {
      found = maps.findIndex((m) => m.offset !== 0n && m.start - m.offset <= a && a < m.start);
      if (found >= 0) {
        const m = maps[found]!;
        m.start -= m.offset;
        m.offset = 0n;
      }
    }
    if (found < 0) {
      if (fake < 0) {
        maps.push({ start: 0n, limit: 0xffffffffffffffffn, offset: 0n, file: '', buildId: '' });
        fake = maps.length - 1;
      }
      found = fake;
    }
    locMap[l] = found;
  }
  const nM = maps.length;
  p.mappingCount = nM;
  p.mapId = new Uint32Array(2 * nM);
  p.mapStart = new Uint32Array(2 * nM);
  p.mapLimit = new Uint32Array(2 * nM);
  p.mapOffset = new Uint32Array(2 * nM);
  p.mapFile = new Int32Array(nM);
  p.mapBuildId = new Int32Array(nM);
  p.mapFlags = new Uint8Array(nM);
  for (let i = 0; i < nM; i++) {
    const m = maps[i]!;
    p.mapId[2 * i] = i + 1;
    setU64(p.mapStart, i, m.start);
    setU64(p.mapLimit, i, m.limit);
    setU64(p.mapOffset, i, m.offset);
    p.mapFile[i] = pb.st.intern(m.file);
    p.mapBuildId[i] = pb.st.intern(m.buildId);
  }
  p.locMapping = locMap;
  p.strings = pb.st.strings;
  if (stacks.length === 0) warnings.push('the profile has no samples');
  return { profile: p, warnings };
}
