import { parseArgs } from 'node:util';
import { demoProfile } from '../demo/demo-profile.js';
import { buildPlan } from '../plan/plan.js';
import { executePaired } from '../run/execute-paired.js';
import { executeProfile } from '../run/execute-profile.js';
import type { RunIo } from '../run/run-io.js';
import type { RunRecord } from '../record/run-record-types.js';
import { startSampleService } from '../sample-service/sample-service.js';
import { formatResults, judge, judgePaired, summarize, type Trial } from '../validate/gate-experiment.js';
import { DEFAULT_SHARED_DRIFT, sharedDrift, type SharedDriftSettings } from '../validate/shared-drift.js';
import { CliError } from './cli-error.js';
import { checkPairedTargets, DEFAULT_PAIRED_SYNTHETIC_SETTINGS, formatPairedSyntheticResults, runPairedSyntheticExperiment, type PairedSyntheticSettings } from '../validate/paired-experiment.js';
import { describeTrials, numberList, reportGrid, reportTrials, trialProgress, wholeNumber, writeExperimentJson } from './calibrate-command.js';
import { pairingFlags } from './paired-run.js';

/** Unchanged heads (0) and heads slowed by these multiples of the threshold. */
const PAIRED_SIZES = [0, 0.5, 1, 2, 3];

/** `tailgate calibrate --synthetic --paired`: paired mode's grid on synthetic paired records (see CALIBRATE_HELP). */
export async function pairedSyntheticCalibration(argv: string[], io: RunIo): Promise<number> {
  const defaults = DEFAULT_PAIRED_SYNTHETIC_SETTINGS;
  const { values } = parseArgs({
    args: argv,
    options: {
      trials: { type: 'string', default: String(defaults.trials) },
      seed: { type: 'string', default: String(defaults.seed) },
      threshold: { type: 'string', default: String(defaults.thresholdPct) },
      durations: { type: 'string', default: defaults.durations.join(',') },
      noises: { type: 'string', default: defaults.runNoises.map((n) => `${n * 100}%`).join(',') },
      history: { type: 'string', default: String(defaults.storedHistory) },
      sizes: { type: 'string', default: defaults.sizes.join(',') },
      ramp: { type: 'boolean', default: false },
      stall: { type: 'string', default: '0' },
      'pair-block': { type: 'string' },
      'pair-settle': { type: 'string' },
      'pair-order': { type: 'string' },
      json: { type: 'string' },
    },
    strict: true,
  });
  const settings: PairedSyntheticSettings = {
    ...defaults,
    durations: numberList('--durations', values.durations, 1, 3600, (text) => Number(text.replace(/s$/, ''))),
    runNoises: numberList('--noises', values.noises, 0, 1, (text) => Number(text.replace(/%$/, '')) / 100),
    trials: wholeNumber('--trials', values.trials, 1, 10_000),
    seed: wholeNumber('--seed', values.seed, 0, 2 ** 31),
    thresholdPct: wholeNumber('--threshold', values.threshold, 1, 90),
    storedHistory: wholeNumber('--history', values.history, 0, 50),
    sizes: numberList('--sizes', values.sizes, 0, 100, Number),
    ramp: values.ramp,
    stallEverySeconds: wholeNumber('--stall', values.stall, 0, 3600),
    pairing: pairingFlags(values),
  };
  const groups = settings.durations.length * settings.runNoises.length;
  io.logger.info(`calibrate --synthetic --paired: ${settings.trials} trials in each of ${groups} groups of run length and run-level offset (${settings.sizes.length} sizes each${settings.ramp ? ', each slowdown a ramp from none to its size' : ''}), seed ${settings.seed}`);
  const started = Date.now();
  const results = runPairedSyntheticExperiment(settings, trialProgress(io, 'calibrate --synthetic --paired', started));
  return reportGrid(io, { table: formatPairedSyntheticResults(results, settings), targets: checkPairedTargets(results, settings), settings, results, started, json: values.json });
}

/**
 * `tailgate calibrate --paired`: paired mode on real load (see CALIBRATE_HELP). Two copies of the
 * sample service on loopback, whose speed drifts together (`shared-drift.ts`); each round runs
 * the demo profile paired, head against base, once per size: unchanged (A/A) and the head slowed
 * by multiples of the threshold, each judged as `tailgate compare --current paired.json` judges it.
 * With `--stored N`, stored-baseline mode on the same noise beside it: first N unchanged runs of
 * the head alone, then in each round one run of the head alone per `--stored-sizes` entry, judged
 * against the N unchanged runs before it as `tailgate compare` judges them.
 */
export async function pairedLoopbackCalibration(argv: string[], io: RunIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '20' },
      duration: { type: 'string', default: '60s' },
      threshold: { type: 'string', default: '10' },
      sizes: { type: 'string', default: PAIRED_SIZES.join(',') },
      seed: { type: 'string', default: String(DEFAULT_SHARED_DRIFT.seed) },
      stored: { type: 'string', default: '0' },
      'stored-sizes': { type: 'string' },
      'run-level': { type: 'string', default: '0%' },
      json: { type: 'string' },
    },
    strict: true,
  });
  const runs = wholeNumber('--runs', values.runs, 1, 500);
  const sizes = numberList('--sizes', values.sizes, 0, 10, Number);
  const history = wholeNumber('--stored', values.stored, 0, 50);
  if (history === 0 && values['stored-sizes'] !== undefined) throw new CliError('--stored-sizes needs --stored N, the number of unchanged baseline runs to judge them against (e.g. --stored 5)');
  const storedSizes = history > 0 ? numberList('--stored-sizes', values['stored-sizes'] ?? values.sizes, 0, 10, Number) : [];
  const settings = { thresholdPct: wholeNumber('--threshold', values.threshold, 1, 90), alpha: 0.05 };
  const runLevel = /^(\d+(?:\.\d+)?)%$/.exec(values['run-level']);
  if (!runLevel || Number(runLevel[1]) > 50) throw new CliError(`--run-level must be a percentage from 0% to 50%: the σ of a level both services hold for each ${DEFAULT_SHARED_DRIFT.runSegmentMs / 1000} s (got "${values['run-level']}")`);
  const runSigma = Number(runLevel[1]) / 100;
  const drift: SharedDriftSettings = { ...DEFAULT_SHARED_DRIFT, seed: wholeNumber('--seed', values.seed, 0, 2 ** 31), runSigma };
  const multiplier = sharedDrift(drift);
  const started = performance.now();
  // Both copies read one function of one clock: at any moment they are equally fast.
  const speed = (): number => multiplier(performance.now() - started);
  const [head, base] = await Promise.all([startSampleService({ speed }), startSampleService({ speed })]);
  try {
    // The latency gate is what is measured: the demo's scrape of /metrics is left out (a paired run
    // cannot scrape, and the stored arms would differ from the paired ones by it).
    const { metrics: _scrape, ...profile } = demoProfile(head.url, values.duration, io.env);
    const arms: Arm[] = [...sizes.map((size) => ({ mode: 'paired' as const, size })), ...storedSizes.map((size) => ({ mode: 'stored' as const, size }))];
    const total = history + runs * arms.length;
    const runSeconds = buildPlan(profile).durationMs / 1000;
    const held = drift.runSigma > 0 ? `, a level held for each ${drift.runSegmentMs / 1000} s of σ ${drift.runSigma * 100}%` : '';
    const noise = `a swing of ±${drift.swing * 100}% over ${drift.periodMs / 1000} s and a level each second of σ ${drift.secondSigma * 100}%${held}, seed ${drift.seed}`;
    io.logger.info(
      `calibrate --paired: ${runs * sizes.length} paired runs${history > 0 ? ` and ${history + runs * storedSizes.length} stored-baseline runs` : ''} of about ${Math.ceil(runSeconds)} s each, about ${Math.ceil((total * runSeconds) / 60)} min in all; two copies of the sample service drifting together (${noise})`,
    );
    const quiet: RunIo = { ...io, logger: { ...io.logger, info: () => {} } };
    const slowHead = (size: number): void => head.injectRegression((size * settings.thresholdPct) / 100, 'all');
    const alone = async (size: number): Promise<RunRecord> => {
      slowHead(size);
      const record = await executeProfile(profile, quiet, { quiet: true });
      if (record.meta.interrupted) throw new CliError('interrupted');
      return record;
    };
    const unchanged: RunRecord[] = [];
    for (let i = 0; i < history; i++) {
      unchanged.push(await alone(0));
      io.logger.info(`calibrate --paired: ${i + 1}/${total} runs (stored baseline history)`);
    }
    const trials: Trial[] = [];
    const stored: Trial[] = [];
    const record = { settings, runs, duration: values.duration, sizes, drift, ...(history > 0 ? { stored: { history, sizes: storedSizes } } : {}) };
    const written = (): Record<string, unknown> => ({ ...record, ...(history > 0 ? { storedRows: summarize(stored), storedTrials: stored } : {}) });
    for (let i = 0; i < runs; i++) {
      const window = unchanged.slice(-history);
      // Arms in a rotating order, so the machine's own slow drifts hit every size and mode alike.
      for (let k = 0; k < arms.length; k++) {
        const arm = arms[(i + k) % arms.length] as Arm;
        if (arm.mode === 'stored') {
          const current = await alone(arm.size);
          stored.push(judge(arm.size, current, window, { ...settings, history }, { refusals: true }));
          if (arm.size === 0) unchanged.push(current);
        } else {
          slowHead(arm.size);
          const began = performance.now();
          const paired = await executePaired(profile, base.url, quiet, { quiet: true });
          if (paired.head.meta.interrupted) throw new CliError('interrupted');
          trials.push({ ...judgePaired(arm.size, paired, settings), wallSeconds: (performance.now() - began) / 1000 });
        }
        const done = history + i * arms.length + k + 1;
        io.logger.info(`calibrate --paired: ${done}/${total} runs (round ${i + 1} of ${runs}); so far ${describeTrials(trials)}${history > 0 ? `; stored ${describeTrials(stored)}` : ''}`);
      }
      if (values.json && i + 1 < runs) await writeExperimentJson(values.json, { ...written(), partial: `${i + 1} of ${runs} rounds`, rows: summarize(trials), trials });
    }
    const footer = `alpha ${settings.alpha}, threshold ${settings.thresholdPct}%, paired runs of ${values.duration} (2s warm-up), demo profile (3 steps + overall, gated tests corrected by Hommel); head and base drift together: ${noise}`;
    const storedSection =
      history > 0
        ? `\nStored-baseline mode on the same services and noise: runs of the head alone, each judged against the ${history} unchanged runs before it.\n\n${formatResults(summarize(stored), settings, { refusals: true })}\n`
        : '';
    return await reportTrials(io, { trials, settings, power: 0.95, refusals: true, footer: `${footer}\n${storedSection}`, json: values.json, record: written() });
  } finally {
    head.injectRegression(0, 'all');
    await Promise.all([head.close(), base.close()]);
  }
}

/** One kind of run in a round: paired (head against base in one run) or the head alone (stored baseline). */
interface Arm {
  mode: 'paired' | 'stored';
  size: number;
}
