import { hommel } from '../stats/multiple-testing.js';
import type { ComparisonSettings } from './comparison-types.js';
import type { ResolvedCompareOptions } from './compare-options.js';
import { GATED_METRICS } from './gated-metrics.js';
import { OVERALL, type StepAnalysis, type StepSource } from './step-analysis.js';

/**
 * The correction for testing several questions at once, shared by stored-baseline and paired
 * comparisons: Hommel's procedure, the closed test of Simes' tests (`stats/multiple-testing.ts`).
 * It holds the chance of failing an unchanged run at alpha when the tests' noise is positively
 * correlated, as it is here (a slower runner, a noisy neighbour or a slow second slows every step
 * of a run alike), and catches a regression that moves every step, each somewhat, which Holm's
 * step-down would miss and Hochberg's step-up catches less often.
 * It spans the gated tests that ask separate questions: every counted step's metrics that can
 * change, but with a single step, "all steps" is that step again, so its tests share the step's
 * verdict rather than count twice. `extra`: the run's shape's gated answers (`shape-tests.ts`),
 * which join the same family. Fills each test's `failLevel` and `adjustedPValue`.
 */
export function correctTests(
  analyses: readonly StepAnalysis[],
  stepCount: number,
  alpha: number,
  extra: ReadonlyArray<{ name: string; test: { pValue: number; failLevel?: number; adjustedPValue?: number } }> = [],
): { names: string[]; detectionLevel: number } {
  const onlyStep = stepCount === 1 ? analyses.find((a) => a.source.kind === 'step') : undefined;
  const repeats = (analysis: StepAnalysis): boolean => analysis.source.kind === 'overall' && onlyStep !== undefined && onlyStep.counted;
  // An error-rate test where no run had a single error cannot reject at any level (its
  // conditional distribution given the total is degenerate), so it is not counted (Tarone).
  const canReject = (step: StepAnalysis, metric: string): boolean => metric !== 'errorRate' || step.current.errors + step.history.reduce((sum, m) => sum + m.errors, 0) > 0;
  const family: Array<{ name: string; test: { pValue: number; failLevel?: number; adjustedPValue?: number } }> = analyses.flatMap((step) =>
    step.counted && !repeats(step)
      ? GATED_METRICS.flatMap((spec) => {
          const test = step.tests[spec.metric];
          return test && canReject(step, spec.metric) ? [{ test, name: `${step.source.name} ${spec.metric}` }] : [];
        })
      : [],
  );
  family.push(...extra);
  const corrected = hommel(
    family.map((member) => member.test.pValue),
    alpha,
  );
  family.forEach(({ test }, i) => {
    test.failLevel = corrected.levels[i] as number;
    test.adjustedPValue = corrected.adjustedPValues[i] as number;
  });
  const overall = analyses.find((a) => a.source.kind === 'overall');
  if (overall && onlyStep && repeats(overall)) {
    for (const spec of GATED_METRICS) {
      const twin = onlyStep.tests[spec.metric];
      const test = overall.tests[spec.metric];
      if (twin && test) {
        test.failLevel = twin.failLevel ?? alpha;
        test.adjustedPValue = twin.adjustedPValue ?? twin.pValue;
      }
    }
  }
  return { names: family.map((member) => member.name), detectionLevel: alpha / Math.max(1, family.length) };
}

/** The comparison's settings block, from the options, the steps it looked at and the tests corrected for. */
export function comparisonSettings(
  options: ResolvedCompareOptions,
  sources: readonly StepSource[],
  counted: (source: StepSource) => boolean,
  testNames: readonly string[],
): ComparisonSettings {
  return {
    alpha: options.alpha,
    power: options.power,
    allowed: { p95Pct: options.p95Pct, throughputPct: options.throughputPct, errorRatePoints: options.errorRateIncrease * 100 },
    noiseFloorPct: options.noiseFloorPct,
    minBlockRequests: options.minBlockRequests,
    minBlocks: options.minBlocks,
    countedSteps: sources.filter(counted).map((s) => (s.kind === 'overall' ? OVERALL : s.name)),
    correctedTests: testNames.length,
    correctedTestNames: [...testNames],
  };
}
