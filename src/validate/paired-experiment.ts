import { comparePaired, judgePaired } from '../compare/compare-paired.js';
import { resolveCompareOptions } from '../compare/compare-options.js';
import { runSequential, sequentialDesign, DEFAULT_SEQUENTIAL, type SequentialSettings } from '../compare/sequential-paired.js';
import { blockLayout } from '../record/paired-layout.js';
import { compareRuns } from '../compare/compare-runs.js';
import type { PairingSettings } from '../record/paired-layout.js';
import { choosePairing } from '../plan/paired-schedule.js';
import { clopperPearson } from '../stats/binomial-interval.js';
import { syntheticPairedRun } from './paired-synthetic.js';
import type { PairedRecord } from '../record/paired-record-types.js';
import { hashSeed, interval, percent, type Progress, type Target } from './synthetic-experiment.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, syntheticRun, type SyntheticModel } from './synthetic-runs.js';

/**
 * Paired mode's calibration and power on synthetic paired records of known truth (see
 * `paired-synthetic.ts`), judged by `comparePaired` as `tailgate compare --current paired.json`
 * judges them, over run lengths and run-level offsets (shared by both arms, so they cancel), for
 * unchanged heads and heads slowed by multiples of the threshold. Beside it, the stored-baseline
 * gate on the same noise and the same run length: each trial also draws `storedHistory` baseline
 * runs and one current run from the same model, whose run-level offset no longer cancels.
 */
export interface PairedSyntheticSettings {
  trials: number;
  seed: number;
  thresholdPct: number;
  alpha: number;
  /** Run lengths, seconds: the whole measured period, both arms together. */
  durations: readonly number[];
  /** σ of the run-level offset (log scale): 0.08 ≈ 8%. */
  runNoises: readonly number[];
  /** Injected slowdowns of head as multiples of the threshold; 0 is A/A. */
  sizes: readonly number[];
  /** The slowdown grows linearly from none at the start of the run to the size at its end, instead of holding all run. */
  ramp: boolean;
  /** The slowdown stalls instead: only one second in this many is slowed (a garbage-collection pause); 0 holds it all run. */
  stallEverySeconds: number;
  /** The pairing asked for (as --pair-block, --pair-settle, --pair-order); what is not asked for is chosen from each run length, as a paired run chooses it. */
  pairing: Partial<PairingSettings>;
  /** Baseline runs of the stored-baseline gate beside it; 0 leaves it out. */
  storedHistory: number;
  /** The sequential design judged on the same records beside the fixed length (looks, futility); undefined leaves it out. */
  sequential: SequentialSettings | undefined;
  model: SyntheticModel;
}

export const DEFAULT_PAIRED_SYNTHETIC_SETTINGS: PairedSyntheticSettings = {
  trials: 200,
  seed: 1,
  thresholdPct: 10,
  alpha: 0.05,
  durations: [10, 30, 60],
  runNoises: [0.08, 0.15],
  sizes: [0, 1, 2, 3],
  ramp: false,
  stallEverySeconds: 0,
  pairing: {},
  storedHistory: 5,
  sequential: DEFAULT_SEQUENTIAL,
  model: DEFAULT_SYNTHETIC_MODEL,
};

export interface PairedCellResult {
  durationSeconds: number;
  runNoise: number;
  size: number;
  trials: number;
  /** Block pairs in each run (the same for every trial of a run length). */
  pairs: number;
  /** The pairing the run length got: block and settle, ms. */
  blockMs: number;
  settleMs: number;
  fails: number;
  inconclusive: number;
  /** Trials where some counted step's tail of blocks was a finding (reported, never gated). */
  tailFindings: number;
  /** The stored-baseline gate on the same noise: regressions and inconclusive verdicts, and its tail-of-blocks findings. */
  storedFails: number;
  storedInconclusive: number;
  storedTailFindings: number;
  /** The sequential design on the same records: regressions, inconclusive verdicts, stops with twice the allowance ruled out, and each trial's length (measured ms when it stopped, settles included) beside the fixed run's `fixedMs`. Absent when the run length allows no early look. */
  sequential?: { fails: number; inconclusive: number; ruledOut: number; lengthsMs: number[] };
  fixedMs: number;
}

/** Runs the grid. Pure apart from time: the same settings give the same results. */
export function runPairedSyntheticExperiment(settings: PairedSyntheticSettings, progress: Progress = () => {}): PairedCellResult[] {
  const results: PairedCellResult[] = [];
  const groups = settings.durations.length * settings.runNoises.length;
  const options = { thresholdPct: settings.thresholdPct, alpha: settings.alpha };
  let done = 0;
  for (const durationSeconds of settings.durations) {
    for (const runNoise of settings.runNoises) {
      const chosen = choosePairing(1000, durationSeconds * 1000, settings.pairing);
      const pairing = chosen.settings;
      const model: SyntheticModel = { ...settings.model, durationSeconds, runSigma: runNoise, blockMs: 1000 };
      const pairedModel: SyntheticModel = { ...model, blockMs: chosen.recordBlockMs };
      const cells: PairedCellResult[] = settings.sizes.map((size) => ({ durationSeconds, runNoise, size, trials: 0, pairs: 0, blockMs: pairing.blockMs, settleMs: pairing.settleMs, fails: 0, inconclusive: 0, tailFindings: 0, storedFails: 0, storedInconclusive: 0, storedTailFindings: 0, fixedMs: 0 }));
      for (let trial = 0; trial < settings.trials; trial++) {
        const random = seededRandom(hashSeed(settings.seed, durationSeconds, runNoise, trial, 0x9a1d));
        const history = Array.from({ length: settings.storedHistory }, (_, i) => syntheticRun({ model, random, sequence: i }));
        settings.sizes.forEach((size, i) => {
          const cell = cells[i] as PairedCellResult;
          const shape = { ...(settings.ramp ? { ramp: true } : {}), ...(settings.stallEverySeconds > 0 ? { stallEverySeconds: settings.stallEverySeconds } : {}) };
          const regression = size > 0 ? { regression: { factor: 1 + (size * settings.thresholdPct) / 100, ...shape } } : {};
          const paired = syntheticPairedRun({ model: pairedModel, pairing, random, sequence: settings.storedHistory, ...regression });
          const comparison = comparePaired({ paired, options });
          const verdict = comparison.verdict;
          if (comparison.steps.some((step) => step.tail?.finding === true)) cell.tailFindings++;
          cell.trials++;
          cell.pairs = Math.floor(paired.order.length / 2);
          if (verdict === 'regression') cell.fails++;
          if (verdict === 'inconclusive') cell.inconclusive++;
          cell.fixedMs = pairsEndMs(paired, cell.pairs);
          const design = settings.sequential && sequentialDesign(cell.pairs, settings.alpha, settings.sequential);
          if (design !== undefined && design !== null) {
            const run = runSequential((pairs, alpha) => judgePaired({ paired, options: { ...options, alpha }, pairs }), design, resolveCompareOptions(options));
            cell.sequential ??= { fails: 0, inconclusive: 0, ruledOut: 0, lengthsMs: [] };
            if (run.stop.verdict === 'regression') cell.sequential.fails++;
            if (run.stop.verdict === 'inconclusive') cell.sequential.inconclusive++;
            if (run.stop.decision === 'ruled-out') cell.sequential.ruledOut++;
            cell.sequential.lengthsMs.push(pairsEndMs(paired, run.stop.pairs));
          }
          if (history.length > 0) {
            const current = syntheticRun({ model, random, sequence: settings.storedHistory, ...regression });
            const storedComparison = compareRuns({ baselines: history, current, options });
            const stored = storedComparison.verdict;
            if (stored === 'regression') cell.storedFails++;
            if (stored === 'inconclusive') cell.storedInconclusive++;
            if (storedComparison.steps.some((step) => step.tail?.finding === true)) cell.storedTailFindings++;
          }
        });
        progress(done * settings.trials + trial + 1, groups * settings.trials);
      }
      done++;
      results.push(...cells);
    }
  }
  return results;
}

/** Where the first `pairs` block pairs of a record end, ms into its measured period (settles included). */
function pairsEndMs(paired: PairedRecord, pairs: number): number {
  const places = blockLayout(paired.order, paired.meta.pairing, paired.meta.pairing.settleAt ?? 'block');
  const last = places[2 * pairs - 1];
  if (last === undefined) return 0;
  const { blockMs, settleMs } = paired.meta.pairing;
  return last.startMs + blockMs - settleMs + (last.settled ? settleMs : 0);
}

/** The median of some lengths, ms. */
export function medianMs(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The targets paired mode is held to (issue 10), each with its figure. */
export function checkPairedTargets(results: readonly PairedCellResult[], settings: PairedSyntheticSettings): Target[] {
  const rate = (cell: PairedCellResult): number => cell.fails / cell.trials;
  const targets: Target[] = [];
  const aa = results.filter((c) => c.size === 0);
  if (aa.length > 0) {
    const worst = aa.reduce((a, b) => (rate(b) > rate(a) ? b : a));
    targets.push({
      description: `unchanged heads fail at most α = ${settings.alpha} in every cell`,
      met: aa.every((c) => rate(c) <= settings.alpha),
      detail: `worst ${describe(worst)}: ${percent(rate(worst))} (${interval(worst.fails, worst.trials)})`,
    });
  }
  if (settings.ramp) {
    // A head that slows from +0% to +100% over the run (issue: a trend is a finding, never a shield).
    const ramps = results.filter((c) => c.size * settings.thresholdPct >= 100 && c.durationSeconds >= 60);
    if (ramps.length > 0) {
      const weakest = ramps.reduce((a, b) => (rate(b) < rate(a) ? b : a));
      targets.push({
        description: 'a head slowing from +0% to +100% (or more) over a run of 60 s caught at least 99% of the time',
        met: ramps.every((c) => rate(c) >= 0.99),
        detail: `weakest ${describe(weakest)}: ${percent(rate(weakest))} (${interval(weakest.fails, weakest.trials)})`,
      });
    }
    return targets;
  }
  const power = results.filter((c) => c.size === 2 && c.durationSeconds >= 60);
  if (power.length > 0) {
    const weakest = power.reduce((a, b) => (rate(b) < rate(a) ? b : a));
    targets.push({
      description: 'twice the threshold caught at least 95% of the time in runs of 60 s',
      met: power.every((c) => rate(c) >= 0.95),
      detail: `weakest ${describe(weakest)}: ${percent(rate(weakest))} (${interval(weakest.fails, weakest.trials)})`,
    });
  }
  return targets;
}

function describe(cell: PairedCellResult): string {
  return `${cell.durationSeconds} s (${cell.pairs} block pairs of ${cell.blockMs / 1000} s), run-level offset ${percent(cell.runNoise, 0)}${cell.size > 0 ? `, ${cell.size}× the threshold` : ''}`;
}

/** A markdown table per injected size: paired mode with its interval, the stored-baseline gate beside it. */
export function formatPairedSyntheticResults(results: readonly PairedCellResult[], settings: PairedSyntheticSettings): string {
  const stored = settings.storedHistory > 0;
  const sections: string[] = [];
  for (const size of settings.sizes) {
    const slower = settings.stallEverySeconds > 0
      ? `Heads ${size * settings.thresholdPct}% slower in one second of every ${settings.stallEverySeconds}`
      : settings.ramp
      ? `Heads whose slowdown grows from 0 to ${size * settings.thresholdPct}% over the run (${size}× the threshold at its end)`
      : `Heads ${size * settings.thresholdPct}% slower (${size}× the threshold)`;
    const title = size === 0 ? 'Unchanged heads (A/A): how often each mode fails' : `${slower}: how often each mode catches it`;
    const rows = results
      .filter((c) => c.size === size)
      .map((c) => {
        const ci = clopperPearson(c.fails, c.trials);
        const tci = clopperPearson(c.tailFindings, c.trials);
        const paired = `| ${c.durationSeconds} s | ${c.pairs} × ${c.blockMs / 1000} s (${c.settleMs / 1000} s settle) | ${percent(c.runNoise, 0)} | ${percent(c.fails / c.trials)} (${percent(ci.low)} – ${percent(ci.high)}) | ${percent(c.inconclusive / c.trials)} | ${percent(c.tailFindings / c.trials)} (${percent(tci.low)} – ${percent(tci.high)}) |`;
        if (!stored) return paired;
        const sci = clopperPearson(c.storedFails, c.trials);
        const stci = clopperPearson(c.storedTailFindings, c.trials);
        return `${paired} ${percent(c.storedFails / c.trials)} (${percent(sci.low)} – ${percent(sci.high)}) | ${percent(c.storedInconclusive / c.trials)} | ${percent(c.storedTailFindings / c.trials)} (${percent(stci.low)} – ${percent(stci.high)}) |`;
      });
    const header = stored
      ? [`| run | block pairs | run-level offset | paired (95% CI) | paired inconclusive | tail of blocks found (95% CI) | stored, ${settings.storedHistory} baseline runs (95% CI) | stored inconclusive | stored tail of blocks found (95% CI) |`, '|---:|---:|---:|---:|---:|---:|---:|---:|---:|']
      : ['| run | block pairs | run-level offset | paired (95% CI) | paired inconclusive | tail of blocks found (95% CI) |', '|---:|---:|---:|---:|---:|---:|'];
    sections.push([`${title}, ${settings.trials} trials per cell:`, '', ...header, ...rows].join('\n'));
  }
  const sequential = results.filter((c) => c.sequential !== undefined);
  if (sequential.length > 0) {
    const rows = sequential.map((c) => {
      const s = c.sequential as NonNullable<PairedCellResult['sequential']>;
      const fixed = clopperPearson(c.fails, c.trials);
      const seq = clopperPearson(s.fails, c.trials);
      const median = medianMs(s.lengthsMs);
      return `| ${c.durationSeconds} s | ${percent(c.runNoise, 0)} | ${c.size === 0 ? 'none (A/A)' : `${c.size}×`} | ${percent(c.fails / c.trials)} (${percent(fixed.low)} – ${percent(fixed.high)}) | ${percent(s.fails / c.trials)} (${percent(seq.low)} – ${percent(seq.high)}) | ${percent(s.ruledOut / c.trials)} | ${(median / 1000).toFixed(1)} s of ${(c.fixedMs / 1000).toFixed(1)} s (${percent(median / (c.durationSeconds * 1000))}) |`;
    });
    sections.push(
      [
        `The sequential design on the same records (looks every ${settings.sequential?.everyPairs} pairs from ${settings.sequential?.minPairs}, O'Brien–Fleming-type spending, ${settings.sequential?.futilityMultiple}× ruled out at ${percent(settings.sequential?.futilityLevel ?? 0, 0)}), ${settings.trials} trials per cell:`,
        '',
        '| run at most | run-level offset | head slower | fixed: failed (95% CI) | sequential: failed (95% CI) | stopped with 2× ruled out | median length, sequential (of the most) |',
        '|---:|---:|---:|---:|---:|---:|---:|',
        ...rows,
      ].join('\n'),
    );
  }
  const order = settings.pairing.order === 'random' ? `random pairs (seed ${settings.pairing.seed ?? 1})` : 'ABBA';
  return `Paired blocks in ${order} order, a settle after each switch of target; block and settle lengths per run length as a paired run chooses them${settings.pairing.blockMs !== undefined || settings.pairing.settleMs !== undefined ? ' (within what was asked for)' : ''}.\n\n${sections.join('\n\n')}`;
}
