import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Profile } from '../config/profile-types.js';
import { compareOptionsFromProfile } from '../compare/regression-config.js';
import { checkThresholds, evaluateThresholds } from '../compare/thresholds.js';
import { loadProfile } from '../config/load-profile.js';
import { monotonicClock } from '../engine/clock.js';
import { LoadRun, type RunContext } from '../engine/engine.js';
import { createHttpClient } from '../engine/http-client.js';
import { checkReachable } from '../engine/reachability.js';
import type { Logger } from '../logging.js';
import { buildPlan } from '../plan/plan.js';
import { parseShard } from '../plan/shard.js';
import type { RunRecord } from '../record/run-record-types.js';
import { CliError, EXIT } from './cli-error.js';
import { startProgress } from './progress.js';
import { formatRunSummary } from './run-summary.js';
import { formatThresholds } from './comparison-table.js';

export const RUN_HELP = `Usage: tailgate run --config FILE [--target URL] [--out FILE] [--shard I/N]

Runs the load profile in FILE against the target and prints a summary per step.

  --config FILE   the profile (YAML); see schema/tailgate.schema.json
  --target URL    where the load goes; overrides the file's target
  --out FILE      write the run record (tailgate.run/v1 JSON) here
  --shard I/N     run shard I of N: 1/N of the load, for merging later
  --quiet         no live progress

Progress goes to stderr: a bar on a terminal, a line every 5 s otherwise.
Ctrl-C stops the load, keeps what was measured and still writes the record.
Thresholds (absolute SLOs) in the profile are checked after the run.
Exit codes: 0 done, 1 a threshold was broken, 2 could not run (or interrupted).`;

/** The outside world a run command needs; the CLI passes the real one, tests their own. */
export interface RunIo {
  env: Record<string, string | undefined>;
  logger: Logger;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
  isTty: boolean;
}

export async function runCommand(argv: string[], io: RunIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      target: { type: 'string' },
      out: { type: 'string' },
      shard: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.config) throw new CliError('tailgate run needs --config FILE (the load profile, e.g. tailgate.yml)');
  const profile = await loadProfile(values.config, { env: io.env, ...(values.target ? { target: values.target } : {}) });
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (shard instanceof Error) throw new CliError(`--shard: ${shard.message}`);
  // Settings read only after the run are checked now, so a typo cannot waste a long run.
  checkThresholds(profile.thresholds);
  compareOptionsFromProfile(profile);
  const record = await executeProfile(profile, io, { ...(shard ? { shard } : {}), quiet: values.quiet });
  if (values.out) {
    await writeFile(values.out, `${JSON.stringify(record, null, 1)}\n`);
    io.logger.info(`run record written to ${values.out}`);
  }
  io.stdout.write(`${formatRunSummary(record)}\n`);
  if (record.meta.interrupted) return EXIT.couldNotRun;
  const thresholds = evaluateThresholds(record, profile.thresholds);
  if (thresholds.length > 0) io.stdout.write(`\n${formatThresholds(thresholds)}\n`);
  return thresholds.some((t) => t.status === 'broken') ? EXIT.failed : EXIT.pass;
}

/**
 * Runs a loaded profile with the real clock and network, progress on stderr, and Ctrl-C or
 * SIGTERM turned into a clean stop. Refuses to start against an unreachable target.
 */
export async function executeProfile(
  profile: Profile,
  io: RunIo,
  options: { shard?: { index: number; count: number }; quiet?: boolean } = {},
): Promise<RunRecord> {
  const plan = buildPlan(profile, options.shard);
  const problem = await checkReachable(plan.origin);
  if (problem) throw new CliError(`the target ${plan.origin} is unreachable: ${problem}. Start it, or pass the right --target`);
  const http = createHttpClient(plan.origin, { connections: Math.max(1, plan.maxConcurrency) });
  const run = new LoadRun(plan, { clock: monotonicClock(), http, random: Math.random });
  const onSignal = (signal: NodeJS.Signals): void => {
    io.logger.warn(`${signal}: stopping the load, keeping what was measured`);
    run.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = options.quiet ? undefined : startProgress(() => run.progress(), io.stderr, { tty: io.isTty });
  io.logger.info(
    `tailgate: ${profile.id} -> ${plan.origin}${plan.basePath}: ${plan.scenarios.length} scenario(s), ${(plan.durationMs / 1000).toFixed(0)}s${plan.shard ? `, shard ${plan.shard.index}/${plan.shard.count}` : ''}`,
  );
  try {
    return await run.run(runContext(plan.origin + plan.basePath, io.env));
  } finally {
    progress?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** What the CI environment says about this run (GitHub Actions' variables, when present). */
export function runContext(target: string, env: Record<string, string | undefined>): RunContext {
  return {
    target,
    ...(env.GITHUB_SHA ? { commit: env.GITHUB_SHA } : {}),
    ...(env.GITHUB_REF ? { ref: env.GITHUB_REF } : {}),
    ...(env.GITHUB_RUN_ID ? { runId: env.GITHUB_RUN_ID } : {}),
    ...(env.RUNNER_NAME ? { runner: `${env.RUNNER_NAME}${env.RUNNER_OS ? ` (${env.RUNNER_OS})` : ''}` } : {}),
  };
}
