/**
 * The `heapscope` program itself (name, version, output, error handling), shared by the full
 * command line (main.ts, every command) and the lean entry (lean.ts, one command per bundle), so
 * both parse, print help and fail exactly alike.
 */
import { Command, CommanderError } from 'commander';
import type { CliIO } from './io';
import { VERSION } from '../services/version';

/** The program with its global options and no commands yet. */
export function createProgram(io: CliIO): Command {
  const program = new Command();
  program
    .name('heapscope')
    .description('Find memory and goroutine leaks in Go programs: pprof profiles, goroutine dumps and heap dumps.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  return program;
}

/** Parses argv and runs the command it names; the process's exit code. */
export async function runProgram(program: Command, argv: string[], io: CliIO): Promise<number> {
  program.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    io.stderr(`heapscope: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
