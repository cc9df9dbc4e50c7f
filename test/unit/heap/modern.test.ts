/**
 * Heap dumps of Go 1.19, 1.26 and 1.27 (test/fixtures/modern/heapdump: real dumps of go/heapdump,
 * which reports its own counts, the wait state of its goroutines and a heap profile of the same
 * moment; make.sh regenerates them). Per dump:
 *   - no span-tail slot is counted: the objects kept equal the runtime's own MemStats.HeapObjects and
 *     HeapAlloc (read by WriteHeapDump itself, right after a full GC), and every global the program
 *     filled retains exactly what it allocated;
 *   - globals are named with the binary's symbol table (plain and PIE);
 *   - the leaking global map retains within 2% of pprof's inuse_space for its allocation site, and the
 *     global-map rule finds it (Swiss-table frames on 1.26/1.27);
 *   - goroutine roots carry the wait reasons the runtime printed for them;
 *   - allocation headers: the first word names the object's type descriptor and is never an edge.
 * Also the truncated dump Go 1.27 leaves when WriteHeapDump dies after the goroutine leak profile.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { HeapscopeError } from '../../../shared/errors';
import { buildHeapAnalysis, bytesReader, HeapDumpParser, parseHeapDump, PAGE_SIZE, type HeapAnalysis, type HeapDump } from '../../../shared/heap/index';
import { isGlobalMapRoot, suspectFindings } from '../../../shared/findings/rules/heap';
import { flatBySite, readPprof } from './pprof-mini';

const ROOT = join(__dirname, '../../fixtures/modern/heapdump');

interface Expected {
  goVersion: string;
  sessions: number;
  small: { p8: number; p16: number; p24: number; p48: number; bytes16: number };
  goroutines: { goid: number; state: string; function: string }[];
  globals: Record<string, string>;
}

function variants(): { version: string; name: string; dir: string }[] {
  const out: { version: string; name: string; dir: string }[] = [];
  if (!existsSync(ROOT)) return out;
  for (const v of readdirSync(ROOT).filter((d) => /^go1\.\d+$/.test(d)).sort()) {
    for (const name of readdirSync(join(ROOT, v)).sort()) {
      const dir = join(ROOT, v, name);
      if (existsSync(join(dir, 'expected.json'))) out.push({ version: v, name, dir });
    }
  }
  return out;
}

/** Every symbol of an ELF64 little-endian .symtab (the engine's reader keeps data symbols only). */
function allSymbols(elf: Uint8Array): Map<string, number> {
  const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const u64 = (o: number) => Number(dv.getBigUint64(o, true));
  const shoff = u64(0x28);
  const shentsize = dv.getUint16(0x3a, true);
  const shnum = dv.getUint16(0x3c, true);
  const sec = (i: number) => {
    const o = shoff + i * shentsize;
    return { type: dv.getUint32(o + 4, true), offset: u64(o + 0x18), size: u64(o + 0x20), link: dv.getUint32(o + 0x28, true) };
  };
  const out = new Map<string, number>();
  for (let i = 0; i < shnum; i++) {
    const s = sec(i);
    if (s.type !== 2) continue;
    const str = sec(s.link);
    for (let o = s.offset; o + 24 <= s.offset + s.size; o += 24) {
      let p = str.offset + dv.getUint32(o, true);
      let name = '';
      while (elf[p] !== 0) name += String.fromCharCode(elf[p++]);
      out.set(name, u64(o + 8));
    }
  }
  return out;
}

const SMALL_CLASSES = [8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512];

const all = variants();

describe.skipIf(all.length === 0)('real heap dumps of Go 1.19 / 1.26 / 1.27 (test/fixtures/modern/heapdump)', () => {
  it('has fixtures for every version of the matrix', () => {
    const versions = new Set(all.map((v) => v.version));
    expect([...versions].sort()).toEqual(['go1.19', 'go1.26', 'go1.27']);
    expect(all.filter((v) => v.name === 'pie').map((v) => v.version)).toEqual(['go1.26', 'go1.27']);
  });

  describe.each(all)('$version/$name', ({ version, name, dir }) => {
    let exp: Expected;
    let raw: Uint8Array;
    let dump: HeapDump;
    let exe: Uint8Array;
    let a: HeapAnalysis;
    const modern = version !== 'go1.19';
    beforeAll(() => {
      exp = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
      raw = new Uint8Array(gunzipSync(readFileSync(join(dir, 'heap.dump.gz'))));
      exe = new Uint8Array(gunzipSync(readFileSync(join(dir, 'heapdump.sym.gz'))));
      dump = parseHeapDump(raw, { file: 'heap.dump' }, 1 << 16);
      // Analysed from a second parse (the analysis may consume the arrays of the dump it is given).
      a = buildHeapAnalysis(parseHeapDump(raw, { file: 'heap.dump' }), bytesReader(exe));
    });

    it('parses completely, with the version the program reported', () => {
      const s = a.summary();
      expect(s.complete).toBe(true);
      expect(s.warnings).toEqual([]);
      expect(s.goVersion).toBe(exp.goVersion);
      expect(s.goVersion.startsWith(version)).toBe(true);
    });

    it('counts no span-tail slot: objects and bytes equal the runtime’s HeapObjects and HeapAlloc', () => {
      const s = a.summary();
      const ms = dump.memStats!.fields;
      expect(s.objects).toBe(Number(ms.HeapObjects));
      expect(s.bytes).toBe(Number(ms.HeapAlloc));
      if (modern) {
        // The dumper did write them (16 per span of the 8-byte class, ...): they were dropped.
        expect(s.spanTailSlots).toBeGreaterThan(100);
        expect(s.objects + s.spanTailSlots).toBe(dump.recordCounts[1]);
      } else {
        expect(s.spanTailSlots).toBe(0);
        expect(s.objects).toBe(dump.recordCounts[1]);
      }
      // Garbage is what the program dropped since the last GC (nearly nothing: it ran one), not tails.
      expect(s.garbageObjects).toBeLessThan(20);
    });

    it('span-tail slots are the runtime’s span metadata, never allocated, never pointed at', () => {
      const t = dump.spanTails;
      const sampled = new Set<number>();
      for (let i = 0; i < dump.allocSamples.object.length; i++) sampled.add(dump.allocSamples.objectBase + dump.allocSamples.object[i]);
      let classBytes = 0;
      let bitmapWords = 0;
      for (let k = 0; k < t.count; k++) {
        const addr = t.address[k];
        const size = t.size[k];
        expect(sampled.has(addr)).toBe(false);
        // In the last 256 bytes of its page.
        expect(PAGE_SIZE - (addr % PAGE_SIZE)).toBeLessThanOrEqual(256 + size);
        const bytes = raw.subarray(t.contentOffset[k], t.contentOffset[k] + size);
        if (name !== 'nogreenteagc' && (addr % PAGE_SIZE) + size === PAGE_SIZE && size >= 16) {
          // Green Tea: the page's last byte is the span class (size class << 1 | noscan).
          expect(bytes[size - 1] >> 1).toBe(SMALL_CLASSES.indexOf(size) + 1);
          classBytes++;
        }
        if (name === 'nogreenteagc' && size === 8) {
          // Heap bits of a pointerful 8-byte span: all ones (every word a pointer).
          expect(Array.from(bytes)).toEqual(new Array(8).fill(255));
          bitmapWords++;
        }
      }
      if (modern && name !== 'nogreenteagc') expect(classBytes).toBeGreaterThan(10);
      if (name === 'nogreenteagc') expect(bitmapWords).toBeGreaterThan(10);
      expect(a.summary().warnings.join(' ')).not.toMatch(/span tails/);
    });

    it('each global retains exactly what the program put in it', () => {
      const roots = a.rootsRanked(0, 2000).rows;
      const byName = (n: string) => roots.find((r) => r.name === `global ${n}`)!;
      // A slice's backing array plus its elements (the *int they share is not theirs alone).
      expect(byName('main.small8').retainedObjects).toBe(exp.small.p8 + 1);
      expect(byName('main.small16').retainedObjects).toBe(exp.small.p16 + 1);
      expect(byName('main.small24').retainedObjects).toBe(exp.small.p24 + 1);
      expect(byName('main.bytes16').retainedObjects).toBe(exp.small.bytes16 + 1);
      expect(byName('main.chain48').retainedObjects).toBe(exp.small.p48);
      expect(byName('main.chain48').retainedBytes).toBe(exp.small.p48 * 48);
      expect(byName('main.small8').retainedBytes - exp.small.p8 * 8).toBeGreaterThanOrEqual(exp.small.p8 * 8);
    });

    it('names globals with the binary (PIE slide included)', () => {
      const s = a.summary();
      expect(s.globalsNamed).toBe(true);
      const root = a.rootsRanked(0, 2000).rows.find((r) => r.name === 'global main.sessions')!;
      expect(root.address).toBe(exp.globals['main.sessions']);
      if (name === 'pie') expect(a.graph.slide).not.toBe(0);
      else expect(a.graph.slide).toBe(0);
    });

    it('the leaking global map retains within 2% of pprof inuse_space for main.remember, and is a global-map finding', () => {
      const root = a.rootsRanked(0, 2000).rows.find((r) => r.name === 'global main.sessions')!;
      const inuse = flatBySite(readPprof(new Uint8Array(readFileSync(join(dir, 'heap.pb.gz')))), 'inuse_space').get('main.remember')!;
      expect(inuse).toBeGreaterThan(exp.sessions * 740);
      expect(Math.abs(root.retainedBytes - inuse) / inuse).toBeLessThan(0.02);
      expect(isGlobalMapRoot(a, 'global main.sessions')).toBe(true);
      const f = suspectFindings(a, 'heap.dump').find((x) => x.subject === 'global main.sessions')!;
      expect(f.kind).toBe('global-map');
      expect(f.title).toMatch(/^global map main\.sessions holds .*filled by main\.remember/);
      // The map's own memory comes through the version's map code (Swiss tables from 1.24), and its
      // site is main.remember, as in pprof (which skips leading runtime and internal/runtime frames).
      const F = a.graph.firstObject;
      const frames = new Set<string>();
      const q = [root.node];
      for (let k = 0; k < q.length; k++) {
        const v = q[k]!;
        for (let c = a.domStart[v]!; c < a.domStart[v + 1]!; c++) q.push(a.domChildren[c]!);
        const st = v >= F ? a.allocStack(v) : null;
        if (!st || !st.some((f) => /^(internal\/runtime\/maps\.|runtime\.(hashGrow|makeBucketArray|\(\*hmap\)\.newoverflow))/.test(f.func))) continue;
        for (const f of st) frames.add(f.func);
        expect(a.allocSiteLabel(v)).toMatch(/^main\.remember /);
      }
      if (modern) {
        expect(frames).toContain('internal/runtime/maps.newTable');
        expect(frames).toContain('internal/runtime/maps.(*table).split');
      } else {
        expect(frames).toContain('runtime.hashGrow');
        expect([...frames].filter((f) => f.startsWith('internal/'))).toEqual([]);
      }
    });

    it('goroutine roots carry the wait reasons the runtime printed for them', () => {
      const roots = a.graph.roots.filter((r) => r.kind === 'goroutine');
      const blocked = exp.goroutines.filter((g) => g.function !== 'main.goroutines');
      expect(blocked.length).toBe(9);
      for (const g of blocked) {
        const r = roots.find((x) => x.goroutine!.goid === g.goid)!;
        expect(r.goroutine!.waitReason).toBe(g.state);
        // (A dump's frames are physical: from 1.26 main.acceptor is inlined into main.main.gowrap2.)
        if (g.function !== 'main.acceptor') expect(r.goroutine!.frames).toContain(g.function);
        // Named by the goroutine's own code, past the runtime and sync frames (net's frames stay).
        if (g.function === 'main.acceptor') expect(r.name).toBe(`goroutine ${g.goid} [IO wait] net.(*netFD).accept`);
        else expect(r.name).toBe(`goroutine ${g.goid} [${g.state}] ${g.function}`);
      }
      const states = new Map(blocked.map((g) => [g.function, g.state]));
      expect(states.get('main.chanRecv')).toBe('chan receive');
      expect(states.get('main.selectWait')).toBe('select');
      expect(states.get('main.sleeper')).toBe('sleep');
      // Since 1.20 / 1.24 these are no longer all "semacquire".
      expect(states.get('main.mutexLock')).toBe(modern ? 'sync.Mutex.Lock' : 'semacquire');
      expect(states.get('main.wgWait')).toBe(modern ? 'sync.WaitGroup.Wait' : 'semacquire');
    });

    it('allocation headers: the first word is the type descriptor’s address, never an edge', () => {
      const syms = allSymbols(exe);
      const sessions = a.groupByAllocSite({ kind: 'all' }, 0, 100).rows.find((r) => r.label.startsWith('main.remember') && r.stack[0]!.func !== 'strconv.formatBits');
      expect(sessions).toBeDefined();
      const g = a.graph;
      const typeOf = new Map<number, number>();
      let sessionObjects = 0;
      for (let i = 0; i < g.objectCount; i++) {
        const node = g.firstObject + i;
        const stack = a.allocStack(node);
        if (!stack || g.size[i] !== 768 || !stack.some((f) => f.func === 'main.remember')) continue;
        sessionObjects++;
        const t = a.typeAddress(node);
        if (t !== null) typeOf.set(t, (typeOf.get(t) ?? 0) + 1);
        for (let e = g.fwd.start[node]; e < g.fwd.start[node + 1]; e++) expect(g.edgeOffset[e]).toBeGreaterThanOrEqual(modern ? 8 : 0);
      }
      expect(sessionObjects).toBe(exp.sessions);
      if (!modern) {
        expect(a.summary().typedObjects).toBe(0);
        return;
      }
      // One type for all of them, inside the binary's type descriptors (runtime.types..etypes, + the
      // PIE slide; the linker keeps no symbol per type: DWARF names it), outside the heap.
      expect([...typeOf.values()]).toEqual([exp.sessions]);
      const t = [...typeOf.keys()][0]! - a.graph.slide;
      expect(t).toBeGreaterThanOrEqual(syms.get('runtime.types')!);
      expect(t).toBeLessThan(syms.get('runtime.etypes')!);
      expect(t + a.graph.slide < dump.params.arenaStart || t + a.graph.slide >= dump.params.arenaEnd).toBe(true);
      // Other pointerful objects over 512 B name other types, all in the same range.
      const types = new Set(Array.from(g.typeAddresses));
      expect(types.size).toBeGreaterThan(3);
      for (const x of types) expect(x - a.graph.slide >= syms.get('runtime.types')! && x - a.graph.slide < syms.get('runtime.etypes')!).toBe(true);
      expect(a.objectDetails(g.firstObject + g.typedObjects[0]!, 0, 1).typeAddress).toMatch(/^0x[0-9a-f]+$/);
    });
  });

  const crash = join(ROOT, 'go1.27/leakcrash');
  it.skipIf(!existsSync(join(crash, 'crash.txt')))('Go 1.27: WriteHeapDump after the goroutine leak profile dies; the truncated dump gets a typed error', () => {
    const txt = readFileSync(join(crash, 'crash.txt'), 'utf8');
    expect(txt).toMatch(/^exit status 2\n/);
    expect(txt).toContain('runtime: unexpected G.status 0xa');
    expect(txt).toContain('fatal error: dumpgs in STW - bad status');
    const bytes = new Uint8Array(gunzipSync(readFileSync(join(crash, 'heap.dump.gz'))));
    const p = new HeapDumpParser({ totalBytes: bytes.length, file: 'crash.dump' });
    p.push(bytes);
    const d = p.end();
    expect(d.complete).toBe(false);
    try {
      buildHeapAnalysis(d);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HeapscopeError);
      const err = e as HeapscopeError;
      expect(err.code).toBe('TRUNCATED');
      expect(err.file).toBe('crash.dump');
      expect(err.format).toBe('heapdump');
      expect(err.offset).toBeGreaterThan(1000);
      expect(err.offset).toBeLessThanOrEqual(bytes.length);
      expect(err.message).toMatch(/before its globals \(the GC roots/);
      expect(err.message).toMatch(/dumpgs in STW - bad status/);
    }
  });
});

/** The lead's fixture matrix, when present: checks that need no knowledge of the program. */
const matrix = join(__dirname, '../../fixtures/out');
const matrixDumps = existsSync(matrix)
  ? readdirSync(matrix)
      .filter((v) => /^go1\.\d+$/.test(v))
      .flatMap((v) => readdirSync(join(matrix, v)).map((p) => join(matrix, v, p, 'heap.dump')))
      .filter((f) => existsSync(f))
  : [];

describe.skipIf(matrixDumps.length === 0)('fixture matrix heap dumps (test/fixtures/out/go1.XX/*/heap.dump)', () => {
  it.each(matrixDumps)('%s: no span-tail slot counted, no pointer into one', (file) => {
    const d = parseHeapDump(new Uint8Array(readFileSync(file)), { file });
    const a = buildHeapAnalysis(d);
    const s = a.summary();
    expect(s.complete).toBe(true);
    expect(s.warnings.join(' ')).not.toMatch(/span tails/);
    // WriteHeapDump reads MemStats, then sweeps (which only frees): never more objects than that.
    expect(s.objects).toBeLessThanOrEqual(Number(d.memStats!.fields.HeapObjects));
    expect(s.bytes).toBeLessThanOrEqual(Number(d.memStats!.fields.HeapAlloc));
    if (!/go1\.(19|2[01])\b/.test(s.goVersion)) expect(s.spanTailSlots).toBeGreaterThan(0);
  });
});
