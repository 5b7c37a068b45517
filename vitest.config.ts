import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Only our TypeScript tests: never compiled output, never the credentialed *.int.test.ts.
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/**/*.int.test.ts', 'node_modules/**'],
    // kuromoji's dictionary takes ~1 s and ~390 MB to load: one fork per file is plenty on 2 cores.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
