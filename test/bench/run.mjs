#!/usr/bin/env node
// `npm run bench`: builds the bench scripts (test/bench/*.bench.ts → dist/bench/) and runs each in
// its own process, printing their tables. Where Go is installed and the ~2M-object heap dump is
// missing, it is generated first (test/fixtures/regen.sh --big; not committed).
//   npm run bench [-- NAME...]   e.g. npm run bench -- profile
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const only = process.argv.slice(2);
const go = '/usr/lib/go-1.19/bin/go';

const b = spawnSync(process.execPath, [join(root, 'build', 'build.mjs'), '--bench', '--quiet'], { stdio: 'inherit', cwd: root });
if (b.status !== 0) process.exit(b.status ?? 1);

if ((!only.length || only.includes('heap')) && !existsSync(join(root, 'test', 'fixtures', 'big', 'bigheap.dump')) && existsSync(go)) {
  console.log('bench: generating the ~2M-object heap dump (test/fixtures/regen.sh --big)...');
  spawnSync('bash', [join(root, 'test', 'fixtures', 'regen.sh'), '--big', '--build-only'], { stdio: 'inherit', cwd: root });
  const bin = join(root, 'test', 'fixtures', 'big', 'bigheap');
  if (existsSync(bin)) {
    const json = openSync(join(root, 'test', 'fixtures', 'big', 'bigheap.json'), 'w');
    spawnSync(bin, ['-out', join(root, 'test', 'fixtures', 'big', 'bigheap.dump')], { stdio: ['ignore', json, 'inherit'], cwd: root });
    closeSync(json);
  }
}

// The upload bench needs a heap dump of at least 1 GB: bigheap at -scale 11 (~1.1 GB), made once.
const bigDir = join(root, 'test', 'fixtures', 'big');
if ((!only.length || only.includes('upload')) && !process.env.HEAPSCOPE_BENCH_UPLOAD_DUMP && !existsSync(join(bigDir, 'bigheap-1g.dump')) && existsSync(go)) {
  console.log('bench: generating the ~1.1 GB heap dump (bigheap -scale 11)...');
  if (!existsSync(join(bigDir, 'bigheap'))) spawnSync('bash', [join(root, 'test', 'fixtures', 'regen.sh'), '--big', '--build-only'], { stdio: 'inherit', cwd: root });
  if (existsSync(join(bigDir, 'bigheap'))) {
    const json = openSync(join(bigDir, 'bigheap-1g.json'), 'w');
    spawnSync(join(bigDir, 'bigheap'), ['-scale', '11', '-out', join(bigDir, 'bigheap-1g.dump')], { stdio: ['ignore', json, 'inherit'], cwd: root });
    closeSync(json);
  }
}

const dir = join(root, 'dist', 'bench');
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => !only.length || only.some((o) => f.startsWith(o)));
let failed = 0;
for (const f of benches) {
  console.log(`\n# ${f.replace(/\.bench\.js$/, '')}`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(dir, f)], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    failed++;
    console.log(`bench ${f} exited with ${r.status}`);
  }
}
process.exitCode = failed ? 1 : 0;
