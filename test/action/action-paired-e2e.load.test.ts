import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleService, type SampleService } from '../../src/sample-service/sample-service.js';
import { ACTION, EVENTS_DIR, runBuiltAction, shopProfile, type StepResult } from '../helpers/built-action.js';
import { FAKE_REPO, startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';

/**
 * The built Action (dist/index.js) in paired mode, run as a runner runs it: `baseline-url` set,
 * head and base two copies of the bundled sample service on loopback, the GitHub API on the fake
 * that checks each request against GitHub's OpenAPI description. 10 s measured, so the run gets
 * the short-run pairing (0.75 s blocks, 0.5 s measured after a 0.25 s settle at each switch): 7 pairs.
 * The allowance is wide (p95 may double): the slowed head is ten times as slow, and the equal
 * head must pass even when a busy machine moves one arm's blocks by tens of percent (the test is
 * of the Action's flow, not of the gate's calibration, which docs/paired.md measures).
 */
const PROFILE = shopProfile('regression: { p95: 100%, throughput: 25% }\n', { rate: 60, duration: '11s' });

let head: SampleService;
let base: SampleService;
let github: FakeGitHub;
let workspace: string;

beforeAll(async () => {
  [head, base] = await Promise.all([startSampleService(), startSampleService()]);
  github = await startFakeGitHub();
  workspace = mkdtempSync(join(tmpdir(), 'tailgate-paired-action-'));
  writeFileSync(join(workspace, 'tailgate.yml'), PROFILE);
});
afterAll(async () => {
  await Promise.all([head.close(), base.close(), github.close()]);
});

function pullRequestStep(): Promise<StepResult> {
  return runBuiltAction({
    workspace,
    apiUrl: github.url,
    repository: `${FAKE_REPO.owner}/${FAKE_REPO.repo}`,
    eventName: 'pull_request',
    eventPath: join(EVENTS_DIR, 'pull-request-same-repo.json'),
    ref: 'refs/pull/42/merge',
    sha: 'f'.repeat(40),
    inputs: {
      config: join(workspace, 'tailgate.yml'),
      'target-url': head.url,
      'baseline-url': base.url,
      'github-token': 'ghs_fake_token_for_tests',
      'wait-timeout': '10',
    },
  });
}

/** "paired with BASE · 7 block pairs of 0.75 s · could detect a p95 change of N% or more", as the comment, check and summary say it. */
function pairingLine(baseUrl: string): RegExp {
  const host = baseUrl.replace(/^http:\/\//, '').replace(/[.[\]]/g, '\\$&');
  return new RegExp(`paired with [^\\n]*${host}[^\\n]* · 7 block pairs of 0\\.75 s · could detect a p95 change of [\\d,]+(\\.\\d)?% or more`, 'i');
}

describe('the built Action in paired mode (baseline-url), as a runner runs it', () => {
  it('fails a head ten times as slow as its base, with one comment and a failing check that name the pairing', async () => {
    expect(existsSync(ACTION), 'dist/index.js is missing: npm run build').toBe(true);
    // Tenfold, all routes: on a loaded machine the generator's own jitter reaches tens of ms per block.
    head.injectRegression(9, 'all');
    let result: StepResult;
    try {
      result = await pullRequestStep();
    } finally {
      head.injectRegression(0, 'all');
    }
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).toContain(`paired mode: head ${head.url}, base ${base.url}; no stored baseline is read or recorded`);
    expect(result.stdout).toContain('performance regression in shop');
    expect(result.outputs.verdict).toBe('regression');
    expect(result.outputs).toMatchObject({ 'paired-with': base.url, 'block-pairs': '7' });
    expect(Number(result.outputs['detectable-p95-change-pct'])).toBeGreaterThan(0);
    expect(Number(result.outputs['p95-change-pct'])).toBeGreaterThan(10);
    // The base arm is the baseline of the outputs.
    expect(Number(result.outputs['baseline-p95-ms'])).toBeGreaterThan(0);
    expect(Number(result.outputs['p95-ms'])).toBeGreaterThan(Number(result.outputs['baseline-p95-ms']));

    expect(result.summary).toMatch(/### ❌ tailgate: shop/);
    expect(result.summary).toMatch(pairingLine(base.url));
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toMatch(pairingLine(base.url));
    expect(github.comments[0]?.body).toContain('<code>detail</code>');
    expect(result.outputs['comment-url']).toMatch(/^https:\/\/github\.com\/.*#issuecomment-\d+$/);
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'failure', name: 'tailgate: shop' });
    expect(github.checkRuns[0]?.output.summary ?? '').toMatch(pairingLine(base.url));

    // The HTML report, on disk when the job has no artifact service, draws the blocks in their order.
    const page = /the HTML report is at (\S+)/.exec(result.stdout)?.[1];
    expect(readFileSync(page as string, 'utf8')).toContain('Paired blocks in the order they ran');
    // The comparison and the paired record the step leaves beside each other.
    const comparison = JSON.parse(readFileSync(result.outputs.report as string, 'utf8')) as { verdict: string; pairing: Record<string, unknown> };
    expect(comparison.verdict).toBe('regression');
    expect(comparison.pairing).toMatchObject({ baselineTarget: base.url, pairs: 7, blockSeconds: 0.75, settleSeconds: 0.25, order: 'abba' });
    const paired = JSON.parse(readFileSync(join(dirname(result.outputs.report as string), 'paired.json'), 'utf8')) as { schema: string; head: { meta: { target: string } }; base: { meta: { target: string } } };
    expect(paired.schema).toBe('tailgate.paired/v1');
    expect([paired.head.meta.target, paired.base.meta.target]).toEqual([head.url, base.url]);
  }, 120_000);

  it('passes the fixed head on the next push and updates the same comment', async () => {
    const result = await pullRequestStep();
    expect(result.code, result.stdout).toBe(0);
    expect(['pass', 'inconclusive', 'improvement']).toContain(result.outputs.verdict);
    expect(github.comments).toHaveLength(1);
    expect(github.requestsTo('issues/update-comment')).toHaveLength(1);
    expect(github.comments[0]?.body).toMatch(pairingLine(base.url));
    expect(github.checkRuns).toHaveLength(2);
    expect(github.checkRuns[1]?.conclusion).not.toBe('failure');
    expect(result.summary).toMatch(pairingLine(base.url));
  }, 120_000);

  it("sends only requests that GitHub's OpenAPI description allows", () => {
    expect(github.violations).toEqual([]);
  });
});
