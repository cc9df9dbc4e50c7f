import { defineConfig } from 'vitest/config';

// End-to-end tests: playwright-core drives Debian's Chromium against `heapscope serve` (built dist/).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
