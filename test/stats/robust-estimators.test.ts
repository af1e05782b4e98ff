import { describe, expect, it } from 'vitest';
import { lag1Autocorrelation } from '../../src/stats/autocorrelation.js';
import { trimmedMean } from '../../src/stats/trimmed-mean.js';

// Reference values from SciPy 1.17: stats.trim_mean(x, 0.2), and the Yuen–Welch test
// stats.ttest_ind(a, b, trim=0.2, equal_var=False), whose statistic is
// (trimmed mean a − trimmed mean b) / sqrt(SE²a + SE²b) with these standard errors.
const a = [3.1, 2.4, 5.6, 1.2, 9.9, 4.4, 4.1, 3.8, 2.2, 7.0];
const b = [0.5, 0.7, 0.6, 0.8, 0.55, 12.0, 0.65];

describe('trimmedMean (Tukey–McLaughlin standard error)', () => {
  it('matches SciPy: trimmed means, and Yuen–Welch t = 4.3758676 from their standard errors', () => {
    const ta = trimmedMean(a);
    const tb = trimmedMean(b);
    expect(ta.mean).toBeCloseTo(3.9, 12);
    expect(tb.mean).toBeCloseTo(0.66, 12);
    expect(ta.varianceOfMean).toBeCloseTo(0.5448, 12);
    expect(tb.varianceOfMean).toBeCloseTo(0.003428571428571429, 12);
    expect((ta.mean - tb.mean) / Math.sqrt(ta.varianceOfMean + tb.varianceOfMean)).toBeCloseTo(4.375867643796202, 9);
    expect([ta.df, tb.df]).toEqual([5, 4]);
  });

  it('barely moves when one value explodes, unlike the mean', () => {
    const quiet = trimmedMean(a);
    const burst = trimmedMean([...a.slice(0, 9), 1000]);
    expect(Math.abs(burst.mean - quiet.mean)).toBeLessThan(0.2);
    expect(burst.varianceOfMean).toBeLessThan(2 * quiet.varianceOfMean);
  });

  it('is the plain mean with s²/k when nothing is trimmed', () => {
    const result = trimmedMean([2, 4, 6, 8], 0.2);
    expect(result).toEqual({ mean: 5, varianceOfMean: 20 / 12, df: 3, kept: 4, winsorizedVariance: 20 / 3 });
  });

  it('has no variance from one value, and refuses what is not a number', () => {
    expect(Number.isNaN(trimmedMean([3]).varianceOfMean)).toBe(true);
    expect(() => trimmedMean([])).toThrow(RangeError);
    expect(() => trimmedMean([1, Number.NaN])).toThrow(RangeError);
  });
});

describe('lag1Autocorrelation', () => {
  it('matches the Box–Jenkins estimator (NumPy: -0.4275640703307017)', () => {
    expect(lag1Autocorrelation(a)).toBeCloseTo(-0.4275640703307017, 12);
  });

  it('is near 1 for a trend, 0 for a constant or too short a series', () => {
    expect(lag1Autocorrelation(Array.from({ length: 50 }, (_, i) => i))).toBeGreaterThan(0.9);
    expect(lag1Autocorrelation([5, 5, 5, 5])).toBe(0);
    expect(lag1Autocorrelation([1, 2])).toBe(0);
  });
});
