import type { ArtifactListing, ListedArtifact } from '../baseline/artifact-store.js';
import { RecordError } from '../record/record-error.js';
import type { GitHubClient } from './github-client.js';
import { httpFailure, isRateLimited } from './retry-policy.js';

/**
 * The repository's artifacts of one name through the REST API, 100 a page. A listing the token
 * may not make (403 or 404 that is not a rate limit: the workflow did not grant `actions: read`)
 * is a RecordError naming the permission, so a comparison reports it instead of "no baseline".
 */
export function repositoryArtifacts(octokit: GitHubClient, repository: { owner: string; repo: string }): ArtifactListing {
  return (name: string) =>
    explainingDenial(name, repository, async function* () {
      const listing = octokit.paginate.iterator(octokit.rest.actions.listArtifactsForRepo, { owner: repository.owner, repo: repository.repo, name, per_page: 100 });
      for await (const page of listing) yield page.data;
    });
}

/**
 * The artifacts of one name of a branch's push runs, newest run first, one page a run: the runs
 * a pull request cannot start (a fork's pull request runs as `pull_request`, whatever its branch
 * is called), so their artifacts cannot be crowded out by artifacts that pull requests upload.
 */
export function branchPushArtifacts(octokit: GitHubClient, repository: { owner: string; repo: string }, branch: string): ArtifactListing {
  return (name: string) =>
    explainingDenial(name, repository, async function* () {
      const runs = octokit.paginate.iterator(octokit.rest.actions.listWorkflowRunsForRepo, { owner: repository.owner, repo: repository.repo, branch, event: 'push', exclude_pull_requests: true, per_page: 100 });
      for await (const page of runs) {
        for (const run of page.data) {
          const artifacts = await octokit.rest.actions.listWorkflowRunArtifacts({ owner: repository.owner, repo: repository.repo, run_id: run.id, name, per_page: 100 });
          yield artifacts.data.artifacts;
        }
      }
    });
}

/** The pages of `list`, with a 403 or 404 (not a rate limit) turned into a RecordError naming `actions: read`. */
async function* explainingDenial(name: string, repository: { owner: string; repo: string }, list: () => AsyncIterable<readonly ListedArtifact[]>): AsyncIterable<readonly ListedArtifact[]> {
  try {
    yield* list();
  } catch (error) {
    const failure = httpFailure(error);
    if (failure === undefined || !(failure.status === 403 || failure.status === 404) || isRateLimited(failure)) throw error;
    throw new RecordError(
      `the artifacts named ${name} of ${repository.owner}/${repository.repo}`,
      `GitHub answered ${failure.status} (${failure.message}): the workflow's token may not list them, so the artifact baseline could not be looked for`,
      'grant the token `actions: read` under `permissions:` in the workflow (the job\'s or the workflow\'s)',
    );
  }
}

/** An artifact API failure in words, with the permission to grant when that is the cause. */
export function explainArtifactFailure(error: unknown): string {
  const failure = httpFailure(error);
  const message = error instanceof Error ? error.message : String(error);
  if (failure?.status === 403 || failure?.status === 404) {
    return `GitHub answered ${failure.status} (${message}); the workflow's token needs \`actions: read\` under \`permissions:\``;
  }
  if (failure?.status === 410) return `GitHub answered 410 (${message}): the artifact has expired`;
  return message;
}
