import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { readRunnerEnv } from '../../src/action/runner-env.js';

describe("the runner's environment, read once", () => {
  it('types what a hosted runner sets', () => {
    const vars = {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: '/home/runner/work/_temp/_github_workflow/event.json',
      GITHUB_REF: 'refs/pull/42/merge',
      GITHUB_SHA: 'f'.repeat(40),
      GITHUB_REPOSITORY: 'acme/shop-api',
      GITHUB_REPOSITORY_ID: '700100200',
      GITHUB_API_URL: 'https://ghe.example.test/api/v3',
      GITHUB_SERVER_URL: 'https://ghe.example.test',
      GITHUB_WORKSPACE: '/home/runner/work/shop-api/shop-api',
      RUNNER_TEMP: '/home/runner/work/_temp',
      GITHUB_RUN_ID: '12',
      GITHUB_RUN_ATTEMPT: '2',
      GITHUB_RETENTION_DAYS: '30',
      ACTIONS_RUNTIME_TOKEN: 'token',
      ACTIONS_RESULTS_URL: 'https://results.example.test/',
      SHOP_TOKEN: 'secret',
    };
    expect(readRunnerEnv(vars)).toEqual({
      eventName: 'pull_request',
      eventPath: vars.GITHUB_EVENT_PATH,
      ref: 'refs/pull/42/merge',
      sha: 'f'.repeat(40),
      repository: { owner: 'acme', repo: 'shop-api' },
      repositoryId: 700100200,
      apiUrl: 'https://ghe.example.test/api/v3',
      workspace: vars.GITHUB_WORKSPACE,
      tempDir: '/home/runner/work/_temp',
      runId: '12',
      runAttempt: '2',
      runUrl: 'https://ghe.example.test/acme/shop-api/actions/runs/12',
      retentionDays: 30,
      artifactService: true,
      vars,
    });
  });

  it('outside a workflow: github.com, the system temp folder, no repository, run page or artifact service', () => {
    const env = readRunnerEnv({ GITHUB_REPOSITORY: 'no-slash', GITHUB_RETENTION_DAYS: '0', ACTIONS_RUNTIME_TOKEN: 'token' });
    expect(env).toMatchObject({ eventName: '', eventPath: undefined, repository: undefined, repositoryId: undefined, apiUrl: 'https://api.github.com', tempDir: tmpdir(), runUrl: undefined, retentionDays: undefined, artifactService: false });
  });
});
