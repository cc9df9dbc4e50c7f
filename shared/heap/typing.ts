/**
 * Naming every heap object by its Go type, from the binary's DWARF (shared/dwarf):
 *
 * 1. exact types from allocation headers (Go 1.22+: the first word of a pointerful object of
 *    513 B–32 KiB is its type descriptor; DW_AT_go_runtime_type names it);
 * 2. propagation from typed roots — globals (DWARF variables), goroutine frames (the dump's frame
 *    records + DWARF locations of params and locals at the frame's PC), finalizers (their object's
 *    pointer type), closure contexts, defers — along typed pointer fields to a fixed point, through
 *    structs, pointers, strings, slices (backing arrays `[N]T`), maps (`map.bucket[K]V` ≤1.23;
 *    `map.hdr`, `map.table`, `map.group[K]V` from 1.24), channels, interfaces (the type word, or the
 *    itab's type, read from the dump), closures (the function's captured variables, DW_AT_go_closure_offset);
 * 3. what stays unknown is labelled `unknown (size class N)`, with its allocation site.
 *
 * Conflicting evidence keeps the more specific type (exact beats propagated beats a string's bytes)
 * and is counted. Memory: 4 bytes per object (entry index + 2 rank bits), plus the type table.
 */
import type { GoDwarf, GoFunc, GoType } from '../dwarf/index';
import { evalPieces } from '../dwarf/index';
import { NO_TASK, type TaskContext } from '../task';
import type { DumpFinalizer, DumpFrame, DumpGoroutine } from './dump';
import { ALLOC_HEADER_BYTES, allocHeaderIndex, contentOffsetAt, edgeOffsetAt, edgeOffsetRun, interiorOffset, SLOT_CTXT, SLOT_DEFER, SLOT_FUNCVAL, SLOT_G, SLOT_PANIC, staticRegionAt, type HeapGraph, type StaticRegion } from './graph';
import { goTypeName, Layouts, type Layout, type Leaf } from './typelayout';

/** Reads the dump file at an absolute offset (object contents). */
export type DumpReader = (offset: number, length: number) => Uint8Array;

export interface TypeEntry {
  id: number;
  /** Element name (for arrays, the object's name is `[N]name`). */
  name: string;
  type: GoType | null;
  /** Bytes per element (the type's size). */
  size: number;
  /** The object holds N ≥ 1 elements (a slice's backing array, a header object's array). */
  array: boolean;
  /** Where the value starts in the object: 8 after a Go 1.22+ allocation header, else 0. */
  base: number;
  layout: Layout;
}

/** `apply`'s source when the pointer is in a global (its offset is then a file offset). */
const IN_FILE = -2;

export const RANK_BYTES = 1; // a string's bytes (also a []byte's)
export const RANK_PROPAGATED = 2;
export const RANK_EXACT = 3;

export interface TypingStats {
  conflicts: number;
  typedObjects: number;
  exactObjects: number;
  /** Objects typed through each kind of root. */
  fromRoots: number;
  ms: number;
}

export class HeapTypes {
  readonly entries: TypeEntry[] = [{ id: 0, name: '', type: null, size: 0, array: false, base: 0, layout: new Map() }];
  /** Per object: entry index (low 30 bits) and rank (high 2 bits); 0 = unknown. */
  readonly obj: Uint32Array;
  /** Root edge index (forward edge id) → the variable it is: "buf []uint8". */
  readonly rootVars = new Map<number, { name: string; type: string }>();
  readonly stats: TypingStats = { conflicts: 0, typedObjects: 0, exactObjects: 0, fromRoots: 0, ms: 0 };
  private readonly keyOf = new Map<string, number>();

  /** `buf`: storage of at least n entries to use for `obj` (zeroed here). */
  constructor(n: number, buf?: Uint32Array) {
    this.obj = buf && buf.length >= n ? buf.subarray(0, n).fill(0) : new Uint32Array(n);
  }

  entryOf(i: number): TypeEntry | null {
    const v = this.obj[i] & 0x3fffffff;
    return v === 0 ? null : this.entries[v];
  }
  rankOf(i: number): number {
    return this.obj[i] >>> 30;
  }

  intern(name: string, type: GoType | null, size: number, array: boolean, base: number, layout: Layout): TypeEntry {
    // By name: a typedef and its struct, or two DIEs of one type, are one row.
    const key = `${name}|${array ? 1 : 0}|${base}`;
    let id = this.keyOf.get(key);
    if (id === undefined) {
      id = this.entries.length;
      this.entries.push({ id, name, type, size, array, base, layout });
      this.keyOf.set(key, id);
    }
    return this.entries[id];
  }

  /** The object's type name: "main.Session", "[128]uint8", or null when unknown. */
  nameOf(i: number, objectSize: number): string | null {
    const e = this.entryOf(i);
    if (!e) return null;
    return e.array ? `[${arrayLen(e, objectSize)}]${e.name}` : e.name;
  }
}

export function arrayLen(e: TypeEntry, objectSize: number): number {
  return e.size > 0 ? Math.floor((objectSize - e.base) / e.size) : 0;
}

export interface TypingInput {
  graph: HeapGraph;
  goroutines: DumpGoroutine[];
  itabs: ReadonlyArray<{ address: number; typeAddress: number }>;
  finalizers: ReadonlyArray<DumpFinalizer>;
  queuedFinalizers: ReadonlyArray<DumpFinalizer>;
  ptrSize: number;
  bigEndian: boolean;
  /** The data and bss segments and where their contents are in the dump (a global's words). */
  segments?: ReadonlyArray<{ base: number; size: number; contentsAt: number }>;
  /** Object index → Go 1.22+ header type address (null: none). */
  headerType(i: number): number | null;
}

const MAX_ARRAY_ELEMS = 2 ** 31;
const HEADER = ALLOC_HEADER_BYTES;
/** The element type the allocation header of a big Swiss map directory names (goTypeName of it). */
const RUNTIME_TABLE_PTR = '*internal/runtime/maps.table';

export function typeHeap(input: TypingInput, dw: GoDwarf, read: DumpReader | null, task: TaskContext = NO_TASK, buf?: Uint32Array): HeapTypes {
  const t0 = performance.now();
  const g = input.graph;
  const N = g.objectCount;
  const F = g.firstObject;
  const ps = input.ptrSize;
  const T = new HeapTypes(N, buf);
  const L = new Layouts(dw, ps);
  const slide = g.slide;
  const itab = new Map<number, number>();
  for (const x of input.itabs) itab.set(x.address, x.typeAddress);
  const uint8 = L.typeNamed('uint8');
  const fs = g.fwd.start;
  const ft = g.fwd.targets;
  const eo = g.edgeOffset;
  const hiAt = g.edgeOffsetHigh.at;
  const hiOf = g.edgeOffsetHigh.high;
  // Objects whose type was set or changed, to visit (a growable stack: 4 bytes per entry).
  let queue = new Uint32Array(1 << 16);
  let qn = 0;
  const push = (i: number): void => {
    if (qn === queue.length) {
      const bigger = new Uint32Array(queue.length * 2);
      bigger.set(queue);
      queue = bigger;
    }
    queue[qn++] = i;
  };
  const stats = T.stats;

  const wordAt = (at: number): number | null => {
    const b = read!(at, ps);
    if (b.length < ps) return null;
    let v = 0;
    if (input.bigEndian) for (let k = 0; k < ps; k++) v = v * 256 + b[k];
    else for (let k = ps - 1; k >= 0; k--) v = v * 256 + b[k];
    return v;
  };
  const word = (i: number, off: number): number | null => {
    if (!read || off < 0 || off + ps > g.size[i]) return null;
    return wordAt(contentOffsetAt(g, i) + off);
  };
  /** Where a static address (a global's word) is in the dump: in its data/bss segment's contents. */
  const staticAt = (addr: number): number => {
    const s = input.segments?.find((x) => addr >= x.base && addr < x.base + x.size);
    return s ? s.contentsAt + (addr - s.base) : -1;
  };

  // Memo per (type, array, base): naming and interning run once per type, not once per pointer.
  const entryMemo = new Map<GoType, Array<TypeEntry | null | undefined>>();
  const entryFor = (t: GoType, array: boolean, base: number): TypeEntry | null => {
    let m = entryMemo.get(t);
    if (!m) entryMemo.set(t, (m = [undefined, undefined, undefined, undefined]));
    const k = (array ? 1 : 0) + (base ? 2 : 0);
    let e = m[k];
    if (e === undefined) m[k] = e = entryForUncached(t, array, base);
    return e;
  };
  // Go 1.23+: the runtime allocates every time.Timer and time.Ticker as a runtime.timeTimer (the
  // Timer's own fields, then the runtime's timer, whose func and arg point on): such an object is
  // one Timer with that layout, not [7]time.Timer.
  const timeTimer = L.typeNamed('runtime.timeTimer');
  const timerLayoutOf = (t: GoType): GoType | null => {
    if (!timeTimer) return null;
    const n = goTypeName(t.name);
    return n === 'time.Timer' || n === 'time.Ticker' ? timeTimer : null;
  };
  const entryForUncached = (t: GoType, array: boolean, base: number): TypeEntry | null => {
    const u = dw.underlying(t);
    if (!u) return null;
    const tt = array ? null : timerLayoutOf(t);
    if (tt) return T.intern(goTypeName(t.name), tt, dw.sizeOf(tt), false, base, L.layout(tt));
    // An array type names its element: the object is [N]elem.
    if (u.tag === 'array' && !array) {
      const e = dw.type(u.type);
      if (e && dw.sizeOf(e) > 0) return entryFor(e, true, base);
    }
    const size = dw.sizeOf(t);
    if (size <= 0 && !(size === 0 && !array)) return null;
    return T.intern(goTypeName(t.name || u.name), t, size, array, base, L.layout(t));
  };

  /** Sets object i's type if it is new or more specific; queues it. */
  const assign = (i: number, e: TypeEntry | null, rank: number): void => {
    if (!e) return;
    const cur = T.obj[i];
    const curId = cur & 0x3fffffff;
    if (curId === e.id) return;
    if (curId !== 0) {
      const curRank = cur >>> 30;
      const ce = T.entries[curId];
      // Same name as an array and as its element (a pointer to the first element): keep the array.
      if (ce.name === e.name && ce.array !== e.array) {
        if (ce.array) return;
      } else {
        stats.conflicts++;
        if (rank < curRank) return;
        if (rank === curRank && !moreSpecific(e, ce, g.size[i])) return;
      }
    }
    T.obj[i] = (e.id | (rank << 30)) >>> 0;
    push(i);
  };

  /**
   * Type the object a pointer of kind `leaf` reaches (object j, io bytes into it). The pointer sits
   * `srcOff` bytes into object `src`; or at file offset `srcOff` of the dump when `src` is IN_FILE (a
   * global's slot); -1, -1 when not known (an interface's type word cannot be read then).
   */
  const apply = (leaf: Leaf, j: number, io: number, src: number, srcOff: number, rank: number): void => {
    const size = g.size[j];
    switch (leaf.k) {
      case 'ptr': {
        const to = leaf.to;
        if (!to) return;
        const pi = (leaf.memo as PtrInfo | undefined) ?? (leaf.memo = ptrInfo(to));
        if (pi.arrayElem) {
          pointInto(pi.arrayElem, j, io, rank);
          return;
        }
        if (io === 0) {
          // A channel's buffer may follow its hchan in one object: still one hchan.
          const many = pi.es > 0 && size >= 2 * pi.es && !pi.hchan;
          assign(j, many ? pi.many : pi.one, rank);
        } else if (io === HEADER && hasHeader(j)) {
          // Go 1.22+: the value of a header object starts after its type word.
          const many = pi.es > 0 && size - HEADER >= 2 * pi.es && !pi.hchan;
          assign(j, many ? pi.manyH : pi.oneH, rank);
        } else pointInto(to, j, io, rank);
        return;
      }
      case 'slice':
        if (leaf.elem) pointInto(leaf.elem, j, io, rank);
        return;
      case 'str':
        if (uint8) assign(j, entryFor(uint8, true, 0), RANK_BYTES);
        return;
      case 'iface': {
        if (src < 0 && srcOff < 0) return;
        const tw = src >= 0 ? word(src, srcOff - ps) : src === IN_FILE && read ? wordAt(srcOff - ps) : null;
        applyTypeWord(tw, leaf.eface, j, io, rank);
        return;
      }
      case 'func':
        if (io === 0) assign(j, closureEntry(j), rank);
        return;
      case 'trienode': {
        if (io !== 0) return;
        const isEntry = read ? read(contentOffsetAt(g, j), 1)[0] : undefined;
        const t = isEntry === undefined ? null : isEntry ? leaf.entry : leaf.indirect;
        if (t) assign(j, entryFor(t, false, 0), rank);
        return;
      }
      case 'mapdir': {
        // ≤ 8 entries: dirPtr is one group; else an array of *table.
        const dirLen = src >= 0 ? word(src, srcOff + ps) : null;
        const gsz = leaf.group ? dw.sizeOf(leaf.group) : -1;
        const isGroup = dirLen !== null ? dirLen === 0 : gsz > 0 && size >= gsz;
        if (isGroup && leaf.group) assign(j, entryFor(leaf.group, false, 0), rank);
        else if (!isGroup && leaf.table) {
          // A directory of more than 64 tables begins with an allocation header naming the
          // runtime's own []*internal/runtime/maps.table: the map's *map.table[K]V says the same
          // and more (its groups' types), so it is as exact.
          const h = hasHeader(j);
          const e = entryFor(leaf.table, true, h ? HEADER : 0);
          const cur = T.entryOf(j);
          if (e && h && cur && cur.id !== e.id && cur.name === RUNTIME_TABLE_PTR) {
            T.obj[j] = (e.id | (RANK_EXACT << 30)) >>> 0;
            push(j);
          } else assign(j, e, rank);
        }
        return;
      }
    }
  };

  /** Type object j (io bytes in) as an interface's data word whose type word is `tw` (a type, or an itab). */
  const applyTypeWord = (tw: number | null, eface: boolean, j: number, io: number, rank: number): void => {
    if (tw === null || tw === 0) return;
    const ta = eface ? tw : itabType(tw);
    if (ta === null) return;
    const dyn = dw.typeByRuntimeAddress(ta, slide);
    if (!dyn) return;
    if (isDirect(dyn)) {
      const l = L.leafOf(dyn);
      if (l && l.k !== 'iface') apply(l, j, io, -1, -1, rank);
      return;
    }
    if (io === 0) assign(j, entryFor(dyn, false, 0), rank);
  };

  interface PtrInfo {
    es: number;
    hchan: boolean;
    /** A pointer to an array type: its element. */
    arrayElem: GoType | null;
    one: TypeEntry | null;
    many: TypeEntry | null;
    /** The same after an allocation header (value at +8). */
    oneH: TypeEntry | null;
    manyH: TypeEntry | null;
  }
  const ptrMemo = new Map<GoType, PtrInfo>();
  const ptrInfo = (to: GoType): PtrInfo => {
    let pi = ptrMemo.get(to);
    if (!pi) {
      const u = dw.underlying(to);
      const arrayElem = u && u.tag === 'array' ? dw.type(u.type) : null;
      pi = {
        es: dw.sizeOf(timerLayoutOf(to) ?? to),
        hchan: !!u && u.name.startsWith('hchan<'),
        arrayElem,
        one: u ? entryFor(to, false, 0) : null,
        many: u ? entryFor(to, true, 0) : null,
        oneH: u ? entryFor(to, false, HEADER) : null,
        manyH: u ? entryFor(to, true, HEADER) : null,
      };
      ptrMemo.set(to, pi);
    }
    return pi;
  };

  const itabType = (a: number): number | null => {
    const t = itab.get(a);
    return t === undefined ? null : t;
  };

  /** A pointer to an element `e` io bytes into object j: j is [N]e when it holds 2 or more. */
  const pointInto = (e: GoType, j: number, io: number, rank: number): void => {
    const pi = ptrInfo(e);
    const es = pi.es;
    if (es <= 0) return;
    const size = g.size[j];
    if (io >= HEADER && hasHeader(j)) {
      // Elements after a Go 1.22+ allocation header.
      if ((io - HEADER) % es !== 0) return;
      assign(j, size - HEADER >= 2 * es || io > HEADER ? pi.manyH : pi.oneH, rank);
      return;
    }
    if (io % es !== 0) return;
    if (size >= 2 * es || io > 0) assign(j, pi.many, rank);
    else assign(j, pi.one, rank);
  };

  /** Whether object j begins with a Go 1.22+ allocation header (its type word). */
  const hasHeader = (j: number): boolean => allocHeaderIndex(g, j) >= 0;

  const closures = new Map<GoFunc | null, TypeEntry>();
  const closureEntry = (j: number): TypeEntry | null => {
    const pc = word(j, 0);
    const fn = pc !== null ? dw.funcByPc(pc - slide) : null;
    let e = closures.get(fn);
    if (e) return e;
    const layout: Layout = new Map();
    if (fn)
      for (const v of fn.vars) {
        if (v.closureOffset === undefined) continue;
        const vt = dw.type(v.type);
        if (!vt) continue;
        const l = L.leafOf(vt);
        // A captured variable is in the closure by value (pointer-shaped or starting with a
        // pointer) or, when it is changed after capture, by reference (*T).
        layout.set(v.closureOffset, l ?? { k: 'ptr', to: vt });
        for (const [off, leaf] of L.layout(vt)) if (off > 0) layout.set(v.closureOffset + off, leaf);
      }
    const name = fn ? `closure ${fn.name}` : 'closure';
    e = T.intern(name, null, 0, false, 0, layout);
    e.size = g.size[j];
    closures.set(fn, e);
    return e;
  };

  const isDirect = (t: GoType): boolean => {
    const u = dw.underlying(t);
    if (!u) return false;
    if (u.tag === 'pointer' || u.tag === 'func') return true;
    const k = t.goKind || u.goKind;
    if (k === 21 || k === 18 || k === 19 || k === 22 || k === 26) return true;
    // A struct or array of one pointer-shaped word is stored directly too.
    if ((u.tag === 'struct' || u.tag === 'array') && dw.sizeOf(u) === ps) {
      const l = L.layout(u);
      return l.size === 1 && l.has(0) && l.get(0)!.k !== 'str' && l.get(0)!.k !== 'slice';
    }
    return false;
  };

  // 1. Exact types from allocation headers.
  task.progress('Typing objects', 0, 1);
  for (let k = 0; k < g.typedObjects.length; k++) {
    const i = g.typedObjects[k];
    const ta = g.typeAddresses[k];
    if (!ta) continue;
    const t = dw.typeByRuntimeAddress(ta, slide);
    if (!t) continue;
    const es = dw.sizeOf(t);
    if (es <= 0) continue;
    assign(i, entryFor(t, g.size[i] - 8 >= 2 * es, 8), RANK_EXACT);
    stats.exactObjects++;
  }

  // 2. Roots.
  const globalsByName = new Map<string, { address: number; type: number }>();
  for (const v of dw.globals) if (!globalsByName.has(v.name)) globalsByName.set(v.name, v);
  const gByGoid = new Map<number, DumpGoroutine>();
  for (const gr of input.goroutines) gByGoid.set(gr.goid, gr);
  /** `slotAt`: the pointer's file offset in the dump, when known (an interface's type word is before it). */
  const rootEdge = (e: number, leaf: Leaf | null | undefined, rank = RANK_PROPAGATED, slotAt = -1): void => {
    if (!leaf) return;
    const w = ft[e];
    if (w < F) return;
    apply(leaf, w - F, interiorOffset(g, e), slotAt >= ps ? IN_FILE : -1, slotAt, rank);
  };
  const globalLeaf = (name: string | undefined, addr: number | null, off: number, e: number): void => {
    let v = name ? globalsByName.get(name) : undefined;
    let pos = off;
    if (!v && addr !== null) {
      const hit = findGlobal(dw.globals, addr - slide, dw);
      if (hit) {
        v = hit.v;
        pos = addr - slide - hit.v.address;
      }
    }
    if (!v) return;
    const t = dw.type(v.type);
    if (!t) return;
    const leaf = L.layout(t).get(pos);
    if (leaf) {
      T.rootVars.set(e, { name: name ?? '', type: goTypeName(t.name) });
      rootEdge(e, leaf, RANK_PROPAGATED, staticAt(v.address + slide + pos));
    }
  };
  /** A slot in unnamed static data a global points to: typed by the pointee of that pointer. */
  const staticLeaf = (name: string, region: StaticRegion, off: number, e: number): void => {
    const v = globalsByName.get(name);
    const t = v ? dw.type(v.type) : null;
    const slot = t ? L.layout(t).get(region.slot) : undefined;
    if (!t || slot?.k !== 'ptr' || !slot.to) return;
    const leaf = L.layout(slot.to).get(off - region.start);
    if (leaf) {
      T.rootVars.set(e, { name: `*${name}`, type: goTypeName(t.name) });
      rootEdge(e, leaf);
    }
  };
  // Stack pieces of each variable at each pc (stackPiecesOf, below).
  type StackPiece = { off: number; len: number; pos: number; type: GoType };
  const piecesCache = new Map<GoFunc['vars'][number], Map<number, StackPiece[]>>();
  type VarHit = { fn: GoFunc; v: GoFunc['vars'][number]; pieces: StackPiece[]; at: StackPiece; pos: number; leaf: NonNullable<ReturnType<ReturnType<typeof L.layout>['get']>> };
  const varCache = new Map<number, Map<number, VarHit | null>>();
  for (let r = 1; r <= g.rootCount; r++) {
    const root = g.roots[r - 1];
    const gr = root.kind === 'goroutine' && root.goroutine ? gByGoid.get(root.goroutine.goid) : undefined;
    let deferK = 0;
    let panicK = 0;
    for (let e = fs[r]; e < fs[r + 1]; e++) {
      const code = g.rootEdgeFrame[e - fs[1]];
      const off = edgeOffsetAt(g, e);
      switch (root.kind) {
        case 'global': {
          const region = root.symbol && root.symbolSize !== undefined && off >= root.symbolSize ? staticRegionAt(g, r, off) : null;
          if (region) staticLeaf(root.symbol!, region, off, e);
          else globalLeaf(root.symbol, root.symbol ? null : parseInt(root.address ?? '0', 16) + off, off, e);
          break;
        }
        case 'runtime':
          if (code >= 0 && g.symbolNames[code]) globalLeaf(g.symbolNames[code], null, off, e);
          break;
        case 'goroutine':
          if (!gr) break;
          if (code >= 0) frameSlot(gr, code, off, e);
          else if (code === SLOT_CTXT) rootEdge(e, { k: 'func' });
          else if (code === SLOT_G) rootEdge(e, ptrTo(L.typeNamed('runtime.g')));
          else if (code === SLOT_DEFER) {
            if (deferK++ % 2 === 1) rootEdge(e, { k: 'func' });
            else rootEdge(e, ptrTo(L.typeNamed('runtime._defer')));
          } else if (code === SLOT_PANIC) {
            const p = gr.panics[panicK >> 1];
            if (panicK++ % 2 === 0) rootEdge(e, ptrTo(L.typeNamed('runtime._panic')));
            else if (p && p.efaceType) {
              const dyn = dw.typeByRuntimeAddress(p.efaceType, slide);
              if (dyn) rootEdge(e, isDirect(dyn) ? L.leafOf(dyn) : { k: 'ptr', to: dyn });
            }
          }
          break;
        case 'finalizer':
        case 'pending-finalizer':
          if (code === SLOT_FUNCVAL) rootEdge(e, { k: 'func' });
          break;
      }
    }
  }
  // Finalized objects: their pointer type is in the record.
  for (const f of [...input.finalizers, ...input.queuedFinalizers]) {
    const pt = dw.typeByRuntimeAddress(f.objType, slide);
    const u = pt ? dw.underlying(pt) : null;
    if (!u || u.tag !== 'pointer') continue;
    const i = findIndex(g, f.object);
    if (i >= 0) apply({ k: 'ptr', to: dw.type(u.type) }, i, f.object - g.address[i], -1, -1, RANK_PROPAGATED);
  }
  stats.fromRoots = qn;

  /**
   * Where a variable's pieces live on the stack at pc, from the frame's CFA: [off, off+len), `pos`
   * bytes into its value. Cached per variable and pc: goroutines of one function parked at one pc
   * (a pile-up: 100k of them) ask the same question (evaluating the location list each time was
   * ~2 s of typing such a dump).
   */
  function stackPiecesOf(v: GoFunc['vars'][number], pc: number): StackPiece[] {
    let byPc = piecesCache.get(v);
    if (!byPc) piecesCache.set(v, (byPc = new Map()));
    let out = byPc.get(pc);
    if (out) return out;
    out = [];
    const expr = v.loc && v.type >= 0 ? dw.exprAt(v.loc, pc - slide) : null;
    const vt = expr ? dw.type(v.type) : null;
    if (expr && vt) for (const p of evalPieces(expr, ps, !input.bigEndian)) if (p.where === 'stack') out.push({ off: p.cfaOffset, len: p.size || dw.sizeOf(vt), pos: p.at, type: vt });
    byPc.set(pc, out);
    return out;
  }

  /** Where a variable's pieces live on the stack at pc: [start, start+len), `pos` bytes into its value. */
  function stackSlotsOf(v: GoFunc['vars'][number], pc: number, cfa: number): Array<{ start: number; len: number; pos: number; type: GoType }> {
    return stackPiecesOf(v, pc).map((p) => ({ start: cfa + p.off, len: p.len, pos: p.pos, type: p.type }));
  }

  /** The type word of a split interface `name` (its name.itab or name.type variable), read from the frame. */
  function splitTypeWord(vars: GoFunc['vars'], name: string, pc: number, cfa: number, frame: DumpFrame): { tw: number | null; eface: boolean } | null {
    for (const [suffix, eface] of [['.itab', false], ['.type', true]] as const) {
      const sib = vars.find((x) => x.name === name + suffix);
      const at = sib ? stackSlotsOf(sib, pc, cfa).find((x) => x.pos === 0) : undefined;
      if (at) return { tw: frameWord(frame, at.start), eface };
    }
    return null;
  }

  /** The word at stack address `abs` from a goroutine frame's contents in the dump; null outside it. */
  function frameWord(frame: DumpFrame, abs: number): number | null {
    const o = abs - frame.sp;
    return read && o >= 0 && o + ps <= frame.size ? wordAt(frame.contentsAt + o) : null;
  }

  function frameSlot(gr: DumpGoroutine, fi: number, off: number, e: number): void {
    const frame = gr.frames[fi];
    if (!frame) return;
    const abs = frame.sp + off;
    // The frame's own variables, then its callee's (arguments live in the caller's frame).
    for (const k of [fi, fi - 1]) {
      const f = gr.frames[k];
      if (!f) continue;
      const pc = f.pc > f.entryPc ? f.pc - 1 : f.pc;
      const cfa = f.sp + f.size;
      const rel = abs - cfa;
      const hit = varAt(pc, rel);
      if (hit) {
        const { fn, v, pieces, at, pos, leaf } = hit;
        // An interface the compiler split into variables (x.itab or x.type, and x.data, a *uint8;
        // a name with a dot is never the program's own): the object's type is in the type word, when
        // it is on the stack too (a constant itab is not), never "bytes".
        const split = /^(.+)\.data$/.exec(v.name);
        const bytePtr = leaf.k === 'ptr' && !!leaf.to && goTypeName(leaf.to.name) === 'uint8';
        if (split && leaf.k === 'ptr' && pos === 0 && (bytePtr || fn.vars.some((x) => x.name === `${split[1]}.itab` || x.name === `${split[1]}.type`))) {
          T.rootVars.set(e, { name: split[1]!, type: 'interface' });
          const word = splitTypeWord(fn.vars, split[1]!, pc, cfa, frame);
          if (word && ft[e] >= F) applyTypeWord(word.tw, word.eface, ft[e] - F, interiorOffset(g, e), RANK_PROPAGATED);
          return;
        }
        T.rootVars.set(e, { name: v.name, type: goTypeName(at.type.name) });
        if (leaf.k === 'iface') {
          // Its type word is the word before, which may be another piece of the variable.
          const tp = pieces.find((x) => pos - ps >= x.pos && pos - ps < x.pos + x.len);
          const tw = tp ? frameWord(frame, cfa + tp.off + (pos - ps - tp.pos)) : null;
          if (ft[e] >= F) applyTypeWord(tw, leaf.eface, ft[e] - F, interiorOffset(g, e), RANK_PROPAGATED);
          return;
        }
        rootEdge(e, leaf);
        return;
      }
    }
  }

  /**
   * The variable of the function at pc whose stack piece holds CFA-relative offset `rel`, with its
   * layout leaf there; cached per pc and offset (a pile-up's goroutines ask the same of each frame).
   */
  function varAt(pc: number, rel: number): VarHit | null {
    let byRel = varCache.get(pc);
    if (!byRel) varCache.set(pc, (byRel = new Map()));
    const cached = byRel.get(rel);
    if (cached !== undefined) return cached;
    let out: VarHit | null = null;
    const fn = dw.funcByPc(pc - slide);
    for (const v of fn ? fn.vars : []) {
      const pieces = stackPiecesOf(v, pc);
      const at = pieces.find((x) => rel >= x.off && rel < x.off + x.len);
      if (!at) continue;
      const pos = at.pos + (rel - at.off);
      const leaf = L.layout(at.type).get(pos);
      if (!leaf) continue;
      out = { fn: fn!, v, pieces, at, pos, leaf };
      break;
    }
    byRel.set(rel, out);
    return out;
  }

  // Interior pointers are few: a bitset says which edges are, so the others skip the search.
  const interior = new Uint8Array((g.fwd.targets.length >>> 3) + 1);
  for (let k = 0; k < g.interiorEdges.length; k++) {
    const e = g.interiorEdges[k];
    interior[e >>> 3] |= 1 << (e & 7);
  }

  // 3. Propagate to a fixed point.
  let done = 0;
  while (qn > 0) {
    const i = queue[--qn];
    const en = T.entries[T.obj[i] & 0x3fffffff];
    const rank = Math.min(T.obj[i] >>> 30, RANK_PROPAGATED);
    const lay = en.layout;
    if (lay.size === 0) continue;
    const v = F + i;
    const stride = en.array ? en.size : 0;
    const e0 = fs[v];
    // Offsets past 64 KiB only in objects over 64 KiB (the parser keeps slots inside the object):
    // there, the run of high offset bits at e0, advanced along the object's (ascending) edges.
    const wide = hiAt.length > 0 && g.size[i] > 0x10000;
    let run = wide ? edgeOffsetRun(g, e0) : -1;
    for (let e = e0; e < fs[v + 1]; e++) {
      if (wide) while (run + 1 < hiAt.length && hiAt[run + 1] <= e) run++;
      const off = run < 0 ? eo[e] : eo[e] + hiOf[run] * 65536;
      let pos = off - en.base;
      if (pos < 0) continue;
      if (stride > 0) {
        if (pos >= stride * MAX_ARRAY_ELEMS) continue;
        pos %= stride;
      }
      const leaf = lay.get(pos);
      if (!leaf) continue;
      const w = ft[e];
      if (w < F) continue;
      apply(leaf, w - F, interior[e >>> 3] & (1 << (e & 7)) ? interiorOffset(g, e) : 0, i, off, rank);
    }
    if ((++done & 0xffff) === 0) {
      task.throwIfCancelled();
      task.progress('Typing objects', done, N);
    }
  }
  for (let i = 0; i < N; i++) if (T.obj[i] !== 0) stats.typedObjects++;
  stats.ms = Math.round(performance.now() - t0);
  return T;
}

function ptrTo(t: GoType | null): Leaf | null {
  return t ? { k: 'ptr', to: t } : null;
}

/**
 * Prefer the bigger element (a map bucket over the runtime's 8-byte bmap view of it, a struct over
 * its first field), then the type that explains more of the object, then more pointer slots.
 */
function moreSpecific(a: TypeEntry, b: TypeEntry, objectSize: number): boolean {
  if (a.size !== b.size) return a.size > b.size;
  const cover = (e: TypeEntry) => (e.array ? Math.floor((objectSize - e.base) / Math.max(1, e.size)) * e.size : e.size);
  const ca = cover(a);
  const cb = cover(b);
  if (ca !== cb) return ca > cb;
  return a.layout.size > b.layout.size;
}

function findGlobal(globals: ReadonlyArray<{ name: string; address: number; type: number }>, addr: number, dw: GoDwarf): { v: { name: string; address: number; type: number } } | null {
  let lo = 0;
  let hi = globals.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (globals[mid].address <= addr) lo = mid + 1;
    else hi = mid;
  }
  const v = globals[lo - 1];
  if (!v) return null;
  const size = dw.sizeOf(dw.type(v.type));
  return size > 0 && addr < v.address + size ? { v } : null;
}

function findIndex(g: HeapGraph, addr: number): number {
  const a = g.address;
  let lo = 0;
  let hi = g.objectCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= addr) lo = mid + 1;
    else hi = mid;
  }
  const i = lo - 1;
  return i >= 0 && addr < a[i] + g.size[i] ? i : -1;
}
