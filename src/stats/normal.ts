/**
 * The standard normal distribution: CDF and quantile, accurate to about 1e-15 relative,
 * including far tails (p-values of 1e-20 stay meaningful rather than rounding to 0 or 1).
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);

export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / SQRT_2PI;
}

/** P(Z ≤ z). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z < -3) return upperTail(-z);
  if (z > 3) return 1 - upperTail(z);
  // Marsaglia (2004): Φ(z) = ½ + φ(z)(z + z³/3 + z⁵/(3·5) + …); every term has the sign of z,
  // so the sum has no cancellation in the central range.
  let term = z;
  let sum = z;
  const z2 = z * z;
  for (let i = 3; Math.abs(term) > 1e-17 * Math.abs(sum); i += 2) {
    term *= z2 / i;
    sum += term;
  }
  return 0.5 + normalPdf(z) * sum;
}

/** P(Z > z) for z > 3, by the continued fraction of Mills' ratio (Lentz), which keeps relative precision. */
function upperTail(z: number): number {
  if (z === Number.POSITIVE_INFINITY) return 0;
  // Q(z) = φ(z) / (z + 1/(z + 2/(z + 3/(z + …)))), evaluated bottom-up with enough terms for z > 3.
  let fraction = z;
  for (let k = 120; k >= 1; k--) fraction = z + k / fraction;
  return normalPdf(z) / fraction;
}

// Acklam's rational approximation (relative error < 1.2e-9), refined by one Halley step below.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const;
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const;
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

/** The z with P(Z ≤ z) = p; −∞ at 0 and +∞ at 1. */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) throw new RangeError(`normal quantile needs 0 ≤ p ≤ 1 (got ${p})`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const z = acklam(p);
  // One Halley step against the accurate CDF brings the error to machine precision. The
  // residual is taken on the smaller tail so that it does not cancel for p near 1.
  const residual = p > 0.5 ? -(normalCdf(-z) - (1 - p)) : normalCdf(z) - p;
  const u = residual / normalPdf(z);
  return z - u / (1 + (z * u) / 2);
}

function acklam(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return tailRatio(q);
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    return -tailRatio(q);
  }
  const q = p - 0.5;
  const r = q * q;
  const numerator = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q;
  const denominator = ((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1;
  return numerator / denominator;
}

function tailRatio(q: number): number {
  const numerator = ((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5];
  const denominator = (((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1;
  return numerator / denominator;
}
