/**
 * A local stand-in for the GitHub Actions results service, as the real `@actions/cache` 6
 * (cache service v2) and `@actions/artifact` 6 reach it at `ACTIONS_RESULTS_URL`: twirp JSON
 * calls (`POST /twirp/github.actions.results.api.v1.{CacheService,ArtifactService}/<Method>`)
 * that hand out SAS URLs, with the bytes themselves in Azurite (see fake-actions-azurite.ts).
 * A second small server plays the part of the GitHub REST API that other runs' artifacts are
 * listed and downloaded through (`GET /repos/{owner}/{repo}/actions/artifacts...`), its requests
 * and answers checked against GitHub's OpenAPI description like the fake in fake-github.ts.
 *
 * Runs and jobs are simulated: `startRun()` makes a workflow run, `run.jobEnv()` the environment
 * of one of its jobs (a runtime token naming the run and job backend ids and the job's cache
 * scopes, as the runner's does). The semantics tailgate relies on are kept: cache keys are
 * immutable per key, version and scope (a second create is refused: 409); restore looks for the
 * exact key, then the key as a prefix, then each restore key as a prefix, newest first, in the
 * job's own scope and then in the scopes it may read (the default branch); versions must match;
 * only finalized entries are found. Artifacts belong to a run; a name is taken once per run; an
 * expired one is listed as expired and its download is 410 Gone.
 *
 * Protocol problems (an unknown twirp method or field, a REST request or answer that does not
 * match GitHub's description) land in `violations`, which tests expect empty.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAzurite, type AzuriteBlobs } from './fake-actions-azurite.js';
import { openApi } from './fake-github-openapi.js';
import { errorShape } from './fake-github-shapes.js';
import { requestProblems, responseProblems } from './fake-github-validator.js';

export const CACHE_SERVICE = 'github.actions.results.api.v1.CacheService';
export const ARTIFACT_SERVICE = 'github.actions.results.api.v1.ArtifactService';
const CACHE_CONTAINER = 'actions-cache';
const ARTIFACT_CONTAINER = 'actions-results';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Cache scope permissions in the runtime token's `ac` claim. */
const READ = 1;
const WRITE = 2;

export interface FakeRepository {
  owner: string;
  repo: string;
  id: number;
  defaultBranch: string;
}

export interface RunSpec {
  /** GITHUB_REF: `refs/heads/main` for a push, `refs/pull/7/merge` for a pull request. */
  ref: string;
  sha: string;
  /** Default: `push` for a branch ref, `pull_request` for a pull request's ref. */
  event?: string;
  /** The run's `head_branch` in the REST API: the pushed branch, or the pull request's head branch (required for pull requests). */
  headBranch?: string;
  /** A pull request's base branch (its cache scope is readable); default: the default branch. */
  baseBranch?: string;
  /** A pull request from a fork: the REST API reports another head repository. */
  fromFork?: boolean;
  /** `read-only` is what GitHub gives untrusted triggers: restores work, saves are denied. */
  cacheAccess?: 'read-write' | 'read-only';
}

export interface FakeRun {
  /** GITHUB_RUN_ID, and `workflow_run.id` in the REST API. */
  id: number;
  backendId: string;
  ref: string;
  sha: string;
  event: string;
  headBranch: string;
  /** The environment of a new job of this run (its own job backend id) for the toolkits. */
  jobEnv(dirs: { workspace: string; temp: string }): Record<string, string | undefined>;
}

export interface StoredCacheEntry {
  id: number;
  key: string;
  version: string;
  scope: string;
  blob: string;
  size: number;
  finalized: boolean;
  /** Creation order; newest first means highest. */
  sequence: number;
}

export interface StoredArtifact {
  id: number;
  name: string;
  runId: number;
  runBackendId: string;
  jobBackendId: string;
  blob: string;
  size: number;
  digest: string | undefined;
  finalized: boolean;
  createdAt: number;
  expiresAt: number;
  sequence: number;
}

export interface RecordedCall {
  api: 'twirp' | 'rest';
  /** The twirp method (`CreateCacheEntry`) or the REST operationId (`actions/download-artifact`). */
  method: string;
  status: number;
}

export interface FakeActionsServices {
  /** ACTIONS_RESULTS_URL (with its trailing slash, as the runner sets it). */
  resultsUrl: string;
  /** GITHUB_API_URL: the REST routes for artifacts of other runs. */
  apiUrl: string;
  /** A token the REST API accepts, with `actions: read`. */
  token: string;
  repository: FakeRepository;
  blobs: AzuriteBlobs;
  cacheEntries: StoredCacheEntry[];
  artifacts: StoredArtifact[];
  calls: RecordedCall[];
  violations: string[];
  startRun(spec: RunSpec): FakeRun;
  /**
   * Stores `bytes` as a finished artifact `name` of `run`, as if one of its jobs had uploaded them
   * (stored as the toolkit stores its zip, `application/zip`): how a test puts a crafted artifact
   * where another run reads it.
   */
  putArtifact(run: FakeRun, name: string, bytes: Buffer, contentType?: string): Promise<StoredArtifact>;
  /** Marks artifacts (all, or those `which` picks) as past their retention. */
  expireArtifacts(which?: (artifact: StoredArtifact) => boolean): void;
  /** The REST token loses `actions: read` (or gets it back): artifact routes answer 403. */
  denyActionsRead(denied?: boolean): void;
  /** The next `times` calls of a twirp method fail with this twirp error code. */
  failNext(method: string, code: TwirpCode, times?: number): void;
  close(): Promise<void>;
}

export type TwirpCode = 'invalid_argument' | 'unauthenticated' | 'permission_denied' | 'not_found' | 'already_exists' | 'failed_precondition' | 'internal' | 'unavailable' | 'bad_route';

const TWIRP_STATUS: Record<TwirpCode, number> = {
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  failed_precondition: 412,
  internal: 500,
  unavailable: 503,
};

class TwirpError extends Error {
  constructor(
    readonly code: TwirpCode,
    message: string,
  ) {
    super(message);
  }
}

/** Request fields (proto names, as the toolkit sends them) of each method. */
const REQUEST_FIELDS: Record<string, Record<string, readonly string[]>> = {
  [CACHE_SERVICE]: {
    CreateCacheEntry: ['metadata', 'key', 'version'],
    FinalizeCacheEntryUpload: ['metadata', 'key', 'size_bytes', 'version'],
    GetCacheEntryDownloadURL: ['metadata', 'key', 'restore_keys', 'version'],
  },
  [ARTIFACT_SERVICE]: {
    CreateArtifact: ['workflow_run_backend_id', 'workflow_job_run_backend_id', 'name', 'expires_at', 'version', 'mime_type'],
    FinalizeArtifact: ['workflow_run_backend_id', 'workflow_job_run_backend_id', 'name', 'size', 'hash'],
    ListArtifacts: ['workflow_run_backend_id', 'workflow_job_run_backend_id', 'name_filter', 'id_filter'],
    GetSignedArtifactURL: ['workflow_run_backend_id', 'workflow_job_run_backend_id', 'name'],
    DeleteArtifact: ['workflow_run_backend_id', 'workflow_job_run_backend_id', 'name'],
  },
};

interface Job {
  run: FakeRun;
  jobBackendId: string;
  /** Cache scopes in search order, with their permission bits. */
  scopes: { scope: string; permission: number }[];
}

type Json = Record<string, unknown>;

export async function startFakeActionsServices(options: { repository?: Partial<FakeRepository>; retentionDays?: number } = {}): Promise<FakeActionsServices> {
  const repository: FakeRepository = { owner: 'octo-org', repo: 'shop', id: 4242, defaultBranch: 'main', ...options.repository };
  const retentionDays = options.retentionDays ?? 90;
  const token = `ghs_fake${randomUUID().replaceAll('-', '')}`;
  const blobs = await startAzurite();
  const servers: Server[] = [];
  try {
    await blobs.createContainer(CACHE_CONTAINER);
    await blobs.createContainer(ARTIFACT_CONTAINER);
  } catch (error) {
    await blobs.close();
    throw error;
  }

  const cacheEntries: StoredCacheEntry[] = [];
  const artifacts: StoredArtifact[] = [];
  const calls: RecordedCall[] = [];
  const violations: string[] = [];
  const jobs = new Map<string, Job>();
  const failures = new Map<string, { code: TwirpCode; times: number }>();
  let actionsReadDenied = false;
  let nextRunId = 7_000_001;
  let nextCacheId = 1;
  let nextArtifactId = 9_000_001;
  let sequence = 0;
  let resultsUrl = '';
  let apiUrl = '';

  // ---- the results service (twirp) ----

  function jobOf(req: IncomingMessage): Job {
    const auth = req.headers.authorization ?? '';
    const bearer = /^Bearer (.+)$/.exec(auth)?.[1];
    if (bearer === undefined) throw new TwirpError('unauthenticated', 'a bearer runtime token is required');
    let claims: { scp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(bearer.split('.')[1] ?? '', 'base64url').toString('utf8')) as { scp?: unknown };
    } catch {
      throw new TwirpError('unauthenticated', 'the runtime token is not a JWT');
    }
    const results = String(claims.scp ?? '')
      .split(' ')
      .find((s) => s.startsWith('Actions.Results:'));
    const [, runBackendId, jobBackendId] = results?.split(':') ?? [];
    const job = jobBackendId === undefined ? undefined : jobs.get(jobBackendId);
    if (job === undefined || job.run.backendId !== runBackendId) throw new TwirpError('unauthenticated', 'the runtime token names no job of this service');
    return job;
  }

  function sameRun(job: Job, body: Json): void {
    if (body.workflow_run_backend_id !== job.run.backendId || body.workflow_job_run_backend_id !== job.jobBackendId) {
      throw new TwirpError('permission_denied', 'the backend ids do not match the runtime token');
    }
  }

  /** A download names the job that uploaded the artifact, which may be any job of the token's run. */
  function jobOfSameRun(job: Job, body: Json): void {
    const named = jobs.get(String(body.workflow_job_run_backend_id));
    if (body.workflow_run_backend_id !== job.run.backendId || named === undefined || named.run !== job.run) {
      throw new TwirpError('permission_denied', 'the backend ids name no job of the runtime token\'s run');
    }
  }

  const cacheMethods: Record<string, (job: Job, body: Json) => Promise<Json>> = {
    async CreateCacheEntry(job, body) {
      const key = requiredString(body, 'key');
      const version = requiredString(body, 'version');
      const writable = job.scopes.find((s) => (s.permission & WRITE) !== 0);
      if (writable === undefined) return { ok: false, message: 'cache write denied: the token of this run may only read the cache' };
      const existing = cacheEntries.find((e) => e.key === key && e.version === version && e.scope === writable.scope);
      if (existing !== undefined) throw new TwirpError('already_exists', 'cache entry with the same key, version, and scope already exists');
      const id = nextCacheId++;
      const entry: StoredCacheEntry = { id, key, version, scope: writable.scope, blob: `${id}.tar`, size: 0, finalized: false, sequence: ++sequence };
      cacheEntries.push(entry);
      return { ok: true, signed_upload_url: blobs.uploadUrl(CACHE_CONTAINER, entry.blob) };
    },
    async FinalizeCacheEntryUpload(job, body) {
      const key = requiredString(body, 'key');
      const version = requiredString(body, 'version');
      const size = Number(requiredString(body, 'size_bytes'));
      const writable = job.scopes.find((s) => (s.permission & WRITE) !== 0);
      const entry = cacheEntries.find((e) => e.key === key && e.version === version && e.scope === writable?.scope && !e.finalized);
      if (entry === undefined) throw new TwirpError('not_found', `no cache entry ${key} is being uploaded`);
      const info = await blobs.blobInfo(CACHE_CONTAINER, entry.blob);
      if (info === undefined || info.size !== size) {
        return { ok: false, message: `the uploaded archive has ${info?.size ?? 'no'} bytes, not ${size}` };
      }
      entry.size = size;
      entry.finalized = true;
      return { ok: true, entry_id: String(entry.id) };
    },
    async GetCacheEntryDownloadURL(job, body) {
      const key = requiredString(body, 'key');
      const version = requiredString(body, 'version');
      const restoreKeys = Array.isArray(body.restore_keys) ? body.restore_keys.map(String) : [];
      const hit = findCacheEntry(job, key, restoreKeys, version);
      if (hit === undefined) return { ok: false };
      return { ok: true, signed_download_url: blobs.downloadUrl(CACHE_CONTAINER, hit.blob), matched_key: hit.key };
    },
  };

  /** GitHub's documented order: per readable scope, exact key, key as prefix, then each restore key as prefix; newest first. */
  function findCacheEntry(job: Job, key: string, restoreKeys: string[], version: string): StoredCacheEntry | undefined {
    for (const { scope, permission } of job.scopes) {
      if ((permission & READ) === 0) continue;
      const candidates = cacheEntries.filter((e) => e.finalized && e.scope === scope && e.version === version).sort((a, b) => b.sequence - a.sequence);
      const exact = candidates.find((e) => e.key === key);
      if (exact) return exact;
      for (const prefix of [key, ...restoreKeys]) {
        const found = candidates.find((e) => e.key.startsWith(prefix));
        if (found) return found;
      }
    }
    return undefined;
  }

  const artifactMethods: Record<string, (job: Job, body: Json) => Promise<Json>> = {
    async CreateArtifact(job, body) {
      sameRun(job, body);
      const name = requiredString(body, 'name');
      if (body.version !== 4 && body.version !== 7) violations.push(`CreateArtifact: version ${String(body.version)}, not one this fake knows (4 or 7)`);
      const taken = artifacts.find((a) => a.runBackendId === job.run.backendId && a.name === name);
      if (taken?.finalized) throw new TwirpError('already_exists', 'an artifact with this name already exists on the workflow run');
      if (taken) artifacts.splice(artifacts.indexOf(taken), 1);
      const now = Date.now();
      const expiresAt = typeof body.expires_at === 'string' ? Date.parse(body.expires_at) : now + retentionDays * DAY_MS;
      if (Number.isNaN(expiresAt)) throw new TwirpError('invalid_argument', `expires_at ${String(body.expires_at)} is not a timestamp`);
      const artifact: StoredArtifact = {
        id: 0,
        name,
        runId: job.run.id,
        runBackendId: job.run.backendId,
        jobBackendId: job.jobBackendId,
        blob: `${job.run.backendId}/${job.jobBackendId}/${name}`,
        size: 0,
        digest: undefined,
        finalized: false,
        createdAt: now,
        expiresAt,
        sequence: ++sequence,
      };
      artifacts.push(artifact);
      return { ok: true, signed_upload_url: blobs.uploadUrl(ARTIFACT_CONTAINER, artifact.blob) };
    },
    async FinalizeArtifact(job, body) {
      sameRun(job, body);
      const name = requiredString(body, 'name');
      const size = Number(requiredString(body, 'size'));
      const artifact = artifacts.find((a) => a.runBackendId === job.run.backendId && a.name === name && !a.finalized);
      if (artifact === undefined) throw new TwirpError('not_found', `no artifact ${name} is being uploaded in this run`);
      const info = await blobs.blobInfo(ARTIFACT_CONTAINER, artifact.blob);
      if (info === undefined || info.size !== size) throw new TwirpError('failed_precondition', `the uploaded artifact has ${info?.size ?? 'no'} bytes, not ${size}`);
      artifact.size = size;
      artifact.digest = typeof body.hash === 'string' ? body.hash : undefined;
      artifact.finalized = true;
      artifact.id = nextArtifactId++;
      return { ok: true, artifact_id: String(artifact.id) };
    },
    async ListArtifacts(job, body) {
      sameRun(job, body);
      const found = artifacts
        .filter((a) => a.finalized && a.runBackendId === job.run.backendId && a.expiresAt > Date.now())
        .filter((a) => body.name_filter === undefined || a.name === body.name_filter)
        .filter((a) => body.id_filter === undefined || String(a.id) === String(body.id_filter));
      return {
        artifacts: found.map((a) => ({
          workflow_run_backend_id: a.runBackendId,
          workflow_job_run_backend_id: a.jobBackendId,
          database_id: String(a.id),
          name: a.name,
          size: String(a.size),
          created_at: new Date(a.createdAt).toISOString(),
          ...(a.digest === undefined ? {} : { digest: a.digest }),
        })),
      };
    },
    async GetSignedArtifactURL(job, body) {
      jobOfSameRun(job, body);
      const name = requiredString(body, 'name');
      const artifact = artifacts.find((a) => a.finalized && a.runBackendId === job.run.backendId && a.jobBackendId === body.workflow_job_run_backend_id && a.name === name);
      if (artifact === undefined) throw new TwirpError('not_found', `no artifact ${name} in this run`);
      return { signed_url: blobs.downloadUrl(ARTIFACT_CONTAINER, artifact.blob) };
    },
    async DeleteArtifact(job, body) {
      sameRun(job, body);
      const name = requiredString(body, 'name');
      const artifact = artifacts.find((a) => a.finalized && a.runBackendId === job.run.backendId && a.name === name);
      if (artifact === undefined) throw new TwirpError('not_found', `no artifact ${name} in this run`);
      artifacts.splice(artifacts.indexOf(artifact), 1);
      await blobs.deleteBlob(ARTIFACT_CONTAINER, artifact.blob);
      return { ok: true, artifact_id: String(artifact.id) };
    },
  };

  async function handleTwirp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', resultsUrl);
    const [, prefix, service = '', method = ''] = url.pathname.split('/');
    const raw = await readBody(req);
    const answer = (status: number, body: Json): void => {
      calls.push({ api: 'twirp', method, status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      const handlers = service === CACHE_SERVICE ? cacheMethods : service === ARTIFACT_SERVICE ? artifactMethods : undefined;
      const handler = handlers?.[method];
      if (req.method !== 'POST' || prefix !== 'twirp' || handler === undefined) {
        violations.push(`twirp: no route ${req.method ?? ''} ${url.pathname}`);
        throw new TwirpError('bad_route', `no handler for ${req.method ?? ''} ${url.pathname}`);
      }
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) violations.push(`${method}: content-type ${req.headers['content-type'] ?? 'missing'}`);
      const job = jobOf(req);
      let body: Json;
      try {
        body = JSON.parse(raw) as Json;
      } catch {
        throw new TwirpError('invalid_argument', 'the body is not JSON');
      }
      const known = REQUEST_FIELDS[service]?.[method] ?? [];
      for (const field of Object.keys(body)) if (!known.includes(field)) violations.push(`${method}: unknown request field ${field}`);
      const failure = failures.get(method);
      if (failure !== undefined && failure.times > 0) {
        failure.times--;
        throw new TwirpError(failure.code, `injected failure (${failure.code})`);
      }
      answer(200, await handler(job, body));
    } catch (error) {
      if (!(error instanceof TwirpError)) {
        violations.push(`${method}: the fake crashed: ${String(error)}`);
        return answer(500, { code: 'internal', msg: String(error) });
      }
      answer(TWIRP_STATUS[error.code], { code: error.code, msg: error.message });
    }
  }

  // ---- the REST API (artifacts of other runs) ----

  const restHandlers: Record<string, (p: Record<string, string>, query: URLSearchParams) => RestReply> = {
    'actions/list-artifacts-for-repo': (_p, query) => {
      const name = query.get('name');
      const listed = visibleArtifacts().filter((a) => name === null || a.name === name);
      return paginatedArtifacts(listed, query, `/repos/${repository.owner}/${repository.repo}/actions/artifacts`);
    },
    'actions/list-workflow-run-artifacts': (p, query) => {
      const name = query.get('name');
      const listed = visibleArtifacts().filter((a) => a.runId === Number(p.run_id) && (name === null || a.name === name));
      return paginatedArtifacts(listed, query, `/repos/${repository.owner}/${repository.repo}/actions/runs/${p.run_id}/artifacts`);
    },
    'actions/list-workflow-runs-for-repo': (_p, query) => {
      const listed = [...runs.values()]
        .filter((r) => (query.get('branch') === null || r.headBranch === query.get('branch')) && (query.get('event') === null || r.event === query.get('event')))
        .sort((a, b) => b.id - a.id);
      const perPage = Math.min(100, Number(query.get('per_page') ?? 30));
      const page = Number(query.get('page') ?? 1);
      return { status: 200, body: { total_count: listed.length, workflow_runs: listed.slice((page - 1) * perPage, page * perPage).map(workflowRunShape) } };
    },
    'actions/get-artifact': (p) => {
      const artifact = visibleArtifacts().find((a) => a.id === Number(p.artifact_id));
      return artifact === undefined ? notFound() : { status: 200, body: artifactShape(artifact) };
    },
    'actions/download-artifact': (p) => {
      const artifact = visibleArtifacts().find((a) => a.id === Number(p.artifact_id));
      if (artifact === undefined || p.archive_format !== 'zip') return notFound();
      if (artifact.expiresAt <= Date.now()) return { status: 410, body: errorShape('Artifact has expired', 410) };
      return { status: 302, body: undefined, headers: { location: blobs.downloadUrl(ARTIFACT_CONTAINER, artifact.blob, 1) } };
    },
  };

  function visibleArtifacts(): StoredArtifact[] {
    return artifacts.filter((a) => a.finalized).sort((a, b) => b.sequence - a.sequence);
  }

  function paginatedArtifacts(listed: StoredArtifact[], query: URLSearchParams, path: string): RestReply {
    const perPage = Math.min(100, Number(query.get('per_page') ?? 30));
    const page = Number(query.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(listed.length / perPage));
    const extra = query.get('name') === null ? '' : `&name=${encodeURIComponent(query.get('name') ?? '')}`;
    const link = (n: number, rel: string): string => `<${apiUrl}${path}?per_page=${perPage}&page=${n}${extra}>; rel="${rel}"`;
    const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])];
    const body = { total_count: listed.length, artifacts: listed.slice((page - 1) * perPage, page * perPage).map(artifactShape) };
    return { status: 200, body, headers: links.length === 0 ? {} : { link: links.join(', ') } };
  }

  function artifactShape(a: StoredArtifact): Json {
    const run = runs.get(a.runId);
    const url = `${apiUrl}/repos/${repository.owner}/${repository.repo}/actions/artifacts/${a.id}`;
    const stamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      id: a.id,
      node_id: Buffer.from(`Artifact${a.id}`).toString('base64'),
      name: a.name,
      size_in_bytes: a.size,
      url,
      archive_download_url: `${url}/zip`,
      expired: a.expiresAt <= Date.now(),
      created_at: stamp(a.createdAt),
      expires_at: stamp(a.expiresAt),
      updated_at: stamp(a.createdAt),
      digest: a.digest ?? null,
      workflow_run: run && {
        id: run.id,
        repository_id: repository.id,
        head_repository_id: run.fromFork ? repository.id + 1 : repository.id,
        head_branch: run.headBranch,
        head_sha: run.sha,
      },
    };
  }

  /** A workflow run as the REST API lists it: every field its schema requires. */
  function workflowRunShape(run: FakeRun & { fromFork: boolean }): Json {
    const base = `${apiUrl}/repos/${repository.owner}/${repository.repo}/actions/runs/${run.id}`;
    const stamp = new Date(0).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      id: run.id,
      node_id: Buffer.from(`WorkflowRun${run.id}`).toString('base64'),
      head_branch: run.headBranch,
      head_sha: run.sha,
      run_number: run.id,
      display_title: `run ${run.id}`,
      event: run.event,
      status: 'completed',
      conclusion: 'success',
      path: '.github/workflows/perf.yml',
      workflow_id: 1,
      url: base,
      html_url: `https://github.com/${repository.owner}/${repository.repo}/actions/runs/${run.id}`,
      created_at: stamp,
      updated_at: stamp,
      head_commit: null,
      pull_requests: [],
      jobs_url: `${base}/jobs`,
      logs_url: `${base}/logs`,
      check_suite_url: `${apiUrl}/repos/${repository.owner}/${repository.repo}/check-suites/1`,
      cancel_url: `${base}/cancel`,
      rerun_url: `${base}/rerun`,
      artifacts_url: `${base}/artifacts`,
      workflow_url: `${apiUrl}/repos/${repository.owner}/${repository.repo}/actions/workflows/1`,
      repository: minimalRepository(repository.id, repository.owner, repository.repo),
      head_repository: run.fromFork ? minimalRepository(repository.id + 1, 'someone', repository.repo) : minimalRepository(repository.id, repository.owner, repository.repo),
    };
  }

  /** A repository in the REST API's minimal form: its id and names, and every `*_url` field it requires. */
  function minimalRepository(id: number, owner: string, repo: string): Json {
    const url = `${apiUrl}/repos/${owner}/${repo}`;
    const urls = Object.fromEntries(
      ['archive', 'assignees', 'blobs', 'branches', 'collaborators', 'comments', 'commits', 'compare', 'contents', 'contributors', 'deployments', 'downloads', 'events', 'forks', 'git_commits', 'git_refs', 'git_tags', 'hooks', 'issue_comment', 'issue_events', 'issues', 'keys', 'labels', 'languages', 'merges', 'milestones', 'notifications', 'pulls', 'releases', 'stargazers', 'statuses', 'subscribers', 'subscription', 'tags', 'teams', 'trees'].map((name) => [`${name}_url`, `${url}/${name}`]),
    );
    const user = `${apiUrl}/users/${owner}`;
    return {
      ...urls,
      id,
      node_id: Buffer.from(`Repository${id}`).toString('base64'),
      name: repo,
      full_name: `${owner}/${repo}`,
      private: false,
      fork: id !== repository.id,
      description: null,
      html_url: `https://github.com/${owner}/${repo}`,
      url,
      owner: {
        login: owner,
        id: id * 10,
        node_id: Buffer.from(`User${id}`).toString('base64'),
        avatar_url: `https://avatars.example/${owner}`,
        gravatar_id: null,
        url: user,
        html_url: `https://github.com/${owner}`,
        followers_url: `${user}/followers`,
        following_url: `${user}/following{/other_user}`,
        gists_url: `${user}/gists{/gist_id}`,
        starred_url: `${user}/starred{/owner}{/repo}`,
        subscriptions_url: `${user}/subscriptions`,
        organizations_url: `${user}/orgs`,
        repos_url: `${user}/repos`,
        events_url: `${user}/events{/privacy}`,
        received_events_url: `${user}/received_events`,
        type: 'Organization',
        site_admin: false,
      },
    };
  }

  async function handleRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', apiUrl);
    const raw = await readBody(req);
    const found = openApi().match(method, url.pathname);
    if (found === undefined || 'allowed' in found) {
      violations.push(`REST: no GitHub operation ${method} ${url.pathname}`);
      calls.push({ api: 'rest', method: `${method} ${url.pathname}`, status: 404 });
      return sendRest(res, { status: 404, body: errorShape('Not Found', 404) });
    }
    const { operation, pathParams } = found;
    const reply = (r: RestReply): void => {
      calls.push({ api: 'rest', method: operation.operationId, status: r.status });
      if (r.body !== undefined) for (const problem of responseProblems(operation, r.status, r.body)) violations.push(`REST ${operation.operationId} answer: ${problem}`);
      sendRest(res, r);
    };
    const problems = requestProblems({ operation, pathParams, query: Object.fromEntries(url.searchParams), rawBody: raw, contentType: req.headers['content-type'] });
    for (const problem of problems) violations.push(`REST ${operation.operationId} request: ${problem}`);
    const credential = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (credential === undefined) return reply({ status: 401, body: errorShape('Requires authentication', 401) });
    if (credential !== token) return reply({ status: 401, body: errorShape('Bad credentials', 401) });
    if (pathParams.owner !== repository.owner || pathParams.repo !== repository.repo) return reply(notFound());
    if (actionsReadDenied) return reply({ status: 403, body: errorShape('Resource not accessible by integration', 403) });
    const handler = restHandlers[operation.operationId];
    if (handler === undefined) {
      violations.push(`REST: the fake does not implement ${operation.operationId}`);
      return reply(notFound());
    }
    reply(handler(pathParams, url.searchParams));
  }

  // ---- runs and jobs ----

  const runs = new Map<number, FakeRun & { fromFork: boolean }>();

  function startRun(spec: RunSpec): FakeRun {
    const pull = /^refs\/pull\/(\d+)\/merge$/.exec(spec.ref);
    const branch = /^refs\/heads\/(.+)$/.exec(spec.ref)?.[1];
    if (pull && spec.headBranch === undefined) throw new Error('startRun: a pull request run needs its headBranch');
    const event = spec.event ?? (pull ? 'pull_request' : 'push');
    const headBranch = spec.headBranch ?? branch ?? '';
    const baseBranch = spec.baseBranch ?? repository.defaultBranch;
    const own = spec.cacheAccess === 'read-only' ? READ : READ | WRITE;
    // The runner's token: the run's own scope first, then what it may read (the base branch).
    const scopes = [{ scope: spec.ref, permission: own }];
    const fallback = `refs/heads/${pull ? baseBranch : repository.defaultBranch}`;
    if (fallback !== spec.ref) scopes.push({ scope: fallback, permission: READ });
    const run: FakeRun & { fromFork: boolean } = {
      id: nextRunId++,
      backendId: randomUUID(),
      ref: spec.ref,
      sha: spec.sha,
      event,
      headBranch,
      fromFork: spec.fromFork ?? false,
      jobEnv(dirs) {
        const jobBackendId = randomUUID();
        jobs.set(jobBackendId, { run, jobBackendId, scopes });
        return {
          ACTIONS_RESULTS_URL: resultsUrl,
          ACTIONS_RUNTIME_TOKEN: runtimeToken(run.backendId, jobBackendId, scopes),
          ACTIONS_CACHE_SERVICE_V2: 'True',
          ACTIONS_CACHE_URL: undefined,
          ACTIONS_CACHE_MODE: undefined,
          ACTIONS_RUNTIME_URL: undefined,
          GITHUB_ACTIONS: 'true',
          GITHUB_SERVER_URL: 'https://github.com',
          GITHUB_API_URL: apiUrl,
          GITHUB_REPOSITORY: `${repository.owner}/${repository.repo}`,
          GITHUB_REPOSITORY_OWNER: repository.owner,
          GITHUB_REPOSITORY_ID: String(repository.id),
          GITHUB_EVENT_NAME: event,
          GITHUB_REF: spec.ref,
          GITHUB_REF_NAME: pull ? `${pull[1]}/merge` : (branch ?? spec.ref),
          GITHUB_HEAD_REF: pull ? headBranch : '',
          GITHUB_BASE_REF: pull ? baseBranch : '',
          GITHUB_SHA: spec.sha,
          GITHUB_RUN_ID: String(run.id),
          GITHUB_RUN_ATTEMPT: '1',
          GITHUB_RETENTION_DAYS: String(retentionDays),
          GITHUB_WORKSPACE: dirs.workspace,
          RUNNER_TEMP: dirs.temp,
          NO_PROXY: '127.0.0.1,localhost',
          no_proxy: '127.0.0.1,localhost',
        };
      },
    };
    runs.set(run.id, run);
    return run;
  }

  // ---- servers ----

  const twirpServer = createServer((req, res) => {
    handleTwirp(req, res).catch((error: unknown) => {
      violations.push(`twirp: the fake crashed: ${String(error)}`);
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'internal', msg: String(error) }));
    });
  });
  const restServer = createServer((req, res) => {
    handleRest(req, res).catch((error: unknown) => {
      violations.push(`REST: the fake crashed: ${String(error)}`);
      sendRest(res, { status: 500, body: errorShape('fake crashed', 500) });
    });
  });
  for (const server of [twirpServer, restServer]) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  resultsUrl = `http://127.0.0.1:${(twirpServer.address() as AddressInfo).port}/`;
  apiUrl = `http://127.0.0.1:${(restServer.address() as AddressInfo).port}`;

  return {
    resultsUrl,
    apiUrl,
    token,
    repository,
    blobs,
    cacheEntries,
    artifacts,
    calls,
    violations,
    startRun,
    async putArtifact(run, name, bytes, contentType = 'application/zip') {
      const jobBackendId = randomUUID();
      const blob = `${run.backendId}/${jobBackendId}/${name}`;
      const put = await fetch(blobs.uploadUrl(ARTIFACT_CONTAINER, blob), {
        method: 'PUT',
        headers: { 'x-ms-blob-type': 'BlockBlob', 'x-ms-blob-content-type': contentType, 'content-length': String(bytes.length) },
        body: bytes,
      });
      if (put.status !== 201) throw new Error(`putArtifact: the blob store answered ${put.status}: ${await put.text()}`);
      const now = Date.now();
      const artifact: StoredArtifact = {
        id: nextArtifactId++,
        name,
        runId: run.id,
        runBackendId: run.backendId,
        jobBackendId,
        blob,
        size: bytes.length,
        digest: undefined,
        finalized: true,
        createdAt: now,
        expiresAt: now + retentionDays * DAY_MS,
        sequence: ++sequence,
      };
      artifacts.push(artifact);
      return artifact;
    },
    expireArtifacts(which = () => true) {
      for (const artifact of artifacts) if (which(artifact)) artifact.expiresAt = Date.now() - 1000;
    },
    denyActionsRead: (denied = true) => void (actionsReadDenied = denied),
    failNext: (method, code, times = 1) => void failures.set(method, { code, times }),
    async close() {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
      await blobs.close();
    },
  };
}

interface RestReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function notFound(): RestReply {
  return { status: 404, body: errorShape('Not Found', 404) };
}

function sendRest(res: ServerResponse, reply: RestReply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(reply.status, headers);
  res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  return raw;
}

function requiredString(body: Json, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw new TwirpError('invalid_argument', `${field} is required`);
  return value;
}

/** An unsigned JWT shaped like the runner's ACTIONS_RUNTIME_TOKEN (the toolkits only decode it). */
export function runtimeToken(runBackendId: string, jobBackendId: string, scopes: { scope: string; permission: number }[]): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    scp: `Actions.ExampleScope Actions.Results:${runBackendId}:${jobBackendId}`,
    ac: JSON.stringify(scopes.map((s) => ({ Scope: s.scope, Permission: s.permission }))),
    iat: now,
    exp: now + 6 * 60 * 60,
  };
  return `${part({ typ: 'JWT', alg: 'none' })}.${part(claims)}.`;
}
