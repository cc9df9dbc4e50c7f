import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_JS, ROOT } from './paths';

export interface ServeProc {
  url: string;
  origin: string;
  proc: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
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
          output: () => out,
          stop: () =>
            new Promise<void>((r) => {
              if (proc.exitCode !== null) return r();
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
