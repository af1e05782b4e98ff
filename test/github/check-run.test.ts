import { describe, expect, it } from 'vitest';
import { publishCheckRun, type CheckAnnotation } from '../../src/github/check-run.js';
import { FAKE_REPO } from '../helpers/fake-github.js';
import { useFakeGitHub } from '../helpers/use-fake-github.js';

const base = { ...FAKE_REPO, headSha: 'a'.repeat(40), name: 'tailgate: checkout', title: 'p95 +14%', conclusion: 'failure' as const };

const github = useFakeGitHub();

function annotations(count: number): CheckAnnotation[] {
  return Array.from({ length: count }, (_, i) => ({ path: 'tailgate.yml', startLine: i + 1, endLine: i + 1, level: 'failure', message: `threshold ${i} broken` }));
}

describe('publishCheckRun', () => {
  it('creates a completed run with the first 50 annotations and appends the rest 50 at a time', async () => {
    const published = await publishCheckRun(github.octokit, { ...base, summary: '## report', annotations: annotations(120) });

    const create = github.fake.requestsTo('checks/create');
    const updates = github.fake.requestsTo('checks/update');
    const sent = (r: { body?: unknown }) => (r.body as { output: { annotations: unknown[] } }).output.annotations.length;
    expect(create.map(sent)).toEqual([50]);
    expect(updates.map(sent)).toEqual([50, 20]);
    const run = github.fake.checkRuns[0]!;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure', headSha: base.headSha, output: { title: 'p95 +14%', summary: '## report' } });
    expect(run.annotations.map((a) => a.message)).toEqual(annotations(120).map((a) => a.message));
    expect(published).toEqual({ id: run.id, url: `https://github.com/octo-org/shop/runs/${run.id}` });
  });

  it('makes a single request when there are no annotations', async () => {
    await publishCheckRun(github.octokit, { ...base, conclusion: 'neutral', summary: 'baseline from another profile', annotations: [] });

    expect(github.fake.requests.map((r) => r.operationId)).toEqual(['checks/create']);
    expect(github.fake.checkRuns[0]!.conclusion).toBe('neutral');
  });

  it('caps the summary at 65,535 characters and clips long annotation titles', async () => {
    const long = { ...annotations(1)[0]!, title: 't'.repeat(300) };
    await publishCheckRun(github.octokit, { ...base, summary: 'line\n'.repeat(20_000), annotations: [long] });

    const run = github.fake.checkRuns[0]!;
    expect(run.output.summary!.length).toBeLessThanOrEqual(65_535);
    expect(run.annotations[0]!.title).toHaveLength(255);
  });
});
