/**
 * Lag-1 autocorrelation of a series, r₁ = Σ(xₜ − x̄)(xₜ₊₁ − x̄) / Σ(xₜ − x̄)², the usual
 * (biased, Box–Jenkins) estimator. 0 for a constant series or fewer than 3 values.
 */
export function lag1Autocorrelation(values: readonly number[]): number {
  const k = values.length;
  if (k < 3) return 0;
  let mean = 0;
  for (const value of values) mean += value;
  mean /= k;
  let numerator = 0;
  let denominator = 0;
  for (let t = 0; t < k; t++) {
    const deviation = (values[t] as number) - mean;
    denominator += deviation * deviation;
    if (t + 1 < k) numerator += deviation * ((values[t + 1] as number) - mean);
  }
  return denominator > 0 ? numerator / denominator : 0;
}
