import { batchMeans } from '../stats/batch-means.js';
import { ratioEstimate } from '../stats/ratio-estimator.js';
import type { StepMeasurement } from './step-measurement.js';
import { usableBlockP95s } from './step-measurement.js';

/**
 * One run's value of a gated metric on the analysis scale, with its within-run variance.
 * p95 and throughput are compared as natural logs (a ratio becomes a difference and latency's
 * skew mostly disappears); the error rate is compared as an absolute fraction.
 */
export interface RunEstimate {
  value: number;
  withinVariance: number;
  withinDf: number;
  blocks: number;
}

export type EstimateResult = { ok: true; estimate: RunEstimate } | { ok: false; reason: string };

export interface BlockLimits {
  minBlockRequests: number;
  minBlocks: number;
}

/** log p95 of the whole run; within-run variance by batch means of the log block p95s. */
export function p95Estimate(measurement: StepMeasurement, limits: BlockLimits): EstimateResult {
  const blockValues = usableBlockP95s(measurement, limits.minBlockRequests).filter((p): p is number => p !== null);
  if (measurement.p95Ms === null || measurement.p95Ms <= 0) return { ok: false, reason: 'no latencies were recorded' };
  if (blockValues.length < limits.minBlocks) {
    return {
      ok: false,
      reason: `too few blocks with at least ${limits.minBlockRequests} requests (${blockValues.length} of ${measurement.blocks.length}, need ${limits.minBlocks})`,
    };
  }
  const batches = batchMeans(blockValues.map(Math.log));
  return { ok: true, estimate: { value: Math.log(measurement.p95Ms), withinVariance: batches.varianceOfMean, withinDf: batches.df, blocks: batches.blocks } };
}

/** log(requests per measured second); within-run variance of the block rate, relative (delta method). */
export function throughputEstimate(measurement: StepMeasurement, limits: BlockLimits): EstimateResult {
  const blocks = measurement.blocks.filter((block) => block.seconds > 0);
  if (measurement.requests === 0 || measurement.measuredSeconds <= 0) return { ok: false, reason: 'no requests were measured' };
  if (blocks.length < limits.minBlocks) return { ok: false, reason: `too few blocks (${blocks.length}, need ${limits.minBlocks})` };
  const rate = ratioEstimate(
    blocks.map((b) => b.requests),
    blocks.map((b) => b.seconds),
  );
  return {
    ok: true,
    estimate: {
      value: Math.log(measurement.requests / measurement.measuredSeconds),
      withinVariance: rate.variance / (rate.ratio * rate.ratio),
      withinDf: rate.df,
      blocks: rate.blocks,
    },
  };
}

/**
 * errors / requests; within-run variance from the blocks (errors cluster in time, so this is
 * usually larger than the binomial one), but never below the binomial variance with Agresti–Caffo's
 * +1/+2 adjustment, so a run with no errors at all still has a sensible, non-zero uncertainty.
 */
export function errorRateEstimate(measurement: StepMeasurement, limits: BlockLimits): EstimateResult {
  const blocks = measurement.blocks.filter((block) => block.requests > 0);
  if (measurement.requests === 0) return { ok: false, reason: 'no requests were measured' };
  if (blocks.length < limits.minBlocks) return { ok: false, reason: `too few blocks with requests (${blocks.length}, need ${limits.minBlocks})` };
  const rate = ratioEstimate(
    blocks.map((b) => b.errors),
    blocks.map((b) => b.requests),
  );
  const adjusted = (measurement.errors + 1) / (measurement.requests + 2);
  const binomialVariance = (adjusted * (1 - adjusted)) / (measurement.requests + 2);
  return {
    ok: true,
    estimate: {
      value: measurement.errors / measurement.requests,
      withinVariance: Math.max(rate.variance, binomialVariance),
      withinDf: rate.df,
      blocks: rate.blocks,
    },
  };
}
