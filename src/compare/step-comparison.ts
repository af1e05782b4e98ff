import type { MetricComparison, PercentileComparison, StepComparison, Verdict } from './comparison-types.js';
import type { ResolvedCompareOptions } from './compare-options.js';
import { centre, GATED_METRICS, toChange, type GatedMetricSpec } from './gated-metrics.js';
import { decide } from './metric-decision.js';
import { runRef } from './run-ref.js';
import type { StepAnalysis } from './step-analysis.js';
import { usableP95s, type StepMeasurement } from './step-measurement.js';
import { stepOutcomes } from './step-outcomes.js';
import { worstVerdict } from './verdict-rules.js';

/**
 * Turns a step's analysis into its part of the comparison: each gated metric's verdict, interval,
 * detectable change and noise, in the units a report shows (ms, req/s, %, points).
 */
export function buildStepComparison(analysis: StepAnalysis, options: ResolvedCompareOptions, familyDetectionLevel: number, generatorBounded: boolean): StepComparison {
  const metric = (spec: GatedMetricSpec): MetricComparison => buildMetric(spec, analysis, options, familyDetectionLevel, generatorBounded);
  const [p95, throughput, errorRate] = GATED_METRICS.map(metric) as [MetricComparison, MetricComparison, MetricComparison];
  const historyRequests = analysis.history.map((m) => m.requests);
  return {
    name: analysis.source.name,
    kind: analysis.source.kind,
    counted: analysis.counted,
    verdict: worstVerdict([p95.verdict, throughput.verdict, errorRate.verdict]),
    requests: {
      current: analysis.current.requests,
      baseline: historyRequests.length > 0 ? Math.round(historyRequests.reduce((a, b) => a + b, 0) / historyRequests.length) : null,
    },
    p50: percentileComparison(analysis, (m) => m.p50Ms),
    p99: percentileComparison(analysis, (m) => m.p99Ms),
    p95,
    throughput,
    errorRate,
    p95ByBlockMs: {
      blockMs: analysis.analysisBlockMs,
      current: usableP95s(analysis.currentGroups, options.minBlockRequests),
      baseline: analysis.newestBaselineGroups ? usableP95s(analysis.newestBaselineGroups, options.minBlockRequests) : null,
    },
    outcomes: { current: stepOutcomes([analysis.current]), baseline: analysis.history.length > 0 ? stepOutcomes(analysis.history) : null },
  };
}

function buildMetric(
  spec: GatedMetricSpec,
  analysis: StepAnalysis,
  options: ResolvedCompareOptions,
  familyDetectionLevel: number,
  /** The generator kept up, or the record bounds what it could have added (then the allowance widens the interval). */
  generatorBounded: boolean,
): MetricComparison {
  const base = {
    metric: spec.metric,
    worseWhen: spec.worseSign === 1 ? ('higher' as const) : ('lower' as const),
    unit: spec.unit,
    changeUnit: spec.changeUnit,
    gated: analysis.counted,
    current: spec.value(analysis.current),
    allowedChange: spec.allowedChange(options),
  };
  const test = analysis.tests[spec.metric];
  const baseline = centre(spec, analysis.history.map(spec.value).filter((v): v is number => v !== null));
  if (test === undefined) {
    const untested = analysis.untested[spec.metric] ?? { verdict: 'inconclusive' as const, reason: 'not tested' };
    let change: number | null = null;
    if (base.current !== null && baseline !== null) {
      if (spec.scale === 'absolute') change = 100 * (base.current - baseline);
      else if (baseline > 0 && base.current > 0) change = toChange(spec, Math.log(base.current / baseline));
    }
    return {
      ...base,
      // A step too quiet to test is reported, but holds up the gate only when the profile lists
      // it in regression.steps (or it is the overall total): by default every step is counted,
      // and one rarely-hit step would otherwise leave every run inconclusive.
      gated: base.gated && untested.verdict !== 'pass' && (untested.verdict === 'no-baseline' || analysis.source.kind === 'overall' || options.steps !== undefined),
      verdict: untested.verdict,
      reason: untested.reason,
      baseline,
      change,
      ci: null,
      pValue: null,
      adjustedPValue: null,
      failLevel: null,
      minimumDetectableChange: null,
      noise: null,
    };
  }

  const failLevel = test.failLevel ?? options.alpha;
  // The default branch's level moved: the value shown is the newest segment's, as the test's is.
  const moved = test.levelFrom !== undefined && test.shift.levelMove !== undefined ? { from: test.levelFrom, move: test.shift.levelMove } : undefined;
  const levelBaseline = moved ? centre(spec, analysis.history.slice(moved.from.historyIndex).map(spec.value).filter((v): v is number => v !== null)) : baseline;
  const decision = decide({
    shift: test.shift,
    worseSign: spec.worseSign,
    allowed: spec.allowed(options),
    failLevel,
    alpha: options.alpha,
    detectionLevel: analysis.counted ? familyDetectionLevel : options.alpha,
    power: options.power,
    ...(test.generatorAllowance ? { generatorAllowance: test.generatorAllowance } : {}),
  });
  let verdict: Verdict = decision.verdict;
  let reason: string | undefined;
  if (spec.metric === 'errorRate' && noRunHadAnError(analysis)) {
    // Not a question: nothing can be rising, and the test (left out of the correction, see
    // `test-family.ts`) would only say that a few hundred requests cannot bound it below a point.
    verdict = 'pass';
    reason = 'no run had an error';
  } else if (!generatorBounded && verdict === 'regression') {
    verdict = 'inconclusive';
    reason = 'the load generator was the bottleneck, so the slowdown may be its own';
  } else if (verdict === 'inconclusive') {
    reason = test.generatorAllowance
      ? 'too noisy to tell once what the load generator could have added is allowed for: the interval holds both no change and the allowed change'
      : 'too noisy to tell: the interval holds both no change and the allowed change';
  }
  const shift = test.shift;
  const binding = decision.binding;
  return {
    ...base,
    verdict,
    ...(reason !== undefined ? { reason } : {}),
    // The run values people know (whole-run p95, req/s); the change and its interval are the test's.
    baseline: levelBaseline ?? (spec.scale === 'log' ? Math.exp(shift.baselineValue) : shift.baselineValue),
    change: toChange(spec, shift.estimate),
    ci: { low: toChange(spec, decision.interval.low), high: toChange(spec, decision.interval.high) },
    ...(spec.metric === 'p95' ? { blockLevels: { baseline: Math.exp(shift.baselineValue), current: Math.exp(shift.baselineValue + shift.estimate) } } : {}),
    pValue: test.pValue,
    adjustedPValue: test.adjustedPValue ?? test.pValue,
    failLevel,
    minimumDetectableChange: toChange(spec, decision.minimumDetectable),
    ...(test.generatorAllowance ? { generatorAllowance: generatorAllowanceChange(spec, test.generatorAllowance) } : {}),
    ...(moved ? { baselineMoved: { at: runRef(moved.from.run), cause: moved.move.cause, change: toChange(spec, moved.move.change), runs: moved.move.runs } } : {}),
    noise: {
      standardError: Math.sqrt(binding.variance),
      degreesOfFreedom: null,
      withinCurrent: Math.sqrt(binding.withinCurrentVariance),
      withinBaseline: Math.sqrt(binding.withinBaselineVariance),
      betweenRuns: Math.sqrt(binding.betweenRunVariance),
      betweenRunsSource: shift.historyRuns >= 2 ? 'history' : 'noise-floor',
      historyRuns: shift.historyRuns,
      currentBlocks: test.blocks,
      ...(test.burstSeconds > 0 ? { burstSeconds: Number(test.burstSeconds.toFixed(1)) } : {}),
      blockSeconds: analysis.analysisBlockMs / 1000,
      assumedNoise: binding.priorSd,
      currentWithinMeasured: binding.currentWithinKnown,
    },
  };
}

/** This run and every baseline run measured requests, and not one of them failed. */
function noRunHadAnError(analysis: StepAnalysis): boolean {
  const runs = [analysis.current, ...analysis.history];
  return analysis.current.requests > 0 && runs.every((m) => m.errors === 0);
}

function percentileComparison(analysis: StepAnalysis, pick: (m: StepMeasurement) => number | null): PercentileComparison {
  const currentMs = pick(analysis.current);
  const baselineMs = centre({ scale: 'log' }, analysis.history.map(pick).filter((v): v is number => v !== null));
  return {
    currentMs,
    baselineMs,
    changePct: currentMs !== null && baselineMs !== null && baselineMs > 0 ? 100 * (currentMs / baselineMs - 1) : null,
  };
}

/** The allowance in the report's units: how far each end of the interval moved, with the change's sign. */
function generatorAllowanceChange(spec: GatedMetricSpec, allowance: { current: number; baseline: number }): { currentRun: number; baselineRun: number } {
  const round = (value: number): number => Math.round(value * 100) / 100;
  return { currentRun: round(toChange(spec, -spec.worseSign * allowance.current)), baselineRun: round(toChange(spec, spec.worseSign * allowance.baseline)) };
}
