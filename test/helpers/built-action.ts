import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The built Action and what a runner gives it, shared by the end-to-end tests. */
const root = join(import.meta.dirname, '../..');
export const ACTION = join(root, 'dist/index.js');
export const EVENTS_DIR = join(root, 'test/fixtures/events');

/**
 * An event fixture of test/fixtures/events, changed by `patch`, written as a new file in
 * `workspace` for GITHUB_EVENT_PATH; returns its path.
 */
export function writeEvent(workspace: string, file: string, patch: (payload: Record<string, any>) => void = () => {}): string {
  const payload = JSON.parse(readFileSync(join(EVENTS_DIR, file), 'utf8')) as Record<string, any>;
  patch(payload);
  const path = join(workspace, `event-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(payload));
  return path;
}

/** Every input as the runner passes it: INPUT_<NAME> (hyphens kept), action.yml's default filled in. */
export function defaultInputEnv(): Record<string, string> {
  const actionYml = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
  return Object.fromEntries(Object.entries(actionYml.inputs).map(([name, spec]) => [`INPUT_${name.toUpperCase()}`, spec.default ?? '']));
}

/** A short shop profile for the sample service: by default about 5 s, four 1 s blocks measured. */
export function shopProfile(extra = '', load: { rate?: number; duration?: string } = {}): string {
  return `name: shop
scenarios:
  steady:
    executor: constant-arrival-rate
    rate: ${load.rate ?? 120}
    duration: ${load.duration ?? '4s'}
    preAllocatedVUs: 10
    maxVUs: 60
warmup: 1s
block: 1s
journeys:
  shopper:
    steps:
      - name: list
        request: GET /api/products
        capture: { id: "$.items[2].id" }
      - name: detail
        request: GET /api/products/{{ id }}
${extra}`;
}

/** The inputs the tests of the shop profile's flow give the step: its config, target, a file baseline, a token. */
export function shopInputs(workspace: string, targetUrl: string): Record<string, string> {
  return {
    config: join(workspace, 'tailgate.yml'),
    'target-url': targetUrl,
    'baseline-storage': 'file',
    'baseline-file': join(workspace, 'baselines', 'shop.json'),
    'github-token': 'ghs_fake_token_for_tests',
    'wait-timeout': '10',
  };
}

/**
 * Runs dist/index.js with exactly this environment (plus an idle self-check, so a busy machine
 * cannot make its runs invalid and its verdicts inconclusive); resolves with its exit code and log.
 */
export async function spawnAction(env: Record<string, string>, cwd: string): Promise<{ code: number | null; log: string }> {
  const child = spawn(process.execPath, [ACTION], { env: { TAILGATE_SELF_CHECK: 'idle', ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr.on('data', (c: Buffer) => (log += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, log };
}

export interface RunnerStep {
  /** The job's workspace: the step's cwd, GITHUB_WORKSPACE, and where each step's files go. */
  workspace: string;
  /** The GitHub API the step talks to (a fake speaking real HTTP). */
  apiUrl: string;
  repository: string;
  eventName: string;
  eventPath: string;
  ref: string;
  sha: string;
  /** Inputs by name as in action.yml (hyphens kept); the others get action.yml's defaults. */
  inputs: Record<string, string>;
  /** The generator's real self-check instead of the idle one (see `spawnAction`). */
  realSelfCheck?: boolean;
  /** The step's own `env:` (secrets passed to the profile), and runner variables a test sets. */
  env?: Record<string, string>;
}

export interface StepResult {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/**
 * Runs dist/index.js as a GitHub-hosted runner runs a step: every input as INPUT_<NAME>, the
 * event in GITHUB_EVENT_PATH, outputs and the job summary to fresh files, a RUNNER_TEMP of its own.
 */
export async function runBuiltAction(step: RunnerStep): Promise<StepResult> {
  const dir = mkdtempSync(join(step.workspace, 'step-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const runnerTemp = join(dir, 'runner-temp');
  mkdirSync(runnerTemp);
  const env: Record<string, string> = {
    ...defaultInputEnv(),
    PATH: process.env.PATH ?? '',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: step.eventName,
    GITHUB_EVENT_PATH: step.eventPath,
    GITHUB_REF: step.ref,
    GITHUB_SHA: step.sha,
    GITHUB_REPOSITORY: step.repository,
    GITHUB_API_URL: step.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: String(1000 + Math.floor(Math.random() * 1000)),
    GITHUB_WORKSPACE: step.workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    RUNNER_NAME: 'test-runner',
    ...(step.realSelfCheck ? { TAILGATE_SELF_CHECK: '' } : {}),
    ...step.env,
  };
  for (const [name, value] of Object.entries(step.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const { code, log: stdout } = await spawnAction(env, step.workspace);
  return { code, stdout, outputs: parseOutputs(readFileSync(outputFile, 'utf8')), summary: readFileSync(summaryFile, 'utf8') };
}

/** GITHUB_OUTPUT's heredoc format: name<<DELIMITER, lines, DELIMITER. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] as string);
    if (!match) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i] as string);
    outputs[match[1] as string] = value.join('\n');
  }
  return outputs;
}
