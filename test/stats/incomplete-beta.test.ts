import { describe, expect, it } from 'vitest';
import { regularizedIncompleteBeta } from '../../src/stats/incomplete-beta.js';
import { logBeta, logGamma } from '../../src/stats/log-gamma.js';

describe('regularizedIncompleteBeta', () => {
  it.each([
    [0.3, 2.5, 0.5, 0.018927124071945658],
    [0.999, 0.5, 0.5, 0.9798649583666235],
    [0.4, 50, 60, 0.12470685834310022],
    [0.001, 3, 4, 1.9955035990000006e-8],
  ])('I_%s(%s, %s) = %s (SciPy betainc)', (x, a, b, expected) => {
    expect(Math.abs(regularizedIncompleteBeta(x, a, b) - expected) / expected).toBeLessThan(1e-12);
  });

  it('matches closed forms: I_x(1, 1) = x and I_x(a, 1) = x^a', () => {
    for (const x of [0.01, 0.3, 0.77, 0.999]) {
      expect(regularizedIncompleteBeta(x, 1, 1)).toBeCloseTo(x, 14);
      expect(regularizedIncompleteBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 14);
    }
  });

  it('obeys the symmetry I_x(a, b) = 1 − I_{1−x}(b, a)', () => {
    expect(regularizedIncompleteBeta(0.2, 2, 7) + regularizedIncompleteBeta(0.8, 7, 2)).toBeCloseTo(1, 14);
  });

  it('refuses arguments outside its domain', () => {
    expect(() => regularizedIncompleteBeta(1.1, 1, 1)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(RangeError);
  });
});

describe('logGamma', () => {
  it('matches factorials and Γ(½) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(21)).toBeCloseTo(Math.log(2432902008176640000), 11);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 13);
  });
});

describe('logBeta', () => {
  it('stays precise when one argument is huge (t with large df)', () => {
    // B(a, ½) = √(π/a)·(1 + 1/(8a) + …) for large a.
    const a = 5e8;
    expect(logBeta(a, 0.5)).toBeCloseTo(0.5 * Math.log(Math.PI / a) + 1 / (8 * a), 12);
    expect(logBeta(9999, 2.5)).toBeCloseTo(logBeta(2.5, 9999), 12);
    expect(logBeta(1e4, 3)).toBeCloseTo(Math.log(2 / (1e4 * (1e4 + 1) * (1e4 + 2))), 10);
  });
});
