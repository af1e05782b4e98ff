import { mkdir, writeFile } from 'node:fs/promises';
import { buildPlan } from '../plan/plan.js';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { parseProfile } from '../config/load-profile.js';
import { DEMO_PROFILE_YAML } from '../demo/demo-profile.js';
import type { RunRecord } from '../record/run-record-types.js';
import { startSampleService } from '../sample-service/sample-service.js';
import { formatResults, judge, summarize, verdictOf, type ExperimentSettings, type Trial } from '../validate/gate-experiment.js';
import { CliError, EXIT } from './cli-error.js';
import { executeProfile, type RunIo } from '../run/execute-profile.js';

export const VALIDATE_HELP = `Usage: tailgate validate [--runs 20] [--history 10] [--duration 24s] [--threshold 10] [--json FILE]

The gate's own experiment, on loopback against the bundled sample service with the demo profile.
First --history baseline runs; then, --runs times: one more unchanged run (an A/A comparison)
and one run per injected slowdown of 0.5, 1, 2 and 3 times the threshold (A/B comparisons),
each compared with the --history unchanged runs before it, in stored-baseline mode.
Prints the gate's failure rate per injected size, with its exact 95% interval, beside what a bare
ratio rule (fail if current p95 / baseline p95 > 1 + threshold, on any step) decides on the same
runs. Takes about (history + 5 × runs) × duration (the first 2s of each run are warm-up): some
45 minutes with the defaults.

Exit codes: 0 when A/A fails at most alpha and 2× the threshold is caught at least 90% of the time,
1 otherwise.`;

const SIZES = [0.5, 1, 2, 3];

export async function validateCommand(argv: string[], io: RunIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '20' },
      history: { type: 'string', default: '10' },
      duration: { type: 'string', default: '24s' },
      threshold: { type: 'string', default: '10' },
      json: { type: 'string' },
    },
    strict: true,
  });
  const runs = wholeNumber('--runs', values.runs, 1, 500);
  const settings: ExperimentSettings = { thresholdPct: wholeNumber('--threshold', values.threshold, 1, 90), alpha: 0.05, history: wholeNumber('--history', values.history, 1, 50) };
  const service = await startSampleService();
  try {
    const profile = parseProfile(DEMO_PROFILE_YAML, { file: 'demo.yml', env: { ...io.env, TARGET_URL: service.url, DEMO_DURATION: values.duration } });
    const total = settings.history + runs * (1 + SIZES.length);
    let done = 0;
    const measure = async (slowdown: number): Promise<RunRecord> => {
      service.injectRegression(slowdown, 'all');
      const record = await executeProfile(profile, { ...io, logger: { ...io.logger, info: () => {} } }, { quiet: true });
      done++;
      if (record.meta.interrupted) throw new CliError('interrupted');
      return record;
    };
    const runSeconds = buildPlan(profile).durationMs / 1000;
    io.logger.info(`validate: ${total} runs of about ${Math.ceil(runSeconds)} s each, about ${Math.ceil((total * runSeconds) / 60)} min in all; first ${settings.history} unchanged runs for the history`);
    const unchanged: RunRecord[] = [];
    for (let i = 0; i < settings.history; i++) {
      unchanged.push(await measure(0));
      io.logger.info(`validate: ${done}/${total} runs (history)`);
    }
    const trials: Trial[] = [];
    for (let i = 0; i < runs; i++) {
      const history = unchanged.slice(-settings.history);
      const current = await measure(0);
      trials.push(judge(0, current, history, settings));
      // Injected sizes in a rotating order, so slow drifts of the machine hit every size alike.
      for (let k = 0; k < SIZES.length; k++) {
        const size = SIZES[(i + k) % SIZES.length] as number;
        trials.push(judge(size, await measure((size * settings.thresholdPct) / 100), history, settings));
      }
      unchanged.push(current);
      io.logger.info(`validate: ${done}/${total} runs; so far ${describe(trials)}`);
    }
    const rows = summarize(trials);
    io.stdout.write(`${formatResults(rows, settings)}\n`);
    io.stdout.write(`\nalpha ${settings.alpha}, threshold ${settings.thresholdPct}%, history ${settings.history} runs, runs of ${values.duration} (2s warm-up), demo profile (3 steps + overall, 12 gated tests under Holm)\n`);
    const verdict = verdictOf(rows, settings.alpha);
    for (const problem of verdict.problems) io.logger.warn(problem);
    if (values.json) {
      await mkdir(dirname(values.json), { recursive: true });
      await writeFile(values.json, `${JSON.stringify({ settings, runs, duration: values.duration, rows, trials }, null, 1)}\n`);
    }
    return verdict.ok ? EXIT.pass : EXIT.failed;
  } finally {
    service.injectRegression(0, 'all');
    await service.close();
  }
}

function describe(trials: readonly Trial[]): string {
  return summarize(trials)
    .map((r) => `${r.size === 0 ? 'A/A' : `${r.size}x`} ${r.gateFails}/${r.trials}`)
    .join(', ');
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`${flag} must be a whole number from ${min} to ${max} (got "${text}")`);
  return n;
}
