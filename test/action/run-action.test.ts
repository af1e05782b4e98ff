import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../../src/action/main.js';
import { startSampleService, type SampleService } from '../../src/sample-service/sample-service.js';
import { actionStep, memoryArtifacts, type Step } from '../helpers/action-step.js';
import { shopProfile } from '../helpers/built-action.js';
import { FAKE_REPO, startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';

/**
 * The Action's orchestrator in process, over its seams (see `test/helpers/action-step.ts`), in the
 * flows whose assertions do not hang on timing: a fork's report left as an artifact and posted by
 * mode: report, shards started together on an injected clock and merged, and the step's failures
 * before any load. Verdicts are not asserted, so the file runs beside others; the runs that must
 * catch a slowdown are in `run-action.load.test.ts`.
 */
let service: SampleService;
let github: FakeGitHub;
let workspace: string;
const MAIN_SHA = '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c';
const FORK_SHA = 'c0ffee0123456789abcdef0123456789abcdef01';

const step = (options: Step) => actionStep({ workspace, targetUrl: service.url, apiUrl: github.url }, options);

beforeAll(async () => {
  service = await startSampleService();
  github = await startFakeGitHub();
  workspace = mkdtempSync(join(tmpdir(), 'tailgate-run-action-'));
  // Four measured 1 s blocks (the default): a shard that starts a little after the other still measures with it for most of its period.
  writeFileSync(join(workspace, 'tailgate.yml'), shopProfile('regression: { p95: 10%, throughput: 25% }\n'));
  // A baseline of the default branch, for the fork's run to be judged against.
  const push = step({ event: 'push-default-branch.json', eventName: 'push', ref: 'refs/heads/main', sha: MAIN_SHA });
  expect(await runAction(push.io)).toBeUndefined();
}, 60_000);
afterAll(async () => {
  await service.close();
  await github.close();
});

describe('the Action over its seams, without the bundle', () => {
  it("leaves a fork's report as an artifact without a write call; mode: report posts it once the PR is confirmed at that commit", async () => {
    const artifacts = memoryArtifacts();
    const before = github.requests.length;
    const fork = step({ event: 'pull-request-fork.json', eventName: 'pull_request', ref: 'refs/pull/43/merge', sha: 'e'.repeat(40), inputs: { 'fail-on': 'never' }, artifacts });
    expect(await runAction(fork.io)).toBeUndefined();
    expect([...artifacts.uploaded.keys()]).toEqual(['tailgate-report-shop']);
    expect(github.requests.length).toBe(before);

    github.addPullRequest({ number: 43, headSha: FORK_SHA });
    const report = step({ event: 'workflow-run-fork.json', eventName: 'workflow_run', ref: 'refs/heads/main', sha: MAIN_SHA, inputs: { mode: 'report' }, artifacts });
    expect(await runAction(report.io)).toBeUndefined();
    expect(artifacts.findBy.at(-1)).toMatchObject({ workflowRunId: 12000000043, repositoryOwner: FAKE_REPO.owner, repositoryName: FAKE_REPO.repo });
    expect(github.comments.filter((c) => c.issueNumber === 43)).toHaveLength(1);
    expect(report.outputs['comment-url']).toMatch(/#issuecomment-\d+$/);
    expect(github.violations).toEqual([]);
  }, 30_000);

  it('splits the load across shard jobs started together (shard-start) and judges the merged record in the merge job', async () => {
    const artifacts = memoryArtifacts();
    // The jobs got their runners 40 s and 25 s before the common start: each sleeps until then.
    const shardOf = (i: number, now: string) =>
      step({ event: 'push-default-branch.json', eventName: 'push', ref: 'refs/heads/main', sha: MAIN_SHA, inputs: { shard: `${i}/2`, 'shard-start': '2026-12-02T12:01:00Z' }, artifacts, now });
    const shards = [shardOf(1, '2026-12-02T12:00:20Z'), shardOf(2, '2026-12-02T12:00:35Z')];
    expect(await Promise.all(shards.map((shard) => runAction(shard.io)))).toEqual([undefined, undefined]);
    expect(shards.map((shard) => shard.outputs.verdict)).toEqual(['shard', 'shard']);
    expect(shards.map((shard) => shard.slept)).toEqual([[40_000], [25_000]]);
    expect(shards[0]?.log()).toContain('waiting 40 s for shard-start 2026-12-02T12:01:00.000Z');
    expect([...artifacts.uploaded.keys()].sort()).toEqual(['tailgate-shard-shop-1-of-2', 'tailgate-shard-shop-2-of-2']);
    const merge = step({ event: 'push-default-branch.json', eventName: 'push', ref: 'refs/heads/main', sha: MAIN_SHA, inputs: { mode: 'merge' }, artifacts });
    expect(await runAction(merge.io)).toBeUndefined();
    expect(merge.log()).toMatch(/merged 2 shards of shop: \d+ requests/);
    expect(merge.outputs.verdict).toBe('no-baseline');

    // The same shard 2 measured a minute later (a job re-run alone): the merge job refuses the pair.
    const apart = memoryArtifacts();
    for (const [name, text] of artifacts.uploaded) {
      const record = JSON.parse(text) as { meta: { startedAt: string } };
      if (name.endsWith('-2-of-2')) record.meta.startedAt = new Date(Date.parse(record.meta.startedAt) + 60_000).toISOString();
      apart.uploaded.set(name, JSON.stringify(record));
    }
    const refused = step({ event: 'push-default-branch.json', eventName: 'push', ref: 'refs/heads/main', sha: MAIN_SHA, inputs: { mode: 'merge' }, artifacts: apart });
    expect(await runAction(refused.io)).toMatch(
      /^artifact tailgate-shard-shop-1-of-2, artifact tailgate-shard-shop-2-of-2: did not run together: shard 1\/2 \(artifact tailgate-shard-shop-1-of-2\) measured \S+ to \S+, shard 2\/2 .*\(0%, a merge needs 80%\).*Fix: run the shards at the same time/,
    );
    expect(refused.outputs).toEqual({});
  }, 30_000);

  it('refuses a shard-start too far ahead before any load', async () => {
    const far = step({ event: 'push-default-branch.json', eventName: 'push', ref: 'refs/heads/main', sha: MAIN_SHA, inputs: { shard: '1/2', 'shard-start': '2026-12-02T13:00:00Z' }, now: '2026-12-02T12:00:00Z' });
    const logins = service.counts().logins;
    expect(await runAction(far.io)).toMatch(/^input "shard-start" is 60 min ahead \(2026-12-02T13:00:00\.000Z, now 2026-12-02T12:00:00\.000Z\), more than the 10 min a shard waits/);
    expect(far.slept).toEqual([]);
    expect(service.counts().logins).toBe(logins);
  });

  it("returns a user's mistake as the step's failure, before any load", async () => {
    const bad = step({ event: 'push-default-branch.json', eventName: 'push', ref: 'refs/heads/main', sha: MAIN_SHA, inputs: { 'fail-on': 'sometimes' } });
    expect(await runAction(bad.io)).toBe('input "fail-on" must be one of regression, inconclusive, never (got "sometimes")');
    expect(bad.outputs).toEqual({});
  });

  it('returns a bug as one, with its stack, to be reported', async () => {
    const broken = step({ event: 'push-default-branch.json', eventName: 'push', ref: 'refs/heads/main', sha: MAIN_SHA });
    broken.io.readEvent = async () => {
      throw new TypeError('payload is undefined');
    };
    expect(await runAction(broken.io)).toMatch(/^tailgate failed unexpectedly, please report it: TypeError: payload is undefined\n\s+at /);
  });
});
