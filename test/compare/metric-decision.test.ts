import { describe, expect, it } from 'vitest';
import { decide, worsePValue } from '../../src/compare/metric-decision.js';
import type { NoiseView, ShiftEstimate } from '../../src/compare/shift-estimate.js';
import { normalQuantile } from '../../src/stats/normal.js';

/** Noise of one normal component (a mixture of one, infinite df), so bounds are easy to check by hand. */
function view(se: number, df = Number.POSITIVE_INFINITY): NoiseView {
  const variance = se * se;
  return {
    weights: [1],
    variances: [variance],
    dfs: [df],
    meanBetween: variance,
    meanVariance: variance,
    variance,
    withinCurrentVariance: 0,
    withinBaselineVariance: 0,
    betweenRunVariance: variance,
    priorSd: 0.03,
    currentWithinKnown: true,
  };
}

function shift(estimate: number, se: number, df = Number.POSITIVE_INFINITY): ShiftEstimate {
  return { estimate, baselineValue: 0, historyRuns: 3, noise: view(se, df) };
}

const T = Math.log(1.1);
const rule = { allowed: T, failLevel: 0.05, alpha: 0.05, detectionLevel: 0.05, power: 0.8 };

describe('decide', () => {
  // Estimate and SE on the log scale; z(0.95) = 1.645.
  it.each([
    ['clearly worse than allowed', 0.2, 0.03, 'regression'],
    ['worse than allowed but not significant', 0.12, 0.1, 'inconclusive'],
    ['significant but within the allowance', 0.06, 0.01, 'pass'],
    ['no change, precise', 0, 0.01, 'pass'],
    ['no change, too noisy to exclude the allowance', 0, 0.07, 'inconclusive'],
    ['clearly better', -0.2, 0.03, 'improvement'],
    ['better but not beyond the allowance', -0.05, 0.01, 'pass'],
  ] as const)('%s -> %s', (_name, estimate, se, expected) => {
    expect(decide({ ...rule, shift: shift(estimate, se), worseSign: 1 }).verdict).toBe(expected);
  });

  it('mirrors for metrics where lower is worse (throughput)', () => {
    expect(decide({ ...rule, shift: shift(-0.2, 0.03), worseSign: -1 }).verdict).toBe('regression');
    expect(decide({ ...rule, shift: shift(0.2, 0.03), worseSign: -1 }).verdict).toBe('improvement');
  });

  it('puts the better-side bound at the fail level and the worse-side bound at alpha', () => {
    const decision = decide({ ...rule, failLevel: 0.01, shift: shift(0.2, 0.03), worseSign: 1 });
    expect(decision.interval.low).toBeCloseTo(0.2 - normalQuantile(0.99) * 0.03, 9);
    expect(decision.interval.high).toBeCloseTo(0.2 + normalQuantile(0.95) * 0.03, 9);
    const lowerIsWorse = decide({ ...rule, failLevel: 0.01, shift: shift(-0.2, 0.03), worseSign: -1 });
    expect(lowerIsWorse.interval.high).toBeCloseTo(-0.2 + normalQuantile(0.99) * 0.03, 9);
    expect(lowerIsWorse.interval.low).toBeCloseTo(-0.2 - normalQuantile(0.95) * 0.03, 9);
  });

  it('reports the smallest worsening flagged with 80% power: max(T, z·SE) + z(0.8)·SE', () => {
    const precise = decide({ ...rule, shift: shift(0, 0.01), worseSign: 1 });
    expect(precise.minimumDetectable).toBeCloseTo(T + normalQuantile(0.8) * 0.01, 9);
    const noisy = decide({ ...rule, shift: shift(0, 0.1), worseSign: -1 });
    expect(noisy.minimumDetectable).toBeCloseTo(-(normalQuantile(0.95) * 0.1 + normalQuantile(0.8) * 0.1), 9);
  });
});

describe('decide with t noise', () => {
  it('puts the bounds at t quantiles when the noise has few degrees of freedom', () => {
    // t(0.95, 4) = 2.131846786326649 (tables).
    const decision = decide({ ...rule, shift: shift(0.2, 0.025, 4), worseSign: 1 });
    expect(decision.interval.low).toBeCloseTo(0.2 - 2.131846786326649 * 0.025, 9);
    expect(decision.interval.high).toBeCloseTo(0.2 + 2.131846786326649 * 0.025, 9);
  });
});

describe('worsePValue', () => {
  it('is one-sided in the worse direction', () => {
    expect(worsePValue(shift(0.1, 0.1), 1)).toBeCloseTo(0.15865525393145707, 12);
    expect(worsePValue(shift(0.1, 0.1), -1)).toBeCloseTo(1 - 0.15865525393145707, 12);
  });

  it('is decided by the sign alone when there is no noise', () => {
    expect(worsePValue(shift(0.1, 0), 1)).toBe(0);
    expect(worsePValue(shift(0, 0), 1)).toBe(1);
  });
});
