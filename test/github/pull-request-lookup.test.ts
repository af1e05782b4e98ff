import { describe, expect, it } from 'vitest';
import { findPullRequestForCommit } from '../../src/github/pull-request-lookup.js';
import { FAKE_REPO } from '../helpers/fake-github.js';
import { useFakeGitHub } from '../helpers/use-fake-github.js';

const sha = 'c'.repeat(40);

const github = useFakeGitHub();

describe('findPullRequestForCommit', () => {
  it('prefers the open pull request whose head is the commit', async () => {
    github.fake.addPullRequest({ number: 3, state: 'closed', headSha: sha });
    github.fake.addPullRequest({ number: 4, headSha: 'd'.repeat(40), commits: ['d'.repeat(40), sha] });
    github.fake.addPullRequest({ number: 5, headSha: sha, headRef: 'feature' });

    const found = await findPullRequestForCommit(github.octokit, { ...FAKE_REPO, sha });

    expect(found).toEqual({ number: 5, url: 'https://github.com/octo-org/shop/pull/5', headSha: sha, headRef: 'feature' });
  });

  it('finds none when an open pull request only contains the commit (a stale deployment must not overwrite its comment)', async () => {
    github.fake.addPullRequest({ number: 4, headSha: 'd'.repeat(40), commits: [sha, 'd'.repeat(40)] });

    expect(await findPullRequestForCommit(github.octokit, { ...FAKE_REPO, sha })).toBeUndefined();
  });

  it('finds nothing when only closed pull requests contain the commit', async () => {
    github.fake.addPullRequest({ number: 3, state: 'closed', headSha: sha });

    expect(await findPullRequestForCommit(github.octokit, { ...FAKE_REPO, sha })).toBeUndefined();
  });
});
