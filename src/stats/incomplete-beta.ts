import { logBeta } from './log-gamma.js';

/**
 * The regularized incomplete beta function I_x(a, b), the CDF of a Beta(a, b) variable.
 * Evaluated by its continued fraction with the modified Lentz method (Numerical Recipes 3rd ed.,
 * §6.4), on whichever side of the mean converges fast, so both tails keep full relative precision.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) throw new RangeError(`incomplete beta needs a > 0 and b > 0 (got a=${a}, b=${b})`);
  if (Number.isNaN(x) || x < 0 || x > 1) throw new RangeError(`incomplete beta needs 0 ≤ x ≤ 1 (got ${x})`);
  if (x === 0) return 0;
  if (x === 1) return 1;
  // x^a (1−x)^b / (a B(a,b)), the factor in front of the continued fraction.
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

const MAX_ITERATIONS = 10_000;
const EPSILON = 1e-16;
const TINY = 1e-300;

function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    // Even step of the recurrence.
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // Odd step.
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return h;
  }
  // Only reachable for absurd parameters (a or b in the millions); a bug, not a user error.
  throw new Error(`incomplete beta did not converge for x=${x}, a=${a}, b=${b}`);
}
