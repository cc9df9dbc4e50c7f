/**
 * Evaluating the location descriptions Go emits, for a given PC, to where a variable lives in its
 * frame: pieces that are in memory at CFA + offset (DW_OP_fbreg with frame base DW_OP_call_frame_cfa,
 * or DW_OP_call_frame_cfa; DW_OP_consts/plus_uconst/plus), in a register, or at a static address
 * (DW_OP_addr). Anything else is "unknown" (never an error: optimised code may say anything).
 */
import { Cursor } from './cursor';
import type { GoLocation } from './model';

export type Piece =
  /** In memory at CFA + cfaOffset (the frame's top: Go's frame fp), `size` bytes (0: the whole variable). */
  | { where: 'stack'; cfaOffset: number; size: number; at: number }
  | { where: 'register'; reg: number; size: number; at: number }
  | { where: 'static'; address: number; size: number; at: number }
  | { where: 'unknown'; size: number; at: number };

/** The expression in force at pc (null: the variable has no location there). */
export function exprAt(loc: Exclude<GoLocation, { listAt: number }>, pc: number): Uint8Array | null {
  if ('expr' in loc) return loc.expr;
  for (const e of loc.list) if (pc >= e.lo && pc < e.hi) return e.expr;
  return null;
}

/**
 * Pieces of a location expression. The frame base is assumed to be DW_OP_call_frame_cfa (what Go
 * emits for every function); `frameBase` is checked by the caller.
 */
export function evalPieces(expr: Uint8Array, addrSize: number, le = true): Piece[] {
  const c = new Cursor(expr, 'location', le);
  const out: Piece[] = [];
  let at = 0;
  let cur: { kind: 'cfa'; off: number } | { kind: 'reg'; reg: number } | { kind: 'addr'; a: number } | { kind: 'none' } = { kind: 'none' };
  const stack: number[] = [];
  let ok = true;
  try {
    while (c.pos < c.end) {
      const op = c.u8();
      if (op >= 0x50 && op <= 0x6f) {
        cur = { kind: 'reg', reg: op - 0x50 };
        continue;
      }
      if (op >= 0x30 && op <= 0x4f) {
        stack.push(op - 0x30); // DW_OP_lit0..31
        continue;
      }
      switch (op) {
        case 0x03: // addr
          cur = { kind: 'addr', a: c.uN(addrSize) };
          break;
        case 0x9c: // call_frame_cfa
          cur = { kind: 'cfa', off: 0 };
          break;
        case 0x91: // fbreg
          cur = { kind: 'cfa', off: c.sleb() };
          break;
        case 0x90: // regx
          cur = { kind: 'reg', reg: c.uleb() };
          break;
        case 0x11: // consts
          stack.push(c.sleb());
          break;
        case 0x10: // constu
          stack.push(c.uleb());
          break;
        case 0x23: // plus_uconst
          if (cur.kind === 'cfa') cur = { kind: 'cfa', off: cur.off + c.uleb() };
          else c.uleb();
          break;
        case 0x22: // plus
          if (cur.kind === 'cfa' && stack.length) cur = { kind: 'cfa', off: cur.off + stack.pop()! };
          else ok = false;
          break;
        case 0x1c: // minus
          if (cur.kind === 'cfa' && stack.length) cur = { kind: 'cfa', off: cur.off - stack.pop()! };
          else ok = false;
          break;
        case 0x93: {
          // piece
          const size = c.uleb();
          out.push(piece(cur, ok, size, at));
          at += size;
          cur = { kind: 'none' };
          ok = true;
          break;
        }
        case 0x9f: // stack_value: a computed value, not a location
        case 0x9e: // implicit_value
          ok = false;
          return [{ where: 'unknown', size: 0, at: 0 }];
        default:
          ok = false;
          return [{ where: 'unknown', size: 0, at: 0 }];
      }
    }
  } catch {
    return [{ where: 'unknown', size: 0, at: 0 }];
  }
  if (out.length === 0 || cur.kind !== 'none') out.push(piece(cur, ok, 0, at));
  return out;
}

function piece(cur: { kind: 'cfa'; off: number } | { kind: 'reg'; reg: number } | { kind: 'addr'; a: number } | { kind: 'none' }, ok: boolean, size: number, at: number): Piece {
  if (!ok) return { where: 'unknown', size, at };
  switch (cur.kind) {
    case 'cfa':
      return { where: 'stack', cfaOffset: cur.off, size, at };
    case 'reg':
      return { where: 'register', reg: cur.reg, size, at };
    case 'addr':
      return { where: 'static', address: cur.a, size, at };
    default:
      return { where: 'unknown', size, at };
  }
}
