import { describe, expect, it } from 'vitest';
import { findChangePoints, segmentOf } from '../../src/stats/change-points.js';
import { seededRandom } from '../../src/stats/seeded-random.js';

const options = { minSegment: 3, threshold: 3.7 };

describe('findChangePoints', () => {
  it('finds a 20% step three runs from the end of ten, and nothing in the same noise without it', () => {
    const random = seededRandom(5);
    const noise = Array.from({ length: 10 }, () => 0.04 * random.normal());
    expect(findChangePoints(noise, options)).toEqual([0]);
    expect(findChangePoints(noise.map((v, i) => v + (i >= 7 ? Math.log(1.2) : 0)), options)).toEqual([0, 7]);
  });

  it('splits a stationary normal series rarely (2 to 3% of 10-run histories)', () => {
    const random = seededRandom(11);
    let splits = 0;
    for (let t = 0; t < 2000; t++) if (findChangePoints(Array.from({ length: 10 }, () => random.normal()), options).length > 1) splits++;
    expect(splits / 2000).toBeGreaterThan(0.005);
    expect(splits / 2000).toBeLessThan(0.045);
  });

  it('never makes a segment shorter than the minimum, except at a forced break', () => {
    const step = [0, 0.01, -0.01, 0, 0.01, 0, -0.01, 0.01, 0.5, 0.5];
    expect(findChangePoints(step, options)).toEqual([0]);
    expect(findChangePoints(step, { ...options, forced: [8] })).toEqual([0, 8]);
    expect(findChangePoints([0, 0, 0, 0], { ...options, forced: [3] })).toEqual([0, 3]);
  });

  it('needs the step to stand out of the runs’ own noise (the floor)', () => {
    const step = [0, 0.001, -0.001, 0, 0.001, 0, -0.001, 0.02, 0.021, 0.019];
    expect(findChangePoints(step, options)).toEqual([0, 7]);
    expect(findChangePoints(step, { ...options, floorSd: 0.05 })).toEqual([0]);
  });

  it('labels each value with its segment', () => {
    expect(segmentOf([0, 3, 7], 9)).toEqual([0, 0, 0, 1, 1, 1, 1, 2, 2]);
  });
});
