import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiRouter } from '../helpers/api-router.js';
import { startAutoStoreRunner, type AutoStoreJobResult, type AutoStoreRunner } from '../helpers/auto-store-runner.js';
import { EVENTS_DIR, shopProfile } from '../helpers/built-action.js';
import { withEnv } from '../helpers/fake-actions-env.js';
import type { FakeActionsServices, FakeRun } from '../helpers/fake-actions-services.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';

/**
 * The built Action with `baseline-storage: auto` (the real @actions/cache and @actions/artifact
 * code in dist/index.js, through a stand-in of the Actions services with blobs in Azurite), in the
 * flows whose assertions do not hang on timing: where a fork's report goes and how a trusted run
 * posts it, a merge refused for a missing shard, baselines that cannot be wedged or read. Their
 * verdicts are not asserted (fail-on: never, or none is reached), so their runs are 2 s, and the
 * file runs beside others; `action-stores-e2e.load.test.ts` keeps the runs that must catch a
 * slowdown or run together.
 */
const PROFILES = {
  'tailgate.yml': shopProfile('', { duration: '2s' }),
  'wedge.yml': shopProfile('', { duration: '2s' }).replace('name: shop', 'name: wedge'),
};

let runner: AutoStoreRunner;
let actions: FakeActionsServices;
let workspace: string;
let runnerTemp: string;

beforeAll(async () => {
  runner = await startAutoStoreRunner(PROFILES);
  ({ actions, workspace, runnerTemp } = runner);
}, 60_000);
afterAll(() => runner.close());

const runAction = (run: FakeRun, eventFile: string, extra?: Record<string, string>): Promise<AutoStoreJobResult> => runner.runJob(run, eventFile, extra);

describe("a fork's pull request, then mode: report in a workflow_run workflow", () => {
  const FORK_SHA = 'c0ffee0123456789abcdef0123456789abcdef01';
  let github: FakeGitHub;
  let router: { url: string; close: () => Promise<void> };
  let forkRun: FakeRun;
  beforeAll(async () => {
    // A baseline of the default branch, for the fork's run to restore through its read-only cache access.
    const push = actions.startRun({ ref: 'refs/heads/main', sha: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c' });
    const recorded = await runAction(push, 'push-default-branch.json');
    expect(recorded.code, recorded.log).toBe(0);
    github = await startFakeGitHub();
    router = await startApiRouter({ actions: actions.apiUrl, github: github.url });
  }, 60_000);
  afterAll(async () => {
    await router.close();
    await github.close();
  });

  it('the fork run leaves its report in the job summary and as an artifact, without a write call', async () => {
    forkRun = actions.startRun({ ref: 'refs/pull/43/merge', sha: FORK_SHA, headBranch: 'batch-orders', fromFork: true, cacheAccess: 'read-only' });
    // What is checked is where the report goes, whatever the verdict: noise must not fail the step.
    const result = await runAction(forkRun, 'pull-request-fork.json', { GITHUB_API_URL: router.url, INPUT_COMMENT: 'always', INPUT_CHECK: 'true', 'INPUT_FAIL-ON': 'never' });
    expect(result.code, result.log).toBe(0);
    expect(result.summary).toContain('tailgate: shop');
    expect(result.log).toContain('uploaded the report as artifact tailgate-report-shop');
    expect(github.requests).toHaveLength(0);
  }, 60_000);

  it('the trusted run posts it, after checking the PR is open at the measured commit', async () => {
    github.addPullRequest({ number: 43, headSha: FORK_SHA });
    const payload = JSON.parse(readFileSync(join(EVENTS_DIR, 'workflow-run-fork.json'), 'utf8')) as { workflow_run: { id: number; head_sha: string } };
    payload.workflow_run.id = forkRun.id;
    const eventPath = join(workspace, 'workflow-run.json');
    writeFileSync(eventPath, JSON.stringify(payload));
    const reportRun = actions.startRun({ ref: 'refs/heads/main', sha: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c', event: 'workflow_run' });
    const result = await runAction(reportRun, eventPath, { GITHUB_API_URL: router.url, INPUT_MODE: 'report', INPUT_COMMENT: 'always', INPUT_CHECK: 'true' });
    expect(result.code, result.log).toBe(0);
    expect(github.comments.filter((c) => c.issueNumber === 43)).toHaveLength(1);
    expect(github.checkRuns.map((r) => r.headSha)).toEqual([FORK_SHA]);
    expect(github.violations).toEqual([]);
  }, 60_000);

  it('posts nothing when the PR has moved on from the measured commit', async () => {
    const pr = github.pullRequests.find((p) => p.number === 43);
    if (pr) pr.headSha = 'd'.repeat(40);
    const payload = JSON.parse(readFileSync(join(EVENTS_DIR, 'workflow-run-fork.json'), 'utf8')) as { workflow_run: { id: number } };
    payload.workflow_run.id = forkRun.id;
    const eventPath = join(workspace, 'workflow-run-moved.json');
    writeFileSync(eventPath, JSON.stringify(payload));
    const before = github.comments.length + github.checkRuns.length;
    const reportRun = actions.startRun({ ref: 'refs/heads/main', sha: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c', event: 'workflow_run' });
    const result = await runAction(reportRun, eventPath, { GITHUB_API_URL: router.url, INPUT_MODE: 'report' });
    expect(result.code, result.log).toBe(0);
    expect(result.log).toMatch(/pull request #43 is not open at c0ffee.*not posted/);
    expect(github.comments.length + github.checkRuns.length).toBe(before);
  }, 60_000);
});

describe('a load split across matrix jobs (shard: i/n), then mode: merge', () => {
  const MAIN_SHA = '5ba7d1e0c3f2a4b6d8e0f1a3c5e7d9b1f3a5c7e9';

  it('refuses to merge when a shard is missing, naming it', async () => {
    const push = actions.startRun({ ref: 'refs/heads/main', sha: MAIN_SHA });
    const one = await runAction(push, 'push-default-branch.json', { INPUT_SHARD: '1/3' });
    expect(one.code, one.log).toBe(0);
    const merge = await runAction(push, 'push-default-branch.json', { INPUT_MODE: 'merge' });
    expect(merge.code).toBe(1);
    expect(merge.log).toMatch(/::error::the shard artifacts of profile shop in this workflow run: holds 1 of 3 shards: 2\/3, 3\/3 missing/);
  }, 60_000);
});

describe('baselines that cannot be wedged or taken from elsewhere', () => {
  const PR_SHA = 'a7c3e5f19b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e';
  const pullRequest = (): FakeRun => actions.startRun({ ref: 'refs/pull/42/merge', sha: PR_SHA, headBranch: 'feature/faster-search' });
  const wedgeConfig = (): { INPUT_CONFIG: string } => ({ INPUT_CONFIG: join(workspace, 'wedge.yml') });

  /** Saves `bundle` as a cache entry of a push to main, through the real @actions/cache, where the Action's cache store looks. */
  async function putCacheEntry(bundle: unknown, key: string): Promise<void> {
    const path = join(runnerTemp, 'tailgate-baseline', 'tailgate-baseline-wedge.json');
    mkdirSync(join(runnerTemp, 'tailgate-baseline'), { recursive: true });
    writeFileSync(path, JSON.stringify(bundle));
    const { saveCache } = await import('@actions/cache');
    const run = actions.startRun({ ref: 'refs/heads/main', sha: 'f'.repeat(40) });
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      await withEnv(run.jobEnv({ workspace, temp: runnerTemp }), () => saveCache([path], key));
    } finally {
      process.stdout.write = write;
    }
  }

  it('a cache entry whose run is dated 2099 is skipped, auto takes the artifact, and history: 1 keeps recording', async () => {
    const first = actions.startRun({ ref: 'refs/heads/main', sha: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c' });
    const recorded = await runAction(first, 'push-default-branch.json', wedgeConfig());
    expect(recorded.code, recorded.log).toBe(0);
    // The same profile's run, claiming 2099, as the newest cache entry of the default branch.
    const record = JSON.parse(readFileSync(join(runnerTemp, 'tailgate', 'wedge', 'run.json'), 'utf8')) as { meta: Record<string, unknown> };
    const forged = { ...record, meta: { ...record.meta, startedAt: '2099-01-01T00:00:00.000Z', endedAt: '2099-01-01T00:00:05.000Z', runId: '99', commit: '9'.repeat(40) } };
    await putCacheEntry({ schema: 'tailgate.baseline/v1', profile: record.meta.profile, runs: [forged] }, `tailgate-baseline-wedge-${'9'.repeat(40)}-99-1`);

    const pr = await runAction(pullRequest(), 'pull-request-same-repo.json', { ...wedgeConfig(), 'INPUT_FAIL-ON': 'never' });
    expect(pr.code, pr.log).toBe(0);
    expect(pr.log).toMatch(/::warning::The baseline in cache entry tailgate-baseline-wedge-9{40}-99-1 holds run 99 \(commit 9999999, dated 2099-01-01T00:00:00.000Z\) is dated more than 10 minutes after this runner's clock .*; that run was skipped/);
    expect(pr.log).toContain(`baseline: artifact tailgate-baseline-wedge of run ${first.id} (commit 0d1a26e), 1 run(s)`);

    const next = actions.startRun({ ref: 'refs/heads/main', sha: '5ba7d1e0c3f2a4b6d8e0f1a3c5e7d9b1f3a5c7e9' });
    const pushed = await runAction(next, 'push-default-branch.json', { ...wedgeConfig(), INPUT_HISTORY: '1' });
    expect(pushed.code, pushed.log).toBe(0);
    expect(pushed.log).not.toContain('was not added to the baseline');
    expect(pushed.summary).toMatch(new RegExp(`Saved to cache entry tailgate-baseline-wedge-[0-9a-f]{40}-${next.id}-1 and artifact tailgate-baseline-wedge .* \\(1 run\\(s\\) of history\\)`));
    expect(actions.violations).toEqual([]);
  }, 90_000);

  it('without actions: read, the comparison says which permission to grant instead of reporting no baseline', async () => {
    actions.denyActionsRead();
    try {
      const pr = await runAction(pullRequest(), 'pull-request-same-repo.json', { ...wedgeConfig(), 'INPUT_BASELINE-STORAGE': 'artifact' });
      expect(pr.code, pr.log).toBe(0);
      expect(pr.outputs).toMatch(/verdict<<.*\nno-baseline\n/);
      expect(pr.log).toMatch(/::warning::.*tailgate-baseline-wedge.*GitHub answered 403.*actions: read/);
      // The report escapes backticks (&#96;).
      expect(pr.summary).toMatch(/The baseline could not be used: .*GitHub answered 403.*Fix: grant the token (`|&#96;)actions: read(`|&#96;) under (`|&#96;)permissions:/);
      expect(pr.summary).not.toContain('No baseline was found');
    } finally {
      actions.denyActionsRead(false);
    }
  }, 60_000);
});
