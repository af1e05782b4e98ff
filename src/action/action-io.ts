import * as core from '@actions/core';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BaselineStore } from '../baseline/baseline-store.js';
import { createGitHubClient, type GitHubClient } from '../github/github-client.js';
import type { Logger } from '../logging.js';
import type { RunIo } from '../run/run-io.js';
import { actionsLogger } from './actions-logger.js';
import { chooseStore } from './choose-store.js';
import type { BaselineStorage } from './inputs.js';
import { workflowArtifacts, type RunArtifacts } from './run-artifacts.js';
import { readRunnerEnv, type RunnerEnv } from './runner-env.js';

/**
 * Everything the Action's modes do outside their own logic: the runner's environment (read once),
 * inputs, the event, the job summary and outputs, the load engine's I/O, baseline stores, the
 * GitHub API and workflow artifacts. `runnerIo()` gives the real ones; tests build their own.
 */
export interface ActionIo {
  env: RunnerEnv;
  logger: Logger;
  /** An input by its name in action.yml; '' when not set. */
  input(name: string): string;
  /** The event's payload (GITHUB_EVENT_PATH); {} when there is none. */
  readEvent(): Promise<unknown>;
  writeSummary(markdown: string): Promise<void>;
  setOutputs(outputs: Record<string, string>): void;
  /** Masks a value in the log from here on. */
  setSecret(secret: string): void;
  /** What the load engine reads and writes (its environment is `env.vars`). */
  run: RunIo;
  store(storage: BaselineStorage, context: { token: string | undefined; defaultBranch: string | undefined }): BaselineStore;
  /** The API client for a token, at `env.apiUrl`. */
  github(token: string): GitHubClient;
  artifacts: RunArtifacts;
  now(): Date;
  /** Waits (a shard for its `shard-start`); tests pass one that advances their clock. */
  sleep(ms: number): Promise<void>;
}

/** The Action's I/O on a runner: @actions/core, `process.env` read here once, the file system, the real stores. */
export function runnerIo(): ActionIo {
  const env = readRunnerEnv(process.env);
  const logger = actionsLogger();
  const github = (token: string): GitHubClient => createGitHubClient({ token, baseUrl: env.apiUrl, logger });
  return {
    env,
    logger,
    input: (name) => core.getInput(name),
    readEvent: async () => (env.eventPath ? (JSON.parse(await readFile(env.eventPath, 'utf8')) as unknown) : {}),
    writeSummary: async (markdown) => {
      await core.summary.addRaw(markdown, true).write();
    },
    setOutputs: (outputs) => {
      for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
    },
    setSecret: (secret) => core.setSecret(secret),
    run: { env: env.vars, logger, stdout: process.stdout, stderr: process.stdout, isTty: false },
    store: (storage, context) => chooseStore(storage, { ...context, env, github, logger }),
    github,
    artifacts: workflowArtifacts,
    now: () => new Date(),
    sleep: (ms) => sleep(ms),
  };
}
