/**
 * The cache, artifact and auto stores running the REAL `@actions/cache` 6 and `@actions/artifact`
 * 6 code against a local stand-in of the Actions results service with Azurite as blob storage
 * (test/helpers/fake-actions-services.ts). Each "job" runs with the environment a runner gives a
 * job of a simulated workflow run, set and restored around the call.
 *
 * `@actions/github` reads GITHUB_API_URL once, when it is imported, and the artifact toolkit
 * downloads other runs' artifacts through it: so the modules that import it are loaded only
 * after the fake's URL is in the environment, and a guard checks that before any download.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as ArtifactStoreModule from '../../src/baseline/artifact-store.js';
import type * as AutoStoreModule from '../../src/baseline/auto-store.js';
import type * as CacheStoreModule from '../../src/baseline/cache-store.js';
import { restorePrefix } from '../../src/baseline/cache-keys.js';
import { addToBundle, type BaselineBundle } from '../../src/baseline/baseline-bundle.js';
import type * as GitHubClientModule from '../../src/github/github-client.js';
import type * as ArtifactListingModule from '../../src/github/artifact-listing.js';
import { recordingLogger } from '../../src/logging.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { RecordError } from '../../src/record/record-error.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { setEnv, withEnv } from '../helpers/fake-actions-env.js';
import { startFakeActionsServices, type FakeActionsServices, type FakeRun, type RunSpec } from '../helpers/fake-actions-services.js';

const records = join(import.meta.dirname, '../fixtures/records');
const fixture = parseRunRecord(readFileSync(join(records, 'current-pass.json'), 'utf8'), 'current-pass.json');

/** A bundle of one run of `profileId`, started at `startedAt`. */
function bundleOf(profileId: string, startedAt: string, runId = '1'): BaselineBundle {
  const run: RunRecord = { ...fixture, meta: { ...fixture.meta, profile: { ...fixture.meta.profile, id: profileId }, startedAt, runId } };
  return addToBundle(undefined, run, 10).bundle as BaselineBundle;
}

let fake: FakeActionsServices;
let restoreApiUrl = (): void => {};
let cacheStore: typeof CacheStoreModule.cacheStore;
let artifactStore: typeof ArtifactStoreModule.artifactStore;
let autoStore: typeof AutoStoreModule.autoStore;
let createGitHubClient: typeof GitHubClientModule.createGitHubClient;
let listing: typeof ArtifactListingModule;
let saveCache: (paths: string[], key: string) => Promise<number>;
let uploadArtifact: (name: string, files: string[], root: string) => Promise<unknown>;
const scratch: string[] = [];

beforeAll(async () => {
  fake = await startFakeActionsServices();
  restoreApiUrl = setEnv({ GITHUB_API_URL: fake.apiUrl });
  const { defaults } = await import('@actions/github/lib/utils');
  if (defaults.baseUrl !== fake.apiUrl) {
    throw new Error(`@actions/github was imported before this file set GITHUB_API_URL (it uses ${String(defaults.baseUrl)}); refusing to reach it`);
  }
  ({ cacheStore } = await import('../../src/baseline/cache-store.js'));
  ({ artifactStore } = await import('../../src/baseline/artifact-store.js'));
  ({ autoStore } = await import('../../src/baseline/auto-store.js'));
  ({ createGitHubClient } = await import('../../src/github/github-client.js'));
  listing = await import('../../src/github/artifact-listing.js');
  const cache = await import('@actions/cache');
  saveCache = (paths, key) => cache.saveCache(paths, key);
  const { DefaultArtifactClient } = await import('@actions/artifact');
  uploadArtifact = (name, files, root) => new DefaultArtifactClient().uploadArtifact(name, files, root);
}, 30_000);

afterAll(async () => {
  restoreApiUrl();
  await fake?.close();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A runner's folders: the workspace and RUNNER_TEMP. Jobs on one kind of runner get the same paths. */
function runnerDirs(): { workspace: string; temp: string } {
  const root = mkdtempSync(join(tmpdir(), 'tailgate-runner-'));
  scratch.push(root);
  const dirs = { workspace: join(root, 'work', 'shop', 'shop'), temp: join(root, 'work', '_temp') };
  mkdirSync(dirs.workspace, { recursive: true });
  mkdirSync(dirs.temp, { recursive: true });
  return dirs;
}

/** A fresh runner with the same paths: what a later job sees (nothing left from earlier jobs). */
function wipe(dirs: { workspace: string; temp: string }): void {
  for (const dir of [dirs.workspace, dirs.temp]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
}

/**
 * Runs `fn` as a job of `run`: the job's environment set, the toolkits' workflow commands and
 * log lines (they write straight to stdout) kept in `output` instead of cluttering the test log.
 */
async function inJob<T>(run: FakeRun, dirs: { workspace: string; temp: string }, fn: () => Promise<T>, output: string[] = []): Promise<T> {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    return await withEnv(run.jobEnv(dirs), fn);
  } finally {
    process.stdout.write = write;
  }
}

const push = (sha: string): RunSpec => ({ ref: 'refs/heads/main', sha });
const pullRequest = (sha: string, spec: Partial<RunSpec> = {}): RunSpec => ({ ref: 'refs/pull/7/merge', sha, headBranch: 'faster-search', ...spec });

function artifactStoreFor(dirs: { temp: string }, logger = recordingLogger()): ReturnType<typeof artifactStore> {
  const octokit = createGitHubClient({ token: fake.token, baseUrl: fake.apiUrl, retries: 0 });
  const repository = { owner: fake.repository.owner, repo: fake.repository.repo };
  return artifactStore({ listArtifacts: listing.repositoryArtifacts(octokit, repository), listDefaultBranchArtifacts: listing.branchPushArtifacts(octokit, repository, 'main'), explain: listing.explainArtifactFailure, token: fake.token, repository, repositoryId: fake.repository.id, defaultBranch: 'main', workDir: join(dirs.temp, 'tailgate-baseline'), logger, maxRetentionDays: 90 });
}

const cacheDir = (dirs: { temp: string }): string => join(dirs.temp, 'tailgate-baseline');

describe('the cache store on the real @actions/cache (cache service v2)', () => {
  it('saves on the default branch and a later pull-request job restores the newest by prefix', async () => {
    const dirs = runnerDirs();
    const first = bundleOf('cache-flow', '2026-02-01T00:00:00.000Z');
    const saveRun = fake.startRun(push('c1'));
    const saved = await inJob(saveRun, dirs, () => cacheStore(cacheDir(dirs)).save(first, { commit: 'c1', runId: String(saveRun.id) }));
    expect(saved).toEqual({ saved: true, where: `cache entry ${restorePrefix('cache-flow')}c1-${saveRun.id}-1` });
    expect(fake.cacheEntries.filter((e) => e.key.startsWith(restorePrefix('cache-flow')))).toMatchObject([{ scope: 'refs/heads/main', finalized: true }]);

    const second = addToBundle(first, { ...first.runs[0]!, meta: { ...first.runs[0]!.meta, startedAt: '2026-02-02T00:00:00.000Z', runId: '2' } }, 10).bundle as BaselineBundle;
    wipe(dirs);
    const laterPush = fake.startRun(push('c2'));
    await inJob(laterPush, dirs, () => cacheStore(cacheDir(dirs)).save(second, { commit: 'c2', runId: String(laterPush.id) }));

    wipe(dirs);
    const pr = fake.startRun(pullRequest('p1'));
    const found = await inJob(pr, dirs, () => cacheStore(cacheDir(dirs)).load('cache-flow'));
    expect(found?.source).toBe(`cache entry ${restorePrefix('cache-flow')}c2-${laterPush.id}-1`);
    expect(found?.bundle).toEqual(second);
    expect(fake.violations).toEqual([]);
  });

  it('finds nothing where the cache version differs (another path) or the entry is scoped to a pull request', async () => {
    const dirs = runnerDirs();
    const push1 = fake.startRun(push('v1'));
    await inJob(push1, dirs, () => cacheStore(cacheDir(dirs)).save(bundleOf('cache-scope', '2026-02-01T00:00:00.000Z'), { commit: 'v1', runId: '1' }));
    // The cache version hashes the paths: a runner with another RUNNER_TEMP cannot restore it.
    const elsewhere = runnerDirs();
    expect(await inJob(fake.startRun(pullRequest('v2')), elsewhere, () => cacheStore(cacheDir(elsewhere)).load('cache-scope'))).toBeUndefined();
    // What a pull request saves stays in its own scope: the default branch never sees it.
    wipe(dirs);
    const pr = fake.startRun(pullRequest('v3', { ref: 'refs/pull/9/merge' }));
    await inJob(pr, dirs, () => cacheStore(cacheDir(dirs)).save(bundleOf('cache-pr-only', '2026-02-03T00:00:00.000Z'), { commit: 'v3', runId: '3' }));
    wipe(dirs);
    expect(await inJob(fake.startRun(push('v4')), dirs, () => cacheStore(cacheDir(dirs)).load('cache-pr-only'))).toBeUndefined();
    expect(fake.violations).toEqual([]);
  });

  it('reports a second save of the same key, and a read-only token, as warnings', async () => {
    const dirs = runnerDirs();
    const run = fake.startRun(push('k1'));
    const bundle = bundleOf('cache-twice', '2026-02-01T00:00:00.000Z');
    const store = cacheStore(cacheDir(dirs));
    expect(await inJob(run, dirs, () => store.save(bundle, { commit: 'k1', runId: '5' }))).toMatchObject({ saved: true });
    const output: string[] = [];
    const again = await inJob(run, dirs, () => store.save(bundle, { commit: 'k1', runId: '5' }), output);
    expect(again).toEqual({ saved: false, warning: expect.stringMatching(/did not save tailgate-baseline-cache-twice-k1-5-1 \(the key exists already/) });
    expect(fake.calls.filter((c) => c.method === 'CreateCacheEntry').at(-1)).toEqual({ api: 'twirp', method: 'CreateCacheEntry', status: 409 });
    expect(output.join('')).toMatch(/another job may be creating this cache/);

    const untrusted = fake.startRun({ ...push('k2'), event: 'workflow_run', cacheAccess: 'read-only' });
    const denied = await inJob(untrusted, dirs, () => store.save(bundle, { commit: 'k2', runId: '6' }));
    expect(denied).toMatchObject({ saved: false, warning: expect.stringContaining('did not save') });
    expect(fake.violations).toEqual([]);
  });

  it('refuses a damaged bundle found in the cache with a RecordError', async () => {
    const dirs = runnerDirs();
    const path = join(cacheDir(dirs), 'tailgate-baseline-cache-damaged.json');
    mkdirSync(cacheDir(dirs), { recursive: true });
    writeFileSync(path, '{"schema": "tailgate.baseline/v1", "runs": [');
    await inJob(fake.startRun(push('d1')), dirs, () => saveCache([path], `${restorePrefix('cache-damaged')}d1-1-1`));
    wipe(dirs);
    const loading = inJob(fake.startRun(pullRequest('d2')), dirs, () => cacheStore(cacheDir(dirs)).load('cache-damaged'));
    await expect(loading).rejects.toThrow(RecordError);
    await expect(loading).rejects.toThrow(/cache entry tailgate-baseline-cache-damaged-d1-1-1: the file is truncated/);
  });
});

describe('the artifact store on the real @actions/artifact', () => {
  it('uploads in run A and a pull request run B downloads A’s artifact through the REST API', async () => {
    const dirs = runnerDirs();
    const bundle = bundleOf('art-flow', '2026-03-01T00:00:00.000Z');
    const runA = fake.startRun(push('a1'));
    const saved = await inJob(runA, dirs, () => artifactStoreFor(dirs).save(bundle, { commit: 'a1', runId: String(runA.id) }));
    const stored = fake.artifacts.find((a) => a.name === 'tailgate-baseline-art-flow');
    expect(saved).toEqual({ saved: true, where: `artifact tailgate-baseline-art-flow (id ${stored?.id}) of run ${runA.id}, kept 90 days` });
    expect(stored).toMatchObject({ runId: runA.id, finalized: true });
    expect(stored!.expiresAt - stored!.createdAt).toBeGreaterThan(89 * 24 * 3600 * 1000);

    wipe(dirs);
    const logger = recordingLogger();
    const found = await inJob(fake.startRun(pullRequest('b1')), dirs, () => artifactStoreFor(dirs, logger).load('art-flow'));
    expect(found?.source).toBe(`artifact tailgate-baseline-art-flow of run ${runA.id} (commit a1)`);
    expect(found?.bundle).toEqual(bundle);
    expect(logger.lines).toEqual([]);
    expect(fake.calls.filter((c) => c.api === 'rest').map((c) => `${c.method} ${c.status}`)).toEqual(
      expect.arrayContaining(['actions/list-artifacts-for-repo 200', 'actions/download-artifact 302']),
    );
    expect(fake.violations).toEqual([]);
  });

  it('prefers the merge-base commit, and never takes a fork’s run of a branch named main', async () => {
    const dirs = runnerDirs();
    const base = fake.startRun(push('m1'));
    await inJob(base, dirs, () => artifactStoreFor(dirs).save(bundleOf('art-pick', '2026-03-01T00:00:00.000Z'), { commit: 'm1', runId: String(base.id) }));
    const newer = fake.startRun(push('m2'));
    await inJob(newer, dirs, () => artifactStoreFor(dirs).save(bundleOf('art-pick', '2026-03-02T00:00:00.000Z'), { commit: 'm2', runId: String(newer.id) }));
    const fork = fake.startRun(pullRequest('evil', { headBranch: 'main', fromFork: true }));
    await inJob(fork, dirs, () => artifactStoreFor(dirs).save(bundleOf('art-pick', '2026-03-03T00:00:00.000Z'), { commit: 'evil', runId: String(fork.id) }));

    const pr = fake.startRun(pullRequest('p2'));
    const newest = await inJob(pr, dirs, () => artifactStoreFor(dirs).load('art-pick'));
    expect(newest?.source).toContain(`run ${newer.id} (commit m2)`);
    const atMergeBase = await inJob(pr, dirs, () => artifactStoreFor(dirs).load('art-pick', { preferCommit: 'm1' }));
    expect(atMergeBase?.source).toContain(`run ${base.id} (commit m1)`);
    expect(atMergeBase?.bundle.runs[0]?.meta.startedAt).toBe('2026-03-01T00:00:00.000Z');
    expect(fake.violations).toEqual([]);
  });

  it('finds the baseline behind 300 newer artifacts of its name that a fork’s pull request uploaded', async () => {
    const dirs = runnerDirs();
    const base = fake.startRun(push('f1'));
    await inJob(base, dirs, () => artifactStoreFor(dirs).save(bundleOf('art-flood', '2026-03-01T00:00:00.000Z'), { commit: 'f1', runId: String(base.id) }));
    const fork = fake.startRun(pullRequest('evil', { headBranch: 'main', fromFork: true }));
    const planted = await fake.putArtifact(fork, 'tailgate-baseline-art-flood', Buffer.from('not a baseline'));
    for (let i = 1; i < 300; i++) fake.artifacts.push({ ...planted, id: 1_000_000 + i });

    const logger = recordingLogger();
    const found = await inJob(fake.startRun(pullRequest('f2')), dirs, () => artifactStoreFor(dirs, logger).load('art-flood'));
    expect(found?.source).toContain(`run ${base.id} (commit f1)`);
    expect(logger.lines).toEqual([expect.stringContaining('The newest 300 artifacts named tailgate-baseline-art-flood held no baseline of main (300 came from pull requests, forks or other branches)')]);
    expect(fake.calls.filter((c) => c.api === 'rest').map((c) => `${c.method} ${c.status}`)).toEqual(
      expect.arrayContaining(['actions/list-workflow-runs-for-repo 200', 'actions/list-workflow-run-artifacts 200']),
    );
    expect(fake.violations).toEqual([]);
  });

  it('warns and finds nothing when the artifacts expired or the token lacks actions: read', async () => {
    const dirs = runnerDirs();
    const run = fake.startRun(push('e1'));
    await inJob(run, dirs, () => artifactStoreFor(dirs).save(bundleOf('art-expired', '2026-03-01T00:00:00.000Z'), { commit: 'e1', runId: String(run.id) }));
    fake.expireArtifacts((a) => a.name === 'tailgate-baseline-art-expired');
    const logger = recordingLogger();
    expect(await inJob(fake.startRun(pullRequest('e2')), dirs, () => artifactStoreFor(dirs, logger).load('art-expired'))).toBeUndefined();
    expect(logger.lines).toEqual([expect.stringMatching(/^warning: The 1 artifact\(s\) tailgate-baseline-art-expired of main have expired/)]);

    const fresh = fake.startRun(push('e3'));
    await inJob(fresh, dirs, () => artifactStoreFor(dirs).save(bundleOf('art-expired', '2026-03-02T00:00:00.000Z'), { commit: 'e3', runId: String(fresh.id) }));
    expect(fake.violations).toEqual([]);
  });

  it('refuses with the permission to grant when the token lacks actions: read, instead of finding nothing', async () => {
    const dirs = runnerDirs();
    const run = fake.startRun(push('e5'));
    await inJob(run, dirs, () => artifactStoreFor(dirs).save(bundleOf('art-denied', '2026-03-02T00:00:00.000Z'), { commit: 'e5', runId: String(run.id) }));
    const logger = recordingLogger();
    fake.denyActionsRead();
    try {
      const loading = inJob(fake.startRun(pullRequest('e6')), dirs, () => artifactStoreFor(dirs, logger).load('art-denied'));
      await expect(loading).rejects.toThrow(RecordError);
      await expect(loading).rejects.toThrow(/tailgate-baseline-art-denied of octo-org\/shop: GitHub answered 403 .*Fix: grant the token `actions: read` under `permissions:`/);
    } finally {
      fake.denyActionsRead(false);
    }
    expect(logger.lines).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it('refuses a damaged bundle in the artifact with a RecordError', async () => {
    const dirs = runnerDirs();
    const dir = join(dirs.temp, 'upload');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'tailgate-baseline-art-damaged.json'), 'not json at all');
    const run = fake.startRun(push('x1'));
    await inJob(run, dirs, () => uploadArtifact('tailgate-baseline-art-damaged', [join(dir, 'tailgate-baseline-art-damaged.json')], dir));
    const loading = inJob(fake.startRun(pullRequest('x2')), dirs, () => artifactStoreFor(dirs).load('art-damaged'));
    await expect(loading).rejects.toThrow(RecordError);
    await expect(loading).rejects.toThrow(new RegExp(`artifact tailgate-baseline-art-damaged of run ${run.id} \\(commit x1\\)`));
    expect(fake.violations).toEqual([]);
  });
});

describe('the auto store (cache and artifact)', () => {
  it('saves to both, and loads whichever holds the newest run', async () => {
    const dirs = runnerDirs();
    const logger = recordingLogger();
    const store = (): ReturnType<typeof autoStore> => autoStore({ cache: cacheStore(cacheDir(dirs)), artifact: artifactStoreFor(dirs, logger) }, logger);

    const first = fake.startRun(push('u1'));
    const both = await inJob(first, dirs, () => store().save(bundleOf('auto-flow', '2026-04-01T00:00:00.000Z'), { commit: 'u1', runId: String(first.id) }));
    expect(both).toMatchObject({ saved: true, cache: { saved: true }, artifact: { saved: true } });
    expect(both.saved && both.where).toMatch(/^cache entry .* and artifact tailgate-baseline-auto-flow/);

    // The cache refuses the next save: a warning, and the artifact alone holds the newer bundle.
    wipe(dirs);
    const second = fake.startRun(push('u2'));
    fake.failNext('CreateCacheEntry', 'permission_denied');
    const artifactOnly = await inJob(second, dirs, () => store().save(bundleOf('auto-flow', '2026-04-02T00:00:00.000Z'), { commit: 'u2', runId: String(second.id) }));
    expect(artifactOnly).toMatchObject({ saved: true, cache: { saved: false }, artifact: { saved: true } });
    expect(logger.lines).toEqual([expect.stringMatching(/^warning: the Actions cache did not save .* \(the baseline was saved to artifact tailgate-baseline-auto-flow .* all the same\)$/)]);

    wipe(dirs);
    const pr = fake.startRun(pullRequest('u3'));
    const fromArtifact = await inJob(pr, dirs, () => store().load('auto-flow'));
    expect(fromArtifact?.source).toContain(`artifact tailgate-baseline-auto-flow of run ${second.id}`);

    // Now only the cache takes the newest: the artifact upload is refused.
    wipe(dirs);
    const third = fake.startRun(push('u4'));
    fake.failNext('CreateArtifact', 'permission_denied');
    const cacheOnly = await inJob(third, dirs, () => store().save(bundleOf('auto-flow', '2026-04-03T00:00:00.000Z'), { commit: 'u4', runId: String(third.id) }));
    expect(cacheOnly).toMatchObject({ saved: true, cache: { saved: true }, artifact: { saved: false } });
    wipe(dirs);
    const fromCache = await inJob(fake.startRun(pullRequest('u5')), dirs, () => store().load('auto-flow'));
    expect(fromCache?.source).toBe(`cache entry ${restorePrefix('auto-flow')}u4-${third.id}-1`);
    expect(fromCache?.bundle.runs.at(-1)?.meta.startedAt).toBe('2026-04-03T00:00:00.000Z');
    expect(fake.violations).toEqual([]);
  });

  it('uses the good bundle when the other store’s is damaged, and throws the RecordError when it is all there is', async () => {
    const dirs = runnerDirs();
    const logger = recordingLogger();
    const store = (): ReturnType<typeof autoStore> => autoStore({ cache: cacheStore(cacheDir(dirs)), artifact: artifactStoreFor(dirs, logger) }, logger);
    const dir = join(dirs.temp, 'upload');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'tailgate-baseline-auto-damaged.json'), '{"schema": "tailgate.baseline/v1", "runs": [');
    await inJob(fake.startRun(push('w1')), dirs, () => uploadArtifact('tailgate-baseline-auto-damaged', [join(dir, 'tailgate-baseline-auto-damaged.json')], dir));

    const pr = fake.startRun(pullRequest('w2'));
    await expect(inJob(pr, dirs, () => store().load('auto-damaged'))).rejects.toThrow(RecordError);

    const good = fake.startRun(push('w3'));
    fake.failNext('CreateArtifact', 'permission_denied');
    await inJob(good, dirs, () => store().save(bundleOf('auto-damaged', '2026-04-05T00:00:00.000Z'), { commit: 'w3', runId: String(good.id) }));
    logger.lines.length = 0;
    wipe(dirs);
    const found = await inJob(pr, dirs, () => store().load('auto-damaged'));
    expect(found?.source).toContain('cache entry');
    expect(logger.lines).toEqual([expect.stringMatching(/^warning: The artifact baseline could not be used .*the file is truncated/)]);
    expect(fake.violations).toEqual([]);
  });
});
