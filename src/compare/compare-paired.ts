import type { ProfileThreshold } from '../config/profile-types.js';
import type { PairedRecord, SequentialMeta } from '../record/paired-record-types.js';
import type { RunRecord } from '../record/run-record-types.js';
import { resolveCompareOptions, type CompareOptions, type ResolvedCompareOptions } from './compare-options.js';
import { COMPARISON_SCHEMA, type Comparison, type GatedMetric, type MetricComparison, type PairedTrend, type SequentialSummary, type StepComparison } from './comparison-types.js';
import { fixedMetrics, runStateNotes } from './fixed-metrics.js';
import { generatorAllowance, type GeneratorAllowance } from '../record/generator-allowance.js';
import { metricAllowance } from './generator-allowance.js';
import { GATED_METRICS, toChange } from './gated-metrics.js';
import type { ShiftEstimate } from './shift-estimate.js';
import { worsePValue } from './metric-decision.js';
import { driftCheck, pairedErrorRate, pairedP95, pairedShift, pairedThroughput, sparseP95Reason, type BlockPair, type DriftCheck } from './paired-shift.js';
import { runRef } from './run-ref.js';
import { decideLook, DEFAULT_SEQUENTIAL, sequentialDesign } from './sequential-paired.js';
import { OVERALL, stepSources, type Fixed, type StepAnalysis, type StepSource } from './step-analysis.js';
import { buildStepComparison } from './step-comparison.js';
import { groupBlocks, measureStep, usableP95s, type GroupedBlock } from './step-measurement.js';
import { withTails } from './block-tail.js';
import { comparisonSettings, correctTests } from './test-family.js';
import { evaluateThresholds } from '../threshold/thresholds.js';
import { DEFAULT_TRIM } from '../stats/trimmed-mean.js';
import { conclusionOf, overallVerdict, worstVerdict } from './verdict-rules.js';
import { incompleteRun, incompleteSentence, judgedIncomplete, pairedPlannedMs } from './whole-run.js';
import { answersAnything } from '../analyze/comparison-analysis.js';
import { analyzePairedArm } from '../analyze/paired-arms.js';
import { asPairedShape, pairedShape, type ArmShapeOf } from './paired-shape.js';
import { judgeShapeTests, shapeFamily, withShapeVerdicts } from './shape-tests.js';
import { regressedComponents, withServerTiming } from './server-timing-breakdown.js';
import { pairedServerTimingTests } from './server-timing-paired.js';
import { judgeServerTiming, serverTimingFamily, withServerTimingVerdict } from './server-timing-tests.js';

export interface ComparePairedInput {
  paired: PairedRecord;
  options?: CompareOptions;
  /** The profile's k6 thresholds, parsed when it was loaded (nothing here parses one), evaluated on the head arm. */
  thresholds?: readonly ProfileThreshold[];
  /** Judge only the first this many block pairs (a look of a sequential run); all complete pairs by default. */
  pairs?: number;
  /**
   * What each target's shape answers (`paired-shape.ts`); by default each target's blocks are read
   * on the run's clock and analysed with the profile's thresholds (`analyze/paired-arms.ts`).
   * Whole runs only: a look of a sequential run does not ask.
   */
  shapeOf?: ArmShapeOf;
}

/** One gated metric's test at a look, for the sequential rule: its estimate and noise, which way is worse, what the generator could have added to the base. */
export interface PairedMetricTest {
  step: string;
  metric: GatedMetric;
  shift: ShiftEstimate;
  worseSign: 1 | -1;
  scale: 'log' | 'absolute';
  /** What the generator could have made the base look worse by, in badness (widens the worse side). */
  fromBaseline: number;
  /** The paired differences trend or wander (a drift pairing cannot cancel). */
  drifted: boolean;
}

/** The comparison, and the tests behind its counted steps' verdicts. */
export interface PairedJudgement {
  comparison: Comparison;
  tests: PairedMetricTest[];
}

/**
 * Judges the head arm of a paired run against its base arm: per step and overall, the paired
 * test of `paired-shift.ts` gives each gated metric a shift of the type the stored-baseline
 * comparison uses, so the decision rule, the multiple-test correction, the verdict rules and the report are
 * the same. Thresholds are checked on the head's measurements. A metric whose paired differences
 * drifted cannot pass (it is inconclusive unless it regressed or improved), and the drift is
 * reported as its own finding. A generator that fell behind widens the intervals by what it could
 * have added to each arm (`generator-allowance.ts`); only when a record cannot say is nothing concluded.
 */
export function comparePaired(input: ComparePairedInput): Comparison {
  return judgePaired(input).comparison;
}

/**
 * `comparePaired`, with the tests of the counted steps' gated metrics beside it. With `pairs`
 * set it judges a look of a sequential run (those pairs, at `options.alpha`, the run not yet
 * whole); without, a record of a sequential run that stopped once decided is judged at its
 * stopping look, as the run judged it (`sequential-paired.ts`).
 */
export function judgePaired(input: ComparePairedInput): PairedJudgement {
  const sequential = input.paired.meta.sequential;
  if (input.pairs === undefined && sequential !== undefined) return judgeStopped(input, sequential);
  return judgeAt(input, input.pairs, input.pairs === undefined);
}

/** A sequential run's record: judged at the look where it stopped, at that look's level (the design redrawn for these options' α), and told so. */
function judgeStopped(input: ComparePairedInput, sequential: SequentialMeta): PairedJudgement {
  const options = resolveCompareOptions(input.options);
  const index = sequential.looks.findIndex((look) => look.decision !== 'continue');
  const stop = sequential.looks[index];
  // A run interrupted before a decision is judged as any run cut short: not whole.
  if (stop === undefined) return judgeAt(input, undefined, true);
  const design = sequentialDesign(sequential.maxPairs, options.alpha, { ...DEFAULT_SEQUENTIAL, futilityMultiple: sequential.futilityMultiple, futilityLevel: sequential.futilityLevel });
  const planned = sequential.plannedLooks.indexOf(stop.pairs);
  const level = design !== undefined && planned >= 0 && design.looks[planned] === stop.pairs ? (design.nominal[planned] as number) : stop.level;
  const judged = judgeAt({ ...input, options: { ...input.options, alpha: level } }, stop.pairs, true);
  const look = design !== undefined && planned >= 0 ? decideLook(judged, design, planned, options) : stop;
  const warmupMs = input.paired.head.meta.warmupMs;
  const seconds = (ms: number): string => `${Math.round((warmupMs + ms) / 1000)} s`;
  const stopped = sequential.stoppedAtPairs !== undefined;
  const why = stop.decision === 'ruled-out' ? `${sequential.futilityMultiple}× the allowance ruled out (every gated metric's ${Math.round(sequential.futilityLevel * 100)}% upper bound below it)` : stop.decision === 'regression' ? 'a regression beyond doubt' : 'the maximum length reached';
  const note = stopped
    ? `Decided after ${seconds(stop.atMs)} of at most ${seconds(sequential.maxMeasuredMs)}: ${why}, at look ${index + 1} of up to ${sequential.plannedLooks.length} (${stop.pairs} of ${sequential.maxPairs} block pairs, level ${stop.level}).`
    : `Ran its whole length (${seconds(sequential.maxMeasuredMs)}, ${sequential.looks.length} looks): no earlier look decided, and the last judged the run at level ${Number(level.toPrecision(3))} (α spent across looks).`;
  const changed = look.decision !== stop.decision ? ` Judged again with these settings, that look would ${look.decision === 'continue' ? 'not have stopped the run' : `have stopped it for another reason (${look.reason})`}.` : '';
  const comparison = judged.comparison;
  const summary: SequentialSummary = {
    decidedAfterSeconds: round((warmupMs + (stopped ? stop.atMs : sequential.maxMeasuredMs)) / 1000, 1),
    maxSeconds: round((warmupMs + sequential.maxMeasuredMs) / 1000, 1),
    stoppedEarly: stopped,
    decision: stop.decision === 'continue' ? 'maximum' : stop.decision,
    reason: stop.decision === 'maximum' && !stopped ? 'no earlier look decided; the last judged the whole run' : why,
    look: index + 1,
    plannedLooks: sequential.plannedLooks.length,
    pairs: stop.pairs,
    maxPairs: sequential.maxPairs,
    level: stop.level,
  };
  const pairing = comparison.pairing === undefined ? undefined : { ...comparison.pairing, sequential: summary };
  return { ...judged, comparison: { ...comparison, notes: [note + changed, ...comparison.notes], ...(pairing ? { pairing } : {}) } };
}

function judgeAt(input: ComparePairedInput, pairLimit: number | undefined, wholeRun: boolean): PairedJudgement {
  const options = resolveCompareOptions(input.options);
  const { head, base } = input.paired;
  const notes: string[] = [];
  const sources = stepSources(head);
  const counted = (source: StepSource): boolean => options.steps === undefined || options.steps.includes(source.kind === 'overall' ? OVERALL : source.name);
  const unknownSteps = (options.steps ?? []).filter((name) => name !== OVERALL && !(name in head.steps));
  if (unknownSteps.length > 0) notes.push(`regression.steps names ${unknownSteps.map((n) => `"${n}"`).join(', ')}, which this run did not measure.`);

  const fixed = fixedMetrics([head, base]);
  // One generator loaded both arms: what it could have added to each widens that arm's side.
  const generator = { head: generatorAllowance(head), base: generatorAllowance(base) };
  const bounded = generator.head !== undefined && generator.base !== undefined;
  const analyses = sources.map((source) => analyzePairedStep(source, input.paired, counted(source), options, fixed, bounded ? (generator as PairedAllowance) : undefined, pairLimit));
  // The run's shape, each target's answers and the head's against the base's: whole runs only.
  const shape = wholeRun ? pairedShape(input.paired, input.shapeOf ?? ((paired, arm) => analyzePairedArm(paired, arm, { thresholds: input.thresholds ?? [] })), options) : undefined;
  // Each step's Server-Timing components, paired as its p95 is; the gated ones join the family.
  const components = pairedServerTimingTests(
    analyses.map((a) => a.analysis),
    input.paired,
    options,
    (headGroups, baseGroups) => blockPairs(input.paired, headGroups, baseGroups).slice(0, pairLimit),
  );
  const family = correctTests(
    analyses.map((a) => a.analysis),
    Object.keys(head.steps).length,
    options.alpha,
    [...shapeFamily(shape?.tests ?? []), ...serverTimingFamily(components)],
  );
  const judged = analyses.map(({ analysis, drifts, trends }) => {
    const dfs = Object.fromEntries(Object.entries(analysis.tests).map(([metric, test]) => [metric, test.shift.noise.dfs[0] as number]));
    return pairedStepComparison(buildStepComparison(analysis, options, family.detectionLevel, bounded), drifts, trends, dfs);
  });
  // The tail of blocks: head's blocks beyond the base's 95th percentile of block p95s, a finding the trimmed mean cannot make.
  const tailed = withTails(
    judged,
    (i) => {
      const { analysis } = analyses[i] as PairedStepAnalysis;
      return { current: usableP95s(analysis.currentGroups, options.minBlockRequests), baseline: usableP95s(analysis.newestBaselineGroups ?? [], options.minBlockRequests) };
    },
    options.alpha,
  );

  // Only whole runs are judged: the schedule in the record is the whole run's, so it says what was planned (up to where a sequential run decided).
  const incomplete = wholeRun ? incompleteRun(head, plannedMs(input.paired)) : undefined;
  const steps = withServerTiming(tailed, head, [base], judgeServerTiming(components, options, family.detectionLevel, incomplete ? { all: incompleteSentence(incomplete) } : {}));

  const { blockMs, settleMs, order } = input.paired.meta.pairing;
  const pairs = Math.min(Math.floor(input.paired.order.length / 2), pairLimit ?? Infinity);
  notes.push(
    `Paired with ${base.meta.target}: base and head were measured in the same job in ${pairs} block pairs (${order === 'abba' ? 'ABBA order' : 'a seeded random order of pairs'}, ${blockMs / 1000} s blocks, the first ${settleMs / 1000} s after each switch loaded but not measured), so the noise they share cancels.`,
  );
  const drifted = analyses.flatMap(({ analysis, drifts }) =>
    analysis.counted ? Object.entries(drifts).flatMap(([metric, drift]) => (drift.drifted ? [`${analysis.source.name} ${metric}`] : [])) : [],
  );
  if (drifted.length > 0) {
    notes.push(
      `Head and base drifted apart during the run (${drifted.join(', ')}): pairing cancels what both targets share, not a change of one of them over time. A drift is reported as a finding of its own; it keeps those metrics from passing, and never turns a regression into anything else.`,
    );
  }
  if (!base.generator.valid && head.generator.valid && !bounded) notes.push('The load generator was the bottleneck while loading the base target; nothing can be concluded.');
  const dropped = droppedNote(head, base);
  if (dropped !== undefined) notes.push(dropped);
  notes.push(...runStateNotes(head, generator.head));

  const generatorValid = head.generator.valid && base.generator.valid;
  const thresholds = evaluateThresholds(head, input.thresholds ?? []);
  const shapeTested = shape ? asPairedShape(judgeShapeTests(shape.tests, options, family.detectionLevel, incomplete ? { all: incompleteSentence(incomplete) } : {})) : [];
  const verdict = withShapeVerdicts(withServerTimingVerdict(overallVerdict(steps, true, bounded), regressedComponents(steps).length > 0, bounded), shapeTested, bounded);
  const addedMs = Math.max(generator.head?.addedMs ?? 0, generator.base?.addedMs ?? 0);
  const comparison: Comparison = {
    schema: COMPARISON_SCHEMA,
    verdict,
    conclusion: conclusionOf(verdict, thresholds),
    profile: { ...head.meta.profile },
    current: { ...runRef(head), measuredMs: head.meta.measuredMs, blockMs: head.meta.blockMs, interrupted: head.meta.interrupted },
    history: { used: [runRef(base)], skipped: [] },
    generator: { valid: generatorValid, reasons: [...new Set([...head.generator.reasons, ...base.generator.reasons])], ...(bounded && addedMs > 0 ? { addedMs: round(addedMs, 2) } : {}) },
    settings: comparisonSettings(options, sources, counted, family.names),
    steps,
    thresholds,
    notes,
    pairing: { baselineTarget: base.meta.target, pairs, blockSeconds: blockMs / 1000, settleSeconds: settleMs / 1000, order },
    ...(shapeTested.length > 0 ? { shapeTests: shapeTested } : {}),
    ...(shape && answersAnything(shape.head) ? { analysis: shape.head } : {}),
    ...(shape && answersAnything(shape.base) ? { baseAnalysis: shape.base } : {}),
  };
  const tests = analyses.flatMap(({ analysis, drifts }) =>
    analysis.counted
      ? GATED_METRICS.flatMap((spec) => {
          const test = analysis.tests[spec.metric];
          if (test === undefined) return [];
          return [{ step: analysis.source.name, metric: spec.metric, shift: test.shift, worseSign: spec.worseSign, scale: spec.scale, fromBaseline: test.generatorAllowance?.baseline ?? 0, drifted: drifts[spec.metric]?.drifted === true }];
        })
      : [],
  );
  return { comparison: incomplete === undefined ? comparison : judgedIncomplete(comparison, incomplete), tests };
}

/** The head's planned measured time: the whole schedule's, or, when a sequential run stopped once decided, its schedule up to that look. */
function plannedMs(paired: PairedRecord): number {
  const whole = pairedPlannedMs(paired);
  const stop = paired.meta.sequential?.stoppedAtPairs;
  if (stop === undefined) return whole;
  const { blockMs, settleMs } = paired.meta.pairing;
  return Math.min(whole, stop * (blockMs - settleMs));
}

/** Open-model iterations either arm could not start (no free VU), per arm: then throughput is a question. */
function droppedNote(head: RunRecord, base: RunRecord): string | undefined {
  const count = (run: RunRecord) => {
    const scenarios = Object.values(run.scenarios).filter((s) => s.model === 'open');
    return { dropped: scenarios.reduce((n, s) => n + (s.droppedIterations ?? 0), 0), intended: scenarios.reduce((n, s) => n + (s.intendedIterations ?? 0), 0) };
  };
  const [h, b] = [count(head), count(base)];
  if (h.dropped === 0 && b.dropped === 0) return undefined;
  return `Iterations were dropped for want of a free VU (raise maxVUs): ${h.dropped} of ${h.intended} in head's blocks, ${b.dropped} of ${b.intended} in base's; the arrival rate no longer sets throughput, so it is compared.`;
}

interface PairedStepAnalysis {
  analysis: StepAnalysis;
  pairs: number;
  drifts: Partial<Record<GatedMetric, DriftCheck>>;
  trends: Partial<Record<GatedMetric, PairedTrend>>;
}

/** Each arm's blocks grouped into paired blocks, and the pairs (blocks 2i and 2i+1) both arms completed. */
export function blockPairs(paired: PairedRecord, head: GroupedBlock[], base: GroupedBlock[]): BlockPair[] {
  const index = { head: 0, base: 0 };
  const byBlock = paired.order.map((arm) => {
    const groups = arm === 'head' ? head : base;
    return { arm, group: groups[index[arm]++] };
  });
  const pairs: BlockPair[] = [];
  for (let i = 0; i + 1 < byBlock.length; i += 2) {
    const [first, second] = [byBlock[i], byBlock[i + 1]];
    const h = first?.arm === 'head' ? first.group : second?.group;
    const b = first?.arm === 'base' ? first.group : second?.group;
    if (h !== undefined && b !== undefined) pairs.push({ head: h, base: b });
  }
  return pairs;
}

/** What the generator could have added to each arm (`generator-allowance.ts`). */
interface PairedAllowance {
  head: GeneratorAllowance;
  base: GeneratorAllowance;
}

function analyzePairedStep(source: StepSource, paired: PairedRecord, counted: boolean, options: ResolvedCompareOptions, fixed: Fixed, generator: PairedAllowance | undefined, pairLimit?: number): PairedStepAnalysis {
  const { head, base } = paired;
  const { blockMs, settleMs } = paired.meta.pairing;
  const measurePart = (run: RunRecord) => {
    const step = source.pick(run);
    return step === undefined ? undefined : measureStep(run, step);
  };
  const current = measurePart(head);
  const baseline = measurePart(base);
  if (current === undefined) throw new Error(`step ${source.name} is missing from the head arm`);
  const size = Math.max(1, Math.round((blockMs - settleMs) / head.meta.blockMs));
  // Only whole paired blocks are paired; an interrupted run's last part block is left out.
  const whole = (groups: GroupedBlock[]): GroupedBlock[] => groups.filter((g) => Math.abs(g.seconds - (blockMs - settleMs) / 1000) < 1e-6);
  const currentGroups = groupBlocks(current, size);
  const baselineGroups = baseline ? groupBlocks(baseline, size) : [];
  const pairs = blockPairs(paired, whole(currentGroups), whole(baselineGroups)).slice(0, pairLimit);
  const analysis: StepAnalysis = {
    source,
    counted,
    current,
    history: baseline ? [baseline] : [],
    analysisBlockMs: blockMs - settleMs,
    currentGroups,
    newestBaselineGroups: baseline ? baselineGroups : null,
    newestBaseline: baseline,
    tests: {},
    untested: {},
  };
  const drifts: PairedStepAnalysis['drifts'] = {};
  const trends: PairedStepAnalysis['trends'] = {};
  for (const spec of GATED_METRICS) {
    if (baseline === undefined) {
      analysis.untested[spec.metric] = { verdict: 'no-baseline', reason: 'the base target did not measure this step' };
      continue;
    }
    const why = fixed[spec.metric];
    if (why !== undefined) {
      analysis.untested[spec.metric] = { verdict: 'pass', reason: why };
      continue;
    }
    const values = spec.metric === 'p95' ? pairedP95(pairs, options.minBlockRequests) : spec.metric === 'throughput' ? pairedThroughput(pairs) : pairedErrorRate(pairs);
    // Blocks too sparse for a p95 say so, with what would test them (a longer run would not).
    const sparse = spec.metric === 'p95' ? sparseP95Reason(pairs, options.minBlockRequests, settleMs) : undefined;
    if (!values.ok) {
      analysis.untested[spec.metric] = { verdict: 'inconclusive', reason: sparse ?? values.reason };
      continue;
    }
    const k = values.values.head.length;
    if (k < options.minBlocks) {
      analysis.untested[spec.metric] = { verdict: 'inconclusive', reason: sparse ?? `only ${k} usable block pairs, fewer than the ${options.minBlocks} needed to measure the noise (a longer run, or shorter paired blocks)` };
      continue;
    }
    const shift = pairedShift(values.values, {
      ...(values.varianceFloor !== undefined ? { varianceFloor: values.varianceFloor } : {}),
      ...(spec.metric === 'p95' ? { trim: DEFAULT_TRIM } : {}),
    });
    const allowance = generator
      ? { current: metricAllowance(spec.metric, generator.head, current.p95Ms), baseline: metricAllowance(spec.metric, generator.base, baseline.p95Ms) }
      : { current: 0, baseline: 0 };
    analysis.tests[spec.metric] = {
      shift,
      pValue: worsePValue(shift, spec.worseSign, allowance.current),
      blocks: k,
      burstSeconds: 0,
      ...(allowance.current > 0 || allowance.baseline > 0 ? { generatorAllowance: allowance } : {}),
    };
    if (spec.scale === 'log') {
      const drift = driftCheck(values.values, spec.allowed(options));
      drifts[spec.metric] = drift;
      trends[spec.metric] = {
        changeOverRun: round(toChange(spec, drift.slopePerPair * (k - 1)), 2),
        slopePValue: Number(drift.slopePValue.toPrecision(3)),
        lag1: round(drift.lag1, 3),
        finding: drift.finding,
      };
    }
  }
  return { analysis, pairs: pairs.length, drifts, trends };
}

/**
 * The stored-baseline step comparison, told in paired terms: t degrees of freedom, no run-to-run
 * part, and the drift as its own finding. A drift blocks a pass (the mean of a moving difference
 * says little about where the run ended), never a regression or an improvement: a head
 * significantly slower on average than its base by more than allowed is slower, whatever its
 * slope, and a climbing slowdown is the worst kind.
 */
function pairedStepComparison(step: StepComparison, drifts: PairedStepAnalysis['drifts'], trends: PairedStepAnalysis['trends'], dfs: Partial<Record<GatedMetric, number>>): StepComparison {
  const metric = (m: MetricComparison): MetricComparison => {
    const noise = m.noise ? { ...m.noise, degreesOfFreedom: dfs[m.metric] ?? m.noise.currentBlocks - 1, betweenRunsSource: 'none' as const, historyRuns: 1, assumedNoise: 0 } : null;
    const trend = trends[m.metric];
    const found = { ...m, noise, ...(trend !== undefined ? { trend } : {}) };
    const drift = drifts[m.metric];
    if (drift?.drifted && m.verdict === 'pass') return { ...found, verdict: 'inconclusive', reason: `${drift.reason as string}, so it cannot pass` };
    return found;
  };
  const [p95, throughput, errorRate] = [metric(step.p95), metric(step.throughput), metric(step.errorRate)];
  return { ...step, p95, throughput, errorRate, verdict: worstVerdict([p95.verdict, throughput.verdict, errorRate.verdict]) };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
