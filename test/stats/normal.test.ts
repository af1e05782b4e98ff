import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalCdf, normalQuantile } from '../../src/stats/normal.js';

/** Standard normal quantiles as printed in statistical tables (three decimals). */
const PRINTED: Array<[p: number, z: number]> = [
  [0.9, 1.282],
  [0.95, 1.645],
  [0.975, 1.96],
  [0.99, 2.326],
  [0.995, 2.576],
  [0.999, 3.09],
];

/** Full-precision references (SciPy 1.17 `stats.norm`). */
const PRECISE_QUANTILES: Array<[p: number, z: number]> = [
  [0.9, 1.2815515655446004],
  [0.95, 1.6448536269514722],
  [0.975, 1.959963984540054],
  [0.99, 2.3263478740408408],
  [0.995, 2.5758293035489004],
  [0.999, 3.090232306167813],
  [1e-10, -6.361340902404056],
  [1e-300, -37.0470962993612],
];

const PRECISE_CDF: Array<[z: number, p: number]> = [
  [1.96, 0.9750021048517795],
  [1, 0.8413447460685429],
  [0.5, 0.6914624612740131],
  [2.9, 0.998134186699616],
  [3.1, 0.9990323967867817],
  [-3, 0.0013498980316300933],
  [-5, 2.866515718791933e-7],
  [-8, 6.22096057427174e-16],
  [-10, 7.61985302416047e-24],
  [-20, 2.7536241186061556e-89],
];

describe('normalQuantile', () => {
  it.each(PRINTED)('q(%s) matches the printed table (%s)', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 3);
    expect(normalQuantile(1 - p)).toBeCloseTo(-z, 3);
  });

  it.each(PRECISE_QUANTILES)('q(%s) = %s to 1e-13 relative', (p, z) => {
    expect(Math.abs(normalQuantile(p) - z) / Math.abs(z)).toBeLessThan(1e-13);
  });

  it('is the inverse of the CDF', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), (p) => {
        expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 14);
      }),
    );
  });

  it('handles the edges', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 15);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => normalQuantile(-0.1)).toThrow(RangeError);
  });
});

describe('normalCdf', () => {
  it.each(PRECISE_CDF)('Φ(%s) = %s to 1e-13 relative', (z, p) => {
    expect(Math.abs(normalCdf(z) - p) / p).toBeLessThan(1e-13);
  });

  it('is symmetric', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (z) => {
        expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 15);
      }),
    );
  });
});
