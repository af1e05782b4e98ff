import { ratioEstimate } from '../stats/ratio-estimator.js';
import { trimmedMean } from '../stats/trimmed-mean.js';
import { usableP95s, type GroupedBlock, type StepMeasurement } from './step-measurement.js';

/**
 * One run's value of a gated metric on the analysis scale, with its within-run variance.
 * p95 and throughput are compared as natural logs (a ratio becomes a difference and latency's
 * skew mostly disappears); the error rate is compared as an absolute fraction.
 */
export interface RunEstimate {
  value: number;
  /** Blocks set aside as a burst (far outside the run's other blocks). */
  setAside?: number;
  /** Variance of `value` from the run's own blocks; null when too few blocks to tell. */
  withinVariance: number | null;
  withinDf: number;
  /** Analysis blocks the value rests on. */
  blocks: number;
}

export type EstimateResult = { ok: true; estimate: RunEstimate } | { ok: false; reason: string };

export interface BlockLimits {
  minBlockRequests: number;
  minBlocks: number;
}

/**
 * The 20%-trimmed mean of the blocks' log p95s, with its Tukey–McLaughlin variance. A block made
 * slow by a noisy neighbour is cut instead of moving the run's value (the whole run's p95 moves a
 * lot with one bad block: its requests are all in the tail). With fewer than `minBlocks` usable
 * blocks the value stands but its within-run noise is unknown (the history's spread covers it).
 */
export function p95Estimate(measurement: StepMeasurement, groups: readonly GroupedBlock[], limits: BlockLimits): EstimateResult {
  if (measurement.p95Ms === null || measurement.p95Ms <= 0) return { ok: false, reason: 'no latencies were recorded' };
  const usable = usableP95s(groups, limits.minBlockRequests)
    .filter((p): p is number => p !== null)
    .map(Math.log);
  if (usable.length === 0) {
    return { ok: false, reason: `no block of ${blockSeconds(groups)} had ${limits.minBlockRequests} requests` };
  }
  const blockValues = withoutBursts(usable);
  const trimmed = trimmedMean(blockValues);
  const known = blockValues.length >= limits.minBlocks;
  const setAside = usable.length - blockValues.length;
  const withinVariance = known ? trimmed.varianceOfMean : null;
  return { ok: true, estimate: { value: trimmed.mean, withinVariance, withinDf: trimmed.df, blocks: blockValues.length, ...(setAside > 0 ? { setAside } : {}) } };
}

/**
 * A noisy neighbour's burst makes a few blocks far slower than the rest of the run: more than
 * the trimmed mean can cut in a short run (3 s of a 10 s run). Blocks whose log p95 lies more
 * than BURST_Z robust standard deviations (1.4826 × the median absolute deviation) from the run's
 * median are set aside, when at least five blocks remain. A regression that slows the whole run,
 * or its second half, moves the median with it and sets nothing aside.
 */
export const BURST_Z = 5;

function withoutBursts(values: readonly number[]): number[] {
  if (values.length < 5) return [...values];
  const median = middle(values);
  const scale = 1.4826 * middle(values.map((v) => Math.abs(v - median)));
  if (!(scale > 0)) return [...values];
  const kept = values.filter((v) => Math.abs(v - median) <= BURST_Z * scale);
  return kept.length >= 5 ? kept : [...values];
}

function middle(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[half] as number) : ((sorted[half - 1] as number) + (sorted[half] as number)) / 2;
}

/** log(requests per measured second); within-run variance of the block rate, relative (delta method). */
export function throughputEstimate(measurement: StepMeasurement, groups: readonly GroupedBlock[], limits: BlockLimits): EstimateResult {
  const blocks = groups.filter((group) => group.seconds > 0);
  if (measurement.requests === 0 || measurement.measuredSeconds <= 0) return { ok: false, reason: 'no requests were measured' };
  const value = Math.log(measurement.requests / measurement.measuredSeconds);
  if (blocks.length < Math.max(2, limits.minBlocks)) return { ok: true, estimate: { value, withinVariance: null, withinDf: 0, blocks: blocks.length } };
  const rate = ratioEstimate(
    blocks.map((b) => b.requests),
    blocks.map((b) => b.seconds),
  );
  return { ok: true, estimate: { value, withinVariance: rate.variance / (rate.ratio * rate.ratio), withinDf: rate.df, blocks: rate.blocks } };
}

/**
 * errors / requests; within-run variance from the blocks (errors cluster in time, so this is
 * usually larger than the binomial one), but never below the binomial variance with Agresti–Caffo's
 * +1/+2 adjustment, so a run with no errors at all still has a sensible, non-zero uncertainty.
 */
export function errorRateEstimate(measurement: StepMeasurement, groups: readonly GroupedBlock[], limits: BlockLimits): EstimateResult {
  const blocks = groups.filter((group) => group.requests > 0);
  if (measurement.requests === 0) return { ok: false, reason: 'no requests were measured' };
  const adjusted = (measurement.errors + 1) / (measurement.requests + 2);
  const binomialVariance = (adjusted * (1 - adjusted)) / (measurement.requests + 2);
  const value = measurement.errors / measurement.requests;
  if (blocks.length < Math.max(2, limits.minBlocks)) return { ok: true, estimate: { value, withinVariance: binomialVariance, withinDf: Number.POSITIVE_INFINITY, blocks: blocks.length } };
  const rate = ratioEstimate(
    blocks.map((b) => b.errors),
    blocks.map((b) => b.requests),
  );
  return { ok: true, estimate: { value, withinVariance: Math.max(rate.variance, binomialVariance), withinDf: rate.df, blocks: rate.blocks } };
}

function blockSeconds(groups: readonly GroupedBlock[]): string {
  const seconds = groups[0]?.seconds ?? 0;
  return `${Number(seconds.toFixed(1))} s`;
}
