import type { GitHubClient } from './github-client.js';

export interface CommitRef {
  owner: string;
  repo: string;
  sha: string;
}

export interface PullRequestRef {
  number: number;
  url: string;
  headSha: string;
  headRef: string;
}

/**
 * The open pull request whose head is a commit, for events that carry a commit but no PR
 * (`deployment_status`). Only the head counts: a deployment of an older commit of a PR (or of a
 * commit another PR merely contains) would overwrite that PR's comment with a stale run, so it
 * finds none. Closed and merged ones are ignored; undefined means "no PR to report on".
 */
export async function findPullRequestForCommit(octokit: GitHubClient, commit: CommitRef): Promise<PullRequestRef | undefined> {
  const { owner, repo, sha } = commit;
  const pages = octokit.paginate.iterator(octokit.rest.repos.listPullRequestsAssociatedWithCommit, { owner, repo, commit_sha: sha, per_page: 100 });
  for await (const page of pages) {
    for (const pull of page.data) {
      if (pull.state === 'open' && pull.head.sha === sha) return { number: pull.number, url: pull.html_url, headSha: pull.head.sha, headRef: pull.head.ref };
    }
  }
  return undefined;
}

/**
 * Whether pull request `number` is open with its head at `headSha`: how a trusted workflow
 * checks what an untrusted report claims before posting on that PR.
 */
export async function pullRequestHeadMatches(octokit: GitHubClient, pr: { owner: string; repo: string; number: number; headSha: string }): Promise<boolean> {
  const { data } = await octokit.rest.pulls.get({ owner: pr.owner, repo: pr.repo, pull_number: pr.number });
  return data.state === 'open' && data.head.sha === pr.headSha;
}
