import { hacSlope, type HacSlope } from '../stats/hac-slope.js';
import type { Interval, TrendAnswer } from './analysis-types.js';
import type { BlockPoint, BlockSeries } from './block-series.js';

/**
 * The slow burn: does a run get worse as it goes on (a leak, a growing queue, a cache that
 * fills)? The slope of log block p95 against time, tested for growth with an error that respects
 * the blocks' autocorrelation (src/stats/hac-slope.ts), as percent a minute; and, when the run had
 * errors, the slope of the error rate in percentage points a minute. See docs/analyze.md.
 */

/** Fewer usable blocks than this cannot tell a trend from the noise's slow swings. */
export const MIN_TREND_BLOCKS = 8;
/** A block's p95 from fewer requests is too rough to read (and is mostly its slowest request). */
export const MIN_BLOCK_REQUESTS = 20;
/** Of the intervals (two-sided), as every interval of an analysis. */
const CONFIDENCE = 0.95;

/**
 * The raw slope of log block p95 (natural log per minute) with its standard error and degrees of
 * freedom, for comparing two runs' trends later: (b₁ − b₂) / √(se₁² + se₂²) against Student's t
 * with Welch–Satterthwaite degrees of freedom (src/stats/satterthwaite.ts).
 */
export interface TrendSlope {
  slopePerMinute: number;
  se: number;
  df: number;
  blocks: number;
}

export interface TrendOptions {
  /** Level of the one-sided test of growth. Default 0.05. The intervals are 95% whatever it is, as every interval of an analysis. */
  alpha?: number;
}

/** The blocks the trend reads and their middles in minutes from the start of the measured period. */
interface UsableBlocks {
  points: BlockPoint[];
  minutes: number[];
}

function usableBlocks(series: BlockSeries): UsableBlocks | undefined {
  const points = series.points.filter((p) => p.requests >= MIN_BLOCK_REQUESTS && p.p95Ms !== null && p.p95Ms > 0);
  if (points.length < MIN_TREND_BLOCKS) return undefined;
  return { points, minutes: points.map((p) => (p.startMs + p.endMs) / 2 / 60_000) };
}

function logP95Fit(usable: UsableBlocks, confidence: number): HacSlope {
  return hacSlope(
    usable.points.map((p) => Math.log(p.p95Ms as number)),
    usable.minutes,
    { confidence },
  );
}

/** The log p95 slope's pieces, or undefined with fewer than `MIN_TREND_BLOCKS` usable blocks. */
export function p95TrendSlope(series: BlockSeries): TrendSlope | undefined {
  const usable = usableBlocks(series);
  if (usable === undefined) return undefined;
  const fit = logP95Fit(usable, CONFIDENCE);
  return { slopePerMinute: fit.slope, se: fit.se, df: fit.df, blocks: usable.points.length };
}

/**
 * The trend of a run (or a step) over its measured blocks. Blocks with fewer than
 * `MIN_BLOCK_REQUESTS` requests are left out; undefined when fewer than `MIN_TREND_BLOCKS`
 * remain (the caller says why). `significant` is the one-sided test of growth at `alpha`; the
 * intervals are two-sided 95%, so at the default alpha a `low` above 0 means significant, but a
 * significant growth may have a `low` a little below 0.
 */
export function analyzeTrend(series: BlockSeries, options: TrendOptions = {}): TrendAnswer | undefined {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 0.5)) throw new RangeError(`alpha must be between 0 and 0.5 (got ${alpha})`);
  const usable = usableBlocks(series);
  if (usable === undefined) return undefined;
  const p95 = logP95Fit(usable, CONFIDENCE);
  const answer: TrendAnswer = {
    p95PctPerMinute: {
      estimate: percentFromLog(p95.slope),
      low: percentFromLog(p95.low),
      high: percentFromLog(p95.high),
    },
    significant: p95.pValueGreater < alpha,
    pValue: p95.pValueGreater,
    blocks: usable.points.length,
    method: methodName(p95),
    logSlopePerMinute: { estimate: p95.slope, se: p95.se, df: p95.df },
  };
  const errors = usable.points.reduce((sum, p) => sum + p.errors, 0);
  if (errors > 0) {
    const rates = hacSlope(
      usable.points.map((p) => p.errors / p.requests),
      usable.minutes,
      { confidence: CONFIDENCE },
    );
    answer.errorRatePointsPerMinute = percentagePoints(rates);
  }
  return answer;
}

/** A slope of ln p95 per minute as the percent change of p95 in a minute. */
/**
 * Past a billionfold a minute, a growth says all it can: a short run of steep, noisy blocks can
 * fit a log slope whose exponential is beyond any JSON number, and the answer must stay one.
 */
const MAX_LOG_SLOPE = Math.log(1e9);

function percentFromLog(slope: number): number {
  return Math.expm1(Math.min(slope, MAX_LOG_SLOPE)) * 100;
}

function percentagePoints(fit: HacSlope): Interval {
  return { estimate: fit.slope * 100, low: fit.low * 100, high: fit.high * 100 };
}

function methodName(fit: HacSlope): string {
  if (fit.autocorrelation === 0) return `EWC, ν=${fit.nu}, t with ${fit.nu} df`;
  return `EWC, ν=${fit.nu}, allowing autocorrelation ${fit.autocorrelation.toFixed(2)}: t with ${fit.df.toFixed(1)} df`;
}
