/**
 * Where the pointers of a Go type are, from its DWARF: per byte offset, what kind of pointer sits
 * there and what it says about the object it points to (a typed pointer, a slice's backing array,
 * a string's bytes, an interface's data word, a func value's closure, a Swiss map's directory).
 * Built once per type and cached.
 */
import type { GoDwarf, GoType } from '../dwarf/index';

export type Leaf =
  /** memo: what typing derived from `to` (kept with the leaf: one lookup per pointer, not two). */
  | { k: 'ptr'; to: GoType | null; memo?: object }
  | { k: 'slice'; elem: GoType | null }
  | { k: 'str' }
  | { k: 'iface'; eface: boolean }
  | { k: 'func' }
  /** internal/sync.HashTrieMap (sync.Map from 1.24): a node is an entry or an indirect, told by its isEntry byte. */
  | { k: 'trienode'; entry: GoType | null; indirect: GoType | null }
  /** map<K,V>.dirPtr (Go 1.24+): one group (≤ 8 entries) or an array of `table` (the *table<K,V> type). */
  | { k: 'mapdir'; group: GoType | null; table: GoType | null };

/** Pointer slots of one type, by byte offset from its start. */
export type Layout = Map<number, Leaf>;

const MAX_SLOTS = 1 << 14;

const GO_KIND_STRING = 24;
const GO_KIND_SLICE = 23;
const GO_KIND_INTERFACE = 20;
const GO_KIND_UNSAFE_POINTER = 26;

/** Splits "K,V" at the top-level comma (types may hold commas inside brackets). */
export function splitKV(s: string): [string, string] | null {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '<' || c === '[' || c === '(' || c === '{') depth++;
    else if (c === '>' || c === ']' || c === ')' || c === '}') depth--;
    else if (c === ',' && depth === 0) return [s.slice(0, i), s.slice(i + 1)];
  }
  return null;
}

/** The Go name users know for a DWARF type name (map internals as viewcore names them), anywhere in it. */
export function goTypeName(name: string): string {
  let n = name.replace(/noalg\./g, '').replace(/go\.shape\./g, '');
  if (!n.includes('<')) return n;
  // Innermost-first: rewrite `word<...>` whose contents hold no other `<`.
  for (let guard = 0; guard < 16; guard++) {
    const m = /\b(bucket|hash|map|table|groupReference)<([^<>]*)>/.exec(n);
    if (!m) break;
    const kv = splitKV(m[2]);
    if (!kv) break;
    const what = m[1] === 'hash' || m[1] === 'map' ? 'hdr' : m[1] === 'groupReference' ? 'groupref' : m[1];
    n = n.slice(0, m.index) + `map.${what}[${kv[0]}]${kv[1]}` + n.slice(m.index + m[0].length);
  }
  return n;
}

export class Layouts {
  private readonly cache = new Map<GoType, Layout>();
  constructor(
    readonly dw: GoDwarf,
    readonly ptrSize: number,
  ) {}

  typeNamed(name: string): GoType | null {
    return this.dw.typeNamed(name);
  }

  layout(t: GoType): Layout {
    let l = this.cache.get(t);
    if (!l) {
      l = new Map();
      this.cache.set(t, l);
      this.add(t, 0, l, 0);
    }
    return l;
  }

  /** The leaf a pointer-shaped type (a whole word) is, or null. */
  leafOf(t: GoType): Leaf | null {
    const l = this.layout(t);
    return l.get(0) ?? null;
  }

  /** A pointer to `to`: a trie node of internal/sync (which is an entry or an indirect) is told apart later. */
  pointerLeaf(to: GoType | null): Leaf {
    if (to) {
      const m = /^internal\/sync\.node\[(.*)\]$/.exec(to.name);
      if (m) {
        // Types used only inside generic code exist in DWARF under their shape names.
        const kv = splitKV(m[1]);
        const shaped = kv ? kv.map((x) => (x.startsWith('go.shape.') ? x : `go.shape.${x}`)).join(',') : m[1];
        const find = (what: string) => this.typeNamed(`internal/sync.${what}[${m[1]}]`) ?? this.typeNamed(`internal/sync.${what}[${shaped}]`);
        return { k: 'trienode', entry: find('entry'), indirect: find('indirect') };
      }
    }
    return { k: 'ptr', to };
  }

  private add(t: GoType | null, o: number, out: Layout, depth: number): void {
    if (!t || depth > 32 || out.size > MAX_SLOTS) return;
    const dw = this.dw;
    const u = dw.underlying(t);
    if (!u) return;
    const kind = t.goKind || u.goKind;
    switch (u.tag) {
      case 'pointer':
        out.set(o, this.pointerLeaf(dw.type(u.type)));
        return;
      case 'func':
        out.set(o, { k: 'func' });
        return;
      case 'base':
      case 'unspecified':
        if (kind === GO_KIND_UNSAFE_POINTER || u.name === 'unsafe.Pointer') out.set(o, { k: 'ptr', to: null });
        return;
      case 'array': {
        const e = dw.type(u.type);
        const es = dw.sizeOf(e);
        if (!e || es <= 0 || u.count <= 0) return;
        const inner = this.layout(e);
        if (inner.size === 0) return;
        for (let i = 0; i < u.count && out.size <= MAX_SLOTS; i++) for (const [k, v] of inner) out.set(o + i * es + k, v);
        return;
      }
      case 'struct': {
        if (kind === GO_KIND_STRING || u.name === 'string') {
          out.set(o, { k: 'str' });
          return;
        }
        if (kind === GO_KIND_SLICE || u.name.startsWith('[]')) {
          let elem = dw.type(u.elem >= 0 ? u.elem : t.elem);
          if (!elem && u.fields && u.fields[0]) elem = dw.type(dw.underlying(dw.type(u.fields[0].type))?.type ?? -1);
          out.set(o, { k: 'slice', elem });
          return;
        }
        if (kind === GO_KIND_INTERFACE || u.name === 'runtime.iface' || u.name === 'runtime.eface') {
          out.set(o + this.ptrSize, { k: 'iface', eface: u.name === 'runtime.eface' || t.name === 'interface {}' || t.name === 'any' });
          return;
        }
        const isSwissMap = u.name.startsWith('map<');
        if (u.name.startsWith('sync/atomic.Pointer[')) {
          // atomic.Pointer[T]{_ [0]*T; _ noCopy; v unsafe.Pointer}: v is a *T.
          const marker = (u.fields ?? []).find((f) => f.name === '_' && dw.underlying(dw.type(f.type))?.tag === 'array');
          const v = (u.fields ?? []).find((f) => f.name === 'v');
          const pt = marker ? dw.underlying(dw.type(dw.underlying(dw.type(marker.type))!.type)) : null;
          if (v && pt && pt.tag === 'pointer') out.set(o + v.offset, this.pointerLeaf(dw.type(pt.type)));
          return;
        }
        const chanElem = u.name.startsWith('hchan<') ? this.typeNamed(u.name.slice(6, -1)) : null;
        for (const f of u.fields ?? []) {
          if (chanElem && f.name === 'buf') {
            // hchan.buf is an unsafe.Pointer to the buffer: [cap]T (inside the hchan object when T has no pointers).
            out.set(o + f.offset, { k: 'slice', elem: chanElem });
            continue;
          }
          if (u.name === 'sync.entry' && f.name === 'p' && dw.underlying(dw.type(f.type))?.tag !== 'struct') {
            // Go ≤ 1.19: sync.Map's entry.p is an unsafe.Pointer to an interface{}.
            out.set(o + f.offset, { k: 'ptr', to: this.typeNamed('interface {}') });
            continue;
          }
          if (isSwissMap && f.name === 'dirPtr') {
            const kv = splitKV(u.name.slice(4, -1));
            const group = kv ? (this.typeNamed(`noalg.map.group[${kv[0]}]${kv[1]}`) ?? this.typeNamed(`map.group[${kv[0]}]${kv[1]}`)) : null;
            const pp = dw.underlying(dw.type(f.type));
            const p = pp ? dw.underlying(dw.type(pp.type)) : null;
            out.set(o + f.offset, { k: 'mapdir', group, table: p });
            continue;
          }
          this.add(dw.type(f.type), o + f.offset, out, depth + 1);
        }
        return;
      }
      default:
        return;
    }
  }
}
