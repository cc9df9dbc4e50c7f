import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const DIST = join(ROOT, 'dist');
export const WORKER_JS = join(DIST, 'worker.js');
export const CLI_JS = join(ROOT, 'bin', 'heapscope.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'out', 'go1.19', 'leakyapp');
export const TEST_OUTPUT = join(ROOT, 'test-output');
