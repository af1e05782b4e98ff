import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApi } from '../helpers/fake-github-openapi.js';
import { FAKE_REPO, startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { responseProblems } from '../helpers/fake-github-validator.js';

/** The fake is only worth trusting if it can say no: each case sends something GitHub would refuse. */
let fake: FakeGitHub;
const repoPath = `/repos/${FAKE_REPO.owner}/${FAKE_REPO.repo}`;
const annotation = { path: 'tailgate.yml', start_line: 1, end_line: 1, annotation_level: 'notice', message: 'm' };

beforeEach(async () => {
  fake = await startFakeGitHub();
});
afterEach(() => fake.close());

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: 'token test-token', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('fake GitHub validation', () => {
  it.each([
    [
      'a check run with an invalid conclusion',
      'POST',
      `${repoPath}/check-runs`,
      { name: 'x', head_sha: 'abc', conclusion: 'passed' },
      /conclusion must be equal to one of the allowed values/,
    ],
    ['a check run without head_sha', 'POST', `${repoPath}/check-runs`, { name: 'x' }, /must have required property 'head_sha'/],
    [
      '51 annotations in one request',
      'POST',
      `${repoPath}/check-runs`,
      { name: 'x', head_sha: 'abc', output: { title: 't', summary: 's', annotations: Array.from({ length: 51 }, () => annotation) } },
      /must NOT have more than 50 items/,
    ],
    ['a completed check run update without a conclusion', 'PATCH', `${repoPath}/check-runs/1`, { status: 'completed' }, /must have required property 'conclusion'/],
    ['a comment whose body is not a string', 'POST', `${repoPath}/issues/7/comments`, { body: 42 }, /body\/body must be string/],
    ['a non-numeric comment id', 'PATCH', `${repoPath}/issues/comments/abc`, { body: 'x' }, /path\/comment_id must be integer/],
    ['an unknown query parameter', 'GET', `${repoPath}/issues/7/comments?perpage=100`, undefined, /query must NOT have additional properties/],
    ['a path GitHub does not have', 'GET', `${repoPath}/comments-of-issue/7`, undefined, /no GitHub operation has this path/],
    ['a method the path does not allow', 'DELETE', `${repoPath}/check-runs`, undefined, /allows POST only/],
  ])('records %s', async (_name, method, path, body, problem) => {
    const response = await send(method, path, body);
    await response.text();

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(fake.violations).toHaveLength(1);
    expect(fake.violations[0]!.problems.join('\n')).toMatch(problem);
  });

  it('accepts a well-formed request and answers like GitHub', async () => {
    const run = { name: 'tailgate', head_sha: 'abc', status: 'completed', conclusion: 'success', output: { title: 't', summary: 's', annotations: [annotation] } };
    const response = await send('POST', `${repoPath}/check-runs`, run);
    const created = (await response.json()) as { id: number; html_url: string; conclusion: string; output: { annotations_count: number } };

    expect(response.status).toBe(201);
    expect(created).toMatchObject({ conclusion: 'success', output: { annotations_count: 1 } });
    expect(created.html_url).toBe(`https://github.com/${FAKE_REPO.owner}/${FAKE_REPO.repo}/runs/${created.id}`);
    expect(fake.violations).toEqual([]);
  });

  it('answers 401 without a token, as GitHub does for writes', async () => {
    const response = await fetch(`${fake.url}${repoPath}/issues/7/comments`, { method: 'POST', body: '{"body":"x"}' });
    expect(response.status).toBe(401);
  });

  it('checks its own answers against the response schemas', () => {
    const match = openApi().match('POST', '/repos/o/r/issues/1/comments');
    if (match === undefined || 'allowed' in match) throw new Error('operation not found');

    expect(match.operation.operationId).toBe('issues/create-comment');
    const problems = responseProblems(match.operation, 201, { id: 'one', body: 'x' }).join('\n');
    expect(problems).toMatch(/must have required property 'html_url'[\s\S]*\/id must be integer/);
  });

  it('matches multi-segment parameters and the most literal template', () => {
    const pulls = openApi().match('GET', '/repos/o/r/commits/abc123/pulls');
    const comment = openApi().match('GET', '/repos/o/r/issues/comments/5');

    expect(pulls && 'operation' in pulls && pulls.operation.operationId).toBe('repos/list-pull-requests-associated-with-commit');
    expect(comment && 'operation' in comment && comment.operation.operationId).toBe('issues/get-comment');
  });
});
