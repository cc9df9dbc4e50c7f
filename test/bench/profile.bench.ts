/**
 * Profile engine benchmark (acceptance 4). For a synthetic profile shaped like a big real CPU
 * profile (20k samples, 23k locations, a ~430k-node call tree) and for the committed fixtures:
 *   decode     gunzip + import into the model (in-process, median of warm runs, plus the cold first run)
 *   aggregate  computeTop at function granularity (in-process)
 *   flame      computeFlame with the default pruning (in-process)
 *   CLI        whole-process `heapscope top FILE --json` (node startup included)
 *   peak RSS   of that CLI process
 *   pprof      whole-process `go tool pprof -top -nodecount=100000 -nodefraction=0 -edgefraction=0 FILE`
 *   ratio      CLI / pprof (target ≤ 0.5)
 * Run: npx esbuild test/bench/profile.bench.ts --bundle --platform=node --format=cjs --outfile=/tmp/pb.js && node /tmp/pb.js
 * Env: BENCH_RUNS (default 5), GO (default /usr/lib/go-1.19/bin/go), BENCH_SKIP_FIXTURES=1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { computeFlame, computeTop, encodeProfile, importProfile } from '../../shared/profile';
import { BIG_CPU_SHAPE, syntheticCpuProfile } from './synthetic-profile';

const ROOT = findRoot();
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const GO = process.env.GO ?? '/usr/lib/go-1.19/bin/go';
const WORK = join(tmpdir(), 'heapscope-bench');
mkdirSync(WORK, { recursive: true });

function findRoot(): string {
  let d = process.cwd();
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(d, 'shared', 'profile', 'index.ts')) || existsSync(join(d, 'bin', 'heapscope.js'))) return d;
    d = resolve(d, '..');
  }
  return process.cwd();
}

const gunzip = (b: Uint8Array): Uint8Array => {
  const o = gunzipSync(b);
  return new Uint8Array(o.buffer, o.byteOffset, o.byteLength);
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
}

function fmtMs(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(x < 10 ? 1 : 0)} ms` : 'n/a';
}

function table(headers: string[], rows: string[][]): string {
  const w = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(headers), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

/** A runnable `heapscope` for whole-process timing: the built CLI, or a bundle of the top command. */
function cliCommand(): { cmd: string; args: string[]; what: string } | null {
  const bin = join(ROOT, 'bin', 'heapscope.js');
  if (existsSync(join(ROOT, 'dist', 'cli.js')) && existsSync(bin)) return { cmd: process.execPath, args: [bin], what: 'bin/heapscope.js (dist/cli.js)' };
  const entry = join(WORK, 'top-cli-entry.ts');
  const out = join(WORK, 'top-cli.js');
  writeFileSync(
    entry,
    [
      `import { Command } from 'commander';`,
      `import { nodeIO } from ${JSON.stringify(join(ROOT, 'electron', 'cli', 'io'))};`,
      `import { registerTop } from ${JSON.stringify(join(ROOT, 'electron', 'cli', 'commands', 'top'))};`,
      `const program = new Command();`,
      `registerTop(program, nodeIO);`,
      `void program.parseAsync(process.argv.slice(2), { from: 'user' });`,
    ].join('\n'),
  );
  const esbuild = join(ROOT, 'node_modules', '.bin', 'esbuild');
  const r = spawnSync(esbuild, [entry, '--bundle', '--platform=node', '--format=cjs', `--outfile=${out}`, '--log-level=error'], {
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
  });
  if (r.status !== 0) {
    console.log(`(could not bundle a CLI for whole-process timing: ${r.stderr || r.error})`);
    return null;
  }
  return { cmd: process.execPath, args: [out], what: 'bundle of electron/cli/commands/top.ts (dist/cli.js not built)' };
}

const RSS_HOOK = join(WORK, 'rss-hook.js');
writeFileSync(RSS_HOOK, `process.on('exit', () => { try { require('fs').writeSync(2, '\\n__MAXRSS_KB=' + process.resourceUsage().maxRSS + '\\n'); } catch {} });\n`);

interface Timed {
  ms: number;
  rssKB: number | null;
  ok: boolean;
  err: string;
}

const haveTime = existsSync('/usr/bin/time');

function timeProcess(cmd: string, args: string[], extraEnv: Record<string, string> = {}, measureRss: 'hook' | 'time' | 'none' = 'none'): Timed {
  let c = cmd;
  let a = args;
  if (measureRss === 'time' && haveTime) {
    c = '/usr/bin/time';
    a = ['-f', '__MAXRSS_KB=%M', cmd, ...args];
  } else if (measureRss === 'hook') {
    a = ['-r', RSS_HOOK, ...args];
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c, a, { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, ...extraEnv } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /__MAXRSS_KB=(\d+)/.exec(r.stderr ?? '');
  return { ms, rssKB: m ? Number(m[1]) : null, ok: r.status === 0, err: (r.stderr ?? '').replace(/__MAXRSS_KB=\d+/, '').trim().slice(0, 200) };
}

function haveGo(): boolean {
  if (!existsSync(GO)) return false;
  return spawnSync(GO, ['version']).status === 0;
}

interface Row {
  name: string;
  size: string;
  samples: number;
  locations: number;
  treeNodes: number;
  decodeCold: number;
  decode: number;
  aggregate: number;
  flame: number;
  cli: number;
  cliRss: number | null;
  pprof: number;
  pprofRss: number | null;
}

function benchFile(path: string, cli: ReturnType<typeof cliCommand>, go: boolean, runs: number): Row {
  const bytes = new Uint8Array(readFileSync(path));
  const decodeTimes: number[] = [];
  const aggTimes: number[] = [];
  const flameTimes: number[] = [];
  let samples = 0;
  let locations = 0;
  let treeNodes = 0;
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    const imp = importProfile(bytes, path, { gunzip });
    const t1 = performance.now();
    computeTop(imp.profile, {});
    const t2 = performance.now();
    const f = computeFlame(imp.profile, {});
    const t3 = performance.now();
    decodeTimes.push(t1 - t0);
    aggTimes.push(t2 - t1);
    flameTimes.push(t3 - t2);
    samples = imp.profile.sampleCount;
    locations = imp.profile.locationCount;
    treeNodes = f.nodeCount;
  }
  const cliTimes: number[] = [];
  let cliRss: number | null = null;
  if (cli) {
    for (let i = 0; i < runs; i++) {
      // /usr/bin/time measures a grandchild forked from a small process; a child forked straight
      // from this (big) bench process would inherit its RSS high-water mark on Linux.
      const t = timeProcess(cli.cmd, [...cli.args, 'top', path, '--json'], {}, i === 0 ? (haveTime ? 'time' : 'hook') : 'none');
      if (!t.ok) throw new Error(`heapscope top failed on ${path}: ${t.err}`);
      cliTimes.push(t.ms);
      if (t.rssKB !== null) cliRss = t.rssKB;
    }
  }
  const ppTimes: number[] = [];
  let ppRss: number | null = null;
  if (go && !path.endsWith('.debug2.txt')) {
    for (let i = 0; i < runs; i++) {
      const t = timeProcess(GO, ['tool', 'pprof', '-top', '-nodecount=100000', '-nodefraction=0', '-edgefraction=0', path], { GO111MODULE: 'off', PPROF_TMPDIR: WORK }, i === 0 ? 'time' : 'none');
      if (!t.ok) {
        ppTimes.length = 0;
        break;
      }
      ppTimes.push(t.ms);
      if (t.rssKB !== null) ppRss = t.rssKB;
    }
  }
  return {
    name: path.startsWith(ROOT) ? path.slice(ROOT.length + 1) : path,
    size: `${(statSync(path).size / 1024).toFixed(0)} KB`,
    samples,
    locations,
    treeNodes,
    decodeCold: decodeTimes[0]!,
    decode: median(decodeTimes.slice(1)),
    aggregate: median(aggTimes.slice(1)),
    flame: median(flameTimes.slice(1)),
    cli: median(cliTimes),
    cliRss,
    pprof: median(ppTimes),
    pprofRss: ppRss,
  };
}

async function main(): Promise<void> {
  console.log('# Heapscope profile engine benchmark');
  console.log(`node ${process.version}, ${RUNS} runs per measurement (medians), machine: ${(await import('node:os')).cpus().length} CPUs`);
  const t0 = performance.now();
  const p = syntheticCpuProfile(BIG_CPU_SHAPE);
  const big = join(WORK, 'big-cpu.pb.gz');
  writeFileSync(big, gzipSync(encodeProfile(p)));
  console.log(`synthetic profile: ${big} (${(statSync(big).size / 1024 / 1024).toFixed(1)} MB gz), generated in ${fmtMs(performance.now() - t0)}`);
  const cli = cliCommand();
  console.log(`heapscope CLI: ${cli ? cli.what : 'n/a'}`);
  const go = haveGo();
  console.log(`pprof: ${go ? `${GO} tool pprof` : 'Go not found: pprof columns are n/a'}`);
  console.log('');

  const files = [big];
  const fixDir = join(ROOT, 'test', 'fixtures', 'out', 'go1.19', 'leakyapp');
  if (process.env.BENCH_SKIP_FIXTURES !== '1' && existsSync(fixDir)) {
    for (const f of readdirSync(fixDir).sort()) if (/\.(pb\.gz|debug1\.txt|debug2\.txt)$/.test(f)) files.push(join(fixDir, f));
  }
  const rows: Row[] = [];
  for (const f of files) rows.push(benchFile(f, cli, go, f === big ? RUNS : Math.min(RUNS, 3)));

  console.log(
    table(
      ['file', 'size', 'samples', 'locations', 'tree nodes', 'decode (cold)', 'decode', 'aggregate', 'flame', 'CLI top', 'CLI peak RSS', 'pprof -top', 'pprof RSS', 'CLI/pprof'],
      rows.map((r) => [
        r.name,
        r.size,
        String(r.samples),
        String(r.locations),
        String(r.treeNodes),
        fmtMs(r.decodeCold),
        fmtMs(r.decode),
        fmtMs(r.aggregate),
        fmtMs(r.flame),
        fmtMs(r.cli),
        r.cliRss !== null ? `${(r.cliRss / 1024).toFixed(0)} MB` : 'n/a',
        fmtMs(r.pprof),
        r.pprofRss !== null ? `${(r.pprofRss / 1024).toFixed(0)} MB` : 'n/a',
        Number.isFinite(r.pprof) && Number.isFinite(r.cli) ? (r.cli / r.pprof).toFixed(2) : 'n/a',
      ]),
    ),
  );
  const b = rows[0]!;
  console.log('');
  if (Number.isFinite(b.pprof) && Number.isFinite(b.cli)) {
    const ratio = b.cli / b.pprof;
    console.log(`big CPU profile: heapscope top ${fmtMs(b.cli)} vs go tool pprof -top ${fmtMs(b.pprof)}: ratio ${ratio.toFixed(2)} (target ≤ 0.50) ${ratio <= 0.5 ? 'OK' : 'MISSED'}`);
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
