import { describe, expect, it } from 'vitest';
import { CHANGE_POINT_DEFAULTS, findChangePoints, findPooledChangePoints, POOLED_CHANGE_POINT_DEFAULTS } from '../../src/stats/change-points.js';
import { seededRandom } from '../../src/stats/seeded-random.js';

/**
 * The thresholds a comparison searches with. A split nobody accepted picks the newest segment
 * because it differs, so the defaults split a stationary history far more rarely than the 2 to 3%
 * of the search's first threshold (3.7), which at 8% run-to-run noise failed unchanged runs past α.
 */
describe('the change-point thresholds a comparison uses', () => {
  /** Four steps of ten runs sharing a run offset (σ 1) with noise of their own; `step` (in σ) added to the newest three. */
  const steps = (random: ReturnType<typeof seededRandom>, step: number): Array<{ values: number[]; withinVariance: number }> => {
    const shared = Array.from({ length: 10 }, (_, i) => random.normal() + (i >= 7 ? step : 0));
    return [0.3, 0.5, 1, 2].map((sd) => ({ values: shared.map((x) => x + sd * random.normal()), withinVariance: sd * sd }));
  };

  it('split under 1% of stationary 10-run histories, one step searched or all at once, where the first threshold split 2 to 4%', () => {
    const random = seededRandom(29);
    let single = 0;
    let pooled = 0;
    let singleBefore = 0;
    let pooledBefore = 0;
    const before = { minSegment: 3, threshold: 3.7 };
    for (let t = 0; t < 3000; t++) {
      const series = steps(random, 0);
      if (findChangePoints(series[0]!.values, CHANGE_POINT_DEFAULTS).length > 1) single++;
      if (findPooledChangePoints(series, POOLED_CHANGE_POINT_DEFAULTS).length > 1) pooled++;
      if (findChangePoints(series[0]!.values, before).length > 1) singleBefore++;
      if (findPooledChangePoints(series, before).length > 1) pooledBefore++;
    }
    expect(single / 3000).toBeLessThan(0.01);
    expect(pooled / 3000).toBeLessThan(0.015);
    expect(singleBefore / 3000).toBeGreaterThan(0.015);
    expect(pooledBefore / 3000).toBeGreaterThan(0.015);
  });

  it('still find a step of six times the shared noise (20% at 3%) on all steps at once in nearly every history', () => {
    const random = seededRandom(31);
    let found = 0;
    for (let t = 0; t < 500; t++) if (findPooledChangePoints(steps(random, 6), POOLED_CHANGE_POINT_DEFAULTS).join() === '0,7') found++;
    expect(found / 500).toBeGreaterThan(0.9);
  });
});
