import { median } from 'simple-statistics';
import { kendallTau, robustSlope } from '../stats/rank-trend.js';
import type { Random } from '../stats/seeded-random.js';
import type { BlockPoint } from './block-series.js';

/**
 * How block p95 rises with time over a level of load, read only where the target was loaded
 * without a pause. A run against one target is one stretch, and its level's blocks are compared
 * all with all. A target of a paired run is loaded in turns with the other target between them,
 * and a queue it built in one turn drains while the other is measured: across the level its block
 * p95 rises and falls back at every turn and shows no trend however far past its capacity it is.
 * So when the blocks carry their turn, only pairs of blocks of the same turn count: the slope is
 * the median of their slopes (Theil–Sen within turns) and the tau their concordance, which is how
 * fast the queue grew while the target had the load, as it would have grown over the level alone.
 */
export interface QueueTrend {
  /** Block p95 milliseconds gained per millisecond; undefined with fewer than `minPoints` blocks or no pair to compare. */
  slope?: number;
  /** Kendall's tau of block p95 against time, over the pairs compared; undefined with too few blocks (one target) or pairs (within turns). */
  tau?: number;
  /** The pairs were those within turns (the blocks carried them). */
  withinTurns: boolean;
}

/** Within turns, the concordance is judged from this many pairs on. */
export const TURN_TAU_PAIRS = 2;

export function queueTrend(blocks: readonly BlockPoint[], rules: { minPoints: number; tauPoints: number }): QueueTrend {
  const timed = blocks.filter((b) => b.p95Ms !== null);
  const x = timed.map((b) => (b.startMs + b.endMs) / 2);
  const y = timed.map((b) => b.p95Ms as number);
  if (!timed.some((b) => b.turn !== undefined)) {
    const trend: QueueTrend = { withinTurns: false };
    const slope = timed.length >= rules.minPoints ? robustSlope(x, y) : undefined;
    const tau = timed.length >= rules.tauPoints ? kendallTau(x, y) : undefined;
    if (slope !== undefined) trend.slope = slope;
    if (tau !== undefined) trend.tau = tau;
    return trend;
  }
  const slopes: number[] = [];
  let score = 0;
  for (let i = 0; i < timed.length; i++) {
    for (let j = i + 1; j < timed.length; j++) {
      if (timed[i]?.turn !== timed[j]?.turn) continue;
      const dx = (x[j] as number) - (x[i] as number);
      if (dx === 0) continue;
      const dy = (y[j] as number) - (y[i] as number);
      slopes.push(dy / dx);
      score += Math.sign(dx * dy);
    }
  }
  const trend: QueueTrend = { withinTurns: true };
  if (slopes.length > 0 && timed.length >= rules.minPoints) trend.slope = median(slopes);
  // Few pairs a level (two or three turns of two blocks), each a difference of two noisy block p95s:
  // a queue is taken as growing only when the pairs agree, as over a run of one target's level.
  if (slopes.length >= TURN_TAU_PAIRS) trend.tau = score / slopes.length;
  return trend;
}


/**
 * A bootstrap replicate of a level's blocks that keeps each turn whole: its turns drawn with
 * replacement, each draw a turn of its own. Undefined for blocks without turns (a run of one
 * target, resampled block by block). Drawn block by block, a paired level would lose the pairs its
 * queue is read from, and a level past capacity would read as kept up in many replicates.
 */
export function resampleTurns(blocks: readonly BlockPoint[], random: Random): BlockPoint[] | undefined {
  if (!blocks.some((b) => b.turn !== undefined)) return undefined;
  const turns = new Map<number | undefined, BlockPoint[]>();
  for (const block of blocks) turns.set(block.turn, [...(turns.get(block.turn) ?? []), block]);
  const all = [...turns.values()];
  return all.flatMap((_, draw) => (all[Math.floor(random.next() * all.length)] as BlockPoint[]).map((block) => ({ ...block, turn: draw })));
}
