import { regularizedIncompleteBeta } from './incomplete-beta.js';

/**
 * Exact (Clopper–Pearson) two-sided confidence interval for a proportion: `successes` of
 * `trials`, at `confidence` (0.95 gives 2.5% in each tail). Conservative: covers at least
 * `confidence` whatever the true proportion.
 */
export function clopperPearson(successes: number, trials: number, confidence = 0.95): { low: number; high: number } {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || trials < 1 || successes < 0 || successes > trials) {
    throw new RangeError(`need whole numbers 0 ≤ successes ≤ trials, trials ≥ 1 (got ${successes} of ${trials})`);
  }
  const tail = (1 - confidence) / 2;
  const low = successes === 0 ? 0 : betaQuantile(tail, successes, trials - successes + 1);
  const high = successes === trials ? 1 : betaQuantile(1 - tail, successes + 1, trials - successes);
  return { low, high };
}

/** The Beta(a, b) quantile by bisection on its CDF: slow but exact to 1e-12, plenty here. */
function betaQuantile(p: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 100 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (regularizedIncompleteBeta(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
