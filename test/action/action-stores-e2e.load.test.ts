import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleService } from '../../src/sample-service/sample-service.js';
import { startAutoStoreRunner, type AutoStoreJobResult, type AutoStoreRunner } from '../helpers/auto-store-runner.js';
import { shopProfile, spawnAction } from '../helpers/built-action.js';
import type { FakeActionsServices, FakeRun } from '../helpers/fake-actions-services.js';

/**
 * The built Action with `baseline-storage: auto`: the real @actions/cache and @actions/artifact
 * code, bundled in dist/index.js, saving and restoring through a stand-in of the Actions cache and
 * artifact services whose blobs live in Azurite. Proves the bundle's storage path works. Here the
 * runs whose assertions hang on real time: a regression caught against the stored baseline, and
 * shards that must run together; the flows whose verdicts do not matter (forks, report mode, a
 * missing shard, wedged baselines) are in `action-stores-e2e.test.ts`, which runs in parallel.
 */
// 7 s runs: six measured 1 s blocks, enough to judge a regression beside one baseline run on a
// busy machine, where the three blocks of a 4 s run leave the interval too wide to call.
const PROFILES = { 'tailgate.yml': shopProfile('', { duration: '7s' }) };

let runner: AutoStoreRunner;
let service: SampleService;
let actions: FakeActionsServices;

beforeAll(async () => {
  runner = await startAutoStoreRunner(PROFILES);
  ({ service, actions } = runner);
}, 60_000);
afterAll(() => runner.close());

const runAction = (run: FakeRun, eventFile: string, extra?: Record<string, string>): Promise<AutoStoreJobResult> => runner.runJob(run, eventFile, extra);

describe('the built Action with baselines in the Actions cache and artifacts', () => {
  it('records the baseline to both on a push to the default branch', async () => {
    const push = actions.startRun({ ref: 'refs/heads/main', sha: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c' });
    const result = await runAction(push, 'push-default-branch.json');
    expect(result.code, result.log).toBe(0);
    expect(result.summary).toMatch(/Saved to cache entry tailgate-baseline-shop-.* and artifact tailgate-baseline-shop/);
    expect(actions.cacheEntries.filter((e) => e.key.startsWith('tailgate-baseline-shop-'))).toHaveLength(1);
    expect(actions.artifacts.filter((a) => a.name === 'tailgate-baseline-shop')).toHaveLength(1);
  }, 60_000);

  it('finds it from a pull request and catches a regression against it', async () => {
    // Fifty times as slow (about +200 ms): far beyond what a busy machine adds to a 4 s run's
    // p95 on loopback (tens of milliseconds), so the flow is tested, not the gate's power.
    service.injectRegression(49);
    try {
      const pr = actions.startRun({ ref: 'refs/pull/42/merge', sha: 'a7c3e5f19b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e', headBranch: 'feature/faster-search' });
      const result = await runAction(pr, 'pull-request-same-repo.json');
      expect(result.code, `${result.log}\n${result.summary.slice(0, 3000)}`).toBe(1);
      expect(result.log).toMatch(/baseline: .*1 run\(s\)/);
      expect(result.outputs).toMatch(/verdict<<.*\nregression\n/);
    } finally {
      service.injectRegression(0);
    }
    expect(actions.violations).toEqual([]);
  }, 60_000);
});

describe('a load split across matrix jobs (shard: i/n), then mode: merge', () => {
  const MAIN_SHA = '5ba7d1e0c3f2a4b6d8e0f1a3c5e7d9b1f3a5c7e9';

  const requestsIn = (log: string): number => Number(/shard \d\/\d: (\d+) requests/.exec(log)?.[1]);

  it('each shard job uploads its record; the merge job merges them all and records the baseline', async () => {
    const push = actions.startRun({ ref: 'refs/heads/main', sha: MAIN_SHA });
    // The matrix jobs run at once and wait for a common start, as sharded.yml has them: one far
    // enough ahead that both bundles have started by then, on a busy machine too (a 4 s lead let
    // one shard begin 3 s late, when a bundle that does nothing took 1.5 s to start and end).
    const startedAt = Date.now();
    await spawnAction({ PATH: process.env.PATH ?? '' }, runner.workspace);
    const lead = 4000 + 3 * (Date.now() - startedAt);
    const start = String(Math.ceil((Date.now() + lead) / 1000));
    const results = await Promise.all(['1/2', '2/2'].map((shard) => runAction(push, 'push-default-branch.json', { INPUT_SHARD: shard, 'INPUT_SHARD-START': start })));
    const shards = results.map((result, i) => {
      expect(result.code, result.log).toBe(0);
      expect(result.log).toContain(`uploaded as artifact tailgate-shard-shop-${i + 1}-of-2`);
      expect(result.outputs).toMatch(/verdict<<.*\nshard\n/);
      return requestsIn(result.log);
    });
    // Each shard ran half of the 120/s for 3 s measured.
    for (const requests of shards) expect(requests).toBeGreaterThan(150);
    const before = actions.cacheEntries.length;

    const merge = await runAction(push, 'push-default-branch.json', { INPUT_MODE: 'merge', 'INPUT_TARGET-URL': 'http://127.0.0.1:1' });
    expect(merge.code, merge.log).toBe(0);
    expect(merge.log).toContain(`merged 2 shards of shop: ${(shards[0] as number) + (shards[1] as number)} requests`);
    expect(merge.summary).toMatch(/Saved to cache entry tailgate-baseline-shop-/);
    expect(actions.cacheEntries.length).toBe(before + 1);
    expect(actions.violations).toEqual([]);
  }, 90_000);
});
