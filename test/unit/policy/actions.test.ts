/**
 * Acceptance 5: the README's GitHub Actions workflow, its steps run as a script against the fixture
 * Go package test/fixtures/modern/check/ciapp with Go 1.26 (/usr/local/go/bin/go). The `run:` steps
 * run in bash as Actions runs them (`bash --noprofile --norc -eo pipefail`); the `uses:` steps are
 * done by this file (checkout: a copy of the fixture; setup-go: Go 1.26 on PATH; cache restore/save:
 * a folder per key; upload-sarif: the file is validated against the SARIF 2.1.0 schema); `if:` is
 * evaluated for the expressions the workflow uses. The Heapscope checkout and install steps are
 * replaced by a `heapscope` on PATH running this checkout's bin/heapscope.js (their text is checked).
 *
 * Run 1: a push to main (the check passes, the profiles become the baseline). Run 2: a pull request
 * that deletes the cache's eviction line (the check fails with exit 3 on the leak and on growth
 * against the baseline; the SARIF is uploaded all the same).
 */
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CLI_JS, ROOT } from '../../helpers/paths';

const GO = '/usr/local/go/bin/go';
const FIXTURE = join(ROOT, 'test', 'fixtures', 'modern', 'check', 'ciapp');
const haveGo = existsSync(GO);
if (!haveGo) {
  const msg = `the Actions example test needs Go 1.26 at ${GO}`;
  if (process.env.CI === 'true') throw new Error(`${msg}: missing under CI=true`);
  console.warn(`${msg}; skipped`);
}

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}

/** The README's workflow (the yaml block that runs heapscope check). */
function readmeWorkflow(): { steps: Step[]; raw: Record<string, unknown> } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => b.includes('heapscope check'));
  expect(blocks).toHaveLength(1);
  const raw = parseYaml(blocks[0]!) as { jobs: Record<string, { steps: Step[] }> };
  const jobs = Object.values(raw.jobs);
  expect(jobs).toHaveLength(1);
  return { steps: jobs[0]!.steps, raw: raw as unknown as Record<string, unknown> };
}

interface Context {
  event_name: 'push' | 'pull_request';
  ref: string;
  sha: string;
  baseSha?: string;
}

function contextValue(path: string, c: Context): string {
  switch (path) {
    case 'github.event_name':
      return c.event_name;
    case 'github.ref':
      return c.ref;
    case 'github.sha':
      return c.sha;
    case 'github.event.pull_request.base.sha':
      if (!c.baseSha) throw new Error('no pull request');
      return c.baseSha;
  }
  throw new Error(`expression not emulated: ${path}`);
}

/** `if:` for the forms the workflow uses; anything else fails the test (keeps the README honest). */
function evalIf(expr: string | undefined, c: Context, failed: boolean): boolean {
  if (expr === undefined) return !failed;
  const e = expr.trim().replace(/^\$\{\{\s*|\s*\}\}$/g, '');
  if (e === 'always()') return true;
  if (e === 'failure()') return failed;
  if (e === 'success()') return !failed;
  const m = /^([\w.]+)\s*==\s*'([^']*)'$/.exec(e);
  if (!m) throw new Error(`if: not emulated: ${expr}`);
  return !failed && contextValue(m[1]!, c) === m[2];
}

function interpolate(s: string, c: Context): string {
  return s.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_, p: string) => contextValue(p, c));
}

interface StepRun {
  step: string;
  ran: boolean;
  code: number;
  out: string;
}

interface JobRun {
  steps: StepRun[];
  failed: boolean;
  workspace: string;
  uploaded: unknown[];
}

const validateSarif = (() => {
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(createRequire(import.meta.url)('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as Record<string, unknown>);
})();

function runJob(steps: Step[], c: Context, cacheDir: string, prepare?: (workspace: string) => void): JobRun {
  const workspace = mkdtempSync(join(tmpdir(), 'heapscope-actions-'));
  const bin = join(workspace, '..', `${workspace.split('/').pop()}-bin`);
  mkdirSync(bin, { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    GITHUB_WORKSPACE: workspace,
    GOTOOLCHAIN: 'local',
    GOPROXY: 'off',
    GOFLAGS: '-mod=mod',
    CI: 'true',
  };
  if (process.env.GOCACHE) env.GOCACHE = process.env.GOCACHE;
  const job: JobRun = { steps: [], failed: false, workspace, uploaded: [] };
  for (const s of steps) {
    const name = s.name ?? s.uses ?? s.run ?? '?';
    if (!evalIf(s.if, c, job.failed)) {
      job.steps.push({ step: name, ran: false, code: 0, out: '' });
      continue;
    }
    let code = 0;
    let out = '';
    if (s.run !== undefined && s.name === 'Install Heapscope') {
      // From the checkout of the step before (Heapscope is not on the npm registry), building the
      // CLI without Electron's binary.
      expect(s.run.trim().split('\n').map((l) => l.trim())).toEqual(['npm ci --prefix .heapscope', 'npm install --global ./.heapscope']);
      expect(s.env).toEqual({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
      expect(job.steps.at(-1)?.step).toBe('Check out Heapscope');
      writeFileSync(join(bin, 'heapscope'), `#!/bin/sh\nexec "${process.execPath}" "${CLI_JS}" "$@"\n`);
      chmodSync(join(bin, 'heapscope'), 0o755);
      env.PATH = `${bin}:${env.PATH}`;
    } else if (s.run !== undefined) {
      expect(s.run).not.toContain('${{'); // the script is plain shell
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', s.run], { cwd: workspace, env, encoding: 'utf8', timeout: 240_000 });
      code = r.status ?? 1;
      out = `${r.stdout}${r.stderr}`;
    } else if (s.uses === 'actions/checkout@v4' && s.with?.repository !== undefined) {
      // The Heapscope checkout: its install step (next) is replaced by this checkout's CLI.
      expect(s.with).toEqual({ repository: 'your-org/heapscope', path: '.heapscope' });
    } else if (s.uses === 'actions/checkout@v4') {
      cpSync(FIXTURE, workspace, { recursive: true });
      prepare?.(workspace);
    } else if (s.uses === 'actions/setup-go@v5') {
      const v = spawnSync(GO, ['version'], { encoding: 'utf8', env: { ...env, GOTOOLCHAIN: 'local' } }).stdout;
      expect(v).toContain(`go${s.with!['go-version']}.`);
      env.PATH = `/usr/local/go/bin:${env.PATH}`;
    } else if (s.uses === 'actions/setup-node@v4') {
      expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(20);
    } else if (s.uses === 'actions/cache/restore@v4') {
      const key = interpolate(s.with!.key!, c);
      const prefix = s.with!['restore-keys']!.trim();
      const hit = existsSync(join(cacheDir, key)) ? key : spawnSync('ls', ['-t', cacheDir], { encoding: 'utf8' }).stdout.split('\n').find((k) => k.startsWith(prefix));
      if (hit) cpSync(join(cacheDir, hit), join(workspace, s.with!.path!), { recursive: true });
      out = hit ? `restored ${hit}` : 'cache miss';
    } else if (s.uses === 'actions/cache/save@v4') {
      cpSync(join(workspace, s.with!.path!), join(cacheDir, interpolate(s.with!.key!, c)), { recursive: true });
    } else if (s.uses === 'github/codeql-action/upload-sarif@v3') {
      const sarif = JSON.parse(readFileSync(join(workspace, s.with!.sarif_file!), 'utf8')) as unknown;
      const ok = validateSarif(sarif);
      expect(validateSarif.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
      job.uploaded.push(sarif);
    } else throw new Error(`uses: not emulated: ${s.uses}`);
    job.steps.push({ step: name, ran: true, code, out });
    if (code !== 0) job.failed = true;
  }
  return job;
}

interface SarifResult {
  ruleId: string;
  level: string;
  message: { text: string };
  locations?: Array<{ physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number } } }>;
  suppressions?: unknown[];
}
const results = (sarif: unknown): SarifResult[] => (sarif as { runs: Array<{ results: SarifResult[] }> }).runs[0]!.results;

describe.skipIf(!haveGo)('the README GitHub Actions example, run as a script (Go 1.26)', () => {
  it('main passes and saves the baseline; a pull request that leaks fails with exit 3 and uploads SARIF', () => {
    const { steps, raw } = readmeWorkflow();
    expect((raw.permissions as Record<string, string>)['security-events']).toBe('write');
    const cacheDir = mkdtempSync(join(tmpdir(), 'heapscope-actions-cache-'));
    try {
      // 1. a push to main
      const main = runJob(steps, { event_name: 'push', ref: 'refs/heads/main', sha: 'aaaa' }, cacheDir);
      const byName = (j: JobRun, n: string): StepRun => j.steps.find((s) => s.step === n)!;
      expect(main.failed, main.steps.map((s) => `${s.step}: ${s.code}\n${s.out}`).join('\n')).toBe(false);
      expect(byName(main, "Restore the main branch's profiles (the baseline)").ran).toBe(false);
      const mainCheck = byName(main, 'Check memory against the policy');
      expect(mainCheck.code).toBe(0);
      expect(mainCheck.out).toContain('heapscope check: PASSED (heapscope.json; fails on medium findings)');
      expect(mainCheck.out).toMatch(/Allowed \(2\):\n {2}\w+ retained-by-root: global example\.com\/ciapp\.table: allow\[0\]/);
      expect(main.uploaded).toHaveLength(1);
      expect(results(main.uploaded[0]).filter((r) => r.level === 'error')).toEqual([]);
      expect(existsSync(join(cacheDir, 'heapscope-baseline-aaaa', 'heap.pb.gz'))).toBe(true);

      // 2. a pull request that deletes the eviction line: the cache leaks
      const pr = runJob(steps, { event_name: 'pull_request', ref: 'refs/pull/7/merge', sha: 'bbbb', baseSha: 'aaaa' }, cacheDir, (ws) => {
        const f = join(ws, 'ciapp.go');
        const src = readFileSync(f, 'utf8');
        expect(src).toContain('\tdelete(cache, id-keep)');
        writeFileSync(f, src.replace(/\tdelete\(cache, id-keep\)[^\n]*\n/, ''));
      });
      expect(byName(pr, "Restore the main branch's profiles (the baseline)").out).toBe('restored heapscope-baseline-aaaa');
      expect(byName(pr, 'Run the tests, writing profiles').code).toBe(0);
      const prCheck = byName(pr, 'Check memory against the policy');
      expect(prCheck.code, prCheck.out).toBe(3);
      expect(pr.failed).toBe(true);
      expect(prCheck.out).toContain('heapscope check: FAILED (heapscope.json; fails on medium findings;');
      expect(prCheck.out).toContain('heapscope: the policy fails:');
      expect(prCheck.out).toContain('Baseline: tolerance: an allocation site or goroutine stack fails only when it exceeds the baseline by more than max(10% of its baseline value, 1 MiB)');
      expect(byName(pr, 'Upload the SARIF to code scanning').ran).toBe(true); // if: always()
      expect(byName(pr, 'Keep the profiles as the next baseline').ran).toBe(false);
      const res = results(pr.uploaded[0]);
      const errors = res.filter((r) => r.level === 'error');
      expect(errors.map((r) => r.ruleId)).toEqual(expect.arrayContaining(['global-map', 'baseline-growth']));
      const src = readFileSync(join(pr.workspace, 'ciapp.go'), 'utf8').split('\n');
      const growth = errors.find((r) => r.ruleId === 'baseline-growth' && r.message.text.startsWith('heap profiles: example.com/ciapp.Handle'))!;
      const pl = growth.locations![0]!.physicalLocation!;
      expect(pl.artifactLocation).toEqual({ uri: 'ciapp.go', uriBaseId: '%SRCROOT%' });
      expect(src[pl.region!.startLine - 1]).toContain('make([]byte, 1024)');
      const map = errors.find((r) => r.ruleId === 'global-map')!;
      expect(map.message.text).toContain('example.com/ciapp.cache');
      expect(map.locations![0]!.physicalLocation!.artifactLocation.uri).toBe('ciapp.go');
      // the allowances still hold on the pull request
      expect(res.filter((r) => r.suppressions).map((r) => r.ruleId).sort()).toEqual(['goroutines-blocked', 'retained-by-root']);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }, 300_000);

  it("the README's TestMain pattern is the fixture's, word for word", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const test = readFileSync(join(FIXTURE, 'ciapp_test.go'), 'utf8');
    const tm = test.slice(test.indexOf('// TestMain writes')).trimEnd();
    expect(readme).toContain('```go\n' + tm + '\n```');
    expect(readme).toContain('```json\n' + readFileSync(join(FIXTURE, 'heapscope.json'), 'utf8').trimEnd() + '\n```');
  });
});
