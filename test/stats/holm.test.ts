import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { holm } from '../../src/stats/holm.js';

describe('holm', () => {
  it('steps down and stops at the first failure (worked example)', () => {
    // Sorted: 0.01 vs 0.05/4, 0.015 vs 0.05/3, 0.03 vs 0.05/2 (fails), 0.04 not tested.
    const result = holm([0.04, 0.01, 0.03, 0.015], 0.05);
    expect(result.rejected).toEqual([false, true, false, true]);
    expect(result.adjustedPValues).toEqual([0.06, 0.04, 0.06, 0.045]);
    expect(result.levels).toEqual([0.025, 0.0125, 0.025, 0.05 / 3]);
  });

  it('is Bonferroni for a single test and empty for none', () => {
    expect(holm([0.03], 0.05)).toEqual({ adjustedPValues: [0.03], rejected: [true], levels: [0.05] });
    expect(holm([], 0.05)).toEqual({ adjustedPValues: [], rejected: [], levels: [] });
  });

  const pValues = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 });
  const alpha = fc.double({ min: 0.001, max: 0.2, noNaN: true });

  it('never rejects more than the unadjusted tests, nor fewer than Bonferroni', () => {
    fc.assert(
      fc.property(pValues, alpha, (ps, a) => {
        const { rejected } = holm(ps, a);
        ps.forEach((p, i) => {
          if (rejected[i]) expect(p).toBeLessThanOrEqual(a);
          if (p <= a / ps.length) expect(rejected[i]).toBe(true);
        });
      }),
    );
  });

  it('rejects exactly when the adjusted p-value is at most alpha, and exactly when p ≤ its level', () => {
    fc.assert(
      fc.property(pValues, alpha, (ps, a) => {
        const { rejected, adjustedPValues, levels } = holm(ps, a);
        ps.forEach((p, i) => {
          expect(rejected[i]).toBe((adjustedPValues[i] as number) <= a);
          expect(rejected[i]).toBe(p <= (levels[i] as number));
          expect(adjustedPValues[i]).toBeGreaterThanOrEqual(p);
        });
      }),
    );
  });
});
