import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../../src/action/main.js';
import { startSampleService, type SampleService } from '../../src/sample-service/sample-service.js';
import { actionStep, type Step } from '../helpers/action-step.js';
import { shopProfile } from '../helpers/built-action.js';
import { FAKE_REPO, startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';

/**
 * The Action's orchestrator in process, over its seams: the runner's environment as an object
 * (never this process's), the load against the sample service on loopback with an idle
 * self-check injected, baselines in a file, the GitHub API on the fake that checks every request
 * against GitHub's OpenAPI description, and workflow artifacts kept in memory. Here the runs that
 * must catch a slowdown; the flows whose verdicts are not asserted (a fork's report, shards, the
 * step's failures) are in `run-action.test.ts`, which runs in parallel.
 */
let service: SampleService;
let github: FakeGitHub;
let workspace: string;
const MAIN_SHA = '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c';
const PR_SHA = 'a7c3e5f19b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e';

beforeAll(async () => {
  service = await startSampleService();
  github = await startFakeGitHub();
  workspace = mkdtempSync(join(tmpdir(), 'tailgate-run-action-'));
  writeFileSync(join(workspace, 'tailgate.yml'), shopProfile('regression: { p95: 10%, throughput: 25% }\n', { duration: '6s' }));
});
afterAll(async () => {
  await service.close();
  await github.close();
});

const step = (options: Step) => actionStep({ workspace, targetUrl: service.url, apiUrl: github.url }, options);

describe('the Action over its seams, without the bundle', () => {
  it('records the baseline on a push to the default branch, reading the runner only from its environment object', async () => {
    const push = step({ event: 'push-default-branch.json', eventName: 'push', ref: 'refs/heads/main', sha: MAIN_SHA });
    expect(await runAction(push.io)).toBeUndefined();
    expect(push.log()).toContain('tailgate: record-baseline');
    expect(push.outputs.verdict).toBe('no-baseline');
    expect(push.summaries.join('\n')).toContain('baseline recorded');
    const bundle = JSON.parse(readFileSync(join(workspace, 'baselines', 'shop.json'), 'utf8')) as { runs: Array<{ meta: { commit?: string } }> };
    expect(bundle.runs).toHaveLength(1);
    expect(github.requests).toHaveLength(0);
  }, 30_000);

  it('fails a pull request whose product detail is fifty times as slow: the gate says why, the comment and the failing check go to the repository of the environment', async () => {
    // Fifty times as slow (about +200 ms): far beyond what a busy machine adds to a 4 s run's
    // p95 on loopback (tens of milliseconds), so the flow is tested, not the gate's power.
    service.injectRegression(49);
    try {
      const pr = step({ event: 'pull-request-same-repo.json', eventName: 'pull_request', ref: 'refs/pull/42/merge', sha: 'f'.repeat(40) });
      expect(await runAction(pr.io)).toBe('tailgate: performance regression in shop (see the job summary)');
      expect(pr.outputs.verdict).toBe('regression');
      expect(pr.outputs['comment-url']).toMatch(/^https:\/\/github\.com\/.*#issuecomment-\d+$/);
      expect(github.comments.map((c) => c.issueNumber)).toEqual([42]);
      expect(github.checkRuns).toEqual([expect.objectContaining({ conclusion: 'failure', headSha: PR_SHA, name: 'tailgate: shop' })]);
      expect(github.checkRuns[0]?.detailsUrl).toBe('https://github.com/' + `${FAKE_REPO.owner}/${FAKE_REPO.repo}` + '/actions/runs/77');
      expect(JSON.parse(readFileSync(pr.outputs.report as string, 'utf8')).verdict).toBe('regression');
      expect(github.violations).toEqual([]);
    } finally {
      service.injectRegression(0);
    }
  }, 30_000);
});
