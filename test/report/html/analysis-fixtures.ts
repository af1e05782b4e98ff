import { ANALYSIS_SCHEMA, type Analysis, type CapacityAnswer, type LoadLevel, type SurgeRecovery, type TrendAnswer } from '../../../src/analyze/analysis-types.js';
import { countsFromIndexes, indexOfMicros, type LatencyCounts } from '../../../src/record/latency-counts.js';
import type { RunRecord } from '../../../src/record/run-record-types.js';
import { seededRandom, syntheticRecord } from '../../../src/validate/synthetic-runs.js';

/**
 * Records and analyses for the analysis section of the HTML report. The records come from the
 * synthetic model's record builder with latencies of known shape; the analyses are written out
 * (their numbers are the analysis's business, not the page's), consistent with the records' times.
 */

export interface LatencyShape {
  /** Measured seconds (1 s blocks). */
  seconds: number;
  warmupMs?: number;
  /** Requests in each block (default 50), or per block by its second. */
  requests?: number | ((second: number) => number);
  /** The median latency at `t` seconds from the start of the measured period, ms. */
  medianAt: (t: number) => number;
  /** σ of a request's log latency (0: every request of a block at its median). */
  sigma?: number;
  seed?: number;
}

/** Each 1 s block's latencies: log-normal around `medianAt` at each request's time, seeded. */
export function latencyBlocks(shape: LatencyShape): LatencyCounts[] {
  const random = seededRandom(shape.seed ?? 11);
  const sigma = shape.sigma ?? 0;
  return Array.from({ length: shape.seconds }, (_, s) => {
    const requests = typeof shape.requests === 'function' ? shape.requests(s) : (shape.requests ?? 50);
    const indexes: number[] = [];
    for (let i = 0; i < requests; i++) {
      const t = s + (i + 0.5) / requests;
      indexes.push(indexOfMicros(shape.medianAt(t) * 1000 * Math.exp(sigma * random.normal())));
    }
    return countsFromIndexes(indexes);
  });
}

/** A run record of 1 s blocks whose latencies follow `medianAt`, log-normal around it, seeded. */
export function recordOfLatencies(shape: LatencyShape): RunRecord {
  const blocks = latencyBlocks(shape);
  const record = syntheticRecord({ model: { steps: [{ name: 'load', medianMs: 20, rate: 50 }] }, blocks: { load: blocks }, blockMs: 1000, measuredMs: shape.seconds * 1000, sequence: 0 });
  return { ...record, meta: { ...record.meta, warmupMs: shape.warmupMs ?? 0 } };
}

/** A target at 20 ms whose queue builds during a surge from 20 s to 26 s (measured) and drains by 32 s. */
export function surgeRecord(warmupMs = 5000): RunRecord {
  const medianAt = (t: number): number => {
    if (t < 20) return 20;
    if (t < 26) return 20 + 60 * (t - 20);
    if (t < 32) return 20 + 60 * 6 * (1 - (t - 26) / 6);
    return 20;
  };
  return recordOfLatencies({ seconds: 60, warmupMs, medianAt, sigma: 0.25 });
}

function level(offered: number, expected: number, achieved: number, p95Ms: number, keptUp: boolean, reasons: string[] = []): LoadLevel {
  return {
    startMs: 0,
    endMs: 10_000,
    offered,
    expectedRps: expected,
    achievedRps: achieved,
    due: offered * 10,
    dropped: keptUp ? 0 : offered,
    p95Ms,
    p95GrowthPctPerSecond: keptUp ? 0.1 : 12,
    errorRate: keptUp ? 0 : 0.002,
    keptUp,
    reasons,
  };
}

/** Text that tries to break out of HTML, where a record's words go. */
export const HOSTILE = '<img src=x onerror=alert(1)>"\'&</script>';

/**
 * A staircase of 40 to 240 iterations a second, two requests an iteration, on a target that
 * serves 330 requests a second: kept up to 160 it/s (320 req/s expected), not at 200 and 240. The
 * levels come unordered, as a ramp that went down again might give them; one reason is hostile.
 */
export function stressCapacity(): CapacityAnswer {
  const levels: LoadLevel[] = [
    level(120, 240, 240, 24, true),
    level(40, 80, 80, 20, true),
    level(80, 160, 160, 21, true),
    level(160, 320, 318, 30, true),
    level(200, 400, 330, 900, false, ['p95 900 ms, over the 500 ms limit', `block p95 grew ${HOSTILE}`]),
    level(240, 480, 331, 2400, false, ['dropped 240 of 2400 iterations (no free VU)']),
  ];
  return {
    unit: 'rps',
    sustainableRps: { estimate: 330, low: 320, high: 345 },
    sloCrossingRps: { estimate: 360, low: 340, high: 380 },
    atLeast: false,
    limitedBy: 'latency',
    levels,
  };
}

/** The surge of `surgeRecord`: 20–26 s of the measured period, recovered 6 s after it ended (4.5–8 s). */
export function surgeRecovery(): SurgeRecovery {
  return {
    surgeOffered: 200,
    beforeOffered: 50,
    surgeStartMs: 20_000,
    surgeEndMs: 26_000,
    seconds: { estimate: 6, low: 4.5, high: 8 },
    recovered: true,
    p95BeforeMs: 21,
    p95PeakMs: 380,
    surgeErrors: 3,
    surgeErrorRate: 0.01,
  };
}

export function trendAnswer(estimate: number, significant = true): TrendAnswer {
  return { p95PctPerMinute: { estimate, low: estimate - 5, high: estimate + 5 }, significant, pValue: significant ? 0.001 : 0.4, blocks: 60, method: 'EWC, ν=8' };
}

/** Every answer at once (a page must draw them all), with a hostile note. */
export function everyAnswer(): Analysis {
  return { schema: ANALYSIS_SCHEMA, shape: 'rising', capacity: stressCapacity(), recovery: [surgeRecovery()], trend: trendAnswer(12), notes: [`note ${HOSTILE}`] };
}
