/** Runs the real `heapscope` command line in-process (every command registered), capturing its output. */
import { buildProgram } from '../../../electron/cli/main';
import { nodeIO, type CliIO } from '../../../electron/cli/io';

export interface CliRun {
  out: string;
  err: string;
  code: number;
}

export async function runCli(args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIO = { ...nodeIO, stdout: (s: string) => void (out += s), stderr: (s: string) => void (err += s), isTTY: false };
  const program = buildProgram(io);
  program.exitOverride();
  const prev = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { out, err, code: typeof process.exitCode === 'number' ? process.exitCode : 0 };
  } finally {
    process.exitCode = prev;
  }
}
