/**
 * Fixed-seed fuzz of the DWARF reader on mutated real DWARF (Go 1.19's DWARF 4 and a DWARF 5
 * binary): byte flips, truncations and splices of .debug_info/.debug_abbrev/.debug_loclists/
 * .debug_line, and of the whole ELF. Every outcome is a result or a typed HeapscopeError (BAD_FORMAT
 * naming dwarf/elf, or UNSUPPORTED); never another exception, never a hang (each case is bounded).
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers/paths';
import { matrixRuns } from '../../helpers/matrix';
import { HeapscopeError } from '../../../shared/errors';
import { parseInfo, readElfImage, readGoDwarf, sectionData, type DwarfSections } from '../../../shared/dwarf/index';
import { readLocList } from '../../../shared/dwarf/info';
import { bytesReader } from '../../../shared/heap/index';
import { inflate } from './helpers';
import * as lineMod from '../../../shared/dwarf/line';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(b: Uint8Array, r: () => number, limit = b.length): Uint8Array {
  const out = b.slice();
  const kind = Math.floor(r() * 4);
  const n = 1 + Math.floor(r() * 8);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(r() * Math.min(limit, out.length));
    if (kind === 0) out[at] = Math.floor(r() * 256);
    else if (kind === 1) out[at] ^= 1 << Math.floor(r() * 8);
    else if (kind === 2) out[at] = [0, 0xff, 0x80, 0x7f][Math.floor(r() * 4)];
  }
  if (kind === 3) return out.subarray(0, Math.floor(r() * out.length));
  return out;
}

function expectTyped(fn: () => unknown): 'ok' | 'error' {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (!(e instanceof HeapscopeError)) throw new Error(`untyped ${String(e)}`);
    expect(['BAD_FORMAT', 'UNSUPPORTED', 'TRUNCATED']).toContain(e.code);
    expect(['dwarf', 'elf']).toContain(e.format);
    return 'error';
  }
}

/** The first units of .debug_info (whole units, about `bytes` of them) so each case stays fast. */
function headUnits(info: Uint8Array, bytes: number): Uint8Array {
  let p = 0;
  while (p < info.length && p < bytes) {
    const len = info[p] | (info[p + 1] << 8) | (info[p + 2] << 16) | (info[p + 3] << 24);
    p += 4 + len;
  }
  return info.subarray(0, Math.min(p, info.length));
}

const bins = [join(ROOT, 'test/fixtures/out/go1.19/leakyapp/leakyapp'), ...matrixRuns().filter((r) => r.version === '1.27' && r.program === 'leakyapp').map((r) => join(r.dir, 'leakyapp'))].filter(existsSync);

describe('DWARF reader fuzz (fixed seeds)', () => {
  for (const bin of bins) {
    const bytes = new Uint8Array(readFileSync(bin));
    const r0 = bytesReader(bytes);
    const img = readElfImage(r0);
    const sec = (n: string) => sectionData(r0, img, n, inflate);
    const base: DwarfSections = {
      info: headUnits(sec('.debug_info')!, 40_000),
      abbrev: sec('.debug_abbrev')!,
      str: sec('.debug_str'),
      lineStr: sec('.debug_line_str'),
      strOffsets: sec('.debug_str_offsets'),
      addr: sec('.debug_addr'),
      loc: sec('.debug_loc'),
      loclists: sec('.debug_loclists'),
      ranges: sec('.debug_ranges'),
      rnglists: sec('.debug_rnglists'),
    };
    const label = bin.includes('go1.19') ? 'DWARF 4 (go1.19)' : 'DWARF 5 (go1.27)';

    it(`${label}: mutated sections give results or typed errors`, () => {
      const r = rng(bin.includes('go1.19') ? 19 : 27);
      const counts = { ok: 0, error: 0 };
      expect(expectTyped(() => parseInfo(base, true))).toBe('ok');
      for (let i = 0; i < 400; i++) {
        const which = (['info', 'abbrev', 'loclists', 'loc', 'addr', 'rnglists', 'ranges'] as const)[i % 7];
        const orig = base[which];
        if (!orig) continue;
        const s: DwarfSections = { ...base, [which]: mutate(orig, r, which === 'abbrev' ? orig.length : 60_000) };
        counts[
          expectTyped(() => {
            const r = parseInfo(s, true);
            // Location lists are decoded on first use: decode every one here.
            for (const f of r.funcs) for (const v of f.vars) if (v.loc && 'listAt' in v.loc) readLocList(v.loc.listAt, r.unitInfo[v.loc.unit]!, s);
          })
        ]++;
      }
      expect(counts.error).toBeGreaterThan(20);
      expect(counts.ok).toBeGreaterThan(20);
    }, 60_000);

    it(`${label}: mutated line programs and ELF headers`, () => {
      const r = rng(7);
      const line = sec('.debug_line')!;
      let errors = 0;
      const { dwarf } = readGoDwarf(r0, { inflate });
      const unit = dwarf!.units.find((u) => u.name === 'main')!;
      const { readLineTable } = lineMod;
      for (let i = 0; i < 150; i++) {
        const m = mutate(line.subarray(0, Math.min(line.length, unit.stmtList + 20_000)), r, Math.min(line.length, unit.stmtList + 20_000));
        if (expectTyped(() => readLineTable(m, unit.stmtList, true, 8, null, null)) === 'error') errors++;
      }
      expect(errors).toBeGreaterThan(5);
      // ELF: mutate the first 4 KiB (headers) and the section header table.
      const img0 = readElfImage(r0);
      void img0;
      for (let i = 0; i < 60; i++) {
        const m = mutate(bytes.subarray(0, 4096), r);
        const whole = new Uint8Array(bytes.length);
        whole.set(bytes);
        whole.set(m.subarray(0, Math.min(m.length, 4096)));
        expectTyped(() => readElfImage(bytesReader(i % 5 === 0 ? m : whole)));
      }
      // Compressed sections whose zlib stream or declared size is corrupt.
      const info = img.sections.find((s) => s.name === '.debug_info')!;
      for (let i = 0; i < 20; i++) {
        const whole = bytes.slice();
        const at = info.offset + Math.floor(r() * 64);
        whole[at] ^= 0xff;
        expectTyped(() => readGoDwarf(bytesReader(whole), { inflate }));
      }
    }, 120_000);
  }
});
