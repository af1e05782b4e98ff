import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleService, type SampleService } from '../../src/sample-service/sample-service.js';
import { runBuiltAction, shopInputs, shopProfile, type StepResult, writeEvent } from '../helpers/built-action.js';
import { FAKE_REPO, startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { startServer } from '../helpers/loopback-server.js';

/**
 * The built Action (dist/index.js) run as a runner runs it where no verdict is asserted: a fork's
 * pull request (fail-on: never, a 2 s run against the sample service), and failures before any
 * load: a target that never answers or answers only 503, a bad input. Nothing here hangs on timing
 * but the two-second wait-timeout, so the file runs beside others; the runs that load and judge
 * are in `action-e2e.load.test.ts`.
 */
let service: SampleService;
let github: FakeGitHub;
let workspace: string;

beforeAll(async () => {
  service = await startSampleService();
  github = await startFakeGitHub();
  workspace = mkdtempSync(join(tmpdir(), 'tailgate-action-'));
  writeFileSync(join(workspace, 'tailgate.yml'), shopProfile('', { duration: '2s' }));
});
afterAll(async () => {
  await service.close();
  await github.close();
});

function event(file: string): string {
  return writeEvent(workspace, file);
}

async function runAction(options: { eventName: string; eventPath: string; ref: string; sha: string; inputs?: Record<string, string> }): Promise<StepResult> {
  return runBuiltAction({
    workspace,
    apiUrl: github.url,
    repository: `${FAKE_REPO.owner}/${FAKE_REPO.repo}`,
    eventName: options.eventName,
    eventPath: options.eventPath,
    ref: options.ref,
    sha: options.sha,
    inputs: { ...shopInputs(workspace, service.url), ...options.inputs },
  });
}

const MAIN_SHA = '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c';

describe('the built Action, where no verdict is asserted', () => {
  it("reports a fork's pull request in the job summary, without a write call or a crash", async () => {
    const before = github.requests.length;
    // fail-on: never, so the fork's flow is tested whatever a busy machine does to the verdict.
    const result = await runAction({ eventName: 'pull_request', eventPath: event('pull-request-fork.json'), ref: 'refs/pull/43/merge', sha: 'e'.repeat(40), inputs: { 'fail-on': 'never' } });
    expect(result.code, result.stdout).toBe(0);
    expect(result.summary).toContain('tailgate: shop');
    expect(result.stdout).toContain('read-only token');
    expect(github.requests.length).toBe(before);
  }, 30_000);

  it('fails with a clear message, not as a regression, when the target never answers', async () => {
    const result = await runAction({ eventName: 'pull_request', eventPath: event('pull-request-same-repo.json'), ref: 'refs/pull/42/merge', sha: 'f'.repeat(40), inputs: { 'target-url': 'http://127.0.0.1:1', 'wait-timeout': '2' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error::the target http:\/\/127\.0\.0\.1:1 never answered \(wait-timeout 2s\)/);
    expect(result.outputs.verdict).toBeUndefined();
  }, 30_000);

  it('waits for an HTTP answer, not only an open port: a gateway answering 503 is not ready', async () => {
    const gateway = await startServer((req, res) => {
      req.resume();
      res.writeHead(503).end('deployment starting');
    });
    try {
      const result = await runAction({ eventName: 'pull_request', eventPath: event('pull-request-same-repo.json'), ref: 'refs/pull/42/merge', sha: 'f'.repeat(40), inputs: { 'target-url': gateway.url, 'wait-timeout': '2' } });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`waiting for ${gateway.url}: GET ${gateway.url} answered 503`);
      expect(result.stdout).toContain(`::error::the target ${gateway.url} never answered (wait-timeout 2s): GET ${gateway.url} answered 503; still not ready after 2s`);
      expect(gateway.requests()).toBeGreaterThanOrEqual(2);
    } finally {
      await gateway.close();
    }
  }, 30_000);

  it('fails at once, naming the input, on a bad input value', async () => {
    const result = await runAction({ eventName: 'push', eventPath: event('push-default-branch.json'), ref: 'refs/heads/main', sha: MAIN_SHA, inputs: { 'fail-on': 'maybe' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error::input "fail-on" must be one of regression, inconclusive, never \(got "maybe"\)/);
  });

  it('sends only requests that GitHub\'s OpenAPI description allows', () => {
    expect(github.violations).toEqual([]);
  });
});
