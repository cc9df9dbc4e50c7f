/**
 * .debug_info + .debug_abbrev (DWARF 2–5): every unit, every DIE, turned into the Go model (types,
 * globals, functions with variables). Attribute values in other sections (.debug_str,
 * .debug_line_str, .debug_str_offsets, .debug_addr, .debug_loc/.debug_loclists,
 * .debug_ranges/.debug_rnglists) are resolved through the unit's bases.
 */
import { Cursor, dwarfError, strAt } from './cursor';
import type { GoCompileUnit, GoField, GoFunc, GoGlobal, GoInline, GoLocation, GoType, GoVar, TypeTag } from './model';

export interface DwarfSections {
  info: Uint8Array;
  abbrev: Uint8Array;
  str: Uint8Array | null;
  lineStr: Uint8Array | null;
  strOffsets: Uint8Array | null;
  addr: Uint8Array | null;
  loc: Uint8Array | null;
  loclists: Uint8Array | null;
  ranges: Uint8Array | null;
  rnglists: Uint8Array | null;
}

// Tags
const TAG_array_type = 0x01;
const TAG_formal_parameter = 0x05;
const TAG_lexical_block = 0x0b;
const TAG_member = 0x0d;
const TAG_pointer_type = 0x0f;
const TAG_compile_unit = 0x11;
const TAG_structure_type = 0x13;
const TAG_subroutine_type = 0x15;
const TAG_typedef = 0x16;
const TAG_inlined_subroutine = 0x1d;
const TAG_subrange_type = 0x21;
const TAG_base_type = 0x24;
const TAG_subprogram = 0x2e;
const TAG_variable = 0x34;
const TAG_unspecified_type = 0x3b;
const TAG_skeleton_unit = 0x4a;
const TAG_partial_unit = 0x3c;

// Attributes
const AT_location = 0x02;
const AT_name = 0x03;
const AT_byte_size = 0x0b;
const AT_stmt_list = 0x10;
const AT_low_pc = 0x11;
const AT_high_pc = 0x12;
const AT_producer = 0x25;
const AT_count = 0x37;
const AT_upper_bound = 0x2f;
const AT_abstract_origin = 0x31;
const AT_data_member_location = 0x38;
const AT_frame_base = 0x40;
const AT_specification = 0x47;
const AT_type = 0x49;
const AT_ranges = 0x55;
const AT_str_offsets_base = 0x72;
const AT_addr_base = 0x73;
const AT_rnglists_base = 0x74;
const AT_loclists_base = 0x8c;
const AT_go_kind = 0x2900;
const AT_go_key = 0x2901;
const AT_go_elem = 0x2902;
const AT_go_embedded_field = 0x2903;
const AT_go_runtime_type = 0x2904;
const AT_go_closure_offset = 0x2907;

// Forms
const F = {
  addr: 0x01,
  block2: 0x03,
  block4: 0x04,
  data2: 0x05,
  data4: 0x06,
  data8: 0x07,
  string: 0x08,
  block: 0x09,
  block1: 0x0a,
  data1: 0x0b,
  flag: 0x0c,
  sdata: 0x0d,
  strp: 0x0e,
  udata: 0x0f,
  ref_addr: 0x10,
  ref1: 0x11,
  ref2: 0x12,
  ref4: 0x13,
  ref8: 0x14,
  ref_udata: 0x15,
  indirect: 0x16,
  sec_offset: 0x17,
  exprloc: 0x18,
  flag_present: 0x19,
  strx: 0x1a,
  addrx: 0x1b,
  ref_sup4: 0x1c,
  strp_sup: 0x1d,
  data16: 0x1e,
  line_strp: 0x1f,
  ref_sig8: 0x20,
  implicit_const: 0x21,
  loclistx: 0x22,
  rnglistx: 0x23,
  ref_sup8: 0x24,
  strx1: 0x25,
  strx2: 0x26,
  strx3: 0x27,
  strx4: 0x28,
  addrx1: 0x29,
  addrx2: 0x2a,
  addrx3: 0x2b,
  addrx4: 0x2c,
} as const;

interface Abbrev {
  tag: number;
  children: boolean;
  attrs: Int32Array; // name, form pairs
  consts: Float64Array; // implicit_const values per attribute
}

/** Abbreviation tables, parsed once per offset. */
function parseAbbrevs(b: Uint8Array, off: number, file?: string): Map<number, Abbrev> {
  const c = new Cursor(b, '.debug_abbrev', true, 0, b.length, file);
  c.seek(off);
  const out = new Map<number, Abbrev>();
  for (;;) {
    const code = c.uleb();
    if (code === 0) break;
    const tag = c.uleb();
    const children = c.u8() !== 0;
    const attrs: number[] = [];
    const consts: number[] = [];
    for (;;) {
      const name = c.uleb();
      const form = c.uleb();
      if (name === 0 && form === 0) break;
      if (attrs.length > 2048) c.fail('abbreviation with too many attributes');
      consts.push(form === F.implicit_const ? c.sleb() : 0);
      attrs.push(name, form);
    }
    out.set(code, { tag, children, attrs: Int32Array.from(attrs), consts: Float64Array.from(consts) });
  }
  return out;
}

export interface Unit {
  version: number;
  offSize: number;
  addrSize: number;
  le: boolean;
  strOffsetsBase: number;
  addrBase: number;
  loclistsBase: number;
  rnglistsBase: number;
  lowPc: number;
}

/** Value of one attribute: numbers (constants, offsets, addresses), strings, blocks, or null. */
type Val = number | string | Uint8Array | null;

const MAX_DEPTH = 256;

export interface InfoResult {
  units: GoCompileUnit[];
  /** Per unit (same order as units): what decoding its location lists later needs. */
  unitInfo: Unit[];
  types: Map<number, GoType>;
  globals: GoGlobal[];
  funcs: GoFunc[];
}

export function parseInfo(s: DwarfSections, le: boolean, file?: string): InfoResult {
  const abbrevCache = new Map<number, Map<number, Abbrev>>();
  const c = new Cursor(s.info, '.debug_info', le, 0, s.info.length, file);
  const units: GoCompileUnit[] = [];
  const unitInfo: Unit[] = [];
  const types = new Map<number, GoType>();
  const globals: GoGlobal[] = [];
  const funcs: GoFunc[] = [];
  // Abstract origins: DIE offset -> name/type/closure offset, filled as seen (origins may come later).
  const originName = new Map<number, string>();
  const originType = new Map<number, number>();
  const pendingVars: Array<{ v: GoVar; origin: number }> = [];
  const pendingFuncs: Array<{ f: GoFunc; origin: number }> = [];
  const pendingInlines: Array<{ inl: GoInline; origin: number }> = [];

  while (c.pos < c.end) {
    const unitStart = c.pos;
    let len = c.u32();
    let offSize = 4;
    if (len === 0xffffffff) {
      len = c.u64();
      offSize = 8;
    } else if (len >= 0xfffffff0) c.fail(`reserved unit length 0x${len.toString(16)}`, unitStart);
    const unitEnd = c.pos + len;
    if (unitEnd > c.end || len < 2) c.fail(`unit length ${len} runs past the section`, unitStart);
    const version = c.u16();
    if (version < 2 || version > 5) c.fail(`unsupported DWARF version ${version}`, unitStart + offSize);
    let abbrevOff: number;
    let addrSize: number;
    let unitType = 1;
    if (version >= 5) {
      unitType = c.u8();
      addrSize = c.u8();
      abbrevOff = c.uN(offSize);
      if (unitType === 2 || unitType === 6) c.skip(8 + offSize); // type units: signature + type offset
      else if (unitType === 4 || unitType === 5) c.skip(8); // skeleton / split: dwo id
    } else {
      abbrevOff = c.uN(offSize);
      addrSize = c.u8();
    }
    if (addrSize !== 4 && addrSize !== 8 && addrSize !== 2) c.fail(`unsupported address size ${addrSize}`);
    let abbrevs = abbrevCache.get(abbrevOff);
    if (!abbrevs) {
      abbrevs = parseAbbrevs(s.abbrev, abbrevOff, file);
      abbrevCache.set(abbrevOff, abbrevs);
    }
    const u: Unit = { version, offSize, addrSize, le, strOffsetsBase: version >= 5 ? 8 : 0, addrBase: 8, loclistsBase: 12, rnglistsBase: 12, lowPc: 0 };
    const uc = new Cursor(s.info, '.debug_info', le, c.pos, unitEnd, file);
    const unitIndex = unitInfo.length;
    unitInfo.push(u);
    // Stack of open DIEs with children: what they are (to attach members, subranges, variables).
    const stack: Array<{ tag: number; type: GoType | null; func: GoFunc | null }> = [];
    let curFunc: GoFunc | null = null;
    const funcDepth: number[] = [];
    let unit: GoCompileUnit | null = null;
    while (uc.pos < unitEnd) {
      const dieOff = uc.pos;
      const code = uc.uleb();
      if (code === 0) {
        const top = stack.pop();
        if (top && top.func && funcDepth.length && funcDepth[funcDepth.length - 1] === stack.length) {
          funcDepth.pop();
          curFunc = null;
          for (let k = stack.length - 1; k >= 0; k--)
            if (stack[k].func) {
              curFunc = stack[k].func;
              break;
            }
        }
        continue;
      }
      const ab0 = abbrevs.get(code);
      if (!ab0) return uc.fail(`unknown abbreviation code ${code}`, dieOff);
      const ab: Abbrev = ab0;
      // Attributes of interest.
      let name: string | null = null;
      let type = -1;
      let byteSize = -1;
      let goKind = 0;
      let runtimeType = 0;
      let key = -1;
      let elem = -1;
      let embedded = false;
      let count = -1;
      let upper = -1;
      let lowPc = -1;
      let highPc = -1;
      let highIsOffset = false;
      let location: Val = null;
      let locationIsList = false;
      let memberLoc: Val = null;
      let frameBase: Uint8Array | null = null;
      let origin = -1;
      let rangesOff = -1;
      let rangesIsIndex = false;
      let closureOffset = -1;
      let producer = '';
      let stmtList = -1;
      const at = ab.attrs;
      for (let k = 0; k < at.length; k += 2) {
        const an = at[k];
        let form = at[k + 1];
        if (form === F.indirect) form = uc.uleb();
        const isRef = form === F.ref1 || form === F.ref2 || form === F.ref4 || form === F.ref8 || form === F.ref_udata;
        const v = readValue(uc, form, u, s, ab.consts[k >> 1], unitStart, file);
        switch (an) {
          case AT_name:
            if (typeof v === 'string') name = v;
            break;
          case AT_type:
            if (typeof v === 'number') type = v;
            break;
          case AT_byte_size:
            if (typeof v === 'number') byteSize = v;
            break;
          case AT_go_kind:
            if (typeof v === 'number') goKind = v;
            break;
          case AT_go_runtime_type:
            if (typeof v === 'number') runtimeType = v;
            break;
          case AT_go_key:
            if (typeof v === 'number') key = v;
            break;
          case AT_go_elem:
            if (typeof v === 'number') elem = v;
            break;
          case AT_go_embedded_field:
            embedded = v === 1;
            break;
          case AT_go_closure_offset:
            if (typeof v === 'number') closureOffset = v;
            break;
          case AT_count:
            if (typeof v === 'number') count = v;
            break;
          case AT_upper_bound:
            if (typeof v === 'number') upper = v;
            break;
          case AT_low_pc:
            if (typeof v === 'number') lowPc = v;
            break;
          case AT_high_pc:
            if (typeof v === 'number') {
              highPc = v;
              highIsOffset = form !== F.addr && !(form >= F.addrx1 && form <= F.addrx4) && form !== F.addrx;
            }
            break;
          case AT_location:
            location = v;
            locationIsList = typeof v === 'number';
            if (form === F.loclistx && typeof v === 'number') location = loclistIndex(v, u, s, file);
            break;
          case AT_data_member_location:
            memberLoc = v;
            break;
          case AT_frame_base:
            if (v instanceof Uint8Array) frameBase = v;
            break;
          case AT_abstract_origin:
          case AT_specification:
            if (typeof v === 'number' && isRef) origin = v;
            else if (typeof v === 'number' && form === F.ref_addr) origin = v;
            break;
          case AT_ranges:
            if (typeof v === 'number') {
              rangesOff = v;
              rangesIsIndex = form === F.rnglistx;
            }
            break;
          case AT_str_offsets_base:
            if (typeof v === 'number') u.strOffsetsBase = v;
            break;
          case AT_addr_base:
            if (typeof v === 'number') u.addrBase = v;
            break;
          case AT_loclists_base:
            if (typeof v === 'number') u.loclistsBase = v;
            break;
          case AT_rnglists_base:
            if (typeof v === 'number') u.rnglistsBase = v;
            break;
          case AT_producer:
            if (typeof v === 'string') producer = v;
            break;
          case AT_stmt_list:
            if (typeof v === 'number') stmtList = v;
            break;
        }
      }
      const tag = ab.tag;
      const parent = stack.length ? stack[stack.length - 1] : null;
      let newType: GoType | null = null;
      let newFunc: GoFunc | null = null;
      switch (tag) {
        case TAG_compile_unit:
        case TAG_skeleton_unit:
        case TAG_partial_unit:
          u.lowPc = lowPc >= 0 ? lowPc : 0;
          unit = { name: name ?? '', producer, version, lowPc: u.lowPc, stmtList };
          units.push(unit);
          break;
        case TAG_base_type:
        case TAG_pointer_type:
        case TAG_structure_type:
        case TAG_array_type:
        case TAG_typedef:
        case TAG_subroutine_type:
        case TAG_unspecified_type: {
          if (curFunc && tag === TAG_typedef) break; // dictionary typedefs (.paramN) inside generic functions
          const t: TypeTag =
            tag === TAG_base_type ? 'base' : tag === TAG_pointer_type ? 'pointer' : tag === TAG_structure_type ? 'struct' : tag === TAG_array_type ? 'array' : tag === TAG_typedef ? 'typedef' : tag === TAG_subroutine_type ? 'func' : 'unspecified';
          newType = { off: dieOff, tag: t, name: name ?? '', size: byteSize, goKind, runtimeType, type, key, elem, count: -1, fields: tag === TAG_structure_type ? [] : null };
          types.set(dieOff, newType);
          break;
        }
        case TAG_member:
          if (parent && parent.type && parent.type.fields) {
            const f: GoField = { name: name ?? '', offset: memberOffset(memberLoc, uc, dieOff), type, embedded };
            parent.type.fields.push(f);
          }
          break;
        case TAG_subrange_type:
          if (parent && parent.type && parent.type.tag === 'array') parent.type.count = count >= 0 ? count : upper >= 0 ? upper + 1 : -1;
          break;
        case TAG_subprogram: {
          if (lowPc < 0 && rangesOff < 0) {
            // Abstract instance (inlined function): remember names for concrete instances.
            if (name) originName.set(dieOff, name);
            break;
          }
          const ranges = rangesOff >= 0 ? readRanges(rangesOff, rangesIsIndex, u, s, file) : null;
          const lo = lowPc >= 0 ? lowPc : ranges && ranges.length ? ranges[0][0] : 0;
          const hi = highPc < 0 ? (ranges && ranges.length ? ranges[ranges.length - 1][1] : lo) : highIsOffset ? lo + highPc : highPc;
          newFunc = { name: name ?? '', lowPc: lo, highPc: hi, ranges, frameBase, vars: [], unit: units.length - 1 };
          if (!name && origin >= 0) pendingFuncs.push({ f: newFunc, origin });
          if (name) originName.set(dieOff, name);
          funcs.push(newFunc);
          break;
        }
        case TAG_variable:
        case TAG_formal_parameter: {
          if (name) originName.set(dieOff, name);
          if (type >= 0) originType.set(dieOff, type);
          const loc: GoLocation | null =
            location instanceof Uint8Array ? { expr: location } : locationIsList && typeof location === 'number' ? { listAt: location, unit: unitIndex } : null;
          if (!curFunc) {
            // A global: its location is DW_OP_addr.
            if (tag === TAG_variable && loc && 'expr' in loc && loc.expr.length === 1 + u.addrSize && loc.expr[0] === 0x03) {
              const ec = new Cursor(loc.expr, '.debug_info', le, 1, loc.expr.length, file);
              globals.push({ name: name ?? '', address: ec.uN(u.addrSize), type });
            }
            break;
          }
          const v: GoVar = { name: name ?? '', type, kind: tag === TAG_formal_parameter ? 'param' : 'local', loc };
          if (closureOffset >= 0) v.closureOffset = closureOffset;
          if ((!name || type < 0) && origin >= 0) pendingVars.push({ v, origin });
          curFunc.vars.push(v);
          break;
        }
        case TAG_inlined_subroutine: {
          // A call inlined into curFunc: its pcs, the function's name (resolved below) and how deep
          // it is nested in other inlined calls (a child DIE is a call inlined into its parent).
          if (!curFunc || origin < 0 || (lowPc < 0 && rangesOff < 0)) break;
          const ranges = rangesOff >= 0 ? readRanges(rangesOff, rangesIsIndex, u, s, file) : [[lowPc, highIsOffset ? lowPc + highPc : highPc] as [number, number]];
          let depth = 0;
          for (let k = stack.length - 1; k >= 0 && !stack[k].func; k--) if (stack[k].tag === TAG_inlined_subroutine) depth++;
          const inl: GoInline = { name: '', depth, ranges };
          (curFunc.inlines ??= []).push(inl);
          pendingInlines.push({ inl, origin });
          break;
        }
        case TAG_lexical_block:
          break;
      }
      if (ab.children) {
        if (stack.length >= MAX_DEPTH) uc.fail('DIE tree nested too deep', dieOff);
        stack.push({ tag, type: newType, func: newFunc });
        if (newFunc) {
          curFunc = newFunc;
          funcDepth.push(stack.length - 1);
        }
      }
    }
    c.seek(unitEnd);
  }
  for (const { v, origin } of pendingVars) {
    if (!v.name) v.name = originName.get(origin) ?? '';
    if (v.type < 0) v.type = originType.get(origin) ?? -1;
  }
  for (const { f, origin } of pendingFuncs) f.name = originName.get(origin) ?? '';
  for (const { inl, origin } of pendingInlines) inl.name = originName.get(origin) ?? '';
  return { units, unitInfo, types, globals, funcs };
}

function memberOffset(v: Val, c: Cursor, at: number): number {
  if (typeof v === 'number') return v;
  if (v instanceof Uint8Array) {
    // DW_OP_plus_uconst N (DWARF 2 style).
    if (v.length >= 2 && v[0] === 0x23) {
      const ec = new Cursor(v, '.debug_info', true, 1, v.length, c.file);
      return ec.uleb();
    }
    c.fail('unsupported member location expression', at);
  }
  return 0;
}

function readValue(c: Cursor, form: number, u: Unit, s: DwarfSections, implicit: number, unitStart: number, file?: string): Val {
  switch (form) {
    case F.addr:
      return c.uN(u.addrSize);
    case F.block2:
      return c.bytes(c.u16());
    case F.block4:
      return c.bytes(c.u32());
    case F.data2:
      return c.u16();
    case F.data4:
      return c.u32();
    case F.data8:
      return c.u64();
    case F.data16:
      c.skip(16);
      return null;
    case F.string:
      return c.cstr();
    case F.block:
    case F.exprloc:
      return c.bytes(c.uleb());
    case F.block1:
      return c.bytes(c.u8());
    case F.data1:
      return c.u8();
    case F.flag:
      return c.u8() ? 1 : 0;
    case F.flag_present:
      return 1;
    case F.sdata:
      return c.sleb();
    case F.udata:
      return c.uleb();
    case F.strp: {
      const off = c.uN(u.offSize);
      if (!s.str) return c.fail('DW_FORM_strp without a .debug_str section');
      return strAt(s.str, off, '.debug_str', file);
    }
    case F.line_strp: {
      const off = c.uN(u.offSize);
      if (!s.lineStr) return c.fail('DW_FORM_line_strp without a .debug_line_str section');
      return strAt(s.lineStr, off, '.debug_line_str', file);
    }
    case F.strp_sup:
      c.skip(u.offSize);
      return null;
    case F.strx:
      return strIndex(c.uleb(), u, s, c, file);
    case F.strx1:
      return strIndex(c.u8(), u, s, c, file);
    case F.strx2:
      return strIndex(c.u16(), u, s, c, file);
    case F.strx3:
      return strIndex(c.u24(), u, s, c, file);
    case F.strx4:
      return strIndex(c.u32(), u, s, c, file);
    case F.addrx:
      return addrIndex(c.uleb(), u, s, file);
    case F.addrx1:
      return addrIndex(c.u8(), u, s, file);
    case F.addrx2:
      return addrIndex(c.u16(), u, s, file);
    case F.addrx3:
      return addrIndex(c.u24(), u, s, file);
    case F.addrx4:
      return addrIndex(c.u32(), u, s, file);
    case F.ref1:
      return unitStart + c.u8();
    case F.ref2:
      return unitStart + c.u16();
    case F.ref4:
      return unitStart + c.u32();
    case F.ref8:
      return unitStart + c.u64();
    case F.ref_udata:
      return unitStart + c.uleb();
    case F.ref_addr:
      return c.uN(u.version <= 2 ? u.addrSize : u.offSize);
    case F.ref_sig8:
      c.skip(8);
      return null;
    case F.ref_sup4:
      c.skip(4);
      return null;
    case F.ref_sup8:
      c.skip(8);
      return null;
    case F.sec_offset:
      return c.uN(u.offSize);
    case F.implicit_const:
      return implicit;
    case F.loclistx:
    case F.rnglistx:
      return c.uleb();
    default:
      return c.fail(`unknown attribute form 0x${form.toString(16)}`);
  }
}

function strIndex(i: number, u: Unit, s: DwarfSections, c: Cursor, file?: string): string {
  if (!s.strOffsets || !s.str) return c.fail('DW_FORM_strx without .debug_str_offsets/.debug_str');
  const oc = new Cursor(s.strOffsets, '.debug_str_offsets', u.le, 0, s.strOffsets.length, file);
  oc.seek(u.strOffsetsBase + i * u.offSize);
  return strAt(s.str, oc.uN(u.offSize), '.debug_str', file);
}

function addrIndex(i: number, u: Unit, s: DwarfSections, file?: string): number {
  if (!s.addr) throw dwarfError('DW_FORM_addrx without a .debug_addr section', '.debug_info', 0, file);
  const ac = new Cursor(s.addr, '.debug_addr', u.le, 0, s.addr.length, file);
  ac.seek(u.addrBase + i * u.addrSize);
  return ac.uN(u.addrSize);
}

function loclistIndex(i: number, u: Unit, s: DwarfSections, file?: string): number {
  if (!s.loclists) throw dwarfError('DW_FORM_loclistx without a .debug_loclists section', '.debug_info', 0, file);
  const c = new Cursor(s.loclists, '.debug_loclists', u.le, 0, s.loclists.length, file);
  c.seek(u.loclistsBase + i * u.offSize);
  return u.loclistsBase + c.uN(u.offSize);
}

const MAX_LIST = 1 << 20;

/** A location list (DWARF 5 .debug_loclists, or DWARF 2–4 .debug_loc) with absolute PCs. */
export function readLocList(off: number, u: Unit, s: DwarfSections, file?: string): Array<{ lo: number; hi: number; expr: Uint8Array }> {
  const out: Array<{ lo: number; hi: number; expr: Uint8Array }> = [];
  let base = u.lowPc;
  if (u.version >= 5) {
    if (!s.loclists) throw dwarfError('location list without a .debug_loclists section', '.debug_info', 0, file);
    const c = new Cursor(s.loclists, '.debug_loclists', u.le, 0, s.loclists.length, file);
    c.seek(off);
    for (let n = 0; n < MAX_LIST; n++) {
      const kind = c.u8();
      let lo = 0;
      let hi = 0;
      switch (kind) {
        case 0: // end_of_list
          return out;
        case 1: // base_addressx
          base = addrIndex(c.uleb(), u, s, file);
          continue;
        case 2: // startx_endx
          lo = addrIndex(c.uleb(), u, s, file);
          hi = addrIndex(c.uleb(), u, s, file);
          break;
        case 3: // startx_length
          lo = addrIndex(c.uleb(), u, s, file);
          hi = lo + c.uleb();
          break;
        case 4: // offset_pair
          lo = base + c.uleb();
          hi = base + c.uleb();
          break;
        case 5: // default_location
          lo = 0;
          hi = Number.MAX_SAFE_INTEGER;
          break;
        case 6: // base_address
          base = c.uN(u.addrSize);
          continue;
        case 7: // start_end
          lo = c.uN(u.addrSize);
          hi = c.uN(u.addrSize);
          break;
        case 8: // start_length
          lo = c.uN(u.addrSize);
          hi = lo + c.uleb();
          break;
        default:
          c.fail(`unknown location list entry kind ${kind}`);
      }
      out.push({ lo, hi, expr: c.bytes(c.uleb()) });
    }
    c.fail('location list too long');
  }
  if (!s.loc) throw dwarfError('location list without a .debug_loc section', '.debug_info', 0, file);
  const c = new Cursor(s.loc, '.debug_loc', u.le, 0, s.loc.length, file);
  c.seek(off);
  const maxAddr = u.addrSize === 8 ? 2 ** 64 - 1 : 2 ** (8 * u.addrSize) - 1;
  for (let n = 0; n < MAX_LIST; n++) {
    const lo = c.uN(u.addrSize);
    const hi = c.uN(u.addrSize);
    if (lo === 0 && hi === 0) return out;
    if (lo >= maxAddr) {
      base = hi;
      continue;
    }
    out.push({ lo: base + lo, hi: base + hi, expr: c.bytes(c.u16()) });
  }
  return c.fail('location list too long');
}

/** Address ranges (DWARF 5 .debug_rnglists, or .debug_ranges), absolute. */
export function readRanges(off: number, isIndex: boolean, u: Unit, s: DwarfSections, file?: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let base = u.lowPc;
  if (u.version >= 5) {
    if (!s.rnglists) throw dwarfError('ranges without a .debug_rnglists section', '.debug_info', 0, file);
    const c = new Cursor(s.rnglists, '.debug_rnglists', u.le, 0, s.rnglists.length, file);
    if (isIndex) {
      c.seek(u.rnglistsBase + off * u.offSize);
      off = u.rnglistsBase + c.uN(u.offSize);
    }
    c.seek(off);
    for (let n = 0; n < MAX_LIST; n++) {
      const kind = c.u8();
      switch (kind) {
        case 0:
          return out;
        case 1:
          base = addrIndex(c.uleb(), u, s, file);
          break;
        case 2: {
          const lo = addrIndex(c.uleb(), u, s, file);
          out.push([lo, addrIndex(c.uleb(), u, s, file)]);
          break;
        }
        case 3: {
          const lo = addrIndex(c.uleb(), u, s, file);
          out.push([lo, lo + c.uleb()]);
          break;
        }
        case 4: {
          const lo = base + c.uleb();
          out.push([lo, base + c.uleb()]);
          break;
        }
        case 5:
          base = c.uN(u.addrSize);
          break;
        case 6: {
          const lo = c.uN(u.addrSize);
          out.push([lo, c.uN(u.addrSize)]);
          break;
        }
        case 7: {
          const lo = c.uN(u.addrSize);
          out.push([lo, lo + c.uleb()]);
          break;
        }
        default:
          c.fail(`unknown range list entry kind ${kind}`);
      }
    }
    return c.fail('range list too long');
  }
  if (!s.ranges) throw dwarfError('ranges without a .debug_ranges section', '.debug_info', 0, file);
  const c = new Cursor(s.ranges, '.debug_ranges', u.le, 0, s.ranges.length, file);
  c.seek(off);
  const maxAddr = u.addrSize === 8 ? 2 ** 64 - 1 : 2 ** (8 * u.addrSize) - 1;
  for (let n = 0; n < MAX_LIST; n++) {
    const lo = c.uN(u.addrSize);
    const hi = c.uN(u.addrSize);
    if (lo === 0 && hi === 0) return out;
    if (lo >= maxAddr) {
      base = hi;
      continue;
    }
    out.push([base + lo, base + hi]);
  }
  return c.fail('range list too long');
}
