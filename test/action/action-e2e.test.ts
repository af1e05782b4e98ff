import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltAction, shopInputs, shopProfile, type StepResult, writeEvent } from '../helpers/built-action.js';
import { FAKE_REPO, startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { startServer } from '../helpers/loopback-server.js';

/**
 * The built Action (dist/index.js) run as a runner runs it, where it fails before any load: a
 * target that never answers or answers only 503, a bad input. Nothing here hangs on timing but
 * the two-second wait-timeout, so the file runs beside others; the runs that load and judge are in
 * `action-e2e.load.test.ts`.
 */
let github: FakeGitHub;
let workspace: string;

beforeAll(async () => {
  github = await startFakeGitHub();
  workspace = mkdtempSync(join(tmpdir(), 'tailgate-action-'));
  writeFileSync(join(workspace, 'tailgate.yml'), shopProfile());
});
afterAll(async () => {
  await github.close();
});

function event(file: string): string {
  return writeEvent(workspace, file);
}

// No test here reaches the load, so the target is one nothing listens on unless a test names its own.
async function runAction(options: { eventName: string; eventPath: string; ref: string; sha: string; inputs?: Record<string, string> }): Promise<StepResult> {
  return runBuiltAction({
    workspace,
    apiUrl: github.url,
    repository: `${FAKE_REPO.owner}/${FAKE_REPO.repo}`,
    eventName: options.eventName,
    eventPath: options.eventPath,
    ref: options.ref,
    sha: options.sha,
    inputs: { ...shopInputs(workspace, 'http://127.0.0.1:1'), ...options.inputs },
  });
}

const MAIN_SHA = '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c';

describe('the built Action, failing before any load', () => {
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
