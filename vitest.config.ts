import { defineConfig } from 'vitest/config';

/**
 * Two groups, by what a file does, not where it lives: its name says so.
 *
 * Files whose results depend on time (real-time load whose latency, rate or lateness is asserted,
 * the generator's own self-check) are named `*.load.test.ts` and run last, one at a time, each in
 * a fresh worker, so their runs keep the machine's cores to themselves as a user's run would.
 *
 * Every other file runs first, three at a time: pure computing, and also runs of the built Action
 * and CLI and short loads on loopback whose verdicts do not hang on timing (an idle self-check,
 * changes far beyond noise). Many of them mostly wait (on a spawned bundle, on a run's seconds),
 * so three keep two cores busy. A worker runs its files one after another without re-importing
 * the modules each time (not isolated): no file here mocks modules or leaves global state behind.
 *
 * Experiments that prove a rate over many real runs or long staircases (`*.experiment.ts`) are
 * not part of `npm test`: `npm run validate` runs them by hand, one at a time, with this config
 * and TAILGATE_EXPERIMENTS=1 (scripts/validate.mjs); each keeps a short run in `npm test`.
 */
const LOAD = 'test/**/*.load.test.ts';
/**
 * Files that need modules of their own: the toolkits read GITHUB_API_URL when @actions/github is
 * first imported, so a file that points them at its fake GitHub must be the first in its worker to
 * import them. They run beside the parallel group, each in a fresh worker.
 */
const OWN_MODULES = ['test/baseline/actions-stores.test.ts'];
const EXPERIMENTS = process.env.TAILGATE_EXPERIMENTS === '1' ? [{ extends: true as const, test: { name: 'experiments', include: ['test/**/*.experiment.ts'], fileParallelism: false } }] : [];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './test/summary-line-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'parallel', include: ['test/**/*.test.ts'], exclude: [LOAD, ...OWN_MODULES], maxWorkers: 3, isolate: false, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'own-modules', include: OWN_MODULES, maxWorkers: 3, isolate: true, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'load', include: [LOAD], fileParallelism: false, sequence: { groupOrder: 1 } } },
      ...EXPERIMENTS,
    ],
  },
});
