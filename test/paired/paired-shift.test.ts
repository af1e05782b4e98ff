import { describe, expect, it } from 'vitest';
import { decide, worsePValue } from '../../src/compare/metric-decision.js';
import { driftCheck, pairedErrorRate, pairedP95, pairedShift, pairedThroughput, type BlockPair } from '../../src/compare/paired-shift.js';
import { DEFAULT_TRIM } from '../../src/stats/trimmed-mean.js';
import { studentTQuantile } from '../../src/stats/student-t.js';

/** Values whose differences are `d` (base 0, head d), on the log scale. */
const diffs = (d: number[]) => ({ head: d, base: d.map(() => 0) });

const group = (p95Ms: number, requests = 50, errors = 0, seconds = 1) => ({ seconds, requests, errors, latencyCount: requests, p95Ms });

describe('pairedShift: d̄, s_d²/k and k − 1 df (hand-computed)', () => {
  it('four pairs, nothing trimmed', () => {
    // d = 0.1, 0.2, 0.3, 0: d̄ = 0.15, s_d² = (0.0025 + 0.0025 + 0.0225 + 0.0225)/3 = 0.05/3, SE² = s_d²/4 = 0.05/12.
    const shift = pairedShift({ head: [1.1, 1.2, 1.3, 1.0], base: [1, 1, 1, 1] }, { test: 't' });
    expect(shift.estimate).toBeCloseTo(0.15, 12);
    expect(shift.baselineValue).toBeCloseTo(1, 12);
    expect(shift.noise.variances).toHaveLength(1);
    expect(shift.noise.variances[0]).toBeCloseTo(0.05 / 12, 12);
    expect(shift.noise.variance).toBeCloseTo(0.05 / 12, 12);
    expect(shift.noise.dfs).toEqual([3]);
    expect(shift.noise.weights).toEqual([1]);
    expect(shift.noise.betweenRunVariance).toBe(0);
    expect(shift.noise.priorSd).toBe(0);
    // head alone: 1.1, 1.2, 1.3, 1.0 has s² = 0.05/3 too; base is constant.
    expect(shift.noise.withinCurrentVariance).toBeCloseTo(0.05 / 12, 12);
    expect(shift.noise.withinBaselineVariance).toBe(0);
    // t = 0.15 / √(0.05/12) = 2.3238 with 3 df: one-sided p ≈ 0.0514 (t₀.₉₅,₃ = 2.353).
    expect(worsePValue(shift, 1)).toBeCloseTo(0.0514, 3);
  });

  it('the 20%-trimmed mean of five pairs with its Tukey–McLaughlin SE and h − 1 df', () => {
    // d = 0, 0.1, 0.1, 0.2, 1.0: one cut from each end, kept 0.1, 0.1, 0.2 (mean 0.4/3);
    // winsorized 0.1, 0.1, 0.1, 0.2, 0.2 (mean 0.14, s² = 0.012/4 = 0.003); SE² = 4·0.003/(3·2) = 0.002; df = 2.
    const shift = pairedShift(diffs([0, 0.1, 0.1, 0.2, 1.0]), { trim: DEFAULT_TRIM, test: 't' });
    expect(shift.estimate).toBeCloseTo(0.4 / 3, 12);
    expect(shift.noise.variance).toBeCloseTo(0.002, 12);
    expect(shift.noise.dfs).toEqual([2]);
  });

  it('by default tells the sign-flip test’s p-value as the SE at which t with the same df gives it', () => {
    // d = 0.1, 0.2, 0.3, 0: of the 16 sign assignments only the observed one (and its twin with
    // the 0 flipped) reach the observed sum, so p = 2/16; t with 3 df reaches 0.125 at 1.4226.
    const shift = pairedShift(diffs([0.1, 0.2, 0.3, 0]));
    expect(worsePValue(shift, 1)).toBeCloseTo(0.125, 6);
    expect(shift.noise.variance).toBeCloseTo((0.15 / studentTQuantile(0.875, 3)) ** 2, 9);
    expect(shift.noise.dfs).toEqual([3]);
    // The same differences the other way round: the same p towards "better".
    expect(worsePValue(pairedShift(diffs([-0.1, -0.2, -0.3, 0])), -1)).toBeCloseTo(0.125, 6);
  });

  it('never takes the noise below the histograms’ resolution, or a floor it is given', () => {
    const equal = pairedShift(diffs([0, 0, 0, 0]));
    expect(equal.noise.variance).toBeCloseTo(1e-6 / 4, 15);
    expect(pairedShift(diffs([0, 0, 0, 0]), { varianceFloor: 0.01 }).noise.variance).toBe(0.01);
  });

  it('feeds the unchanged decision rule: a 30% slowdown with 3% noise is a regression, no change a pass', () => {
    const noise = [0.03, -0.02, 0.01, -0.03, 0.02, 0, -0.01, 0.02];
    const allowed = Math.log(1.1);
    const slower = pairedShift(diffs(noise.map((n) => Math.log(1.3) + n)));
    const same = pairedShift(diffs(noise));
    const rule = { worseSign: 1 as const, allowed, failLevel: 0.05, alpha: 0.05, detectionLevel: 0.05, power: 0.8 };
    expect(decide({ shift: slower, ...rule }).verdict).toBe('regression');
    expect(decide({ shift: same, ...rule }).verdict).toBe('pass');
  });

  it('refuses fewer than two pairs or unequal arms', () => {
    expect(() => pairedShift(diffs([0.1]))).toThrow(RangeError);
    expect(() => pairedShift({ head: [1, 2], base: [1] })).toThrow(RangeError);
  });
});

describe('paired values from block pairs', () => {
  const pairs: BlockPair[] = [
    { head: group(130), base: group(100) },
    { head: group(120, 10), base: group(100) },
    { head: group(260, 50, 5), base: group(200, 100) },
  ];

  it('p95: log p95 of pairs whose blocks both have enough latencies', () => {
    const result = pairedP95(pairs, 20);
    if (!result.ok) throw new Error(result.reason);
    expect(result.values.head).toEqual([Math.log(130), Math.log(260)]);
    expect(result.values.base).toEqual([Math.log(100), Math.log(200)]);
    expect(pairedP95(pairs.slice(1, 2), 20).ok).toBe(false);
  });

  it('throughput: log requests per second of each block', () => {
    const result = pairedThroughput(pairs);
    if (!result.ok) throw new Error(result.reason);
    expect(result.values.head).toEqual([Math.log(50), Math.log(10), Math.log(50)]);
    expect(result.values.base).toEqual([Math.log(50), Math.log(50), Math.log(100)]);
  });

  it('error rate: the fraction per block, floored at the binomial variance of the difference', () => {
    const result = pairedErrorRate(pairs);
    if (!result.ok) throw new Error(result.reason);
    expect(result.values.head).toEqual([0, 0, 0.1]);
    // Agresti–Caffo: head (5 + 1)/(110 + 2), base 1/(200 + 2).
    const ph = 6 / 112;
    const pb = 1 / 202;
    expect(result.varianceFloor).toBeCloseTo((ph * (1 - ph)) / 112 + (pb * (1 - pb)) / 202, 15);
  });
});

describe('driftCheck', () => {
  const allowed = Math.log(1.1);
  const wobble = [0.01, -0.01, 0.005, -0.005, 0.01, -0.01, 0.005, -0.005, 0.01, -0.01];

  it('calls a steady trend of the differences, larger than the allowed change over the run, a drift', () => {
    const check = driftCheck(diffs(wobble.map((w, i) => 0.03 * i + w)), allowed);
    expect(check.slopePerPair).toBeCloseTo(0.03, 2);
    expect(check.slopePValue).toBeLessThan(0.01);
    expect(check.drifted).toBe(true);
    expect(check.reason).toMatch(/drifted apart/);
  });

  it('does not call a constant shift or noise a drift', () => {
    expect(driftCheck(diffs(wobble.map((w) => 0.26 + w)), allowed).drifted).toBe(false);
    // A tiny but significant trend that moves d by less than the allowed change is not one either.
    expect(driftCheck(diffs(wobble.map((w, i) => 0.005 * i + w / 10)), allowed).drifted).toBe(false);
  });

  it('calls differences that wander together from pair to pair a drift', () => {
    const wander = [0, 0.1, 0.2, 0.25, 0.2, 0.1, 0, -0.1, -0.2, -0.25, -0.2, -0.1];
    const check = driftCheck(diffs(wander), allowed);
    expect(check.lag1).toBeGreaterThan(0.5);
    expect(check.drifted).toBe(true);
  });
});
