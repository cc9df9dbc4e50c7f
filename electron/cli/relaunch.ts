/**
 * The command line starts itself again with huge pages (services/hugepages.ts) when it will hold
 * big data: `serve` (anything can be opened in it later) and any command whose file arguments
 * total at least RELAUNCH_MIN_BYTES. A second Node start costs ~40–60 ms; below that size the
 * faults it saves cost less. `HEAPSCOPE_HUGEPAGES=1` relaunches whatever the size, `=0` never.
 *
 * Where Node has `process.execve` (≥ 22.15) the process replaces itself: same pid, stdio and
 * arguments, nothing left waiting. Elsewhere the second process is a child that is the command:
 * it shares the terminal (stdio inherited), gets every SIGINT, SIGTERM and SIGHUP sent to the
 * first (a terminal's Ctrl+C reaches both: `serve` stops once), its exit code or signal becomes
 * the first one's, and it stops when the first one dies.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { constants } from 'node:os';
import { hugePageEnv, type Env, type HugePageProbe, systemProbe } from '../services/hugepages';

export const RELAUNCH_MIN_BYTES = 64 * 1024 * 1024;
/** Set in the second process's environment. */
const RELAUNCHED = 'HEAPSCOPE_RELAUNCHED';
/** `spawn`: start a child even where process.execve exists (the tests of that path). */
const HOW = 'HEAPSCOPE_RELAUNCH';

const ALWAYS: ReadonlySet<string> = new Set(['serve']);
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Total size of the arguments that name regular files (options and their values included: a bound, not a parse). */
export function fileArgumentBytes(argv: readonly string[], size: (p: string) => number | null = regularFileSize): number {
  let total = 0;
  for (const a of argv) {
    if (a.startsWith('-') && a.length > 1) continue;
    total += size(a) ?? 0;
  }
  return total;
}

function regularFileSize(p: string): number | null {
  try {
    const st = statSync(p, { throwIfNoEntry: false });
    return st?.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

/**
 * Whether this command line is worth a second start with huge pages (before asking the system
 * whether it can have them). Never under a debugger (`--inspect…`): it would attach to the first
 * process, which only waits, and the second would find the debugger's port taken.
 */
export function wantsHugePages(argv: readonly string[], env: Env, size?: (p: string) => number | null, execArgv: readonly string[] = process.execArgv): boolean {
  if (env.HEAPSCOPE_HUGEPAGES === '0' || env[RELAUNCHED] === '1') return false;
  if (execArgv.some((a) => a.startsWith('--inspect')) || /(^|\s)--inspect/.test(env.NODE_OPTIONS ?? '')) return false;
  if (env.HEAPSCOPE_HUGEPAGES === '1') return true;
  const command = argv[0];
  if (command !== undefined && ALWAYS.has(command)) return true;
  return fileArgumentBytes(argv.slice(1), size) >= RELAUNCH_MIN_BYTES;
}

export interface RelaunchOptions {
  env?: Env;
  probe?: HugePageProbe;
  /** The script to start again (bin/heapscope.js). */
  script?: string;
}

/**
 * Starts the command again with huge pages and resolves to its exit code; undefined when this
 * process should run the command itself (not worth it, not possible, or already relaunched).
 */
export function relaunchWithHugePages(argv: readonly string[], opts: RelaunchOptions = {}): Promise<number> | undefined {
  const env = opts.env ?? process.env;
  const script = opts.script ?? process.argv[1];
  if (!script || !wantsHugePages(argv, env)) return undefined;
  const decision = hugePageEnv(env, opts.probe ?? systemProbe);
  if (!('env' in decision)) return undefined;
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(decision.env)) if (v !== undefined) childEnv[k] = v;
  childEnv[RELAUNCHED] = '1';
  const args = [...process.execArgv, script, ...argv];
  // Node ≥ 22.15: become the new process (same pid, nothing left waiting). Older: a child.
  const execve = (process as { execve?: (file: string, args: string[], env: Record<string, string>) => void }).execve;
  if (typeof execve === 'function' && env[HOW] !== 'spawn') {
    try {
      execve(process.execPath, [process.execPath, ...args], childEnv);
    } catch {
      return undefined; // execve(2) failed: this process is unchanged and runs the command itself
    }
  }
  return spawnAgain(args, childEnv);
}

/** The second process as a child of this one, for a Node without process.execve. */
function spawnAgain(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise<number>((resolve) => {
    // The IPC channel is only a lifeline: when the first process dies (even by SIGKILL), the
    // second sees it close and stops (followParent), instead of serving on as an orphan.
    const child = spawn(process.execPath, args, { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], env });
    const forward = (sig: NodeJS.Signals) => () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    };
    const handlers = FORWARDED.map((sig) => [sig, forward(sig)] as const);
    for (const [sig, h] of handlers) process.on(sig, h);
    const done = () => {
      for (const [sig, h] of handlers) process.removeListener(sig, h);
    };
    child.once('error', (e) => {
      done();
      process.stderr.write(`heapscope: could not start again with huge pages (${e.message})\n`);
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      done();
      if (signal) {
        // End the way the command ended: a shell sees the same signal (130 for Ctrl+C, …).
        process.kill(process.pid, signal);
        resolve(128 + (constants.signals[signal] ?? 0)); // a signal this process survives (ignored)
        return;
      }
      resolve(code ?? 1);
    });
  });
}

/**
 * In the second process: stop (as on SIGTERM: `serve` closes cleanly) when the first one is gone.
 * The channel does not keep this process alive by itself.
 */
export function followParent(): void {
  if (process.env[RELAUNCHED] !== '1' || !process.channel) return;
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
