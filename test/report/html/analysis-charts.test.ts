import { median, quantile } from 'simple-statistics';
import { describe, expect, test } from 'vitest';
import { ANALYSIS_SCHEMA, type Analysis, type LoadLevel } from '../../../src/analyze/analysis-types.js';
import { blockSeries, type BlockPoint } from '../../../src/analyze/block-series.js';
import { percentileOfCounts, type LatencyCounts } from '../../../src/record/latency-counts.js';
import { ANSWER_COLOR, answersOverTime, capacityChart, offeredAtRate, surgeZones, trendAt, trendLevelMs } from '../../../src/report/html/analysis-charts.js';
import type { ChartSpec } from '../../../src/report/html/chart-data.js';
import { latencyBlocks, recordOfLatencies, stressCapacity, surgeRecord, surgeRecovery, trendAnswer } from './analysis-fixtures.js';

const analysisOf = (parts: Partial<Analysis>): Analysis => ({ schema: ANALYSIS_SCHEMA, shape: 'other', recovery: [], notes: [], ...parts });

describe('the capacity chart: latency and throughput against the offered load', () => {
  const spec = capacityChart(stressCapacity()) as ChartSpec;

  test('one point per level, ordered by offered load: p95 on the left, achieved and expected req/s on the right', () => {
    expect(spec.kind).toBe('load');
    expect(spec.xUnit).toBe('it/s');
    expect([spec.yLabel, spec.rightLabel]).toEqual(['p95 ms', 'req/s']);
    expect(spec.series.map((s) => [s.label, s.right === true])).toEqual([
      ['p95', false],
      ['achieved req/s', true],
      ['expected req/s', true],
    ]);
    expect(spec.data).toEqual([
      [40, 80, 120, 160, 200, 240],
      [20, 21, 24, 30, 900, 2400],
      [80, 160, 240, 318, 330, 331],
      [80, 160, 240, 320, 400, 480],
    ]);
  });

  test('the knee: a line where the load reaches the sustainable rate, another at the SLO crossing, their intervals as strips', () => {
    // Two requests an iteration: 330 req/s sustained is 165 it/s offered, a quarter of the way from 160 to 200.
    expect(spec.markers).toEqual([
      { at: 165, label: 'sustainable: 330 req/s', color: ANSWER_COLOR.sustainable },
      { at: 180, label: 'p95 crosses its threshold: 360 req/s', color: ANSWER_COLOR.sloCrossing },
    ]);
    expect(spec.zones).toEqual([
      { from: 160, to: 172.5, fill: ANSWER_COLOR.sustainableInterval, strip: true },
      { from: 170, to: 190, fill: ANSWER_COLOR.sloCrossingInterval, strip: true },
    ]);
  });

  test('a ramp that never saturated marks the highest load it kept up with; one that broke at once marks nothing', () => {
    const open = capacityChart({ ...stressCapacity(), atLeast: true, sustainableRps: { estimate: 478, low: 470, high: 480 }, sloCrossingRps: null }) as ChartSpec;
    expect(open.markers).toEqual([{ at: 239, label: 'kept up with the highest load: 478 req/s', color: ANSWER_COLOR.sustainable }]);
    const broken = capacityChart({ ...stressCapacity(), sustainableRps: null, sloCrossingRps: null }) as ChartSpec;
    expect(broken.markers).toBeUndefined();
    expect(broken.zones).toBeUndefined();
    expect(capacityChart({ ...stressCapacity(), levels: [] })).toBeUndefined();
  });

  test('VUs: the rate is placed where the achieved throughput first reaches it, though it falls past the peak', () => {
    const vu = (offered: number, achieved: number): LoadLevel => ({ startMs: 0, endMs: 1, offered, achievedRps: achieved, p95Ms: 10, errorRate: 0, keptUp: true, reasons: [] });
    const levels = [vu(10, 100), vu(20, 180), vu(30, 200), vu(40, 170)];
    expect(offeredAtRate(levels, 'vus', 190)).toBe(25);
    expect(offeredAtRate(levels, 'vus', 50)).toBe(5);
    expect(offeredAtRate(levels, 'vus', 250)).toBe(40);
    expect(offeredAtRate([], 'vus', 50)).toBeUndefined();
    const spec = capacityChart({ unit: 'vus', sustainableRps: { estimate: 190, low: 190, high: 190 }, sloCrossingRps: null, atLeast: false, levels }) as ChartSpec;
    expect(spec.xUnit).toBe('VUs');
    expect(spec.series.map((s) => s.label)).toEqual(['p95', 'achieved req/s']);
    expect(spec.markers?.[0]?.at).toBe(25);
    // An interval of no width draws no strip.
    expect(spec.zones).toBeUndefined();
  });
});

describe('the surge and its recovery window, on the timeline’s axis', () => {
  test('the surge, the recovery to its estimate and the interval as a strip, with the 5 s warm-up added to the analysis’s offsets', () => {
    expect(surgeZones([surgeRecovery()], 5000, 60_000)).toEqual([
      { from: 25, to: 31, fill: ANSWER_COLOR.surge, label: 'surge' },
      { from: 31, to: 37, fill: ANSWER_COLOR.recovery, label: 'recovery 6 s' },
      { from: 35.5, to: 39, fill: ANSWER_COLOR.recoveryInterval, strip: true },
    ]);
  });

  test('a surge not recovered from: the rest of the run shaded as not back', () => {
    const lost = { ...surgeRecovery(), recovered: false, seconds: null };
    expect(surgeZones([lost], 0, 60_000)).toEqual([
      { from: 20, to: 26, fill: ANSWER_COLOR.surge, label: 'surge' },
      { from: 26, to: 60, fill: ANSWER_COLOR.notBack, label: 'not back by the end' },
    ]);
  });

  test('the chart: this run’s block p95 over time, on the timeline’s cursor and end, the zones over it', () => {
    const record = surgeRecord(5000);
    const spec = answersOverTime(record, analysisOf({ shape: 'surge', recovery: [surgeRecovery()] }), 70) as ChartSpec;
    expect(spec).toMatchObject({ kind: 'time', sync: 'timeline', xMax: 70, warmup: [0, 5], gutter: true });
    expect(spec.series.map((s) => s.label)).toEqual(['p95']);
    const [xs, p95] = spec.data as [number[], number[]];
    expect(xs.slice(0, 2)).toEqual([5.5, 6.5]);
    // The p95 is high in the surge's blocks (25–31 s on this axis) and back at 20 ms-ish before and long after it.
    const at = (x: number): number => p95[xs.indexOf(x)] as number;
    expect(at(30.5)).toBeGreaterThan(200);
    expect(at(10.5)).toBeLessThan(40);
    expect(at(50.5)).toBeLessThan(40);
    expect(spec.zones?.map((z) => [z.from, z.to])).toEqual([
      [25, 31],
      [31, 37],
      [35.5, 39],
    ]);
  });

  test('an analysis with neither a surge nor a trend draws no time chart', () => {
    expect(answersOverTime(surgeRecord(), analysisOf({ capacity: stressCapacity() }))).toBeUndefined();
  });
});

describe('the trend line', () => {
  test('through a p95 that grows exactly 30% a minute: the level at the middle is the truth, each block’s p95 on the line', () => {
    // 60 s measured after a 5 s warm-up; every request of a block at p95(t) = 40 ms × 1.3^((t − 30 s) / 60 s).
    const record = recordOfLatencies({ seconds: 60, warmupMs: 5000, medianAt: (t) => 40 * 1.3 ** ((t - 30) / 60) });
    const spec = answersOverTime(record, analysisOf({ shape: 'steady', trend: trendAnswer(30) })) as ChartSpec;
    expect(spec.series.map((s) => s.label)).toEqual(['p95', 'trend +30%/min']);
    expect(spec.series[1]).toMatchObject({ dash: true, color: ANSWER_COLOR.trend });
    const [xs, p95, line] = spec.data as [number[], number[], number[]];
    // The line's middle (35 s from the run's start) is the blocks' level there; a minute later it would be 30% higher.
    const level = trendLevelMs(blockSeries(record).points, 60_000, 30) as number;
    expect(level / 40).toBeCloseTo(1, 2);
    expect(trendAt(level, 30, 35, 95) / level).toBeCloseTo(1.3, 10);
    for (let i = 0; i < xs.length; i++) {
      expect(line[i]).toBeCloseTo(trendAt(level, 30, 35, xs[i] as number), 2);
      // The histogram holds a latency to about 0.1%; a block's latencies spread over its second.
      expect(Math.abs((line[i] as number) / (p95[i] as number) - 1)).toBeLessThan(0.01);
    }
  });

  test('labelled with its slope, significant or not; a flat level read past a burst', () => {
    const burst = recordOfLatencies({ seconds: 40, medianAt: (t) => (t >= 10 && t < 20 ? 200 : 40) });
    const spec = answersOverTime(burst, analysisOf({ shape: 'steady', trend: trendAnswer(0.4, false) })) as ChartSpec;
    expect(spec.series[1]?.label).toBe('trend +0.4%/min (not significant)');
    // 30 blocks at 40 ms, 10 at 200 ms: the median is the 40 ms level, the line nearly flat on it.
    const line = spec.data[2] as number[];
    expect((line[0] as number) / 40).toBeCloseTo(1, 2);
    expect((line[39] as number) / (line[0] as number)).toBeCloseTo(1.004 ** (39 / 60), 4);
  });

  test('blocks with too few requests for the trend are left out of the level; none left, no line', () => {
    const thin = recordOfLatencies({ seconds: 20, requests: 10, medianAt: () => 40 });
    expect(trendLevelMs(blockSeries(thin).points, 20_000, 0)).toBeUndefined();
    const spec = answersOverTime(thin, analysisOf({ trend: trendAnswer(5) })) as ChartSpec;
    expect(spec.series.map((s) => s.label)).toEqual(['p95']);
  });

  test('when only the later blocks count (the first 30 s too thin), the level is still the one at the middle, not at theirs', () => {
    const record = recordOfLatencies({ seconds: 60, requests: (s) => (s < 30 ? 10 : 50), medianAt: (t) => 40 * 1.3 ** ((t - 30) / 60) });
    // The blocks kept centre on 45 s, where p95 is 40 × 1.3^(1/4) ≈ 42.7 ms: carried to the middle, 40 ms.
    expect((trendLevelMs(blockSeries(record).points, 60_000, 30) as number) / 40).toBeCloseTo(1, 2);
  });

  test('on noisy runs of known truth the level at the middle is within a few percent of the truth (200 seeded runs)', () => {
    // Requests log-normal (σ 0.4) around a median growing 20% a minute, 50 a block, 120 blocks.
    // The truth at the middle: the median p95 of 50-request blocks at the middle's latency law, from 20,000 such blocks.
    const sigma = 0.4;
    const p95Points = (blocks: LatencyCounts[]): BlockPoint[] =>
      blocks.map((counts, s) => ({ startMs: s * 1000, endMs: (s + 1) * 1000, requests: counts.total, errors: 0, p95Ms: percentileOfCounts(counts, 95), planned: null }));
    const truth = median(p95Points(latencyBlocks({ seconds: 20_000, medianAt: () => 40, sigma, seed: 999 })).map((p) => p.p95Ms as number));
    const errors: number[] = [];
    for (let seed = 1; seed <= 200; seed++) {
      const points = p95Points(latencyBlocks({ seconds: 120, medianAt: (t) => 40 * 1.2 ** ((t - 60) / 60), sigma, seed }));
      errors.push((trendLevelMs(points, 120_000, 20) as number) / truth - 1);
    }
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    const sd = Math.sqrt(errors.reduce((a, b) => a + (b - mean) ** 2, 0) / (errors.length - 1));
    const [low, high] = [quantile(errors, 0.025), quantile(errors, 0.975)];
    console.log(`trend level at the middle, 200 runs: mean error ${(100 * mean).toFixed(2)}% (sd ${(100 * sd).toFixed(2)}%), 95% of runs within ${(100 * low).toFixed(2)}% to ${(100 * high).toFixed(2)}%`);
    // No bias beyond chance (0 within the mean error's 99% interval, give or take 1%), and 95% of runs within ±5%.
    expect(Math.abs(mean)).toBeLessThan(0.01 + (2.6 * sd) / Math.sqrt(errors.length));
    expect(Math.max(Math.abs(low), Math.abs(high))).toBeLessThan(0.05);
  });
});
