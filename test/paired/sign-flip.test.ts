import { describe, expect, it } from 'vitest';
import { DRAWS, EXACT_PAIRS, signFlipPValue } from '../../src/stats/sign-flip.js';
import { seededRandom } from '../../src/stats/seeded-random.js';

describe('signFlipPValue: the sign-flip test of paired differences', () => {
  it('counts, over every assignment of signs, those whose mean reaches the observed one (hand-counted)', () => {
    // 0.1, 0.2, 0.3: only +++ reaches the observed sum 0.6: 1 of 8.
    expect(signFlipPValue([0.1, 0.2, 0.3], 1, 0)).toBe(1 / 8);
    // Towards "lower" the observed mean is the least likely: all 8 assignments are ≥ −0.6.
    expect(signFlipPValue([0.1, 0.2, 0.3], -1, 0)).toBe(1);
    // 0.3, −0.1, 0.2: sums ≥ 0.4 are +−+ (0.4), +++ (0.6): 2 of 8.
    expect(signFlipPValue([0.3, -0.1, 0.2], 1, 0)).toBe(2 / 8);
  });

  it('uses the trimmed mean, so one wild difference cannot carry the test', () => {
    const steady = [0.05, 0.06, 0.04, 0.05, 0.07, 0.05, 0.06, 0.04, 0.05, 0.06];
    const withOutlier = [...steady.slice(0, 9), -3];
    expect(signFlipPValue(withOutlier, 1, 0.2)).toBeLessThan(0.05);
    expect(signFlipPValue(withOutlier, 1, 0)).toBeGreaterThan(0.4);
  });

  it('is exact under the null: P(p ≤ level) ≤ level for symmetric differences', () => {
    const random = seededRandom(11);
    let rejected = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const d = Array.from({ length: 8 }, () => random.normal() * (random.next() < 0.1 ? 5 : 1));
      if (signFlipPValue(d, 1, 0.2) <= 0.05) rejected++;
    }
    // Exact at 0.05 (a little under: the 256 assignments' p-values are discrete); binomial sd ≈ 0.5%.
    expect(rejected / trials).toBeLessThan(0.065);
    expect(rejected / trials).toBeGreaterThan(0.02);
  });

  it(`beyond ${EXACT_PAIRS} pairs draws ${DRAWS} seeded assignments: the same differences give the same p, never 0`, () => {
    const d = Array.from({ length: 20 }, (_, i) => 0.02 + (i % 5) * 0.01);
    const p = signFlipPValue(d, 1, 0.2);
    expect(p).toBe(signFlipPValue(d, 1, 0.2));
    expect(p).toBe(1 / (1 + DRAWS));
    const noisy = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 0.05 : -0.04) + i * 0.001);
    const q = signFlipPValue(noisy, 1, 0.2);
    expect(q).toBeGreaterThan(0.05);
    expect(q).toBeLessThan(1);
  });

  it('refuses no differences', () => {
    expect(() => signFlipPValue([], 1, 0)).toThrow(RangeError);
  });
});
