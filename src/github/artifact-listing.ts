import type { ArtifactListing } from '../baseline/artifact-store.js';
import type { GitHubClient } from './github-client.js';
import { httpFailure } from './retry-policy.js';

/** The repository's artifacts of one name through the REST API, 100 a page. */
export function repositoryArtifacts(octokit: GitHubClient, repository: { owner: string; repo: string }): ArtifactListing {
  return async function* (name: string) {
    const listing = octokit.paginate.iterator(octokit.rest.actions.listArtifactsForRepo, { owner: repository.owner, repo: repository.repo, name, per_page: 100 });
    for await (const page of listing) yield page.data;
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
