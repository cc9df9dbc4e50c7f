/**
 * The filtered, aggregated view every profile analysis starts from, following `go tool pprof`
 * step by step:
 *   1. RemoveUninteresting (drop_frames/keep_frames)             → prune.ts, cached per profile
 *   2. total = Σ|value| over all samples (base samples only for a saved -diff_base profile)
 *   3. FilterSamplesByName(focus, ignore, hide, show), then FilterSamplesByTag(tagfocus, tagignore)
 *   4. Aggregate at a granularity and key graph nodes by pprof's NodeInfo
 *      (name, file, line, address, and objfile/start line for nameless frames)
 * The result maps every location to its list of node ids (innermost inline frame first) and
 * every sample to a weight (0 when filtered out), which is all top, call trees and flame graphs need.
 */
import type { Granularity, ProfileFilters } from '../../api/types';
import { HeapscopeError } from '../../errors';
import type { Profile } from '../model';
import { u64Hex16, u64IsZero, u64String } from '../model';
import { pruneInfo } from './prune';
import { compileGoRegex } from './regex';
import { parseTagFilterRange } from './units';

/** The granularities of the API plus pprof's other two (used by tests against pprof goldens). */
export type AnyGranularity = Granularity | 'filefunctions' | 'addresses';

export interface NodeTable {
  count: number;
  /** pprof's PrintableName of each node. */
  names: string[];
  /** Components for pprof's final tie-break (fmt.Sprint of NodeInfo). */
  tieKey(node: number): string;
  /** A node's NodeInfo parts (file cleaned, line 0 above lines granularity) and one function index of it (-1: none). */
  info(node: number): { name: string; file: string; line: number; fn: number };
}

export interface ProfileView {
  profile: Profile;
  sampleIndex: number;
  granularity: AnyGranularity;
  nodes: NodeTable;
  /** CSR: nodes of each location, innermost inline frame first. Hidden lines are absent. */
  locNodeStart: Uint32Array;
  locNodes: Int32Array;
  /** Per sample: first location offset (leaf side) after pruning. */
  sampleFrom: Uint32Array;
  /** Per sample: the selected value, or 0 when the sample is filtered out. */
  weight: Float64Array;
  /** pprof's percentage base over the whole (unfiltered) profile. */
  total: number;
}

/** Go's path.Clean. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const parts = p.split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const s = out.join('/');
  if (rooted) return '/' + s;
  return s === '' ? '.' : s;
}

/** pprof report.trimPath with no -trim_path/-source_path configured. */
export function trimPath(path: string): string {
  for (const t of ['/proc/self/cwd/./', '/proc/self/cwd/']) {
    if (path.startsWith(t)) return path.slice(t.length);
  }
  return path;
}

function baseName(p: string): string {
  // filepath.Base
  if (p === '') return '.';
  let s = p;
  while (s.length > 1 && s.endsWith('/')) s = s.slice(0, -1);
  const i = s.lastIndexOf('/');
  if (i >= 0 && s.length > 1) s = s.slice(i + 1);
  return s === '' ? '/' : s;
}

interface GranularityNodes {
  table: NodeTable;
  /** Node of each line (global line index). */
  lineNode: Int32Array;
  /** Node of each location with no lines (-1 for locations that have lines). */
  locBareNode: Int32Array;
}

const nodeCache = new WeakMap<Profile, Map<AnyGranularity, GranularityNodes>>();

function granularityNodes(p: Profile, g: AnyGranularity): GranularityNodes {
  let m = nodeCache.get(p);
  if (!m) {
    m = new Map();
    nodeCache.set(p, m);
  }
  let gn = m.get(g);
  if (!gn) {
    gn = buildNodes(p, g);
    m.set(g, gn);
  }
  return gn;
}

function buildNodes(p: Profile, g: AnyGranularity): GranularityNodes {
  const keepFn = g !== 'files';
  const keepFile = g !== 'functions';
  const keepLine = g === 'lines' || g === 'addresses';
  const keepAddr = g === 'addresses';
  const S = p.strings;
  const index = new Map<string, number>();
  const names: string[] = [];
  const infos: Array<[string, string, string, number, number, string]> = []; // name, addr(dec), file, startLine, lineno, objfile
  const nodeFn: number[] = []; // a function index of each node (-1: none)
  const cleanCache = new Map<number, string>();
  const fileOf = (si: number): string => {
    if (si === 0) return '';
    let f = cleanCache.get(si);
    if (f === undefined) {
      const raw = trimPath(S[si]!);
      f = raw === '' ? '' : cleanPath(raw);
      cleanCache.set(si, f);
    }
    return f;
  };
  const node = (addrHex: string, addrDec: string, name: string, file: string, startLine: number, lineno: number, objfile: string): number => {
    const key = `${addrHex}\u0000${name}\u0000${file}\u0000${startLine}\u0000${lineno}\u0000${objfile}`;
    let id = index.get(key);
    if (id !== undefined) return id;
    id = names.length;
    index.set(key, id);
    // NameComponents
    const parts: string[] = [];
    if (addrHex !== '') parts.push(addrHex);
    if (name !== '') parts.push(name);
    if (lineno !== 0) parts.push(`${file}:${lineno}`);
    else if (file !== '') parts.push(file);
    else if (name !== '') {
      // name already included
    } else if (objfile !== '') parts.push(`[${baseName(objfile)}]`);
    else parts.push('<unknown>');
    names.push(parts.join(' '));
    infos.push([name, addrDec, file, startLine, lineno, objfile]);
    nodeFn.push(-1);
    return id;
  };
  // Fast path for the default granularity: a named function's node depends on its name only
  // (cached per string index; equal names in a table with repeated strings still merge).
  const byName = g === 'functions' ? new Int32Array(S.length).fill(-1) : null;
  const nameNodes = new Map<string, number>();
  const nLoc = p.locationCount;
  const lineNode = new Int32Array(p.lineFunc.length).fill(-1);
  const locBareNode = new Int32Array(nLoc).fill(-1);
  for (let l = 0; l < nLoc; l++) {
    let addrHex = '';
    let addrDec = '0';
    if (keepAddr && !u64IsZero(p.locAddress, l)) {
      addrHex = u64Hex16(p.locAddress, l);
      addrDec = u64String(p.locAddress, l);
    }
    const mi = p.locMapping[l]!;
    const objfile = mi >= 0 ? S[p.mapFile[mi]!]! : '';
    const s = p.locLineStart[l]!;
    const e = p.locLineStart[l + 1]!;
    if (s === e) {
      locBareNode[l] = node(addrHex, addrDec, '', '', 0, 0, objfile);
      continue;
    }
    for (let j = s; j < e; j++) {
      const fi = p.lineFunc[j]!;
      if (fi < 0) {
        lineNode[j] = node(addrHex, addrDec, '', '', 0, 0, objfile);
        continue;
      }
      if (byName !== null) {
        const ni = p.funcName[fi]!;
        let nd = byName[ni]!;
        if (nd < 0 && ni !== 0) {
          const name = S[ni]!;
          if (name !== '') {
            const known = nameNodes.get(name);
            if (known !== undefined) nd = known;
            else {
              nd = names.length;
              nameNodes.set(name, nd);
              names.push(name);
              infos.push([name, '0', '', 0, 0, '']);
              nodeFn.push(fi);
            }
            byName[ni] = nd;
          }
        }
        if (nd >= 0) {
          lineNode[j] = nd;
          continue;
        }
      }
      const name = keepFn ? S[p.funcName[fi]!]! : '';
      const file = keepFile ? fileOf(p.funcFilename[fi]!) : '';
      const lineno = keepLine ? p.lineLine[j]! : 0;
      // OrigName is "" (no -symbolize=none/orig names), so objfile+start line key nameless frames.
      const nameless = name === '';
      lineNode[j] = node(addrHex, addrDec, name, file, nameless ? p.funcStartLine[fi]! : 0, lineno, nameless ? objfile : '');
      if (nodeFn[lineNode[j]!] === -1) nodeFn[lineNode[j]!] = fi;
    }
  }
  const table: NodeTable = {
    count: names.length,
    names,
    tieKey(n: number): string {
      const [name, addr, file, startLine, lineno, objfile] = infos[n]!;
      return `{${name}  ${addr} ${file} ${startLine} ${lineno} ${objfile}}`;
    },
    info(n: number) {
      const x = infos[n]!;
      return { name: x[0], file: x[2], line: x[4], fn: nodeFn[n]! };
    },
  };
  return { table, lineNode, locBareNode };
}

/** pprof's SampleIndexByName, plus numeric indices. */
export function resolveSampleIndex(p: Profile, si: number | string | undefined, fallback: number): number {
  const n = p.sampleTypes.length;
  if (n === 0) throw new HeapscopeError({ code: 'BAD_REQUEST', message: 'profile has no sample types' });
  if (si === undefined || si === '') return fallback;
  if (typeof si === 'number') {
    if (!Number.isInteger(si) || si < 0 || si >= n) throw new HeapscopeError({ code: 'BAD_REQUEST', message: `sample index ${si} is outside the range [0..${n - 1}]` });
    return si;
  }
  if (/^[+-]?\d+$/.test(si)) return resolveSampleIndex(p, Number.parseInt(si, 10), fallback);
  const noInuse = si.startsWith('inuse_') ? si.slice(6) : si;
  for (let i = 0; i < n; i++) {
    const t = p.strings[p.sampleTypes[i]!.type];
    if (t === si || t === noInuse) return i;
  }
  const names = p.sampleTypes.map((t) => p.strings[t.type]).join(' ');
  throw new HeapscopeError({ code: 'BAD_REQUEST', message: `sample index ${JSON.stringify(si)} must be one of: [${names}]` });
}

/** pprof's computeTotal: Σ|v|, or Σ|v| of the base samples of a saved -diff_base profile. */
export function profileTotal(p: Profile, sampleIndex: number): number {
  const nT = p.sampleTypes.length;
  const S = p.strings;
  let total = 0;
  let diffTotal = 0;
  const hasLabels = p.labelKey.length > 0;
  for (let s = 0; s < p.sampleCount; s++) {
    const v = Math.abs(p.values[s * nT + sampleIndex]!);
    total += v;
    if (hasLabels) {
      for (let j = p.sampleLabelStart[s]!; j < p.sampleLabelStart[s + 1]!; j++) {
        if (p.labelStr[j] !== 0 && S[p.labelKey[j]!] === 'pprof::base' && S[p.labelStr[j]!] === 'true') {
          diffTotal += v;
          break;
        }
      }
    }
  }
  return diffTotal > 0 ? diffTotal : total;
}

/** Every string-table index holding `value` (tables may repeat strings). */
function indicesOf(S: string[], value: string): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < S.length; i++) if (S[i] === value) out.add(i);
  return out;
}

/** Units of numeric label keys (pprof's NumLabelUnits: first unit seen, else inferred from the key). */
export function numLabelUnits(p: Profile): Map<string, string> {
  const S = p.strings;
  const units = new Map<string, string>();
  const seen = new Set<string>();
  for (let j = 0; j < p.labelKey.length; j++) {
    if (p.labelStr[j] !== 0) continue;
    const k = S[p.labelKey[j]!]!;
    seen.add(k);
    const u = p.labelNumUnit[j]!;
    if (u !== 0 && !units.has(k)) units.set(k, S[u]!);
  }
  for (const k of seen) {
    if (!units.has(k)) units.set(k, k === 'alignment' || k === 'request' ? 'bytes' : k);
  }
  return units;
}

type SampleTest = (s: number) => boolean;

/** pprof's compileTagFilter for one "key=value" / "value" entry. */
function compileTagFilter(p: Profile, value: string, option: string, units: Map<string, string>): SampleTest {
  let wantKey: string | null = null;
  const eq = value.indexOf('=');
  if (eq >= 0) {
    wantKey = value.slice(0, eq);
    value = value.slice(eq + 1);
  }
  const ls = p.sampleLabelStart;
  const S = p.strings;
  const range = parseTagFilterRange(value);
  if (range) {
    const want = wantKey === null ? null : indicesOf(S, wantKey);
    return (s) => {
      for (let j = ls[s]!; j < ls[s + 1]!; j++) {
        if (p.labelStr[j] !== 0) continue;
        const k = p.labelKey[j]!;
        if (want !== null && !want.has(k)) continue;
        if (range(p.labelNum[j]!, units.get(S[k]!) ?? '')) return true;
      }
      return false;
    };
  }
  const rxs = value.split(',').map((v) => compileGoRegex(v, option));
  if (wantKey === null) {
    return (s) => {
      outer: for (const rx of rxs) {
        for (let j = ls[s]!; j < ls[s + 1]!; j++) {
          if (p.labelStr[j] === 0) continue;
          if (rx.test(`${S[p.labelKey[j]!]}:${S[p.labelStr[j]!]}`)) continue outer;
        }
        return false;
      }
      return true;
    };
  }
  const want = indicesOf(S, wantKey);
  return (s) => {
    for (let j = ls[s]!; j < ls[s + 1]!; j++) {
      if (p.labelStr[j] === 0 || !want.has(p.labelKey[j]!)) continue;
      const v = S[p.labelStr[j]!]!;
      for (const rx of rxs) if (rx.test(v)) return true;
    }
    return false;
  };
}

export interface ViewOptions {
  sampleIndex: number;
  granularity: AnyGranularity;
  filters?: ProfileFilters | undefined;
}

export function buildView(p: Profile, o: ViewOptions): ProfileView {
  const prune = pruneInfo(p);
  const gn = granularityNodes(p, o.granularity);
  const f = o.filters ?? {};
  const nLoc = p.locationCount;
  const nFn = p.functionCount;
  const S = p.strings;

  const focus = f.focus ? compileGoRegex(f.focus, 'focus') : null;
  const ignore = f.ignore ? compileGoRegex(f.ignore, 'ignore') : null;
  const hide = f.hide ? compileGoRegex(f.hide, 'hide') : null;
  const show = f.show ? compileGoRegex(f.show, 'show') : null;

  // Per-function and per-mapping regex results (name or file name; mapping file).
  const fnMatch = (re: RegExp): Uint8Array => {
    const m = new Uint8Array(nFn);
    const memo = new Map<number, boolean>();
    const t = (si: number): boolean => {
      let v = memo.get(si);
      if (v === undefined) {
        v = re.test(S[si]!);
        memo.set(si, v);
      }
      return v;
    };
    for (let i = 0; i < nFn; i++) m[i] = t(p.funcName[i]!) || t(p.funcFilename[i]!) ? 1 : 0;
    return m;
  };
  const mapMatch = (re: RegExp): Uint8Array => {
    const m = new Uint8Array(p.mappingCount);
    for (let i = 0; i < p.mappingCount; i++) m[i] = re.test(S[p.mapFile[i]!]!) ? 1 : 0;
    return m;
  };
  const locMatches = (l: number, fm: Uint8Array, mm: Uint8Array): boolean => {
    const e = p.locLineStart[l + 1]!;
    for (let j = prune.locLineFrom[l]!; j < e; j++) {
      const fi = p.lineFunc[j]!;
      if (fi >= 0 && fm[fi]) return true;
    }
    const mi = p.locMapping[l]!;
    return mi >= 0 && mm[mi] === 1;
  };

  // Locations: focus/ignore state (0 none, 1 focused, 2 ignored) and visible lines → nodes.
  const fi_ = focus ? fnMatch(focus) : null;
  const fm_ = focus ? mapMatch(focus) : null;
  const ii_ = ignore ? fnMatch(ignore) : null;
  const im_ = ignore ? mapMatch(ignore) : null;
  const hf = hide ? fnMatch(hide) : null;
  const hm = hide ? mapMatch(hide) : null;
  const sf = show ? fnMatch(show) : null;
  const sm = show ? mapMatch(show) : null;
  const locState = new Uint8Array(nLoc);
  const locNodeStart = new Uint32Array(nLoc + 1);
  const locNodes = new Int32Array(p.lineFunc.length + nLoc);
  let n = 0;
  for (let l = 0; l < nLoc; l++) {
    locNodeStart[l] = n;
    if (ignore && locMatches(l, ii_!, im_!)) locState[l] = 2;
    else if (!focus || locMatches(l, fi_!, fm_!)) locState[l] = 1;
    const s = prune.locLineFrom[l]!;
    const e = p.locLineStart[l + 1]!;
    const mi = p.locMapping[l]!;
    if (p.locLineStart[l] === e) {
      // No lines: one node for the address/binary, unless hide/show removes the location.
      const hidden = (hide !== null && mi >= 0 && hm![mi] === 1) || show !== null;
      if (!hidden) locNodes[n++] = gn.locBareNode[l]!;
      continue;
    }
    // unmatchedLines: a matching mapping hides every line of the location.
    const hideAll = hide !== null && mi >= 0 && hm![mi] === 1;
    const showAll = show !== null && mi >= 0 && sm![mi] === 1;
    if (hideAll) continue;
    for (let j = s; j < e; j++) {
      const fnI = p.lineFunc[j]!;
      if (hide !== null && fnI >= 0 && hf![fnI]) continue;
      if (show !== null && !showAll && fnI >= 0 && !sf![fnI]) continue;
      locNodes[n++] = gn.lineNode[j]!;
    }
  }
  locNodeStart[nLoc] = n;

  // Samples.
  const nT = p.sampleTypes.length;
  const si = o.sampleIndex;
  const weight = new Float64Array(p.sampleCount);
  const tagUnits = f.tagFocus?.length || f.tagIgnore?.length ? numLabelUnits(p) : new Map<string, string>();
  const tagFocus = (f.tagFocus ?? []).filter((x) => x !== '').map((x) => compileTagFilter(p, x, 'tagfocus', tagUnits));
  const tagIgnore = (f.tagIgnore ?? []).filter((x) => x !== '').map((x) => compileTagFilter(p, x, 'tagignore', tagUnits));
  for (let s = 0; s < p.sampleCount; s++) {
    const w = p.values[s * nT + si]!;
    if (w === 0) continue;
    const from = prune.sampleLocFrom[s]!;
    const to = p.sampleLocStart[s + 1]!;
    {
      let focused = false;
      let ignored = false;
      let visible = false;
      for (let i = from; i < to; i++) {
        const l = p.sampleLocs[i]!;
        const st = locState[l]!;
        if (st === 2) {
          ignored = true;
          break;
        }
        if (st === 1) focused = true;
        if (locNodeStart[l + 1]! > locNodeStart[l]!) visible = true;
        // Without an ignore filter nothing further down the stack can change the answer.
        if (focused && visible && ignore === null) break;
      }
      if (ignored || !focused || !visible) continue;
    }
    let ok = true;
    for (const t of tagFocus) if (!t(s)) ok = false;
    for (const t of tagIgnore) if (t(s)) ok = false;
    if (!ok) continue;
    weight[s] = w;
  }
  return {
    profile: p,
    sampleIndex: si,
    granularity: o.granularity,
    nodes: gn.table,
    locNodeStart,
    locNodes: locNodes.subarray(0, n),
    sampleFrom: prune.sampleLocFrom,
    weight,
    total: profileTotal(p, si),
  };
}
