import { parseArgs } from 'node:util';
import type { RunIo } from '../run/execute-profile.js';
import { checkPairedTargets, DEFAULT_PAIRED_SYNTHETIC_SETTINGS, formatPairedSyntheticResults, runPairedSyntheticExperiment, type PairedSyntheticSettings } from '../validate/paired-experiment.js';
import { numberList, reportGrid, trialProgress, wholeNumber } from './calibrate-command.js';
import { pairingFlags } from './paired-run.js';

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
    pairing: pairingFlags(values),
  };
  const groups = settings.durations.length * settings.runNoises.length;
  io.logger.info(`calibrate --synthetic --paired: ${settings.trials} trials in each of ${groups} groups of run length and run-level offset (${settings.sizes.length} sizes each), seed ${settings.seed}`);
  const started = Date.now();
  const results = runPairedSyntheticExperiment(settings, trialProgress(io, 'calibrate --synthetic --paired', started));
  return reportGrid(io, { table: formatPairedSyntheticResults(results, settings), targets: checkPairedTargets(results, settings), settings, results, started, json: values.json });
}
