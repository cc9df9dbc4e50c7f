/**
 * Builds a tiny Go program three ways (plain, PIE, stripped), runs each to write a heap dump, and
 * checks globals are named through the PIE slide and fall back to addresses when stripped.
 * Skipped where no Go toolchain is installed.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHeapAnalysis, bytesReader, parseHeapDump, readElfSymbols, type HeapAnalysis } from '../../../shared/heap/index';

/** The toolchain matrix: Debian's 1.19, the machine's 1.26 and 1.27 through GOTOOLCHAIN. */
const TOOLCHAINS: { label: string; go: string; toolchain: string }[] = [
  { label: 'go1.19', go: process.env.GO ?? '/usr/lib/go-1.19/bin/go', toolchain: 'local' },
  { label: 'go1.26', go: '/usr/local/go/bin/go', toolchain: 'local' },
  { label: 'go1.27', go: '/usr/local/go/bin/go', toolchain: 'go1.27.3' },
];
const available = TOOLCHAINS.filter((t) => existsSync(t.go));
if (available.length < TOOLCHAINS.length) console.warn(`gobuild.test: skipped for ${TOOLCHAINS.filter((t) => !available.includes(t)).map((t) => t.label).join(', ')} (no toolchain at that path)`);

const PROGRAM = `package main

import (
	"os"
	"runtime"
	"runtime/debug"
)

func init() { runtime.MemProfileRate = 1 }

type node struct {
	next *node
	pad  [48]byte
}

var (
	registry = map[int][]byte{}
	head     *node
	never    = make(chan struct{})
	size     = 8192
)

func register(i int) { registry[i] = make([]byte, 1024) }

func park(ready chan struct{}) {
	buf := make([]byte, size)
	ready <- struct{}{}
	<-never
	runtime.KeepAlive(buf)
}

func main() {
	for i := 0; i < 64; i++ {
		register(i)
	}
	for i := 0; i < 500; i++ {
		head = &node{next: head}
	}
	ready := make(chan struct{})
	for i := 0; i < 3; i++ {
		go park(ready)
		<-ready
	}
	runtime.GC()
	f, _ := os.Create(os.Args[1])
	debug.WriteHeapDump(f.Fd())
	f.Close()
}
`;

describe.skipIf(available.length === 0).each(available)('real dumps of a program built plain, PIE and stripped with $label', ({ label, go: GO, toolchain }) => {
  const dir = mkdtempSync(join(tmpdir(), 'heapscope-gobuild-'));
  const out: Record<string, { exe: Uint8Array; analysis: HeapAnalysis }> = {};
  beforeAll(() => {
    writeFileSync(join(dir, 'main.go'), PROGRAM);
    writeFileSync(join(dir, 'go.mod'), 'module heapscope.test/gobuild\n\ngo 1.19\n');
    const env = { ...process.env, GO111MODULE: 'on', GOTOOLCHAIN: toolchain, CGO_ENABLED: '0', GOFLAGS: '', HOME: process.env.HOME ?? tmpdir() };
    const builds: Record<string, string[]> = { plain: [], pie: ['-buildmode=pie'], stripped: ['-ldflags=-s -w'] };
    for (const [name, flags] of Object.entries(builds)) {
      const exe = join(dir, name);
      execFileSync(GO, ['build', ...flags, '-o', exe, '.'], { cwd: dir, env, stdio: 'pipe' });
      execFileSync(exe, [join(dir, `${name}.dump`)], { cwd: dir, stdio: 'pipe', timeout: 30_000 });
      const bytes = new Uint8Array(readFileSync(exe));
      const dump = parseHeapDump(new Uint8Array(readFileSync(join(dir, `${name}.dump`))));
      out[name] = { exe: bytes, analysis: buildHeapAnalysis(dump, bytesReader(bytes)) };
    }
  }, 180_000);

  it('reports the toolchain it was built with', () => {
    expect(out.plain.analysis.summary().goVersion.startsWith(label)).toBe(true);
  });

  it('names globals in the plain build', () => {
    const roots = out.plain.analysis.rootsRanked(0, 500).rows;
    const reg = roots.find((r) => r.name === 'global main.registry')!;
    expect(reg.retainedBytes).toBeGreaterThanOrEqual(64 * 1024);
    expect(roots.find((r) => r.name === 'global main.head')!.retainedObjects).toBe(500);
    // From Go 1.21 `go park(ready)` runs in a wrapper main.main.gowrap1 that park is inlined into: the
    // dump's frames are physical, so that is the innermost function the dump knows.
    const parked = roots.filter((r) => /\[chan receive\] main\.(park|main\.gowrap\d+)$/.test(r.name));
    expect(parked).toHaveLength(3);
    for (const p of parked) expect(p.retainedBytes).toBeGreaterThanOrEqual(8192);
  });

  it('applies the PIE slide', () => {
    const syms = readElfSymbols(bytesReader(out.pie.exe));
    expect(syms.pie).toBe(true);
    const a = out.pie.analysis;
    expect(a.summary().warnings).toEqual([]);
    expect(a.graph.slide).not.toBe(0);
    const names = a.rootsRanked(0, 500).rows.map((r) => r.name);
    expect(names).toContain('global main.registry');
    expect(names).toContain('global main.head');
  });

  it('falls back to global @0x… for the stripped build', () => {
    const syms = readElfSymbols(bytesReader(out.stripped.exe));
    expect(syms.stripped).toBe(true);
    expect(syms.symbols.name).toEqual([]);
    const a = out.stripped.analysis;
    expect(a.summary().warnings.join(' ')).toMatch(/stripped/);
    const top = a.rootsRanked(0, 2).rows.map((r) => r.name);
    for (const n of top) expect(n).toMatch(/^global @0x[0-9a-f]+$/);
    expect(a.rootsRanked(0, 1).rows[0].retainedBytes).toBeGreaterThanOrEqual(64 * 1024);
  });

  it('rejects a binary that is not ELF with a typed error', () => {
    expect(() => readElfSymbols(bytesReader(new TextEncoder().encode(PROGRAM)))).toThrowError(/not an ELF executable/);
    expect(() => readElfSymbols(bytesReader(out.plain.exe.subarray(0, 100)))).toThrowError(/outside the file|too small/);
  });
});
