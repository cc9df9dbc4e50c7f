/**
 * The lean entry of the command line (dist/cli-lean.js): the commands whose start-up time is
 * measured against `go tool pprof` are bundled here on their own, without the other commands,
 * zod, ajv, the serve, capture and report code and the Node built-ins those load. bin/heapscope.js
 * asks this bundle first; any other command line (help, `--version`, every other command) returns
 * undefined and runs through the full program in main.ts.
 *
 * It also decides, first, whether the command line starts again with huge pages (relaunch.ts).
 *
 * The program is built by the same createProgram as main.ts, so a lean command parses, prints its
 * help and fails byte for byte as it does in the full program (test/unit/cli-lean).
 */
import type { Command } from 'commander';
import { nodeIO, type CliIO } from './io';
import { guardStdio } from './pipes';
import { createProgram, runProgram } from './program';
import { registerTop } from './commands/top';

export { followParent, relaunchWithHugePages } from './relaunch';

const LEAN: Readonly<Record<string, (program: Command, io: CliIO) => void>> = {
  top: registerTop,
};

/** The command names this entry runs by itself. */
export const LEAN_COMMANDS: readonly string[] = Object.keys(LEAN);

/** Runs argv if its command is a lean one; undefined when the full program must run it. */
export function main(argv: string[], io: CliIO = nodeIO): Promise<number> | undefined {
  const name = argv[0];
  const register = name !== undefined && Object.hasOwn(LEAN, name) ? LEAN[name] : undefined;
  if (!register) return undefined;
  if (io === nodeIO) guardStdio(); // a closed pipe (`heapscope top FILE | head`) ends quietly
  const program = createProgram(io);
  register(program, io);
  return runProgram(program, argv, io);
}
