import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../src/github/github-client.js';
import { upsertStickyComment } from '../../src/github/sticky-comment.js';
import { recordingLogger } from '../../src/logging.js';
import { FAKE_REPO, startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';

let fake: FakeGitHub;
let octokit: GitHubClient;
let logger: ReturnType<typeof recordingLogger>;
const comment = { ...FAKE_REPO, issueNumber: 7, profileId: 'checkout', body: 'report' };

beforeEach(async () => {
  fake = await startFakeGitHub();
  logger = recordingLogger();
  octokit = createGitHubClient({ token: 'test-token', baseUrl: fake.url, logger, retryDelayScaleMs: 1 });
});
afterEach(async () => {
  await fake.close();
  expect(fake.violations).toEqual([]);
});

describe('createGitHubClient retries', () => {
  it('retries 502 answers, then succeeds', async () => {
    fake.failNext('issues/create-comment', { times: 2, status: 502 });

    const result = await upsertStickyComment(octokit, comment);

    expect(result.action).toBe('created');
    expect(fake.requestsTo('issues/create-comment').map((r) => r.status)).toEqual([502, 502, 201]);
    expect(fake.comments).toHaveLength(1);
    expect(logger.lines).toEqual([
      'GitHub answered 502 for POST /repos/octo-org/shop/issues/7/comments; retry 1 of 3 in 1 s',
      'GitHub answered 502 for POST /repos/octo-org/shop/issues/7/comments; retry 2 of 3 in 2 s',
    ]);
  });

  it('honours retry-after on 429', async () => {
    fake.failNext('issues/list-comments', { times: 1, status: 429, message: 'Too many requests', headers: { 'retry-after': '0' } });

    await upsertStickyComment(octokit, comment);

    expect(fake.requestsTo('issues/list-comments').map((r) => r.status)).toEqual([429, 200]);
    expect(logger.lines).toEqual(['GitHub rate limited (429) for GET /repos/octo-org/shop/issues/7/comments; retry 1 of 3 in 0 s']);
  });

  it('waits out a primary rate limit (403 with x-ratelimit-remaining: 0) until its reset', async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 5);
    const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset };
    fake.failNext('issues/list-comments', { times: 1, status: 403, message: 'API rate limit exceeded', headers });

    await upsertStickyComment(octokit, comment);

    expect(fake.requestsTo('issues/list-comments').map((r) => r.status)).toEqual([403, 200]);
    expect(logger.lines[0]).toMatch(/rate limited \(403\).* in [56] s$/);
  });

  it('gives up after the bounded number of retries', async () => {
    fake.failNext('issues/list-comments', { times: Infinity, status: 503 });

    await expect(upsertStickyComment(octokit, comment)).rejects.toMatchObject({ status: 503 });
    expect(fake.requestsTo('issues/list-comments')).toHaveLength(4);
  });

  it('does not retry a 403 that is about permissions', async () => {
    fake.denyWrites();

    await expect(upsertStickyComment(octokit, comment)).rejects.toMatchObject({ status: 403 });
    expect(fake.requestsTo('issues/create-comment')).toHaveLength(1);
    expect(logger.lines).toEqual([]);
  });

  it('does not wait longer than it was told to', async () => {
    const patient = createGitHubClient({ token: 't', baseUrl: fake.url, retryDelayScaleMs: 1, maxRetryWaitSeconds: 10 });
    fake.failNext('issues/list-comments', { times: 1, status: 429, headers: { 'retry-after': '3600' } });

    await expect(upsertStickyComment(patient, comment)).rejects.toMatchObject({ status: 429 });
    expect(fake.requestsTo('issues/list-comments')).toHaveLength(1);
  });

  it('sends the token and a tailgate user agent', async () => {
    const seen: Array<string | undefined> = [];
    octokit.hook.before('request', (options) => void seen.push(String(options.headers['user-agent'])));
    await upsertStickyComment(octokit, comment);

    expect(seen[0]).toMatch(/^tailgate\/\d+\.\d+\.\d+/);
  });
});
