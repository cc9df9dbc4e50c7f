#!/usr/bin/env node
// `npm test`: every suite, then one closing line `N passed, N failed` summing them all.
//   1. build (Node bundles + renderer), 2. per-environment type checks, 3. the import-boundary lint,
//   4. unit + integration (vitest), 5. end-to-end in Chromium (vitest + playwright-core).
// Flags: --no-e2e, --only=<suite>
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test-output');
mkdirSync(out, { recursive: true });
const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--only='))?.slice(7);
const noE2e = args.includes('--no-e2e');
const bin = (n) => join(root, 'node_modules', '.bin', n);

let passed = 0;
let failed = 0;
let skipped = 0;
const summary = [];

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' }, ...opts });
  return r.status === 0;
}

function step(name, ok) {
  if (ok) passed++;
  else failed++;
  summary.push(`${ok ? 'PASS' : 'FAIL'} ${name}`);
}

function vitest(name, config, jsonFile) {
  const ok = run(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`]);
  if (!existsSync(jsonFile)) {
    failed++;
    summary.push(`FAIL ${name}: no results written`);
    return;
  }
  const j = JSON.parse(readFileSync(jsonFile, 'utf8'));
  passed += j.numPassedTests;
  failed += j.numFailedTests;
  skipped += j.numPendingTests + (j.numTodoTests ?? 0);
  // A suite file that failed to load counts as a failure even with no test inside.
  const brokenFiles = (j.testResults ?? []).filter((t) => t.status === 'failed' && (t.assertionResults ?? []).every((a) => a.status !== 'failed')).length;
  failed += brokenFiles;
  summary.push(`${ok ? 'PASS' : 'FAIL'} ${name}: ${j.numPassedTests} passed, ${j.numFailedTests + brokenFiles} failed, ${j.numPendingTests} skipped`);
}

const want = (s) => !only || only === s;

if (want('build') || want('e2e') || !only) step('build', run(process.execPath, [join(root, 'build', 'build.mjs'), '--quiet']));
if (want('typecheck')) {
  for (const p of ['shared', 'electron', 'renderer', 'test']) step(`typecheck ${p}/ (${p === 'shared' ? 'no DOM, no Node' : p === 'renderer' ? 'DOM' : 'Node'})`, run(bin('tsc'), ['-p', join(p, 'tsconfig.json')]));
}
if (want('lint')) step('lint import boundaries', run(process.execPath, [join(root, 'build', 'lint-boundaries.mjs')]));
if (want('unit')) vitest('unit + integration', 'vitest.config.mts', join(out, 'vitest-unit.json'));
if (want('e2e') && !noE2e) vitest('end-to-end (Chromium)', 'vitest.e2e.config.mts', join(out, 'vitest-e2e.json'));

console.log('\n' + summary.join('\n'));
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed ? 1 : 0;
