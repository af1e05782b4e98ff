import { describe, expect, it } from 'vitest';
import type { RunEstimate } from '../../src/compare/run-estimates.js';
import { estimateShift } from '../../src/compare/shift-estimate.js';
import { mixtureQuantile, mixtureUpperTail, predictiveMixture } from '../../src/stats/random-effects.js';
import { studentTQuantile } from '../../src/stats/student-t.js';
import { seededRandom } from './seeded-random.js';

const run = (value: number, withinVariance: number | null = 0.0001, withinDf = 9): RunEstimate => ({ value, withinVariance, withinDf, blocks: 10 });

describe('predictiveMixture (random effects, REML posterior of τ²)', () => {
  it('with one baseline run, the history says nothing about τ: the same noise whatever the values', () => {
    const a = predictiveMixture({ value: 0.3, within: 0.0004, withinDf: 9 }, [{ value: 0.1, within: 0.0004, withinDf: 9 }], 0.03);
    const b = predictiveMixture({ value: -2, within: 0.0004, withinDf: 9 }, [{ value: 5, within: 0.0004, withinDf: 9 }], 0.03);
    expect(a.weights).toEqual(b.weights);
    expect(a.variances).toEqual(b.variances);
  });

  it('agrees with the balanced one-way ANOVA (= REML) estimate s² − w² for a long history', () => {
    // For equal known within-run variances, REML's τ² is the method-of-moments s² − w² when positive.
    const random = seededRandom(11);
    const tau = 0.1;
    const w2 = 0.0025;
    const history = Array.from({ length: 100 }, () => ({ value: tau * random.normal() + Math.sqrt(w2) * random.normal(), within: w2, withinDf: 1e6 }));
    const mean = history.reduce((s, r) => s + r.value, 0) / history.length;
    const s2 = history.reduce((s, r) => s + (r.value - mean) ** 2, 0) / (history.length - 1);
    const mixture = predictiveMixture({ value: 0, within: w2, withinDf: 1e6 }, history, 0.03);
    expect(mixture.meanBetween / (s2 - w2)).toBeGreaterThan(0.9);
    expect(mixture.meanBetween / (s2 - w2)).toBeLessThan(1.1);
  });

  it('a mixture of one t component has that t distribution’s quantiles and tails', () => {
    const single = { weights: [1], variances: [0.04], dfs: [5] };
    expect(mixtureQuantile(single, 0.975)).toBeCloseTo(0.2 * studentTQuantile(0.975, 5), 8);
    expect(mixtureQuantile(single, 0.025)).toBeCloseTo(-0.2 * studentTQuantile(0.975, 5), 8);
    expect(mixtureUpperTail(single, 0.2 * studentTQuantile(0.99, 5))).toBeCloseTo(0.01, 9);
  });

  it('its quantiles invert its tails', () => {
    const mixture = predictiveMixture({ value: 0, within: 0.0004, withinDf: 5 }, [0.01, -0.02, 0.03].map((value) => ({ value, within: 0.0004, withinDf: 5 })), 0.03);
    for (const p of [0.9, 0.99, 0.999]) expect(mixtureUpperTail(mixture, mixtureQuantile(mixture, p))).toBeCloseTo(1 - p, 8);
  });
});

describe('estimateShift', () => {
  it('measures the change from the history mean, and the noise from within and between runs', () => {
    const shift = estimateShift(run(0.5), [run(0), run(0.1), run(0.2)], { sd: 0.03 });
    expect(shift.estimate).toBeCloseTo(0.4, 15);
    expect(shift.baselineValue).toBeCloseTo(0.1, 15);
    expect(shift.noise.withinCurrentVariance).toBe(0.0001);
    expect(shift.noise.withinBaselineVariance).toBeCloseTo(0.0001 / 3, 15);
    // The history is spread far more than its runs' own noise: τ is large, and so is the noise.
    expect(shift.noise.betweenRunVariance).toBeGreaterThan(0.005);
    expect(shift.noise.variance).toBeGreaterThan(shift.noise.withinCurrentVariance + shift.noise.withinBaselineVariance + shift.noise.betweenRunVariance);
  });

  it('a quiet history of many runs shrinks the run-to-run noise below the assumption', () => {
    const quiet = estimateShift(run(0.1), Array.from({ length: 10 }, (_, i) => run(0.1 + (i % 2 === 0 ? 0.002 : -0.002))), { sd: 0.03 });
    expect(Math.sqrt(quiet.noise.betweenRunVariance)).toBeLessThan(0.015);
  });

  it('takes a run with too few blocks to be as noisy inside as the baseline runs were', () => {
    const shift = estimateShift(run(0.2, null, 0), [run(0, 0.0004), run(0.01, 0.0004)], { sd: 0.03 });
    expect(shift.noise.withinCurrentVariance).toBe(0.0004);
    expect(shift.noise.currentWithinKnown).toBe(false);
  });

  it('pools the baseline runs\' blocks for a run too short to measure its own noise: as noisy as its own few blocks', () => {
    // Three baseline runs of 3 blocks each (variance of one block 0.02, 2 df each) and a
    // current run of 2 blocks: its mean's variance is 0.02 / 2 with 6 degrees of freedom.
    const short = (value: number, blocks: number, variance: number): RunEstimate => ({ value, withinVariance: null, withinDf: blocks - 1, blocks, blockVariance: { variance, df: blocks - 1 } });
    const shift = estimateShift(short(0.1, 2, 0.5), [short(0, 3, 0.01), short(0.02, 3, 0.02), short(-0.01, 3, 0.03)], { sd: 0.03 });
    expect(shift.noise.withinCurrentVariance).toBeCloseTo(0.02 / 2, 15);
    expect(shift.noise.withinBaselineVariance).toBeCloseTo((3 * 0.02) / 3 / 9, 15);
    expect(shift.noise.currentWithinKnown).toBe(false);
    // A long baseline run's blocks count too; its own measured noise stays its own.
    const mixed = estimateShift(short(0.1, 3, 0.5), [{ ...run(0, 0.0004, 19), blocks: 20, blockVariance: { variance: 0.008, df: 19 } }], { sd: 0.03 });
    expect(mixed.noise.withinCurrentVariance).toBeCloseTo(0.008 / 3, 15);
    expect(mixed.noise.withinBaselineVariance).toBe(0.0004);
  });

  it('on unchanged short runs, the pooled blocks keep a step\'s false fails at its level (the assumed run-to-run noise does not hold the blocks\' noise)', () => {
    // 20 000 comparisons of a 3-block step with 5 baseline runs: run-to-run noise 8% (the
    // assumption), one block's noise 25%. One-sided tests at 1.25% (Hochberg's smallest level for
    // four tests) fail about 1.25%; taking every run's noise as run-to-run noise failed 2.1%.
    const random = seededRandom(7);
    const draw = (): RunEstimate => {
      const offset = 0.08 * random.normal();
      const blocks = [0, 1, 2].map(() => offset + 0.25 * random.normal());
      const mean = blocks.reduce((a, b) => a + b, 0) / 3;
      const variance = blocks.reduce((sum, b) => sum + (b - mean) ** 2, 0) / 2;
      return { value: mean, withinVariance: null, withinDf: 2, blocks: 3, blockVariance: { variance, df: 2 } };
    };
    let fails = 0;
    const trials = 20_000;
    for (let i = 0; i < trials; i++) {
      const history = Array.from({ length: 5 }, draw);
      const shift = estimateShift(draw(), history, { sd: 0.08 });
      if (mixtureUpperTail(shift.noise, shift.estimate) < 0.0125) fails++;
    }
    expect(fails / trials).toBeLessThan(0.0125 * 1.3);
    expect(fails / trials).toBeGreaterThan(0.0125 * 0.4);
  });

  it('is symmetric with one baseline run: swapping flips the estimate and keeps the noise', () => {
    const a = run(0.3, 0.0004, 9);
    const b = run(0.1, 0.0004, 9);
    const ab = estimateShift(a, [b], { sd: 0.03 });
    const ba = estimateShift(b, [a], { sd: 0.03 });
    expect(ab.estimate).toBeCloseTo(-ba.estimate, 15);
    expect(ab.noise.variance).toBeCloseTo(ba.noise.variance, 15);
  });

  it('refuses an empty history', () => {
    expect(() => estimateShift(run(0), [], { sd: 0.03 })).toThrow(RangeError);
  });
});
