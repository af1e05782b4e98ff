import type { RunRecord, StepRecord } from '../record/run-record-types.js';
import type { GatedMetric } from './comparison-types.js';
import type { ResolvedCompareOptions } from './compare-options.js';
import { GATED_METRICS } from './gated-metrics.js';
import { worsePValue } from './metric-decision.js';
import { commonBlockMs, preferredBlockMs } from './block-length.js';
import { withoutBursts } from './bursts.js';
import { generatorAllowance, type GeneratorAllowance } from '../record/generator-allowance.js';
import { metricAllowance } from './generator-allowance.js';
import { estimateShift, type ShiftEstimate } from './shift-estimate.js';
import { findPooledChangePoints, POOLED_CHANGE_POINT_DEFAULTS } from '../stats/change-points.js';
import { groupBlocks, measureStep, type GroupedBlock, type StepMeasurement } from './step-measurement.js';

/**
 * The statistics of one step (or overall) before any verdict: the current run and the history
 * measured, and for each gated metric either a test (the shift and its one-sided p-value) or the
 * reason there is none. Verdicts wait until the multiple-test correction has seen every test.
 */

/** The name `regression.steps` uses for all steps together. */
export const OVERALL = 'overall';

export interface StepSource {
  name: string;
  kind: 'overall' | 'step';
  pick(run: RunRecord): StepRecord | undefined;
}

/** Overall first, then the current run's steps in its order. */
export function stepSources(current: RunRecord): StepSource[] {
  return [
    { name: OVERALL, kind: 'overall', pick: (run) => run.overall },
    ...Object.keys(current.steps).map((name): StepSource => ({ name, kind: 'step', pick: (run) => run.steps[name] })),
  ];
}

/** A metric with a p-value; the corrected level is filled in once every step has been analyzed. */
export interface Tested {
  shift: ShiftEstimate;
  /** Where the level the current run is compared with starts, when it moved: the run and its index in `StepAnalysis.history`. */
  levelFrom?: { run: RunRecord; historyIndex: number };
  pValue: number;
  blocks: number;
  /** Seconds of this run set aside as a burst. */
  burstSeconds: number;
  failLevel?: number;
  adjustedPValue?: number;
  /** What the generator could have made each side look worse by, badness on the analysis scale (`generator-allowance.ts`). */
  generatorAllowance?: { current: number; baseline: number };
  /** The baseline runs tested, oldest first, with their values and within-run variances: what the pooled search across steps reads (stored baselines). */
  series?: Array<{ run: RunRecord; value: number; withinVariance: number | null }>;
}

/**
 * Where the level moved for every step together, per metric (`pooledLevelStarts`): the run the
 * newest pooled segment starts at, and which way the level went (+1 up, −1 down).
 */
export type LevelHints = Partial<Record<GatedMetric, { run: RunRecord; sign: number }>>;

export interface StepAnalysis {
  source: StepSource;
  counted: boolean;
  current: StepMeasurement;
  history: StepMeasurement[];
  /** The analysis blocks' length, ms, common to every run (see `block-length.ts`). */
  analysisBlockMs: number;
  currentGroups: GroupedBlock[];
  newestBaselineGroups: GroupedBlock[] | null;
  /** Newest baseline run's measurement of this step, for the block chart. */
  newestBaseline: StepMeasurement | undefined;
  tests: Partial<Record<GatedMetric, Tested>>;
  /** Why a metric has no test: no baseline, or too little data. */
  untested: Partial<Record<GatedMetric, { verdict: 'no-baseline' | 'inconclusive' | 'pass'; reason: string }>>;
}

/** Why a metric cannot change in this comparison, so it is not a question worth a test. */
export type Fixed = Partial<Record<GatedMetric, string>>;

export function analyzeStep(
  source: StepSource,
  current: RunRecord,
  history: readonly RunRecord[],
  counted: boolean,
  options: ResolvedCompareOptions,
  fixed: Fixed = {},
  bursts: ReadonlyMap<RunRecord, readonly boolean[]> = new Map(),
  generator: GeneratorAllowance = { addedMs: 0, throughputPct: 0 },
  hints: LevelHints = {},
): StepAnalysis {
  const currentMeasurement = measureStep(current, source.pick(current) as StepRecord);
  const measuredRuns = history.flatMap((run) => {
    const step = source.pick(run);
    return step === undefined ? [] : [{ run, measurement: measureStep(run, step) }];
  });
  const historyMeasurements = measuredRuns.map((m) => m.measurement);
  const measurements = [currentMeasurement, ...historyMeasurements];
  const analysisBlockMs = commonBlockMs(
    measurements.map((m) => preferredBlockMs(m, options.minBlockRequests, options.minBlocks)),
    measurements.map((m) => m.blockMs),
  );
  const groupsOf = (m: StepMeasurement): GroupedBlock[] => groupBlocks(m, Math.max(1, Math.round(analysisBlockMs / m.blockMs)));
  const currentGroups = groupsOf(currentMeasurement);
  const historyGroups = historyMeasurements.map(groupsOf);
  const calmOf = (run: RunRecord, m: StepMeasurement): GroupedBlock[] => groupsOf(withoutBursts(m, bursts.get(run) ?? []));
  const currentCalm = calmOf(current, currentMeasurement);
  const historyCalm = measuredRuns.map(({ run, measurement }) => calmOf(run, measurement));
  const analysis: StepAnalysis = {
    source,
    counted,
    current: currentMeasurement,
    history: historyMeasurements,
    analysisBlockMs,
    currentGroups,
    newestBaselineGroups: historyGroups.at(-1) ?? null,
    newestBaseline: historyMeasurements.at(-1),
    tests: {},
    untested: {},
  };
  const levelStart = (run: RunRecord): { run: RunRecord; historyIndex: number } => ({ run, historyIndex: measuredRuns.findIndex((m) => m.run === run) });
  const limits = { minBlockRequests: options.minBlockRequests, minBlocks: options.minBlocks };
  for (const spec of GATED_METRICS) {
    if (history.length === 0) {
      analysis.untested[spec.metric] = { verdict: 'no-baseline', reason: 'no baseline run to compare with' };
      continue;
    }
    if (historyMeasurements.length === 0) {
      analysis.untested[spec.metric] = { verdict: 'no-baseline', reason: 'no baseline run measured this step' };
      continue;
    }
    const why = fixed[spec.metric];
    if (why !== undefined) {
      analysis.untested[spec.metric] = { verdict: 'pass', reason: why };
      continue;
    }
    const estimate = spec.estimate(currentMeasurement, currentGroups, limits, currentCalm);
    if (!estimate.ok) {
      analysis.untested[spec.metric] = { verdict: 'inconclusive', reason: `this run: ${estimate.reason}` };
      continue;
    }
    const baselines = historyMeasurements.map((m, i) => spec.estimate(m, historyGroups[i] as GroupedBlock[], limits, historyCalm[i]));
    const usable = baselines.flatMap((b) => (b.ok ? [b.estimate] : []));
    const usableRuns = baselines.flatMap((b, i) => (b.ok ? [(measuredRuns[i] as { run: RunRecord }).run] : []));
    if (usable.length === 0) {
      const problem = baselines.flatMap((b) => (b.ok ? [] : [b.reason]))[0] ?? 'no usable run';
      analysis.untested[spec.metric] = { verdict: 'inconclusive', reason: `baseline: ${problem}` };
      continue;
    }
    const prior = spec.prior(options);
    if (usable.length < 2 && prior.sd === 0 && [estimate.estimate, ...usable].every((run) => run.withinVariance === null)) {
      analysis.untested[spec.metric] = { verdict: 'inconclusive', reason: 'nothing measures the noise: one baseline run, too few blocks in this run, and no assumed run-to-run noise' };
      continue;
    }
    // The default branch's level may have moved: p95 and throughput are compared with the runs since (`stats/change-points.ts`).
    const accepted = usableRuns.flatMap((run, i) => (run.meta.baseline?.newSegment !== undefined ? [i] : []));
    const pooled = pooledStartOf(hints[spec.metric], usableRuns, usable.map((u) => u.value), history);
    const shift = estimateShift(estimate.estimate, usable, prior, { detect: spec.metric !== 'errorRate', accepted, pooled: pooled === undefined ? [] : [pooled] });
    const fromCurrent = metricAllowance(spec.metric, generator, currentMeasurement.p95Ms);
    const fromBaseline = baselineAllowance(spec.metric, usableRuns, baselines.flatMap((b, i) => (b.ok ? [historyMeasurements[i] as StepMeasurement] : [])));
    analysis.tests[spec.metric] = {
      shift,
      ...(shift.levelMove ? { levelFrom: levelStart(usableRuns[shift.levelMove.start] as RunRecord) } : {}),
      pValue: worsePValue(shift, spec.worseSign, fromCurrent),
      blocks: estimate.estimate.blocks,
      burstSeconds: estimate.estimate.burstSeconds ?? 0,
      ...(fromCurrent > 0 || fromBaseline > 0 ? { generatorAllowance: { current: fromCurrent, baseline: fromBaseline } } : {}),
      series: usable.map((u, i) => ({ run: usableRuns[i] as RunRecord, value: u.value, withinVariance: u.withinVariance })),
    };
  }
  return analysis;
}

/**
 * What the generator could have added to the baseline's level, on the analysis scale: the mean of
 * the runs' own allowances, as the level is a mean of their values. Only runs whose generator fell
 * behind reach the comparison with one (`baseline-selection.ts`), and only when too few kept up.
 * It is added before a pass is concluded, never before a regression: a baseline made to look
 * slower can only hide a change.
 */
function baselineAllowance(metric: GatedMetric, runs: readonly RunRecord[], measurements: readonly StepMeasurement[]): number {
  if (runs.length === 0) return 0;
  let total = 0;
  runs.forEach((run, i) => {
    const allowance = generatorAllowance(run);
    if (allowance !== undefined) total += metricAllowance(metric, allowance, (measurements[i] as StepMeasurement).p95Ms);
  });
  return total / runs.length;
}

/**
 * The change points of every tested step's history searched together, per metric (p95 and
 * throughput): a step of 10 requests a second sees a 20% move of the default branch's level
 * through a few latencies in each block's tail and misses it in some histories, while the steps
 * together see it plainly. Only the runs every step tested are pooled; the newest pooled change
 * (not one a maintainer accepted, which each step starts anyway) is returned with its direction.
 */
export function pooledLevelStarts(analyses: readonly StepAnalysis[], history: readonly RunRecord[]): LevelHints {
  const hints: LevelHints = {};
  for (const metric of ['p95', 'throughput'] as const) {
    const tested = analyses.flatMap((a) => (a.tests[metric]?.series ? [a.tests[metric].series] : []));
    if (tested.length < 2) continue;
    const runs = history.filter((run) => tested.every((series) => series.some((entry) => entry.run === run)));
    if (runs.length < 2 * POOLED_CHANGE_POINT_DEFAULTS.minSegment) continue;
    const series = tested.map((entries) => {
      const chosen = runs.map((run) => entries.find((entry) => entry.run === run) as (typeof entries)[number]);
      const within = chosen.map((entry) => entry.withinVariance).filter((v): v is number => v !== null);
      return { values: chosen.map((entry) => entry.value), withinVariance: within.length > 0 ? within.reduce((a, b) => a + b, 0) / within.length : 0 };
    });
    const accepted = runs.flatMap((run, i) => (run.meta.baseline?.newSegment !== undefined ? [i] : []));
    const starts = findPooledChangePoints(series, { ...POOLED_CHANGE_POINT_DEFAULTS, forced: accepted });
    const newest = starts.at(-1) as number;
    if (newest === 0 || accepted.includes(newest)) continue;
    const previous = starts.at(-2) as number;
    const level = (from: number, to: number): number => series.reduce((sum, s) => sum + s.values.slice(from, to).reduce((a, b) => a + b, 0) / (to - from), 0);
    const sign = Math.sign(level(newest, runs.length) - level(previous, newest));
    if (sign !== 0) hints[metric] = { run: runs[newest] as RunRecord, sign };
  }
  return hints;
}

/**
 * The index in a step's usable runs where the pooled change applies to it: the first of its runs
 * from the pooled start on, when its own values moved the same way across it (their mean after
 * against their mean before); undefined otherwise.
 */
function pooledStartOf(hint: LevelHints[GatedMetric], usableRuns: readonly RunRecord[], values: readonly number[], history: readonly RunRecord[]): number | undefined {
  if (hint === undefined) return undefined;
  const from = history.indexOf(hint.run);
  const index = usableRuns.findIndex((run) => history.indexOf(run) >= from);
  if (index < 1) return undefined;
  const mean = (part: readonly number[]): number => part.reduce((a, b) => a + b, 0) / part.length;
  return Math.sign(mean(values.slice(index)) - mean(values.slice(0, index))) === hint.sign ? index : undefined;
}
