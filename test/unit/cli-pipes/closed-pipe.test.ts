/**
 * `heapscope top FILE | head`: a reader that goes away ends every command quietly (no EPIPE stack
 * trace), as it does for any Unix tool. Runs the built CLI (bin/heapscope.js) with its stdout a
 * pipe whose read end is already closed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_JS, FIXTURES, ROOT } from '../../helpers/paths';

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
}

/** Runs the CLI with stdout (or stderr) closed on the reading side before it writes anything. */
function runClosed(args: string[], which: 'stdout' | 'stderr' = 'stdout', timeoutMs = 30_000): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const proc = spawn(process.execPath, [CLI_JS, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    if (which === 'stdout') {
      proc.stdout.destroy(); // the reader is gone: every write of the child gets EPIPE
      proc.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    } else {
      proc.stderr.destroy();
      proc.stdout.resume();
    }
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`heapscope ${args.join(' ')} still running ${timeoutMs} ms after its reader closed; stderr:\n${stderr}`));
    }, timeoutMs);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, ms: Date.now() - t0 });
    });
    proc.on('error', reject);
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'heapscope-pipes-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const f = (name: string) => join(FIXTURES, name);

describe('a closed pipe ends every command quietly', () => {
  const cases: Array<[string, string[]]> = [
    ['top (text table)', ['top', f('cpu.pb.gz')]],
    ['top --json', ['top', f('heap-3.pb.gz'), '--json']],
    ['top of a debug=2 goroutine dump', ['top', f('goroutine.debug2.txt')]],
    ['diff', ['diff', f('heap-1.pb.gz'), f('heap-3.pb.gz')]],
    ['findings', ['findings', f('heap-1.pb.gz'), f('heap-2.pb.gz'), f('heap-3.pb.gz'), f('goroutine.pb.gz')]],
    ['findings --json', ['findings', f('goroutine.debug2.txt'), '--json']],
    ['retain', ['retain', f('heap.dump'), '--exe', f('leakyapp')]],
    ['report (progress on stdout)', ['report', f('heap-3.pb.gz'), '-o', join(tmp, 'r.html')]],
    ['--help', ['--help']],
    ['top --help', ['top', '--help']],
    ['--version', ['--version']],
  ];
  for (const [name, args] of cases) {
    it(name, async () => {
      const r = await runClosed(args);
      expect(r.stderr).not.toMatch(/EPIPE|Unhandled|at .*\.js:\d+/);
      expect(r.stderr).toBe('');
      expect(r.signal).toBeNull();
      expect(r.code).toBe(0);
    });
  }

  it('keeps the exit code the command chose (findings --fail-on still gates CI)', async () => {
    const open = await runClosed(['findings', f('goroutine.debug2.txt'), '--fail-on', 'low'], 'stderr');
    const closed = await runClosed(['findings', f('goroutine.debug2.txt'), '--fail-on', 'low']);
    expect(open.code).toBe(3); // the fixture leaks goroutines on purpose
    expect(closed.stderr).toBe('heapscope: 1 finding at or above low (--fail-on low)\n'); // stderr is still open
    expect(closed.code).toBe(3);
  });

  it('an error message to a closed stderr still exits 1, silently', async () => {
    const r = await runClosed(['top', join(tmp, 'missing.pb.gz')], 'stderr');
    expect(r.code).toBe(1);
    expect(r.signal).toBeNull();
  });

  it('a long-running command (serve) ends when its reader goes', async () => {
    const r = await runClosed(['serve', '--no-demo', '--port', '0'], 'stdout', 20_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
