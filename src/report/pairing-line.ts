import type { Comparison, MetricComparison } from '../compare/comparison-types.js';
import { formatChangeSize } from './number-format.js';

/**
 * Paired mode in the words of a report: what head was paired with, in how many block pairs, and
 * the smallest p95 worsening the run could have detected. Plain text (the caller escapes); undefined
 * for a stored-baseline comparison.
 */
export function pairingSentence(comparison: Comparison): string | undefined {
  const pairing = comparison.pairing;
  if (pairing === undefined) return undefined;
  const detectable = smallestDetectable(comparison);
  return `paired with ${pairing.baselineTarget} · ${pairing.pairs} block pair${pairing.pairs === 1 ? '' : 's'} of ${pairing.blockSeconds} s${detectable ? ` · could detect ${detectable}` : ''}`;
}

/** The smallest p95 worsening the run could detect, from the counted overall (or first counted) step. */
export function smallestDetectable(comparison: Comparison): string | undefined {
  const step = comparison.steps.find((s) => s.counted && s.kind === 'overall') ?? comparison.steps.find((s) => s.counted);
  const metric: MetricComparison | undefined = step?.p95;
  if (metric?.minimumDetectableChange === null || metric?.minimumDetectableChange === undefined) return undefined;
  return `a p95 change of ${formatChangeSize(metric, metric.minimumDetectableChange)} or more`;
}
