import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI_JS, ROOT } from './paths';

export interface ServeProc {
  url: string;
  origin: string;
  proc: ChildProcess;
  /** The process that serves: `proc`, or the one it started again with huge pages (electron/cli/relaunch.ts). */
  servingPid(): number;
  output: () => string;
  stop(): Promise<void>;
}

/** `pid`'s child processes (Linux /proc; elsewhere none). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** `pid`'s only child when it has one (a relaunched serve), else `pid`. */
export function servingPid(pid: number): number {
  const kids = childPids(pid);
  return kids.length === 1 ? kids[0]! : pid;
}

/**
 * Start `heapscope serve` as a user would (the built CLI) and wait for its URL. `wrap`: a command
 * that execs the rest (e.g. unshare … to give serve a small file system).
 */
export function startServe(args: string[], env: Record<string, string> = {}, opts: { wrap?: string[]; timeoutMs?: number } = {}): Promise<ServeProc> {
  return new Promise((resolve, reject) => {
    const argv = [process.execPath, CLI_JS, 'serve', '--port', '0', ...args];
    const cmd = opts.wrap?.length ? [...opts.wrap, ...argv] : argv;
    const proc = spawn(cmd[0]!, cmd.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not print a URL in time:\n${out}`)), opts.timeoutMs ?? 30_000);
    const onData = (c: Buffer) => {
      out += c.toString('utf8');
      const m = /serving on (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        const url = m[1]!;
        resolve({
          url,
          origin: new URL(url).origin,
          proc,
          servingPid: () => servingPid(proc.pid!),
          output: () => out,
          stop: () =>
            new Promise<void>((r) => {
              if (proc.exitCode !== null || proc.signalCode !== null) return r();
              proc.once('exit', () => r());
              proc.kill('SIGTERM');
            }),
        });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before printing a URL:\n${out}`));
    });
  });
}
