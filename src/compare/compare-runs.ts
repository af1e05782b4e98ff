import type { Profile } from '../config/profile-types.js';
import type { RunRecord } from '../record/run-record-types.js';
import { holm } from '../stats/holm.js';
import { selectHistory } from './baseline-selection.js';
import { resolveCompareOptions, type CompareOptions } from './compare-options.js';
import { COMPARISON_SCHEMA, type Comparison } from './comparison-types.js';
import { GATED_METRICS } from './gated-metrics.js';
import { runRef } from './run-ref.js';
import { analyzeStep, OVERALL, stepSources, type Fixed, type StepAnalysis, type StepSource, type Tested } from './step-analysis.js';
import { buildStepComparison } from './step-comparison.js';
import { evaluateThresholds } from './thresholds.js';
import { conclusionOf, overallVerdict } from './verdict-rules.js';

export { OVERALL } from './step-analysis.js';

export interface CompareInput {
  /** Default-branch runs of the same profile, newest last. */
  baselines: readonly RunRecord[];
  current: RunRecord;
  options?: CompareOptions;
  /** The profile's k6 thresholds, evaluated on the current run. */
  thresholds?: Profile['thresholds'];
}

/**
 * Compares a run with the baseline history, per step and overall: p95, throughput and error rate
 * are gated (see `metric-decision.ts` for the rule, `shift-estimate.ts` for the noise model),
 * p50 and p99 are reported. Pure: decodes histograms, touches nothing else.
 */
export function compareRuns(input: CompareInput): Comparison {
  const options = resolveCompareOptions(input.options);
  const { current } = input;
  const selection = selectHistory(input.baselines, current);
  const history = selection.used;
  const notes = [...selection.notes];

  const sources = stepSources(current);
  const counted = (source: StepSource): boolean =>
    options.steps === undefined || options.steps.includes(source.kind === 'overall' ? OVERALL : source.name);
  const unknownSteps = (options.steps ?? []).filter((name) => name !== OVERALL && !(name in current.steps));
  if (unknownSteps.length > 0) notes.push(`regression.steps names ${unknownSteps.map((n) => `"${n}"`).join(', ')}, which this run did not measure.`);

  const fixed = fixedMetrics([current, ...history]);
  const analyses = sources.map((source) => analyzeStep(source, current, history, counted(source), options, fixed));

  // Holm's correction spans the gated tests that ask separate questions: every counted step's
  // metrics that can change, but with a single step, "all steps" is that step again, so its
  // tests share the step's verdict rather than count twice.
  const onlyStep = Object.keys(current.steps).length === 1 ? analyses.find((a) => a.source.kind === 'step') : undefined;
  const repeats = (analysis: StepAnalysis): boolean => analysis.source.kind === 'overall' && onlyStep !== undefined && onlyStep.counted;
  // An error-rate test where no run had a single error cannot reject at any level (its
  // conditional distribution given the total is degenerate), so it is not counted (Tarone).
  const canReject = (step: StepAnalysis, metric: string): boolean => metric !== 'errorRate' || step.current.errors + step.history.reduce((sum, m) => sum + m.errors, 0) > 0;
  const family = analyses.flatMap((step) =>
    step.counted && !repeats(step)
      ? GATED_METRICS.flatMap((spec) => {
          const test = step.tests[spec.metric];
          return test && canReject(step, spec.metric) ? [{ test, name: `${step.source.name} ${spec.metric}` }] : [];
        })
      : [],
  );
  const corrected = holm(
    family.map((member) => member.test.pValue),
    options.alpha,
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
        test.failLevel = twin.failLevel ?? options.alpha;
        test.adjustedPValue = twin.adjustedPValue ?? twin.pValue;
      }
    }
  }
  const detectionLevel = options.alpha / Math.max(1, family.length);

  const steps = analyses.map((analysis) => buildStepComparison(analysis, options, detectionLevel, current));

  if (history.length === 0 && selection.skipped.length === 0) notes.push('No baseline run to compare with yet; nothing was compared.');
  else if (history.length === 0) notes.push('No usable baseline run; nothing was compared.');
  else if (history.length === 1) {
    notes.push(
      `Only 1 baseline run: nothing measures the run-to-run noise yet, so it was assumed (around ${options.noiseFloorPct}%, the noise floor, with a heavy tail towards more), and the interval is wide; each further default-branch run measures the real noise.`,
    );
  }
  if (!current.generator.valid) {
    const why = current.generator.reasons.length > 0 ? ` (${current.generator.reasons.join('; ')})` : '';
    notes.push(`The load generator was the bottleneck in this run${why}: its numbers describe the generator, not the target, so nothing can be concluded.`);
  }
  if (current.meta.interrupted) notes.push('This run was interrupted; what it measured until then was compared.');

  const thresholds = evaluateThresholds(current, input.thresholds ?? []);
  const verdict = overallVerdict(steps, history.length > 0, current.generator.valid);
  const conclusion = conclusionOf(verdict, thresholds);

  return {
    schema: COMPARISON_SCHEMA,
    verdict,
    conclusion,
    profile: { ...current.meta.profile },
    current: { ...runRef(current), measuredMs: current.meta.measuredMs, blockMs: current.meta.blockMs, interrupted: current.meta.interrupted },
    history: { used: history.map(runRef), skipped: selection.skipped },
    generator: { valid: current.generator.valid, reasons: [...current.generator.reasons] },
    settings: {
      alpha: options.alpha,
      power: options.power,
      allowed: { p95Pct: options.p95Pct, throughputPct: options.throughputPct, errorRatePoints: options.errorRateIncrease * 100 },
      noiseFloorPct: options.noiseFloorPct,
      minBlockRequests: options.minBlockRequests,
      minBlocks: options.minBlocks,
      countedSteps: sources.filter(counted).map((s) => (s.kind === 'overall' ? OVERALL : s.name)),
      correctedTests: family.length,
      correctedTestNames: family.map((member) => member.name),
    },
    steps,
    thresholds,
    notes,
  };
}

/**
 * Metrics the profile fixes, so they are not questions: throughput under arrival-rate executors
 * is what the profile asks for, unless some run dropped iterations or fell short of the rate.
 */
function fixedMetrics(runs: readonly RunRecord[]): Fixed {
  const scenarios = runs.flatMap((run) => Object.values(run.scenarios));
  const rateHeld = scenarios.length > 0 && scenarios.every((s) => s.model === 'open' && (s.droppedIterations ?? 0) === 0 && !(s.intendedRate !== undefined && s.achievedRate !== undefined && s.achievedRate < 0.99 * s.intendedRate));
  return rateHeld ? { throughput: 'set by the arrival rate: no run dropped iterations or fell short of it' } : {};
}
