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

/** One gated metric at a look: its change and the upper bound the "ruled out" rule reads (% or points). */
export interface LookMetricRecord {
  step: string;
  metric: 'p95' | 'throughput' | 'errorRate';
  change: number;
  upper: number;
  pValue: number;
}

/** One look of a sequential run at its pairs so far. */
export interface LookRecord {
  /** Block pairs judged at this look, and their share of the most the run could have had. */
  pairs: number;
  fraction: number;
  /** The look's nominal one-sided level (its share of α, O'Brien–Fleming-type spending). */
  level: number;
  verdict: 'pass' | 'regression' | 'improvement' | 'inconclusive' | 'no-baseline';
  /** Go on, or stop: a regression beyond doubt, twice the allowance ruled out, or the maximum reached. */
  decision: 'continue' | 'regression' | 'ruled-out' | 'maximum';
  reason: string;
  /** When the look was taken, ms into the measured period (the run's time, both arms). */
  atMs: number;
  metrics: LookMetricRecord[];
}

/**
 * A sequential paired run (the default): the design it followed, every look it took, and where it
 * stopped. Absent in records of fixed-length runs (`--fixed`) and older ones.
 */
export interface SequentialMeta {
  spending: 'obrien-fleming';
  alpha: number;
  /** The pairs of every planned look; the last is the most the run could have had. */
  plannedLooks: number[];
  maxPairs: number;
  futilityMultiple: number;
  futilityLevel: number;
  looks: LookRecord[];
  /** The pairs judged when the run stopped before its maximum; absent when it ran to the end. */
  stoppedAtPairs?: number;
  /** The run's measured time at most and as it ran, ms (both arms, settles included). */
  maxMeasuredMs: number;
}

export interface PairedRecord {
  schema: typeof PAIRED_SCHEMA;
  meta: { pairing: PairingMeta; sequential?: SequentialMeta };
  /** The arm of each paired block, in time order. */
  order: Arm[];
  base: RunRecord;
  head: RunRecord;
}
