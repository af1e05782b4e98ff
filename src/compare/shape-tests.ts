import type { Analysis, Interval, SurgeRecovery } from '../analyze/analysis-types.js';
import { capacityQuestion, recoveryQuestion, trendQuestion } from './shape-questions.js';
import type { RunRecord } from '../record/run-record-types.js';
import { normalQuantile } from '../stats/normal.js';
import type { ResolvedCompareOptions } from './compare-options.js';
import type { ShapeComparison, Verdict } from './comparison-types.js';
import { toChange } from './gated-metrics.js';
import { decide, worsePValue } from './metric-decision.js';
import type { RunEstimate } from './run-estimates.js';
import { estimateShift, type NoisePrior, type ShiftEstimate } from './shift-estimate.js';
import { worstVerdict } from './verdict-rules.js';

/**
 * The answers a run's shape gives (`analyze/`), gated against the baseline runs' own answers, as
 * p95 and throughput are (docs/analyze.md, "Gated like the rest"): the sustainable rate of a
 * rising load, the time to recover from each surge, the slow burn of a steady load. Each baseline
 * run is analysed the same way, so its answer is one more run of the random-effects model
 * (`shift-estimate.ts`): the current run's answer with its own interval as the within-run noise,
 * the baseline runs' spread as the run-to-run noise, and the same two bars (`metric-decision.ts`).
 * Stored baselines; paired mode sets the head's answers against the base's (`paired-shape.ts`).
 */

/** What the run's shape answers, as the caller analyses a run (the same options for every run). */
export type ShapeOf = (run: RunRecord) => Analysis;

/** One question before the multiple-test correction: its test, or why there is none. */
export interface ShapeTest {
  question: ShapeComparison['question'];
  name: string;
  worseSign: 1 | -1;
  unit: ShapeComparison['unit'];
  changeUnit: ShapeComparison['changeUnit'];
  /** Counted towards the verdict; when tested, in the correction's family too. */
  gated: boolean;
  /** What gates it when it is only reported; default the slow burn's `regression.trend`. */
  gatedBy?: string;
  baselineRuns: number;
  /** The current run's answer, in `unit`. */
  current: number | null;
  /** The allowed worsening on the analysis scale (> 0), and signed in `changeUnit`. */
  allowed: number;
  allowedChange: number;
  tested?: {
    shift: ShiftEstimate;
    pValue: number;
    failLevel?: number;
    adjustedPValue?: number;
    /** Verdicts this answer cannot support (a capacity the ramp never reached is a lower bound), and why. */
    limits?: { cannot: ReadonlyArray<Verdict>; reason: string };
  };
  untested?: { verdict: Verdict; reason: string };
}

/** Of the analysis intervals (95%, two-sided), the normal quantile their half-width spans. */
const Z95 = normalQuantile(0.975);

interface ShapeRun {
  analysis: Analysis;
  blockSeconds: number;
  measuredMinutes: number;
}

/**
 * The questions the current run's shape asks, each tested against the baseline runs that
 * answered it. A run whose shape asks none (a plain load test) gets none: the trend of a steady
 * load is always asked, but gated only when the profile sets `regression.trend`.
 */
export function shapeTests(current: RunRecord, history: readonly RunRecord[], shapeOf: ShapeOf, options: ResolvedCompareOptions): ShapeTest[] {
  if (history.length === 0) return [];
  const shapeRun = (run: RunRecord): ShapeRun => ({ analysis: shapeOf(run), blockSeconds: run.meta.blockMs / 1000, measuredMinutes: run.meta.measuredMs / 60_000 });
  const now = shapeRun(current);
  const then = history.map(shapeRun);
  return [...capacityTest(now, then, options), ...now.analysis.recovery.map((surge, i) => recoveryTest(surge, i, now, then, options)), ...trendTest(now, then, options)];
}

/** The run-to-run noise assumed for a ratio (capacity, recovery), as for p95 and throughput. */
function logPrior(options: ResolvedCompareOptions): NoisePrior {
  return { sd: Math.log1p(Math.max(options.noiseFloorPct, 0.1) / 100) };
}

/** A log-scale answer whose 95% interval (on the same scale) gives its within-run variance. */
function logEstimate(value: number, low: number, high: number, blocks: number): RunEstimate {
  const half = (Math.log(high) - Math.log(low)) / (2 * Z95);
  return { value: Math.log(value), withinVariance: half * half, withinDf: Number.POSITIVE_INFINITY, blocks };
}

function tested(base: Omit<ShapeTest, 'tested' | 'untested'>, current: RunEstimate, history: RunEstimate[], prior: NoisePrior, limits?: { cannot: Verdict[]; reason: string }): ShapeTest {
  const shift = estimateShift(current, history, prior);
  return { ...base, tested: { shift, pValue: worsePValue(shift, base.worseSign), ...(limits ? { limits } : {}) } };
}

/** Floors an interval's ends: a rate can be 0 at its low end, and a log needs it above. */
function positive(interval: Interval, floor: number): Interval {
  return { estimate: Math.max(interval.estimate, floor), low: Math.max(interval.low, floor), high: Math.max(interval.high, floor) };
}

/**
 * The sustainable rate, on the log scale: a drop of more than `regression.capacity` fails when it
 * is significant. A ramp that never saturated the target measured a lower bound (`atLeast`): in
 * the current run it cannot show a loss, in a baseline run it cannot show that none was lost.
 */
function capacityTest(now: ShapeRun, then: readonly ShapeRun[], options: ResolvedCompareOptions): ShapeTest[] {
  const capacity = now.analysis.capacity;
  if (capacity === undefined) return [];
  const base = capacityQuestion(options);
  const answered = then.map((run) => run.analysis.capacity).filter((c) => c !== undefined && c.sustainableRps !== null);
  const current = capacity.sustainableRps;
  if (answered.length === 0) {
    return [{ ...base, gated: false, baselineRuns: 0, current: current?.estimate ?? null, untested: { verdict: 'no-baseline', reason: 'no baseline run measured a breaking point: the baseline runs did not rise through three levels or more' } }];
  }
  if (current === null) {
    return [{ ...base, baselineRuns: answered.length, current: null, untested: { verdict: 'inconclusive', reason: 'the target did not keep up even at the lowest load tried, so this run has no sustainable rate to compare' } }];
  }
  const withBase = { ...base, baselineRuns: answered.length, current: current.estimate };
  const nowAtLeast = capacity.atLeast;
  const thenAtLeast = answered.some((c) => c?.atLeast === true);
  if (nowAtLeast && thenAtLeast) {
    return [{ ...withBase, gated: false, untested: { verdict: 'pass', reason: 'the target kept up with the highest load tried, in this run as in the baseline runs: no capacity was lost up to that load, and beyond it nothing was measured' } }];
  }
  const floor = 1e-6 * current.estimate;
  const estimateOf = (c: NonNullable<Analysis['capacity']>): RunEstimate => {
    const rate = positive(c.sustainableRps as Interval, floor);
    return logEstimate(rate.estimate, rate.low, rate.high, c.levels.length);
  };
  const limits = nowAtLeast
    ? { cannot: ['regression' as const], reason: 'the target kept up with the highest load this run tried, so its capacity is at least what it measured: a drop cannot be shown' }
    : thenAtLeast
      ? { cannot: ['pass' as const, 'improvement' as const], reason: 'a baseline run kept up with the highest load it tried, so the baseline capacity is a lower bound: no drop cannot be shown' }
      : undefined;
  return [tested(withBase, estimateOf(capacity), answered.map((c) => estimateOf(c as NonNullable<Analysis['capacity']>)), logPrior(options), limits)];
}

/**
 * The time to recover from surge `index` (matched by position) on the log scale, a recovery
 * within a block counted as one block (the measure's resolution): a rise of more than
 * `regression.recovery` fails when it is significant. A current run never back within what it
 * watched recovered later than that, a lower bound: it can show a rise, nothing else.
 */
function recoveryTest(surge: SurgeRecovery, index: number, now: ShapeRun, then: readonly ShapeRun[], options: ResolvedCompareOptions): ShapeTest {
  const base = {
    ...recoveryQuestion(options, index),
    current: surge.seconds?.estimate ?? null,
  };
  const matched = then.flatMap((run) => {
    const theirs = run.analysis.recovery[index];
    return theirs === undefined ? [] : [{ surge: theirs, blockSeconds: run.blockSeconds }];
  });
  if (matched.length === 0) return { ...base, gated: false, baselineRuns: 0, untested: { verdict: 'no-baseline', reason: `no baseline run had a surge ${index + 1}` } };
  const withBase = { ...base, baselineRuns: matched.length };
  const unjudged = matched.filter((m) => m.surge.seconds === null);
  if (unjudged.length > 0) {
    return { ...withBase, gated: false, untested: { verdict: 'inconclusive', reason: `${unjudged.length} of ${matched.length} baseline runs were not back from this surge within the run (or could not judge it), so there is no baseline time to compare with` } };
  }
  const estimateOf = (seconds: Interval, blockSeconds: number): RunEstimate => {
    const floored = positive(seconds, blockSeconds);
    return logEstimate(floored.estimate, floored.low, floored.high, 1);
  };
  const history = matched.map((m) => estimateOf(m.surge.seconds as Interval, m.blockSeconds));
  if (surge.seconds !== null) return tested(withBase, estimateOf(surge.seconds, now.blockSeconds), history, logPrior(options));
  if (surge.observedSeconds === undefined || surge.allowancePct === undefined) {
    return { ...withBase, untested: { verdict: 'inconclusive', reason: `this run could not judge its recovery${surge.note ? `: ${surge.note.replace(/\.$/, '')}` : ''}` } };
  }
  // Not back within what was watched: the time is at least that long.
  const watched = Math.max(surge.observedSeconds, now.blockSeconds);
  return tested(withBase, { value: Math.log(watched), withinVariance: 0, withinDf: Number.POSITIVE_INFINITY, blocks: 1 }, history, logPrior(options), {
    cannot: ['pass', 'improvement'],
    reason: `this run was not back within the ${watched.toFixed(0)} s it watched after the surge, so its recovery time is at least that`,
  });
}

/**
 * The slow burn: the current run's slope of log block p95 a minute minus the baseline runs' own
 * slopes (a cache that fills in every run is no regression). The slope's standard error and
 * degrees of freedom are the run's own (autocorrelation allowed for, `stats/hac-slope.ts`); the
 * run-to-run noise assumed until the history measures it is the noise floor spread over the
 * run's length (a run's level wandering by the noise floor within it). Gated only when the
 * profile sets `regression.trend`: a plain load test is steady too, and too short to bound a
 * slope; without it the comparison is reported.
 */
function trendTest(now: ShapeRun, then: readonly ShapeRun[], options: ResolvedCompareOptions): ShapeTest[] {
  const trend = now.analysis.trend;
  if (trend === undefined) return [];
  const base = {
    ...trendQuestion(options),
    current: trend.p95PctPerMinute.estimate,
  };
  const slopeOf = (answer: Analysis['trend']): RunEstimate | undefined => {
    const fit = answer?.logSlopePerMinute;
    return fit === undefined ? undefined : { value: fit.estimate, withinVariance: fit.se * fit.se, withinDf: fit.df, blocks: answer?.blocks ?? 0 };
  };
  const current = slopeOf(trend);
  const history = then.map((run) => slopeOf(run.analysis.trend)).filter((s): s is RunEstimate => s !== undefined);
  if (current === undefined) return [{ ...base, gated: false, baselineRuns: history.length, untested: { verdict: 'inconclusive', reason: 'this analysis does not carry its slope' } }];
  if (history.length === 0) return [{ ...base, gated: false, baselineRuns: 0, untested: { verdict: 'no-baseline', reason: 'no baseline run held a steady load long enough for a slow burn' } }];
  const prior = { sd: Math.log1p(Math.max(options.noiseFloorPct, 0.1) / 100) / Math.max(now.measuredMinutes, 1 / 60) };
  return [tested({ ...base, baselineRuns: history.length }, current, history, prior)];
}

/** The tests the multiple-test correction spans: those gated and tested. */
export function shapeFamily(tests: readonly ShapeTest[]): Array<{ name: string; test: NonNullable<ShapeTest['tested']> }> {
  return tests.flatMap((t) => (t.gated && t.tested ? [{ name: t.name, test: t.tested }] : []));
}

export interface ShapeHolds {
  /** Every verdict is held back (a run that was not whole), with this reason. */
  all?: string;
  /** Regressions are held back (a far slower runner), with this reason. */
  regressions?: string;
}

/** Each test's verdict, interval and detectable change once the correction has set its level. */
export function judgeShapeTests(tests: readonly ShapeTest[], options: ResolvedCompareOptions, detectionLevel: number, holds: ShapeHolds = {}): ShapeComparison[] {
  return tests.map((test) => held(judge(test, options, detectionLevel), holds));
}

function judge(test: ShapeTest, options: ResolvedCompareOptions, detectionLevel: number): ShapeComparison {
  const base = {
    question: test.question,
    name: test.name,
    worseWhen: test.worseSign === 1 ? ('higher' as const) : ('lower' as const),
    gated: test.gated,
    unit: test.unit,
    changeUnit: test.changeUnit,
    current: finite(test.current),
    baselineRuns: test.baselineRuns,
    allowedChange: test.allowedChange,
  };
  const run = test.tested;
  if (run === undefined) {
    const untested = test.untested ?? { verdict: 'inconclusive' as const, reason: 'not tested' };
    return { ...base, verdict: untested.verdict, reason: untested.reason, baseline: null, change: null, ci: null, pValue: null, adjustedPValue: null, failLevel: null, minimumDetectableChange: null, noise: null };
  }
  const failLevel = test.gated ? (run.failLevel ?? options.alpha) : options.alpha;
  const decision = decide({ shift: run.shift, worseSign: test.worseSign, allowed: test.allowed, failLevel, alpha: options.alpha, detectionLevel: test.gated ? detectionLevel : options.alpha, power: options.power });
  let verdict: Verdict = decision.verdict;
  let reason: string | undefined;
  if (run.limits?.cannot.includes(verdict)) {
    verdict = 'inconclusive';
    reason = run.limits.reason;
  } else if (verdict === 'inconclusive') reason = 'too noisy to tell: the interval holds both no change and the allowed change';
  if (!test.gated) reason = `${reason === undefined ? '' : `${reason}; `}reported, not gated: ${test.gatedBy ?? 'set regression.trend to gate the slow burn'}`;
  const change = (d: number): number => (test.changeUnit === '%/min' ? 100 * Math.expm1(d) : toChange({ scale: 'log' }, d));
  const shift = run.shift;
  const binding = decision.binding;
  return {
    ...base,
    verdict,
    ...(reason !== undefined ? { reason } : {}),
    baseline: test.unit === '%/min' ? 100 * Math.expm1(shift.baselineValue) : Math.exp(shift.baselineValue),
    change: change(shift.estimate),
    ci: { low: change(decision.interval.low), high: change(decision.interval.high) },
    pValue: run.pValue,
    adjustedPValue: test.gated ? (run.adjustedPValue ?? run.pValue) : run.pValue,
    failLevel,
    minimumDetectableChange: change(decision.minimumDetectable),
    noise: {
      standardError: Math.sqrt(binding.variance),
      withinCurrent: Math.sqrt(binding.withinCurrentVariance),
      withinBaseline: Math.sqrt(binding.withinBaselineVariance),
      betweenRuns: Math.sqrt(binding.betweenRunVariance),
      betweenRunsSource: shift.historyRuns >= 2 ? 'history' : 'noise-floor',
    },
  };
}

function held(comparison: ShapeComparison, holds: ShapeHolds): ShapeComparison {
  const judged = comparison.verdict === 'pass' || comparison.verdict === 'regression' || comparison.verdict === 'improvement';
  if (holds.all !== undefined && judged) return { ...comparison, verdict: 'inconclusive', reason: holds.all };
  if (holds.regressions !== undefined && comparison.verdict === 'regression') return { ...comparison, verdict: 'inconclusive', reason: holds.regressions };
  return comparison;
}

/**
 * The run's verdict with its shape's gated answers: a regression of any fails it, an inconclusive
 * one holds it in doubt, as p95's would. A comparison with nothing to compare (no baseline) or a
 * generator that was the bottleneck keeps its verdict.
 */
export function withShapeVerdicts(verdict: Verdict, shapes: readonly ShapeComparison[], generatorValid: boolean): Verdict {
  if (verdict === 'no-baseline' || !generatorValid) return verdict;
  const gated = shapes.filter((s) => s.gated).map((s) => s.verdict);
  return gated.length === 0 ? verdict : worstVerdict([verdict, ...gated]);
}

function finite(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}
