import { defineConfig } from 'vitest/config';

/** Browser tests: the real server on an in-memory database, driven through Debian's Chromium. */
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['e2e/**/*.test.ts'],
    // One `vite build` for all browser test files, not one per file.
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
