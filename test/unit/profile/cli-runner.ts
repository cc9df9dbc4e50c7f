/** Runs `heapscope top` in-process with an injected CliIO (no build, no subprocess). */
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { registerTop } from '../../../electron/cli/commands/top';
import type { CliIO } from '../../../electron/cli/io';
import { HeapscopeError } from '../../../shared/errors';
import { gunzip, readBytes } from './helpers';

export interface CliRun {
  out: string;
  err: string;
  code: number;
}

export async function runTop(args: string[], files: Record<string, Uint8Array> = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const io = {
    stdout: (s: string) => void (out += s),
    stderr: (s: string) => void (err += s),
    async readFile(path: string) {
      const f = files[path];
      if (f) return f;
      if (existsSync(path)) return readBytes(path);
      throw new HeapscopeError({ code: 'NOT_FOUND', message: 'cannot read: no such file', file: path });
    },
    gunzip,
    openFile() {
      throw new Error('unused');
    },
    isTTY: false,
  } as unknown as CliIO;
  const program = new Command();
  program.exitOverride();
  registerTop(program, io);
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { out, err, code: typeof process.exitCode === 'number' ? process.exitCode : 0 };
  } finally {
    process.exitCode = saved;
  }
}

export interface TopJson {
  file: string;
  format: string;
  sampleType: { type: string; unit: string };
  total: number;
  rows: Array<{ name: string; flat: number; cum: number }>;
}

/** `heapscope top FILE --json [args]`, parsed; throws with stderr on failure. */
export async function topJson(file: string, args: string[] = []): Promise<TopJson> {
  const r = await runTop(['top', file, ...args, '--json']);
  if (r.code !== 0) throw new Error(`heapscope top failed: ${r.err}`);
  return JSON.parse(r.out) as TopJson;
}
