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
