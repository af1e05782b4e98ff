import type { Profile } from '../config/profile-types.js';
import type { RunRecord } from '../record/run-record-types.js';
import { holm } from '../stats/holm.js';
import { selectHistory } from './baseline-selection.js';
import { resolveCompareOptions, type CompareOptions } from './compare-options.js';
import { COMPARISON_SCHEMA, type Comparison } from './comparison-types.js';
import { GATED_METRICS } from './gated-metrics.js';
import { runRef } from './run-ref.js';
import { MIN_HISTORY_FOR_SPREAD } from './shift-estimate.js';
import { analyzeStep, OVERALL, stepSources, type StepSource, type Tested } from './step-analysis.js';
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

  const analyses = sources.map((source) => analyzeStep(source, current, history, counted(source), options));

  // Holm's correction spans every gated test that has a p-value: all counted steps × metrics.
  const family = analyses.flatMap((step) => GATED_METRICS.map((spec) => step.tests[spec.metric]).filter((t): t is Tested => t !== undefined && step.counted));
  const corrected = holm(
    family.map((t) => t.pValue),
    options.alpha,
  );
  family.forEach((test, i) => {
    test.failLevel = corrected.levels[i] as number;
    test.adjustedPValue = corrected.adjustedPValues[i] as number;
  });
  const detectionLevel = options.alpha / Math.max(1, family.length);

  const steps = analyses.map((analysis) => buildStepComparison(analysis, options, detectionLevel, current));

  if (history.length === 0 && selection.skipped.length === 0) notes.push('No baseline run to compare with yet; nothing was compared.');
  else if (history.length === 0) notes.push('No usable baseline run; nothing was compared.');
  else if (history.length < MIN_HISTORY_FOR_SPREAD) {
    notes.push(
      `Only ${history.length} baseline run${history.length === 1 ? '' : 's'}: run-to-run noise of ${options.noiseFloorPct}% (the noise floor) was assumed for p95 and throughput rather than measured; from ${MIN_HISTORY_FOR_SPREAD} runs on, the history's own spread is used too.`,
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
    },
    steps,
    thresholds,
    notes,
  };
}
