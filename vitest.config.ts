import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './test/summary-line-reporter.ts'],
    // Load tests time real servers on a small machine: one file at a time keeps timings honest.
    fileParallelism: false,
  },
});
