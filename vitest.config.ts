import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/long/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Builds dist/web when it is missing or stale, so browser tests drive the code in the tree.
    globalSetup: ['test/e2e/global-setup.ts'],
  },
});
