/**
 * .debug_line (DWARF 2–5): the line program of a unit, run to rows (address, file, line). Only
 * the sequence rows are kept; columns, flags and views are read and dropped.
 */
import { Cursor, strAt } from './cursor';
import type { GoLineRow } from './model';

const MAX_ROWS = 1 << 24;

export function readLineTable(line: Uint8Array, off: number, le: boolean, addrSize: number, lineStr: Uint8Array | null, str: Uint8Array | null, file?: string): GoLineRow[] {
  const c = new Cursor(line, '.debug_line', le, 0, line.length, file);
  c.seek(off);
  let len = c.u32();
  let offSize = 4;
  if (len === 0xffffffff) {
    len = c.u64();
    offSize = 8;
  }
  const end = c.pos + len;
  if (end > line.length) c.fail(`line program length ${len} runs past the section`, off);
  const version = c.u16();
  if (version < 2 || version > 5) c.fail(`unsupported line table version ${version}`, off);
  if (version >= 5) {
    const as = c.u8();
    if (as) addrSize = as;
    c.u8(); // segment selector size
  }
  const headerLen = c.uN(offSize);
  const progStart = c.pos + headerLen;
  const minInst = c.u8();
  if (version >= 4) c.u8(); // max ops per instruction
  const defaultIsStmt = c.u8();
  const lineBase = c.i8();
  const lineRange = c.u8();
  const opcodeBase = c.u8();
  if (lineRange === 0) c.fail('line_range is 0');
  const stdLens: number[] = [];
  for (let i = 1; i < opcodeBase; i++) stdLens.push(c.u8());
  const dirs: string[] = [];
  const files: string[] = [];
  const strForm = (form: number): string => {
    switch (form) {
      case 0x08:
        return c.cstr();
      case 0x1f:
        return lineStr ? strAt(lineStr, c.uN(offSize), '.debug_line_str', file) : c.fail('line_strp without .debug_line_str');
      case 0x0e:
        return str ? strAt(str, c.uN(offSize), '.debug_str', file) : c.fail('strp without .debug_str');
      default:
        skipForm(form);
        return '';
    }
  };
  const skipForm = (form: number): number => {
    switch (form) {
      case 0x0b:
        return c.u8();
      case 0x05:
        return c.u16();
      case 0x06:
        return c.u32();
      case 0x07:
        return c.u64();
      case 0x0f:
        return c.uleb();
      case 0x1e:
        c.skip(16);
        return 0;
      case 0x09:
        c.skip(c.uleb());
        return 0;
      case 0x08:
        c.cstr();
        return 0;
      case 0x1f:
      case 0x0e:
        c.uN(offSize);
        return 0;
      default:
        return c.fail(`unsupported form 0x${form.toString(16)} in the line table header`);
    }
  };
  if (version >= 5) {
    const readEntries = (into: string[], dirList: string[] | null) => {
      const fmtCount = c.u8();
      const fmt: Array<[number, number]> = [];
      for (let i = 0; i < fmtCount; i++) fmt.push([c.uleb(), c.uleb()]);
      const n = c.uleb();
      if (n > c.left) c.fail(`${n} entries cannot fit`);
      for (let i = 0; i < n; i++) {
        let name = '';
        let dir = 0;
        for (const [ct, form] of fmt) {
          if (ct === 1) name = strForm(form);
          else if (ct === 2) dir = skipForm(form);
          else skipForm(form);
        }
        into.push(dirList && dirList[dir] && !name.startsWith('/') && dirList[dir] !== '.' ? `${dirList[dir]}/${name}` : name);
      }
    };
    readEntries(dirs, null);
    readEntries(files, dirs);
  } else {
    dirs.push('');
    for (;;) {
      const d = c.cstr();
      if (!d) break;
      dirs.push(d);
    }
    files.push('');
    for (;;) {
      const f = c.cstr();
      if (!f) break;
      const dir = c.uleb();
      c.uleb();
      c.uleb();
      files.push(dirs[dir] && !f.startsWith('/') ? `${dirs[dir]}/${f}` : f);
    }
  }
  c.seek(progStart);
  const rows: GoLineRow[] = [];
  let address = 0;
  let fileIdx = 1;
  let ln = 1;
  void defaultIsStmt;
  const emit = (end = false) => {
    if (rows.length >= MAX_ROWS) c.fail('line table too long');
    rows.push(end ? { address, file: files[fileIdx] ?? '', line: ln, end: true } : { address, file: files[fileIdx] ?? '', line: ln });
  };
  const reset = () => {
    address = 0;
    fileIdx = 1;
    ln = 1;
  };
  const lc = new Cursor(line, '.debug_line', le, progStart, end, file);
  while (lc.pos < end) {
    const op = lc.u8();
    if (op >= opcodeBase) {
      const adj = op - opcodeBase;
      address += Math.floor(adj / lineRange) * minInst;
      ln += lineBase + (adj % lineRange);
      emit();
      continue;
    }
    switch (op) {
      case 0: {
        const n = lc.uleb();
        const start = lc.pos;
        if (n === 0) break;
        const sub = lc.u8();
        if (sub === 1) {
          emit(true);
          reset();
        } else if (sub === 2) address = lc.uN(Math.min(n - 1, 8));
        lc.seek(start + n);
        break;
      }
      case 1:
        emit();
        break;
      case 2:
        address += lc.uleb() * minInst;
        break;
      case 3:
        ln += lc.sleb();
        break;
      case 4:
        fileIdx = lc.uleb();
        break;
      case 5:
        lc.uleb();
        break;
      case 6:
      case 7:
      case 10:
      case 11:
        break;
      case 8:
        address += Math.floor((255 - opcodeBase) / lineRange) * minInst;
        break;
      case 9:
        address += lc.u16();
        break;
      case 12:
        lc.uleb();
        break;
      default:
        for (let i = 0; i < (stdLens[op - 1] ?? 0); i++) lc.uleb();
    }
  }
  return rows;
}
