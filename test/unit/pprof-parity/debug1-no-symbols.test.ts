/**
 * A debug=1 text profile whose stacks have addresses but no `#` symbol lines (written without
 * them, or stripped): its samples still count, under their addresses, as `go tool pprof` counts
 * them without the binary. Inputs: real debug=1 profiles of every Go of the matrix with their `#`
 * symbol lines removed; oracle: that version's `go tool pprof -top` on the same stripped file, at
 * function granularity (`<unknown>`) and at address granularity (one row per address).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { importProfile, computeTop } from '../../../shared/profile';
import { sampleTypeNames } from '../../../shared/profile/model';
import { matrixRuns, requireMatrix } from '../../helpers/matrix';
import { findToolchain, IN_CI, type GoVersion } from '../leakprofile/toolchains';
import { parsePprofTop, rowKeys } from '../profile/golden';
import { topJson } from '../profile/cli-runner';

requireMatrix();
const tmp = mkdtempSync(join(tmpdir(), 'heapscope-nosym-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Removes the `#\t0x…\tfunc\tfile:line` symbol lines; `# labels:` and MemStats stay. */
function stripSymbols(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^#\s+0x[0-9a-f]+\s/.test(l))
    .join('\n');
}

function pprofTop(version: GoVersion, file: string, args: string[]): string {
  const tc = findToolchain(version);
  if (typeof tc === 'string') throw new Error(tc);
  const r = spawnSync(tc.go, ['tool', 'pprof', '-top', ...args, file], { env: { ...tc.env, PPROF_TMPDIR: tmp }, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`go tool pprof failed: ${r.stderr}`);
  return r.stdout;
}

const runs = matrixRuns();
const cases: Array<{ version: GoVersion; name: string; path: string }> = [];
for (const run of runs) {
  for (const f of readdirSync(run.dir).filter((x) => x.endsWith('.debug1.txt')).sort()) {
    cases.push({ version: run.version, name: `go${run.version}/${run.program}/${f}`, path: join(run.dir, f) });
  }
}

describe.skipIf(cases.length === 0)('debug=1 stacks with addresses and no symbol lines count as in pprof', () => {
  for (const c of cases) {
    const tc = findToolchain(c.version);
    const why = typeof tc === 'string' ? tc : '';
    if (why && !IN_CI) console.warn(`${c.name}: skipped, ${why}`);
    it.skipIf(why !== '' && !IN_CI)(c.name, async () => {
      const stripped = stripSymbols(readFileSync(c.path, 'utf8'));
      expect(stripped).not.toMatch(/^#\s+0x/m);
      const file = join(tmp, `${c.name.replace(/\//g, '_')}`);
      writeFileSync(file, stripped);
      const imported = importProfile(new TextEncoder().encode(stripped), file, { gunzip: (b: Uint8Array) => b });
      const types = sampleTypeNames(imported.profile).map((t) => t.type);
      for (const type of types) {
        const unit = ['-unit=B'];
        if (/time|delay|contentions|nanoseconds/.test(type)) unit[0] = '-unit=ns';
        // function granularity: everything is one `<unknown>` function, as in pprof
        const fn = parsePprofTop(pprofTop(c.version, file, [`-sample_index=${type}`, ...unit]));
        const ours = await topJson(file, ['--sample-index', type]);
        expect(ours.total, `${type} total`).toBe(fn.total);
        expect(fn.total, 'the fixture has samples').toBeGreaterThan(0);
        expect(rowKeys(ours.rows), `${type} functions`).toEqual(rowKeys(fn.rows));
        // address granularity: one row per address, every value pprof's
        const ad = parsePprofTop(pprofTop(c.version, file, [`-sample_index=${type}`, '-addresses', '-nodecount=1000000', '-nodefraction=0', ...unit]));
        const oursAd = await topJson(file, ['--sample-index', type, '--granularity', 'addresses']);
        const addr = (rows: Array<{ name: string; flat: number; cum: number }>): string[] =>
          rows.map((r) => `${r.name.split(' ')[0]}\t${r.flat}\t${r.cum}`).sort();
        expect(oursAd.total).toBe(ad.total);
        expect(addr(oursAd.rows), `${type} addresses`).toEqual(addr(ad.rows));
        expect(oursAd.rows.length).toBeGreaterThan(1);
      }
      // the engine says why it shows addresses
      expect(imported.warnings.join('\n')).toMatch(/no symbol line .* counted under their addresses/);
      // and the flat/cum of the facade equals the CLI's
      const t = computeTop(imported.profile, {});
      expect(t.total).toBeGreaterThan(0);
    });
  }
});
