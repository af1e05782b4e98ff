import { regularizedIncompleteBeta } from './incomplete-beta.js';
import { logBeta } from './log-gamma.js';
import { normalCdf, normalQuantile } from './normal.js';

/**
 * Student's t distribution with `df` degrees of freedom (any df > 0, not only whole numbers,
 * since Welch–Satterthwaite gives fractional ones). `df = Infinity` is the standard normal.
 */

function checkDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`t distribution needs df > 0 (got ${df})`);
}

export function studentTPdf(t: number, df: number): number {
  checkDf(df);
  if (df === Number.POSITIVE_INFINITY) return Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
  return Math.exp(-((df + 1) / 2) * Math.log1p((t * t) / df) - 0.5 * Math.log(df) - logBeta(df / 2, 0.5));
}

/** P(T ≤ t). */
export function studentTCdf(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return normalCdf(t);
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2); half of it is the tail beyond |t|.
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** P(T > t), computed directly so that tiny upper-tail p-values keep their precision. */
export function studentTUpperTail(t: number, df: number): number {
  return studentTCdf(-t, df);
}

/** The t with P(T ≤ t) = p; ±∞ at p = 0 and 1. */
export function studentTQuantile(p: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(p) || p < 0 || p > 1) throw new RangeError(`t quantile needs 0 ≤ p ≤ 1 (got ${p})`);
  if (df === Number.POSITIVE_INFINITY) return normalQuantile(p);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  // Solve on the lower tail (the distribution is symmetric) where probabilities keep precision.
  if (p > 0.5) return -lowerTailQuantile(1 - p, df);
  return lowerTailQuantile(p, df);
}

/** Safeguarded Newton on P(T ≤ t) = p for p < 0.5, inside a bracket that always holds the root. */
function lowerTailQuantile(p: number, df: number): number {
  // The root is negative and at least as far out as the normal quantile (t tails are heavier).
  let high = 0;
  let low = Math.min(normalQuantile(p), -1);
  while (studentTCdf(low, df) > p) {
    high = low;
    low *= 2;
  }
  let t = (low + high) / 2;
  for (let i = 0; i < 200; i++) {
    const f = studentTCdf(t, df) - p;
    if (f === 0) return t;
    if (f > 0) high = t;
    else low = t;
    // Newton converges quadratically near the root; bisection takes over whenever it would leave the bracket.
    const step = f / studentTPdf(t, df);
    let next = t - step;
    if (!(next > low && next < high)) next = (low + high) / 2;
    if (Math.abs(next - t) <= 1e-14 * Math.max(1, Math.abs(t))) return next;
    t = next;
  }
  return t;
}
