/**
 * Heap dump engine benchmark. Each case runs in its own child process so peak memory is its own.
 *
 *   npx esbuild test/bench/heap.bench.ts --bundle --platform=node --format=cjs --outfile=/tmp/hb.js
 *   node --expose-gc /tmp/hb.js
 *
 * 1. A real Go heap dump of ~2M objects (test/fixtures/regen.sh --big → test/fixtures/big/bigheap.dump;
 *    override with HEAPSCOPE_BENCH_DUMP / HEAPSCOPE_BENCH_EXE): parse, graph build, reachability,
 *    dominators, retained sizes timed separately; then the production path end to end (stream + parse
 *    + buildHeapAnalysis) with its peak memory. Target: ≤ 5 s, peak ≤ 2 × file size.
 * 2. A synthetic graph of 10M nodes / 25M edges: reverse edges, reachability, dominators, retained
 *    sizes. Target: dominators ≤ 10 s.
 * 3. Object types from the binary's DWARF (shared/dwarf + shared/heap/typing.ts) on the 2M-object
 *    dump: DWARF read + typing ≤ 30% of the full analysis; and the production path with types on the
 *    ~1.1 GB / 19M-object dump (bigheap -scale 11, test/fixtures/big/bigheap-1g.dump, made by
 *    run.mjs for the upload bench; HEAPSCOPE_BENCH_BIG_DUMP overrides): peak ≤ 1.3 × the file.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readGoDwarf } from '../../shared/dwarf/index';
import { inflateZlib } from '../../electron/services/heap-dwarf';
import {
  buildHeapAnalysis,
  buildHeapGraph,
  computeDominators,
  reachableFrom,
  HeapDumpParser,
  readElfSymbols,
  retainedSizes,
  reverseCsr,
  type Csr,
  type ElfReader,
} from '../../shared/heap/index';

const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;

function rssMB(): number {
  return process.memoryUsage().rss / MB;
}
function peakMB(): number {
  return (process.resourceUsage().maxRSS * 1024) / MB;
}

interface Result {
  name: string;
  phases: [string, number][];
  baselineMB: number;
  peakMB: number;
  info: Record<string, string | number>;
}

function timed<T>(phases: [string, number][], name: string, f: () => T): T {
  const t0 = performance.now();
  const r = f();
  phases.push([name, performance.now() - t0]);
  return r;
}

function fileReader(path: string): ElfReader & { close(): void } {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  return {
    size,
    read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const b = Buffer.allocUnsafe(n);
      let got = 0;
      while (got < n) {
        const r = readSync(fd, b, got, n - got, offset + got);
        if (r === 0) break;
        got += r;
      }
      return new Uint8Array(b.buffer, b.byteOffset, got);
    },
    close: () => closeSync(fd),
  };
}

function parseFile(path: string) {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  const parser = new HeapDumpParser({ totalBytes: size, file: path });
  const buf = Buffer.allocUnsafe(8 * MB);
  for (let off = 0; off < size; ) {
    const n = readSync(fd, buf, 0, buf.length, off);
    if (n === 0) break;
    parser.push(new Uint8Array(buf.buffer, buf.byteOffset, n));
    off += n;
  }
  closeSync(fd);
  return { dump: parser.end(), size };
}

function symbols(exe: string | undefined) {
  if (!exe || !existsSync(exe)) return undefined;
  const r = fileReader(exe);
  try {
    return readElfSymbols(r, exe);
  } finally {
    r.close();
  }
}

/** Child: the real dump, phase by phase (the pieces buildHeapAnalysis runs). */
function realPhases(dumpPath: string, exe?: string): Result {
  const baseline = rssMB();
  const phases: [string, number][] = [];
  const { dump, size } = timed(phases, 'parse (streamed, 8 MB chunks)', () => parseFile(dumpPath));
  const syms = symbols(exe);
  const objects = dump.objects.count;
  const dumpEdges = dump.objects.edgeTarget.length;
  const g = timed(phases, 'graph build (sort, resolve, CSR fwd+rev, roots)', () => buildHeapGraph(dump, syms, undefined, true));
  const reach = timed(phases, 'reachability (BFS)', () => reachableFrom(g.fwd, 0).count);
  const dom = timed(phases, 'dominators (DFS + LT link-eval + NCA)', () => computeDominators(g.fwd, 0, undefined, g.rev));
  timed(phases, 'retained sizes', () => retainedSizes(dom, g.nodeCount, g.size, g.firstObject));
  return {
    name: 'real dump: phases',
    phases,
    baselineMB: baseline,
    peakMB: peakMB(),
    info: { file: dumpPath, fileMB: +(size / MB).toFixed(1), objects, dumpPointers: dumpEdges, graphEdges: g.fwd.targets.length, roots: g.rootCount, reachableNodes: reach },
  };
}

/** Child: the production path end to end, for its peak memory. */
function realFull(dumpPath: string, exe?: string): Result {
  const baseline = rssMB();
  const phases: [string, number][] = [];
  const t0 = performance.now();
  const { dump, size } = timed(phases, 'parse', () => parseFile(dumpPath));
  const a = timed(phases, 'buildHeapAnalysis (releaseDump)', () => buildHeapAnalysis(dump, exe && existsSync(exe) ? symbols(exe) : undefined, undefined, { releaseDump: true }));
  phases.push(['total: file → analysed', performance.now() - t0]);
  const peakAnalysed = peakMB();
  const q: [string, number][] = [];
  timed(q, 'rootsRanked(0, 50)', () => a.rootsRanked(0, 50));
  timed(q, 'dominatorChildren(0, 0, 100)', () => a.dominatorChildren(0, 0, 100));
  const top = a.topDominators(1)[0];
  timed(q, 'pathsToRoots(top, 5)', () => a.pathsToRoots(top.node, 5));
  timed(q, 'groupByAllocSite(all reachable)', () => a.groupByAllocSite());
  const site = a.groupByAllocSite({ kind: 'reachable' }, 0, 1).rows[0];
  timed(q, 'mergedPaths(biggest alloc site)', () => a.mergedPaths({ kind: 'allocSite', site: site.site }));
  const s = a.summary();
  return {
    name: 'real dump: production path',
    phases: [...phases, ...q.map(([n, t]): [string, number] => [`query: ${n}`, t])],
    baselineMB: baseline,
    peakMB: peakMB(),
    info: {
      fileMB: +(size / MB).toFixed(1),
      objects: s.objects,
      reachable: s.reachableObjects,
      garbage: s.garbageObjects,
      roots: s.roots,
      topRoot: a.rootsRanked(0, 1).rows[0]?.name ?? '',
      peakRssWhenAnalysedMB: +peakAnalysed.toFixed(0),
    },
  };
}

/** Child: the production path plus object types (DWARF read, typing, the type histogram). */
function realTypes(dumpPath: string, exe: string): Result {
  const baseline = rssMB();
  const phases: [string, number][] = [];
  const t0 = performance.now();
  const { dump, size } = timed(phases, 'parse', () => parseFile(dumpPath));
  const a = timed(phases, 'buildHeapAnalysis (releaseDump)', () => buildHeapAnalysis(dump, symbols(exe), undefined, { releaseDump: true }));
  const analysed = performance.now() - t0;
  phases.push(['total: file → analysed (no types)', analysed]);
  const peakUntyped = peakMB();
  const er = fileReader(exe);
  const { dwarf } = timed(phases, 'read DWARF (inflate + parse)', () => readGoDwarf(er, { inflate: inflateZlib, file: exe }));
  er.close();
  const dr = fileReader(dumpPath);
  timed(phases, 'type objects (headers, roots, propagation)', () => a.attachTypes(dwarf, null, (o, n) => dr.read(o, n)));
  dr.close();
  a.releaseTypeReader();
  const typing = performance.now() - t0 - analysed;
  phases.push(['total: DWARF + typing', typing]);
  const peakTyped = peakMB();
  const rows = timed(phases, 'query: typeRows (histogram + retained of each set)', () => a.typeRows());
  const info = a.typesInfo();
  return {
    name: `types: ${dumpPath.split('/').pop()}`,
    phases,
    baselineMB: baseline,
    peakMB: peakMB(),
    info: {
      fileMB: +(size / MB).toFixed(1),
      objects: a.summary().objects,
      types: rows.length,
      typedBytesShare: +info.typedBytesShare.toFixed(4),
      conflicts: info.conflicts,
      typingShareOfAnalysis: +(typing / analysed).toFixed(3),
      peakRssAnalysedMB: +peakUntyped.toFixed(0),
      peakRssTypedMB: +peakTyped.toFixed(0),
    },
  };
}

/** Child: synthetic random graph, n nodes / m edges, every node reachable from 0. */
function synthetic(n: number, m: number): Result {
  const baseline = rssMB();
  const phases: [string, number][] = [];
  const g = timed(phases, 'generate graph (not counted)', (): Csr => {
    let seed = 12345;
    const rand = () => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const src = new Uint32Array(m);
    const dst = new Uint32Array(m);
    for (let v = 1; v < n; v++) {
      src[v - 1] = Math.floor(rand() * v); // a spanning tree from earlier nodes
      dst[v - 1] = v;
    }
    for (let e = n - 1; e < m; e++) {
      src[e] = Math.floor(rand() * n);
      dst[e] = Math.floor(rand() * n);
    }
    const start = new Uint32Array(n + 1);
    for (let e = 0; e < m; e++) start[src[e] + 1]++;
    for (let v = 0; v < n; v++) start[v + 1] += start[v];
    const fill = start.slice(0, n);
    const targets = new Uint32Array(m);
    for (let e = 0; e < m; e++) targets[fill[src[e]]++] = dst[e];
    return { nodeCount: n, start, targets };
  });
  gc?.();
  const rev = timed(phases, 'reverse edges (CSR)', () => reverseCsr(g));
  timed(phases, 'reachability (BFS)', () => reachableFrom(g, 0).count);
  gc?.();
  const dom = timed(phases, 'dominators (DFS + LT link-eval + NCA)', () => computeDominators(g, 0, undefined, rev));
  const size = new Float64Array(n).fill(32);
  timed(phases, 'retained sizes', () => retainedSizes(dom, n, size, 0));
  return { name: `synthetic ${n / 1e6}M nodes / ${m / 1e6}M edges`, phases, baselineMB: baseline, peakMB: peakMB(), info: { nodes: n, edges: m, reachable: dom.reachable } };
}

function child(args: string[]): void {
  const [kind, a, b] = args;
  const r = kind === 'phases' ? realPhases(a, b || undefined) : kind === 'full' ? realFull(a, b || undefined) : kind === 'types' ? realTypes(a, b) : synthetic(Number(a), Number(b));
  process.stdout.write('RESULT ' + JSON.stringify(r) + '\n');
}

function runChild(args: string[]): Result | null {
  const self = process.argv[1];
  const flags = gc ? ['--expose-gc'] : [];
  const r = spawnSync(process.execPath, [...flags, '--max-old-space-size=4096', self, '--child', ...args], { encoding: 'utf8', maxBuffer: 64 * MB });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) {
    console.log(`  child ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
    return null;
  }
  return JSON.parse(line.slice(7)) as Result;
}

function print(r: Result): void {
  console.log(`\n## ${r.name}`);
  for (const [k, v] of Object.entries(r.info)) console.log(`  ${k}: ${v}`);
  const w = Math.max(...r.phases.map(([n]) => n.length));
  console.log(`  ${'phase'.padEnd(w)}  ${'ms'.padStart(9)}`);
  for (const [n, t] of r.phases) console.log(`  ${n.padEnd(w)}  ${t.toFixed(1).padStart(9)}`);
  console.log(`  peak RSS ${r.peakMB.toFixed(0)} MB (process baseline before work ${r.baselineMB.toFixed(0)} MB, so ${(r.peakMB - r.baselineMB).toFixed(0)} MB for the work)`);
}

async function main(): Promise<void> {
  const root = resolve(__dirname.includes('test/bench') ? join(__dirname, '../..') : process.cwd());
  const dump = process.env.HEAPSCOPE_BENCH_DUMP ?? join(root, 'test/fixtures/big/bigheap.dump');
  const exe = process.env.HEAPSCOPE_BENCH_EXE ?? join(root, 'test/fixtures/big/bigheap');
  const n = Number(process.env.HEAPSCOPE_BENCH_NODES ?? 10_000_000);
  const m = Number(process.env.HEAPSCOPE_BENCH_EDGES ?? 25_000_000);
  console.log(`# Heapscope heap engine bench (node ${process.version}${gc ? ', --expose-gc' : ''})`);

  if (existsSync(dump)) {
    const phases = runChild(['phases', dump, existsSync(exe) ? exe : '']);
    if (phases) print(phases);
    const full = runChild(['full', dump, existsSync(exe) ? exe : '']);
    if (full) {
      print(full);
      const fileMB = Number(full.info.fileMB);
      const total = full.phases.find(([k]) => k.startsWith('total'))![1];
      console.log(`  target: fully analysed ≤ 5000 ms → ${total.toFixed(0)} ms ${total <= 5000 ? 'OK' : 'MISSED'}`);
      const pk = Number(full.info.peakRssWhenAnalysedMB);
      console.log(
        `  target: peak ≤ 2 × file = ${(2 * fileMB).toFixed(0)} MB → peak RSS when analysed ${pk} MB (${(pk / fileMB).toFixed(2)}×), ` +
          `minus the idle process ${(pk - full.baselineMB).toFixed(0)} MB (${((pk - full.baselineMB) / fileMB).toFixed(2)}×) ${pk - full.baselineMB <= 2 * fileMB ? 'OK' : 'MISSED'}`,
      );
    }
  } else {
    console.log(`\n## real dump: skipped (${dump} not found: run test/fixtures/regen.sh --big)`);
  }

  // Object types: the 2M dump (time), then the ~1.1 GB one (memory).
  if (existsSync(dump) && existsSync(exe)) {
    const t = runChild(['types', dump, exe]);
    if (t) {
      print(t);
      const share = Number(t.info.typingShareOfAnalysis);
      console.log(`  target: typing ≤ +30% of the full analysis → +${(share * 100).toFixed(0)}% ${share <= 0.3 ? 'OK' : 'MISSED'}`);
    }
  }
  const big = process.env.HEAPSCOPE_BENCH_BIG_DUMP ?? join(root, 'test/fixtures/big/bigheap-1g.dump');
  if (existsSync(big) && existsSync(exe)) {
    const t = runChild(['types', big, exe]);
    if (t) {
      print(t);
      const fileMB = Number(t.info.fileMB);
      const pk = Number(t.info.peakRssTypedMB) - t.baselineMB;
      const pa = Number(t.info.peakRssAnalysedMB) - t.baselineMB;
      console.log(`  target: peak ≤ 1.3 × file = ${(1.3 * fileMB).toFixed(0)} MB → ${pk.toFixed(0)} MB above the idle process (${(pk / fileMB).toFixed(2)}×) ${pk <= 1.3 * fileMB ? 'OK' : 'MISSED'}`);
      console.log(`  (analysed, before types: ${pa.toFixed(0)} MB above the idle process, ${(pa / fileMB).toFixed(2)}×; the whole process ${(Number(t.info.peakRssAnalysedMB) / fileMB).toFixed(2)}× ${pa <= 1.3 * fileMB ? 'OK' : 'MISSED'})`);
    }
  } else console.log(`\n## types on the ~1.1 GB dump: skipped (${big} not found: npm run bench -- upload makes it)`);

  const syn = runChild(['synthetic', String(n), String(m)]);
  if (syn) {
    print(syn);
    const d = syn.phases.find(([k]) => k.startsWith('dominators'))![1];
    console.log(`  target: dominators ≤ 10000 ms → ${d.toFixed(0)} ms ${d <= 10000 ? 'OK' : 'MISSED'}`);
  }
}

const ci = process.argv.indexOf('--child');
if (ci >= 0) child(process.argv.slice(ci + 1));
else void main();
