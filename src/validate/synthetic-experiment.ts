import { median } from 'simple-statistics';
import { compareWithAnalysis } from '../analyze/comparison-analysis.js';
import { compareRuns } from '../compare/compare-runs.js';
import type { CompareOptions } from '../compare/compare-options.js';
import type { Comparison } from '../compare/comparison-types.js';
import type { RunRecord } from '../record/run-record-types.js';
import { clopperPearson } from '../stats/binomial-interval.js';
import { studentTQuantile } from '../stats/student-t.js';
import { slowRunnerBound } from '../stats/slow-runner-bound.js';
import { bareRatioFails } from './gate-experiment.js';
import { DEFAULT_SYNTHETIC_MODEL, recordingRandom, seededRandom, SYNTHETIC_PROBE_SPEED, syntheticRun, withProbe, type SyntheticModel } from './synthetic-runs.js';

/**
 * The gate's calibration and power on synthetic runs of known truth (see `synthetic-runs.ts`),
 * over a grid of run lengths, history sizes and run-to-run noise, beside two rules other tools
 * use on the same runs:
 * - the bare ratio rule: fail when a step's p95 (or the overall one) exceeds the newest
 *   baseline's by more than the threshold;
 * - a Bencher-style t-test: fail when a step's p95 exceeds the history's mean p95 by more than
 *   t(1 − α, n − 1) sample standard deviations (needs 2 baseline runs).
 * Each trial draws its own history (10 runs; smaller histories are its newest runs) and one
 * current run per injected size, so trials are independent within a cell.
 */
export interface SyntheticSettings {
  trials: number;
  seed: number;
  thresholdPct: number;
  alpha: number;
  durations: readonly number[];
  histories: readonly number[];
  runNoises: readonly number[];
  /** Injected slowdowns as multiples of the threshold; 0 is A/A. */
  sizes: readonly number[];
  model: SyntheticModel;
  /**
   * The default branch's level moved on purpose: the newest `runsAgo` history runs, and every
   * current run, are `factor` times as slow (1.2: 20% slower). Injected sizes come on top.
   */
  stepChange?: { factor: number; runsAgo: number };
  /**
   * A `share` of all runs (history and current alike, each drawn alone) land on a runner `factor`
   * times as slow. Each run then records a runner fingerprint whose probe shows its runner's speed
   * with noise of its own (`probeNoise`, σ of its log; 0.03 when absent), which the gate uses; each
   * cell counts what the gate's runner rules did, what the same comparisons without probes and an
   * oracle that knew the slow runs reached.
   */
  slowRunners?: { share: number; factor: number; probeNoise?: number };
}

export const DEFAULT_SYNTHETIC_SETTINGS: SyntheticSettings = {
  trials: 200,
  seed: 1,
  thresholdPct: 10,
  alpha: 0.05,
  durations: [10, 30, 60],
  histories: [1, 3, 5, 10],
  runNoises: [0, 0.03, 0.08],
  sizes: [0, 2, 3],
  model: DEFAULT_SYNTHETIC_MODEL,
};

/**
 * `bencherMatched` is the Bencher-style statistic with its cut-off set, cell by cell, so that it
 * fails exactly as many of the cell's unchanged runs as the gate does: the two compared at an
 * equal false-fail rate (the plain rule false-fails far more often than α).
 */
export type RuleName = 'gate' | 'bencher' | 'bencherMatched' | 'ratio';
export const RULES: readonly RuleName[] = ['gate', 'bencher', 'bencherMatched', 'ratio'];

export interface CellResult {
  durationSeconds: number;
  historyRuns: number;
  runNoise: number;
  size: number;
  trials: number;
  fails: Record<RuleName, number>;
  /** Gate verdicts that were inconclusive. */
  inconclusive: number;
  /** With `slowRunners`: the slow runners, the flag, and the oracle (see `SlowRunnerCounts`). */
  slowRunners?: SlowRunnerCounts;
}

/** One cell's trials with slow runners in them. */
export interface SlowRunnerCounts {
  /** Trials whose current run landed on a slow runner. */
  slowCurrent: number;
  /** Trials whose comparison flagged the current run's runner as slower (`Comparison.runnerSpeed.slower`), and of those, whose runner was not slow. */
  flagged: number;
  flaggedOrdinary: number;
  /** Trials whose comparison held back a regression because the runner was flagged (`runnerSpeed.heldRegressions` above 0). */
  held: number;
  /** Gate fails (regression verdicts) whose comparison flagged the runner, and whose current run was on a slow runner. */
  failsFlagged: number;
  failsSlowCurrent: number;
  /** Baseline runs the comparisons left out for their runners (`Comparison.slowBaselineRuns`), and of those, runs on ordinary runners. */
  leftOut: number;
  leftOutOrdinary: number;
  /** Regression verdicts of the same comparisons on records without a runner fingerprint: the gate where no probe is recorded. */
  withoutProbes: number;
  /**
   * Regression verdicts of an oracle that knew which runs were slow: the slow baseline runs left
   * out, a slow current run corrected (the same draws without the runner's factor).
   */
  oracle: number;
  /**
   * A run's own noise around its level (log scale), from the trials where no run was slow: the
   * overall p95's within-run noise and run-to-run spread together. The information bound is
   * computed with it (`stats/slow-runner-bound.ts`).
   */
  runSigmas: number[];
}

/** The stream the synthetic probes' noise is drawn from, apart from the runs' own (so runs repeat with or without probes). */
const PROBE_STREAM = 7_919;

/** A run as the harness drew it: its record, whether it landed on a slow runner, the same run on an ordinary one, and its record without a probe. */
interface DrawnRun {
  run: RunRecord;
  slow: boolean;
  corrected: RunRecord;
  bare: RunRecord;
}

/** The largest (p95 − history's mean p95) / history's sd over the steps and overall; −∞ with fewer than 2 runs. */
export function bencherStatistic(current: RunRecord, history: readonly RunRecord[]): number {
  if (history.length < 2) return Number.NEGATIVE_INFINITY;
  const names = ['overall', ...Object.keys(current.summary.steps)];
  return Math.max(
    ...names.map((name) => {
      const pick = (run: RunRecord): number | undefined => (name === 'overall' ? run.summary.overall.p95 : run.summary.steps[name]?.p95);
      const values = history.map(pick).filter((v): v is number => v !== undefined);
      const now = pick(current);
      if (values.length < 2 || now === undefined) return Number.NEGATIVE_INFINITY;
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1));
      return sd > 0 ? (now - mean) / sd : now > mean ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    }),
  );
}

/** Fails when a step's p95 (or the overall one) exceeds the history's mean by more than t(1 − α, n − 1) sds. */
export function bencherFails(current: RunRecord, history: readonly RunRecord[], alpha: number): boolean {
  return bencherStatistic(current, history) > bencherCutoff(history.length, alpha);
}

/** The plain rule's cut-off for its statistic: t(1 − α, n − 1), none below two runs. */
function bencherCutoff(historyRuns: number, alpha: number): number {
  return historyRuns >= 2 ? studentTQuantile(1 - alpha, historyRuns - 1) : Number.POSITIVE_INFINITY;
}

/** Sets each cell's `bencherMatched` from the statistics of one group's trials (see RuleName). */
function matchBencher(cells: ReadonlyMap<string, CellResult>, statistics: ReadonlyMap<string, number[]>, histories: readonly number[], sizes: readonly number[]): void {
  for (const historyRuns of histories) {
    const aaCell = cells.get(`${historyRuns}/0`);
    const aaStats = [...(statistics.get(`${historyRuns}/0`) ?? [])].sort((a, b) => b - a);
    // Fails are statistics above the cut-off: the (k+1)-th largest unchanged one lets k fail.
    const cutoff = aaCell === undefined ? Number.POSITIVE_INFINITY : (aaStats[aaCell.fails.gate] ?? Number.NEGATIVE_INFINITY);
    for (const size of sizes) {
      const cell = cells.get(`${historyRuns}/${size}`);
      if (cell) cell.fails.bencherMatched = (statistics.get(`${historyRuns}/${size}`) ?? []).filter((stat) => stat > cutoff && Number.isFinite(stat)).length;
    }
  }
}

export interface Progress {
  (done: number, total: number): void;
}

/** Runs the grid. Pure apart from time: the same settings give the same results. */
export function runSyntheticExperiment(settings: SyntheticSettings, progress: Progress = () => {}): CellResult[] {
  const results: CellResult[] = [];
  const longest = Math.max(...settings.histories);
  const groups = settings.durations.length * settings.runNoises.length;
  let done = 0;
  for (const durationSeconds of settings.durations) {
    for (const runNoise of settings.runNoises) {
      const model: SyntheticModel = { ...settings.model, durationSeconds, runSigma: runNoise };
      const cells = new Map<string, CellResult>();
      const statistics = new Map<string, number[]>();
      const cellOf = (historyRuns: number, size: number): CellResult => {
        const key = `${historyRuns}/${size}`;
        let cell = cells.get(key);
        if (!cell) {
          const slowRunners = settings.slowRunners === undefined ? {} : { slowRunners: { slowCurrent: 0, flagged: 0, flaggedOrdinary: 0, held: 0, failsFlagged: 0, failsSlowCurrent: 0, leftOut: 0, leftOutOrdinary: 0, withoutProbes: 0, oracle: 0, runSigmas: [] } };
          cells.set(key, (cell = { durationSeconds, historyRuns, runNoise, size, trials: 0, fails: { gate: 0, bencher: 0, bencherMatched: 0, ratio: 0 }, inconclusive: 0, ...slowRunners }));
        }
        return cell;
      };
      for (let trial = 0; trial < settings.trials; trial++) {
        const random = seededRandom(hashSeed(settings.seed, durationSeconds, runNoise, trial));
        const step = settings.stepChange;
        const slow = settings.slowRunners;
        const probeRandom = seededRandom(hashSeed(settings.seed, durationSeconds, runNoise, trial, PROBE_STREAM));
        const runner = (): number => (slow !== undefined && random.next() < slow.share ? slow.factor : 1);
        const slowedBy = (factor: number): { regression?: { factor: number } } => (factor === 1 ? {} : { regression: { factor } });
        // The runner is drawn before the run, from the same stream, as runs without probes always were.
        const draw = (sequence: number, factor: number): DrawnRun => {
          const runnerFactor = runner();
          if (slow === undefined) {
            const run = syntheticRun({ model, random, sequence, ...slowedBy(factor * runnerFactor) });
            return { run, slow: false, corrected: run, bare: run };
          }
          const onSlow = runnerFactor !== 1;
          const source = onSlow ? recordingRandom(random) : undefined;
          const run = syntheticRun({ model, random: source?.random ?? random, sequence, ...slowedBy(factor * runnerFactor) });
          const probe = (SYNTHETIC_PROBE_SPEED / runnerFactor) * Math.exp((slow.probeNoise ?? 0.03) * probeRandom.normal());
          return { run: withProbe(run, probe), slow: onSlow, corrected: source ? syntheticRun({ model, random: source.replay(), sequence, ...slowedBy(factor) }) : run, bare: run };
        };
        const drawnHistory = Array.from({ length: longest }, (_, i) => draw(i, step !== undefined && i >= longest - step.runsAgo ? step.factor : 1));
        const history = drawnHistory.map((d) => d.run);
        for (const size of settings.sizes) {
          const drawn = draw(longest, (1 + (size * settings.thresholdPct) / 100) * (step?.factor ?? 1));
          const current = drawn.run;
          for (const historyRuns of settings.histories) {
            const used = history.slice(longest - historyRuns);
            const options = { thresholdPct: settings.thresholdPct, alpha: settings.alpha };
            const comparison = compareWithAnalysis({ baselines: used, current, options }, {});
            const cell = cellOf(historyRuns, size);
            cell.trials++;
            if (comparison.verdict === 'regression') cell.fails.gate++;
            if (comparison.verdict === 'inconclusive') cell.inconclusive++;
            if (cell.slowRunners) countSlowRunners(cell.slowRunners, comparison, drawn, drawnHistory.slice(longest - historyRuns), options);
            const statistic = bencherStatistic(current, used);
            if (statistic > bencherCutoff(used.length, settings.alpha)) cell.fails.bencher++;
            const key = `${historyRuns}/${size}`;
            statistics.set(key, [...(statistics.get(key) ?? []), statistic]);
            if (bareRatioFails(current, used, settings.thresholdPct)) cell.fails.ratio++;
          }
        }
        progress(done * settings.trials + trial + 1, groups * settings.trials);
      }
      matchBencher(cells, statistics, settings.histories, settings.sizes);
      done++;
      results.push(...[...cells.values()].sort((a, b) => a.historyRuns - b.historyRuns || a.size - b.size));
    }
  }
  return results;
}

/**
 * Adds one comparison to a cell's slow-runner counts: what the gate's runner rules did, the same
 * comparison without probes, and the oracle's verdict (compared again only when a run was slow).
 */
function countSlowRunners(counts: SlowRunnerCounts, comparison: Comparison, current: DrawnRun, history: readonly DrawnRun[], options: CompareOptions): void {
  const failed = comparison.verdict === 'regression';
  const flagged = comparison.runnerSpeed?.slower === true;
  if (current.slow) counts.slowCurrent++;
  if (flagged) counts.flagged++;
  if (flagged && !current.slow) counts.flaggedOrdinary++;
  if ((comparison.runnerSpeed?.heldRegressions ?? 0) > 0) counts.held++;
  if (failed && flagged) counts.failsFlagged++;
  if (failed && current.slow) counts.failsSlowCurrent++;
  if (comparison.slowBaselineRuns?.leftOut) {
    const left = history.filter((d) => comparison.slowBaselineRuns?.runs.some((r) => r.run.runId === d.run.meta.runId));
    counts.leftOut += left.length;
    counts.leftOutOrdinary += left.filter((d) => !d.slow).length;
  }
  const bare = compareRuns({ baselines: history.map((d) => d.bare), current: current.bare, options }).verdict;
  if (bare === 'regression') counts.withoutProbes++;
  const known = current.slow || history.some((d) => d.slow);
  const noise = comparison.steps.find((step) => step.kind === 'overall')?.p95.noise;
  if (!known && noise) counts.runSigmas.push(Math.hypot(noise.withinCurrent, noise.betweenRuns));
  const oracle = known ? compareRuns({ baselines: history.filter((d) => !d.slow).map((d) => d.run), current: current.corrected, options }).verdict : comparison.verdict;
  if (oracle === 'regression') counts.oracle++;
}

/** A seed from the grid's coordinates, so every cell and trial draws its own independent stream. */
export function hashSeed(...parts: number[]): number {
  let h = 2166136261;
  for (const part of parts) {
    const text = String(part);
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    h = Math.imul(h ^ 0x2c, 16777619);
  }
  return h >>> 0;
}

export interface Target {
  description: string;
  met: boolean;
  detail: string;
}

/** The targets the gate is held to, each with its figure. */
export function checkTargets(results: readonly CellResult[], settings: SyntheticSettings): Target[] {
  const rate = (cell: CellResult, rule: RuleName): number => cell.fails[rule] / cell.trials;
  const targets: Target[] = [];
  const aa = results.filter((c) => c.size === 0);
  const worstAa = aa.reduce((a, b) => (rate(b, 'gate') > rate(a, 'gate') ? b : a), aa[0] as CellResult);
  if (worstAa) {
    targets.push({
      description: `unchanged runs fail at most α = ${settings.alpha} in every cell`,
      met: aa.every((c) => rate(c, 'gate') <= settings.alpha),
      detail: `worst ${describe(worstAa)}: ${percent(rate(worstAa, 'gate'))} (${interval(worstAa.fails.gate, worstAa.trials)})`,
    });
  }
  const power = results.filter((c) => c.size === 2 && c.durationSeconds >= 30 && c.historyRuns >= 5 && c.runNoise <= 0.03);
  if (power.length > 0) {
    const weakest = power.reduce((a, b) => (rate(b, 'gate') < rate(a, 'gate') ? b : a));
    targets.push({
      description: 'twice the threshold caught at least 90% of the time (runs of 30 s and more, 5+ baseline runs, run-to-run noise up to 3%)',
      met: power.every((c) => rate(c, 'gate') >= 0.9),
      detail: `weakest ${describe(weakest)}: ${percent(rate(weakest, 'gate'))} (${interval(weakest.fails.gate, weakest.trials)})`,
    });
  }
  const short = results.filter((c) => c.size === 3 && c.durationSeconds === 10 && c.historyRuns === 5);
  if (short.length > 0) {
    const weakest = short.reduce((a, b) => (rate(b, 'gate') < rate(a, 'gate') ? b : a));
    targets.push({
      description: 'a 10 s run with 5 baseline runs catches three times the threshold at least 80% of the time',
      met: short.every((c) => rate(c, 'gate') >= 0.8),
      detail: `weakest ${describe(weakest)}: ${percent(rate(weakest, 'gate'))} (${interval(weakest.fails.gate, weakest.trials)})`,
    });
  }
  const versus = results.filter((c) => c.size > 0);
  const behind = versus.filter((c) => rate(c, 'gate') < rate(c, 'bencherMatched'));
  const widest = behind.reduce<CellResult | undefined>((a, b) => (a === undefined || rate(b, 'bencherMatched') - rate(b, 'gate') > rate(a, 'bencherMatched') - rate(a, 'gate') ? b : a), undefined);
  targets.push({
    description: 'in every cell the gate catches at least as much as the Bencher-style rule at the same false-fail rate (its cut-off set to fail as many unchanged runs as the gate)',
    met: behind.length === 0,
    detail:
      widest === undefined
        ? `in all ${versus.length} cells`
        : `behind in ${behind.length} of ${versus.length} cells, most in ${describe(widest)}: ${percent(rate(widest, 'gate'))} vs ${percent(rate(widest, 'bencherMatched'))}`,
  });
  return targets;
}

function describe(cell: CellResult): string {
  return `${cell.durationSeconds} s, ${cell.historyRuns} baseline run${cell.historyRuns === 1 ? '' : 's'}, run-to-run noise ${percent(cell.runNoise, 0)}${cell.size > 0 ? `, ${cell.size}× the threshold` : ''}`;
}

export function percent(value: number, digits = 1): string {
  return `${(100 * value).toFixed(digits)}%`;
}

/** The exact (Clopper–Pearson) 95% interval of a rate, in words. */
export function interval(successes: number, trials: number): string {
  const ci = clopperPearson(successes, trials);
  return `95% CI ${percent(ci.low)} – ${percent(ci.high)}`;
}

/** A markdown table per injected size: the gate with its interval, the two rules beside it. */
export function formatSyntheticResults(results: readonly CellResult[], settings: SyntheticSettings): string {
  const sections: string[] = [];
  for (const size of settings.sizes) {
    const title = size === 0 ? 'Unchanged runs (A/A): how often each rule fails' : `Runs ${size * settings.thresholdPct}% slower (${size}× the threshold): how often each rule catches it`;
    const rows = results
      .filter((c) => c.size === size)
      .map((c) => {
        const ci = clopperPearson(c.fails.gate, c.trials);
        const matched = size === 0 ? '' : ` | ${percent(c.fails.bencherMatched / c.trials)}`;
        return `| ${c.durationSeconds} s | ${c.historyRuns} | ${percent(c.runNoise, 0)} | ${percent(c.fails.gate / c.trials)} (${percent(ci.low)} – ${percent(ci.high)}) | ${percent(c.inconclusive / c.trials)} | ${percent(c.fails.bencher / c.trials)}${matched} | ${percent(c.fails.ratio / c.trials)} |`;
      });
    const head =
      size === 0
        ? ['| run | baseline runs | run-to-run noise | gate (95% CI) | gate inconclusive | Bencher-style t-test | bare ratio |', '|---:|---:|---:|---:|---:|---:|---:|']
        : ["| run | baseline runs | run-to-run noise | gate (95% CI) | gate inconclusive | Bencher-style t-test | Bencher-style at the gate's false-fail rate | bare ratio |", '|---:|---:|---:|---:|---:|---:|---:|---:|'];
    sections.push([`${title}, ${settings.trials} trials per cell:`, '', ...head, ...rows].join('\n'));
  }
  if (settings.slowRunners !== undefined) sections.push(formatSlowRunnerResults(results, settings));
  return sections.join('\n\n');
}

/** With slow runners: per cell, the gate's fails, the current runs on slow runners, what the flag marked, and the oracle's rate. */
export function formatSlowRunnerResults(results: readonly CellResult[], settings: SyntheticSettings): string {
  const slow = settings.slowRunners as NonNullable<SyntheticSettings['slowRunners']>;
  const head = [
    '| run | baseline runs | run-to-run noise | slowdown | gate failed (95% CI) | without probes failed (95% CI) | oracle failed (95% CI) | current on a slow runner | runner flagged (of them, ordinary) | regression held back | gate fails flagged | gate fails on a slow current | baseline runs left out (of them, ordinary) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const rows = results
    .filter((c) => c.slowRunners !== undefined)
    .map((c) => {
      const counts = c.slowRunners as SlowRunnerCounts;
      const share = (n: number): string => `${n} (${percent(n / c.trials)})`;
      const ofFails = (n: number): string => `${n} of ${c.fails.gate}`;
      const rate = (n: number): string => {
        const ci = clopperPearson(n, c.trials);
        return `${percent(n / c.trials)} (${percent(ci.low)} – ${percent(ci.high)})`;
      };
      return `| ${c.durationSeconds} s | ${c.historyRuns} | ${percent(c.runNoise, 0)} | ${c.size === 0 ? 'none' : `${c.size}×`} | ${rate(c.fails.gate)} | ${rate(counts.withoutProbes)} | ${rate(counts.oracle)} | ${share(counts.slowCurrent)} | ${share(counts.flagged)} (${counts.flaggedOrdinary}) | ${share(counts.held)} | ${ofFails(counts.failsFlagged)} | ${ofFails(counts.failsSlowCurrent)} | ${counts.leftOut} of ${c.trials * c.historyRuns} (${counts.leftOutOrdinary}) |`;
    });
  const title = `Slow runners: ${percent(slow.share, 0)} of runs ${percent(slow.factor - 1, 0)} slower, each run's probe with ${percent(slow.probeNoise ?? 0.03, 0)} noise of its own. The gate uses the probes (baseline runs whose probe is flagged against the baseline's are left out; a current run on a runner flagged slower is not judged a regression); "without probes" is the same comparison of records that carry none; the oracle knew which runs were slow (slow baseline runs left out, a slow current run corrected). ${settings.trials} trials per cell:`;
  return [title, '', ...head, ...rows, '', slowRunnerBoundLine(results, settings)].join('\n');
}

/**
 * What no gate without a fingerprint can pass: per number of baseline runs, the most of twice the
 * threshold that a gate failing changes above a cut could catch at alpha, given the baseline's
 * level exactly, with a run's own noise as the comparisons measured it on trials without a slow run.
 */
function slowRunnerBoundLine(results: readonly CellResult[], settings: SyntheticSettings): string {
  const slow = settings.slowRunners as NonNullable<SyntheticSettings['slowRunners']>;
  const change = (2 * settings.thresholdPct) / 100;
  const cells = results.filter((c) => c.slowRunners !== undefined && c.size === 2 && c.slowRunners.runSigmas.length > 0);
  const parts = cells.map((c) => {
    const sigma = median((c.slowRunners as SlowRunnerCounts).runSigmas);
    const bound = slowRunnerBound({ share: slow.share, factor: slow.factor, change, sigma, alpha: settings.alpha });
    const clean = slowRunnerBound({ share: 0, factor: 1, change, sigma, alpha: settings.alpha });
    return `${c.durationSeconds} s, ${c.historyRuns} baseline runs (a run's noise ${percent(sigma)}): at most ${percent(bound.power)} (without slow runners ${percent(clean.power)})`;
  });
  if (parts.length === 0) return '';
  return `The bound without a fingerprint: a gate that fails a change above a cut, failing at most ${percent(settings.alpha, 0)} of unchanged runs and given the baseline's level exactly, catches twice the threshold ${parts.join('; ')}.`;
}
