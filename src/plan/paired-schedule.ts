/** The order of a paired run's blocks: ABBA (head base base head ...), or each pair in a seeded random order. */
export type PairOrder = 'abba' | 'random';

/** How a paired run alternates its targets (the paired record stores it: record/paired-layout.ts). */
export interface PairingSettings {
  /** Length of a paired block that follows a switch, ms, settle included; its measured part, blockMs − settleMs, is every block's. */
  blockMs: number;
  /** Loaded but excluded at the start of a block that follows a switch of target, ms. */
  settleMs: number;
  /** ABBA (head base base head ...), or each pair in a seeded random order. */
  order: PairOrder;
  /** Seed of the random order. */
  seed: number;
}

// The pairing a paired run gets for its length unless another is asked for: its block and settle lengths, order and seed.

/**
 * 1.5 s blocks with a 0.5 s settle after each switch: 1 s measured per block, 23 pairs in a 60 s
 * run (84% of it measured) and 11 in 30 s; an arm idles about 3 s between its turns, well inside
 * a server's keep-alive timeout. On the synthetic model this catches twice the threshold in 60 s
 * 97–99% of the time where 3 s blocks with a 1 s settle at every block caught 85–88% (docs/paired.md).
 */
export const DEFAULT_PAIRING: PairingSettings = { blockMs: 1500, settleMs: 500, order: 'abba', seed: 1 };

/**
 * Runs measuring less than this get SHORT_RUN_PAIRING: 1 s blocks would give a 10 s run 4 pairs,
 * fewer than a verdict needs.
 */
export const SHORT_RUN_MS = 20_000;
/** Short runs: 0.5 s measured (recorded in 0.5 s blocks) after a 0.25 s settle; a 10 s run gets 7 pairs. */
export const SHORT_RUN_PAIRING: PairingSettings = { blockMs: 750, settleMs: 250, order: 'abba', seed: 1 };
export const SHORT_RUN_RECORD_BLOCK_MS = 500;

/**
 * The pairing for a run of `measuredMs` recorded in `recordBlockMs` blocks: what was asked for,
 * else DEFAULT_PAIRING, or SHORT_RUN_PAIRING (and its 0.5 s recorded blocks) when the run measures
 * less than SHORT_RUN_MS and neither length was asked for. The measured part is rounded up to
 * whole recorded blocks; a settle asked for is kept (0 allowed).
 */
export function choosePairing(recordBlockMs: number, measuredMs: number, wanted: Partial<PairingSettings> = {}): { settings: PairingSettings; recordBlockMs: number } {
  const short = wanted.blockMs === undefined && wanted.settleMs === undefined && measuredMs < SHORT_RUN_MS && recordBlockMs >= SHORT_RUN_RECORD_BLOCK_MS;
  const defaults = short ? SHORT_RUN_PAIRING : DEFAULT_PAIRING;
  const unit = short ? SHORT_RUN_RECORD_BLOCK_MS : recordBlockMs;
  const settleMs = Math.max(0, wanted.settleMs ?? defaults.settleMs);
  const measuredPart = Math.max(unit, Math.ceil(((wanted.blockMs ?? defaults.blockMs) - settleMs) / unit) * unit);
  return { settings: { blockMs: measuredPart + settleMs, settleMs, order: wanted.order ?? defaults.order, seed: wanted.seed ?? defaults.seed }, recordBlockMs: unit };
}

/** A stretch where the planned load holds one level (a stage of a staircase, a surge), ms from the run's start. */
export interface StageHold {
  startMs: number;
  endMs: number;
}

/** What each arm got of a stage: its turns (loaded without a pause) with a whole block in the stage, and its measured ms there. */
export interface StageShare extends StageHold {
  turns: [number, number];
  measuredMs: [number, number];
}

/**
 * The least turns each target needs in every stage: its queue is judged within turns
 * (`analyze/turn-trend.ts`), and two turns give the pairs of blocks that must agree.
 */
export const MIN_TURNS_PER_STAGE = 2;

/** The block layout of a paired run as the schedule sees it: the arm of each block and where its measured part lies (`PairedTimeline`). */
export interface PairedBlocks {
  readonly warmupMs: number;
  readonly order: readonly ('head' | 'base')[];
  readonly settings: PairingSettings;
  measuredStartMs(block: number): number;
}

/**
 * Each stage's share of both targets: per arm, the turns with a whole block's measured part inside
 * the stage, and the measured ms there. A block of the other arm ends a turn; a settle alone does not.
 */
export function stageShares(blocks: PairedBlocks, holds: readonly StageHold[]): StageShare[] {
  const measuredPartMs = blocks.settings.blockMs - blocks.settings.settleMs;
  return holds.map((hold) => {
    const turns: [number, number] = [0, 0];
    const measuredMs: [number, number] = [0, 0];
    const counted = [-1, -1];
    let turn = -1;
    blocks.order.forEach((arm, block) => {
      if (block === 0 || blocks.order[block - 1] !== arm) turn++;
      const index = arm === 'head' ? 0 : 1;
      const start = blocks.warmupMs + blocks.measuredStartMs(block);
      const inside = Math.min(hold.endMs, start + measuredPartMs) - Math.max(hold.startMs, start);
      if (inside <= 0) return;
      measuredMs[index] += inside;
      // A block cut by the stage's edge is left out of the stage's level (`analyze/paired-arms.ts`): it starts no turn there.
      if (inside < measuredPartMs || counted[index] === turn) return;
      turns[index]++;
      counted[index] = turn;
    });
    return { ...hold, turns, measuredMs };
  });
}

/**
 * The pairing for a run whose load holds levels (`holds`, the stages of a staircase or a surge):
 * `choosePairing`'s, unless a stage would give a target fewer than MIN_TURNS_PER_STAGE turns and
 * neither block length was asked for; then SHORT_RUN_PAIRING's shorter blocks (recorded in 0.5 s),
 * so both targets alternate within every stage. `layout` lays the blocks out (a `PairedTimeline`).
 * `thin`: the stages that still give a target too few turns (the caller warns).
 */
export function pairingForStages(
  recordBlockMs: number,
  measuredMs: number,
  holds: readonly StageHold[],
  layout: (settings: PairingSettings, recordBlockMs: number) => PairedBlocks,
  wanted: Partial<PairingSettings> = {},
): { settings: PairingSettings; recordBlockMs: number; thin: StageShare[] } {
  const thinOf = (chosen: { settings: PairingSettings; recordBlockMs: number }): StageShare[] =>
    stageShares(layout(chosen.settings, chosen.recordBlockMs), holds).filter((share) => Math.min(...share.turns) < MIN_TURNS_PER_STAGE);
  const first = choosePairing(recordBlockMs, measuredMs, wanted);
  const thin = thinOf(first);
  const asked = wanted.blockMs !== undefined || wanted.settleMs !== undefined;
  if (thin.length === 0 || asked || recordBlockMs < SHORT_RUN_RECORD_BLOCK_MS || first.settings.blockMs === SHORT_RUN_PAIRING.blockMs) return { ...first, thin };
  const shorter = { settings: { ...SHORT_RUN_PAIRING, order: wanted.order ?? SHORT_RUN_PAIRING.order, seed: wanted.seed ?? SHORT_RUN_PAIRING.seed }, recordBlockMs: SHORT_RUN_RECORD_BLOCK_MS };
  return { ...shorter, thin: thinOf(shorter) };
}
