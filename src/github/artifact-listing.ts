import type { ArtifactListing } from '../baseline/artifact-store.js';
import { RecordError } from '../record/record-error.js';
import type { GitHubClient } from './github-client.js';
import { httpFailure, isRateLimited } from './retry-policy.js';

/**
 * The repository's artifacts of one name through the REST API, 100 a page. A listing the token
 * may not make (403 or 404 that is not a rate limit: the workflow did not grant `actions: read`)
 * is a RecordError naming the permission, so a comparison reports it instead of "no baseline".
 */
export function repositoryArtifacts(octokit: GitHubClient, repository: { owner: string; repo: string }): ArtifactListing {
  return async function* (name: string) {
    const listing = octokit.paginate.iterator(octokit.rest.actions.listArtifactsForRepo, { owner: repository.owner, repo: repository.repo, name, per_page: 100 });
    try {
      for await (const page of listing) yield page.data;
    } catch (error) {
      const failure = httpFailure(error);
      if (failure === undefined || !(failure.status === 403 || failure.status === 404) || isRateLimited(failure)) throw error;
      throw new RecordError(
        `the artifacts named ${name} of ${repository.owner}/${repository.repo}`,
        `GitHub answered ${failure.status} (${failure.message}): the workflow's token may not list them, so the artifact baseline could not be looked for`,
        'grant the token `actions: read` under `permissions:` in the workflow (the job\'s or the workflow\'s)',
      );
    }
  };
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
