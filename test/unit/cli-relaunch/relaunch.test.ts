/**
 * The built CLI (bin/heapscope.js) starting itself again with huge pages. With process.execve
 * (Node ≥ 22.15) `serve` replaces itself: same pid, the glibc tunable in its environment. Without
 * it (forced here by HEAPSCOPE_RELAUNCH=spawn) a second process serves: signals reach it, its
 * exit code, output and death by a signal become the first process's, and it stops when the
 * first dies. Either way a command prints and exits as it does in place. And the point of it,
 * measured on this machine: an ArrayBuffer touched under that environment is backed by huge
 * pages, with far fewer page faults.
 *
 * Skipped (with the reason printed) where the system cannot give huge pages this way (another OS,
 * another C library, THP `always` or `never`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HUGETLB_TUNABLE, hugePageEnv } from '../../../electron/services/hugepages';
import { CLI_JS, FIXTURES, ROOT } from '../../helpers/paths';
import { childPids } from '../../helpers/serve';

/** This process's environment without any hugetlb tunable (as a user's shell would have it). */
const plainEnv: Record<string, string | undefined> = {
  ...process.env,
  GLIBC_TUNABLES: (process.env.GLIBC_TUNABLES ?? '').split(':').filter((t) => t && !t.startsWith('glibc.malloc.hugetlb=')).join(':') || undefined,
};
const decision = hugePageEnv(plainEnv);
const why = 'skip' in decision ? `relaunch tests skipped: ${decision.skip}` : null;
if (why) console.log(why);

function environOf(pid: number): string[] {
  return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
}

/** Running (a zombie waiting for its reaper has ended). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

interface Served {
  proc: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function serve(env: Record<string, string | undefined>): Promise<Served> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI_JS, 'serve', '--port', '0', '--no-demo'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(proc);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.once('exit', (code, signal) => r({ code, signal })));
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL:\n${out}`)), 30_000);
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const m = /serving on (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]!, exited });
      }
    });
    proc.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  });
}

const running: ChildProcess[] = [];
/** Second processes seen, killed after each test even when their first one is gone. */
const seconds: number[] = [];
function secondOf(s: Served): number[] {
  const kids = childPids(s.proc.pid!);
  seconds.push(...kids);
  return kids;
}
afterEach(() => {
  for (const p of running.splice(0)) {
    for (const c of p.pid ? childPids(p.pid) : []) if (alive(c)) process.kill(c, 'SIGKILL');
    if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  }
  for (const c of seconds.splice(0)) if (alive(c)) process.kill(c, 'SIGKILL');
});

const hasExecve = typeof (process as { execve?: unknown }).execve === 'function';
if (!why && !hasExecve) console.log(`relaunch by process.execve skipped: Node ${process.version} has none (the child-process path is tested)`);

describe.skipIf(why !== null || !hasExecve)('the CLI replaces itself with huge pages (process.execve)', () => {
  it('serve asks glibc for huge pages in the same process: same pid, nothing left waiting; SIGTERM stops it', async () => {
    const s = await serve(plainEnv);
    expect(secondOf(s)).toEqual([]);
    expect(environOf(s.proc.pid!)).toContain(`GLIBC_TUNABLES=${HUGETLB_TUNABLE}`);
    expect((await fetch(s.url)).status).toBe(200);
    s.proc.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
  }, 60_000);

  it('with HEAPSCOPE_HUGEPAGES=0 it does not', async () => {
    const s = await serve({ ...plainEnv, HEAPSCOPE_HUGEPAGES: '0' });
    expect(environOf(s.proc.pid!).some((e) => e.includes('glibc.malloc.hugetlb'))).toBe(false);
    s.proc.kill('SIGTERM');
    expect((await s.exited).code).toBe(0);
  }, 60_000);

  it('a command prints and exits exactly as one run without it', () => sameAsInPlace({}), 60_000);
});

/** Without process.execve (Node before 22.15), the child-process path; forced here by HEAPSCOPE_RELAUNCH=spawn. */
describe.skipIf(why !== null)('the CLI starts a second process with huge pages (Node without process.execve)', () => {
  const env = { ...plainEnv, HEAPSCOPE_RELAUNCH: 'spawn' };

  it('serve runs in a second process that asks glibc for huge pages; SIGTERM to the first stops both', async () => {
    const s = await serve(env);
    const kids = secondOf(s);
    expect(kids).toHaveLength(1);
    const child = kids[0]!;
    expect(environOf(child)).toContain(`GLIBC_TUNABLES=${HUGETLB_TUNABLE}`);
    expect(environOf(s.proc.pid!).some((e) => e.includes('glibc.malloc.hugetlb'))).toBe(false);
    // The URL answers (the second process serves it).
    const r = await fetch(s.url);
    expect(r.status).toBe(200);
    s.proc.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    const deadline = Date.now() + 5000;
    while (alive(child) && Date.now() < deadline) await new Promise((r2) => setTimeout(r2, 50));
    expect(alive(child)).toBe(false);
  }, 60_000);

  it('with HEAPSCOPE_HUGEPAGES=0 there is no second process', async () => {
    const s = await serve({ ...env, HEAPSCOPE_HUGEPAGES: '0' });
    expect(secondOf(s)).toEqual([]);
    s.proc.kill('SIGTERM');
    expect((await s.exited).code).toBe(0);
  }, 60_000);

  it('the second process dying by a signal ends the first by the same signal', async () => {
    const s = await serve(env);
    const [child] = secondOf(s);
    process.kill(child!, 'SIGKILL');
    expect(await s.exited).toEqual({ code: null, signal: 'SIGKILL' });
  }, 60_000);

  it('the second process stops when the first one dies, even by SIGKILL (no orphan serving on)', async () => {
    const s = await serve(env);
    const [child] = secondOf(s);
    s.proc.kill('SIGKILL');
    await s.exited;
    const deadline = Date.now() + 10_000;
    while (alive(child!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(alive(child!)).toBe(false);
  }, 60_000);

  it('a relaunched command prints and exits exactly as one run in place', () => sameAsInPlace({ HEAPSCOPE_RELAUNCH: 'spawn' }), 60_000);
});

/** Commands forced to start again (HEAPSCOPE_HUGEPAGES=1) print and exit as they do in place (=0). */
function sameAsInPlace(extra: Record<string, string>): void {
  const run = (args: string[], force: '0' | '1') =>
    spawnSync(process.execPath, [CLI_JS, ...args], { cwd: ROOT, env: { ...plainEnv, ...extra, HEAPSCOPE_HUGEPAGES: force }, encoding: 'utf8' });
  for (const args of [['top', join(FIXTURES, 'cpu.pb.gz')], ['top', join(ROOT, 'no-such-file.pb.gz')], ['top', '--no-such-option', 'x']]) {
    const here = run(args, '0');
    const again = run(args, '1');
    expect({ status: again.status, stdout: again.stdout, stderr: again.stderr }, args.join(' ')).toEqual({ status: here.status, stdout: here.stdout, stderr: here.stderr });
  }
  expect(run(['top', join(ROOT, 'no-such-file.pb.gz')], '1').status).not.toBe(0);
}

describe.skipIf(why !== null)('huge pages, measured', () => {
  it('memory touched under that environment is backed by huge pages, with far fewer page faults', () => {
    // 256 MB written once, then the process's own count of faults and huge-page-backed memory.
    const script = `
      const f0 = process.resourceUsage().minorPageFault;
      const a = new Uint8Array(256 << 20);
      for (let i = 0; i < a.length; i += 4096) a[i] = 1;
      const faults = process.resourceUsage().minorPageFault - f0;
      const huge = /AnonHugePages:\\s+(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/smaps_rollup', 'utf8'));
      console.log(JSON.stringify({ faults, hugeKB: huge ? Number(huge[1]) : 0, sum: a[4096] }));`;
    const measure = (env: Record<string, string | undefined>) =>
      JSON.parse(spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' }).stdout) as { faults: number; hugeKB: number };
    const with4k = measure(plainEnv);
    const withHuge = measure('env' in decision ? decision.env : plainEnv);
    expect(withHuge.hugeKB).toBeGreaterThanOrEqual(128 * 1024);
    expect(withHuge.faults * 8).toBeLessThan(with4k.faults);
    expect(with4k.faults).toBeGreaterThan(30_000); // 65,536 pages of 4 KB, give or take what was reused
  }, 60_000);
});
