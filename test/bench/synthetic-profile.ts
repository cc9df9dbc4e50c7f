/**
 * Deterministic synthetic CPU profile shaped like a big real one: ~20k samples, ~23k locations
 * (some with inlined frames), ~15k functions, and a merged call tree of ~425k nodes. Built
 * straight into the model and encoded with Heapscope's own encoder (so `go tool pprof` reads the
 * very same bytes).
 */
import { emptyProfile, StringTable, type Profile } from '../../shared/profile/model';

/** Small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticShape {
  samples: number;
  locations: number;
  functions: number;
  /** Callee choices per location (more → fewer shared prefixes → bigger tree). */
  fanout: number;
  minDepth: number;
  maxDepth: number;
  seed: number;
}

export const BIG_CPU_SHAPE: SyntheticShape = { samples: 20000, locations: 23000, functions: 15000, fanout: 12, minDepth: 10, maxDepth: 36, seed: 42 };

export function syntheticCpuProfile(shape: SyntheticShape = BIG_CPU_SHAPE): Profile {
  const r = rng(shape.seed);
  const st = new StringTable();
  const p = emptyProfile();
  p.sampleTypes = [
    { type: st.intern('samples'), unit: st.intern('count') },
    { type: st.intern('cpu'), unit: st.intern('nanoseconds') },
  ];
  p.periodType = { type: st.intern('cpu'), unit: st.intern('nanoseconds') };
  p.period = 10000000;
  p.timeNanos = 1700000000123456789n;
  p.durationNanos = 30000000000n;

  // One mapping: the binary.
  p.mappingCount = 1;
  p.mapId = Uint32Array.of(1, 0);
  p.mapStart = Uint32Array.of(0x400000, 0);
  p.mapLimit = Uint32Array.of(0x4000000, 0);
  p.mapOffset = Uint32Array.of(0, 0);
  p.mapFile = Int32Array.of(st.intern('/usr/local/bin/bigserver'));
  p.mapBuildId = Int32Array.of(st.intern('f00dfeedcafe'));
  p.mapFlags = Uint8Array.of(15);

  // Functions spread over packages and files.
  const nF = shape.functions;
  p.functionCount = nF;
  p.funcId = new Uint32Array(2 * nF);
  p.funcName = new Int32Array(nF);
  p.funcSystemName = new Int32Array(nF);
  p.funcFilename = new Int32Array(nF);
  p.funcStartLine = new Float64Array(nF);
  const pkgs = 400;
  for (let i = 0; i < nF; i++) {
    const pkg = i % pkgs;
    const name = `github.com/example/bigserver/pkg${pkg}/sub${pkg % 17}.(*Type${i % 97}).Method${i}`;
    p.funcId[2 * i] = i + 1;
    p.funcName[i] = st.intern(name);
    p.funcSystemName[i] = p.funcName[i]!;
    p.funcFilename[i] = st.intern(`/build/src/github.com/example/bigserver/pkg${pkg}/file${i % 23}.go`);
    p.funcStartLine[i] = 10 + (i % 500);
  }

  // Locations: ~20% carry an inlined callee.
  const nL = shape.locations;
  p.locationCount = nL;
  p.locId = new Uint32Array(2 * nL);
  p.locMapping = new Int32Array(nL);
  p.locAddress = new Uint32Array(2 * nL);
  p.locIsFolded = new Uint8Array(nL);
  p.locLineStart = new Uint32Array(nL + 1);
  const lf: number[] = [];
  const ll: number[] = [];
  for (let i = 0; i < nL; i++) {
    p.locId[2 * i] = i + 1;
    p.locAddress[2 * i] = 0x401000 + i * 37;
    p.locLineStart[i] = lf.length;
    const fn = i < nF ? i : Math.floor(r() * nF);
    if (r() < 0.2) {
      lf.push(Math.floor(r() * nF));
      ll.push(1 + Math.floor(r() * 900));
    }
    lf.push(fn);
    ll.push(p.funcStartLine[fn]! + 1 + Math.floor(r() * 60));
  }
  p.locLineStart[nL] = lf.length;
  p.lineFunc = Int32Array.from(lf);
  p.lineLine = Float64Array.from(ll);
  p.lineColumn = new Float64Array(lf.length);

  // Call graph: every location has `fanout` callees; a few roots start every stack.
  const callees = new Int32Array(nL * shape.fanout);
  for (let i = 0; i < callees.length; i++) callees[i] = Math.floor(r() * nL);
  const roots = [0, 1, 2, 3];

  const nS = shape.samples;
  p.sampleCount = nS;
  p.sampleLocStart = new Uint32Array(nS + 1);
  p.values = new Float64Array(nS * 2);
  p.sampleLabelStart = new Uint32Array(nS + 1);
  const locs: number[] = [];
  const stack: number[] = [];
  for (let s = 0; s < nS; s++) {
    p.sampleLocStart[s] = locs.length;
    stack.length = 0;
    let cur = roots[Math.floor(r() * roots.length)]!;
    const depth = shape.minDepth + Math.floor(r() * (shape.maxDepth - shape.minDepth));
    stack.push(cur);
    for (let d = 1; d < depth; d++) {
      // Hot paths: the first callee is taken more often, like real programs.
      const k = r() < 0.35 ? 0 : Math.floor(r() * shape.fanout);
      cur = callees[cur * shape.fanout + k]!;
      stack.push(cur);
    }
    for (let i = stack.length - 1; i >= 0; i--) locs.push(stack[i]!); // leaf first
    const count = 1 + (r() < 0.1 ? Math.floor(r() * 5) : 0);
    p.values[2 * s] = count;
    p.values[2 * s + 1] = count * 10000000;
  }
  p.sampleLocStart[nS] = locs.length;
  p.sampleLocs = Uint32Array.from(locs);
  p.strings = st.strings;
  return p;
}
