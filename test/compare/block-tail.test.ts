import { describe, expect, it } from 'vitest';
import { blockTail } from '../../src/compare/block-tail.js';
import { comparePaired } from '../../src/compare/compare-paired.js';
import { renderReport } from '../../src/report/render-report.js';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { binomialUpperTail, hypergeometricUpperTail } from '../../src/stats/binomial-test.js';
import { DEFAULT_PAIRING } from '../../src/plan/paired-schedule.js';
import { syntheticPairedRun } from '../../src/validate/paired-synthetic.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, syntheticRun } from '../../src/validate/synthetic-runs.js';

describe('binomialUpperTail', () => {
  it('is P(X ≥ x) of a binomial, summed by hand for small n', () => {
    const byHand = (x: number, n: number, p: number): number => {
      let sum = 0;
      for (let k = x; k <= n; k++) {
        let choose = 1;
        for (let j = 1; j <= k; j++) choose = (choose * (n - k + j)) / j;
        sum += choose * p ** k * (1 - p) ** (n - k);
      }
      return sum;
    };
    for (const [x, n, p] of [[1, 10, 0.05], [3, 23, 0.05], [7, 23, 0.05], [0, 5, 0.5], [12, 12, 0.3]] as const) {
      expect(binomialUpperTail(x, n, p)).toBeCloseTo(byHand(x, n, p), 10);
    }
    expect(binomialUpperTail(11, 10, 0.5)).toBe(0);
  });
});

describe('hypergeometricUpperTail', () => {
  it('is P(H ≥ h), counted by brute force over every draw of a small population', () => {
    // 4 successes in 9; draws of 5: enumerate all 126 subsets.
    const population = 9;
    const successes = 4;
    const draws = 5;
    const counts: number[] = Array.from({ length: draws + 1 }, () => 0);
    let total = 0;
    for (let mask = 0; mask < 1 << population; mask++) {
      let bits = 0;
      let hits = 0;
      for (let i = 0; i < population; i++) if (mask & (1 << i)) { bits++; if (i < successes) hits++; }
      if (bits !== draws) continue;
      total++;
      (counts[hits] as number)++;
    }
    for (let h = 0; h <= draws; h++) {
      const tail = counts.slice(h).reduce((a, b) => a + b, 0) / total;
      expect(hypergeometricUpperTail(h, population, successes, draws)).toBeCloseTo(tail, 12);
    }
  });
});

describe('the tail of blocks', () => {
  const baseline = Array.from({ length: 40 }, (_, i) => 100 + i);
  it('counts current blocks beyond the baseline\'s 95th percentile of block p95s (the 38th of 40 here) against the share exchangeable blocks would have', () => {
    const tail = blockTail([100, 110, 120, 137, 138, 139, 300, 310], baseline, 0.05);
    expect(tail).toMatchObject({ blocksBeyond: 4, blocks: 8, baselineBlockP95Ms: 137, expectedShare: Number((3 / 41).toFixed(4)) });
    // Exact under exchangeability: at least 4 of the 8 are beyond when the 4 + 2 highest of all 48 hold at least 4 of them.
    expect(tail?.pValue).toBeCloseTo(hypergeometricUpperTail(4, 48, 8, 6), 3);
    expect(tail?.finding).toBe(true);
    expect(blockTail([100, 110, 120, 130, 140], baseline, 0.05)?.finding).toBe(false);
  });

  it('says nothing with too few baseline or current blocks', () => {
    expect(blockTail([200, 200, 200, 200, 200], baseline.slice(0, 19), 0.05)).toBeUndefined();
    expect(blockTail([200, 200, 200, 200], baseline, 0.05)).toBeUndefined();
  });

  it('finds a current run that stalls one second in five, which the stored gate sets aside as bursts and trims, and reports it without gating', () => {
    const model = { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 60, runSigma: 0.03 };
    const random = seededRandom(61);
    const history = Array.from({ length: 5 }, (_, i) => syntheticRun({ model, random, sequence: i }));
    const stalled = compareRuns({ baselines: history, current: syntheticRun({ model, random, sequence: 5, regression: { factor: 3, stallEverySeconds: 5 } }) });
    expect(stalled.verdict).not.toBe('regression');
    const overall = stalled.steps[0];
    expect(overall?.tail?.finding).toBe(true);
    expect(overall?.tail?.blocksBeyond).toBeGreaterThan(5);
    expect(renderReport(stalled)).toMatch(/🔍 Slow blocks: <code>list<\/code>: \d+ of \d+ blocks beyond the baseline's 95th percentile of block p95s, [\d.]+ ms \(about [\d.]+ expected, p = [\d.e-]+\)/);
    // The same history against an unchanged run: no finding, no line.
    const unchanged = compareRuns({ baselines: history, current: syntheticRun({ model, random, sequence: 5 }) });
    expect(unchanged.steps.some((s) => s.tail?.finding === true)).toBe(false);
    expect(renderReport(unchanged)).not.toMatch(/🔍/);
  });

  it('stands beside a paired regression without a line of its own: the regression says it', () => {
    const quiet = { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 60, burstChance: 0, runSigma: 0 };
    const paired = syntheticPairedRun({ model: quiet, pairing: DEFAULT_PAIRING, random: seededRandom(63), sequence: 0, regression: { factor: 3, stallEverySeconds: 5 } });
    const comparison = comparePaired({ paired });
    expect(comparison.verdict).toBe('regression');
    expect(comparison.steps[0]?.tail?.finding).toBe(true);
    expect(renderReport(comparison)).not.toMatch(/🔍/);
  });
});
