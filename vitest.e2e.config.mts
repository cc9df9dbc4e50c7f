import { defineConfig } from 'vitest/config';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Tests never touch the user's Heapscope data folder (recent files, captures).
const dataDir = join(tmpdir(), `heapscope-test-data-${process.pid}`);

// End-to-end tests: playwright-core drives Debian's Chromium against `heapscope serve` (built dist/).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
    env: { HEAPSCOPE_DATA_DIR: dataDir },
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
