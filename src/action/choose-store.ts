import { join } from 'node:path';
import { branchPushArtifacts, repositoryArtifacts, explainArtifactFailure } from '../github/artifact-listing.js';
import { artifactStore } from '../baseline/artifact-store.js';
import { autoStore } from '../baseline/auto-store.js';
import type { BaselineStore } from '../baseline/baseline-store.js';
import { cacheStore } from '../baseline/cache-store.js';
import { fileStore } from '../baseline/file-store.js';
import { refuseFutureRuns } from '../baseline/future-runs.js';
import type { GitHubClient } from '../github/github-client.js';
import type { Logger } from '../logging.js';
import { InputError } from './input-error.js';
import type { BaselineStorage } from './inputs.js';
import type { RunnerEnv } from './runner-env.js';

export interface StoreContext {
  env: Pick<RunnerEnv, 'tempDir' | 'repository' | 'repositoryId' | 'retentionDays'>;
  token: string | undefined;
  defaultBranch: string | undefined;
  /** The API client for a token (the artifact store lists the repository's artifacts with it). */
  github: (token: string) => GitHubClient;
  logger: Logger;
  /** The clock a stored run's date is checked against (default: the system's). */
  now?: () => Date;
}

/**
 * The store for the `baseline-storage` input: the Actions cache (entries vanish after 7 idle
 * days), workflow artifacts (kept 90 days; need `actions: read` to find), both (`auto`: saved
 * to both, restored from whichever holds the newer run), or a file. Each is read and written
 * behind `refuseFutureRuns`, the two of `auto` each on its own.
 */
export function chooseStore(storage: BaselineStorage, context: StoreContext): BaselineStore {
  const { env } = context;
  const dated = (store: BaselineStore): BaselineStore => refuseFutureRuns(store, { now: context.now ?? (() => new Date()), logger: context.logger });
  const cache = (): BaselineStore => dated(cacheStore(join(env.tempDir, 'tailgate-baseline')));
  const artifact = (): BaselineStore => {
    const repository = env.repository;
    if (!context.token || !repository || !context.defaultBranch) {
      throw new InputError('baseline-storage', `${storage.kind} needs a github-token, GITHUB_REPOSITORY and an event that names the default branch; use cache or file otherwise`);
    }
    return dated(artifactStore({
      listArtifacts: repositoryArtifacts(context.github(context.token), repository),
      listDefaultBranchArtifacts: branchPushArtifacts(context.github(context.token), repository, context.defaultBranch),
      explain: explainArtifactFailure,
      token: context.token,
      repository,
      repositoryId: env.repositoryId,
      defaultBranch: context.defaultBranch,
      workDir: join(env.tempDir, 'tailgate-artifacts'),
      logger: context.logger,
      ...(env.retentionDays !== undefined ? { maxRetentionDays: env.retentionDays } : {}),
    }));
  };
  switch (storage.kind) {
    case 'file':
      return dated(fileStore(storage.file));
    case 'cache':
      return cache();
    case 'artifact':
      return artifact();
    case 'auto':
      return autoStore({ cache: cache(), artifact: artifact() }, context.logger);
  }
}
