/**
 * The demo investigation: real profiles written by test/fixtures/go/leakyapp (a Go program that
 * leaks on purpose), shipped with the app so the first screen already shows a leak.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const DEMO_FILE_NAMES = ['heap-1.pb.gz', 'heap-2.pb.gz', 'heap-3.pb.gz', 'goroutine.pb.gz', 'goroutine.debug2.txt', 'heap.dump'];

/** Folder holding the demo files: beside the bundle when packaged, else the repo's fixtures. */
export function demoDir(): string {
  const candidates = [
    process.env.HEAPSCOPE_DEMO_DIR,
    (process as { resourcesPath?: string }).resourcesPath ? join((process as { resourcesPath?: string }).resourcesPath!, 'demo') : undefined,
    join(__dirname, 'demo'),
    resolve(__dirname, '..', 'test', 'fixtures', 'out', 'go1.19', 'leakyapp'),
    resolve(__dirname, '..', '..', 'test', 'fixtures', 'out', 'go1.19', 'leakyapp'),
  ].filter((c): c is string => Boolean(c));
  return candidates.find((c) => existsSync(join(c, DEMO_FILE_NAMES[0]!))) ?? candidates[candidates.length - 1]!;
}

export function demoFiles(): string[] {
  const dir = demoDir();
  return DEMO_FILE_NAMES.map((n) => join(dir, n));
}
