import { lag1Autocorrelation } from '../stats/autocorrelation.js';
import { signFlipFloor, signFlipPValue } from '../stats/sign-flip.js';
import { studentTQuantile, studentTUpperTail } from '../stats/student-t.js';
import { trimmedMean } from '../stats/trimmed-mean.js';
import type { ShiftEstimate } from './shift-estimate.js';
import type { GroupedBlock } from './step-measurement.js';

/**
 * Paired mode's inference (see DESIGN.md "Statistics"). Head and base ran in alternating blocks
 * of the same job; block i of a pair is next to block i of the other arm, so what the two share
 * (the runner, the network, the hour) cancels in their difference. For k pairs with values hᵢ, bᵢ
 * on the analysis scale (log p95, log throughput; the error rate as a fraction),
 *   dᵢ = hᵢ − bᵢ,  d̄ = Σdᵢ/k,  s_d² = Σ(dᵢ − d̄)²/(k − 1),  SE = s_d/√k,
 * and d̄/SE is Student's t with k − 1 degrees of freedom: one t component of the noise model, so
 * the decision rule (`metric-decision.ts`) and the multiple-test correction apply unchanged.
 *
 * The t statistic's tail is not trusted with a handful of pairs: for log p95 and log throughput the
 * sign-flip test (`stats/sign-flip.ts`, exact for differences symmetric about 0, as two
 * exchangeable arms give) is run beside it, and where it is less sure than t, SE is widened to
 * what makes t with these degrees of freedom give its p-value; the decision rule, the interval and
 * the detectable change then follow the exact test.
 *
 * p95 is taken as the stored-baseline mode takes it (`run-estimates.ts`): a block made slow by a
 * noisy neighbour of one arm alone is cut, not averaged in, so the mean of the dᵢ is 20%-trimmed
 * with its Tukey–McLaughlin standard error and h − 1 degrees of freedom (h the pairs kept). Below 5
 * pairs nothing is cut and it is the plain d̄, s_d/√k, k − 1 above.
 *
 * Pairing cancels a drift both arms share; it cannot cancel one arm drifting from the other (a
 * cache filling on one target, a deploy finishing mid-run, a head that slows as it runs). That
 * shows as a trend in the dᵢ: a slope of dᵢ over time, or strongly autocorrelated dᵢ, which
 * `driftCheck` tests. It is a finding of its own: it keeps a metric from passing (the mean of a
 * moving difference says little about the end of the run), and never excuses a regression (a
 * head significantly slower on average is slower, whatever its slope).
 */

/** One pair of adjacent blocks, one of each arm, as the arms recorded them. */
export interface BlockPair {
  head: GroupedBlock;
  base: GroupedBlock;
}

/** Values of one metric per pair on the analysis scale. */
export interface PairedValues {
  head: number[];
  base: number[];
}

/** `varianceFloor`: the least variance of d̄ the test assumes (the error rate's binomial one). */
export type PairedValuesResult = { ok: true; values: PairedValues; varianceFloor?: number } | { ok: false; reason: string };

/**
 * Below this the pairs' spread is measured as zero by the histograms' resolution (three
 * significant digits): the difference's sd is never taken smaller, so equal blocks cannot make a
 * test infinitely sure.
 */
const RESOLUTION_SD = 0.001;

/** 'sign-flip' (the default without a variance floor) or Student's t on the same statistic. */
export type PairedTest = 'sign-flip' | 't';

/** Below this p the sign-flip test is decisive at any level Hommel's procedure gives up to 50 tests at α = 0.05: it no longer widens t. */
const DECISIVE_P = 0.001;

/** The paired estimate of head − base from values per pair: the (trimmed) mean of the differences, its SE² and degrees of freedom. */
export function pairedShift(values: PairedValues, options: { varianceFloor?: number; trim?: number; test?: PairedTest } = {}): ShiftEstimate {
  const k = values.head.length;
  if (k !== values.base.length) throw new RangeError(`paired values need as many head as base values (${k} and ${values.base.length})`);
  if (k < 2) throw new RangeError(`a paired estimate needs at least 2 pairs (got ${k})`);
  const d = values.head.map((h, i) => h - (values.base[i] as number));
  const trimmed = trimmedMean(d, options.trim ?? 0);
  const mean = trimmed.mean;
  const df = trimmed.df;
  const least = options.varianceFloor ?? (RESOLUTION_SD * RESOLUTION_SD) / k;
  let variance = Math.max(Number.isNaN(trimmed.varianceOfMean) ? 0 : trimmed.varianceOfMean, least);
  // Without a binomial floor (the error rate's), t is held to the sign-flip test: where that test
  // is less sure, the SE becomes the one at which t with these degrees of freedom gives its
  // p-value. Not where its p is the least it can be (every sign agrees): there it has nothing
  // more to say, and t's SE keeps the interval as narrow as the data make it; nor below
  // DECISIVE_P, where both tests reject at any level a correction could ask for.
  if ((options.test ?? (options.varianceFloor === undefined ? 'sign-flip' : 't')) === 'sign-flip' && mean !== 0) {
    const p = signFlipPValue(d, mean > 0 ? 1 : -1, options.trim ?? 0);
    if (p > Math.max(signFlipFloor(k), DECISIVE_P) && p < 0.5) variance = Math.max(variance, (mean / studentTQuantile(1 - p, Math.max(1, df))) ** 2);
  }
  return {
    estimate: mean,
    baselineValue: average(values.base),
    historyRuns: 1,
    noise: {
      weights: [1],
      variances: [variance],
      dfs: [Math.max(1, df)],
      meanBetween: 0,
      meanVariance: variance,
      variance,
      // What each arm's own block spread would have given unpaired: what pairing saved.
      withinCurrentVariance: sampleVariance(values.head) / k,
      withinBaselineVariance: sampleVariance(values.base) / k,
      betweenRunVariance: 0,
      priorSd: 0,
      currentWithinKnown: true,
    },
  };
}

const usableP95 = (g: GroupedBlock, minBlockRequests: number): boolean => g.latencyCount >= minBlockRequests && g.p95Ms !== null && g.p95Ms > 0;

/** Log p95 of each pair's blocks; a pair is used only when both blocks have `minBlockRequests` latencies. */
export function pairedP95(pairs: readonly BlockPair[], minBlockRequests: number): PairedValuesResult {
  const kept = pairs.filter((p) => usableP95(p.head, minBlockRequests) && usableP95(p.base, minBlockRequests));
  if (kept.length < 2) return { ok: false, reason: `${kept.length} of ${pairs.length} block pairs had ${minBlockRequests} latencies in both blocks; at least 2 are needed` };
  return { ok: true, values: { head: kept.map((p) => Math.log(p.head.p95Ms as number)), base: kept.map((p) => Math.log(p.base.p95Ms as number)) } };
}

/**
 * Why a step's p95 is not tested when its paired blocks are too sparse: on average a block held
 * fewer latencies than a block's p95 needs. A longer run adds pairs, not latencies per block, so
 * the sentence says what would test it: that many requests a second to the step, or paired blocks
 * long enough (`--pair-block`, whose settle `settleMs` is not measured). Undefined when the blocks
 * hold enough on average (then too few pairs is the question, and a longer run the answer).
 */
export function sparseP95Reason(pairs: readonly BlockPair[], minBlockRequests: number, settleMs: number): string | undefined {
  const blocks = pairs.flatMap((p) => [p.head, p.base]);
  const seconds = pairs[0]?.head.seconds ?? 0;
  if (blocks.length === 0 || !(seconds > 0)) return undefined;
  const perBlock = blocks.reduce((sum, b) => sum + b.latencyCount, 0) / blocks.length;
  if (perBlock >= minBlockRequests) return undefined;
  const kept = pairs.filter((p) => usableP95(p.head, minBlockRequests) && usableP95(p.base, minBlockRequests)).length;
  const rate = perBlock / seconds;
  // Measured seconds a block needs to hold minBlockRequests at this rate, in half seconds; --pair-block adds the settle.
  const needed = rate > 0 ? Math.ceil((2 * minBlockRequests) / rate) / 2 : undefined;
  const blocksNeeded = needed === undefined ? '' : `, or paired blocks measuring ${formatSeconds(needed)} or more (tailgate run --pair-block ${Number((needed + settleMs / 1000).toFixed(2))}s)`;
  return (
    `its paired blocks of ${formatSeconds(seconds)} held about ${Math.round(perBlock)} latencies each, fewer than the ${minBlockRequests} a block's p95 needs (${kept} of ${pairs.length} block pairs had them in both blocks), so its p95 is not tested on its own; its requests still count in all steps. ` +
    `A longer run adds block pairs, not latencies per block: about ${Math.ceil(minBlockRequests / seconds)} requests a second to it${blocksNeeded} would test it`
  );
}

function formatSeconds(seconds: number): string {
  return `${Number(seconds.toFixed(2))} s`;
}

/** Log requests per second of each pair's blocks; a pair with no requests in a block is left out. */
export function pairedThroughput(pairs: readonly BlockPair[]): PairedValuesResult {
  const kept = pairs.filter((p) => p.head.requests > 0 && p.base.requests > 0 && p.head.seconds > 0 && p.base.seconds > 0);
  if (kept.length < 2) return { ok: false, reason: `${kept.length} of ${pairs.length} block pairs had requests in both blocks; at least 2 are needed` };
  return {
    ok: true,
    values: { head: kept.map((p) => Math.log(p.head.requests / p.head.seconds)), base: kept.map((p) => Math.log(p.base.requests / p.base.seconds)) },
  };
}

/** Error fraction of each pair's blocks, and the binomial variance of the difference of the totals (the least the test assumes). */
export function pairedErrorRate(pairs: readonly BlockPair[]): PairedValuesResult {
  const kept = pairs.filter((p) => p.head.requests > 0 && p.base.requests > 0);
  if (kept.length < 2) return { ok: false, reason: `${kept.length} of ${pairs.length} block pairs had requests in both blocks; at least 2 are needed` };
  const adjusted = (errors: number, requests: number): number => (errors + 1) / (requests + 2);
  const sum = (pick: (p: BlockPair) => number): number => kept.reduce((total, p) => total + pick(p), 0);
  const headRequests = sum((p) => p.head.requests);
  const baseRequests = sum((p) => p.base.requests);
  const ph = adjusted(sum((p) => p.head.errors), headRequests);
  const pb = adjusted(sum((p) => p.base.errors), baseRequests);
  return {
    ok: true,
    values: { head: kept.map((p) => p.head.errors / p.head.requests), base: kept.map((p) => p.base.errors / p.base.requests) },
    varianceFloor: (ph * (1 - ph)) / (headRequests + 2) + (pb * (1 - pb)) / (baseRequests + 2),
  };
}

export interface DriftCheck {
  /** Least-squares slope of dᵢ over the pair index, analysis scale per pair. */
  slopePerPair: number;
  /** Two-sided p-value of "no slope" (t with k − 2 df). */
  slopePValue: number;
  /** Lag-1 autocorrelation of the dᵢ less their trend. */
  lag1: number;
  drifted: boolean;
  /** `trend` (the slope), `wander` (the autocorrelation) or `none`. */
  finding: 'trend' | 'wander' | 'none';
  /** Why the arms are taken to have drifted apart, in plain words. */
  reason?: string;
}

/** A slope this significant (two-sided) that moves d by more than the allowed change over the run is a drift. */
export const DRIFT_SLOPE_LEVEL = 0.01;
/** Lag-1 autocorrelation of the differences above which they are not independent enough to trust. */
export const DRIFT_LAG1 = 0.5;
/** Pairs needed before the autocorrelation says anything. */
const DRIFT_LAG1_MIN_PAIRS = 10;

/**
 * Whether the arms drifted apart during the run: the differences trend (a slope significant at
 * DRIFT_SLOPE_LEVEL that moves d by more than `allowed` from the first pair to the last), or are
 * strongly autocorrelated (r₁ > DRIFT_LAG1 over 10 or more pairs), so their mean's standard
 * error would be too small. Both conditions are strict, so an unchanged pair of targets is rarely
 * called drifting; a drift that small does not matter next to the allowed change.
 */
export function driftCheck(values: PairedValues, allowed: number): DriftCheck {
  const d = values.head.map((h, i) => h - (values.base[i] as number));
  const k = d.length;
  if (k < 3) return { slopePerPair: 0, slopePValue: 1, lag1: lag1Autocorrelation(d), drifted: false, finding: 'none' };
  const xMean = (k - 1) / 2;
  const dMean = average(d);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < k; i++) {
    sxx += (i - xMean) ** 2;
    sxy += (i - xMean) * ((d[i] as number) - dMean);
  }
  const slope = sxy / sxx;
  // The autocorrelation is of what the trend leaves: a trend alone is the slope's question.
  const detrended = d.map((value, i) => value - dMean - slope * (i - xMean));
  const lag1 = lag1Autocorrelation(detrended);
  let residuals = 0;
  for (const r of detrended) residuals += r * r;
  const df = k - 2;
  const slopeSe = df > 0 ? Math.sqrt(residuals / df / sxx) : Number.POSITIVE_INFINITY;
  const slopePValue = slopeSe > 0 ? 2 * studentTUpperTail(Math.abs(slope) / slopeSe, Math.max(1, df)) : slope === 0 ? 1 : 0;
  const moved = Math.abs(slope) * (k - 1);
  if (df > 0 && slopePValue < DRIFT_SLOPE_LEVEL && moved > allowed) {
    return { slopePerPair: slope, slopePValue, lag1, drifted: true, finding: 'trend', reason: `the arms drifted apart during the run: the paired difference trended by ${formatLog(moved)} from the first block pair to the last (p = ${slopePValue.toPrecision(2)}), which pairing cannot cancel` };
  }
  if (k >= DRIFT_LAG1_MIN_PAIRS && lag1 > DRIFT_LAG1) {
    return { slopePerPair: slope, slopePValue, lag1, drifted: true, finding: 'wander', reason: `the paired differences wander together from pair to pair (lag-1 autocorrelation ${lag1.toFixed(2)}), so the arms drifted apart in a way pairing cannot cancel` };
  }
  return { slopePerPair: slope, slopePValue, lag1, drifted: false, finding: 'none' };
}

function formatLog(difference: number): string {
  return `${(100 * Math.expm1(difference)).toFixed(1)}%`;
}

function average(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = average(values);
  return values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
}
