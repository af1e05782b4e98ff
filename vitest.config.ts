import { globSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * Two groups, one after the other. Tests that only compute (statistics, records, reports,
 * profiles, the GitHub client against its fake) run two files at a time; then the tests that put
 * real-time load on servers on loopback run one file at a time, so their runs keep the machine's
 * cores to themselves as a user's run would. A file of a computing folder that times real load is
 * named `*.load.test.ts` and runs with the load.
 */
const COMPUTING_FOLDERS = ['compare', 'threshold', 'analyze', 'stats', 'record', 'report', 'config', 'github', 'baseline', 'validate'];
const COMPUTING = COMPUTING_FOLDERS.flatMap((dir) => globSync(`test/${dir}/**/*.test.ts`)).filter((file) => !file.endsWith('.load.test.ts'));

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './test/summary-line-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'computing', include: COMPUTING, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'load', include: ['test/**/*.test.ts'], exclude: COMPUTING, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
