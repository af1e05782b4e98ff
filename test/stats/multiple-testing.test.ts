import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hochberg, holm, hommel } from '../../src/stats/multiple-testing.js';

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

describe('hochberg', () => {
  it("matches R's p.adjust(method = 'hochberg') on published examples", () => {
    // p.adjust(c(.01, .02, .03, .04, .05), "hochberg") is 0.05 five times; Holm's is 0.05 .08 .09 .09 .09.
    const even = hochberg([0.01, 0.02, 0.03, 0.04, 0.05], 0.05);
    even.adjustedPValues.forEach((p) => expect(p).toBeCloseTo(0.05, 12));
    expect(even.rejected).toEqual([true, true, true, true, true]);
    expect(holm([0.01, 0.02, 0.03, 0.04, 0.05], 0.05).rejected).toEqual([true, false, false, false, false]);
    // p.adjust(c(.01, .04, .03, .005), "hochberg") is 0.03 0.04 0.04 0.02.
    const mixed = hochberg([0.01, 0.04, 0.03, 0.005], 0.05);
    [0.03, 0.04, 0.04, 0.02].forEach((p, i) => expect(mixed.adjustedPValues[i]).toBeCloseTo(p, 12));
  });

  it('stops below the largest p-value that clears its level', () => {
    const { rejected, levels } = hochberg([0.2, 0.011, 0.02, 0.009], 0.05);
    // Sorted .009 .011 .02 .2: .2 > .05, .02 ≤ .025, so the three smallest are rejected at .025.
    expect(rejected).toEqual([false, true, true, true]);
    expect(levels).toEqual([0.05, 0.025, 0.025, 0.025]);
  });

  const pValues = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 });
  const alpha = fc.double({ min: 0.001, max: 0.2, noNaN: true });

  it('rejects everything Holm rejects, and exactly when p ≤ its level', () => {
    fc.assert(
      fc.property(pValues, alpha, (ps, a) => {
        const step = hochberg(ps, a);
        const down = holm(ps, a);
        ps.forEach((p, i) => {
          if (down.rejected[i]) expect(step.rejected[i]).toBe(true);
          expect(step.rejected[i]).toBe(p <= (step.levels[i] as number));
          expect(step.adjustedPValues[i]).toBeGreaterThanOrEqual(p);
          expect(step.adjustedPValues[i]).toBeLessThanOrEqual(down.adjustedPValues[i] as number);
        });
      }),
    );
  });
});

/** Closed testing by its definition: a hypothesis is rejected when every intersection containing it is, each by Simes' test. */
function closedSimes(ps: readonly number[]): number[] {
  const m = ps.length;
  const adjusted = ps.map(() => 0);
  for (let subset = 1; subset < 1 << m; subset++) {
    const members = ps.flatMap((p, i) => (subset & (1 << i) ? [p] : [])).sort((a, b) => a - b);
    const simes = Math.min(...members.map((p, k) => (members.length * p) / (k + 1)));
    ps.forEach((_, i) => {
      if (subset & (1 << i)) adjusted[i] = Math.max(adjusted[i] as number, Math.min(1, simes));
    });
  }
  return adjusted;
}

describe('hommel', () => {
  it('rejects where Hochberg cannot (worked example)', () => {
    // Sorted .02 .03 .06 at alpha .05. Hochberg: .06 > .05, .03 > .025, .02 > .05/3: nothing.
    // Hommel: the three largest do not clear Simes' levels (.03 ≤ 2·.05/3), the two largest do
    // (.03 > .025, .06 > .05), so j = 2 and every p ≤ .025 is rejected: the .02.
    expect(hochberg([0.06, 0.02, 0.03], 0.05).rejected).toEqual([false, false, false]);
    const result = hommel([0.06, 0.02, 0.03], 0.05);
    expect(result.rejected).toEqual([false, true, false]);
    expect(result.levels).toEqual([0.025, 0.025, 0.025]);
    // By closed testing: H(.02) is in {.02} .02, {.02,.03} .03, {.02,.06} .04 and all three .045.
    [0.06, 0.045, 0.06].forEach((p, i) => expect(result.adjustedPValues[i]).toBeCloseTo(p, 12));
  });

  it('rejects all at once when the largest p-value is below alpha, and is the test itself for one', () => {
    const even = hommel([0.01, 0.02, 0.03, 0.04, 0.05], 0.05);
    expect(even.rejected).toEqual([true, true, true, true, true]);
    even.adjustedPValues.forEach((p) => expect(p).toBeCloseTo(0.05, 12));
    expect(hommel([0.03], 0.05)).toEqual({ adjustedPValues: [0.03], rejected: [true], levels: [0.05] });
    expect(hommel([], 0.05)).toEqual({ adjustedPValues: [], rejected: [], levels: [] });
  });

  const alpha = fc.double({ min: 0.001, max: 0.2, noNaN: true });

  it('gives the adjusted p-values of closed testing with Simes tests, for every subset', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }), (ps) => {
        const expected = closedSimes(ps);
        hommel(ps, 0.05).adjustedPValues.forEach((p, i) => expect(p).toBeCloseTo(expected[i] as number, 12));
      }),
    );
  });

  it('rejects everything Hochberg rejects, exactly when p ≤ its level and when the adjusted p-value ≤ alpha', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), alpha, (ps, a) => {
        const closed = hommel(ps, a);
        const step = hochberg(ps, a);
        ps.forEach((p, i) => {
          if (step.rejected[i]) expect(closed.rejected[i]).toBe(true);
          expect(closed.rejected[i]).toBe(p <= (closed.levels[i] as number));
          expect(closed.rejected[i]).toBe((closed.adjustedPValues[i] as number) <= a);
          expect(closed.adjustedPValues[i]).toBeGreaterThanOrEqual(p);
          expect(closed.adjustedPValues[i]).toBeLessThanOrEqual((step.adjustedPValues[i] as number) + 1e-12);
        });
      }),
    );
  });
});
