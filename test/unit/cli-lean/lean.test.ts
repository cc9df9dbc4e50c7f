/**
 * The lean entry (electron/cli/lean.ts, dist/cli-lean.js) runs `top` without the rest of the CLI.
 * It must behave exactly as the full program: same stdout, stderr and exit code for a normal run,
 * its help, a missing argument, a bad option and a missing file; and it must leave every other
 * command line (help, --version, other commands) to the full program. The built bin is checked
 * too: a lean run's output equals the full bundle's, and the lean bundle does not hold the serve
 * or report code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeIO, type CliIO } from '../../../electron/cli/io';
import { LEAN_COMMANDS, main as leanMain } from '../../../electron/cli/lean';
import { main as fullMain } from '../../../electron/cli/main';
import { CLI_JS, DIST, FIXTURES, ROOT } from '../../helpers/paths';

interface Run {
  out: string;
  err: string;
  code: number;
}

function capture(): { io: CliIO; run: Run } {
  const run: Run = { out: '', err: '', code: -1 };
  const io: CliIO = { ...nodeIO, stdout: (s: string) => void (run.out += s), stderr: (s: string) => void (run.err += s), isTTY: false };
  return { io, run };
}

async function both(argv: string[]): Promise<{ lean: Run; full: Run }> {
  const prev = process.exitCode;
  try {
    process.exitCode = undefined;
    const l = capture();
    const p = leanMain(argv, l.io);
    expect(p, `lean entry runs ${argv.join(' ')}`).toBeDefined();
    l.run.code = await p!;
    process.exitCode = undefined;
    const f = capture();
    f.run.code = await fullMain(argv, f.io);
    return { lean: l.run, full: f.run };
  } finally {
    process.exitCode = prev;
  }
}

const CPU = join(FIXTURES, 'cpu.pb.gz');
const HEAP = join(FIXTURES, 'heap-1.pb.gz');

describe('lean CLI entry', () => {
  it('runs top only', () => {
    expect(LEAN_COMMANDS).toEqual(['top']);
  });

  const cases: Array<[string, string[]]> = [
    ['top --json', ['top', CPU, '--json']],
    ['top table', ['top', HEAP, '--sample-index', 'inuse_space']],
    ['top with filters', ['top', HEAP, '--focus', 'main', '--granularity', 'lines', '--sort', 'cum']],
    ['top --diff-base', ['top', HEAP, '--diff-base', join(FIXTURES, 'heap-3.pb.gz'), '--json']],
    ['top --help', ['top', '--help']],
    ['top without a file', ['top']],
    ['top with an unknown option', ['top', CPU, '--nope']],
    ['top with a bad granularity', ['top', CPU, '--granularity', 'bytes']],
    ['top of a missing file', ['top', join(ROOT, 'no-such-file.pb.gz')]],
  ];
  for (const [what, argv] of cases) {
    it(`${what}: same output and exit code as the full program`, async () => {
      const { lean, full } = await both(argv);
      expect(lean).toEqual(full);
      expect(lean.out.length + lean.err.length).toBeGreaterThan(0);
    });
  }

  it('leaves every other command line to the full program', () => {
    for (const argv of [[], ['--help'], ['-V'], ['help', 'top'], ['retain', 'x'], ['serve'], ['TOP', CPU], ['toString'], ['constructor']]) {
      expect(leanMain(argv, capture().io), argv.join(' ')).toBeUndefined();
    }
  });

  const built = existsSync(join(DIST, 'cli-lean.js')) && existsSync(join(DIST, 'cli.js'));
  it.skipIf(!built && process.env.CI !== 'true')('bin/heapscope.js: a lean run prints what the full bundle prints (needs a build)', () => {
    expect(built, 'dist/cli-lean.js and dist/cli.js (npm run build)').toBe(true);
    const viaBin = spawnSync(process.execPath, [CLI_JS, 'top', CPU, '--json'], { cwd: ROOT, encoding: 'utf8' });
    const viaFull = spawnSync(process.execPath, ['-e', 'require(process.argv[1]).main(process.argv.slice(2)).then((c) => { process.exitCode = c; })', join(DIST, 'cli.js'), 'top', CPU, '--json'], { cwd: ROOT, encoding: 'utf8' });
    expect(viaBin.status).toBe(0);
    expect(viaBin.stdout).toBe(viaFull.stdout);
    expect(JSON.parse(viaBin.stdout).rows.length).toBeGreaterThan(0);
    // the full program still answers what the lean entry leaves
    const version = spawnSync(process.execPath, [CLI_JS, '--version'], { cwd: ROOT, encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
    const lean = readFileSync(join(DIST, 'cli-lean.js'), 'utf8');
    expect(lean.length).toBeLessThan(readFileSync(join(DIST, 'cli.js'), 'utf8').length / 2);
    expect(lean).not.toMatch(/registerServe|registerReport|node:http"/);
  });
});
