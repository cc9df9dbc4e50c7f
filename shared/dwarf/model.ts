/**
 * What the DWARF of a Go binary says, as plain data: types (keyed by their .debug_info offset),
 * globals with address and type, functions with their parameters, locals and location
 * descriptions, and line tables. Built by readGoDwarf (index.ts).
 */

/** Go's reflect.Kind, as DW_AT_go_kind carries it. */
export const enum GoKind {
  Invalid = 0,
  Bool = 1,
  Int = 2,
  Int8 = 3,
  Int16 = 4,
  Int32 = 5,
  Int64 = 6,
  Uint = 7,
  Uint8 = 8,
  Uint16 = 9,
  Uint32 = 10,
  Uint64 = 11,
  Uintptr = 12,
  Float32 = 13,
  Float64 = 14,
  Complex64 = 15,
  Complex128 = 16,
  Array = 17,
  Chan = 18,
  Func = 19,
  Interface = 20,
  Map = 21,
  Pointer = 22,
  Slice = 23,
  String = 24,
  Struct = 25,
  UnsafePointer = 26,
}

export type TypeTag = 'base' | 'pointer' | 'struct' | 'array' | 'typedef' | 'func' | 'unspecified' | 'other';

export interface GoField {
  name: string;
  offset: number;
  /** .debug_info offset of the field's type, -1 when absent. */
  type: number;
  embedded: boolean;
}

export interface GoType {
  /** .debug_info offset of the DIE: the type's identity. */
  off: number;
  tag: TypeTag;
  name: string;
  /** DW_AT_byte_size, -1 when absent (typedefs take their target's). */
  size: number;
  /** DW_AT_go_kind, 0 when absent. */
  goKind: number;
  /** DW_AT_go_runtime_type: offset of the type descriptor from runtime.types; 0 when absent. */
  runtimeType: number;
  /** DW_AT_type (pointee, typedef target, array element, ...), -1 when absent. */
  type: number;
  /** DW_AT_go_key / DW_AT_go_elem (maps, slices, channels), -1 when absent. */
  key: number;
  elem: number;
  /** Arrays: element count, -1 when unknown. */
  count: number;
  fields: GoField[] | null;
}

/**
 * A DWARF location expression, a location list (entries with absolute [lo, hi) PCs), or a location
 * list not decoded yet (its section offset and unit: GoDwarf.exprAt decodes it on first use).
 */
export type GoLocation = { expr: Uint8Array } | { list: Array<{ lo: number; hi: number; expr: Uint8Array }> } | { listAt: number; unit: number };

export interface GoVar {
  name: string;
  /** .debug_info offset of its type, -1 when absent. */
  type: number;
  kind: 'param' | 'local';
  loc: GoLocation | null;
  /** DW_AT_go_closure_offset: where a captured variable sits in the closure's context object. */
  closureOffset?: number;
}

export interface GoFunc {
  name: string;
  lowPc: number;
  highPc: number;
  /** Extra ranges when DW_AT_ranges is used (absolute). */
  ranges: Array<[number, number]> | null;
  frameBase: Uint8Array | null;
  vars: GoVar[];
  /** Index of its compile unit in GoDwarf.units (whose line table holds its rows); -1 when none. */
  unit?: number;
  /** Calls inlined into it (DW_TAG_inlined_subroutine), absent when none. */
  inlines?: GoInline[];
}

/** A call inlined into a function: tracebacks and profiles show it as a frame of its own. */
export interface GoInline {
  /** The inlined function ("sync.(*Mutex).Lock"). */
  name: string;
  /** 0: inlined into the function itself; 1: into an inlined call of depth 0; and so on. */
  depth: number;
  /** Its pcs (absolute), [lo, hi). */
  ranges: Array<[number, number]>;
}

export interface GoGlobal {
  name: string;
  address: number;
  /** .debug_info offset of its type, -1 when absent. */
  type: number;
}

export interface GoLineRow {
  address: number;
  file: string;
  line: number;
  /** The end of a sequence (DW_LNE_end_sequence): its address is past the code, not a line of it. */
  end?: true;
}

export interface GoCompileUnit {
  name: string;
  producer: string;
  version: number;
  lowPc: number;
  /** .debug_line offset of its line program, -1 when none. */
  stmtList: number;
}
