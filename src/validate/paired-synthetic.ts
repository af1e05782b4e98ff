import { PairedTimeline, type Arm, type PairingSettings } from '../record/paired-layout.js';
import { countsFromIndexes, type LatencyCounts } from '../record/latency-counts.js';
import { PAIRED_SCHEMA, type PairedRecord } from '../record/paired-record-types.js';
import type { Random } from '../stats/seeded-random.js';
import { drawSecond, sharedSlowdown, stepScale, syntheticRecord, type Regression, type SyntheticModel } from './synthetic-runs.js';

/**
 * Paired records (`tailgate.paired/v1`) drawn from the stochastic model of `synthetic-runs.ts`,
 * laid out as paired mode runs: the measured seconds cut into blocks given to head or base in the
 * schedule's order (ABBA or seeded pairs), a settle after each switch of target loaded and not
 * measured, time advancing in ticks of the schedule's finest unit. What the two arms share is what one runner, one network and one hour give both:
 * - the per-second slowdown (AR(1) on the log scale) and any burst hit whichever arm is loaded
 *   at that second: adjacent blocks share part of it, so pairing cancels part of it;
 * - the run-level offset (`runSigma`) is the same for both arms: it cancels in every pair;
 * - single latencies and Poisson arrivals (at each step's rate over the tick) are each arm's own.
 * A regression slows the head arm only, by its factor all run long or, as a ramp, by a slowdown
 * that grows from none at the start to the factor at the end.
 */
export interface SyntheticPairedOptions {
  /** `durationSeconds` is the measured period (no warm-up); `blockMs` (the recorded block) must divide a second. */
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
  const recordMs = model.blockMs;
  if (!(recordMs > 0 && 1000 % recordMs === 0)) throw new RangeError(`synthetic paired runs record blocks that divide a second (got ${recordMs} ms)`);
  const seconds = Math.max(1, Math.round(model.durationSeconds));
  const timeline = new PairedTimeline(0, seconds * 1000, recordMs, pairing);
  const runOffset = model.runSigma * random.normal();
  const slowdown = sharedSlowdown(model, random, seconds);
  const latencies: Record<Arm, Record<string, number[][]>> = { head: {}, base: {} };
  for (const arm of ['head', 'base'] as const) for (const step of model.steps) latencies[arm][step.name] = [];
  const totalRate = model.steps.reduce((sum, step) => sum + step.rate, 0);
  // Time advances in ticks that every block, settle and recorded block is a whole number of.
  const tick = gcd(gcd(gcd(1000, recordMs), pairing.blockMs), pairing.settleMs || 1000);
  let excludedMs = 0;
  for (let t = 0; t < seconds * 1000; t += tick) {
    const index = timeline.armAt(t);
    const arm: Arm = index === 0 ? 'head' : 'base';
    const local = timeline.localOffset(index, t);
    if (local === undefined) {
      excludedMs += tick;
      continue;
    }
    const block = Math.floor(local / recordMs);
    for (const step of model.steps) {
      const blocks = latencies[arm][step.name] as number[][];
      while (blocks.length <= block) blocks.push([]);
      drawSecond(random, (step.rate * tick) / 1000, stepScale(step, runOffset, arm === 'head' ? regression : undefined, (t + tick / 2) / (seconds * 1000), Math.floor(t / 1000)) + (slowdown[Math.floor(t / 1000)] as number), model.requestSigma, blocks[block] as number[]);
    }
  }
  const record = (arm: Arm) => {
    const blocks: Record<string, LatencyCounts[]> = {};
    for (const step of model.steps) blocks[step.name] = (latencies[arm][step.name] as number[][]).map((indexes) => countsFromIndexes(indexes));
    const measured = blocks[model.steps[0]?.name ?? '']?.length ?? 0;
    return syntheticRecord({ model, blocks, blockMs: recordMs, measuredMs: measured * recordMs, sequence, target: arm === 'head' ? SYNTHETIC_HEAD_TARGET : SYNTHETIC_BASE_TARGET });
  };
  return {
    schema: PAIRED_SCHEMA,
    meta: {
      pairing: { order: pairing.order, seed: pairing.seed, blockMs: pairing.blockMs, settleMs: pairing.settleMs, settleAt: 'switch', excludedRequests: Math.round((excludedMs / 1000) * totalRate) },
    },
    order: [...timeline.order],
    head: record('head'),
    base: record('base'),
  };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
