import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/long runs only under RAPPORT_LONG=1 (npm run test:long); a CLI filter cannot lift an exclude.
    exclude: [...(process.env.RAPPORT_LONG === '1' ? [] : ['test/long/**']), 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker per core but one, a single worker on a 2-core machine. The
    // tests wait on fsync, PostgreSQL and Chromium as much as they compute: two workers took the
    // suite from 580 s to 326 s on 2 cores (every test file has its own database and port).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Builds dist/web when it is missing or stale, so browser tests drive the code in the tree.
    globalSetup: ['test/e2e/global-setup.ts'],
  },
});
