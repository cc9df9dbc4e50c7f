import { defineConfig } from 'vitest/config';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Tests never touch the user's Heapscope data folder (recent files, captures).
const dataDir = join(tmpdir(), `heapscope-test-data-${process.pid}`);

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { HEAPSCOPE_DATA_DIR: dataDir },
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
