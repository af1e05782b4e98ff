import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSampleService, type SampleService } from '../../src/sample-service/sample-service.js';
import { defaultInputEnv, EVENTS_DIR, spawnAction } from './built-action.js';
import { startFakeActionsServices, type FakeActionsServices, type FakeRun } from './fake-actions-services.js';

export interface AutoStoreJobResult {
  code: number | null;
  log: string;
  /** GITHUB_OUTPUT as written (heredoc format). */
  outputs: string;
  summary: string;
}

/**
 * A runner for the built Action with `baseline-storage: auto`: the sample service to load, the
 * stand-in Actions cache and artifact services (blobs in Azurite), and a workspace holding the
 * given profiles (`tailgate.yml` is the default config). Started once per test file.
 */
export interface AutoStoreRunner {
  service: SampleService;
  actions: FakeActionsServices;
  workspace: string;
  /** The runner's RUNNER_TEMP, shared by the jobs that are not shards. */
  runnerTemp: string;
  /** Runs dist/index.js as a job of `run`; `extra` sets or overrides environment variables (INPUT_*). */
  runJob(run: FakeRun, eventFile: string, extra?: Record<string, string>): Promise<AutoStoreJobResult>;
  close(): Promise<void>;
}

export async function startAutoStoreRunner(profiles: Record<string, string>): Promise<AutoStoreRunner> {
  const service = await startSampleService();
  let actions: FakeActionsServices;
  try {
    actions = await startFakeActionsServices();
  } catch (error) {
    await service.close();
    throw error;
  }
  const workspace = mkdtempSync(join(tmpdir(), 'tailgate-stores-e2e-'));
  // Cache versions include the archived path: jobs on one runner image share RUNNER_TEMP's path.
  const runnerTemp = join(workspace, 'runner-temp');
  mkdirSync(runnerTemp);
  for (const [file, text] of Object.entries(profiles)) writeFileSync(join(workspace, file), text);

  async function runJob(run: FakeRun, eventFile: string, extra: Record<string, string> = {}): Promise<AutoStoreJobResult> {
    // Shard jobs run side by side, each on its own runner: their own files and temp directory.
    const job = extra.INPUT_SHARD === undefined ? `${run.id}` : `${run.id}-shard-${extra.INPUT_SHARD.replace('/', '-of-')}`;
    const temp = extra.INPUT_SHARD === undefined ? runnerTemp : join(workspace, `runner-temp-${job}`);
    mkdirSync(temp, { recursive: true });
    const outputFile = join(workspace, `output-${job}`);
    const summaryFile = join(workspace, `summary-${job}`);
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', CI: 'true', RUNNER_OS: 'Linux' };
    for (const [name, value] of Object.entries(run.jobEnv({ workspace, temp }))) if (value !== undefined) env[name] = value;
    Object.assign(env, defaultInputEnv());
    Object.assign(env, {
      GITHUB_EVENT_PATH: eventFile.startsWith('/') ? eventFile : join(EVENTS_DIR, eventFile),
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      INPUT_CONFIG: join(workspace, 'tailgate.yml'),
      'INPUT_TARGET-URL': service.url,
      'INPUT_BASELINE-STORAGE': 'auto',
      'INPUT_GITHUB-TOKEN': actions.token,
      INPUT_COMMENT: 'never',
      INPUT_CHECK: 'false',
      ...extra,
    });
    const { code, log } = await spawnAction(env, workspace);
    return { code, log, outputs: readFileSync(outputFile, 'utf8'), summary: readFileSync(summaryFile, 'utf8') };
  }

  return {
    service,
    actions,
    workspace,
    runnerTemp,
    runJob,
    close: async () => {
      await service.close();
      await actions.close();
    },
  };
}
