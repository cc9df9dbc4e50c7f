/**
 * The `heapscope` command line: the same services as the app, for scripts and CI.
 */
import type { Command } from 'commander';
import { nodeIO, type CliIO } from './io';
import { guardStdio } from './pipes';
import { createProgram, runProgram } from './program';
import { registerServe } from './commands/serve';
import { registerTop } from './commands/top';
import { registerRetain } from './commands/retain';
import { registerPaths } from './commands/paths';
import { registerTypes } from './commands/types';
import { registerDiff } from './commands/diff';
import { registerFindings } from './commands/findings';
import { registerCapture } from './commands/capture';
import { registerReport } from './commands/report';
import { registerCheck } from './commands/check';
import { registerList } from './commands/list';
import { registerPeek } from './commands/peek';
import { registerMemory } from './commands/memory';

export function buildProgram(io: CliIO): Command {
  const program = createProgram(io); // program.ts: shared with the lean entry (lean.ts)
  registerTop(program, io);
  registerRetain(program, io);
  registerPaths(program, io);
  registerTypes(program, io);
  registerDiff(program, io);
  registerFindings(program, io);
  registerCapture(program, io);
  registerReport(program, io);
  registerCheck(program, io);
  registerList(program, io);
  registerPeek(program, io);
  registerMemory(program, io);
  registerServe(program, io);
  program.addHelpText(
    'after',
    `
Examples:
  heapscope top heap.pb.gz                       top functions by the profile's default sample type
  heapscope top heap.pb.gz --sample-index alloc_space --json
  heapscope retain heap.dump --exe ./server      which GC roots keep memory alive
  heapscope capture localhost:6060 --profile heap --gc --every 30s --count 10
                                                 a heap series from a live net/http/pprof service
  heapscope serve heap-1.pb.gz heap-2.pb.gz      open the UI in a browser
`,
  );
  return program;
}

export async function main(argv: string[], io: CliIO = nodeIO): Promise<number> {
  if (io === nodeIO) guardStdio(); // a closed pipe (`heapscope top FILE | head`) ends quietly
  return runProgram(buildProgram(io), argv, io);
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    if (code !== 0) process.exitCode = code;
  });
}
