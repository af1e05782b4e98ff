import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { ActionIo } from '../../src/action/action-io.js';
import { chooseStore } from '../../src/action/choose-store.js';
import type { RunArtifacts } from '../../src/action/run-artifacts.js';
import { readRunnerEnv } from '../../src/action/runner-env.js';
import { fixedReadings } from '../../src/engine/self-monitor.js';
import { createGitHubClient } from '../../src/github/github-client.js';
import { recordingLogger } from '../../src/logging.js';
import { defaultInputEnv, EVENTS_DIR, shopInputs } from './built-action.js';
import { FAKE_REPO } from './fake-github.js';

/**
 * One step of the Action's orchestrator (`runAction`) in process, over its seams: the runner's
 * environment as an object (never this process's), an idle self-check injected, baselines in a
 * file of `workspace`, the GitHub API at `apiUrl`, and workflow artifacts in memory.
 */
/** Workflow artifacts of one run, in memory: what was uploaded, by name, and the downloads asked for. */
export function memoryArtifacts(): RunArtifacts & { uploaded: Map<string, string>; findBy: unknown[] } {
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

export interface Step {
  event: string;
  eventName: string;
  ref: string;
  sha: string;
  inputs?: Record<string, string>;
  artifacts?: RunArtifacts;
  /** The step's clock: a fixed time (default: the machine's time), moved on by what the step sleeps (recorded in `slept`). */
  now?: string;
}

/** Where the steps run: the job's workspace (holding tailgate.yml), the target, the GitHub API. */
export interface StepRunner {
  workspace: string;
  targetUrl: string;
  apiUrl: string;
}

export function actionStep(runner: StepRunner, options: Step) {
  const { workspace } = runner;
  const defaults = Object.fromEntries(Object.entries(defaultInputEnv()).map(([name, value]) => [name.slice('INPUT_'.length).toLowerCase(), value]));
  const inputs: Record<string, string> = { ...defaults, ...shopInputs(workspace, runner.targetUrl), ...options.inputs };
  const env = readRunnerEnv({
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: join(EVENTS_DIR, options.event),
    GITHUB_REF: options.ref,
    GITHUB_SHA: options.sha,
    GITHUB_REPOSITORY: `${FAKE_REPO.owner}/${FAKE_REPO.repo}`,
    GITHUB_API_URL: runner.apiUrl,
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

