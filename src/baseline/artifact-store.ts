import { DefaultArtifactClient, type DownloadArtifactOptions, type DownloadArtifactResponse, type FindOptions, type UploadArtifactOptions, type UploadArtifactResponse } from '@actions/artifact';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BaselineBundle } from './baseline-bundle.js';
import type { Logger } from '../logging.js';
import { RecordError } from '../record/record-error.js';
import type { BaselineStore, FoundBaseline, LoadContext, SaveResult } from './baseline-store.js';
import { parseBundle, serializeBundle } from './bundle-file.js';

/** The two calls of @actions/artifact this store makes; tests may pass their own. */
export interface ArtifactApi {
  uploadArtifact(name: string, files: string[], rootDirectory: string, options?: UploadArtifactOptions): Promise<UploadArtifactResponse>;
  downloadArtifact(artifactId: number, options?: DownloadArtifactOptions & FindOptions): Promise<DownloadArtifactResponse>;
}

/** One artifact as the repository's listing describes it (the REST API's fields tailgate reads). */
export interface ListedArtifact {
  id: number;
  name: string;
  expired: boolean;
  workflow_run?: { id?: number; head_sha?: string; head_branch?: string | null; head_repository_id?: number; repository_id?: number } | null;
}

/** The repository's artifacts of one name, a page at a time, newest first. */
export type ArtifactListing = (name: string) => AsyncIterable<readonly ListedArtifact[]>;

export interface ArtifactStoreOptions {
  /** Lists the repository's artifacts (through the REST API, whose token needs `actions: read`). */
  listArtifacts: ArtifactListing;
  /** Says what went wrong with a listing or download, in words that name the fix. */
  explain?: (error: unknown) => string;
  /** The same token, for the toolkit's download of another run's artifact (`findBy`). */
  token: string;
  repository: { owner: string; repo: string };
  /**
   * The repository's id (GITHUB_REPOSITORY_ID): a baseline is taken only from a run whose head
   * repository has this id. Undefined (an old GitHub Enterprise Server) means no artifact is trusted.
   */
  repositoryId: number | undefined;
  /** Baselines are taken only from runs of this branch (the repository's default branch). */
  defaultBranch: string;
  /** Where bundles are written before upload and unpacked after download (RUNNER_TEMP). */
  workDir: string;
  logger: Logger;
  artifacts?: ArtifactApi;
  /** Days the artifact is kept (default 90, GitHub's default; the repository's limit wins). */
  retentionDays?: number;
  /** The repository's retention limit (`GITHUB_RETENTION_DAYS`), so the toolkit never has to warn about it. */
  maxRetentionDays?: number;
  /** How many pages of 100 artifacts to look through for a usable one (default 3). */
  maxPages?: number;
  /**
   * The artifacts of that name of the default branch's own runs (push events, newest first), a
   * page a run. Looked through only when the repository's newest pages held none usable: pull
   * requests, forks' included, can upload artifacts of any name, enough to push every baseline
   * past the pages the listing reads.
   */
  listDefaultBranchArtifacts?: ArtifactListing;
  /** How many pages of that second listing to look through (default 50: one page a run). */
  maxDefaultBranchPages?: number;
}

/** The artifact that holds a profile's baseline; the same name in every run. */
export function artifactName(profileId: string): string {
  return `tailgate-baseline-${profileId}`;
}

function bundleFileName(profileId: string): string {
  return `${artifactName(profileId)}.json`;
}

/** One artifact of the listing that could hold the baseline. */
interface Candidate {
  id: number;
  runId: number;
  headSha: string;
}

/** What the listings held: usable artifacts newest first, and how many were not, by why. */
interface Listed {
  found: Candidate[];
  expired: number;
  /** Of the default branch's name but not of this repository (a fork's `main`), or of no named repository. */
  foreign: number;
  /** Of another branch: a pull request's or a feature branch's. */
  other: number;
  /** The page limit was reached before the listing ended. */
  capped: boolean;
}

/**
 * Baselines as workflow artifacts, kept 90 days where cache entries vanish after 7 idle days.
 * Save uploads `tailgate-baseline-<profile>` from the current run. Load lists the repository's
 * artifacts of that name (newest first), keeps those of default-branch runs whose head repository
 * is this repository, by id (a fork's pull request can name its branch `main` too, and must never
 * supply the baseline; a run that names no head repository is not trusted either) that have not
 * expired, prefers the one recorded at `preferCommit`, and downloads it from its run.
 * An API failure or an expired artifact is a warning and no baseline; a listing the token may not
 * make (a RecordError from the listing, naming the permission) and a damaged bundle are RecordErrors.
 */
export function artifactStore(options: ArtifactStoreOptions): BaselineStore {
  const { listArtifacts, token, repository, repositoryId, defaultBranch, workDir, logger } = options;
  const describe = options.explain ?? ((error: unknown): string => (error instanceof Error ? error.message : String(error)));
  const artifacts = options.artifacts ?? new DefaultArtifactClient();
  const maxPages = options.maxPages ?? 3;

  /** Usable artifacts newest first; how many default-branch ones had expired or came from elsewhere. */
  async function candidates(name: string, preferCommit: string | undefined): Promise<Listed> {
    const listed: Listed = { found: [], expired: 0, foreign: 0, other: 0, capped: false };
    await look(listArtifacts(name), name, preferCommit, maxPages, listed);
    if (listed.found.length > 0 || !listed.capped || options.listDefaultBranchArtifacts === undefined) return listed;
    const pages = options.maxDefaultBranchPages ?? 50;
    logger.warn(
      `The newest ${maxPages * 100} artifacts named ${name} held no baseline of ${defaultBranch} (${listed.other + listed.foreign} came from pull requests, forks or other branches), so the ${defaultBranch} branch's own push runs were looked through instead (the newest ${pages})`,
    );
    listed.capped = false;
    await look(options.listDefaultBranchArtifacts(name), name, preferCommit, pages, listed);
    return listed;
  }

  /** Reads pages of a listing into `listed` until a usable artifact (the preferred one) or the page limit. */
  async function look(pages: AsyncIterable<readonly ListedArtifact[]>, name: string, preferCommit: string | undefined, limit: number, listed: Listed): Promise<void> {
    let read = 0;
    for await (const page of pages) {
      for (const artifact of page) {
        const run = artifact.workflow_run;
        if (artifact.name !== name || !run || run.id === undefined || run.head_sha === undefined) continue;
        if (run.head_branch !== defaultBranch) {
          listed.other++;
          continue;
        }
        if (repositoryId === undefined || run.head_repository_id !== repositoryId) {
          listed.foreign++;
          continue;
        }
        if (artifact.expired) {
          listed.expired++;
          continue;
        }
        listed.found.push({ id: artifact.id, runId: run.id, headSha: run.head_sha });
      }
      const done = preferCommit === undefined ? listed.found.length > 0 : listed.found.some((c) => c.headSha === preferCommit);
      if (done) return;
      if (++read >= limit) {
        listed.capped = true;
        return;
      }
    }
  }

  return {
    kind: 'artifact',
    async load(profileId: string, context: LoadContext = {}): Promise<FoundBaseline | undefined> {
      const name = artifactName(profileId);
      let listed: Listed;
      try {
        listed = await candidates(name, context.preferCommit);
      } catch (error) {
        if (error instanceof RecordError) throw error;
        logger.warn(`Could not list the artifacts named ${name}, so no artifact baseline was used: ${describe(error)}`);
        return undefined;
      }
      const chosen = listed.found.find((c) => c.headSha === context.preferCommit) ?? listed.found[0];
      if (chosen === undefined) {
        if (listed.foreign > 0) {
          const why = repositoryId === undefined ? 'GITHUB_REPOSITORY_ID is not set, so no run can be matched to this repository' : `their runs' head repository is not this repository (id ${repositoryId}), or is not named`;
          logger.warn(`The ${listed.foreign} artifact(s) ${name} of branch ${defaultBranch} were not used: ${why}`);
        }
        if (listed.expired > 0) logger.warn(`The ${listed.expired} artifact(s) ${name} of ${defaultBranch} have expired, so no artifact baseline was used; the next push to ${defaultBranch} records a new one`);
        return undefined;
      }
      const source = `artifact ${name} of run ${chosen.runId} (commit ${chosen.headSha.slice(0, 7)})`;

      await mkdir(workDir, { recursive: true });
      const dir = await mkdtemp(join(workDir, 'tailgate-artifact-'));
      try {
        try {
          const findBy = { token, workflowRunId: chosen.runId, repositoryOwner: repository.owner, repositoryName: repository.repo };
          await artifacts.downloadArtifact(chosen.id, { path: dir, findBy });
        } catch (error) {
          logger.warn(`Could not download the ${source}, so no artifact baseline was used: ${describe(error)}`);
          return undefined;
        }
        let text: string;
        try {
          text = await readFile(join(dir, bundleFileName(profileId)), 'utf8');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
          throw new RecordError(source, `does not hold ${bundleFileName(profileId)}`, 'let the next push to the default branch record a new baseline');
        }
        const bundle = parseBundle(text, source);
        if (bundle.profile.id !== profileId) {
          throw new RecordError(source, `holds the baseline of profile "${bundle.profile.id}", not "${profileId}"`, 'let the next push to the default branch record a new baseline');
        }
        return { bundle, source };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },

    async save(bundle: BaselineBundle, context: { commit: string; runId: string; attempt?: string }): Promise<SaveResult> {
      const name = artifactName(bundle.profile.id);
      const retentionDays = Math.min(options.retentionDays ?? 90, options.maxRetentionDays ?? Infinity);
      await mkdir(workDir, { recursive: true });
      const dir = await mkdtemp(join(workDir, 'tailgate-artifact-'));
      try {
        const file = join(dir, bundleFileName(bundle.profile.id));
        await writeFile(file, serializeBundle(bundle));
        const uploaded = await artifacts.uploadArtifact(name, [file], dir, { retentionDays });
        const id = uploaded.id === undefined ? '' : ` (id ${uploaded.id})`;
        return { saved: true, where: `artifact ${name}${id} of run ${context.runId}, kept ${retentionDays} days` };
      } catch (error) {
        return { saved: false, warning: `The artifact ${name} could not be uploaded: ${describe(error)}` };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
