import { ratioEstimate } from '../stats/ratio-estimator.js';
import { trimmedMean } from '../stats/trimmed-mean.js';
import { burstFlags } from './bursts.js';
import { usableP95s, type GroupedBlock, type StepMeasurement } from './step-measurement.js';

/**
 * One run's value of a gated metric on the analysis scale, with its within-run variance.
 * p95 and throughput are compared as natural logs (a ratio becomes a difference and latency's
 * skew mostly disappears); the error rate is compared as an absolute fraction.
 */
export interface RunEstimate {
  value: number;
  /** Seconds of the run set aside as a burst (far outside the rest of the run). */
  burstSeconds?: number;
  /** Variance of `value` from the run's own blocks; null when too few blocks to tell. */
  withinVariance: number | null;
  withinDf: number;
  /** Analysis blocks the value rests on. */
  blocks: number;
  /**
   * Variance of one block's value (winsorized) and its degrees of freedom, from two blocks on:
   * even a run too short to measure its own noise adds its blocks to a pooled estimate.
   */
  blockVariance?: { variance: number; df: number };
}

export type EstimateResult = { ok: true; estimate: RunEstimate } | { ok: false; reason: string };

export interface BlockLimits {
  minBlockRequests: number;
  minBlocks: number;
}

/**
 * The 20%-trimmed mean of the blocks' log p95s, with its Tukey–McLaughlin variance. A block made
 * slow by a noisy neighbour is cut instead of moving the run's value (the whole run's p95 moves a
 * lot with one bad block: its requests are all in the tail); blocks of a burst are set aside first
 * (see `bursts.ts`): `calmGroups` are the step's analysis blocks without the seconds of the run's
 * bursts, and the step's own blocks are checked too. With fewer than `minBlocks` blocks left the value stands but its
 * within-run noise is unknown (the history's spread covers it).
 */
export function p95Estimate(measurement: StepMeasurement, groups: readonly GroupedBlock[], limits: BlockLimits, calmGroups: readonly GroupedBlock[] = groups): EstimateResult {
  if (measurement.p95Ms === null || measurement.p95Ms <= 0) return { ok: false, reason: 'no latencies were recorded' };
  const usable = usableP95s(groups, limits.minBlockRequests).filter((p) => p !== null).length;
  const calm = usableP95s(calmGroups, limits.minBlockRequests).map((p) => (p === null ? null : Math.log(p)));
  const own = burstFlags(calm);
  const blockValues = calm.filter((v, i): v is number => v !== null && !own[i]);
  if (blockValues.length === 0) {
    return { ok: false, reason: usable === 0 ? `no block of ${blockSeconds(groups)} had ${limits.minBlockRequests} requests` : 'every block fell in a burst' };
  }
  const trimmed = trimmedMean(blockValues);
  const known = blockValues.length >= limits.minBlocks;
  const seconds = (list: readonly GroupedBlock[]): number => list.reduce((sum, g) => sum + g.seconds, 0);
  const burstSeconds = seconds(groups) - seconds(calmGroups) + calmGroups.reduce((sum, g, i) => sum + (own[i] ? g.seconds : 0), 0);
  const withinVariance = known ? trimmed.varianceOfMean : null;
  const blockVariance = trimmed.df > 0 && Number.isFinite(trimmed.winsorizedVariance) ? { blockVariance: { variance: trimmed.winsorizedVariance, df: trimmed.df } } : {};
  return { ok: true, estimate: { value: trimmed.mean, withinVariance, withinDf: trimmed.df, blocks: blockValues.length, ...blockVariance, ...(burstSeconds > 0 ? { burstSeconds } : {}) } };
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
