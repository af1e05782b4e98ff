import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../src/github/github-client.js';
import { findPullRequestForCommit } from '../../src/github/pull-request-lookup.js';
import { FAKE_REPO, startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';

let fake: FakeGitHub;
let octokit: GitHubClient;
const sha = 'c'.repeat(40);

beforeEach(async () => {
  fake = await startFakeGitHub();
  octokit = createGitHubClient({ token: 'test-token', baseUrl: fake.url, retryDelayScaleMs: 1 });
});
afterEach(async () => {
  await fake.close();
  expect(fake.violations).toEqual([]);
});

describe('findPullRequestForCommit', () => {
  it('prefers the open pull request whose head is the commit', async () => {
    fake.addPullRequest({ number: 3, state: 'closed', headSha: sha });
    fake.addPullRequest({ number: 4, headSha: 'd'.repeat(40), commits: ['d'.repeat(40), sha] });
    fake.addPullRequest({ number: 5, headSha: sha, headRef: 'feature' });

    const found = await findPullRequestForCommit(octokit, { ...FAKE_REPO, sha });

    expect(found).toEqual({ number: 5, url: 'https://github.com/octo-org/shop/pull/5', headSha: sha, headRef: 'feature' });
  });

  it('falls back to an open pull request that contains the commit', async () => {
    fake.addPullRequest({ number: 4, headSha: 'd'.repeat(40), commits: ['d'.repeat(40), sha] });

    expect((await findPullRequestForCommit(octokit, { ...FAKE_REPO, sha }))?.number).toBe(4);
  });

  it('finds nothing when only closed pull requests contain the commit', async () => {
    fake.addPullRequest({ number: 3, state: 'closed', headSha: sha });

    expect(await findPullRequestForCommit(octokit, { ...FAKE_REPO, sha })).toBeUndefined();
  });
});
