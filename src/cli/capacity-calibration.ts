import { parseArgs } from 'node:util';
import type { RunIo } from '../run/run-io.js';
import { DEFAULT_STRESS_SETTINGS, formatStressResults, runStressExperiment, type StressExperimentSettings } from '../validate/stress-experiment.js';
import { numberList, trialProgress, wholeNumber, writeExperimentJson } from './calibrate-command.js';

/**
 * `tailgate calibrate --synthetic --capacity`: the gate on the breaking point, on synthetic stress
 * runs of known capacity (`validate/stress-experiment.ts`): how often an unchanged capacity fails
 * and how often a lost one (25% by default) is caught. A report of rates with their intervals, no
 * target: exit 0 unless the flags are wrong.
 */
export async function capacityCalibration(argv: string[], io: RunIo): Promise<number> {
  const defaults = DEFAULT_STRESS_SETTINGS;
  const { values } = parseArgs({
    args: argv,
    options: {
      trials: { type: 'string', default: String(defaults.trials) },
      seed: { type: 'string', default: String(defaults.seed) },
      histories: { type: 'string', default: defaults.histories.join(',') },
      noises: { type: 'string', default: defaults.runNoises.map((n) => `${n * 100}%`).join(',') },
      loss: { type: 'string', default: `${defaults.lossPct}%` },
      json: { type: 'string' },
    },
    strict: true,
  });
  const settings: StressExperimentSettings = {
    ...defaults,
    trials: wholeNumber('--trials', values.trials, 1, 10_000),
    seed: wholeNumber('--seed', values.seed, 0, 2 ** 31),
    histories: numberList('--histories', values.histories, 1, 50, Number),
    runNoises: numberList('--noises', values.noises, 0, 1, (text) => Number(text.replace(/%$/, '')) / 100),
    lossPct: wholeNumber('--loss', values.loss.replace(/%$/, ''), 1, 90),
  };
  io.logger.info(`calibrate --synthetic --capacity: ${settings.trials} trials in each of ${settings.histories.length * settings.runNoises.length} cells, seed ${settings.seed}`);
  const started = Date.now();
  const cells = runStressExperiment(settings, trialProgress(io, 'calibrate --synthetic --capacity', started));
  io.stdout.write(`${formatStressResults(cells, settings)}\n\n${Math.round((Date.now() - started) / 1000)} s\n`);
  if (values.json) await writeExperimentJson(values.json, { settings, results: cells, targets: [] });
  return 0;
}
