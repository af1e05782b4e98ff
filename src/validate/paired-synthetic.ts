import { PairedTimeline, type Arm, type PairingSettings } from '../engine/paired-schedule.js';
import { countsFromIndexes, type LatencyCounts } from '../record/latency-counts.js';
import { PAIRED_SCHEMA, type PairedRecord } from '../record/paired-record-types.js';
import type { Random } from '../stats/seeded-random.js';
import { drawSecond, sharedSlowdown, stepScale, syntheticRecord, type Regression, type SyntheticModel } from './synthetic-runs.js';

/**
 * Paired records (`tailgate.paired/v1`) drawn from the stochastic model of `synthetic-runs.ts`,
 * laid out as paired mode runs: the measured seconds cut into blocks given to head or base in the
 * schedule's order (ABBA or seeded pairs), the first seconds of each block a settle, loaded and not
 * measured. What the two arms share is what one runner, one network and one hour give both:
 * - the per-second slowdown (AR(1) on the log scale) and any burst hit whichever arm is loaded
 *   at that second: adjacent blocks share part of it, so pairing cancels part of it;
 * - the run-level offset (`runSigma`) is the same for both arms: it cancels in every pair;
 * - single latencies and Poisson arrivals are each arm's own.
 * A regression slows the head arm only.
 */
export interface SyntheticPairedOptions {
  /** `durationSeconds` is the measured period (no warm-up); `blockMs` must be 1000. */
  model: SyntheticModel;
  pairing: PairingSettings;
  random: Random;
  regression?: Regression;
  /** Orders runs in time, as in `syntheticRun`. */
  sequence: number;
}

export const SYNTHETIC_HEAD_TARGET = 'http://127.0.0.1:3001';
export const SYNTHETIC_BASE_TARGET = 'http://127.0.0.1:3000';

/** One paired run drawn from the model. */
export function syntheticPairedRun({ model, pairing, random, regression, sequence }: SyntheticPairedOptions): PairedRecord {
  if (model.blockMs !== 1000) throw new RangeError(`synthetic paired runs record 1 s blocks (got ${model.blockMs} ms)`);
  const seconds = Math.max(1, Math.round(model.durationSeconds));
  const timeline = new PairedTimeline(0, seconds * 1000, 1000, pairing);
  const runOffset = model.runSigma * random.normal();
  const slowdown = sharedSlowdown(model, random, seconds);
  const blockSeconds = pairing.blockMs / 1000;
  const settleSeconds = pairing.settleMs / 1000;
  const blocks: Record<Arm, Record<string, LatencyCounts[]>> = { head: {}, base: {} };
  for (const arm of ['head', 'base'] as const) for (const step of model.steps) blocks[arm][step.name] = [];
  const totalRate = model.steps.reduce((sum, step) => sum + step.rate, 0);
  let excludedSeconds = 0;
  for (let s = 0; s < seconds; s++) {
    const block = Math.floor(s / blockSeconds);
    const arm = timeline.order[block];
    if (arm === undefined || s - block * blockSeconds < settleSeconds) {
      excludedSeconds++;
      continue;
    }
    for (const step of model.steps) {
      const indexes: number[] = [];
      drawSecond(random, step.rate, stepScale(step, runOffset, arm === 'head' ? regression : undefined) + (slowdown[s] as number), model.requestSigma, indexes);
      (blocks[arm][step.name] as LatencyCounts[]).push(countsFromIndexes(indexes));
    }
  }
  const record = (arm: Arm) => {
    const measured = blocks[arm][model.steps[0]?.name ?? '']?.length ?? 0;
    return syntheticRecord({ model, blocks: blocks[arm], blockMs: 1000, measuredMs: measured * 1000, sequence, target: arm === 'head' ? SYNTHETIC_HEAD_TARGET : SYNTHETIC_BASE_TARGET });
  };
  return {
    schema: PAIRED_SCHEMA,
    meta: { pairing: { order: pairing.order, seed: pairing.seed, blockMs: pairing.blockMs, settleMs: pairing.settleMs, excludedRequests: Math.round(excludedSeconds * totalRate) } },
    order: [...timeline.order],
    head: record('head'),
    base: record('base'),
  };
}
