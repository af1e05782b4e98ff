import { join } from 'node:path';
import { repositoryArtifacts, explainArtifactFailure } from '../github/artifact-listing.js';
import { artifactStore } from '../baseline/artifact-store.js';
import { autoStore } from '../baseline/auto-store.js';
import type { BaselineStore } from '../baseline/baseline-store.js';
import { cacheStore } from '../baseline/cache-store.js';
import { fileStore } from '../baseline/file-store.js';
import type { Logger } from '../logging.js';
import { InputError } from './input-error.js';
import type { BaselineStorage } from './inputs.js';
import { githubClient, repositoryOf } from './publish.js';

export interface StoreContext {
  tempDir: string;
  token: string | undefined;
  defaultBranch: string | undefined;
  env: Record<string, string | undefined>;
  logger: Logger;
}

/**
 * The store for the `baseline-storage` input: the Actions cache (entries vanish after 7 idle
 * days), workflow artifacts (kept 90 days; need `actions: read` to find), both (`auto`: saved
 * to both, restored from whichever holds the newer run), or a file.
 */
export function chooseStore(storage: BaselineStorage, context: StoreContext): BaselineStore {
  const cache = (): BaselineStore => cacheStore(join(context.tempDir, 'tailgate-baseline'));
  const artifact = (): BaselineStore => {
    const { owner, repo } = repositoryOf(context.env);
    if (!context.token || !owner || !repo || !context.defaultBranch) {
      throw new InputError('baseline-storage', `${storage.kind} needs a github-token, GITHUB_REPOSITORY and an event that names the default branch; use cache or file otherwise`);
    }
    const retention = Number(context.env.GITHUB_RETENTION_DAYS);
    return artifactStore({
      listArtifacts: repositoryArtifacts(githubClient(context.token, context.logger), { owner, repo }),
      explain: explainArtifactFailure,
      token: context.token,
      repository: { owner, repo },
      defaultBranch: context.defaultBranch,
      workDir: join(context.tempDir, 'tailgate-artifacts'),
      logger: context.logger,
      ...(Number.isInteger(retention) && retention > 0 ? { maxRetentionDays: retention } : {}),
    });
  };
  switch (storage.kind) {
    case 'file':
      return fileStore(storage.file);
    case 'cache':
      return cache();
    case 'artifact':
      return artifact();
    case 'auto':
      return autoStore({ cache: cache(), artifact: artifact() }, context.logger);
  }
}
