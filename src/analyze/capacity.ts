import { median, quantileSorted } from 'simple-statistics';
import type { CapacityPlan } from '../config/capacity-config.js';
import { isotonicIncreasing } from '../stats/isotonic.js';
import { normalQuantile } from '../stats/normal.js';
import { seededRandom, type Random } from '../stats/seeded-random.js';
import { studentTQuantile } from '../stats/student-t.js';
import { fitUsl } from '../stats/usl.js';
import type { CapacityAnswer, Interval, LoadLevel, LoadUnit, UslFit } from './analysis-types.js';
import type { BlockPoint, BlockSeries } from './block-series.js';
import { queueTrend, resampleTurns } from './turn-trend.js';

/**
 * The breaking point of a rising load (docs/analyze.md, "Breaking point"): the run's blocks
 * grouped into the levels of load it held, each judged kept up or not, and from them the highest
 * load the target sustains, where p95 crosses the profile's limit, what gave out first, the
 * Universal Scalability Law for a VU ramp, and the instances a planned load needs.
 */

export type { CapacityPlan };

export interface CapacityLimits {
  /** The profile's overall p95 limit on http_req_duration, milliseconds. */
  p95Ms?: number;
  /** The profile's overall limit on http_req_failed, a fraction. */
  errorRate?: number;
  /** Throughput at least this share of what was expected counts as kept up (default 0.98). */
  keepUpRatio?: number;
  plan?: CapacityPlan;
  /** Seed of the bootstrap (default 1): the same record gives the same intervals. */
  seed?: number;
}

/** The rules of "kept up" and the bootstrap, with their defaults. */
export const CAPACITY_RULES = {
  keepUpRatio: 0.98,
  /** Iterations dropped (no free VU) beyond this share of those due. */
  droppedShare: 0.01,
  /** Without an error-rate limit: a rise of the error rate beyond the lowest levels' by this much. */
  errorRise: 0.01,
  /** A growing queue: block p95 rising over the level by more than this share of the lowest levels' p95, */
  queueGrowthShare: 0.5,
  /** and by more than this many milliseconds, */
  queueGrowthFloorMs: 2,
  /** and, in a level of queueTrendBlocks blocks or more, rising steadily: Kendall's tau of block p95 against time at least this (6 blocks: 12 of 15 pairs rising). */
  queueTrendTau: 0.6,
  queueTrendBlocks: 5,
  /** Blocks in a group on a continuous ramp (fewer on short ramps). */
  rampGroupBlocks: 3,
  /** The USL is reported past its peak only: the highest levels beyond it served this much less than the best. */
  uslDecline: 0.03,
  replicates: 1000,
  confidence: 0.95,
} as const;

/** A level as judged, with what the estimates need beside the reported fields. */
interface JudgedLevel extends LoadLevel {
  servedRps: number;
  /** Requests a second of load: expected (open model) or achieved (closed model); the SLO crossing's axis. */
  loadRps: number;
  blocks: number;
  /** Mean VUs over the level (measured, else planned). */
  vuMean: number;
  /** The level shows the target at its limit: a growing queue, dropped iterations or too little throughput. */
  saturated: boolean;
  givenOut: Set<'latency' | 'errors' | 'throughput'>;
}

interface Judged {
  levels: JudgedLevel[];
  /** Closed model: requests a second one VU made at the lowest levels. */
  perVuRps: number | undefined;
}

interface Rules {
  unit: LoadUnit;
  keepUpRatio: number;
  p95Ms: number | undefined;
  errorRate: number | undefined;
}

/** Undefined when the planned load did not rise through 3 levels or more (the caller says so). */
export function analyzeCapacity(series: BlockSeries, limits: CapacityLimits): CapacityAnswer | undefined {
  const groups = levelGroups(series.points);
  if (distinctLevels(groups) < 3) return undefined;
  const rules: Rules = { unit: series.unit, keepUpRatio: limits.keepUpRatio ?? CAPACITY_RULES.keepUpRatio, p95Ms: limits.p95Ms, errorRate: limits.errorRate };
  const judged = judge(groups, rules);
  const { levels } = judged;
  const notes: string[] = [];

  const point = sustainable(levels);
  const crossingPoint = rules.p95Ms === undefined ? undefined : crossing(levels, rules.p95Ms);

  const random = seededRandom(limits.seed ?? 1);
  const sustainableDraws: number[] = [];
  const crossingDraws: number[] = [];
  for (let r = 0; r < CAPACITY_RULES.replicates; r++) {
    const replicate = judge(
      groups.map((blocks) => resampleTurns(blocks, random) ?? resample(blocks, random)),
      rules,
    );
    sustainableDraws.push(sustainable(replicate.levels).estimate ?? 0);
    if (rules.p95Ms !== undefined) crossingDraws.push(crossingValue(crossing(expanded(replicate.levels, levels), rules.p95Ms)));
  }

  const sustainableRps = point.estimate === null ? null : interval(point.estimate, sustainableDraws);
  if (point.estimate === null) notes.push('the target did not keep up even at the lowest load tried');

  let sloCrossingRps: Interval | null = null;
  if (crossingPoint === 'below') notes.push(`p95 was over the ${rules.p95Ms} ms limit from the lowest load tried`);
  else if (typeof crossingPoint === 'number') {
    const top = Math.max(...levels.map((l) => l.loadRps));
    const bounded = crossingDraws.map((v) => Math.min(Math.max(v, 0), top));
    sloCrossingRps = interval(crossingPoint, bounded);
    if (crossingDraws.filter((v) => v === Number.POSITIVE_INFINITY).length > crossingDraws.length * ((1 - CAPACITY_RULES.confidence) / 2)) {
      notes.push('the SLO crossing’s upper bound lies beyond the highest load tried');
    }
  }

  const answer: CapacityAnswer = {
    unit: series.unit,
    sustainableRps,
    sloCrossingRps,
    atLeast: point.atLeast,
    levels: levels.map(reported),
  };
  const breaking = point.breaking === undefined ? undefined : levels[point.breaking];
  if (breaking && point.breaking !== undefined) {
    answer.limitedBy = breaking.givenOut.has('latency') ? 'latency' : breaking.givenOut.has('errors') ? 'errors' : 'throughput';
    answer.breakingLevel = point.breaking;
  }
  if (point.atLeast) notes.push('the target kept up at the highest load tried: its capacity is at least that');

  if (series.unit === 'vus') {
    const usl = uslFit(levels);
    if (usl) answer.usl = usl;
  }
  if (limits.plan) {
    const plan = capacityPlanFor(limits.plan, sustainableRps, judged, point.atLeast, notes);
    if (plan) answer.plan = plan;
  }
  if (notes.length > 0) answer.notes = notes;
  return answer;
}

/**
 * The blocks of the rising part of the run (up to the end of its highest level), grouped into
 * levels: a flat stage's blocks together; on a ramp, a few consecutive blocks at a time.
 */
export function levelGroups(points: readonly BlockPoint[]): BlockPoint[][] {
  const loaded = points.filter((p) => p.planned !== null && p.planned > 0);
  if (loaded.length === 0) return [];
  const peak = Math.max(...loaded.map((p) => p.planned as number));
  const firstPeak = loaded.findIndex((p) => same(p.planned as number, peak));
  let end = firstPeak;
  while (end + 1 < loaded.length && same(loaded[end + 1]?.planned as number, peak)) end++;
  const rising = loaded.slice(0, end + 1);

  const runs: BlockPoint[][] = [];
  for (const point of rising) {
    const last = runs[runs.length - 1];
    if (last && same(last[0]?.planned as number, point.planned as number)) last.push(point);
    else runs.push([point]);
  }
  const groups: BlockPoint[][] = [];
  let ramp: BlockPoint[] = [];
  const flushRamp = (): void => {
    const size = Math.max(1, Math.min(CAPACITY_RULES.rampGroupBlocks, Math.floor(ramp.length / 3)));
    for (let i = 0; i < ramp.length; i += size) groups.push(ramp.slice(i, i + size));
    ramp = [];
  };
  for (const run of runs) {
    if (run.length >= 2) {
      flushRamp();
      groups.push(run);
    } else ramp.push(...run);
  }
  flushRamp();
  return groups;
}

function same(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b), 1e-9);
}

function distinctLevels(groups: readonly BlockPoint[][]): number {
  const offered = groups.map(meanPlanned).sort((a, b) => a - b);
  return offered.filter((v, i) => i === 0 || v > (offered[i - 1] as number) * 1.01).length;
}

function meanPlanned(blocks: readonly BlockPoint[]): number {
  const time = blocks.reduce((sum, b) => sum + (b.endMs - b.startMs), 0);
  return blocks.reduce((sum, b) => sum + (b.planned ?? 0) * (b.endMs - b.startMs), 0) / time;
}

function resample(blocks: readonly BlockPoint[], random: Random): BlockPoint[] {
  return blocks.map(() => blocks[Math.floor(random.next() * blocks.length)] as BlockPoint);
}

/** Each level measured and judged; the lowest third of the levels sets the scale of "kept up". */
function judge(groups: readonly BlockPoint[][], rules: Rules): Judged {
  const ordered = groups.map((blocks, i) => ({ blocks, i, offered: meanPlanned(blocks) })).sort((a, b) => a.offered - b.offered || a.i - b.i);
  const base = ordered.slice(0, Math.max(1, Math.floor(ordered.length / 3))).flatMap((g) => g.blocks);
  const baseRequests = sum(base, (b) => b.requests);
  const baseP95 = weightedP95(base) ?? 0;
  const baseErrorRate = baseRequests > 0 ? sum(base, (b) => b.errors) / baseRequests : 0;
  const baseStarted = sum(base, (b) => (b.due ?? 0) - (b.dropped ?? 0));
  const requestsPerIteration = baseStarted > 0 ? baseRequests / baseStarted : undefined;
  const baseVuSeconds = sum(base, (b) => vusOf(b) * seconds(b));
  const perVuRps = rules.unit === 'vus' && baseVuSeconds > 0 ? baseRequests / baseVuSeconds : undefined;
  const errorLimit = rules.errorRate ?? baseErrorRate + CAPACITY_RULES.errorRise;
  const growthAllowanceMs = Math.max(CAPACITY_RULES.queueGrowthShare * baseP95, CAPACITY_RULES.queueGrowthFloorMs);

  // Open model: a queue left by the level before drains only if this level keeps up.
  let queued = false;
  const levels = ordered.map(({ blocks, offered }): JudgedLevel => {
    const time = sum(blocks, seconds);
    const requests = sum(blocks, (b) => b.requests);
    const errors = sum(blocks, (b) => b.errors);
    const achievedRps = requests / time;
    const vuMean = sum(blocks, (b) => vusOf(b) * seconds(b)) / time;
    const p95Ms = weightedP95(blocks);
    const timed = blocks.filter((b) => b.p95Ms !== null);
    const { slope, tau, withinTurns } = queueTrend(blocks, { minPoints: 3, tauPoints: CAPACITY_RULES.queueTrendBlocks });
    const startMs = Math.min(...blocks.map((b) => b.startMs));
    const endMs = Math.max(...blocks.map((b) => b.endMs));
    const errorRate = requests > 0 ? errors / requests : 0;
    const reasons: string[] = [];
    const givenOut = new Set<'latency' | 'errors' | 'throughput'>();
    let saturated = false;

    let expectedRps: number | undefined;
    let due: number | undefined;
    let dropped: number | undefined;
    if (rules.unit === 'rps') {
      due = sum(blocks, (b) => b.due ?? 0);
      dropped = sum(blocks, (b) => b.dropped ?? 0);
      if (requestsPerIteration !== undefined) expectedRps = (due * requestsPerIteration) / time;
      if (due > 0 && dropped > CAPACITY_RULES.droppedShare * due) {
        reasons.push(`dropped ${dropped} of ${due} iterations (no free VU)`);
        givenOut.add('throughput');
        saturated = true;
      }
    } else if (perVuRps !== undefined) expectedRps = vuMean * perVuRps;
    if (expectedRps !== undefined && expectedRps > 0 && achievedRps < rules.keepUpRatio * expectedRps) {
      reasons.push(`served ${round(achievedRps)} requests a second of the ${round(expectedRps)} expected`);
      givenOut.add('throughput');
      saturated = true;
    }
    if (rules.p95Ms !== undefined && p95Ms !== null && p95Ms > rules.p95Ms) {
      reasons.push(`p95 ${round(p95Ms)} ms, over the ${rules.p95Ms} ms limit`);
      givenOut.add('latency');
    }
    // A queue grows without bound only when arrivals do not wait for answers (open model).
    const growthMs = slope === undefined ? 0 : slope * (endMs - startMs);
    // Within turns (paired mode) a slope rests on a few differences of two blocks, so the queue must
    // also grow fast enough that the target served less than the kept-up share of what it got.
    const fastEnough = !withinTurns || (slope !== undefined && 1 / (1 + slope) < rules.keepUpRatio);
    const growing = rules.unit === 'rps' && growthMs > growthAllowanceMs && (tau === undefined || tau >= CAPACITY_RULES.queueTrendTau) && fastEnough;
    if (growing) reasons.push(withinTurns ? `block p95 grew ${round((slope as number) * 1000)} ms a second while the target had the load (a growing queue)` : `block p95 grew ${round(growthMs)} ms over the level (a growing queue)`);
    const endP95 = lastP95(timed);
    const carried = rules.unit === 'rps' && !growing && queued && endP95 !== undefined && endP95 > baseP95 + growthAllowanceMs;
    if (carried) reasons.push(`the queue from the level before did not drain (block p95 ${round(endP95)} ms at the level's end)`);
    if (growing || carried) {
      givenOut.add('latency');
      saturated = true;
    }
    queued = growing || carried;
    if (requests > 0 && errorRate > errorLimit) {
      reasons.push(`error rate ${round(errorRate * 100)}%, over the ${round(errorLimit * 100)}% ${rules.errorRate === undefined ? 'allowed above the lowest levels' : 'limit'}`);
      givenOut.add('errors');
    }
    // Open model: requests count where they were due, so a queue growing at k ms a ms means the
    // target served achieved / (1 + k) a second (the excess waits); closed model: what it served.
    const servedRps = rules.unit === 'rps' && slope !== undefined ? achievedRps / (1 + Math.max(0, slope)) : achievedRps;

    const level: JudgedLevel = {
      startMs,
      endMs,
      offered,
      achievedRps,
      p95Ms,
      errorRate,
      keptUp: reasons.length === 0,
      reasons,
      servedRps,
      loadRps: rules.unit === 'rps' ? (expectedRps ?? achievedRps) : achievedRps,
      blocks: blocks.length,
      vuMean,
      saturated,
      givenOut,
    };
    if (due !== undefined) level.due = due;
    if (dropped !== undefined) level.dropped = dropped;
    if (expectedRps !== undefined) level.expectedRps = expectedRps;
    if (slope !== undefined && p95Ms !== null && p95Ms > 0) level.p95GrowthPctPerSecond = ((slope * 1000) / p95Ms) * 100;
    return level;
  });
  return { levels, perVuRps };
}

function reported(level: JudgedLevel): LoadLevel {
  const { loadRps: _load, blocks: _blocks, vuMean: _vus, saturated, givenOut: _given, servedRps, ...shown } = level;
  return saturated ? { ...shown, servedRps } : shown;
}

const sum = <T>(items: readonly T[], value: (item: T) => number): number => items.reduce((total, item) => total + value(item), 0);
const seconds = (b: BlockPoint): number => (b.endMs - b.startMs) / 1000;
const vusOf = (b: BlockPoint): number => (b.vus !== undefined && b.vus > 0 ? b.vus : (b.planned ?? 0));
const round = (v: number): number => Math.round(v * 10) / 10;

/** The p95 at a level's end: the median of its last (up to) 3 blocks' p95, by time. */
function lastP95(timed: readonly BlockPoint[]): number | undefined {
  const last = [...timed].sort((a, b) => a.startMs - b.startMs).slice(-3);
  return last.length > 0 ? median(last.map((b) => b.p95Ms as number)) : undefined;
}

/** The level's p95: the mean of its blocks' p95, weighted by their requests. */
function weightedP95(blocks: readonly BlockPoint[]): number | null {
  const timed = blocks.filter((b) => b.p95Ms !== null && b.requests > 0);
  const requests = sum(timed, (b) => b.requests);
  return requests > 0 ? sum(timed, (b) => (b.p95Ms as number) * b.requests) / requests : null;
}

/**
 * The highest load kept up with, in requests a second served. A target that cannot keep up with
 * a load cannot with more, so the levels are split once, into kept up below and not above, where
 * the fewest levels' own verdicts disagree (on a tie, the lower split): one noisy level neither
 * ends the ramp early nor lifts its top. When the level above the split shows the target at its
 * limit, the rate it served there (clamped between the two levels) says where in between its
 * capacity lies; otherwise the kept-up level's own rate.
 */
function sustainable(levels: readonly JudgedLevel[]): { estimate: number | null; atLeast: boolean; breaking: number | undefined } {
  const highest = keptUpFrontier(levels);
  const kept = levels[highest];
  const above = levels[highest + 1];
  if (above === undefined) return { estimate: kept ? kept.achievedRps : null, atLeast: kept !== undefined, breaking: undefined };
  const lower = kept ? kept.achievedRps : 0;
  if (!above.saturated) return { estimate: kept ? lower : null, atLeast: false, breaking: highest + 1 };
  const upper = Math.max(lower, above.expectedRps ?? above.achievedRps);
  return { estimate: Math.min(Math.max(above.servedRps, lower), upper), atLeast: false, breaking: highest + 1 };
}

/** The last level of the split's kept-up side (−1: none), levels in order of load. */
function keptUpFrontier(levels: readonly JudgedLevel[]): number {
  // disagreements(h) = levels not kept up at or below h + levels kept up above h.
  let disagreements = levels.filter((l) => l.keptUp).length;
  let best = { at: -1, disagreements };
  levels.forEach((level, i) => {
    disagreements += level.keptUp ? -1 : 1;
    if (disagreements < best.disagreements) best = { at: i, disagreements };
  });
  return best.at;
}

/**
 * Where the p95 crosses `limit` along the load (requests a second): the levels' p95 fitted
 * non-decreasing in load (isotonic, weighted by blocks), then interpolated linearly between the
 * last level under the limit and the first over it.
 */
function crossing(levels: readonly JudgedLevel[], limit: number): number | 'below' | 'never' {
  const timed = levels.filter((l) => l.p95Ms !== null);
  if (timed.length === 0) return 'never';
  const fitted = isotonicIncreasing(
    timed.map((l) => l.p95Ms as number),
    timed.map((l) => l.blocks),
  );
  const first = fitted.findIndex((v) => v > limit);
  if (first === -1) return 'never';
  if (first === 0) return 'below';
  const a = timed[first - 1] as JudgedLevel;
  const b = timed[first] as JudgedLevel;
  const fa = fitted[first - 1] as number;
  const fb = fitted[first] as number;
  return a.loadRps + ((limit - fa) / (fb - fa)) * (b.loadRps - a.loadRps);
}

/**
 * A level's p95 from a few blocks varies more than resampling those blocks shows: the bootstrap
 * spread of a mean of n is (n − 1)/n of its variance, and its tails are normal where a mean of
 * few is closer to Student's t. Each replicate level's p95 is moved away from the level's own
 * by sqrt(n / (n − 1)) · t(n − 1) / z, the expanded percentile interval (Hesterberg 2015).
 */
function expanded(replicate: readonly JudgedLevel[], original: readonly JudgedLevel[]): JudgedLevel[] {
  const z = normalQuantile(1 - (1 - CAPACITY_RULES.confidence) / 2);
  return replicate.map((level, i) => {
    const own = original[i];
    const n = level.blocks;
    if (own === undefined || own.p95Ms === null || level.p95Ms === null || n < 2) return level;
    const factor = Math.sqrt(n / (n - 1)) * (studentTQuantile(1 - (1 - CAPACITY_RULES.confidence) / 2, n - 1) / z);
    return { ...level, p95Ms: Math.max(0, own.p95Ms + factor * (level.p95Ms - own.p95Ms)) };
  });
}

function crossingValue(value: number | 'below' | 'never'): number {
  return value === 'never' ? Number.POSITIVE_INFINITY : value === 'below' ? 0 : value;
}

/** The estimate with the bootstrap's percentile interval (widened to hold the estimate). */
function interval(estimate: number, draws: readonly number[]): Interval {
  const sorted = [...draws].sort((a, b) => a - b);
  const tail = (1 - CAPACITY_RULES.confidence) / 2;
  return { estimate, low: Math.min(estimate, quantileSorted(sorted, tail)), high: Math.max(estimate, quantileSorted(sorted, 1 - tail)) };
}

/** A VU ramp's USL fit, when the ramp went past the concurrency of peak throughput and throughput fell there. */
function uslFit(levels: readonly JudgedLevel[]): UslFit | undefined {
  const points = levels.filter((l) => l.vuMean > 0).map((l) => ({ n: l.vuMean, x: l.achievedRps }));
  let fit;
  try {
    fit = fitUsl(points);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  // Past the peak: the (up to 3) highest levels beyond N* served less than the best 3 neighbouring
  // levels did, by uslDecline or more. A plateau, where throughput only stops rising, is no peak.
  const byN = [...points].sort((a, b) => a.n - b.n);
  const beyond = byN.filter((p) => p.n > fit.peakConcurrency).slice(-3);
  if (!Number.isFinite(fit.peakConcurrency) || beyond.length === 0) return undefined;
  const smoothed = byN.map((_, i) => {
    const window = byN.slice(Math.max(0, i - 1), i + 2);
    return sum(window, (p) => p.x) / window.length;
  });
  if (sum(beyond, (p) => p.x) / beyond.length > (1 - CAPACITY_RULES.uslDecline) * Math.max(...smoothed)) return undefined;
  return { lambda: fit.lambda, sigma: fit.sigma, kappa: fit.kappa, peakConcurrency: fit.peakConcurrency, peakRps: fit.peakThroughput, rSquared: fit.rSquared };
}

/**
 * Instances for the planned load: target ÷ (capacity of one × (1 − headroom)), rounded up. In
 * users, one instance's capacity is its sustainable rate divided by the rate one VU made while the
 * target kept up (the lowest levels): the users it serves at the latency of a quiet target.
 */
function capacityPlanFor(plan: CapacityPlan, capacity: Interval | null, judged: Judged, atLeast: boolean, notes: string[]): CapacityAnswer['plan'] | undefined {
  if (capacity === null) {
    notes.push('no capacity plan: no sustainable load was found');
    return undefined;
  }
  let perInstance = capacity;
  if (plan.unit === 'users') {
    if (judged.perVuRps === undefined || !(judged.perVuRps > 0)) {
      notes.push('no capacity plan in users: it needs a VU ramp (closed model); plan this run in rps');
      return undefined;
    }
    const perVu = judged.perVuRps;
    perInstance = { estimate: capacity.estimate / perVu, low: capacity.low / perVu, high: capacity.high / perVu };
  }
  if (!(perInstance.low > 0)) {
    notes.push('no capacity plan: the capacity’s interval reaches 0');
    return undefined;
  }
  const share = 1 - plan.headroomPct / 100;
  const instances = (per: number): number => Math.max(1, Math.ceil(plan.target / (per * share) - 1e-9));
  if (atLeast) notes.push('the capacity is a lower bound, so the instances are an upper bound');
  return {
    target: plan.target,
    unit: plan.unit,
    headroomPct: plan.headroomPct,
    instances: { estimate: instances(perInstance.estimate), low: instances(perInstance.high), high: instances(perInstance.low) },
  };
}
