import { describe, expect, it } from 'vitest';
import { obrienFlemingSpending, sequentialBoundaries } from '../../src/stats/alpha-spending.js';
import { seededRandom } from '../../src/validate/synthetic-runs.js';

describe('O\'Brien–Fleming-type α spending', () => {
  it('spends all of α at the end and almost nothing early', () => {
    expect(obrienFlemingSpending(0.05, 1)).toBeCloseTo(0.05, 10);
    expect(obrienFlemingSpending(0.05, 0.1)).toBeLessThan(1e-6);
    expect(obrienFlemingSpending(0.05, 0.5)).toBeGreaterThan(obrienFlemingSpending(0.05, 0.25));
    expect(obrienFlemingSpending(0.05, 0)).toBe(0);
  });

  it('gives the published boundaries of five equally spaced looks at one-sided 2.5% (Lan–DeMets, as gsDesign and ldbounds give them)', () => {
    const z = sequentialBoundaries(0.025, [0.2, 0.4, 0.6, 0.8, 1]).map((b) => b.z);
    [4.877, 3.357, 2.68, 2.29, 2.031].forEach((expected, i) => expect(z[i]).toBeCloseTo(expected, 2));
  });

  it('crosses some boundary with probability α when nothing drifts, and each look with its share (simulated Brownian motion, 200 000 paths)', () => {
    const fractions = [6, 8, 10, 12, 14, 16, 18, 20, 22, 23].map((k) => k / 23);
    const bounds = sequentialBoundaries(0.05, fractions);
    const random = seededRandom(20261207);
    const paths = 200_000;
    const crossedAt = new Array<number>(fractions.length).fill(0);
    for (let p = 0; p < paths; p++) {
      let score = 0;
      let previous = 0;
      for (let k = 0; k < fractions.length; k++) {
        const t = fractions[k] as number;
        score += Math.sqrt(t - previous) * random.normal();
        previous = t;
        if (score / Math.sqrt(t) >= (bounds[k]?.z as number)) {
          crossedAt[k] = (crossedAt[k] as number) + 1;
          break;
        }
      }
    }
    const total = crossedAt.reduce((a, b) => a + b, 0) / paths;
    // Binomial sd at 5% over 200 000 paths is 0.05 points: 4 sd either side.
    expect(total).toBeGreaterThan(0.05 - 0.002);
    expect(total).toBeLessThan(0.05 + 0.002);
    // The last look's share: what the spending leaves for it.
    const lastShare = (bounds[9]?.spent as number) - (bounds[8]?.spent as number);
    expect(Math.abs((crossedAt[9] as number) / paths - lastShare)).toBeLessThan(0.0015);
    // Nominal levels rise from look to look and stay under α.
    bounds.forEach((b, i) => {
      expect(b.nominal).toBeLessThan(0.05);
      if (i > 0) expect(b.nominal).toBeGreaterThan(bounds[i - 1]?.nominal as number);
    });
  });

  it('refuses fractions that do not increase within (0, 1], and a level outside (0, 0.5)', () => {
    expect(() => sequentialBoundaries(0.05, [0.5, 0.4])).toThrow(RangeError);
    expect(() => sequentialBoundaries(0.05, [0.5, 1.2])).toThrow(RangeError);
    expect(() => sequentialBoundaries(0.6, [1])).toThrow(RangeError);
  });

  it('is the fixed test with one look at the end', () => {
    const [only] = sequentialBoundaries(0.05, [1]);
    expect(only?.nominal).toBeCloseTo(0.05, 8);
  });
});
