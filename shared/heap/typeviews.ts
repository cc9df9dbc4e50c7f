/**
 * Views of a typed heap: the type histogram (Types tab, `heapscope types`), names of objects and
 * root variables, and an object's named fields with their values.
 */
import type { GoDwarf, GoType } from '../dwarf/index';
import { NONE } from './dominators';
import { contentOffsetAt, findObjectIndex, type HeapGraph } from './graph';
import { hex } from './grow';
import { goTypeName } from './typelayout';
import { arrayLen, type DumpReader, type HeapTypes } from './typing';
import type { FieldRow, TypeRow } from './types';

const SMALL_MAX = 32768;

export function sizeClassOf(size: number): number {
  if (size <= SMALL_MAX) return size;
  let p = SMALL_MAX;
  while (p < size) p *= 2;
  return p;
}

export function unknownName(size: number): string {
  return size > SMALL_MAX ? `unknown (large, ${size} B)` : `unknown (size class ${size})`;
}

/** "main" of "main.Session", "net/http" of "*net/http.Request", "" for builtins like "[]uint8". */
export function packageOf(name: string): string {
  let n = name;
  for (;;) {
    if (n.startsWith('*')) n = n.slice(1);
    else if (n.startsWith('[]')) n = n.slice(2);
    else if (/^\[\d*\]/.test(n)) n = n.replace(/^\[\d*\]/, '');
    else break;
  }
  if (n.startsWith('closure ')) n = n.slice(8);
  if (n.startsWith('map.') || n.startsWith('hchan<') || n.startsWith('unknown') || n.startsWith('map[') || n.startsWith('chan ') || n.startsWith('func(')) return n.startsWith('unknown') ? '' : 'runtime';
  const br = n.search(/[[<({]/);
  const head = br >= 0 ? n.slice(0, br) : n;
  const dot = head.lastIndexOf('.');
  if (dot <= 0) return '';
  const slash = head.lastIndexOf('/', dot);
  const firstDot = head.indexOf('.', slash + 1);
  return head.slice(0, firstDot);
}

export interface HistogramSource {
  graph: HeapGraph;
  idom: Uint32Array;
  retainedBytes: Float64Array;
  domStart: Uint32Array;
  domChildren: Uint32Array;
  types: HeapTypes;
  siteOf(i: number): number;
  siteLabel(site: number): string | null;
}

/**
 * One row per type (unknown objects per size class × allocation site) over the objects `inScope`
 * accepts. Retained bytes of a type: the retained sizes of its objects not dominated by another
 * object of the same type (one walk of the dominator tree, a counter per type on the walk's path).
 */
export function typeHistogram(src: HistogramSource, inScope: (i: number) => boolean): TypeRow[] {
  const g = src.graph;
  const F = g.firstObject;
  const N = g.objectCount;
  const T = src.types;
  const keyIds = new Map<number, number>();
  const rows: TypeRow[] = [];
  const key = new Int32Array(N).fill(-1);
  // One row per name: entries that differ only by where the value starts (after a header or not) share it.
  const canon = new Int32Array(T.entries.length);
  const byName = new Map<string, number>();
  T.entries.forEach((e, id) => {
    const k = `${e.name}|${e.array ? 1 : 0}`;
    const c = byName.get(k);
    if (c === undefined) byName.set(k, id);
    canon[id] = c ?? id;
  });
  for (let i = 0; i < N; i++) {
    if (!inScope(i)) continue;
    const size = g.size[i];
    const v = T.obj[i] & 0x3fffffff;
    let k: number;
    if (v !== 0) {
      const e = T.entries[v];
      const cv = canon[v]!;
      k = e.array ? cv * 4294967296 + Math.min(arrayLen(e, size), 4294967295) : cv * 4294967296 + 4294967295;
      k = k + 1; // keep ≥ 1
    } else {
      const site = src.siteOf(i);
      k = -(sizeClassOf(size) * 1048576 + (site + 1));
    }
    let id = keyIds.get(k);
    if (id === undefined) {
      id = rows.length;
      keyIds.set(k, id);
      const name = v !== 0 ? T.nameOf(i, size)! : unknownName(sizeClassOf(size));
      const site = v === 0 ? src.siteOf(i) : -1;
      rows.push({ name, package: packageOf(name), count: 0, bytes: 0, retainedBytes: 0, allocSite: site >= 0 ? src.siteLabel(site) : null, unknown: v === 0 });
    }
    key[i] = id;
    rows[id].count++;
    rows[id].bytes += size;
  }
  // Retained bytes of each set: walk the dominator tree from the super-root.
  const active = new Int32Array(rows.length);
  const ds = src.domStart;
  const dc = src.domChildren;
  // Explicit stack (typed, growable: 4 bytes an entry); ~x marks leaving x.
  let stack = new Int32Array(1 << 16);
  let sp = 0;
  const push = (v: number): void => {
    if (sp === stack.length) {
      const bigger = new Int32Array(stack.length * 2);
      bigger.set(stack);
      stack = bigger;
    }
    stack[sp++] = v;
  };
  push(0);
  while (sp > 0) {
    const x = stack[--sp];
    if (x < 0) {
      active[key[~x - F]]--;
      continue;
    }
    if (x >= F) {
      const k = key[x - F];
      if (k >= 0) {
        if (active[k] === 0) rows[k].retainedBytes += src.retainedBytes[x];
        active[k]++;
        push(~x);
      }
    }
    for (let c = ds[x]; c < ds[x + 1]; c++) push(dc[c]);
  }
  // Garbage objects in scope (not in the dominator tree) retain themselves.
  for (let i = 0; i < N; i++) if (key[i] >= 0 && src.idom[F + i] === NONE) rows[key[i]].retainedBytes += g.size[i];
  return rows;
}

const MAX_FIELDS = 256;
const STR_PREVIEW = 64;

/** The named fields of object i (flattened, with values read from the dump). */
export function objectFields(g: HeapGraph, T: HeapTypes, dw: GoDwarf, i: number, read: DumpReader | null, ptrSize: number, bigEndian: boolean): FieldRow[] {
  const e = T.entryOf(i);
  if (!e || !e.type) return [];
  const size = g.size[i];
  const out: FieldRow[] = [];
  const bytes = read ? read(contentOffsetAt(g, i), Math.min(size, 1 << 16)) : null;
  const word = (o: number, n = ptrSize): number | null => {
    if (!bytes || o < 0 || o + n > bytes.length) return null;
    let v = 0;
    if (bigEndian) for (let k = 0; k < n; k++) v = v * 256 + bytes[o + k];
    else for (let k = n - 1; k >= 0; k--) v = v * 256 + bytes[o + k];
    return v;
  };
  const heapRef = (addr: number): { node?: number; address?: string } => {
    const j = findObjectIndex(g, addr);
    return j >= 0 ? { node: g.firstObject + j, address: hex(addr) } : {};
  };
  const strText = (p: number, len: number): string => {
    if (!read || len < 0) return '';
    if (len === 0) return '""';
    const j = findObjectIndex(g, p);
    if (j < 0) return `(${len} bytes at ${hex(p)})`;
    const at = p - g.address[j];
    const n = Math.min(len, STR_PREVIEW, g.size[j] - at);
    const b = read(contentOffsetAt(g, j) + at, Math.max(0, n));
    let s = '';
    for (const c of b) s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '\\x' + c.toString(16).padStart(2, '0');
    return JSON.stringify(s).slice(0, -1) + (len > n ? '…"' : '"');
  };
  const add = (name: string, t: GoType | null, o: number, depth: number): void => {
    if (!t || out.length >= MAX_FIELDS || depth > 6) return;
    const u = dw.underlying(t);
    if (!u) return;
    const tn = goTypeName(t.name || u.name);
    const kind = t.goKind || u.goKind;
    const sz = dw.sizeOf(t);
    if (u.tag === 'struct' && kind !== 24 && kind !== 23 && kind !== 20 && u.fields && depth < 6 && !u.name.startsWith('map<') && !u.name.startsWith('hash<')) {
      if (depth > 0 && u.fields.length > 0 && name) {
        for (const f of u.fields) add(`${name}.${f.name}`, dw.type(f.type), o + f.offset, depth + 1);
      } else for (const f of u.fields) add(depth === 0 && !name ? f.name : `${name}.${f.name}`, dw.type(f.type), o + f.offset, depth + 1);
      return;
    }
    const row: FieldRow = { name, offset: o, type: tn, value: '' };
    if (kind === 24 || u.name === 'string') {
      const p = word(o);
      const len = word(o + ptrSize);
      if (p !== null && len !== null) row.value = p === 0 ? '""' : strText(p, len);
      if (p) Object.assign(row, heapRef(p));
    } else if (kind === 23) {
      const p = word(o);
      const len = word(o + ptrSize);
      const cap = word(o + 2 * ptrSize);
      if (p !== null) row.value = p === 0 ? 'nil' : `len ${len} cap ${cap} → ${hex(p)}`;
      if (p) Object.assign(row, heapRef(p));
    } else if (kind === 20) {
      const tw = word(o);
      const p = word(o + ptrSize);
      if (tw !== null) row.value = tw === 0 ? 'nil' : `${hex(p ?? 0)}`;
      if (p) Object.assign(row, heapRef(p));
    } else if (u.tag === 'pointer' || u.tag === 'func' || kind === 21 || kind === 18 || kind === 26 || kind === 22) {
      const p = word(o);
      if (p !== null) row.value = p === 0 ? 'nil' : hex(p);
      if (p) Object.assign(row, heapRef(p));
    } else if (u.tag === 'base' && sz > 0 && sz <= 8) {
      const v = word(o, sz);
      if (v !== null) {
        if (u.name === 'bool') row.value = v ? 'true' : 'false';
        else if (u.name.startsWith('int') && sz < 8 && v >= 2 ** (8 * sz - 1)) row.value = String(v - 2 ** (8 * sz));
        else if (u.name === 'float64' && bytes) row.value = String(new DataView(bytes.buffer, bytes.byteOffset + o, 8).getFloat64(0, !bigEndian));
        else if (u.name === 'float32' && bytes) row.value = String(new DataView(bytes.buffer, bytes.byteOffset + o, 4).getFloat32(0, !bigEndian));
        else if ((u.name === 'int' || u.name === 'int64') && sz === 8 && v >= 2 ** 63) row.value = String(v - 2 ** 64);
        else row.value = String(v);
      }
    } else if (u.tag === 'array') {
      row.value = `${sz} bytes`;
    }
    out.push(row);
  };
  if (e.array) {
    const n = arrayLen(e, size);
    for (let k = 0; k < n && out.length < MAX_FIELDS; k++) add(`[${k}]`, e.type, e.base + k * e.size, 1);
  } else add('', e.type, e.base, 0);
  return out;
}
