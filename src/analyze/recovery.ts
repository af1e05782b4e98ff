import { median, medianAbsoluteDeviation, quantileSorted } from 'simple-statistics';
import type { PlannedLevel } from '../record/run-record-types.js';
import { clopperPearson } from '../stats/binomial-interval.js';
import { binomialUpperTail } from '../stats/binomial-test.js';
import { normalQuantile } from '../stats/normal.js';
import { seededRandom } from '../stats/seeded-random.js';
import type { SurgeRecovery } from './analysis-types.js';
import type { BlockPoint, BlockSeries } from './block-series.js';
import { holdsOf, sameLevel, type Hold } from './planned-curve.js';

/**
 * Recovery from a surge: where the planned load surged, and how many seconds after the surge the
 * target's block p95 and error rate were back to what they were before it (docs/analyze.md,
 * "Recovery from a surge").
 *
 * A surge is found on the planned curve, not in the measurements: between two holds (stretches
 * where the planned level stays put, above zero), the hold before and the hold after, a stretch
 * that never falls below the lower of the two and peaks at least `surgeRatio` times the higher.
 * It starts where the hold before ends and ends where the hold after begins (ramps included).
 *
 * A block after the surge is back when its p95 is within the allowance of the level before
 * (the median block p95 of the hold before) and its errors are no more than the rate before
 * allows; recovery is the first of `stayBlocks` blocks in a row that are back. The crossing lies
 * in the last block not back, so the estimate is that block's middle and its interval the block;
 * a bootstrap over the blocks before (seeded, so the same record gives the same answer) widens it
 * by the uncertainty of the level before.
 */

export interface RecoveryOptions {
  /** Least allowance above the p95 before the surge, percent (the blocks' own spread wins when larger). */
  allowancePct?: number;
  /** Seed of the bootstrap over the blocks before the surge. */
  seed?: number;
  /** How many times the levels around it a surge's peak must be. */
  surgeRatio?: number;
}

export const RECOVERY_DEFAULTS = { allowancePct: 20, seed: 1, surgeRatio: 2 } as const;

/** Blocks in a row that must be back before the target counts as recovered. */
export const STAY_BLOCKS = 2;
/** Blocks at the level before a surge needed to judge a recovery from it. */
export const MIN_BEFORE_BLOCKS = 3;
const BOOTSTRAP_SAMPLES = 1000;
/**
 * The spread of the blocks before: a block at the level before stays under the limit with this
 * chance, its log p95 taken as normal with the blocks' robust spread (1.4826 × MAD), so a block
 * back at that level is seldom taken for one still out.
 */
const BLOCK_PASS = 0.99;
/** A block's errors are too many when the rate before (its 95% upper bound) gives that many or more less often than this. */
const ERROR_ALPHA = 0.01;
/** A block p95 tolerates 5% of its requests above it: the crossing may lie that far into the first block back. */
const P95_TAIL = 0.05;

/** A surge on the planned curve, between the hold before and the hold after it. */
export interface Surge {
  before: Hold;
  after: Hold;
  peak: number;
}

/** The surges of a planned curve (see the file's comment), in order; each hold after one may be the hold before the next. */
export function findSurges(curve: readonly PlannedLevel[], surgeRatio: number = RECOVERY_DEFAULTS.surgeRatio): Surge[] {
  const holds = holdsOf(curve);
  const surges: Surge[] = [];
  let i = 0;
  while (i < holds.length) {
    const found = surgeFrom(curve, holds, i, surgeRatio);
    if (found === undefined) {
      i++;
      continue;
    }
    surges.push(found.surge);
    i = found.afterIndex;
  }
  return surges;
}

function surgeFrom(curve: readonly PlannedLevel[], holds: readonly Hold[], i: number, surgeRatio: number): { surge: Surge; afterIndex: number } | undefined {
  const before = holds[i] as Hold;
  if (before.level <= 0) return undefined;
  for (let j = i + 1; j < holds.length; j++) {
    const after = holds[j] as Hold;
    if (after.level <= 0) return undefined;
    const between = curve.filter((p) => p.atMs >= before.endMs && p.atMs <= after.startMs).map((p) => p.target);
    if (between.some((level) => level < Math.min(before.level, after.level) && !sameLevel(level, Math.min(before.level, after.level)))) continue;
    const peak = Math.max(...between);
    if (peak >= surgeRatio * Math.max(before.level, after.level) * (1 - 1e-9)) return { surge: { before, after, peak }, afterIndex: j };
  }
  return undefined;
}


/**
 * The surges of a run's planned curve (`runPlanned`, from the run's start, as runPlannedCurve
 * gives it) and the recovery from each, judged on the run's blocks (`series`).
 */
export function analyzeRecovery(series: BlockSeries, runPlanned: readonly PlannedLevel[], options: RecoveryOptions = {}): SurgeRecovery[] {
  const settings = {
    allowancePct: options.allowancePct ?? RECOVERY_DEFAULTS.allowancePct,
    seed: options.seed ?? RECOVERY_DEFAULTS.seed,
    surgeRatio: options.surgeRatio ?? RECOVERY_DEFAULTS.surgeRatio,
  };
  if (!(settings.allowancePct >= 0) || !(settings.surgeRatio > 1)) throw new RangeError(`recovery needs allowancePct ≥ 0 and surgeRatio > 1 (got ${settings.allowancePct}, ${settings.surgeRatio})`);
  const results: SurgeRecovery[] = [];
  let previous: { surge: Surge; recoveredByMs: number | null } | undefined;
  for (const surge of findSurges(runPlanned, settings.surgeRatio)) {
    const measuredEndMs = series.points.length > 0 ? (series.points[series.points.length - 1] as BlockPoint).endMs : 0;
    if (surge.after.startMs - series.warmupMs <= 0 || surge.before.endMs - series.warmupMs >= measuredEndMs) continue;
    // A hold after one surge and before the next is clean only once the target recovered from the first.
    const cleanFromMs = previous?.surge.after === surge.before ? (previous.recoveredByMs ?? Number.POSITIVE_INFINITY) : Number.NEGATIVE_INFINITY;
    const result = recoveryFrom(series, surge, cleanFromMs, settings);
    results.push(result);
    previous = { surge, recoveredByMs: result.seconds ? result.surgeEndMs + result.seconds.high * 1000 : null };
  }
  return results;
}

function recoveryFrom(series: BlockSeries, surge: Surge, cleanFromMs: number, settings: Required<RecoveryOptions>): SurgeRecovery {
  const warmup = series.warmupMs;
  // A surge that began in the warm-up is reported from the measured period's start.
  const surgeStartMs = Math.max(0, surge.before.endMs - warmup);
  const surgeEndMs = surge.after.startMs - warmup;
  const lastEndMs = series.points.length > 0 ? (series.points[series.points.length - 1] as BlockPoint).endMs : 0;
  const watchedUntilMs = Math.min(surge.after.endMs - warmup, lastEndMs);
  const observedSeconds = Math.max(0, watchedUntilMs - surgeEndMs) / 1000;

  const beforeBlocks = series.points.filter(
    (p) => p.startMs + warmup >= surge.before.startMs && p.endMs + warmup <= surge.before.endMs && p.startMs >= cleanFromMs && p.p95Ms !== null,
  );
  const during = series.points.filter((p) => p.endMs > surgeStartMs && p.startMs < surgeEndMs);
  const watched = series.points.filter((p) => p.endMs > surgeEndMs && p.endMs <= watchedUntilMs + 1e-9);
  const surgeErrors = during.reduce((sum, p) => sum + p.errors, 0);
  const surgeRequests = during.reduce((sum, p) => sum + p.requests, 0);
  const peaks = [...during, ...watched].map((p) => p.p95Ms).filter((v): v is number => v !== null);

  const base = {
    surgeOffered: surge.peak,
    beforeOffered: surge.before.level,
    surgeStartMs,
    surgeEndMs,
    observedSeconds,
    p95PeakMs: peaks.length > 0 ? Math.max(...peaks) : null,
    beforeBlocks: beforeBlocks.length,
    surgeErrors,
    surgeErrorRate: surgeRequests > 0 ? surgeErrors / surgeRequests : 0,
  };
  if (beforeBlocks.length < MIN_BEFORE_BLOCKS) {
    const why =
      cleanFromMs === Number.POSITIVE_INFINITY
        ? 'the target had not recovered from the surge before this one, so there is no level to return to'
        : `${beforeBlocks.length} block(s) with requests at the level before the surge, ${MIN_BEFORE_BLOCKS} needed (a longer hold before it, or a shorter warm-up)`;
    return { ...base, seconds: null, recovered: false, p95BeforeMs: beforeBlocks.length > 0 ? median(p95s(beforeBlocks)) : null, note: `not judged: ${why}` };
  }

  const before = p95s(beforeBlocks);
  const level = p95Limit(before, settings.allowancePct);
  const errorsBack = errorsWithin(beforeBlocks, watched);
  const point = bracket(watched, backFlags(watched, level.limitMs, errorsBack), surgeEndMs);
  const common = { ...base, p95BeforeMs: level.medianMs, allowancePct: round2(level.allowancePct), p95LimitMs: level.limitMs };
  if (point === null) {
    const what = errorsBack.every((ok) => ok) ? `block p95 under ${round2(level.limitMs)} ms` : `block p95 under ${round2(level.limitMs)} ms and errors at the rate before`;
    return { ...common, seconds: null, recovered: false, note: `not back within the ${round2(observedSeconds)} s watched after the surge (${STAY_BLOCKS} blocks in a row with ${what})` };
  }

  const random = seededRandom(settings.seed);
  const lows: number[] = [];
  const highs: number[] = [];
  for (let b = 0; b < BOOTSTRAP_SAMPLES; b++) {
    const resample = before.map(() => before[Math.floor(random.next() * before.length)] as number);
    const found = bracket(watched, backFlags(watched, p95Limit(resample, settings.allowancePct).limitMs, errorsBack), surgeEndMs);
    lows.push(found ? found.low : observedSeconds);
    highs.push(found ? found.high : observedSeconds);
  }
  lows.sort((x, y) => x - y);
  highs.sort((x, y) => x - y);
  const low = Math.min(point.low, quantileSorted(lows, 0.025));
  const high = Math.min(observedSeconds, Math.max(point.high, quantileSorted(highs, 0.975)));
  return { ...common, seconds: { estimate: round3(point.estimate), low: round3(low), high: round3(Math.max(high, point.estimate)) }, recovered: true };
}

function p95s(points: readonly BlockPoint[]): number[] {
  return points.map((p) => p.p95Ms as number);
}

/** The level before (median block p95) and the block p95 allowed after: the larger of the allowance and the blocks' own spread above it. */
function p95Limit(before: readonly number[], allowancePct: number): { medianMs: number; allowancePct: number; limitMs: number } {
  const medianMs = median(before as number[]);
  const logs = before.map((ms) => Math.log(Math.max(ms, 1e-3)));
  const spreadPct = (Math.exp(normalQuantile(BLOCK_PASS) * 1.4826 * medianAbsoluteDeviation(logs)) - 1) * 100;
  const pct = Math.max(allowancePct, spreadPct);
  return { medianMs, allowancePct: pct, limitMs: medianMs * (1 + pct / 100) };
}

/**
 * Per watched block, whether its errors are within what the rate before allows: the rate's 95%
 * upper bound (Clopper–Pearson, so a rate of none before still allows a stray error) gives that
 * many errors or more with chance ERROR_ALPHA or better.
 */
function errorsWithin(before: readonly BlockPoint[], watched: readonly BlockPoint[]): boolean[] {
  const requests = before.reduce((sum, p) => sum + p.requests, 0);
  const errors = before.reduce((sum, p) => sum + p.errors, 0);
  const rate = clopperPearson(errors, requests).high;
  return watched.map((p) => p.requests > 0 && binomialUpperTail(p.errors, p.requests, rate) >= ERROR_ALPHA);
}

function backFlags(watched: readonly BlockPoint[], limitMs: number, errorsBack: readonly boolean[]): boolean[] {
  return watched.map((p, i) => p.p95Ms !== null && p.p95Ms <= limitMs && (errorsBack[i] ?? false));
}

/**
 * Seconds from the surge's end to the first of STAY_BLOCKS blocks in a row that are back, as the
 * block resolution allows: the crossing lies in the last block not back (from its start, or the
 * surge's end, to the first block back, plus the 5% of a block a p95 lets through); none yet back
 * gives null. Already back in the first block watched is 0 s.
 */
function bracket(watched: readonly BlockPoint[], back: readonly boolean[], surgeEndMs: number): { estimate: number; low: number; high: number } | null {
  for (let k = 0; k + STAY_BLOCKS <= watched.length; k++) {
    if (!back.slice(k, k + STAY_BLOCKS).every((ok) => ok)) continue;
    const first = watched[k] as BlockPoint;
    const high = Math.max(0, first.startMs + P95_TAIL * (first.endMs - first.startMs) - surgeEndMs) / 1000;
    if (k === 0) return { estimate: 0, low: 0, high };
    const lastOut = watched[k - 1] as BlockPoint;
    const from = Math.max(lastOut.startMs, surgeEndMs);
    return { estimate: ((from + first.startMs) / 2 - surgeEndMs) / 1000, low: (from - surgeEndMs) / 1000, high };
  }
  return null;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
