/**
 * The three Go toolchains of the fixture matrix (issue 11), for tests that build and run real Go
 * programs. A missing toolchain skips such a test with a printed reason, except under CI=true,
 * where it fails: CI must have all three (`.ci/run` installs or fetches them).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export type GoVersion = '1.19' | '1.26' | '1.27';

export interface Toolchain {
  version: GoVersion;
  /** The go command. */
  go: string;
  /** Environment for every go command of this version (GOTOOLCHAIN pinned). */
  env: NodeJS.ProcessEnv;
}

const SPECS: Record<GoVersion, { go: string; gotoolchain: string | null; expect: string }> = {
  '1.19': { go: '/usr/lib/go-1.19/bin/go', gotoolchain: null, expect: 'go1.19' },
  '1.26': { go: '/usr/local/go/bin/go', gotoolchain: 'local', expect: 'go1.26' },
  '1.27': { go: '/usr/local/go/bin/go', gotoolchain: 'go1.27.3', expect: 'go1.27.3' },
};

export const IN_CI = process.env.CI === 'true';

const cache = new Map<GoVersion, Toolchain | string>();

/** The toolchain, or a sentence saying why it is not usable here. */
export function findToolchain(version: GoVersion): Toolchain | string {
  const hit = cache.get(version);
  if (hit !== undefined) return hit;
  const spec = SPECS[version];
  let out: Toolchain | string;
  if (!existsSync(spec.go)) out = `Go ${version}: ${spec.go} is not installed`;
  else {
    const env: NodeJS.ProcessEnv = { ...process.env, GOFLAGS: '-mod=mod', GOWORK: 'off' };
    if (spec.gotoolchain) env.GOTOOLCHAIN = spec.gotoolchain;
    else delete env.GOTOOLCHAIN;
    const r = spawnSync(spec.go, ['version'], { env, encoding: 'utf8', timeout: 300_000 });
    const v = `${r.stdout ?? ''}`.trim();
    if (r.status !== 0 || !v.includes(`${spec.expect}`)) {
      out = `Go ${version}: \`${spec.gotoolchain ? `GOTOOLCHAIN=${spec.gotoolchain} ` : ''}${spec.go} version\` failed (${(r.stderr || v || String(r.error ?? '')).trim().slice(0, 200)})`;
    } else out = { version, go: spec.go, env };
  }
  cache.set(version, out);
  return out;
}

/**
 * For describe-level gating: the toolchain, or null after printing why the tests are skipped.
 * Under CI=true a missing toolchain throws instead (the suite fails).
 */
export function toolchainOrSkip(version: GoVersion, what: string): Toolchain | null {
  const t = findToolchain(version);
  if (typeof t !== 'string') return t;
  if (IN_CI) throw new Error(`${what}: CI must have Go ${version}, but ${t}`);
  console.warn(`SKIPPED ${what} on Go ${version}: ${t}`);
  return null;
}

/** `go build` in dir with the toolchain (plus extra env such as GOEXPERIMENT), to out. */
export function goBuild(t: Toolchain, dir: string, out: string, extraEnv: NodeJS.ProcessEnv = {}): void {
  execFileSync(t.go, ['build', '-o', out, '.'], { cwd: dir, env: { ...t.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
}
