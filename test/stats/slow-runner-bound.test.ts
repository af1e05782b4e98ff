import { describe, expect, it } from 'vitest';
import { clopperPearson } from '../../src/stats/binomial-interval.js';
import { normalCdf, normalQuantile } from '../../src/stats/normal.js';
import { seededRandom } from '../../src/stats/seeded-random.js';
import { slowRunnerBound } from '../../src/stats/slow-runner-bound.js';

const SLOW = { share: 0.1, factor: 1.25, change: 0.2, alpha: 0.05 };

describe('the bound slow runners put on any gate without a fingerprint', () => {
  it('is the plain one-sided normal test when no run is slow', () => {
    const sigma = 0.05;
    const bound = slowRunnerBound({ ...SLOW, share: 0, sigma });
    expect(bound.cut).toBeCloseTo(Math.expm1(normalQuantile(0.95) * sigma), 10);
    expect(bound.power).toBeCloseTo(1 - normalCdf(normalQuantile(0.95) - Math.log(1.2) / sigma), 10);
  });

  it('matches values computed independently (SciPy 1.17, brentq on the same mixture)', () => {
    // One run in ten 25% slower holds the cut at +25%: half the slow unchanged runs are above it.
    const tight = slowRunnerBound({ ...SLOW, sigma: 0.03 });
    expect(tight.cut).toBeCloseTo(0.2500000000000431, 6);
    expect(tight.power).toBeCloseTo(0.1781191153814896, 6);
    expect(slowRunnerBound({ ...SLOW, sigma: 0.055 }).power).toBeCloseTo(0.30588157693203344, 6);
  });

  it('holds on simulated runs: the cut fails about alpha of unchanged runs and catches its power of 20% slower ones', () => {
    const sigma = 0.04;
    const bound = slowRunnerBound({ ...SLOW, sigma });
    const random = seededRandom(20261207);
    const trials = 40_000;
    const draw = (change: number): number => Math.log1p(change) + (random.next() < SLOW.share ? Math.log(SLOW.factor) : 0) + sigma * random.normal();
    let falseFails = 0;
    let caught = 0;
    for (let i = 0; i < trials; i++) {
      if (draw(0) > Math.log1p(bound.cut)) falseFails++;
      if (draw(SLOW.change) > Math.log1p(bound.cut)) caught++;
    }
    const fails = clopperPearson(falseFails, trials, 0.999);
    expect(fails.low).toBeLessThan(SLOW.alpha);
    expect(fails.high).toBeGreaterThan(SLOW.alpha);
    const power = clopperPearson(caught, trials, 0.999);
    expect(power.low).toBeLessThan(bound.power);
    expect(power.high).toBeGreaterThan(bound.power);
  });

  it('refuses a model it cannot compute', () => {
    expect(() => slowRunnerBound({ ...SLOW, sigma: 0 })).toThrow(RangeError);
    expect(() => slowRunnerBound({ ...SLOW, sigma: 0.03, factor: 0.9 })).toThrow(RangeError);
  });
});
