import { compareWithAnalysis } from '../analyze/comparison-analysis.js';
import type { Comparison } from '../compare/comparison-types.js';
import { clopperPearson } from '../stats/binomial-interval.js';
import { seededRandom } from '../stats/seeded-random.js';
import { DEFAULT_STRESS_MODEL, stressCapacity, stressRun, type StressModel } from './stress-runs.js';

/**
 * The gate on the breaking point, measured (docs/analyze.md, "Gated like the rest"): stress runs
 * of known capacity (`stress-runs.ts`) with run-to-run noise, judged as `tailgate compare` judges
 * them (every run analysed, the capacity tested with the other metrics). Per cell of baseline
 * runs and run-to-run noise, each trial draws its own history, one unchanged current run and one
 * that lost `lossPct` of its capacity; the shares failed, with exact 95% intervals.
 */
export interface StressExperimentSettings {
  trials: number;
  seed: number;
  histories: readonly number[];
  /** σ of the run-to-run offset of the capacity, log scale. */
  runNoises: readonly number[];
  lossPct: number;
  /** `regression.capacity`. */
  capacityPct: number;
  model: StressModel;
}

export const DEFAULT_STRESS_SETTINGS: StressExperimentSettings = {
  trials: 40,
  seed: 1,
  histories: [3, 5],
  runNoises: [0.03, 0.08],
  lossPct: 25,
  capacityPct: 10,
  model: DEFAULT_STRESS_MODEL,
};

/** How one kind of current run fared in a cell. */
export interface StressTally {
  trials: number;
  /** The comparison's verdict was a regression (the gate failed). */
  gateFails: number;
  /** The capacity test alone said regression, and was inconclusive. */
  capacityFails: number;
  capacityInconclusive: number;
  /** The sustainable rate found, min and max over the trials, req/s. */
  estimates: number[];
}

export interface StressCell {
  historyRuns: number;
  runNoise: number;
  unchanged: StressTally;
  lost: StressTally;
}

function tally(): StressTally {
  return { trials: 0, gateFails: 0, capacityFails: 0, capacityInconclusive: 0, estimates: [] };
}

function count(into: StressTally, comparison: Comparison): void {
  into.trials++;
  if (comparison.verdict === 'regression') into.gateFails++;
  const capacity = comparison.shapeTests?.find((t) => t.question === 'capacity');
  if (capacity?.verdict === 'regression') into.capacityFails++;
  if (capacity?.verdict === 'inconclusive') into.capacityInconclusive++;
  if (capacity?.current !== null && capacity?.current !== undefined) into.estimates.push(capacity.current);
}

export function runStressExperiment(settings: StressExperimentSettings, progress: (done: number, total: number) => void = () => {}): StressCell[] {
  const cells: StressCell[] = [];
  const total = settings.trials * settings.runNoises.length * settings.histories.length;
  let done = 0;
  const slower = 1 / (1 - settings.lossPct / 100);
  for (const runNoise of settings.runNoises) {
    const model = { ...settings.model, runSigma: runNoise };
    for (const historyRuns of settings.histories) {
      const random = seededRandom(settings.seed * 1_000_003 + historyRuns * 101 + Math.round(runNoise * 1000));
      const cell: StressCell = { historyRuns, runNoise, unchanged: tally(), lost: tally() };
      for (let trial = 0; trial < settings.trials; trial++) {
        const history = Array.from({ length: historyRuns }, (_, i) => stressRun(model, random, i));
        const options = { capacityPct: settings.capacityPct };
        count(cell.unchanged, compareWithAnalysis({ baselines: history, current: stressRun(model, random, historyRuns) , options }, {}));
        count(cell.lost, compareWithAnalysis({ baselines: history, current: stressRun(model, random, historyRuns, slower), options }, {}));
        progress(++done, total);
      }
      cells.push(cell);
    }
  }
  return cells;
}

function share(successes: number, trials: number): string {
  const { low, high } = clopperPearson(successes, trials);
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  return `**${pct(successes / trials)}** (${pct(low)}–${pct(high)})`;
}

function range(values: readonly number[]): string {
  if (values.length === 0) return '–';
  return `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;
}

/** The cells as a markdown table: false fails of unchanged runs, catches of the lost capacity. */
export function formatStressResults(cells: readonly StressCell[], settings: StressExperimentSettings): string {
  const truth = stressCapacity(settings.model);
  const lostTruth = stressCapacity(settings.model, 1 / (1 - settings.lossPct / 100));
  const rows = cells.map((cell) =>
    [
      `${(cell.runNoise * 100).toFixed(0)}%`,
      String(cell.historyRuns),
      share(cell.unchanged.gateFails, cell.unchanged.trials),
      share(cell.unchanged.capacityFails, cell.unchanged.trials),
      share(cell.lost.gateFails, cell.lost.trials),
      share(cell.lost.capacityFails, cell.lost.trials),
      `${cell.unchanged.capacityInconclusive} · ${cell.lost.capacityInconclusive}`,
      `${range(cell.unchanged.estimates)} · ${range(cell.lost.estimates)}`,
    ].join(' | '),
  );
  return [
    `Stress runs: ${settings.model.rates.join(', ')} iterations a second, ${settings.model.levelSeconds} s each, 1 s blocks; target of ${settings.model.slots} slots × ${settings.model.serviceMs} ms (capacity ${truth.toFixed(0)} a second; ${lostTruth.toFixed(0)} with ${settings.lossPct}% lost), VU pool ${settings.model.maxVUs}; regression.capacity ${settings.capacityPct}%, alpha 0.05; ${settings.trials} trials a cell, seed ${settings.seed}.`,
    '',
    '| run-to-run noise | baseline runs | unchanged: gate failed | unchanged: capacity regression | capacity lost: gate failed | capacity lost: capacity regression | capacity inconclusive (unchanged · lost) | sustainable rate found, req/s (unchanged · lost) |',
    '|---:|---:|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}
