import { describe, expect, it } from 'vitest';
import { findChangePoints, findPooledChangePoints, segmentOf } from '../../src/stats/change-points.js';
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

describe('findPooledChangePoints', () => {
  /** Four steps of ten runs: a run offset they share (σ 0.03) and each its own sampling noise; `step` added to the newest three. */
  const steps = (seed: number, step: number): Array<{ values: number[]; withinVariance: number }> => {
    const random = seededRandom(seed);
    const shared = Array.from({ length: 10 }, (_, i) => 0.03 * random.normal() + (i >= 7 ? step : 0));
    return [0.01, 0.02, 0.03, 0.12].map((sd) => ({ values: shared.map((x) => x + sd * random.normal()), withinVariance: sd * sd }));
  };

  it('finds a 20% step on the steps together where the noisiest step alone misses it', () => {
    const missed = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter((seed) => {
      const series = steps(seed, Math.log(1.2));
      return findChangePoints(series[3]!.values, { ...options, floorSd: 0.12 }).length === 1;
    });
    expect(missed.length).toBeGreaterThan(3);
    for (const seed of missed) expect(findPooledChangePoints(steps(seed, Math.log(1.2)), options)).toEqual([0, 7]);
  });

  it('weighs each series by its noise: a series of pure noise does not hide the step', () => {
    const series = steps(3, Math.log(1.2));
    const random = seededRandom(8);
    const noisy = { values: Array.from({ length: 10 }, () => random.normal()), withinVariance: 1 };
    expect(findPooledChangePoints([...series, noisy], options)).toEqual([0, 7]);
  });

  it('splits stationary steps with a shared run offset rarely (2 to 4% of 10-run histories), one slow run in ten or not', () => {
    for (const slow of [0, 4.5]) {
      const random = seededRandom(13);
      let splits = 0;
      for (let t = 0; t < 2000; t++) {
        const shared = Array.from({ length: 10 }, () => random.normal() + (random.next() < 0.1 ? slow : 0));
        const series = [0.3, 0.5, 1, 2].map((sd) => ({ values: shared.map((x) => x + sd * random.normal()), withinVariance: sd * sd }));
        if (findPooledChangePoints(series, options).length > 1) splits++;
      }
      expect(splits / 2000).toBeGreaterThan(0.005);
      expect(splits / 2000).toBeLessThan(0.045);
    }
  });

  it('has nothing to say of series of different lengths, or of none', () => {
    expect(findPooledChangePoints([{ values: [0, 0, 0, 1, 1, 1], withinVariance: 0 }, { values: [0, 1], withinVariance: 0 }], options)).toEqual([0]);
    expect(findPooledChangePoints([], options)).toEqual([]);
  });
});
