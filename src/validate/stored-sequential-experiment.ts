import { median } from 'simple-statistics';
import { compareRuns } from '../compare/compare-runs.js';
import type { Comparison, MetricComparison } from '../compare/comparison-types.js';
import { DEFAULT_SEQUENTIAL, sequentialDesign, type SequentialDesign } from '../compare/sequential-paired.js';
import { decodeCounts } from '../record/latency-counts.js';
import type { RunRecord } from '../record/run-record-types.js';
import { clopperPearson } from '../stats/binomial-interval.js';
import { hashSeed, percent } from './synthetic-experiment.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, syntheticRecord, syntheticRun, type SyntheticModel } from './synthetic-runs.js';

/**
 * Should a run compared with a stored baseline stop early? Issue 26 asks for it "under the same α
 * spending, kept only if it saves time at equal calibration". On synthetic runs of known truth
 * (`synthetic-runs.ts`), each trial draws a history and a current run of the full length; the
 * sequential design judges the current run's first t seconds at looks (every `everySeconds` from
 * `firstLookSeconds`), each at its O'Brien–Fleming-spent level, exactly as a run stopped at t
 * would have been judged, and stops for a regression beyond doubt or when the gate's own
 * one-sided bound at the futility level rules out a change of twice the allowance (the paired
 * design's settings, `DEFAULT_SEQUENTIAL`). The fixed design judges the whole run at α, on the
 * same draws.
 */
export interface StoredSequentialSettings {
  seed: number;
  /** Trials of unchanged runs (A/A). */
  unchangedTrials: number;
  /** Trials per injected change. */
  changeTrials: number;
  /** Injected slowdowns as multiples of the threshold (0 is A/A, counted with `unchangedTrials`). */
  sizes: readonly number[];
  histories: readonly number[];
  thresholdPct: number;
  alpha: number;
  /** The run's full (maximum) length, seconds, and where its looks fall. */
  maxSeconds: number;
  firstLookSeconds: number;
  everySeconds: number;
  model: SyntheticModel;
}

export const DEFAULT_STORED_SEQUENTIAL_SETTINGS: StoredSequentialSettings = {
  seed: 1,
  unchangedTrials: 500,
  changeTrials: 200,
  sizes: [0, 1, 2],
  histories: [5, 10],
  thresholdPct: 10,
  alpha: 0.05,
  maxSeconds: 60,
  firstLookSeconds: 12,
  everySeconds: 6,
  model: { ...DEFAULT_SYNTHETIC_MODEL, runSigma: 0.03 },
};

export type StoredStop = 'regression' | 'ruled-out' | 'maximum';

export interface StoredSequentialCell {
  historyRuns: number;
  size: number;
  trials: number;
  /** The fixed design: the whole run judged at α. */
  fixedFails: number;
  /** The sequential design: runs it failed, and why each run stopped. */
  sequentialFails: number;
  stops: Record<StoredStop, number>;
  /** Seconds each sequential run took, in trial order. */
  seconds: number[];
  /** Trials where the two designs' verdicts (regression or not) differ. */
  disagreements: number;
}

/** What the sequential design did on one current run. */
export interface StoredRunOutcome {
  seconds: number;
  stop: StoredStop;
  failed: boolean;
  /** The verdict of each look taken, with its seconds and level. */
  looks: { seconds: number; level: number; verdict: Comparison['verdict']; ruledOut: boolean }[];
}

/** The design in seconds: the paired design's spending and futility, looks at seconds instead of pairs. */
export function storedDesign(settings: Pick<StoredSequentialSettings, 'maxSeconds' | 'firstLookSeconds' | 'everySeconds' | 'alpha'>): SequentialDesign {
  const design = sequentialDesign(settings.maxSeconds, settings.alpha, { ...DEFAULT_SEQUENTIAL, minPairs: settings.firstLookSeconds, everyPairs: settings.everySeconds });
  if (design === undefined) throw new RangeError(`a ${settings.maxSeconds} s run with looks every ${settings.everySeconds} s from ${settings.firstLookSeconds} s has too few looks to stop early`);
  return design;
}

/**
 * A synthetic run record cut to its first `seconds`: its first blocks, and the histograms, counts,
 * times and summary made again from them, as the run would have recorded had it stopped there.
 * Exact for records of `syntheticRecord` (one-second blocks or longer; a partial block is dropped).
 */
export function truncateSyntheticRun(run: RunRecord, seconds: number): RunRecord {
  const blockMs = run.meta.blockMs;
  const blockCount = Math.min(run.blocks.length, Math.floor((seconds * 1000) / blockMs));
  if (blockCount < 1) throw new RangeError(`cannot cut a run of ${run.meta.measuredMs / 1000} s with ${blockMs} ms blocks to ${seconds} s`);
  const blocks = Object.fromEntries(Object.entries(run.steps).map(([name, step]) => [name, step.blocks.slice(0, blockCount).map((b) => decodeCounts(b.histogram))]));
  const measuredMs = Math.min(run.meta.measuredMs, blockCount * blockMs);
  const sequence = (Date.parse(run.meta.startedAt) - Date.UTC(2026, 0, 1)) / 3_600_000;
  const cut = syntheticRecord({ model: { steps: Object.keys(run.steps).map((name) => ({ name, medianMs: 0, rate: 0 })) }, blocks, blockMs, measuredMs, sequence, profileHash: run.meta.profile.hash, target: run.meta.target });
  // What the blocks do not hold (a runner fingerprint, the run's id, the scenario's rates) stays as the run recorded it.
  const scenarios = Object.fromEntries(Object.entries(run.scenarios).map(([name, scenario]) => [name, { ...scenario, iterations: cut.overall.requests, intendedIterations: cut.overall.requests }]));
  return { ...cut, meta: { ...run.meta, endedAt: cut.meta.endedAt, measuredMs }, scenarios };
}

/**
 * Whether a stored comparison rules out `multiple` times the allowance: every gated metric was
 * tested and the bound on its worse side (at the comparison's α, so `1 − futilityLevel` gives the
 * futility bound) lies within `multiple` allowances; a gated metric not tested rules nothing out.
 * The paired design's futility rule (`decideLook`), read off a stored comparison's intervals.
 */
export function rulesOut(comparison: Comparison, multiple: number): boolean {
  let tested = 0;
  for (const step of comparison.steps) {
    for (const m of [step.p95, step.throughput, step.errorRate] as MetricComparison[]) {
      if (!m.gated) continue;
      if (m.ci === null) {
        if (m.verdict === 'pass') continue;
        return false;
      }
      tested++;
      const worse = m.worseWhen === 'higher' ? m.ci.high : -m.ci.low;
      const limit = m.metric === 'throughput' ? Math.min(99, m.allowedChange * multiple) : m.allowedChange * multiple;
      if (!(worse < limit)) return false;
    }
  }
  return tested > 0;
}

/** Runs the design over one current run against its history: a look per planned second count, stopping at the first decided one. */
export function runStoredSequential(current: RunRecord, history: readonly RunRecord[], design: SequentialDesign, options: { thresholdPct: number }): StoredRunOutcome {
  const looks: StoredRunOutcome['looks'] = [];
  for (let i = 0; i < design.looks.length; i++) {
    const seconds = design.looks[i] as number;
    const level = design.nominal[i] as number;
    const last = i === design.looks.length - 1;
    const cut = last ? current : truncateSyntheticRun(current, seconds);
    const judged = (alpha: number): Comparison => compareRuns({ baselines: history, current: cut, options: { thresholdPct: options.thresholdPct, alpha }, plannedMeasuredMs: cut.meta.measuredMs });
    // A look whose share of α is nil cannot fail the run; it may still rule the change out.
    const verdict = level > 0 ? judged(level).verdict : 'pass';
    const ruledOut = verdict !== 'regression' && !last && rulesOut(judged(1 - design.futilityLevel), design.futilityMultiple);
    looks.push({ seconds, level, verdict, ruledOut });
    if (verdict === 'regression') return { seconds, stop: 'regression', failed: true, looks };
    if (last) return { seconds, stop: 'maximum', failed: false, looks };
    if (ruledOut) return { seconds, stop: 'ruled-out', failed: false, looks };
  }
  throw new Error('a sequential design ends with a look at its maximum');
}

/** The experiment: per history size and injected change, the fixed and the sequential design on the same draws. */
export function runStoredSequentialExperiment(settings: StoredSequentialSettings, progress: (done: number, total: number) => void = () => {}): StoredSequentialCell[] {
  const design = storedDesign(settings);
  const model: SyntheticModel = { ...settings.model, durationSeconds: settings.maxSeconds };
  const longest = Math.max(...settings.histories);
  const trialsOf = (size: number): number => (size === 0 ? settings.unchangedTrials : settings.changeTrials);
  const cells = new Map<string, StoredSequentialCell>();
  for (const historyRuns of settings.histories) {
    for (const size of settings.sizes) {
      cells.set(`${historyRuns}/${size}`, { historyRuns, size, trials: 0, fixedFails: 0, sequentialFails: 0, stops: { regression: 0, 'ruled-out': 0, maximum: 0 }, seconds: [], disagreements: 0 });
    }
  }
  const total = Math.max(...settings.sizes.map(trialsOf));
  for (let trial = 0; trial < total; trial++) {
    const random = seededRandom(hashSeed(settings.seed, settings.maxSeconds, model.runSigma, trial, STORED_STREAM));
    const history = Array.from({ length: longest }, (_, i) => syntheticRun({ model, random, sequence: i }));
    for (const size of settings.sizes) {
      // Every size draws its current run, so a trial's draws do not depend on which sizes count it.
      const factor = 1 + (size * settings.thresholdPct) / 100;
      const current = syntheticRun({ model, random, sequence: longest, ...(size === 0 ? {} : { regression: { factor } }) });
      if (trial >= trialsOf(size)) continue;
      for (const historyRuns of settings.histories) {
        const used = history.slice(longest - historyRuns);
        const fixed = compareRuns({ baselines: used, current, options: { thresholdPct: settings.thresholdPct, alpha: settings.alpha } }).verdict === 'regression';
        const outcome = runStoredSequential(current, used, design, settings);
        const cell = cells.get(`${historyRuns}/${size}`) as StoredSequentialCell;
        cell.trials++;
        if (fixed) cell.fixedFails++;
        if (outcome.failed) cell.sequentialFails++;
        if (fixed !== outcome.failed) cell.disagreements++;
        cell.stops[outcome.stop]++;
        cell.seconds.push(outcome.seconds);
      }
    }
    progress(trial + 1, total);
  }
  return [...cells.values()];
}

/** Keeps the experiment's streams apart from the grid's (`synthetic-experiment.ts`) at the same seed. */
const STORED_STREAM = 26;

/** The issue's rule, cell by cell: equal calibration (A/A no worse than α, changes caught as often as fixed within the intervals) and time saved. */
export interface StoredSequentialDecision {
  keep: boolean;
  reasons: string[];
}

/**
 * Keep only if it saves time at equal calibration: in every history size the sequential design
 * fails unchanged runs at most α, catches twice the threshold and more (the gate's power target)
 * on the same draws at most `maxPowerLoss` less often than the fixed design (paired mode lost
 * 0.5 points there), and its median unchanged run is shorter than the maximum. A change of one
 * allowance is on the boundary of what the gate lets through: its rate is reported, not held.
 */
export function decide(cells: readonly StoredSequentialCell[], settings: Pick<StoredSequentialSettings, 'alpha' | 'maxSeconds'>, maxPowerLoss = 0.02): StoredSequentialDecision {
  const reasons: string[] = [];
  let keep = true;
  for (const cell of cells) {
    const where = `${cell.historyRuns} baseline runs, ${cell.size === 0 ? 'unchanged runs' : `${cell.size}× the threshold`}`;
    const fixed = cell.fixedFails / cell.trials;
    const sequential = cell.sequentialFails / cell.trials;
    if (cell.size === 0) {
      if (sequential > settings.alpha) {
        keep = false;
        reasons.push(`${where}: sequential fails ${percent(sequential)}, above α = ${settings.alpha}`);
      }
      const medianSeconds = median(cell.seconds);
      if (!(medianSeconds < settings.maxSeconds)) {
        keep = false;
        reasons.push(`${where}: the median run takes the whole ${settings.maxSeconds} s, nothing saved`);
      }
    } else if (cell.size >= 2 && fixed - sequential > maxPowerLoss) {
      keep = false;
      const ci = clopperPearson(cell.sequentialFails, cell.trials);
      reasons.push(`${where}: sequential catches ${percent(sequential)} (${percent(ci.low)} – ${percent(ci.high)}) against ${percent(fixed)} for the fixed run on the same draws`);
    }
  }
  return { keep, reasons };
}

/** A markdown table: per cell, both designs' rates with exact 95% intervals, the sequential run's lengths and why it stopped. */
export function formatStoredSequential(cells: readonly StoredSequentialCell[], settings: StoredSequentialSettings): string {
  const rate = (n: number, trials: number): string => {
    const ci = clopperPearson(n, trials);
    return `${percent(n / trials)} (${percent(ci.low)} – ${percent(ci.high)})`;
  };
  const head = [
    '| baseline runs | change | trials | fixed failed (95% CI) | sequential failed (95% CI) | verdicts differ | median length | mean length | stopped: regression / ruled out / at the maximum |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const rows = cells.map((c) => {
    const mean = c.seconds.reduce((a, b) => a + b, 0) / Math.max(1, c.seconds.length);
    return `| ${c.historyRuns} | ${c.size === 0 ? 'none' : `${c.size}× (+${c.size * settings.thresholdPct}%)`} | ${c.trials} | ${rate(c.fixedFails, c.trials)} | ${rate(c.sequentialFails, c.trials)} | ${c.disagreements} | ${median(c.seconds)} s | ${mean.toFixed(1)} s | ${c.stops.regression} / ${c.stops['ruled-out']} / ${c.stops.maximum} |`;
  });
  const design = storedDesign(settings);
  const levels = design.looks.map((s, i) => `${s} s: ${(design.nominal[i] as number).toPrecision(2)}`).join(', ');
  return [
    `A stored-baseline run stopped early, beside the fixed ${settings.maxSeconds} s run on the same draws (run-to-run noise ${percent(settings.model.runSigma, 0)}, threshold ${settings.thresholdPct}%, α ${settings.alpha}, seed ${settings.seed}). Looks and their levels (O'Brien–Fleming spending on the time fraction): ${levels}; stops when ${design.futilityMultiple}× the allowance is ruled out by the ${percent(design.futilityLevel, 0)} bound.`,
    '',
    ...head,
    ...rows,
  ].join('\n');
}
