import { describe, expect, it } from 'vitest';
import { clopperPearson } from '../../src/stats/binomial-interval.js';
import { defaultCosineTerms, hacSlope } from '../../src/stats/hac-slope.js';
import { seededRandom, type Random } from '../../src/stats/seeded-random.js';
import { studentTUpperTail } from '../../src/stats/student-t.js';

/**
 * The slope test against known truth: exact lines, the long-run variance of AR(1) noise, the
 * Student t table, and its false-alarm rate on flat autocorrelated series (where a plain
 * least-squares t-test raises far too many).
 */

/** AR(1) noise, stationary from its first value: xₜ = φxₜ₋₁ + εₜ, ε ~ N(0, 1). */
function ar1(random: Random, n: number, phi: number): number[] {
  const out: number[] = [];
  let value = random.normal() / Math.sqrt(1 - phi * phi);
  for (let t = 0; t < n; t++) {
    out.push(value);
    value = phi * value + random.normal();
  }
  return out;
}

const indices = (n: number): number[] => Array.from({ length: n }, (_, t) => t);

/** The textbook least-squares t-test of slope > 0 (independent errors, n − 2 df). */
function olsPValueGreater(y: readonly number[], x: readonly number[]): number {
  const n = y.length;
  const xMean = x.reduce((a, b) => a + b, 0) / n;
  const yMean = y.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let t = 0; t < n; t++) {
    sxx += ((x[t] as number) - xMean) ** 2;
    sxy += ((x[t] as number) - xMean) * ((y[t] as number) - yMean);
  }
  const slope = sxy / sxx;
  let rss = 0;
  for (let t = 0; t < n; t++) rss += ((y[t] as number) - yMean - slope * ((x[t] as number) - xMean)) ** 2;
  return studentTUpperTail(slope / Math.sqrt(rss / (n - 2) / sxx), n - 2);
}

describe('hacSlope on exact data', () => {
  it('finds the slope of points on a line, with no spread', () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7];
    const fit = hacSlope(x.map((v) => 3 + 0.5 * v), x);
    expect(fit.slope).toBeCloseTo(0.5, 12);
    expect(fit.intercept).toBeCloseTo(3, 12);
    expect(fit.se).toBe(0);
    expect(fit.pValueGreater).toBe(0);
  });

  it('calls a constant series flat, not a t of rounding over rounding', () => {
    const fit = hacSlope(Array.from({ length: 10 }, () => Math.log(37.3)), indices(10));
    expect(fit.slope).toBe(0);
    expect(fit.pValueGreater).toBe(1);
  });

  it('gives the least-squares slope whatever the noise (hand-computed)', () => {
    // x̄ = 2, Sxx = 10, Sxy = (−2)(1) + (−1)(0) + 0 + (1)(3) + (2)(2) − ȳ·0 = 5, so b = 0.5.
    const fit = hacSlope([1, 0, 1, 3, 2], [0, 1, 2, 3, 4], { nu: 2 });
    expect(fit.slope).toBeCloseTo(0.5, 12);
    expect(fit.intercept).toBeCloseTo(0.4, 12);
  });

  it('refuses what it cannot test', () => {
    expect(() => hacSlope([1, 2, 3], [0, 1])).toThrow(RangeError);
    expect(() => hacSlope([1, 2, 3, 4], [0, 1, 1, 2], { nu: 1 })).toThrow(/increasing/);
    expect(() => hacSlope([1, 2, 3], [0, 1, 2], { nu: 2 })).toThrow(/at least 4 points/);
    expect(() => hacSlope([1, Number.NaN, 3, 4], [0, 1, 2, 3], { nu: 1 })).toThrow(/finite/);
    expect(() => hacSlope([1, 2, 3, 4], [0, 1, 2, 3], { nu: 1, autocorrelation: 1 })).toThrow(/autocorrelation/);
  });
});

describe('defaultCosineTerms', () => {
  it('is 0.4·T^(2/3), rounded, between 2 and T − 2', () => {
    expect([8, 12, 24, 60, 120, 600].map(defaultCosineTerms)).toEqual([2, 2, 3, 6, 10, 28]);
    expect(defaultCosineTerms(4)).toBe(2);
  });
});

describe('the fixed-b reference', () => {
  // NIST/SEMATECH e-Handbook table 1.3.6.7.2: t(0.975, ν) = 4.303, 2.571, 2.228 for ν = 2, 5, 10,
  // and t(0.95, 3) = 2.353.
  it.each([
    [2, 0.95, 4.303],
    [5, 0.95, 2.571],
    [10, 0.95, 2.228],
    [3, 0.9, 2.353],
  ])('with no autocorrelation allowed for, ν=%i at %s is Student t with ν df', (nu, confidence, critical) => {
    const random = seededRandom(11);
    const y = Array.from({ length: 30 }, () => random.normal());
    const fit = hacSlope(y, indices(30), { nu, confidence, autocorrelation: 0 });
    expect(fit.df).toBe(nu);
    expect((fit.high - fit.slope) / fit.se).toBeCloseTo(critical, 3);
    expect((fit.slope - fit.low) / fit.se).toBeCloseTo(critical, 3);
  });

  it('is exact for independent normal noise: 5% of flat series at 5%, even with 8 points', () => {
    const random = seededRandom(2026);
    const trials = 2000;
    let rejected = 0;
    for (let k = 0; k < trials; k++) {
      const y = Array.from({ length: 8 }, () => random.normal());
      if (hacSlope(y, indices(8), { nu: 2, autocorrelation: 0 }).pValueGreater < 0.05) rejected++;
    }
    const interval = clopperPearson(rejected, trials);
    expect(interval.low).toBeLessThan(0.05);
    expect(interval.high).toBeGreaterThan(0.05);
  });
});

describe('the long-run variance against its closed form', () => {
  // AR(1) with unit innovations has long-run variance Σ_k γ(k) = 1/(1 − φ)². On series of 1,000
  // with ν = 20 the cosines sit at frequencies below 0.07, where the spectrum is flat to 1%.
  it.each([
    [0, 1],
    [0.5, 4],
    [-0.5, 1 / 2.25],
  ])('AR(1) φ=%s: the mean EWC estimate over 40 series of 1,000 is 1/(1 − φ)² = %s within 15%', (phi, truth) => {
    const random = seededRandom(7);
    const x = indices(1000);
    let sum = 0;
    for (let k = 0; k < 40; k++) sum += hacSlope(ar1(random, 1000, phi), x, { nu: 20, autocorrelation: 0 }).longRunVariance;
    // Each estimate is about a χ²₂₀/20 draw (relative sd 32%), their mean's 5%: 15% is 3 sd.
    expect(sum / 40 / truth).toBeGreaterThan(0.85);
    expect(sum / 40 / truth).toBeLessThan(1.15);
  });

  it('corrected for a known autocorrelation, the squared se is on average the slope variance (AR(1) φ=0.8, 24 points)', () => {
    const random = seededRandom(99);
    const n = 24;
    const phi = 0.8;
    const x = indices(n);
    const trials = 4000;
    let meanSeSquared = 0;
    let meanPlainSeSquared = 0;
    let sumSlopeSquared = 0;
    for (let k = 0; k < trials; k++) {
      const y = ar1(random, n, phi);
      const fit = hacSlope(y, x, { autocorrelation: phi });
      meanSeSquared += (fit.se * fit.se) / trials;
      meanPlainSeSquared += hacSlope(y, x, { autocorrelation: 0 }).se ** 2 / trials;
      sumSlopeSquared += fit.slope * fit.slope;
    }
    // Var(b) = Σ_ts dₜd_s γ(t − s) / Sxx², γ(k) = φ^|k| / (1 − φ²).
    const xMean = (n - 1) / 2;
    const sxx = x.reduce((sum, t) => sum + (t - xMean) ** 2, 0);
    let variance = 0;
    for (const t of x) for (const s of x) variance += (t - xMean) * (s - xMean) * phi ** Math.abs(t - s);
    variance /= (1 - phi * phi) * sxx * sxx;
    expect(sumSlopeSquared / trials / variance).toBeGreaterThan(0.93);
    expect(sumSlopeSquared / trials / variance).toBeLessThan(1.07);
    expect(meanSeSquared / variance).toBeGreaterThan(0.9);
    expect(meanSeSquared / variance).toBeLessThan(1.1);
    // Uncorrected, the cosines miss much of the slow swings the slope feels.
    expect(meanPlainSeSquared / variance).toBeLessThan(0.8);
  });
});

describe('size on flat, autocorrelated series (2,000 seeded trials a cell, one-sided 5%)', () => {
  const trials = 2000;
  const cells: Array<[n: number, phi: number]> = [
    [24, 0.5],
    [24, 0.8],
    [60, 0.5],
    [60, 0.8],
  ];
  const results = cells.map(([n, phi]) => {
    const random = seededRandom(5000 + n * 10 + phi * 10);
    const x = indices(n);
    const rejected = { hac: 0, fixedB: 0, ols: 0 };
    for (let k = 0; k < trials; k++) {
      const y = ar1(random, n, phi);
      if (hacSlope(y, x).pValueGreater < 0.05) rejected.hac++;
      if (hacSlope(y, x, { autocorrelation: 0 }).pValueGreater < 0.05) rejected.fixedB++;
      if (olsPValueGreater(y, x) < 0.05) rejected.ols++;
    }
    return { n, phi, ...rejected };
  });

  it.each(results)('T=$n φ=$phi: the test raises at most α (its binomial interval holds 5% or lies below)', ({ hac }) => {
    // Measured: 3.3%, 4.5%, 4.05%, 3.95% (T=24 φ=.5, T=24 φ=.8, T=60 φ=.5, T=60 φ=.8).
    expect(clopperPearson(hac, trials).low).toBeLessThanOrEqual(0.05);
  });

  it.each(results)('T=$n φ=$phi: a least-squares t-test on the same series raises far more', ({ hac, ols }) => {
    // Measured: 15.8%, 28.9%, 17.6%, 29.7%.
    expect(clopperPearson(ols, trials).low).toBeGreaterThan(0.1);
    expect(ols).toBeGreaterThan(2 * hac);
  });

  it('at φ=0.8 the fixed-b reference alone is not enough: the autocorrelation correction is needed', () => {
    // Measured without the correction: 6.0%, 10.2%, 6.0%, 9.5%.
    for (const { phi, fixedB } of results) if (phi === 0.8) expect(clopperPearson(fixedB, trials).low).toBeGreaterThan(0.05);
  });
});
