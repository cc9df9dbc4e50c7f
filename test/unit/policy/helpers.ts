/**
 * Running `heapscope check` in-process (the real command, real files, a captured CliIO) and the
 * fixtures the policy tests use.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck, type CheckOptions } from '../../../electron/cli/commands/check';
import { fail } from '../../../electron/cli/commands/retain';
import { nodeIO, type CliIO } from '../../../electron/cli/io';
import { ROOT } from '../../helpers/paths';

export const LEAKY = join(ROOT, 'test', 'fixtures', 'out', 'go1.19', 'leakyapp');
/** The folder whose leakyapp/main.go the fixture's -trimpath'd file names point at. */
export const LEAKY_SRC_ROOT = join(ROOT, 'test', 'fixtures', 'go');
export const LEAKY_INPUTS = ['heap-1.pb.gz', 'heap-2.pb.gz', 'heap-3.pb.gz', 'goroutine.pb.gz', 'heap.dump'].map((f) => join(LEAKY, f));
export const LEAKY_EXE = join(LEAKY, 'leakyapp');

export interface CheckRun {
  code: number;
  out: string;
  err: string;
}

/** `heapscope check` as the CLI runs it: errors become exit 1 with the message on stderr. */
export async function check(files: string[], opts: CheckOptions = {}): Promise<CheckRun> {
  let out = '';
  let err = '';
  const io: CliIO = { ...nodeIO, stdout: (s) => void (out += s), stderr: (s) => void (err += s) };
  const saved = process.exitCode;
  try {
    const code = await runCheck(io, files, opts);
    return { code, out, err };
  } catch (e) {
    fail(io, e);
    return { code: 1, out, err };
  } finally {
    process.exitCode = saved;
  }
}

/** Writes a policy file (an object as JSON, or raw text) into a fresh temp folder. */
export function policyFile(content: unknown, name = 'heapscope.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'heapscope-policy-'));
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
}

/** Allowances for every high finding of the leakyapp fixture (by subject), until `until`. */
export function allowLeakyHighs(until?: string): Array<Record<string, string>> {
  const u: Record<string, string> = until ? { until } : {};
  return [
    { kind: 'global-map', subject: '^global main\\.sessionCache$', reason: 'the demo cache', ...u },
    // Also what global main.pinned alone keeps (folded into this finding: alsoFoundBy).
    { kind: 'subslice-pinning', subject: '^main\\.loadBlob$', reason: 'pinned on purpose for the demo', ...u },
    { kind: 'growing-alloc-site', subject: '^main\\.(loadBlob|cacheSession|worker)$', reason: 'the demo grows on purpose', ...u },
  ];
}
