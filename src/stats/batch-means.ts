import { mean, sampleVariance } from 'simple-statistics';

/**
 * Batch means: the standard error of a long, autocorrelated series estimated from the spread of
 * its block averages. Requests within a few seconds share server state (GC, caches, noisy
 * neighbours), so a per-request standard error would be far too small; blocks of seconds are
 * close enough to independent that their spread tells the truth.
 */
export interface BatchMeans {
  mean: number;
  /** Variance of the mean of the blocks: s² / k. */
  varianceOfMean: number;
  /** Degrees of freedom of that variance estimate: k − 1. */
  df: number;
  blocks: number;
}

/** Needs at least two blocks; callers decide how many make a trustworthy estimate. */
export function batchMeans(blockValues: readonly number[]): BatchMeans {
  const k = blockValues.length;
  if (k < 2) throw new RangeError(`batch means need at least 2 blocks (got ${k})`);
  for (const value of blockValues) if (!Number.isFinite(value)) throw new RangeError(`block values must be finite (got ${value})`);
  const values = [...blockValues];
  return { mean: mean(values), varianceOfMean: sampleVariance(values) / k, df: k - 1, blocks: k };
}
