/**
 * Which listed artifact the artifact store trusts with the baseline: only one of a default-branch
 * run whose head repository is this repository, by id. The listing is given as the REST API pages
 * it (the fields tailgate reads); the download writes the bundle where the toolkit would.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactStore, type ArtifactApi, type ArtifactStoreOptions, type ListedArtifact } from '../../src/baseline/artifact-store.js';
import { BASELINE_SCHEMA } from '../../src/baseline/baseline-bundle.js';
import { recordingLogger } from '../../src/logging.js';
import { buildRunRecord, constantBlocks } from '../compare/record-builder.js';

const REPOSITORY_ID = 4242;
const run = buildRunRecord({ steps: { home: constantBlocks([1]) }, runId: 'r1' });
const profileId = run.meta.profile.id;
const name = `tailgate-baseline-${profileId}`;

/** An artifact of run `runId`, with the workflow run's fields as the listing gives them. */
function listed(id: number, workflowRun: Partial<NonNullable<ListedArtifact['workflow_run']>>): ListedArtifact {
  return { id, name, expired: false, workflow_run: { id: id * 10, head_sha: `${id}`.repeat(40).slice(0, 40), head_branch: 'main', repository_id: REPOSITORY_ID, ...workflowRun } };
}

function storeOver(artifacts: ListedArtifact[], repositoryId: number | undefined, listings: Partial<Pick<ArtifactStoreOptions, 'listArtifacts' | 'listDefaultBranchArtifacts'>> = {}) {
  const downloads: number[] = [];
  const api: ArtifactApi = {
    uploadArtifact: () => Promise.reject(new Error('not in this test')),
    async downloadArtifact(artifactId, options) {
      downloads.push(artifactId);
      const dir = options?.path as string;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${name}.json`), JSON.stringify({ schema: BASELINE_SCHEMA, profile: run.meta.profile, runs: [run] }));
      return { downloadPath: dir };
    },
  };
  const logger = recordingLogger();
  const store = artifactStore({
    listArtifacts: async function* () {
      yield artifacts;
    },
    token: 'ghs_test',
    repository: { owner: 'octo-org', repo: 'shop' },
    repositoryId,
    defaultBranch: 'main',
    workDir: mkdtempSync(join(tmpdir(), 'tailgate-artifact-trust-')),
    logger,
    artifacts: api,
    ...listings,
  });
  return { store, downloads, logger };
}

describe('the artifact baseline is trusted only from the default branch of this repository', () => {
  it.each([
    ['a run of another repository (a fork’s branch named main)', { head_repository_id: REPOSITORY_ID + 1 }],
    ['a run that names no head repository', {}],
    ['a run whose head repository is null', { head_repository_id: null as unknown as number }],
    ['a run of another branch of this repository', { head_branch: 'feature/faster-search', head_repository_id: REPOSITORY_ID }],
  ])('refuses %s, even when it is the newest', async (_what, workflowRun) => {
    const { store, downloads } = storeOver([listed(2, workflowRun), listed(1, { head_repository_id: REPOSITORY_ID })], REPOSITORY_ID);
    const found = await store.load(profileId);
    expect(downloads).toEqual([1]);
    expect(found?.source).toBe(`artifact ${name} of run 10 (commit 1111111)`);
  });

  it('uses none, with a warning saying why, when no default-branch run is this repository’s', async () => {
    const { store, downloads, logger } = storeOver([listed(2, { head_repository_id: REPOSITORY_ID + 1 }), listed(1, {})], REPOSITORY_ID);
    expect(await store.load(profileId)).toBeUndefined();
    expect(downloads).toEqual([]);
    expect(logger.lines).toEqual([`warning: The 2 artifact(s) ${name} of branch main were not used: their runs' head repository is not this repository (id ${REPOSITORY_ID}), or is not named`]);
  });

  it('trusts none when the repository’s own id is unknown (GITHUB_REPOSITORY_ID unset)', async () => {
    const { store, downloads, logger } = storeOver([listed(1, { head_repository_id: REPOSITORY_ID })], undefined);
    expect(await store.load(profileId)).toBeUndefined();
    expect(downloads).toEqual([]);
    expect(logger.lines).toEqual([expect.stringContaining('GITHUB_REPOSITORY_ID is not set')]);
  });
});

describe('a flood of artifacts of the baseline’s name does not hide the baseline', () => {
  /** Three full pages of artifacts of the baseline's name uploaded by pull requests' runs. */
  const flood = [0, 1, 2].map((page) => Array.from({ length: 100 }, (_, i) => listed(1000 + page * 100 + i, { head_branch: 'refs/pull/7/merge', head_repository_id: REPOSITORY_ID + 1 })));

  function floodedStore(defaultBranchPages: ListedArtifact[][] | undefined) {
    const { store, downloads, logger } = storeOver([], REPOSITORY_ID, {
      listArtifacts: async function* () {
        yield* flood;
        yield [listed(1, { head_repository_id: REPOSITORY_ID })];
      },
      ...(defaultBranchPages === undefined
        ? {}
        : {
            listDefaultBranchArtifacts: async function* () {
              yield* defaultBranchPages;
            },
          }),
    });
    return { store, downloads, logger };
  }

  it('looks through the default branch’s own push runs when the newest 300 held none of its baselines', async () => {
    const { store, downloads, logger } = floodedStore([[], [listed(1, { head_repository_id: REPOSITORY_ID })]]);
    const found = await store.load(profileId);
    expect(downloads).toEqual([1]);
    expect(found?.source).toBe(`artifact ${name} of run 10 (commit 1111111)`);
    expect(logger.lines).toEqual([expect.stringMatching(/^warning: The newest 300 artifacts named .* held no baseline of main \(300 came from pull requests, forks or other branches\)/)]);
  });

  it('without that second listing reads no further than its page limit, and finds none', async () => {
    const { store, downloads } = floodedStore(undefined);
    expect(await store.load(profileId)).toBeUndefined();
    expect(downloads).toEqual([]);
  });

  it('trusts no artifact of the second listing that is not of this repository’s default branch', async () => {
    const { store, downloads } = floodedStore([[listed(3, { head_repository_id: REPOSITORY_ID + 1 }), listed(4, { head_branch: 'feature', head_repository_id: REPOSITORY_ID })]]);
    expect(await store.load(profileId)).toBeUndefined();
    expect(downloads).toEqual([]);
  });

  it('does not read the second listing when the first held a baseline', async () => {
    let read = false;
    const { store, downloads } = storeOver([listed(2, { head_repository_id: REPOSITORY_ID })], REPOSITORY_ID, {
      listDefaultBranchArtifacts: async function* () {
        read = true;
        yield [];
      },
    });
    await store.load(profileId);
    expect(downloads).toEqual([2]);
    expect(read).toBe(false);
  });
});
