import type { Analysis, CapacityAnswer, Interval, SurgeRecovery, TrendAnswer } from '../analyze/analysis-types.js';
import { capacityQuestion, recoveryQuestion, trendQuestion } from './shape-questions.js';
import type { Arm } from '../record/paired-layout.js';
import type { PairedRecord } from '../record/paired-record-types.js';
import { normalQuantile } from '../stats/normal.js';
import type { ResolvedCompareOptions } from './compare-options.js';
import type { ShapeComparison, Verdict } from './comparison-types.js';
import { worsePValue } from './metric-decision.js';
import type { ShapeTest } from './shape-tests.js';
import type { ShiftEstimate } from './shift-estimate.js';

/**
 * The run's shape in paired mode (docs/analyze.md, "In paired mode"): each target's answers
 * (the breaking point, the recovery from each surge, the slow burn), each target's blocks read
 * on the run's clock (`analyze/paired-arms.ts`), and the head's set against the base's. Both
 * targets had the same load at the same time on the same runner, so what they share cancels in
 * the difference of their answers: the test is on head − base (log sustainable rate, log recovery
 * time, log-p95 slope a minute), its variance the sum of the two answers' own (each from its
 * bootstrap interval or its slope's standard error). What the two share moves both answers alike,
 * so the sum overstates the variance of the difference, never understates it.
 */

/** Of the analysis intervals (95%, two-sided), the normal quantile their half-width spans. */
const Z95 = normalQuantile(0.975);
/** The least standard error of a difference on the log scale: an interval of no width still rests on blocks. */
const LEAST_SE = 0.005;

/** What one target's shape answers, as the caller analyses a target (the same options for both). */
export type ArmShapeOf = (paired: PairedRecord, arm: Arm) => Analysis;

export interface PairedShape {
  head: Analysis;
  base: Analysis;
  /** The questions the head's shape asks, each set against the base's answer (before the correction). */
  tests: ShapeTest[];
}

/** One side's answer on the analysis scale, with the variance of its own noise and its degrees of freedom. */
interface Side {
  value: number;
  variance: number;
  df: number;
}

/**
 * Both targets' answers, and the head's tested against the base's. `stoppedEarly`: a sequential run
 * stopped once its p95 and throughput were decided, before its load's shape was complete: the
 * answers are reported, none is tested (a stress ramp cut at its second level has no breaking point).
 */
export function pairedShape(paired: PairedRecord, shapeOf: ArmShapeOf, options: ResolvedCompareOptions): PairedShape {
  const head = shapeOf(paired, 'head');
  const base = shapeOf(paired, 'base');
  const blockSeconds = paired.head.meta.blockMs / 1000;
  const tests = [...capacityTest(head.capacity, base.capacity, options), ...head.recovery.map((surge, i) => recoveryTest(surge, base.recovery[i], i, blockSeconds, options)), ...trendTest(head.trend, base.trend, options)];
  const stoppedAt = paired.meta.sequential?.stoppedAtPairs;
  if (stoppedAt === undefined) return { head, base, tests };
  const reason = `the run stopped after ${stoppedAt} block pairs, once p95 and throughput were decided, before the load's shape was complete (run with --fixed to answer it)`;
  return { head, base, tests: tests.map((t) => ({ ...withoutTest(t), gated: false, untested: { verdict: 'inconclusive' as const, reason } })) };
}

function withoutTest(test: ShapeTest): ShapeTest {
  const { tested: _tested, untested: _untested, ...rest } = test;
  return rest;
}

/** Head − base as the comparison's shift: the base is the one "baseline run", no run-to-run part (both were measured together). */
export function pairedShapeShift(head: Side, base: Side): ShiftEstimate {
  const variance = Math.max(head.variance + base.variance, LEAST_SE * LEAST_SE);
  return {
    estimate: head.value - base.value,
    baselineValue: base.value,
    historyRuns: 1,
    noise: {
      weights: [1],
      variances: [variance],
      dfs: [welchDf(head, base)],
      meanBetween: 0,
      meanVariance: variance,
      variance,
      withinCurrentVariance: head.variance,
      withinBaselineVariance: base.variance,
      betweenRunVariance: 0,
      priorSd: 0,
      currentWithinKnown: true,
    },
  };
}

/** Welch–Satterthwaite degrees of freedom of a sum of two variances (infinite ones: a normal interval). */
function welchDf(a: Side, b: Side): number {
  const sum = a.variance + b.variance;
  if (!(sum > 0)) return Number.POSITIVE_INFINITY;
  const part = (s: Side): number => (s.variance === 0 ? 0 : Number.isFinite(s.df) ? (s.variance * s.variance) / s.df : 0);
  const denominator = part(a) + part(b);
  return denominator > 0 ? Math.max(1, (sum * sum) / denominator) : Number.POSITIVE_INFINITY;
}

/** A positive answer with its 95% interval, on the log scale; ends floored at `floor`. */
function logSide(answer: Interval, floor: number): Side {
  const [estimate, low, high] = [answer.estimate, answer.low, answer.high].map((v) => Math.max(v, floor)) as [number, number, number];
  const half = (Math.log(high) - Math.log(low)) / (2 * Z95);
  return { value: Math.log(estimate), variance: half * half, df: Number.POSITIVE_INFINITY };
}

function tested(base: Omit<ShapeTest, 'tested' | 'untested'>, head: Side, baseSide: Side, limits?: { cannot: Verdict[]; reason: string }): ShapeTest {
  const shift = pairedShapeShift(head, baseSide);
  return { ...base, tested: { shift, pValue: worsePValue(shift, base.worseSign), ...(limits ? { limits } : {}) } };
}

/**
 * The head's sustainable rate against the base's: a drop of more than `regression.capacity` fails
 * when it is significant. A target that kept up with the highest load tried measured a lower
 * bound, as in a stored comparison: the head's cannot show a loss, the base's cannot show none.
 */
function capacityTest(head: CapacityAnswer | undefined, base: CapacityAnswer | undefined, options: ResolvedCompareOptions): ShapeTest[] {
  if (head === undefined) return [];
  const question = {
    ...capacityQuestion(options),
    current: head.sustainableRps?.estimate ?? null,
  };
  if (base === undefined || base.sustainableRps === null) {
    const why = base === undefined ? 'the base target’s load did not rise through three levels or more' : 'the base target did not keep up even at the lowest load tried';
    return [{ ...question, baselineRuns: 0, untested: { verdict: 'inconclusive', reason: `${why}, so there is no base capacity to compare with` } }];
  }
  const withBase = { ...question, baselineRuns: 1 };
  if (head.sustainableRps === null) return [{ ...withBase, untested: { verdict: 'inconclusive', reason: 'the head target did not keep up even at the lowest load tried, so it has no sustainable rate to compare' } }];
  if (head.atLeast && base.atLeast) {
    return [{ ...withBase, gated: false, untested: { verdict: 'pass', reason: 'both targets kept up with the highest load tried: no capacity was lost up to that load, and beyond it nothing was measured' } }];
  }
  const limits = head.atLeast
    ? { cannot: ['regression' as const], reason: 'the head kept up with the highest load tried, so its capacity is at least what it measured: a drop cannot be shown' }
    : base.atLeast
      ? { cannot: ['pass' as const, 'improvement' as const], reason: 'the base kept up with the highest load tried, so its capacity is a lower bound: no drop cannot be shown' }
      : undefined;
  const floor = 1e-6 * Math.max(head.sustainableRps.estimate, base.sustainableRps.estimate, 1e-9);
  return [tested(withBase, logSide(head.sustainableRps, floor), logSide(base.sustainableRps, floor), limits)];
}

/**
 * The head's time to recover from surge `index` against the base's from the same surge (matched by
 * position), on the log scale, a recovery within a block counted as one block: a rise of more than
 * `regression.recovery` fails when it is significant. A head not back within what it watched took
 * at least that long: it can show a rise, nothing else.
 */
function recoveryTest(head: SurgeRecovery, base: SurgeRecovery | undefined, index: number, blockSeconds: number, options: ResolvedCompareOptions): ShapeTest {
  const question = {
    ...recoveryQuestion(options, index),
    current: head.seconds?.estimate ?? null,
  };
  if (base === undefined) return { ...question, gated: false, baselineRuns: 0, untested: { verdict: 'inconclusive', reason: `the base target had no surge ${index + 1}` } };
  const withBase = { ...question, baselineRuns: 1 };
  if (base.seconds === null) {
    return { ...withBase, gated: false, untested: { verdict: 'inconclusive', reason: `the base target was not back from this surge within the run (or could not judge it), so there is no base time to compare with${base.note ? `: ${base.note.replace(/\.$/, '')}` : ''}` } };
  }
  const baseSide = logSide(base.seconds, blockSeconds);
  if (head.seconds !== null) return tested(withBase, logSide(head.seconds, blockSeconds), baseSide);
  if (head.observedSeconds === undefined || head.allowancePct === undefined) {
    return { ...withBase, untested: { verdict: 'inconclusive', reason: `the head could not judge its recovery${head.note ? `: ${head.note.replace(/\.$/, '')}` : ''}` } };
  }
  const watched = Math.max(head.observedSeconds, blockSeconds);
  return tested(withBase, { value: Math.log(watched), variance: 0, df: Number.POSITIVE_INFINITY }, baseSide, {
    cannot: ['pass', 'improvement'],
    reason: `the head was not back within the ${watched.toFixed(0)} s it watched after the surge, so its recovery time is at least that`,
  });
}

/**
 * The slow burn: the head's slope of log block p95 a minute minus the base's, each with its own
 * standard error (autocorrelation allowed for) and degrees of freedom. What both targets share (a
 * runner warming, a neighbour) grows both slopes alike and cancels. Gated only when the profile sets
 * `regression.trend`, as in a stored comparison.
 */
function trendTest(head: TrendAnswer | undefined, base: TrendAnswer | undefined, options: ResolvedCompareOptions): ShapeTest[] {
  if (head === undefined) return [];
  const question = {
    ...trendQuestion(options),
    current: head.p95PctPerMinute.estimate,
  };
  const side = (answer: TrendAnswer | undefined): Side | undefined => {
    const fit = answer?.logSlopePerMinute;
    return fit === undefined ? undefined : { value: fit.estimate, variance: fit.se * fit.se, df: fit.df };
  };
  const [h, b] = [side(head), side(base)];
  if (b === undefined) return [{ ...question, gated: false, baselineRuns: 0, untested: { verdict: 'inconclusive', reason: 'the base target held no steady load long enough for a slow burn' } }];
  if (h === undefined) return [{ ...question, gated: false, baselineRuns: 1, untested: { verdict: 'inconclusive', reason: 'this analysis does not carry its slope' } }];
  return [tested({ ...question, baselineRuns: 1 }, h, b)];
}

/** The judged tests told in paired terms: no run-to-run noise, the base measured in the same run. */
export function asPairedShape(tests: readonly ShapeComparison[]): ShapeComparison[] {
  return tests.map((test) => (test.noise === null ? test : { ...test, noise: { ...test.noise, betweenRunsSource: 'none' as const } }));
}
