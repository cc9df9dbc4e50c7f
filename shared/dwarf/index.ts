/**
 * A DWARF reader for Go binaries, pure TypeScript: DWARF 2–5 (Go writes 4 up to 1.24 and 5 from
 * 1.25), compressed sections (SHF_COMPRESSED zlib, .zdebug_*; zlib inflation injected), and the
 * sections Go emits: info, abbrev, str, line_str, line, addr, str_offsets, loc/loclists,
 * ranges/rnglists. Go's attributes are read: DW_AT_go_kind, DW_AT_go_runtime_type, DW_AT_go_key,
 * DW_AT_go_elem, DW_AT_go_embedded_field, DW_AT_go_closure_offset.
 *
 *   const dw = readGoDwarf(reader, { inflate, file });   // null: the binary has no DWARF
 *   dw.globals                      // name, address, type
 *   dw.funcByPc(pc).vars            // params and locals with their location descriptions
 *   dw.typeByRuntimeAddress(addr)   // the DWARF type of a runtime type descriptor
 */
import { HeapscopeError } from '../errors';
import { findSymbols, readElfImage, sectionData, type BinaryReader, type ElfImage, type Inflate } from './elf';
import { parseInfo, readLocList, type DwarfSections, type Unit } from './info';
import { exprAt as exprInForce } from './loc';
import { readLineTable } from './line';
import type { GoCompileUnit, GoFunc, GoGlobal, GoInline, GoLineRow, GoLocation, GoType } from './model';

export * from './model';
export { evalPieces, exprAt, type Piece } from './loc';
export type { BinaryReader, Inflate } from './elf';
export { parseInfo, type DwarfSections } from './info';
export { readElfImage, sectionData } from './elf';

export interface ReadDwarfOptions {
  inflate?: Inflate;
  file?: string;
}

export class GoDwarf {
  readonly byRuntime = new Map<number, GoType>();
  private readonly funcsByPc: GoFunc[];
  private funcsByName: Map<string, GoFunc> | null = null;

  constructor(
    readonly units: GoCompileUnit[],
    readonly types: Map<number, GoType>,
    readonly globals: GoGlobal[],
    readonly funcs: GoFunc[],
    /** Address of runtime.types (DW_AT_go_runtime_type is an offset from it); null when unknown. */
    readonly runtimeTypesBase: number | null,
    readonly addrSize: number,
    readonly le: boolean,
    private readonly lines: { line: Uint8Array | null; lineStr: Uint8Array | null; str: Uint8Array | null; file?: string },
    private readonly locs: { sections: DwarfSections; unitInfo: Unit[] } | null = null,
  ) {
    for (const t of types.values()) if (t.runtimeType && !this.byRuntime.has(t.runtimeType)) this.byRuntime.set(t.runtimeType, t);
    globals.sort((a, b) => a.address - b.address);
    this.funcsByPc = funcs.filter((f) => f.highPc > f.lowPc).sort((a, b) => a.lowPc - b.lowPc);
  }

  type(off: number): GoType | null {
    return off < 0 ? null : (this.types.get(off) ?? null);
  }

  /** Follows typedefs to the type that has the layout. Cycles end at the first repeat. */
  underlying(t: GoType | null): GoType | null {
    let n = 0;
    while (t && t.tag === 'typedef' && t.type >= 0 && n++ < 64) t = this.types.get(t.type) ?? null;
    return t;
  }

  sizeOf(t: GoType | null): number {
    let n = 0;
    while (t && n++ < 64) {
      if (t.size >= 0) return t.size;
      if (t.tag === 'pointer' || t.tag === 'func') return this.addrSize;
      if (t.tag === 'array') {
        const e = this.type(t.type);
        const es = e ? this.sizeOf(e) : -1;
        return es >= 0 && t.count >= 0 ? es * t.count : -1;
      }
      t = t.type >= 0 ? (this.types.get(t.type) ?? null) : null;
    }
    return -1;
  }

  /** The DWARF type of a runtime type descriptor at an absolute address (slide: PIE load bias). */
  typeByRuntimeAddress(address: number, slide = 0): GoType | null {
    if (this.runtimeTypesBase === null) return null;
    return this.byRuntime.get(address - slide - this.runtimeTypesBase) ?? null;
  }

  funcByPc(pc: number): GoFunc | null {
    const a = this.funcsByPc;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid].lowPc <= pc) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && i >= lo - 4; i--) {
      const f = a[i];
      if (pc >= f.lowPc && pc < f.highPc) return f;
      if (f.ranges && f.ranges.some(([l, h]) => pc >= l && pc < h)) return f;
    }
    return null;
  }

  private readonly lists = new Map<number, Array<{ lo: number; hi: number; expr: Uint8Array }> | null>();

  /** The location expression in force at pc (a location list is decoded once; a corrupt one is no location). */
  exprAt(loc: GoLocation, pc: number): Uint8Array | null {
    if (!('listAt' in loc)) return exprInForce(loc, pc);
    let list = this.lists.get(loc.listAt);
    if (list === undefined) {
      const u = this.locs?.unitInfo[loc.unit];
      try {
        list = u && this.locs ? readLocList(loc.listAt, u, this.locs.sections, this.lines.file) : null;
      } catch {
        list = null;
      }
      this.lists.set(loc.listAt, list);
    }
    return list ? exprInForce({ list }, pc) : null;
  }

  /** A location with its list decoded (throws a typed error on a corrupt list). */
  decodedLocation(loc: GoLocation): Exclude<GoLocation, { listAt: number }> {
    if (!('listAt' in loc)) return loc;
    const u = this.locs?.unitInfo[loc.unit];
    if (!u || !this.locs) return { list: [] };
    return { list: readLocList(loc.listAt, u, this.locs.sections, this.lines.file) };
  }

  /**
   * The calls inlined at `pc`, innermost first (what a traceback shows above the physical frame); empty
   * when none. For a caller's frame pass its return address less one, as tracebacks do.
   */
  inlinedAt(pc: number): string[] {
    const f = this.funcByPc(pc);
    if (!f || !f.inlines) return [];
    const at: GoInline[] = [];
    for (const inl of f.inlines) if (inl.name && inl.ranges.some(([l, h]) => pc >= l && pc < h)) at.push(inl);
    return at.sort((a, b) => b.depth - a.depth).map((x) => x.name);
  }

  private typesByName: Map<string, GoType> | null = null;

  /** The first type of that name (Go names: "runtime.timer", "map.group[string]int"); null when none. */
  typeNamed(name: string): GoType | null {
    if (!this.typesByName) {
      this.typesByName = new Map();
      for (const t of this.types.values()) if (t.name && !this.typesByName.has(t.name)) this.typesByName.set(t.name, t);
    }
    return this.typesByName.get(name) ?? null;
  }

  funcByName(name: string): GoFunc | null {
    if (!this.funcsByName) {
      this.funcsByName = new Map();
      for (const f of this.funcs) if (f.name && !this.funcsByName.has(f.name)) this.funcsByName.set(f.name, f);
    }
    return this.funcsByName.get(name) ?? null;
  }

  private readonly unitLines = new Map<GoCompileUnit, GoLineRow[]>();

  /**
   * The file and line of the instruction at `pc` (linked address): the last row at or below it in the
   * line table of the unit of the function holding it. For code inlined at `pc` this is the inlined
   * function's line. Null outside any function or without line tables.
   */
  lineAt(pc: number): { file: string; line: number } | null {
    const f = this.funcByPc(pc);
    const unit = f && f.unit !== undefined && f.unit >= 0 ? this.units[f.unit] : undefined;
    if (!f || !unit) return null;
    let rows = this.unitLines.get(unit);
    if (!rows) {
      try {
        // An end-of-sequence row's address is the next sequence's start: left out, it cannot win a tie.
        rows = this.lineTable(unit).filter((r) => !r.end).sort((a, b) => a.address - b.address);
      } catch {
        rows = [];
      }
      this.unitLines.set(unit, rows);
    }
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rows[mid]!.address <= pc) lo = mid + 1;
      else hi = mid;
    }
    const r = rows[lo - 1];
    return r && r.line > 0 && r.address >= f.lowPc ? { file: r.file, line: r.line } : null;
  }

  /** Line rows of a compile unit (decoded on demand). */
  lineTable(unit: GoCompileUnit): GoLineRow[] {
    if (unit.stmtList < 0 || !this.lines.line) return [];
    return readLineTable(this.lines.line, unit.stmtList, this.le, this.addrSize, this.lines.lineStr, this.lines.str, this.lines.file);
  }
}

/** Why a binary has no usable DWARF, for the "without DWARF" message. */
export function noDwarfReason(img: ElfImage): string {
  const hasSymtab = img.sections.some((s) => s.type === 2);
  return hasSymtab
    ? 'the binary has no DWARF (built with -ldflags=-w?): object types cannot be named'
    : 'the binary is stripped (no DWARF, no symbols; built with -ldflags="-s -w"?): object types cannot be named';
}

export interface DwarfLoad {
  dwarf: GoDwarf | null;
  /** Set when dwarf is null: why (a sentence for the user). */
  reason?: string;
}

/** Reads the DWARF of an ELF Go binary. No DWARF at all is not an error: `reason` says why. */
export function readGoDwarf(r: BinaryReader, opts: ReadDwarfOptions = {}): DwarfLoad {
  const img = readElfImage(r, opts.file);
  const sec = (n: string) => sectionData(r, img, n, opts.inflate, opts.file);
  const info = sec('.debug_info');
  const abbrev = sec('.debug_abbrev');
  if (!info || !abbrev || info.length === 0) return { dwarf: null, reason: noDwarfReason(img) };
  const s: DwarfSections = {
    info,
    abbrev,
    str: sec('.debug_str'),
    lineStr: sec('.debug_line_str'),
    strOffsets: sec('.debug_str_offsets'),
    addr: sec('.debug_addr'),
    loc: sec('.debug_loc'),
    loclists: sec('.debug_loclists'),
    ranges: sec('.debug_ranges'),
    rnglists: sec('.debug_rnglists'),
  };
  const parsed = parseInfo(s, img.le, opts.file);
  const syms = findSymbols(r, img, ['runtime.types', 'type.*', 'type:*'], opts.file);
  const base = syms.get('runtime.types') ?? syms.get('type:*') ?? syms.get('type.*') ?? null;
  const line = sec('.debug_line');
  return {
    dwarf: new GoDwarf(
      parsed.units,
      parsed.types,
      parsed.globals,
      parsed.funcs,
      base,
      img.is64 ? 8 : 4,
      img.le,
      { line, lineStr: s.lineStr, str: s.str, ...(opts.file !== undefined ? { file: opts.file } : {}) },
      { sections: s, unitInfo: parsed.unitInfo },
    ),
  };
}

export function isDwarfError(e: unknown): e is HeapscopeError {
  return e instanceof HeapscopeError && (e.format === 'dwarf' || e.format === 'elf');
}
