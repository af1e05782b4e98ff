import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionIo } from '../../src/action/action-io.js';
import { chooseStore } from '../../src/action/choose-store.js';
import { runAction } from '../../src/action/main.js';
import type { RunArtifacts } from '../../src/action/run-artifacts.js';
import { readRunnerEnv } from '../../src/action/runner-env.js';
import { fixedReadings } from '../../src/engine/self-monitor.js';
import { createGitHubClient } from '../../src/github/github-client.js';
import { recordingLogger } from '../../src/logging.js';
import { startSampleService, type SampleService } from '../../src/sample-service/sample-service.js';
import { defaultInputEnv, EVENTS_DIR, shopInputs, shopProfile } from '../helpers/built-action.js';
import { FAKE_REPO, startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';

/**
 * The Action's orchestrator in process, over its seams: the runner's environment as an object
 * (never this process's), the load against the sample service on loopback with an idle
 * self-check injected, baselines in a file, the GitHub API on the fake that checks every request
 * against GitHub's OpenAPI description, and workflow artifacts kept in memory.
 */
let service: SampleService;
let github: FakeGitHub;
let workspace: string;
const MAIN_SHA = '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c';
const PR_SHA = 'a7c3e5f19b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e';
const FORK_SHA = 'c0ffee0123456789abcdef0123456789abcdef01';

beforeAll(async () => {
  service = await startSampleService();
  github = await startFakeGitHub();
  workspace = mkdtempSync(join(tmpdir(), 'tailgate-run-action-'));
  writeFileSync(join(workspace, 'tailgate.yml'), shopProfile('regression: { p95: 10%, throughput: 25% }\n', { duration: '6s' }));
});
afterAll(async () => {
  await service.close();
  await github.close();
});

/** Workflow artifacts of one run, in memory: what was uploaded, by name, and the downloads asked for. */
function memoryArtifacts(): RunArtifacts & { uploaded: Map<string, string>; findBy: unknown[] } {
  const uploaded = new Map<string, string>();
  const findBy: unknown[] = [];
  return {
    uploaded,
    findBy,
    uploadFile: async (name, file) => {
      uploaded.set(name, readFileSync(file, 'utf8'));
      return uploaded.size;
    },
    downloadJson: async (wanted, _workDir, options = {}) => {
      findBy.push(options.findBy);
      return [...uploaded].filter(([name]) => wanted(name)).map(([artifact, text]) => ({ artifact, text }));
    },
  };
}

interface Step {
  event: string;
  eventName: string;
  ref: string;
  sha: string;
  inputs?: Record<string, string>;
  artifacts?: RunArtifacts;
  /** The step's clock: a fixed time (default: the machine's time), moved on by what the step sleeps (recorded in `slept`). */
  now?: string;
}

function step(options: Step) {
  const defaults = Object.fromEntries(Object.entries(defaultInputEnv()).map(([name, value]) => [name.slice('INPUT_'.length).toLowerCase(), value]));
  const inputs: Record<string, string> = { ...defaults, ...shopInputs(workspace, service.url), ...options.inputs };
  const env = readRunnerEnv({
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: join(EVENTS_DIR, options.event),
    GITHUB_REF: options.ref,
    GITHUB_SHA: options.sha,
    GITHUB_REPOSITORY: `${FAKE_REPO.owner}/${FAKE_REPO.repo}`,
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '77',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: mkdtempSync(join(workspace, 'runner-temp-')),
  });
  const logger = recordingLogger();
  const outputs: Record<string, string> = {};
  const summaries: string[] = [];
  const secrets: string[] = [];
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  // The Action's clock is the machine's, as on a runner, unless a test sets it: a record is dated by the machine's, and a baseline run dated after the Action's clock is refused.
  let nowMs = options.now === undefined ? Date.now() : Date.parse(options.now);
  const slept: number[] = [];
  const makeClient = (token: string) => createGitHubClient({ token, baseUrl: env.apiUrl, logger, retryDelayScaleMs: 1 });
  const io: ActionIo = {
    env,
    logger,
    input: (name) => inputs[name] ?? '',
    readEvent: async () => JSON.parse(readFileSync(env.eventPath as string, 'utf8')) as unknown,
    writeSummary: async (markdown) => void summaries.push(markdown),
    setOutputs: (o) => Object.assign(outputs, o),
    setSecret: (secret) => void secrets.push(secret),
    run: { env: env.vars, logger, stdout: sink, stderr: sink, isTty: false, generatorReadings: () => fixedReadings() },
    store: (storage, context) => chooseStore(storage, { ...context, env, github: makeClient, logger }),
    github: makeClient,
    artifacts: options.artifacts ?? memoryArtifacts(),
    now: () => new Date(nowMs),
    sleep: async (ms) => {
      slept.push(ms);
      nowMs += ms;
    },
  };
  return { io, outputs, summaries, slept, log: () => logger.lines.join('\n') };
}

describe('the Action over its seams, without the bundle', () => {
  it('records the baseline on a push to the default branch, reading the runner only from its environment object', async () => {
    const push = step({ event: 'push-default-branch.json', eventName: 'push', ref: 'refs/heads/main', sha: MAIN_SHA });
    expect(await runAction(push.io)).toBeUndefined();
    expect(push.log()).toContain('tailgate: record-baseline');
    expect(push.outputs.verdict).toBe('no-baseline');
    expect(push.summaries.join('\n')).toContain('baseline recorded');
    const bundle = JSON.parse(readFileSync(join(workspace, 'baselines', 'shop.json'), 'utf8')) as { runs: Array<{ meta: { commit?: string } }> };
    expect(bundle.runs).toHaveLength(1);
    expect(github.requests).toHaveLength(0);
  }, 30_000);

  it('fails a pull request whose product detail is fifty times as slow: the gate says why, the comment and the failing check go to the repository of the environment', async () => {
    // Fifty times as slow (about +200 ms): far beyond what a busy machine adds to a 4 s run's
    // p95 on loopback (tens of milliseconds), so the flow is tested, not the gate's power.
    service.injectRegression(49);
    try {
      const pr = step({ event: 'pull-request-same-repo.json', eventName: 'pull_request', ref: 'refs/pull/42/merge', sha: 'f'.repeat(40) });
      expect(await runAction(pr.io)).toBe('tailgate: performance regression in shop (see the job summary)');
      expect(pr.outputs.verdict).toBe('regression');
      expect(pr.outputs['comment-url']).toMatch(/^https:\/\/github\.com\/.*#issuecomment-\d+$/);
      expect(github.comments.map((c) => c.issueNumber)).toEqual([42]);
      expect(github.checkRuns).toEqual([expect.objectContaining({ conclusion: 'failure', headSha: PR_SHA, name: 'tailgate: shop' })]);
      expect(github.checkRuns[0]?.detailsUrl).toBe('https://github.com/' + `${FAKE_REPO.owner}/${FAKE_REPO.repo}` + '/actions/runs/77');
      expect(JSON.parse(readFileSync(pr.outputs.report as string, 'utf8')).verdict).toBe('regression');
      expect(github.violations).toEqual([]);
    } finally {
      service.injectRegression(0);
    }
  }, 30_000);

  it("leaves a fork's report as an artifact without a write call; mode: report posts it once the PR is confirmed at that commit", async () => {
    const artifacts = memoryArtifacts();
    const before = github.requests.length;
    const fork = step({ event: 'pull-request-fork.json', eventName: 'pull_request', ref: 'refs/pull/43/merge', sha: 'e'.repeat(40), inputs: { 'fail-on': 'never' }, artifacts });
    expect(await runAction(fork.io)).toBeUndefined();
    expect([...artifacts.uploaded.keys()]).toEqual(['tailgate-report-shop']);
    expect(github.requests.length).toBe(before);

    github.addPullRequest({ number: 43, headSha: FORK_SHA });
    const report = step({ event: 'workflow-run-fork.json', eventName: 'workflow_run', ref: 'refs/heads/main', sha: MAIN_SHA, inputs: { mode: 'report' }, artifacts });
    expect(await runAction(report.io)).toBeUndefined();
    expect(artifacts.findBy.at(-1)).toMatchObject({ workflowRunId: 12000000043, repositoryOwner: FAKE_REPO.owner, repositoryName: FAKE_REPO.repo });
    expect(github.comments.filter((c) => c.issueNumber === 43)).toHaveLength(1);
    expect(report.outputs['comment-url']).toMatch(/#issuecomment-\d+$/);
    expect(github.violations).toEqual([]);
  }, 30_000);

  it('splits the load across shard jobs started together (shard-start) and judges the merged record in the merge job', async () => {
    const artifacts = memoryArtifacts();
    // The jobs got their runners 40 s and 25 s before the common start: each sleeps until then.
    const shardOf = (i: number, now: string) =>
      step({ event: 'push-default-branch.json', eventName: 'push', ref: 'refs/heads/main', sha: MAIN_SHA, inputs: { shard: `${i}/2`, 'shard-start': '2026-12-02T12:01:00Z' }, artifacts, now });
    const shards = [shardOf(1, '2026-12-02T12:00:20Z'), shardOf(2, '2026-12-02T12:00:35Z')];
    expect(await Promise.all(shards.map((shard) => runAction(shard.io)))).toEqual([undefined, undefined]);
    expect(shards.map((shard) => shard.outputs.verdict)).toEqual(['shard', 'shard']);
    expect(shards.map((shard) => shard.slept)).toEqual([[40_000], [25_000]]);
    expect(shards[0]?.log()).toContain('waiting 40 s for shard-start 2026-12-02T12:01:00.000Z');
    expect([...artifacts.uploaded.keys()].sort()).toEqual(['tailgate-shard-shop-1-of-2', 'tailgate-shard-shop-2-of-2']);
    const merge = step({ event: 'push-default-branch.json', eventName: 'push', ref: 'refs/heads/main', sha: MAIN_SHA, inputs: { mode: 'merge' }, artifacts });
    expect(await runAction(merge.io)).toBeUndefined();
    expect(merge.log()).toMatch(/merged 2 shards of shop: \d+ requests/);
    expect(merge.outputs.verdict).toBe('no-baseline');

    // The same shard 2 measured a minute later (a job re-run alone): the merge job refuses the pair.
    const apart = memoryArtifacts();
    for (const [name, text] of artifacts.uploaded) {
      const record = JSON.parse(text) as { meta: { startedAt: string } };
      if (name.endsWith('-2-of-2')) record.meta.startedAt = new Date(Date.parse(record.meta.startedAt) + 60_000).toISOString();
      apart.uploaded.set(name, JSON.stringify(record));
    }
    const refused = step({ event: 'push-default-branch.json', eventName: 'push', ref: 'refs/heads/main', sha: MAIN_SHA, inputs: { mode: 'merge' }, artifacts: apart });
    expect(await runAction(refused.io)).toMatch(
      /^artifact tailgate-shard-shop-1-of-2, artifact tailgate-shard-shop-2-of-2: did not run together: shard 1\/2 \(artifact tailgate-shard-shop-1-of-2\) measured \S+ to \S+, shard 2\/2 .*\(0%, a merge needs 80%\).*Fix: run the shards at the same time/,
    );
    expect(refused.outputs).toEqual({});
  }, 30_000);

  it('refuses a shard-start too far ahead before any load', async () => {
    const far = step({ event: 'push-default-branch.json', eventName: 'push', ref: 'refs/heads/main', sha: MAIN_SHA, inputs: { shard: '1/2', 'shard-start': '2026-12-02T13:00:00Z' }, now: '2026-12-02T12:00:00Z' });
    const logins = service.counts().logins;
    expect(await runAction(far.io)).toMatch(/^input "shard-start" is 60 min ahead \(2026-12-02T13:00:00\.000Z, now 2026-12-02T12:00:00\.000Z\), more than the 10 min a shard waits/);
    expect(far.slept).toEqual([]);
    expect(service.counts().logins).toBe(logins);
  });

  it("returns a user's mistake as the step's failure, before any load", async () => {
    const bad = step({ event: 'push-default-branch.json', eventName: 'push', ref: 'refs/heads/main', sha: MAIN_SHA, inputs: { 'fail-on': 'sometimes' } });
    expect(await runAction(bad.io)).toBe('input "fail-on" must be one of regression, inconclusive, never (got "sometimes")');
    expect(bad.outputs).toEqual({});
  });

  it('returns a bug as one, with its stack, to be reported', async () => {
    const broken = step({ event: 'push-default-branch.json', eventName: 'push', ref: 'refs/heads/main', sha: MAIN_SHA });
    broken.io.readEvent = async () => {
      throw new TypeError('payload is undefined');
    };
    expect(await runAction(broken.io)).toMatch(/^tailgate failed unexpectedly, please report it: TypeError: payload is undefined\n\s+at /);
  });
});
