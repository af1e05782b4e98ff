import { describe, expect, it } from 'vitest';
import { blockSeries, type BlockPoint, type BlockSeries } from '../../src/analyze/block-series.js';
import { analyzeTrend, MIN_BLOCK_REQUESTS, p95TrendSlope } from '../../src/analyze/trend.js';
import { clopperPearson } from '../../src/stats/binomial-interval.js';
import { buildRunRecord, syntheticBlocks, type BlockSpec } from '../compare/record-builder.js';
import { seededRandom, type Random } from '../compare/seeded-random.js';

/**
 * The slow-burn answer against runs of known truth: block p95s drawn around a chosen growth with
 * log-normal block noise (what a block's p95 does from one block to the next), and whole run
 * records built from latencies.
 */

/** Block p95s of `median·growth^(t/blocks)` times log-normal noise of σ `noise`, in blocks of `blockMs`. */
function drawnSeries(random: Random, blocks: number, blockMs: number, totalGrowth: number, noise: number): BlockSeries {
  const points: BlockPoint[] = Array.from({ length: blocks }, (_, t) => ({
    startMs: t * blockMs,
    endMs: (t + 1) * blockMs,
    requests: 200,
    errors: 0,
    p95Ms: 80 * totalGrowth ** ((t + 0.5) / blocks) * Math.exp(noise * random.normal()),
    planned: 50,
  }));
  return { unit: 'vus', blockMs, warmupMs: 0, points };
}

describe('a growth too steep for a number', () => {
  it('stays finite: block p95s rising a thousandfold a second give a billionfold a minute at most', () => {
    const random = seededRandom(7);
    const answer = analyzeTrend(drawnSeries(random, 8, 1000, 1e24, 2));
    expect(answer).toBeDefined();
    const { estimate, low, high } = answer!.p95PctPerMinute;
    for (const value of [estimate, low, high]) expect(Number.isFinite(value)).toBe(true);
    expect(high).toBeCloseTo((1e9 - 1) * 100, -3);
    expect(JSON.parse(JSON.stringify(answer)).p95PctPerMinute.high).toBe(high);
  });
});

/** How often analyzeTrend calls runs drawn this way significant, and how often its interval holds the true growth a minute. */
function detection(seed: number, trials: number, blocks: number, blockMs: number, totalGrowth: number, noise: number): { found: number; covered: number } {
  const random = seededRandom(seed);
  const truePctPerMinute = (totalGrowth ** (60_000 / (blocks * blockMs)) - 1) * 100;
  let found = 0;
  let covered = 0;
  for (let k = 0; k < trials; k++) {
    const answer = analyzeTrend(drawnSeries(random, blocks, blockMs, totalGrowth, noise));
    if (answer === undefined) throw new Error('expected an answer');
    if (answer.significant) found++;
    if (answer.p95PctPerMinute.low <= truePctPerMinute && truePctPerMinute <= answer.p95PctPerMinute.high) covered++;
  }
  return { found, covered };
}

describe('power and size on drawn runs (seeded)', () => {
  const trials = 1000;

  it.each([
    [0.05, 0.99],
    [0.1, 0.95],
  ])('a 60%% rise of p95 over 30 s of 1 s blocks with %s log-normal noise is found at least %s of the time', (noise, least) => {
    // Measured: found in 100% and 99.8% of runs; the interval held the truth in 96.4% and 96.4%.
    const { found, covered } = detection(41, trials, 30, 1000, 1.6, noise);
    expect(found / trials).toBeGreaterThanOrEqual(least);
    // The 95% interval holds the true 156% a minute at least 95% of the time.
    expect(clopperPearson(covered, trials).high).toBeGreaterThan(0.95);
  });

  it('a 60% rise over 60 s of 5 s blocks (12 blocks, 8% noise) is found most of the time', () => {
    // Measured: found 82.5%, the interval held the truth 96.1%.
    const { found, covered } = detection(42, trials, 12, 5000, 1.6, 0.08);
    expect(found / trials).toBeGreaterThan(0.75);
    expect(clopperPearson(covered, trials).high).toBeGreaterThan(0.95);
  });

  it.each([
    [30, 1000, 0.1],
    [12, 5000, 0.08],
  ])('a flat run (%i blocks of %i ms, noise %s) is called significant at most α of the time', (blocks, blockMs, noise) => {
    // Measured: 4.7% and 3.0%; the interval held 0 in 94.7% and 96.6%.
    const { found, covered } = detection(43 + blocks, trials, blocks, blockMs, 1, noise);
    expect(clopperPearson(found, trials).low).toBeLessThanOrEqual(0.05);
    expect(clopperPearson(covered, trials).high).toBeGreaterThan(0.95);
  });
});

describe('analyzeTrend', () => {
  it('needs 8 usable blocks: a short run cannot tell a trend', () => {
    const random = seededRandom(1);
    expect(analyzeTrend(drawnSeries(random, 7, 5000, 2, 0.05))).toBeUndefined();
    expect(analyzeTrend(drawnSeries(random, 8, 5000, 2, 0.05))).toBeDefined();
    expect(p95TrendSlope(drawnSeries(random, 7, 5000, 2, 0.05))).toBeUndefined();
  });

  it('reports an exact exponential rise exactly, as percent a minute', () => {
    // p95 × 1.1 every 5 s block is × 1.1¹² a minute: +213.8%.
    const points: BlockPoint[] = Array.from({ length: 10 }, (_, t) => ({
      startMs: t * 5000,
      endMs: (t + 1) * 5000,
      requests: 100,
      errors: 0,
      p95Ms: 20 * 1.1 ** t,
      planned: 10,
    }));
    const answer = analyzeTrend({ unit: 'vus', blockMs: 5000, warmupMs: 0, points });
    expect(answer?.p95PctPerMinute.estimate).toBeCloseTo((1.1 ** 12 - 1) * 100, 8);
    expect(answer?.significant).toBe(true);
    expect(answer?.pValue).toBe(0);
    expect(answer?.errorRatePointsPerMinute).toBeUndefined();
  });

  it('leaves out blocks with fewer than 20 requests, and refuses a bad alpha', () => {
    const random = seededRandom(3);
    const series = drawnSeries(random, 12, 5000, 1, 0.05);
    const thin = series.points.map((p, i) => (i % 4 === 1 ? { ...p, requests: MIN_BLOCK_REQUESTS - 1, p95Ms: 5000 } : p));
    expect(analyzeTrend({ ...series, points: thin })?.blocks).toBe(9);
    expect(analyzeTrend({ ...series, points: thin.slice(0, 10) })).toBeUndefined();
    expect(() => analyzeTrend(series, { alpha: 0.5 })).toThrow(RangeError);
  });

  it('gives a 95% interval whatever alpha: low > 0 exactly when p < 2.5%, and then it is significant at 5%', () => {
    const random = seededRandom(4);
    let above = 0;
    for (let k = 0; k < 200; k++) {
      const series = drawnSeries(random, 16, 5000, 1.15, 0.08);
      const answer = analyzeTrend(series);
      const strict = analyzeTrend(series, { alpha: 0.01 });
      if (answer === undefined || strict === undefined) throw new Error('expected an answer');
      expect(strict.p95PctPerMinute).toEqual(answer.p95PctPerMinute);
      expect(strict.significant).toBe(answer.pValue < 0.01);
      expect(answer.p95PctPerMinute.low > 0).toBe(answer.pValue < 0.025);
      if (answer.p95PctPerMinute.low > 0) {
        above++;
        expect(answer.significant).toBe(true);
      }
    }
    expect(above).toBeGreaterThan(20);
    expect(above).toBeLessThan(180);
  });
});

describe('analyzeTrend on run records', () => {
  /** 24 blocks of 5 s (two minutes), 100 requests each, log-normal latencies, p95 growing `pctPerMinute`. */
  function record(seed: number, pctPerMinute: number, errorRate: (block: number) => number = () => 0): BlockSpec[] {
    const random = seededRandom(seed);
    return Array.from({ length: 24 }, (_, i) => {
      const scale = (1 + pctPerMinute / 100) ** ((i * 5) / 60);
      return syntheticBlocks(random, { blocks: 1, requestsPerBlock: 100, scale, errorRate: errorRate(i) })[0] as BlockSpec;
    });
  }

  it('finds a slow burn of 20% a minute in a record of latencies, with the truth in its interval', () => {
    const series = blockSeries(buildRunRecord({ steps: { list: record(10, 20) }, blockMs: 5000 }));
    const answer = analyzeTrend(series);
    expect(answer?.blocks).toBe(24);
    expect(answer?.significant).toBe(true);
    expect(answer?.p95PctPerMinute.low).toBeLessThan(20);
    expect(answer?.p95PctPerMinute.high).toBeGreaterThan(20);
    expect(answer?.method).toMatch(/^EWC, ν=3/);
  });

  it('calls a flat record flat', () => {
    const answer = analyzeTrend(blockSeries(buildRunRecord({ steps: { list: record(11, 0) }, blockMs: 5000 })));
    expect(answer?.significant).toBe(false);
    expect(answer?.p95PctPerMinute.low).toBeLessThan(0);
    expect(answer?.p95PctPerMinute.high).toBeGreaterThan(0);
  });

  it('gives the error rate slope when the run had errors: 0% to 11.5% over two minutes is about 6 points a minute', () => {
    const rising = (block: number): number => block * 0.005;
    const run = buildRunRecord({ steps: { list: record(12, 0, rising) }, blockMs: 5000 });
    const errors = analyzeTrend(blockSeries(run))?.errorRatePointsPerMinute;
    expect(errors).toBeDefined();
    expect(errors?.low).toBeLessThan(6);
    expect(errors?.high).toBeGreaterThan(6);
    expect(errors?.low).toBeGreaterThan(0);
  });

  it('reads one step as well as the whole run', () => {
    const run = buildRunRecord({ steps: { list: record(13, 20), detail: record(14, 0) }, blockMs: 5000 });
    expect(analyzeTrend(blockSeries(run, 'list'))?.significant).toBe(true);
    expect(analyzeTrend(blockSeries(run, 'detail'))?.significant).toBe(false);
  });
});
