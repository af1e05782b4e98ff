import type { ProfileThreshold } from '../config/profile-types.js';
import type { RunRecord } from '../record/run-record-types.js';
import { selectHistory } from './baseline-selection.js';
import { runBursts } from './bursts.js';
import { resolveCompareOptions, type CompareOptions } from './compare-options.js';
import { COMPARISON_SCHEMA, type Comparison } from './comparison-types.js';
import { fixedMetrics, runStateNotes } from './fixed-metrics.js';
import { generatorAllowance } from '../record/generator-allowance.js';
import { withTails } from './block-tail.js';
import { groupBlocks, usableP95s, type StepMeasurement } from './step-measurement.js';
import { runRef } from './run-ref.js';
import { regressedComponents, withServerTiming } from './server-timing-breakdown.js';
import { judgeServerTiming, serverTimingFamily, serverTimingTests, withServerTimingVerdict } from './server-timing-tests.js';
import { judgeShapeTests, shapeFamily, shapeTests, withShapeVerdicts, type ShapeOf } from './shape-tests.js';
import { targetMetricTests } from './target-metrics-tests.js';
import { busyMachineNote, holdOnSlowerRunner, leaveOutSlowBaselines, runnerSpeedOf, slowBaselineNote, slowBaselineReason, slowerRunnerNote, slowerRunnerReason } from './runner-speed.js';
import { analyzeStep, OVERALL, pooledLevelStarts, stepSources, type LevelHints, type StepAnalysis, type StepSource } from './step-analysis.js';
import { buildStepComparison } from './step-comparison.js';
import { comparisonSettings, correctTests } from './test-family.js';
import { evaluateThresholds } from '../threshold/thresholds.js';
import { conclusionOf, overallVerdict } from './verdict-rules.js';
import { aggregateNotes, incompleteRun, incompleteSentence, judgedIncomplete, plannedMeasuredMs } from './whole-run.js';

export { OVERALL } from './step-analysis.js';

export interface CompareInput {
  /** Default-branch runs of the same profile, newest last. */
  baselines: readonly RunRecord[];
  current: RunRecord;
  options?: CompareOptions;
  /** The profile's k6 thresholds, evaluated on the current run. */
  thresholds?: readonly ProfileThreshold[];
  /**
   * The measured time the profile plans (its schedule less the warm-up), ms, when the caller
   * knows the profile; else the baseline runs' measured time stands in. A current run that
   * measured under 80% of it is not judged (`whole-run.ts`).
   */
  plannedMeasuredMs?: number;
  /**
   * What a run's shape answers (`analyze/`), the same way for every run: the current run's
   * capacity, recovery and slow burn are then tested against the baseline runs' (`shape-tests.ts`).
   */
  shapeOf?: ShapeOf;
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
  // Baseline runs on far slower runners (by their CPU probes) are left out of the level and the spread.
  const bySpeed = leaveOutSlowBaselines(selection.used);
  const history = bySpeed.used;
  const skipped = [...selection.skipped];
  if (bySpeed.slow?.leftOut) skipped.push(...bySpeed.slow.runs.map(({ run, slowerPct }) => ({ run, reason: slowBaselineReason(slowerPct) })));
  const notes = [...selection.notes, ...(bySpeed.slow ? [slowBaselineNote(bySpeed.slow)] : [])];

  const sources = stepSources(current);
  const counted = (source: StepSource): boolean =>
    options.steps === undefined || options.steps.includes(source.kind === 'overall' ? OVERALL : source.name);
  const unknownSteps = (options.steps ?? []).filter((name) => name !== OVERALL && !(name in current.steps));
  if (unknownSteps.length > 0) notes.push(`regression.steps names ${unknownSteps.map((n) => `"${n}"`).join(', ')}, which this run did not measure.`);

  const fixed = fixedMetrics([current, ...history]);
  const bursts = runBursts([current, ...history], options.minBlockRequests);
  // A generator that fell behind widens the intervals by what it could have added; one that cannot say by how much leaves nothing to conclude.
  const generator = generatorAllowance(current);
  const analyze = (hints?: LevelHints): StepAnalysis[] => sources.map((source) => analyzeStep(source, current, history, counted(source), options, fixed, bursts, generator, hints));
  // The level moves for every step alike: where the steps' histories searched together find a move, each step that moved the same way is compared from there.
  const alone = analyze();
  const hints = pooledLevelStarts(alone, history);
  const analyses = Object.keys(hints).length === 0 ? alone : analyze(hints);

  const shapes = input.shapeOf ? shapeTests(current, history, input.shapeOf, options) : [];
  // Each step's Server-Timing components, tested as its p95 is; the gated ones join the family.
  const components = serverTimingTests(analyses, current, history, options, bursts);
  // The target's CPU per request and memory growth (its metrics: scrape), gated only when the profile sets them.
  const targets = targetMetricTests(current, history, options);
  const family = correctTests(analyses, Object.keys(current.steps).length, options.alpha, [...shapeFamily(shapes), ...shapeFamily(targets.tests), ...serverTimingFamily(components)]);
  const detectionLevel = family.detectionLevel;

  const judged = analyses.map((analysis) => buildStepComparison(analysis, options, detectionLevel, generator !== undefined));
  // The tail of blocks: current blocks beyond the history's 95th percentile of block p95s, a finding the trimmed mean cannot make.
  const tailed = withTails(
    judged,
    (i) => {
      const analysis = analyses[i] as (typeof analyses)[number];
      const size = (m: StepMeasurement): number => Math.max(1, Math.round(analysis.analysisBlockMs / m.blockMs));
      return {
        current: usableP95s(analysis.currentGroups, options.minBlockRequests),
        baseline: analysis.history.flatMap((m) => usableP95s(groupBlocks(m, size(m)), options.minBlockRequests)),
      };
    },
    options.alpha,
  );

  // A current run on a far slower runner is not judged a regression on p95 or throughput.
  const measuredSpeed = runnerSpeedOf(current, history);
  const slower = measuredSpeed ? holdOnSlowerRunner(tailed, measuredSpeed) : { steps: tailed, held: 0 };
  const incomplete = incompleteRun(current, plannedMeasuredMs(input.plannedMeasuredMs, history));
  const componentResults = judgeServerTiming(components, options, detectionLevel, {
    ...(incomplete ? { all: incompleteSentence(incomplete) } : {}),
    ...(measuredSpeed?.slower ? { regressions: slowerRunnerReason(measuredSpeed) } : {}),
  });
  const steps = withServerTiming(slower.steps, current, history, componentResults);
  const runnerSpeed = measuredSpeed ? { ...measuredSpeed, heldRegressions: slower.held } : undefined;

  if (history.length === 0 && skipped.length === 0) notes.push('No baseline run to compare with yet; nothing was compared.');
  else if (history.length === 0) notes.push('No usable baseline run; nothing was compared.');
  else if (history.length === 1) {
    notes.push(
      `Only 1 baseline run: nothing measures the run-to-run noise yet, so it was assumed (around ${options.noiseFloorPct}%, the noise floor, with a heavy tail towards more), and the interval is wide; each further default-branch run measures the real noise.`,
    );
  }
  notes.push(...runStateNotes(current, generator));
  notes.push(...aggregateNotes(current, history));
  if (runnerSpeed?.slower) notes.push(slowerRunnerNote(runnerSpeed));
  if (runnerSpeed?.busy) notes.push(busyMachineNote(runnerSpeed));

  const thresholds = evaluateThresholds(current, input.thresholds ?? []);
  const holds = {
    ...(incomplete ? { all: incompleteSentence(incomplete) } : {}),
    ...(runnerSpeed?.slower ? { regressions: slowerRunnerReason(runnerSpeed) } : {}),
  };
  const shapeTested = judgeShapeTests(shapes, options, detectionLevel, holds);
  const targetTested = judgeShapeTests(targets.tests, options, detectionLevel, holds);
  notes.push(...targets.notes);
  const stepsVerdict = withServerTimingVerdict(overallVerdict(steps, history.length > 0, generator !== undefined), regressedComponents(steps).length > 0, generator !== undefined);
  const verdict = withShapeVerdicts(stepsVerdict, [...shapeTested, ...targetTested], generator !== undefined);
  const conclusion = conclusionOf(verdict, thresholds);

  const comparison: Comparison = {
    schema: COMPARISON_SCHEMA,
    verdict,
    conclusion,
    profile: { ...current.meta.profile },
    current: { ...runRef(current), measuredMs: current.meta.measuredMs, blockMs: current.meta.blockMs, interrupted: current.meta.interrupted },
    history: { used: history.map(runRef), skipped },
    generator: { valid: current.generator.valid, reasons: [...current.generator.reasons], ...(generator && generator.addedMs > 0 ? { addedMs: round2(generator.addedMs) } : {}) },
    settings: comparisonSettings(options, sources, counted, family.names),
    steps,
    ...(shapeTested.length > 0 ? { shapeTests: shapeTested } : {}),
    ...(targetTested.length > 0 ? { targetMetrics: targetTested } : {}),
    thresholds,
    notes,
    ...(runnerSpeed ? { runnerSpeed } : {}),
    ...(bySpeed.slow ? { slowBaselineRuns: bySpeed.slow } : {}),
  };
  return incomplete === undefined ? comparison : judgedIncomplete(comparison, incomplete);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
