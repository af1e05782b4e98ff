import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishCheckRun, type CheckAnnotation } from '../../src/github/check-run.js';
import { createGitHubClient, type GitHubClient } from '../../src/github/github-client.js';
import { FAKE_REPO, startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';

let fake: FakeGitHub;
let octokit: GitHubClient;
const base = { ...FAKE_REPO, headSha: 'a'.repeat(40), name: 'tailgate: checkout', title: 'p95 +14%', conclusion: 'failure' as const };

beforeEach(async () => {
  fake = await startFakeGitHub();
  octokit = createGitHubClient({ token: 'test-token', baseUrl: fake.url, retryDelayScaleMs: 1 });
});
afterEach(async () => {
  await fake.close();
  expect(fake.violations).toEqual([]);
});

function annotations(count: number): CheckAnnotation[] {
  return Array.from({ length: count }, (_, i) => ({ path: 'tailgate.yml', startLine: i + 1, endLine: i + 1, level: 'failure', message: `threshold ${i} broken` }));
}

describe('publishCheckRun', () => {
  it('creates a completed run with the first 50 annotations and appends the rest 50 at a time', async () => {
    const published = await publishCheckRun(octokit, { ...base, summary: '## report', annotations: annotations(120) });

    const create = fake.requestsTo('checks/create');
    const updates = fake.requestsTo('checks/update');
    const sent = (r: { body?: unknown }) => (r.body as { output: { annotations: unknown[] } }).output.annotations.length;
    expect(create.map(sent)).toEqual([50]);
    expect(updates.map(sent)).toEqual([50, 20]);
    const run = fake.checkRuns[0]!;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure', headSha: base.headSha, output: { title: 'p95 +14%', summary: '## report' } });
    expect(run.annotations.map((a) => a.message)).toEqual(annotations(120).map((a) => a.message));
    expect(published).toEqual({ id: run.id, url: `https://github.com/octo-org/shop/runs/${run.id}` });
  });

  it('makes a single request when there are no annotations', async () => {
    await publishCheckRun(octokit, { ...base, conclusion: 'neutral', summary: 'baseline from another profile', annotations: [] });

    expect(fake.requests.map((r) => r.operationId)).toEqual(['checks/create']);
    expect(fake.checkRuns[0]!.conclusion).toBe('neutral');
  });

  it('caps the summary at 65,535 characters and clips long annotation titles', async () => {
    const long = { ...annotations(1)[0]!, title: 't'.repeat(300) };
    await publishCheckRun(octokit, { ...base, summary: 'line\n'.repeat(20_000), annotations: [long] });

    const run = fake.checkRuns[0]!;
    expect(run.output.summary!.length).toBeLessThanOrEqual(65_535);
    expect(run.annotations[0]!.title).toHaveLength(255);
  });
});
