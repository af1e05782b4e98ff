import type { Arm, PairOrder, SettleAt } from './paired-layout.js';
import type { RunRecord } from './run-record-types.js';

/**
 * The paired record, `tailgate.paired/v1`: one run of a profile against two targets in
 * alternating blocks (paired mode). Each arm is a whole `tailgate.run/v1` record on its own time
 * line: its measured parts of its blocks laid end to end, so its recorded blocks group evenly
 * into paired blocks (`blockMs − settleMs` long each), in the order `order` gives.
 */
export const PAIRED_SCHEMA = 'tailgate.paired/v1';

export interface PairingMeta {
  /** How blocks were ordered: ABBA, or each pair in a seeded random order. */
  order: PairOrder;
  seed: number;
  /** One paired block, settle included, ms. */
  blockMs: number;
  /** Loaded but excluded at the start of a block, ms: of each block after a switch of target (and the first). */
  settleMs: number;
  /** 'switch' in records from this version on; absent in older ones, whose every block began with a settle. */
  settleAt?: SettleAt;
  /** Requests loaded but not measured (settles, the other arm's block, the tail). */
  excludedRequests: number;
}

export interface PairedRecord {
  schema: typeof PAIRED_SCHEMA;
  meta: { pairing: PairingMeta };
  /** The arm of each paired block, in time order. */
  order: Arm[];
  base: RunRecord;
  head: RunRecord;
}
