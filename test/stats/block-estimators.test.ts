import { describe, expect, it } from 'vitest';
import { batchMeans } from '../../src/stats/batch-means.js';
import { ratioEstimate } from '../../src/stats/ratio-estimator.js';
import { satterthwaiteDf } from '../../src/stats/satterthwaite.js';

describe('batchMeans', () => {
  it('gives the mean and s²/k (hand-computed)', () => {
    // Mean 5, squared deviations 9 + 1 + 1 + 9 = 20, s² = 20/3, variance of the mean 20/12.
    expect(batchMeans([2, 4, 6, 8])).toEqual({ mean: 5, varianceOfMean: 20 / 12, df: 3, blocks: 4 });
  });

  it('needs two blocks', () => {
    expect(() => batchMeans([1])).toThrow(RangeError);
  });
});

describe('ratioEstimate', () => {
  it('weighs blocks by size (hand-computed)', () => {
    // R = 6/40 = 0.15; residuals 1 − 1.5 = −0.5, 5 − 4.5 = 0.5; k/(k−1) = 2; 2 · 0.5 / 1600.
    const estimate = ratioEstimate([1, 5], [10, 30]);
    expect(estimate.ratio).toBeCloseTo(0.15, 15);
    expect(estimate.variance).toBeCloseTo((2 * 0.5) / 1600, 15);
    expect(estimate.df).toBe(1);
  });

  it('has no variance when every block has the same ratio, and copes with empty blocks', () => {
    expect(ratioEstimate([2, 4, 0], [10, 20, 0]).variance).toBe(0);
  });
});

describe('satterthwaiteDf', () => {
  it('is the Welch formula for two components', () => {
    // v1 = 4 (df 9), v2 = 1 (df 4): 25 / (16/9 + 1/4).
    expect(satterthwaiteDf([{ variance: 4, df: 9 }, { variance: 1, df: 4 }])).toBeCloseTo(25 / (16 / 9 + 1 / 4), 12);
  });

  it('treats exactly known components as infinite df', () => {
    expect(satterthwaiteDf([{ variance: 1, df: Number.POSITIVE_INFINITY }])).toBe(Number.POSITIVE_INFINITY);
    expect(satterthwaiteDf([{ variance: 1, df: Number.POSITIVE_INFINITY }, { variance: 1, df: 5 }])).toBeCloseTo(20, 12);
  });
});
