import { describe, expect, it } from 'vitest';
import { clopperPearson } from '../../src/stats/binomial-interval.js';

describe('clopperPearson', () => {
  // Published exact intervals (e.g. R's binom.test): 0/20 -> [0, 0.168], 1/20 -> [0.00127, 0.249],
  // 10/20 -> [0.272, 0.728], 20/20 -> [0.832, 1].
  it.each([
    [0, 20, 0, 0.16843],
    [1, 20, 0.001265, 0.24873],
    [10, 20, 0.27196, 0.72804],
    [20, 20, 0.83157, 1],
  ])('%i of %i', (k, n, low, high) => {
    const interval = clopperPearson(k, n);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it('refuses impossible counts', () => {
    expect(() => clopperPearson(3, 2)).toThrow(RangeError);
  });
});
