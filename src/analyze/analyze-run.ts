import type { CapacityPlan } from '../config/capacity-config.js';
import type { ProfileThreshold } from '../config/profile-types.js';
import type { PlannedLevel, RunRecord } from '../record/run-record-types.js';
import { ANALYSIS_SCHEMA, type Analysis } from './analysis-types.js';
import { blockSeries, type BlockPoint, type BlockSeries } from './block-series.js';
import { holdsOf, runPlannedCurve, type Hold } from './planned-curve.js';
import { analyzeCapacity } from './capacity.js';
import { capacityLimitsFrom } from './capacity-limits.js';
import { analyzeRecovery } from './recovery.js';
import { analyzeTrend, MIN_TREND_BLOCKS } from './trend.js';

/**
 * The questions a run's shape asks, answered from its record (docs/analyze.md): a load that rises
 * through levels asks where the target breaks; a surge asks how fast it recovers; a steady load
 * asks whether it slowly gets worse. Plain data in, plain data out; the report renders it.
 */

export interface AnalyzeOptions {
  /** The profile's thresholds: its overall p95 and error-rate limits judge each level of a rising load. */
  thresholds?: readonly ProfileThreshold[];
  /** The profile's capacity plan. */
  plan?: CapacityPlan;
  /** Seed of the bootstraps (default 1): the same record gives the same answers. */
  seed?: number;
}

/** A hold of the planned load over at least this share of the measured period makes a steady run. */
const STEADY_SHARE = 0.6;

export function analyzeRun(run: RunRecord, options: AnalyzeOptions = {}): Analysis {
  return analyzeSeries(blockSeries(run), runPlannedCurve(run), run.meta, options);
}

/**
 * The same answers from a run's blocks and planned curve however they were read (a run's own, or
 * one target of a paired run on the run's clock: `paired-arms.ts`). `period`: the warm-up and the
 * measured period the blocks lie in, milliseconds.
 */
export function analyzeSeries(series: BlockSeries, curve: readonly PlannedLevel[], period: { warmupMs: number; measuredMs: number }, options: AnalyzeOptions = {}): Analysis {
  const seed = options.seed ?? 1;
  const notes: string[] = [];
  const recovery = analyzeRecovery(series, curve, { seed });
  const capacity = analyzeCapacity(series, { ...capacityLimitsFrom(options.thresholds ?? []), ...(options.plan ? { plan: options.plan } : {}), seed });
  const { warmupMs, measuredMs } = period;
  const hold = longestHold(curve, warmupMs, warmupMs + measuredMs);
  const steady = hold !== undefined && hold.endMs - hold.startMs >= STEADY_SHARE * measuredMs;
  const shape: Analysis['shape'] = recovery.length > 0 ? 'surge' : capacity ? 'rising' : steady ? 'steady' : 'other';
  if (options.plan && !capacity) notes.push('The profile plans capacity, but the load did not rise through three levels or more, so no capacity was measured: a stress profile (stages that step the load up) finds it.');
  // A trend over a load that changes would read the load's effect as a slow burn: only the blocks of the hold count.
  const inHold = (p: BlockPoint): boolean => hold !== undefined && warmupMs + p.startMs >= hold.startMs && warmupMs + p.endMs <= hold.endMs;
  const held = { ...series, points: series.points.filter(inHold) };
  const trend = shape === 'steady' ? analyzeTrend(held) : undefined;
  if (shape === 'steady' && !trend) {
    notes.push(`The slow burn needs at least ${MIN_TREND_BLOCKS} blocks with enough requests at a steady load; this run has ${held.points.length} at its steady level. A longer run (a soak) answers it.`);
  }
  return {
    schema: ANALYSIS_SCHEMA,
    shape,
    ...(capacity ? { capacity } : {}),
    recovery,
    ...(trend ? { trend } : {}),
    notes,
  };
}

/** The longest stretch where the planned load held one level, within the measured period (`fromMs`–`toMs` from the run's start). */
function longestHold(curve: readonly PlannedLevel[], fromMs: number, toMs: number): Hold | undefined {
  let longest: Hold | undefined;
  for (const hold of holdsOf(curve)) {
    const clipped = { ...hold, startMs: Math.max(hold.startMs, fromMs), endMs: Math.min(hold.endMs, toMs) };
    if (clipped.endMs > clipped.startMs && (longest === undefined || clipped.endMs - clipped.startMs > longest.endMs - longest.startMs)) longest = clipped;
  }
  return longest;
}
