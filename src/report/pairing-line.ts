import type { Comparison, MetricComparison } from '../compare/comparison-types.js';
import { formatChangeSize, formatCount, formatPlain } from './number-format.js';

/**
 * Paired mode in the words of a report: what head was paired with, in how many block pairs, and
 * the smallest p95 worsening the run could have detected. Plain text (the caller escapes); undefined
 * for a stored-baseline comparison.
 */
export function pairingSentence(comparison: Comparison): string | undefined {
  const pairing = comparison.pairing;
  if (pairing === undefined) return undefined;
  const detectable = smallestDetectable(comparison);
  return `paired with ${pairing.baselineTarget} · ${formatCount(pairing.pairs)} block pair${pairing.pairs === 1 ? '' : 's'} of ${formatPlain(pairing.blockSeconds)} s${detectable ? ` · could detect ${detectable}` : ''}`;
}

/** The p95 of the counted overall (or first counted) step: the one whose detectable change a report states. */
export function headlineP95(comparison: Comparison): MetricComparison | undefined {
  const step = comparison.steps.find((s) => s.counted && s.kind === 'overall') ?? comparison.steps.find((s) => s.counted);
  return step?.p95;
}

/** The smallest p95 worsening the run could detect, from the counted overall (or first counted) step. */
export function smallestDetectable(comparison: Comparison): string | undefined {
  const metric = headlineP95(comparison);
  if (metric?.minimumDetectableChange === null || metric?.minimumDetectableChange === undefined) return undefined;
  return `a p95 change of ${formatChangeSize(metric, metric.minimumDetectableChange)} or more`;
}

/** The method paragraph of a paired comparison (markdown; nothing in it comes from outside). */
export function pairedMethodText(comparison: Comparison): string {
  const pairing = comparison.pairing;
  const blocks = pairing ? `${formatPlain(pairing.blockSeconds)} s blocks, the first ${formatPlain(pairing.settleSeconds)} s after each switch loaded but not measured` : 'blocks';
  return `Head and base were measured in the same job, in alternating ${blocks}, ${pairing?.order === 'random' ? 'each pair in a seeded random order' : 'in ABBA order'}. The change is the mean over block pairs of the difference head − base of the two adjacent blocks: of log p95 (20%-trimmed, so one bad block cannot dominate), of log throughput, and of the error rate. What both targets share (the runner, the network, the hour) cancels in each difference, so no run-to-run noise is assumed; the interval is Student's t with the pairs' degrees of freedom. Its better end is at the corrected level and its worse end at α; a metric passes when the worse end is within the allowed change. A head that drifts away from the base during the run (a slope of the paired differences, or differences that wander together) is reported as a finding of its own: it keeps a metric from passing, and never turns a regression into anything else. Improvements are reported and never fail.`;
}
