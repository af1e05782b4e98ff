import { tmpdir } from 'node:os';

/**
 * What the runner tells a step through its environment (GitHub's default variables), read once
 * at the start of the step: the modes take this object, never `process.env`.
 */
export interface RunnerEnv {
  eventName: string;
  /** The event's payload file (GITHUB_EVENT_PATH); undefined outside a workflow. */
  eventPath: string | undefined;
  ref: string;
  sha: string;
  /** From GITHUB_REPOSITORY ("owner/repo"); undefined outside a workflow. */
  repository: { owner: string; repo: string } | undefined;
  /** GITHUB_REPOSITORY_ID: which runs' artifacts are this repository's own. */
  repositoryId: number | undefined;
  /** GITHUB_API_URL: GitHub Enterprise Server has its own. */
  apiUrl: string;
  /** GITHUB_WORKSPACE: the checkout, against which config paths are made relative for annotations. */
  workspace: string | undefined;
  /** RUNNER_TEMP, else the system's temporary folder. */
  tempDir: string;
  /** GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT, which name a baseline's origin. */
  runId: string | undefined;
  runAttempt: string | undefined;
  /** The workflow run's page; undefined outside a workflow. */
  runUrl: string | undefined;
  /** GITHUB_RETENTION_DAYS: the repository's artifact retention, when positive. */
  retentionDays: number | undefined;
  /** ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are set: this job can upload artifacts. */
  artifactService: boolean;
  /** Every variable, for the profile's `${VAR}` references and the load engine. */
  vars: Record<string, string | undefined>;
}

export function readRunnerEnv(env: Record<string, string | undefined>): RunnerEnv {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const server = env.GITHUB_SERVER_URL;
  const runId = env.GITHUB_RUN_ID || undefined;
  const retention = Number(env.GITHUB_RETENTION_DAYS);
  const repositoryId = Number(env.GITHUB_REPOSITORY_ID || undefined);
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    eventPath: env.GITHUB_EVENT_PATH || undefined,
    ref: env.GITHUB_REF ?? '',
    sha: env.GITHUB_SHA ?? '',
    repository: owner && repo ? { owner, repo } : undefined,
    repositoryId: Number.isSafeInteger(repositoryId) && repositoryId > 0 ? repositoryId : undefined,
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    workspace: env.GITHUB_WORKSPACE || undefined,
    tempDir: env.RUNNER_TEMP || tmpdir(),
    runId,
    runAttempt: env.GITHUB_RUN_ATTEMPT || undefined,
    runUrl: server && owner && repo && runId ? `${server}/${owner}/${repo}/actions/runs/${runId}` : undefined,
    retentionDays: Number.isInteger(retention) && retention > 0 ? retention : undefined,
    artifactService: Boolean(env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL),
    vars: env,
  };
}
