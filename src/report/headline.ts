import type { Comparison, MetricComparison, ServerTimingChange, StepComparison, ThresholdResult } from '../compare/comparison-types.js';
import { machineBusyLabel, runnerSlowerLabel, slowBaselineNote, slowerRunnerReason } from '../compare/runner-speed.js';
import { largestRise, regressedComponents } from '../compare/server-timing-breakdown.js';
import { intervalText } from './server-timing-lines.js';
import { incompleteSentence } from '../compare/whole-run.js';
import { allFailed, errorParts, formatParts } from './error-breakdown.js';
import { code, escapeText } from './escape.js';
import { formatAllowance, formatChange, formatChangeSize, formatCount, formatDuration, formatErrorRate, formatInterval, formatObserved } from './number-format.js';
import { shapeTestLine } from './shape-report.js';
import { METRIC_NAME, VERDICT_MARK } from './verdict-marks.js';

/**
 * The verdict in the words a reviewer needs, first: what failed, by how much, how sure, and
 * what was allowed. One line per finding, the most important first.
 */
const MAX_FINDINGS = 3;

interface Finding {
  step: StepComparison;
  metric: MetricComparison;
}

export function renderHeadline(comparison: Comparison): string[] {
  const gated = comparison.steps.flatMap((step) => [step.p95, step.throughput, step.errorRate].filter((m) => m.gated).map((metric) => ({ step, metric })));
  const broken = comparison.thresholds.filter((t) => t.status === 'broken');
  const lines: string[] = [];
  const failed = allFailedSentence(comparison);
  if (failed !== undefined && comparison.verdict !== 'regression') lines.push(`${VERDICT_MARK.regression} ${failed}`);

  if (comparison.verdict === 'regression') {
    // A step's regression says where, and a component or the run's shape says more; the overall one only echoes them, so it comes last.
    const regressed = gated.filter((f) => f.metric.verdict === 'regression');
    lines.push(...regressed.filter((f) => f.step.kind === 'step').map((f) => `${VERDICT_MARK.regression} ${regressionSentence(f)}`));
    // Server-Timing components gated by regression.serverTiming that rose beyond their allowance.
    lines.push(...regressedComponents(comparison.steps).map(({ step, component }) => `${VERDICT_MARK.regression} ${componentSentence(step, component)}`));
    // The run's shape against the baseline runs' (a capacity lost, a slower recovery, a slow burn), and the target's own CPU and memory.
    const shapes = [...(comparison.shapeTests ?? []), ...(comparison.targetMetrics ?? [])].filter((t) => t.gated && t.verdict === 'regression');
    lines.push(...shapes.map((t) => `${VERDICT_MARK.regression} ${shapeTestLine(t, escapeText)}`));
    lines.push(...regressed.filter((f) => f.step.kind === 'overall').map((f) => `${VERDICT_MARK.regression} ${regressionSentence(f)}`));
  }
  lines.push(...broken.map((t) => `${VERDICT_MARK.regression} ${thresholdSentence(t)}`));
  if (lines.length > MAX_FINDINGS) {
    const more = lines.length - MAX_FINDINGS;
    lines.splice(MAX_FINDINGS, more, `…and ${more} more, listed below.`);
  }

  switch (comparison.verdict) {
    case 'regression':
      break;
    case 'inconclusive':
      lines.push(`${VERDICT_MARK.inconclusive} ${inconclusiveSentence(comparison, gated)}`);
      break;
    case 'no-baseline': {
      // A baseline that could not be read, or skipped runs (another profile, a saturated generator), explain themselves.
      const why = comparison.baselineUnavailable !== undefined ? `the baseline could not be read: ${comparison.baselineUnavailable}` : comparison.history.skipped.length > 0 ? comparison.notes[0] : undefined;
      lines.push(
        why === undefined
          ? `${VERDICT_MARK['no-baseline']} No baseline to compare with yet. A run recorded on the default branch becomes the baseline.`
          : `${VERDICT_MARK['no-baseline']} No usable baseline: ${escapeText(why)}`,
      );
      break;
    }
    case 'improvement': {
      const improved = gated.filter((f) => f.metric.verdict === 'improvement');
      lines.push(`${VERDICT_MARK.improvement} No regression, and ${improved.map(improvementSentence).join('; ')}.`);
      break;
    }
    case 'pass':
      lines.push(`${VERDICT_MARK.pass} ${passSentence(comparison)}`);
      break;
  }
  const runner = slowerRunnerSentence(comparison);
  if (runner !== undefined) lines.push(`🐢 ${runner}`);
  const busy = busyMachineSentence(comparison);
  if (busy !== undefined) lines.push(`⏳ ${busy}`);
  // Typed numbers only: the note is built from the runs' probe figures.
  if (comparison.slowBaselineRuns !== undefined) lines.push(`🐢 ${escapeText(slowBaselineNote(comparison.slowBaselineRuns))}`);
  const trend = trendSentence(gated);
  if (trend !== undefined) lines.push(`📈 ${trend}`);
  const tail = tailSentence(comparison);
  if (tail !== undefined) lines.push(`🔍 ${tail}`);
  return lines;
}

/** The current run's runner was far slower than its baselines' by the CPU probe (`runner-speed.ts`). Typed numbers only. */
function slowerRunnerSentence(comparison: Comparison): string | undefined {
  const speed = comparison.runnerSpeed;
  if (speed === undefined || !speed.slower) return undefined;
  const runs = `${speed.baselineRuns} baseline run${speed.baselineRuns === 1 ? '' : 's'}`;
  if (speed.basis === 'cpu-time') {
    return escapeText(
      `${capitalized(runnerSlowerLabel(speed))}: the same arithmetic took ${speed.slowerPct.toFixed(0)}% more CPU time on this run's runner than on the baseline's, on a probe taken before the load (${speed.currentOpsPerMicrosecond.toFixed(1)} against a median of ${speed.baselineOpsPerMicrosecond.toFixed(1)} operations per CPU-microsecond over ${runs}), and a slower CPU slows every latency, so a regression on it is not judged. Paired mode (baseline-url) measures base and head on the same runner and cancels it.`,
    );
  }
  // Comparisons made before the flag held verdicts back have no `heldRegressions`: a regression there was judged.
  const consequence = speed.heldRegressions === undefined ? 'so a regression here may be the runner\'s' : 'and a slower runner slows every latency, so a regression on it is not judged';
  return escapeText(
    `This run's runner was ${speed.slowerPct.toFixed(0)}% slower than the baseline's on a CPU probe taken before the load (${speed.currentOpsPerMicrosecond.toFixed(1)} against a median of ${speed.baselineOpsPerMicrosecond.toFixed(1)} operations per microsecond over ${runs}), ${consequence}. Paired mode (baseline-url) measures base and head on the same runner and cancels it.`,
  );
}

/** The probe before the load got less than a core's worth (`runner-speed.ts`): a busy machine, not a slower runner. Typed numbers only. */
function busyMachineSentence(comparison: Comparison): string | undefined {
  const speed = comparison.runnerSpeed;
  if (speed === undefined || speed.busy !== true) return undefined;
  const baseline = speed.baselineCpuSharePct === undefined ? '' : ` (the baseline runs' probes: ${speed.baselineCpuSharePct.toFixed(0)}%)`;
  return escapeText(
    `${capitalized(machineBusyLabel(speed))} on a CPU probe taken before the load${baseline}. A busy machine is not a slower runner, so nothing was held back for it; the generator self-check measures what it adds to latencies and allows for it.`,
  );
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The tail of blocks (`block-tail.ts`): slow blocks the gated trimmed mean sets aside. Typed numbers and escaped names only. */
function tailSentence(comparison: Comparison): string | undefined {
  // Beside a regression it adds nothing; beside a pass or an undecided run it is what the gate could not see.
  const judged = comparison.incomplete === undefined && (comparison.generator.valid || comparison.generator.addedMs !== undefined);
  if (comparison.verdict === 'regression' || comparison.verdict === 'no-baseline' || !judged) return undefined;
  const found = comparison.steps.filter((step) => step.tail?.finding === true);
  if (found.length === 0) return undefined;
  const ordered = [...found.filter((s) => s.kind === 'step'), ...found.filter((s) => s.kind === 'overall')];
  const parts = ordered.slice(0, MAX_FINDINGS).map((step) => {
    const tail = step.tail as NonNullable<StepComparison['tail']>;
    const where = step.kind === 'overall' ? 'all steps' : code(step.name);
    return `${where}: ${tail.blocksBeyond} of ${tail.blocks} blocks beyond the ${comparison.pairing ? "base's" : "baseline's"} 95th percentile of block p95s, ${tail.baselineBlockP95Ms.toFixed(1)} ms (about ${(tail.expectedShare * tail.blocks).toFixed(1)} expected, p = ${tail.pValue.toPrecision(2)})`;
  });
  const more = ordered.length > MAX_FINDINGS ? `, and ${ordered.length - MAX_FINDINGS} more` : '';
  return `Slow blocks: ${parts.join('; ')}${more}. The gated p95 is a trimmed mean of the blocks' p95s and sets such blocks aside; this finding is reported, never gated.`;
}

/** Every request of this run failed: said first, since no latency of it measures a working service. Typed numbers and fixed words only. */
function allFailedSentence(comparison: Comparison): string | undefined {
  const overall = comparison.steps.find((s) => s.kind === 'overall');
  if (overall === undefined) return undefined;
  const outcomes = overall.outcomes?.current ?? { requests: overall.requests.current, errors: overall.errorRate.current === 1 ? overall.requests.current : 0, statuses: {}, errorKinds: {} };
  if (!allFailed(outcomes)) return undefined;
  const parts = errorParts(outcomes);
  return `Every request of this run failed: ${formatCount(outcomes.requests)} of ${formatCount(outcomes.requests)}${parts.length > 0 ? ` (${formatParts(parts, escapeText)})` : ''}. Its latencies time the failures, not a working service.`;
}

/**
 * Paired mode: head moving against base during the run, a finding of its own (it keeps a metric
 * from passing, never excuses a regression). Only typed numbers and escaped names reach it.
 */
function trendSentence(gated: Finding[]): string | undefined {
  const found = gated.filter((f) => f.metric.trend !== undefined && f.metric.trend.finding !== 'none');
  if (found.length === 0) return undefined;
  const ordered = [...found.filter((f) => f.step.kind === 'step'), ...found.filter((f) => f.step.kind === 'overall')];
  const parts = ordered.slice(0, MAX_FINDINGS).map((f) => {
    const trend = f.metric.trend as NonNullable<MetricComparison['trend']>;
    if (trend.finding === 'wander') return `${subject(f)} of head wandered against base's from pair to pair (lag-1 autocorrelation ${trend.lag1.toFixed(2)})`;
    return `${subject(f)} of head moved ${formatChange(f.metric, trend.changeOverRun)} against base's from the first block pair to the last (p = ${trend.slopePValue.toPrecision(2)})`;
  });
  const more = ordered.length > MAX_FINDINGS ? `, and ${ordered.length - MAX_FINDINGS} more` : '';
  return `Trend during the run: ${parts.join('; ')}${more}. Pairing cannot cancel a change of one target over time; a trend keeps a metric from passing, and never turns a regression into anything else.`;
}

function subject({ step, metric }: Finding): string {
  return step.kind === 'overall' ? `overall ${METRIC_NAME[metric.metric]}` : `${METRIC_NAME[metric.metric]} of ${code(step.name)}`;
}

function magnitude(metric: MetricComparison): string {
  return formatChangeSize(metric, metric.change ?? 0);
}

function ci(metric: MetricComparison): string {
  return metric.ci ? ` (CI ${formatInterval(metric, metric.ci)})` : '';
}

function regressionSentence(finding: Finding): string {
  const { metric } = finding;
  const allowed = `beyond the ${formatAllowance(metric)} allowed`;
  if (metric.metric === 'p95') return `${subject(finding)} is ${magnitude(metric)} slower${ci(metric)}, ${allowed}${serverTimingClause(finding.step)}.`;
  if (metric.metric === 'throughput') return `${subject(finding)} fell ${magnitude(metric)}${ci(metric)}, ${allowed}.`;
  const now = metric.current === null ? '' : ` to ${formatErrorRate(metric.current)}`;
  return `${subject(finding)} rose ${magnitude(metric)}${now}${ci(metric)}, ${allowed}.`;
}

/**
 * The step's `Server-Timing` component that rose most, as the target reported it: "; Server-Timing:
 * db +35 ms (p95 12 → 47 ms)". A point change of the components' p95s, no interval. Empty when
 * no component rose. The name is the target's, shown as code.
 */
function serverTimingClause(step: StepComparison): string {
  const rise = largestRise(step.serverTiming);
  if (rise === undefined) return '';
  const p95s = `p95 ${formatMs(rise.baselineP95Ms as number)} → ${formatMs(rise.currentP95Ms as number)}`;
  if (rise.interval !== undefined) return `; Server-Timing: ${code(rise.name)} ${intervalText(rise.interval.changeMs, rise.interval.ci)}, ${p95s}`;
  return `; Server-Timing: ${code(rise.name)} +${formatMs(rise.changeMs as number)} (${p95s})`;
}

/** A gated Server-Timing component that regressed: "Server-Timing `db` of `checkout` rose +30.0 ms (CI +25.0 … +35.0), +300%, beyond the 20% allowed". */
function componentSentence(step: StepComparison, component: ServerTimingChange): string {
  const interval = component.interval as NonNullable<ServerTimingChange['interval']>;
  const pct = `${interval.changePct >= 0 ? '+' : '−'}${Math.abs(interval.changePct).toFixed(0)}%`;
  return `Server-Timing ${code(component.name)} of ${code(step.name)} rose ${intervalText(interval.changeMs, interval.ci)}, ${pct} (p95 ${formatMs(component.baselineP95Ms ?? interval.baselineMs)} → ${formatMs(component.currentP95Ms ?? interval.currentMs)}), beyond the ${interval.allowedPct ?? 0}% allowed.`;
}

function formatMs(ms: number): string {
  return `${ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)} ms`;
}

function improvementSentence(finding: Finding): string {
  const { metric } = finding;
  if (metric.metric === 'p95') return `${subject(finding)} is ${magnitude(metric)} faster${ci(metric)}`;
  if (metric.metric === 'throughput') return `${subject(finding)} rose ${magnitude(metric)}${ci(metric)}`;
  return `${subject(finding)} fell ${magnitude(metric)}${ci(metric)}`;
}

function inconclusiveSentence(comparison: Comparison, gated: Finding[]): string {
  // Only whole runs are judged: the sentence is built from the record's typed fields.
  if (comparison.incomplete !== undefined) return `Inconclusive: ${escapeText(incompleteSentence(comparison.incomplete))}.`;
  if (!comparison.generator.valid && comparison.generator.addedMs === undefined) {
    const why = comparison.generator.reasons.length > 0 ? ` (${escapeText(comparison.generator.reasons.join('; '))})` : '';
    return `Inconclusive: the load generator was the bottleneck${why}, so this run measured the generator, not the target.`;
  }
  // A generator that fell behind widened the intervals by what it could have added (typed ms).
  const added = comparison.generator.addedMs;
  const widened = added === undefined ? '' : ` The load generator fell behind and could have added up to ${added.toFixed(1)} ms to a p95; the interval allows for that.`;
  return `${heldSentence(comparison, gated) ?? unsureSentence(comparison, gated)}${widened}`;
}

/** A regression held back because the runner was far slower (`runner-speed.ts`); undefined when none was. */
function heldSentence(comparison: Comparison, gated: Finding[]): string | undefined {
  const speed = comparison.runnerSpeed;
  if (speed === undefined || !speed.slower || (speed.heldRegressions ?? 0) === 0) return undefined;
  const reason = slowerRunnerReason(speed);
  const held = gated.filter((f) => f.metric.verdict === 'inconclusive' && f.metric.reason === reason).sort((a, b) => (a.step.kind === 'overall' ? 1 : 0) - (b.step.kind === 'overall' ? 1 : 0));
  const first = held[0];
  if (first === undefined) return undefined;
  const others = held.length > 1 ? ` (and ${held.length - 1} more below)` : '';
  const moved = first.metric.metric === 'p95' ? `is ${magnitude(first.metric)} slower` : `fell ${magnitude(first.metric)}`;
  return `Inconclusive: ${subject(first)} ${moved}${ci(first.metric)}, beyond the ${formatAllowance(first.metric)} allowed, but on a runner ${speed.slowerPct.toFixed(0)}% slower${speed.basis === 'cpu-time' ? ' (CPU)' : ''} than the baseline's, so it is not judged${others}.`;
}

function unsureSentence(comparison: Comparison, gated: Finding[]): string {
  const unsure = gated.filter((f) => f.metric.verdict === 'inconclusive').sort((a, b) => (a.step.kind === 'overall' ? 1 : 0) - (b.step.kind === 'overall' ? 1 : 0));
  const first = unsure[0];
  const shape = [...(comparison.shapeTests ?? []), ...(comparison.targetMetrics ?? [])].find((t) => t.gated && t.verdict === 'inconclusive');
  if (first === undefined) return shape === undefined ? 'Inconclusive.' : `Inconclusive: ${shapeTestLine(shape, escapeText)}`;
  const others = unsure.length > 1 ? ` (and ${unsure.length - 1} more below)` : '';
  const { metric } = first;
  if (metric.ci && metric.change !== null) {
    return `Inconclusive: ${subject(first)} changed ${formatChange(metric, metric.change)}${ci(metric)}; this run was too noisy to tell whether that is within the ${formatAllowance(metric)} allowed${others}. ${whatWouldHelp(comparison, metric)}`;
  }
  // A paired run's reasons say what would test the metric (a longer run does not fill sparse blocks).
  const help = comparison.pairing ? '' : ' A longer run, or more requests per second to it, would give it enough.';
  return `Inconclusive: ${subject(first)} could not be tested: ${escapeText(metric.reason ?? 'not enough data')}${others}.${help}`;
}

/** What would narrow an interval: the noise source that dominates it says which. */
export function whatWouldHelp(comparison: Comparison, metric: MetricComparison): string {
  const noise = metric.noise;
  const detectable = metric.minimumDetectableChange === null ? '' : `It could catch a change of ${formatChangeSize(metric, metric.minimumDetectableChange)} or more; `;
  if (comparison.pairing) {
    return `${detectable}${detectable === '' ? 'A' : 'a'} longer run (now ${formatCount(comparison.pairing.pairs)} block pairs in ${formatDuration(2 * comparison.current.measuredMs)} measured) would narrow it.`;
  }
  const runs = comparison.history.used.length;
  const more = `${detectable}${detectable === '' ? 'M' : 'm'}ore baseline runs (now ${runs}; each push to the default branch adds one)`;
  if (noise === null || noise.historyRuns < 3) return `${more} would measure the run-to-run noise instead of assuming it.`;
  const within = Math.hypot(noise.withinCurrent, noise.withinBaseline);
  if (within > noise.betweenRuns) return `${detectable}${detectable === '' ? 'A' : 'a'} longer run (now ${formatDuration(comparison.current.measuredMs)}) would narrow it: most of the noise is inside the runs.`;
  return `${more} would narrow it; most of the noise is between runs.`;
}

function passSentence(comparison: Comparison): string {
  const step = comparison.steps.find((s) => s.counted && s.kind === 'overall') ?? comparison.steps.find((s) => s.counted);
  if (step === undefined) return 'No regression.';
  const parts = [step.p95, step.throughput, step.errorRate]
    .filter((m) => m.change !== null)
    .map((m, i) => `${i === 0 ? subject({ step, metric: m }) : METRIC_NAME[m.metric]} ${formatChange(m, m.change as number)}${i === 0 ? ci(m) : ''}`);
  return `No regression beyond the allowed change: ${parts.join(', ')}.`;
}

function thresholdSentence(threshold: ThresholdResult): string {
  const aborted = threshold.abortedRun;
  if (aborted) {
    return `threshold ${code(threshold.expression)} on ${code(threshold.metric)} aborted the run after ${formatDuration(aborted.atMs)} of measurement (abortOnFail): ${formatObserved(threshold.unit, aborted.observed)}.`;
  }
  const observed = threshold.observed === null ? 'no data' : formatObserved(threshold.unit, threshold.observed);
  return `threshold ${code(threshold.expression)} on ${code(threshold.metric)} is broken: ${observed}.`;
}
