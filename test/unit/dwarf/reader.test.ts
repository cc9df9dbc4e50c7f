/**
 * shared/dwarf against Go's own debug/dwarf (test/unit/dwarf/oracle, built with Go 1.26) on real
 * binaries of Go 1.19 (DWARF 4), 1.26 and 1.27 (DWARF 5): globals, every type with its Go
 * attributes and fields, functions and their variables, package main's line rows. The same binary
 * with its sections decompressed (plain) and recompressed as .zdebug_* gives the same answer.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../helpers/paths';
import { matrixRuns, requireMatrix } from '../../helpers/matrix';
import { GO126, haveGo126, loadDwarf, requireTool } from './helpers';
import type { GoDwarf } from '../../../shared/dwarf/index';

interface Oracle {
  globals: Array<{ name: string; address: number; type: number }>;
  types: Array<{ off: number; tag: string; name: string; size: number; goKind: number; runtimeType: number; type: number; key: number; elem: number; count: number; fields?: Array<{ name: string; offset: number; type: number }> }>;
  funcs: Array<{ name: string; lowPc: number; highPc: number; vars: Array<{ name: string; kind: string; type: number }> }>;
  mainLines: Array<{ address: number; file: string; line: number }>;
}

const TAGS: Record<string, string> = {
  BaseType: 'base',
  PointerType: 'pointer',
  StructType: 'struct',
  ArrayType: 'array',
  TypedefType: 'typedef',
  Typedef: 'typedef',
  SubroutineType: 'func',
  UnspecifiedType: 'unspecified',
};

const tmp = mkdtempSync(join(tmpdir(), 'heapscope-dwarf-'));
let oracleBin = '';
const canRun = requireTool(haveGo126, `no Go 1.26 at ${GO126}: the debug/dwarf oracle cannot be built`);

beforeAll(() => {
  if (!canRun) return;
  const src = join(tmp, 'oracle');
  execFileSync('mkdir', ['-p', src]);
  copyFileSync(join(ROOT, 'test/unit/dwarf/oracle/main.go'), join(src, 'main.go'));
  writeFileSync(join(src, 'go.mod'), 'module dworacle\n\ngo 1.26\n');
  oracleBin = join(tmp, 'dworacle');
  execFileSync(GO126, ['build', '-o', oracleBin, '.'], { cwd: src, env: { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '-mod=mod' } });
}, 120_000);

function oracle(bin: string, unit?: string): Oracle {
  return JSON.parse(execFileSync(oracleBin, unit ? [bin, unit] : [bin], { maxBuffer: 1 << 28 }).toString()) as Oracle;
}

function binaries(): Array<{ label: string; path: string }> {
  requireMatrix();
  const out = [{ label: 'go1.19 (committed)', path: join(ROOT, 'test/fixtures/out/go1.19/leakyapp/leakyapp') }];
  for (const r of matrixRuns()) if (r.program === 'leakyapp' && r.version !== '1.19') out.push({ label: `go${r.version}`, path: join(r.dir, 'leakyapp') });
  return out;
}

function compare(dw: GoDwarf, o: Oracle, unitName = 'main', minGlobals = 50, minLines = 100): void {
  // Globals: every one debug/dwarf finds, same address and type.
  const mine = new Map(dw.globals.map((g) => [g.name + '@' + g.address, g]));
  expect(o.globals.length).toBeGreaterThanOrEqual(minGlobals);
  for (const g of o.globals) {
    const m = mine.get(g.name + '@' + g.address);
    expect(m, g.name).toBeDefined();
    expect(m!.type).toBe(g.type);
  }
  expect(dw.globals.length).toBe(o.globals.length);
  // Types: same set of DIEs, same attributes.
  expect(dw.types.size).toBe(o.types.length);
  for (const t of o.types) {
    const m = dw.types.get(t.off);
    expect(m, `${t.name} @${t.off}`).toBeDefined();
    expect([m!.name, m!.tag, m!.size, m!.goKind, m!.runtimeType, m!.type, m!.key, m!.elem]).toEqual([
      t.name,
      TAGS[t.tag.replace(/^Tag/, '')] ?? t.tag,
      t.size,
      Math.max(0, t.goKind),
      Math.max(0, t.runtimeType),
      t.type,
      t.key,
      t.elem,
    ]);
    if (m!.tag === 'array') expect(m!.count).toBe(t.count);
    if (m!.tag === 'struct') expect(m!.fields!.map((f) => [f.name, f.offset, f.type])).toEqual((t.fields ?? []).map((f) => [f.name, f.offset, f.type]));
  }
  // Functions: every one with its range and direct variables (we also keep inlined/blocks' ones).
  for (const f of o.funcs) {
    const m = dw.funcByPc(f.lowPc);
    expect(m?.name, f.name).toBe(f.name);
    expect([m!.lowPc, m!.highPc]).toEqual([f.lowPc, f.highPc]);
    const have = new Set(m!.vars.map((v) => `${v.kind} ${v.name} ${v.type}`));
    for (const v of f.vars) expect(have.has(`${v.kind} ${v.name} ${v.type}`), `${f.name}: ${v.kind} ${v.name}`).toBe(true);
  }
  // Line rows of package main.
  const unit = dw.units.find((u) => u.name === unitName)!;
  expect(unit).toBeDefined();
  const rows = dw.lineTable(unit);
  expect(o.mainLines.length).toBeGreaterThan(minLines);
  expect(rows.map((r) => [r.address, r.file.replace(/^.*\//, ''), r.line])).toEqual(o.mainLines.map((r) => [r.address, r.file.replace(/^.*\//, ''), r.line]));
}

describe.skipIf(!canRun)('DWARF reader vs debug/dwarf', () => {
  for (const b of binaries()) {
    it(`${b.label}: globals, types, functions, lines`, () => {
      if (!existsSync(b.path)) throw new Error(`missing ${b.path}`);
      const { dwarf, reason } = loadDwarf(b.path);
      expect(reason).toBeUndefined();
      const o = oracle(b.path);
      compare(dwarf!, o);
      // Go's attributes are there: the map global's key/elem, runtime types, main's struct.
      const sc = dwarf!.globals.find((g) => g.name === 'main.sessionCache')!;
      const t = dwarf!.type(sc.type)!;
      expect([t.name, t.goKind, dwarf!.type(t.key)!.name, dwarf!.type(t.elem)!.name]).toEqual(['map[string][]uint8', 21, 'string', '[]uint8']);
      expect(t.runtimeType).toBeGreaterThan(0);
      expect(dwarf!.runtimeTypesBase).not.toBeNull();
    }, 60_000);
  }

  it('plain (decompressed) and .zdebug_* sections read the same as SHF_COMPRESSED', () => {
    const src = binaries().at(-1)!.path;
    const plain = join(tmp, 'plain');
    const zdebug = join(tmp, 'zdebug');
    execFileSync('objcopy', ['--decompress-debug-sections', src, plain]);
    execFileSync('objcopy', ['--compress-debug-sections=zlib-gnu', src, zdebug]);
    const sections = execFileSync('readelf', ['-S', '-W', zdebug]).toString();
    expect(sections).toContain('.zdebug_info');
    const a = loadDwarf(src).dwarf!;
    for (const p of [plain, zdebug]) {
      const b = loadDwarf(p).dwarf!;
      expect(b.types.size).toBe(a.types.size);
      expect(b.globals).toEqual(a.globals);
      expect(b.funcs.length).toBe(a.funcs.length);
      expect(JSON.stringify(b.funcByName('main.worker'))).toBe(JSON.stringify(a.funcByName('main.worker')));
    }
  }, 60_000);

  // gcc writes the DWARF 5 forms Go does not: .debug_str (strp), .debug_line_str (line_strp), v5 line
  // headers with directory entries, and (optimised) location and range lists; and DWARF 4 for comparison.
  const haveGcc = spawnSync('gcc', ['--version']).status === 0;
  it.skipIf(!haveGcc)('C binaries from gcc (DWARF 4 and 5: strp, line_strp, loclists, rnglists) read as debug/dwarf reads them', () => {
    const src = join(tmp, 't.c');
    writeFileSync(
      src,
      `#include <stdio.h>
#include <stdlib.h>
struct node { struct node *next; long val; char name[16]; };
typedef struct node node_t;
node_t *head;
long counters[8];
static int helper(int a, int b) { int c = a * b; return c + a; }
int main(int argc, char **argv) {
  for (int i = 0; i < argc; i++) { node_t *n = malloc(sizeof *n); n->next = head; n->val = helper(i, argc); head = n; }
  counters[argc & 7]++;
  printf("%ld\\n", head ? head->val : 0);
  return 0;
}
`,
    );
    for (const [flags, name] of [[['-O2', '-gdwarf-5'], 'c5'], [['-O0', '-gdwarf-4'], 'c4']] as const) {
      const bin = join(tmp, name);
      execFileSync('gcc', [...flags, '-o', bin, src], { cwd: tmp });
      const { dwarf } = loadDwarf(bin);
      compare(dwarf!, oracle(bin, src), src, 2, 5);
      expect(dwarf!.globals.map((g) => g.name).sort()).toEqual(['counters', 'head']);
      expect(dwarf!.type(dwarf!.globals.find((g) => g.name === 'head')!.type)!.name).toBe('');
      const main = dwarf!.funcs.find((f) => f.name === 'main')!;
      expect(main.vars.map((v) => v.name)).toEqual(expect.arrayContaining(['argc', 'argv', 'i', 'n']));
    }
  }, 60_000);

  it('a binary without DWARF gets a clear reason, not an error', () => {
    const src = binaries()[0].path;
    const noDebug = join(tmp, 'nodebug');
    const stripped = join(tmp, 'stripped');
    execFileSync('objcopy', ['--strip-debug', src, noDebug]);
    execFileSync('objcopy', ['--strip-all', src, stripped]);
    const a = loadDwarf(noDebug);
    expect(a.dwarf).toBeNull();
    expect(a.reason).toMatch(/no DWARF.*-w/);
    const b = loadDwarf(stripped);
    expect(b.dwarf).toBeNull();
    expect(b.reason).toMatch(/stripped/);
  }, 30_000);
});
