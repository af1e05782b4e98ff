/**
 * Welch–Satterthwaite: the effective degrees of freedom of a sum of independently estimated
 * variance components, df = (Σ vᵢ)² / Σ (vᵢ² / dfᵢ). A component known exactly (an assumed noise
 * floor) has df = Infinity and adds nothing to the denominator.
 */
export interface VarianceComponent {
  variance: number;
  df: number;
}

/** Infinity when every non-zero component is exact (or all are zero). */
export function satterthwaiteDf(components: readonly VarianceComponent[]): number {
  let total = 0;
  let denominator = 0;
  for (const { variance, df } of components) {
    if (!(df > 0)) throw new RangeError(`a variance component needs df > 0 (got ${df})`);
    total += variance;
    if (df !== Number.POSITIVE_INFINITY) denominator += (variance * variance) / df;
  }
  if (denominator === 0) return Number.POSITIVE_INFINITY;
  return (total * total) / denominator;
}
