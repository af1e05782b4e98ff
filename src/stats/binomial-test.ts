import { regularizedIncompleteBeta } from './incomplete-beta.js';
import { logGamma } from './log-gamma.js';

/**
 * P(X ≥ x) for X ~ Binomial(n, p): the one-sided p-value of "at least x successes in n when each
 * has chance p", exact through the regularized incomplete beta function, I_p(x, n − x + 1).
 */
export function binomialUpperTail(x: number, n: number, p: number): number {
  if (!Number.isInteger(x) || !Number.isInteger(n) || n < 0) throw new RangeError(`binomialUpperTail needs whole x and n ≥ 0 (got ${x}, ${n})`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomialUpperTail needs 0 ≤ p ≤ 1 (got ${p})`);
  if (x <= 0) return 1;
  if (x > n) return 0;
  if (p === 0) return 0;
  if (p === 1) return 1;
  return regularizedIncompleteBeta(p, x, n - x + 1);
}

/**
 * P(H ≥ h) for H ~ Hypergeometric: `draws` items drawn without replacement from `population`
 * holding `successes`, summed exactly over the probability mass (log-gamma for the binomial
 * coefficients).
 */
export function hypergeometricUpperTail(h: number, population: number, successes: number, draws: number): number {
  if (![h, population, successes, draws].every(Number.isInteger) || successes > population || draws > population || successes < 0 || draws < 0) {
    throw new RangeError(`hypergeometricUpperTail needs whole counts with successes and draws at most the population (got ${h}, ${population}, ${successes}, ${draws})`);
  }
  const lowest = Math.max(0, draws - (population - successes));
  const highest = Math.min(draws, successes);
  if (h <= lowest) return 1;
  if (h > highest) return 0;
  const logChoose = (n: number, k: number): number => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
  const total = logChoose(population, draws);
  let sum = 0;
  for (let k = h; k <= highest; k++) sum += Math.exp(logChoose(successes, k) + logChoose(population - successes, draws - k) - total);
  return Math.min(1, sum);
}
