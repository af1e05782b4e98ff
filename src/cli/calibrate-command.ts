import { mkdir, writeFile } from 'node:fs/promises';
import { buildPlan } from '../plan/plan.js';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { demoProfile } from '../demo/demo-profile.js';
import type { RunRecord } from '../record/run-record-types.js';
import { startSampleService } from '../sample-service/sample-service.js';
import { formatResults, judge, summarize, verdictOf, type ExperimentSettings, type Trial } from '../validate/gate-experiment.js';
import { checkTargets, DEFAULT_SYNTHETIC_SETTINGS, formatSyntheticResults, runSyntheticExperiment, type SyntheticSettings, type Target } from '../validate/synthetic-experiment.js';
import { CliError, EXIT } from './cli-error.js';
import { pairedLoopbackCalibration, pairedSyntheticCalibration } from './paired-calibration.js';
import { capacityCalibration } from './capacity-calibration.js';
import { decide, DEFAULT_STORED_SEQUENTIAL_SETTINGS, formatStoredSequential, runStoredSequentialExperiment, type StoredSequentialSettings } from '../validate/stored-sequential-experiment.js';
import { executeProfile } from '../run/execute-profile.js';
import type { RunIo } from '../run/run-io.js';

export const CALIBRATE_HELP = `Usage: tailgate calibrate --synthetic [--trials 200] [--seed 1] [--threshold 10] [--json FILE]
                          [--durations 10,30,60] [--histories 1,3,5,10] [--noises 0%,3%,8%]
                          [--step-change 20%@3] [--slow-runners 10%:25% [--probe-noise 3%]]
       tailgate calibrate --synthetic --paired [--trials 200] [--seed 1] [--threshold 10] [--json FILE]
                          [--durations 10,30,60] [--noises 8%,15%] [--history 5]
                          [--sizes 0,1,2,3] [--ramp | --stall N]
                          [--pair-block 1.5s] [--pair-settle 0.5s] [--pair-order abba|random]
       tailgate calibrate --synthetic --capacity [--trials 40] [--seed 1] [--histories 3,5]
                          [--noises 3%,8%] [--loss 25%] [--json FILE]
       tailgate calibrate --synthetic --stored-sequential [--trials 200] [--aa-trials 500] [--seed 1]
                          [--histories 5,10] [--json FILE]
       tailgate calibrate [--runs 20] [--history 10] [--duration 24s] [--threshold 10] [--json FILE]
       tailgate calibrate --paired [--runs 20] [--duration 60s] [--threshold 10] [--json FILE]
                          [--sizes 0,0.5,1,2,3] [--seed 1] [--stored 5 [--stored-sizes 0,2]]
                          [--run-level 8%]

The gate's own experiment: how often it fails unchanged runs, and how often it catches a
regression. (To check a profile, use tailgate inspect.)

--synthetic: on run records drawn from a model of known truth (log-normal latencies, a slowdown
that wanders second by second, run-to-run offsets, now and then a noisy-neighbour burst), over a
grid of run lengths (10, 30, 60 s), baseline runs (1, 3, 5, 10) and run-to-run noise (0, 3, 8%),
for unchanged runs and runs 2 and 3 times the threshold slower, beside a bare ratio rule and a
Bencher-style t-test on the same records. Prints a table per size with exact 95% intervals and
the targets it is held to. Minutes, not hours (--trials 50 for a quick look). --step-change 20%@3:
the default branch got 20% slower on purpose 3 runs ago (the newest 3 history runs and every
current run are that much slower; sizes come on top). --slow-runners 10%:25%: one run in ten,
history and current alike, lands on a runner 25% slower; each run records a runner fingerprint
whose CPU probe shows its runner's speed with --probe-noise of its own (default 3%), which the
gate uses; a table gives per cell the gate's rate beside the same comparisons of records without
probes and an oracle that knew the slow runs (left the slow baseline runs out, corrected a slow
current run), the current runs on slow runners, those flagged and held back, and the baseline
runs left out for their runners.

--synthetic --capacity: the gate on the breaking point, on synthetic stress runs of known
capacity (a staircase against a target of slots × service time, whose capacity moves from run
to run by --noises): per cell of baseline runs and noise, how often an unchanged capacity fails
and how often one that lost --loss of it is caught, judged as tailgate compare judges them
(docs/analyze.md, "Gated like the rest"). A minute or two with the defaults.

--synthetic --stored-sequential: whether a run compared with a stored baseline could stop early
(docs/gate.md, "Stopping a stored-baseline run early"). Each trial draws a history and 60 s
current runs (unchanged, 1 and 2 times the threshold slower, 3% run-to-run noise); the run's
first 12, 18, ... 60 s are judged against --histories baseline runs, each look at its
O'Brien-Fleming-spent level, stopping on a regression beyond doubt or once twice the allowance is
ruled out (paired mode's rule), beside the fixed 60 s run on the same draws: --aa-trials unchanged
runs, --trials per change. Prints both designs' rates with exact 95% intervals, the run lengths,
and whether it saves time at equal calibration. Exit 0 unless the flags are wrong. Some 20 minutes
with the defaults on a shared 2-core machine.

--synthetic --paired: paired mode on paired records drawn from the same model, laid out as
tailgate run --baseline-target lays them out (blocks of head and base in ABBA order, a settle after
each switch): the per-second slowdown and bursts hit whichever arm is loaded, the run-level offset
(--noises, 8% and 15%) is the same for both and cancels. Unchanged heads and heads 1, 2 and 3
times the threshold slower, judged as tailgate compare --current paired.json judges them, beside
the stored-baseline gate on the same noise and run length (--history baseline runs; 0 leaves it
out). --sizes sets the slowdowns as multiples of the threshold (0 is A/A); with --ramp each grows
linearly from none at the start of the run to its size at the end (--sizes 0,10 --ramp: a head
slowing from +0% to +100%), a head that drifts away from its base; with --stall N only one second
in every N is slowed (a garbage-collection pause). Each table also gives how often the tail of
blocks (head's blocks beyond the base's 95th percentile of block p95s) was a finding. Exit 0 when A/A fails at most
alpha everywhere and 60 s runs catch 2x at least 95% (with --ramp: a ramp to +100% or more at
least 99%).

Without --synthetic: on loopback against the bundled sample service with the demo profile.
First --history baseline runs; then, --runs times: one more unchanged run (an A/A comparison)
and one run per injected slowdown of 0.5, 1, 2 and 3 times the threshold (A/B comparisons),
each compared with the --history unchanged runs before it, in stored-baseline mode.
Prints the gate's failure rate per injected size, with its exact 95% interval, beside what a bare
ratio rule (fail if current p95 / baseline p95 > 1 + threshold, on any step) decides on the same
runs. Takes about (history + 5 × runs) × duration (the first 2s of each run are warm-up): some
45 minutes with the defaults.

--paired (without --synthetic): paired mode on real load. Two copies of the bundled sample service on
loopback whose speed drifts together: a swing of ±10% over 40 s and a random level each second
(σ 5%), one seeded function of time (--seed) both copies read, the noise that defeats stored
baselines. --runs rounds, each one paired run of the demo profile per --sizes entry, head against
base, in a rotating order: 0 is unchanged (A/A), 0.5, 1, 2 and 3 slow the head by that many times
the threshold; each judged as tailgate compare --current paired.json judges it. Prints per size
the comparisons, gate fails with the exact 95% interval, inconclusive verdicts, the bare ratio
rule (head p95 / base p95 of the same run), the median estimated p95 change, and the runs the
generator's self-check refused, counted apart. Takes about runs × sizes × duration: some 100
minutes with the defaults. --stored N adds stored-baseline mode on the same services and noise:
first N unchanged runs of the head alone, then in each round one run of the head alone per
--stored-sizes entry (default: --sizes), judged against the N unchanged runs before it as
tailgate compare judges them; its own table follows (its figures are not held to a target).
--run-level σ (default 0%) adds a shared level held for each 90 s, log-normal with that σ: the
run-to-run shift of shared runners and preview deployments, which a run of a minute cannot
average out and which pairing cancels.

Exit codes: 0 when every target is met (real load: A/A fails at most alpha and 2× the threshold is
caught at least 90% of the time, 95% with --paired), 1 otherwise.`;

export const VALIDATE_RENAMED = 'tailgate validate is now tailgate calibrate (the gate\'s own experiment); to check a profile without load, use tailgate inspect --config FILE';

const SIZES = [0.5, 1, 2, 3];

export async function calibrateCommand(argv: string[], io: RunIo): Promise<number> {
  if (argv.includes('--synthetic') && argv.includes('--capacity')) return capacityCalibration(argv.filter((a) => a !== '--synthetic' && a !== '--capacity'), io);
  if (argv.includes('--synthetic') && argv.includes('--stored-sequential')) return storedSequentialCalibration(argv.filter((a) => a !== '--synthetic' && a !== '--stored-sequential'), io);
  if (argv.includes('--synthetic') && argv.includes('--paired')) return pairedSyntheticCalibration(argv.filter((a) => a !== '--synthetic' && a !== '--paired'), io);
  if (argv.includes('--paired')) return pairedLoopbackCalibration(argv.filter((a) => a !== '--paired'), io);
  if (argv.includes('--synthetic')) return syntheticCalibration(argv.filter((a) => a !== '--synthetic'), io);
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
    const profile = demoProfile(service.url, values.duration, io.env);
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
    io.logger.info(`calibrate: ${total} runs of about ${Math.ceil(runSeconds)} s each, about ${Math.ceil((total * runSeconds) / 60)} min in all; first ${settings.history} unchanged runs for the history`);
    const unchanged: RunRecord[] = [];
    for (let i = 0; i < settings.history; i++) {
      unchanged.push(await measure(0));
      io.logger.info(`calibrate: ${done}/${total} runs (history)`);
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
      io.logger.info(`calibrate: ${done}/${total} runs; so far ${describeTrials(trials)}`);
    }
    return await reportTrials(io, {
      trials,
      settings,
      footer: `alpha ${settings.alpha}, threshold ${settings.thresholdPct}%, history ${settings.history} runs, runs of ${values.duration} (2s warm-up), demo profile (3 steps + overall, gated tests corrected by Hommel)`,
      json: values.json,
      record: { settings, runs, duration: values.duration },
    });
  } finally {
    service.injectRegression(0, 'all');
    await service.close();
  }
}

/** Gate fails so far per size ("A/A 1/4, 2x 4/4"), and the self-check's refusals where there were any. */
export function describeTrials(trials: readonly Trial[]): string {
  return summarize(trials)
    .map((r) => `${r.size === 0 ? 'A/A' : `${r.size}x`} ${r.gateFails}/${r.trials}${r.refused > 0 ? ` (${r.refused} refused)` : ''}`)
    .join(', ');
}

/**
 * Prints a real-load experiment's table, its settings line and what it missed, writes the JSON
 * (`record`, then the rows and trials) when asked; exit 0 when A/A fails at most alpha and twice
 * the threshold was caught at least `power` of the time.
 */
export async function reportTrials(
  io: RunIo,
  report: { trials: readonly Trial[]; settings: Pick<ExperimentSettings, 'thresholdPct' | 'alpha'>; footer: string; json: string | undefined; record: Record<string, unknown>; power?: number; refusals?: boolean },
): Promise<number> {
  const rows = summarize(report.trials);
  io.stdout.write(`${formatResults(rows, report.settings, { refusals: report.refusals === true })}\n`);
  io.stdout.write(`\n${report.footer}\n`);
  const verdict = verdictOf(rows, report.settings.alpha, report.power);
  for (const problem of verdict.problems) io.logger.warn(problem);
  if (report.json) await writeExperimentJson(report.json, { ...report.record, rows, trials: report.trials });
  return verdict.ok ? EXIT.pass : EXIT.failed;
}

/** Writes an experiment's JSON (rewritten as it goes by long experiments, so a stop loses nothing). */
export async function writeExperimentJson(path: string, content: Record<string, unknown>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(content, null, 1)}\n`);
}

export function numberList(flag: string, text: string, min: number, max: number, read: (text: string) => number): number[] {
  const values = text.split(',').map((part) => read(part.trim()));
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v < min || v > max)) {
    throw new CliError(`${flag} must be a comma-separated list of values from ${min} to ${max} (got "${text}")`);
  }
  return values;
}

export function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`${flag} must be a whole number from ${min} to ${max} (got "${text}")`);
  return n;
}

/** Logs "done/total trials, about N s left" at most every 5 s, and at the end. */
export function trialProgress(io: RunIo, label: string, started: number): (done: number, total: number) => void {
  let lastReport = started;
  return (done, total) => {
    const now = Date.now();
    if (now - lastReport < 5_000 && done < total) return;
    lastReport = now;
    const rate = done / Math.max(1, now - started);
    io.logger.info(`${label}: ${done}/${total} trials, about ${Math.ceil((total - done) / rate / 1000)} s left`);
  };
}

async function syntheticCalibration(argv: string[], io: RunIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      trials: { type: 'string', default: String(DEFAULT_SYNTHETIC_SETTINGS.trials) },
      seed: { type: 'string', default: String(DEFAULT_SYNTHETIC_SETTINGS.seed) },
      threshold: { type: 'string', default: String(DEFAULT_SYNTHETIC_SETTINGS.thresholdPct) },
      durations: { type: 'string', default: DEFAULT_SYNTHETIC_SETTINGS.durations.join(',') },
      histories: { type: 'string', default: DEFAULT_SYNTHETIC_SETTINGS.histories.join(',') },
      noises: { type: 'string', default: DEFAULT_SYNTHETIC_SETTINGS.runNoises.map((n) => `${n * 100}%`).join(',') },
      'step-change': { type: 'string' },
      'slow-runners': { type: 'string' },
      'probe-noise': { type: 'string' },
      json: { type: 'string' },
    },
    strict: true,
  });
  if (values['probe-noise'] !== undefined && values['slow-runners'] === undefined) throw new CliError('--probe-noise goes with --slow-runners (the probe shows which runs landed on a slow runner)');
  const settings: SyntheticSettings = {
    ...(values['step-change'] !== undefined ? { stepChange: stepChangeFlag(values['step-change']) } : {}),
    ...(values['slow-runners'] !== undefined ? { slowRunners: { ...slowRunnersFlag(values['slow-runners']), ...(values['probe-noise'] !== undefined ? { probeNoise: probeNoiseFlag(values['probe-noise']) } : {}) } } : {}),
    ...DEFAULT_SYNTHETIC_SETTINGS,
    durations: numberList('--durations', values.durations, 1, 3600, (text) => Number(text.replace(/s$/, ''))),
    histories: numberList('--histories', values.histories, 1, 50, Number),
    runNoises: numberList('--noises', values.noises, 0, 1, (text) => Number(text.replace(/%$/, '')) / 100),
    trials: wholeNumber('--trials', values.trials, 1, 10_000),
    seed: wholeNumber('--seed', values.seed, 0, 2 ** 31),
    thresholdPct: wholeNumber('--threshold', values.threshold, 1, 90),
  };
  const groups = settings.durations.length * settings.runNoises.length;
  io.logger.info(
    `calibrate --synthetic: ${settings.trials} trials in each of ${groups} groups of run length and noise (${settings.histories.length} history sizes and ${settings.sizes.length} sizes each), seed ${settings.seed}`,
  );
  const started = Date.now();
  const results = runSyntheticExperiment(settings, trialProgress(io, 'calibrate --synthetic', started));
  return reportGrid(io, { table: formatSyntheticResults(results, settings), targets: checkTargets(results, settings), settings, results, started, json: values.json });
}

/** `calibrate --synthetic --stored-sequential`: the stored-baseline sequential design beside the fixed run; a report, no target. */
async function storedSequentialCalibration(argv: string[], io: RunIo): Promise<number> {
  const defaults = DEFAULT_STORED_SEQUENTIAL_SETTINGS;
  const { values } = parseArgs({
    args: argv,
    options: {
      trials: { type: 'string', default: String(defaults.changeTrials) },
      'aa-trials': { type: 'string', default: String(defaults.unchangedTrials) },
      seed: { type: 'string', default: String(defaults.seed) },
      histories: { type: 'string', default: defaults.histories.join(',') },
      json: { type: 'string' },
    },
    strict: true,
  });
  const settings: StoredSequentialSettings = {
    ...defaults,
    changeTrials: wholeNumber('--trials', values.trials, 1, 10_000),
    unchangedTrials: wholeNumber('--aa-trials', values['aa-trials'], 1, 10_000),
    seed: wholeNumber('--seed', values.seed, 0, 2 ** 31),
    histories: numberList('--histories', values.histories, 1, 50, Number),
  };
  io.logger.info(`calibrate --synthetic --stored-sequential: ${settings.unchangedTrials} unchanged and ${settings.changeTrials} changed runs per change and history size, seed ${settings.seed}`);
  const started = Date.now();
  const cells = runStoredSequentialExperiment(settings, trialProgress(io, 'calibrate --synthetic --stored-sequential', started));
  const decision = decide(cells, settings);
  const answer = decision.keep ? 'It saves time at equal calibration.' : `Not at equal calibration: ${decision.reasons.join('; ')}.`;
  io.stdout.write(`${formatStoredSequential(cells, settings)}\n\n${answer}\n\n${Math.round((Date.now() - started) / 1000)} s\n`);
  if (values.json) await writeExperimentJson(values.json, { settings, results: cells, decision });
  return EXIT.pass;
}

/** `--step-change 20%@3`: the level moved by +20% three runs ago. */
function stepChangeFlag(text: string): { factor: number; runsAgo: number } {
  const match = /^(-?\d+(?:\.\d+)?)%@(\d+)$/.exec(text.trim());
  const pct = Number(match?.[1]);
  const runsAgo = Number(match?.[2]);
  if (!match || !(pct > -90 && pct <= 500) || !(runsAgo >= 1 && runsAgo <= 50)) throw new CliError(`--step-change must be PERCENT%@RUNS, like 20%@3 (a 20% slower level from 3 runs ago; -90% to 500%, 1 to 50 runs) (got "${text}")`);
  return { factor: 1 + pct / 100, runsAgo };
}

/** `--slow-runners 10%:25%`: one run in ten on a runner 25% slower. */
function slowRunnersFlag(text: string): { share: number; factor: number } {
  const match = /^(\d+(?:\.\d+)?)%:(\d+(?:\.\d+)?)%$/.exec(text.trim());
  const share = Number(match?.[1]) / 100;
  const pct = Number(match?.[2]);
  if (!match || !(share > 0 && share < 1) || !(pct > 0 && pct <= 500)) throw new CliError(`--slow-runners must be SHARE%:SLOWER%, like 10%:25% (one run in ten on a runner 25% slower) (got "${text}")`);
  return { share, factor: 1 + pct / 100 };
}

/** `--probe-noise 3%`: σ of the log of each run's CPU probe, 0 to 50%. */
function probeNoiseFlag(text: string): number {
  const match = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  const pct = Number(match?.[1]);
  if (!match || !(pct >= 0 && pct <= 50)) throw new CliError(`--probe-noise must be a percentage from 0% to 50%, like 3% (got "${text}")`);
  return pct / 100;
}

/**
 * Prints a synthetic grid's tables, its targets met or not and the settings line, writes the
 * JSON when asked; exit 0 when every target is met.
 */
export async function reportGrid(
  io: RunIo,
  grid: { table: string; targets: readonly Target[]; settings: { alpha: number; thresholdPct: number; trials: number; seed: number }; results: unknown; started: number; json: string | undefined },
): Promise<number> {
  const { settings, targets } = grid;
  io.stdout.write(`${grid.table}\n\n`);
  for (const target of targets) io.stdout.write(`${target.met ? 'met' : 'NOT met'}: ${target.description}. ${target.detail}\n`);
  io.stdout.write(`\nalpha ${settings.alpha}, threshold ${settings.thresholdPct}%, ${settings.trials} trials per cell, seed ${settings.seed}, ${Math.round((Date.now() - grid.started) / 1000)} s\n`);
  if (grid.json) await writeExperimentJson(grid.json, { settings, results: grid.results, targets });
  return targets.every((t) => t.met) ? EXIT.pass : EXIT.failed;
}
