/**
 * A ratio of totals over blocks, R = Σy / Σx (errors per request, requests per second), with the
 * survey-sampling (linearization) variance of a ratio estimator:
 * Var(R) ≈ k/(k−1) · Σ(yⱼ − R·xⱼ)² / (Σx)².
 * Unlike the mean of per-block ratios it weighs blocks by their size and copes with empty blocks.
 */
export interface RatioEstimate {
  ratio: number;
  variance: number;
  /** k − 1. */
  df: number;
  blocks: number;
}

export function ratioEstimate(numerators: readonly number[], denominators: readonly number[]): RatioEstimate {
  const k = numerators.length;
  if (k !== denominators.length) throw new RangeError(`ratio estimate needs as many numerators as denominators (${k} vs ${denominators.length})`);
  if (k < 2) throw new RangeError(`ratio estimate needs at least 2 blocks (got ${k})`);
  let sumY = 0;
  let sumX = 0;
  for (let j = 0; j < k; j++) {
    const y = numerators[j] as number;
    const x = denominators[j] as number;
    if (!Number.isFinite(y) || !Number.isFinite(x) || x < 0) throw new RangeError(`block totals must be finite and denominators ≥ 0 (got ${y}/${x})`);
    sumY += y;
    sumX += x;
  }
  if (sumX === 0) throw new RangeError('ratio estimate needs a positive total denominator');
  const ratio = sumY / sumX;
  let squares = 0;
  for (let j = 0; j < k; j++) {
    const residual = (numerators[j] as number) - ratio * (denominators[j] as number);
    squares += residual * residual;
  }
  return { ratio, variance: (k / (k - 1)) * (squares / (sumX * sumX)), df: k - 1, blocks: k };
}
