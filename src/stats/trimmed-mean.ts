/**
 * The trimmed mean and its standard error (Tukey–McLaughlin, as in Yuen's test): the mean of the
 * values left after cutting ⌊γk⌋ from each end, with the variance estimated from the winsorized
 * values (the cut ones replaced by the nearest kept one):
 *   SE² = (k − 1)·s²_w / (h·(h − 1)),  df = h − 1,  h = k − 2⌊γk⌋.
 * One block made slow by a noisy neighbour moves a plain mean by its whole excess over k; here it
 * is cut, and its share of the variance is bounded.
 */
export interface TrimmedMean {
  mean: number;
  /** Squared standard error of the trimmed mean; NaN with fewer than 2 kept values. */
  varianceOfMean: number;
  /** h − 1. */
  df: number;
  /** Values kept after trimming (h). */
  kept: number;
  /** Variance of one value, from the winsorized values (s²_w); NaN with fewer than 2 kept values. */
  winsorizedVariance: number;
}

export const DEFAULT_TRIM = 0.2;

export function trimmedMean(values: readonly number[], trim: number = DEFAULT_TRIM): TrimmedMean {
  const k = values.length;
  if (k === 0) throw new RangeError('a trimmed mean needs at least one value');
  if (!(trim >= 0 && trim < 0.5)) throw new RangeError(`trim must be in [0, 0.5) (got ${trim})`);
  for (const value of values) if (!Number.isFinite(value)) throw new RangeError(`values must be finite (got ${value})`);
  const sorted = [...values].sort((a, b) => a - b);
  const g = Math.floor(trim * k);
  const h = k - 2 * g;
  let sum = 0;
  for (let i = g; i < k - g; i++) sum += sorted[i] as number;
  const mean = sum / h;
  if (h < 2) return { mean, varianceOfMean: Number.NaN, df: 0, kept: h, winsorizedVariance: Number.NaN };
  const low = sorted[g] as number;
  const high = sorted[k - g - 1] as number;
  let winsorizedSum = 0;
  for (const value of sorted) winsorizedSum += Math.min(high, Math.max(low, value));
  const winsorizedMean = winsorizedSum / k;
  let squares = 0;
  for (const value of sorted) {
    const deviation = Math.min(high, Math.max(low, value)) - winsorizedMean;
    squares += deviation * deviation;
  }
  const winsorizedVariance = squares / (k - 1);
  return { mean, varianceOfMean: ((k - 1) * winsorizedVariance) / (h * (h - 1)), df: h - 1, kept: h, winsorizedVariance };
}
