import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltAction, type StepResult, writeEvent } from '../helpers/built-action.js';
import { FAKE_REPO, startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { respondAfter, startServer, type LoopbackServer } from '../helpers/loopback-server.js';

/**
 * The built Action (dist/index.js) with secrets in the profile: where load may go (a
 * deployment's URL only where allowed-hosts or the profile's target allows it), what is shown
 * (values from the environment as ***, URLs without their passwords), what a profile may read
 * (never the runner's own tokens), and which pull request a deployment reports on (only the one
 * whose head it deployed). The targets are loopback servers that record what reached them.
 */
const API_TOKEN = 'tok-3c9e51a7d2b8';
const API_KEY = 'key-f08b6d2e4c19';
const TENANT = 'tenant-71d5a9e3';
const PASSWORD = 'hunter2-4e7a0c';
const RUNTIME_TOKEN = 'runtime-tok-a81f5c29e0';

const MAIN_SHA = '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c';
const HEAD_SHA = 'a7c3e5f19b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e';
const STALE_SHA = 'b'.repeat(40);

interface Seen {
  path: string;
  authorization: string | undefined;
}

/** A target that answers every request and keeps its path and authorization header. */
async function recordingTarget(): Promise<LoopbackServer & { seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = await startServer((req: IncomingMessage, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    respondAfter(res, req, 1, 200, '{"items":[]}');
  });
  return { ...server, seen };
}

let target: Awaited<ReturnType<typeof recordingTarget>>;
let other: Awaited<ReturnType<typeof recordingTarget>>;
let github: FakeGitHub;
let workspace: string;

/** The profile: its target and one step's query from the environment, a token in a header. */
const profile = (header = 'Bearer ${API_TOKEN}'): string => `name: shop
target: ${target.url}/\${TENANT}
defaults: { headers: { authorization: "${header}" } }
warmup: 1s
block: 1s
scenarios:
  steady: { executor: constant-arrival-rate, rate: 40, duration: 3s, preAllocatedVUs: 4, maxVUs: 20 }
journeys:
  shopper:
    steps:
      - request: GET /api/products?api_key=\${API_KEY}
`;

beforeAll(async () => {
  target = await recordingTarget();
  other = await recordingTarget();
  github = await startFakeGitHub();
  workspace = mkdtempSync(join(tmpdir(), 'tailgate-action-secrets-'));
  writeFileSync(join(workspace, 'tailgate.yml'), profile());
  writeFileSync(join(workspace, 'runner-token.yml'), profile('Bearer ${ACTIONS_RUNTIME_TOKEN}'));
});
afterAll(async () => {
  await target.close();
  await other.close();
  await github.close();
});

function event(file: string, patch?: (payload: Record<string, any>) => void): string {
  return writeEvent(workspace, file, patch);
}

function deployment(sha: string, environmentUrl: string): string {
  return event('deployment-status-success.json', (payload) => {
    payload.deployment_status.environment_url = environmentUrl;
    payload.deployment.sha = sha;
  });
}

async function runAction(options: { eventName: string; eventPath: string; ref: string; sha: string; inputs?: Record<string, string>; env?: Record<string, string> }): Promise<StepResult> {
  return runBuiltAction({
    workspace,
    apiUrl: github.url,
    repository: `${FAKE_REPO.owner}/${FAKE_REPO.repo}`,
    eventName: options.eventName,
    eventPath: options.eventPath,
    ref: options.ref,
    sha: options.sha,
    env: { API_TOKEN, API_KEY, TENANT, ...options.env },
    inputs: {
      config: join(workspace, 'tailgate.yml'),
      'baseline-storage': 'file',
      'baseline-file': join(workspace, 'baselines', 'shop.json'),
      'github-token': 'ghs_fake_token_for_tests',
      'wait-timeout': '10',
      'fail-on': 'never',
      ...options.inputs,
    },
  });
}

/** Every file the steps wrote under the workspace (records, baselines, reports, summaries, outputs). */
function writtenFiles(dir: string): Array<{ file: string; text: string }> {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) return writtenFiles(file);
    return [{ file, text: readFileSync(file, 'latin1') }];
  });
}

describe('where the load may go', () => {
  it("refuses a deployment's URL on another origin, naming allowed-hosts, before any request carries the token", async () => {
    const before = other.seen.length;
    const result = await runAction({ eventName: 'deployment_status', eventPath: deployment(HEAD_SHA, other.url), ref: 'refs/heads/feature/faster-search', sha: HEAD_SHA });
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).toMatch(/::error::.*the deployment's environment_url http:\/\/127\.0\.0\.1:\d+ is neither the origin of the profile's target nor a host of the allowed-hosts input/);
    expect(result.stdout).toContain(`allowed-hosts: 127.0.0.1:${other.port}`);
    expect(other.seen.length).toBe(before);
  }, 30_000);

  it('refuses it too when the workflow passes the event URL on as target-url', async () => {
    const before = other.seen.length;
    const result = await runAction({
      eventName: 'deployment_status',
      eventPath: deployment(HEAD_SHA, other.url),
      ref: 'refs/heads/feature/faster-search',
      sha: HEAD_SHA,
      inputs: { 'target-url': `${other.url}/` },
    });
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).toContain('is neither the origin of the profile');
    expect(other.seen.length).toBe(before);
  }, 30_000);

  it('loads it once allowed-hosts lists its host', async () => {
    const before = other.seen.length;
    const result = await runAction({
      eventName: 'deployment_status',
      eventPath: deployment(HEAD_SHA, other.url),
      ref: 'refs/heads/feature/faster-search',
      sha: HEAD_SHA,
      inputs: { 'allowed-hosts': `example.com, 127.0.0.1:${other.port}` },
    });
    expect(result.code, result.stdout).toBe(0);
    const seen = other.seen.slice(before);
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.every((s) => s.authorization === `Bearer ${API_TOKEN}`)).toBe(true);
  }, 30_000);
});

describe('values from the environment', () => {
  it('show as *** in the log, the comment, the check run, the summary and every file written, and are masked', async () => {
    const commentsBefore = github.comments.length;
    const checksBefore = github.checkRuns.length;
    const steps = [
      await runAction({ eventName: 'push', eventPath: event('push-default-branch.json'), ref: 'refs/heads/main', sha: MAIN_SHA }),
      await runAction({ eventName: 'pull_request', eventPath: event('pull-request-same-repo.json'), ref: 'refs/pull/42/merge', sha: 'f'.repeat(40) }),
    ];
    for (const step of steps) expect(step.code, step.stdout).toBe(0);
    // The load carried the real values.
    expect(target.seen.some((s) => s.path === `/${TENANT}/api/products?api_key=${API_KEY}` && s.authorization === `Bearer ${API_TOKEN}`)).toBe(true);

    const comment = github.comments.slice(commentsBefore).map((c) => c.body).join('\n');
    const checks = github.checkRuns.slice(checksBefore).map((c) => `${c.output.title}\n${c.output.summary}\n${c.output.text}`).join('\n');
    // Markdown escapes _ and * as entities.
    expect(comment.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))).toContain('GET /api/products?api_key=***');
    const pr = steps[1] as StepResult;
    expect(pr.stdout).toContain(`shop -> ${target.url}/***`);
    const record = JSON.parse(readFileSync(pr.outputs.report as string, 'utf8')) as unknown;
    expect(JSON.stringify(record)).toContain('GET /api/products?api_key=***');

    for (const secret of [API_TOKEN, API_KEY, TENANT]) {
      for (const step of steps) {
        // The runner hides each value in its log once told to (::add-mask::); no other line may hold one.
        expect(step.stdout).toContain(`::add-mask::${secret}`);
        const lines = step.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
        expect(lines.filter((line) => line.includes(secret))).toEqual([]);
      }
      expect(comment).not.toContain(secret);
      expect(checks).not.toContain(secret);
      const leaking = writtenFiles(workspace).filter(({ text }) => text.includes(secret)).map(({ file }) => file);
      expect(leaking).toEqual([]);
    }
  }, 60_000);

  it("never reads the runner's own token: the step fails naming the file and field, and nothing is sent", async () => {
    const before = target.seen.length;
    const result = await runAction({
      eventName: 'pull_request',
      eventPath: event('pull-request-same-repo.json'),
      ref: 'refs/pull/42/merge',
      sha: 'f'.repeat(40),
      inputs: { config: join(workspace, 'runner-token.yml') },
      env: { ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN },
    });
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).toMatch(/::error::.*runner-token\.yml:3:\d+ defaults\.headers\.authorization: reads \$\{ACTIONS_RUNTIME_TOKEN\}, a variable of the runner/);
    expect(result.stdout).toContain('secrets.API_TOKEN');
    expect(result.stdout).not.toContain(RUNTIME_TOKEN);
    expect(target.seen.length).toBe(before);
  }, 30_000);
});

describe('URLs refused for their credentials', () => {
  it.each([
    ['target-url', { inputs: { 'target-url': `http://ci:${PASSWORD}@127.0.0.1:1` } }],
    ['baseline-url', { inputs: { 'target-url': 'http://127.0.0.1:1', 'baseline-url': `http://ci:${PASSWORD}@127.0.0.1:1` } }],
    ["a deployment's environment_url", { eventName: 'deployment_status' }],
  ] as const)('%s is shown without its password', async (_what, options) => {
    const deploying = 'eventName' in options;
    const result = await runAction({
      eventName: deploying ? 'deployment_status' : 'pull_request',
      eventPath: deploying ? deployment(HEAD_SHA, `http://ci:${PASSWORD}@127.0.0.1:${target.port}`) : event('pull-request-same-repo.json'),
      ref: deploying ? 'refs/heads/feature/faster-search' : 'refs/pull/42/merge',
      sha: deploying ? HEAD_SHA : 'f'.repeat(40),
      ...('inputs' in options ? { inputs: options.inputs } : {}),
    });
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).toMatch(/::error::.*\*\*\*:\*\*\*@127\.0\.0\.1/);
    expect(result.stdout).not.toContain(PASSWORD);
  }, 30_000);
});

describe("a deployment's pull request", () => {
  it('is only the one whose head was deployed: a stale deployment of an older commit comments on no pull request', async () => {
    github.addPullRequest({ number: 77, headSha: HEAD_SHA, commits: [STALE_SHA, HEAD_SHA] });
    const comments = github.comments.length;
    const writes = github.requestsTo('issues/update-comment').length;
    const result = await runAction({ eventName: 'deployment_status', eventPath: deployment(STALE_SHA, target.url), ref: 'refs/heads/feature/faster-search', sha: STALE_SHA });
    expect(result.code, result.stdout).toBe(0);
    expect(github.requestsTo('repos/list-pull-requests-associated-with-commit').length).toBeGreaterThan(0);
    expect(result.stdout).toContain('no open pull request for this commit: no comment');
    expect(github.comments.length).toBe(comments);
    expect(github.requestsTo('issues/update-comment').length).toBe(writes);
    expect(github.checkRuns.at(-1)?.headSha).toBe(STALE_SHA);
  }, 30_000);

  it('sends only requests that GitHub\'s OpenAPI description allows', () => {
    expect(github.violations).toEqual([]);
  });
});
