/**
 * The paired record's layout: the vocabulary of paired mode (arms, block orders, where settles
 * fall) and how a run's measured period is laid out in blocks and each arm's own time line.
 * The measured period is cut into blocks, each given to one arm (head or base), in an order
 * balanced against drift; an iteration due in a block goes to that block's target. A block that
 * follows a switch of target (and the first one) begins with `settleMs` loaded but not measured
 * (the previous arm's iterations finish, the new arm's pool takes over); a block that continues
 * the same target (the middle of ABBA's BB) needs none and is measured whole. Each arm's measured
 * parts are laid end to end into the arm's own time line, so each arm's record reads like a run of
 * its own whose recorded blocks group evenly into paired blocks. The engine follows this layout,
 * the record stores it, the report and the validation read it.
 *
 * Warm-up alternates every second, so both pools are warm when measuring starts. Time after the
 * last whole block is loaded, alternating, and excluded.
 */

import type { PairingSettings, PairOrder } from '../plan/paired-schedule.js';

export type { PairingSettings, PairOrder };

export type Arm = 'head' | 'base';
/** Index of an arm in the engine: 0 head, 1 base. */
export type ArmIndex = 0 | 1;
export const ARMS: readonly Arm[] = ['head', 'base'];



/** Where settles fall: after a switch of target only (records from this version on), or at every block (older records). */
export type SettleAt = 'switch' | 'block';

/** During warm-up and after the last whole block, iterations alternate this often. */
const IDLE_SWITCH_MS = 1000;

export interface BlockPlace {
  /** Where the block starts, ms after warm-up. */
  startMs: number;
  /** It begins with a settle. */
  settled: boolean;
}

/** Where each block of `order` starts and whether it settles: the first block and (with 'switch') each block after a change of arm, or (with 'block') every block. */
export function blockLayout(order: readonly Arm[], settings: Pick<PairingSettings, 'blockMs' | 'settleMs'>, settleAt: SettleAt = 'switch'): BlockPlace[] {
  const measuredPartMs = settings.blockMs - settings.settleMs;
  let at = 0;
  return order.map((arm, i) => {
    const settled = settleAt === 'block' || i === 0 || order[i - 1] !== arm;
    const place = { startMs: at, settled };
    at += measuredPartMs + (settled ? settings.settleMs : 0);
    return place;
  });
}

export class PairedTimeline {
  /** The arm of each measured block, in time order. */
  readonly order: Arm[];
  /** For each block, its index among its arm's blocks. */
  private readonly armBlockIndex: number[];
  private readonly measuredPartMs: number;
  private readonly places: BlockPlace[];
  /** Where the last whole block ends, ms after warm-up. */
  private readonly endMs: number;

  constructor(
    readonly warmupMs: number,
    measuredMs: number,
    /** The recorder's block length: a block's measured part must be a whole number of them. */
    recordBlockMs: number,
    readonly settings: PairingSettings,
  ) {
    const { blockMs, settleMs } = settings;
    this.measuredPartMs = blockMs - settleMs;
    if (!(settleMs >= 0 && settleMs < blockMs && this.measuredPartMs % recordBlockMs === 0)) {
      throw new RangeError(`a paired block (${blockMs} ms) less its settle (${settleMs} ms) must be a whole number of recorded blocks (${recordBlockMs} ms)`);
    }
    const available = Math.max(0, measuredMs);
    // The order is drawn for the most blocks that could fit, then cut where the time runs out.
    const candidate = pairOrder(Math.floor(available / this.measuredPartMs), settings);
    const places = blockLayout(candidate, settings);
    const end = (i: number): number => (places[i] as BlockPlace).startMs + this.measuredPartMs + ((places[i] as BlockPlace).settled ? settleMs : 0);
    let count = 0;
    while (count < places.length && end(count) <= available) count++;
    this.order = candidate.slice(0, count);
    this.places = places.slice(0, count);
    this.endMs = count === 0 ? 0 : end(count - 1);
    const seen = { head: 0, base: 0 };
    this.armBlockIndex = this.order.map((arm) => seen[arm]++);
  }

  get blocks(): number {
    return this.order.length;
  }

  /** Recorded blocks of one arm per paired block. */
  recordBlocksPerBlock(recordBlockMs: number): number {
    return this.measuredPartMs / recordBlockMs;
  }

  /** Where block `block`'s measured part starts, ms after warm-up. */
  measuredStartMs(block: number): number {
    const place = this.places[block] as BlockPlace;
    return place.startMs + (place.settled ? this.settings.settleMs : 0);
  }

  /** The block `measured` ms after warm-up falls in, or −1 outside every block. */
  private blockAt(measured: number): number {
    if (!(measured >= 0 && measured < this.endMs)) return -1;
    let low = 0;
    let high = this.places.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.places[mid] as BlockPlace).startMs <= measured) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Which arm an iteration due `offsetMs` after the run start goes to. */
  armAt(offsetMs: number): ArmIndex {
    const measured = offsetMs - this.warmupMs;
    if (measured < 0) return (Math.floor(Math.max(0, offsetMs) / IDLE_SWITCH_MS) % 2) as ArmIndex;
    const block = this.blockAt(measured);
    if (block >= 0) return this.order[block] === 'head' ? 0 : 1;
    return (Math.floor((measured - this.endMs) / IDLE_SWITCH_MS) % 2) as ArmIndex;
  }

  /**
   * Where a request of `arm` that was timed from `originMs` (after the run start) falls in that
   * arm's own time line (warm-up first, as in a run of its own), or undefined when it is not
   * measured: during warm-up, a settle, the other arm's block, or after the last block.
   */
  localOffset(arm: ArmIndex, originMs: number): number | undefined {
    const block = this.blockAt(originMs - this.warmupMs);
    if (block < 0 || this.order[block] !== ARMS[arm]) return undefined;
    const within = originMs - this.warmupMs - this.measuredStartMs(block);
    if (within < 0) return undefined;
    return this.warmupMs + (this.armBlockIndex[block] as number) * this.measuredPartMs + within;
  }

  /** Where the first `pairs` block pairs end (the last one's measured part), ms after warm-up; undefined beyond the schedule. */
  pairsEndMs(pairs: number): number | undefined {
    const last = 2 * pairs - 1;
    if (!(pairs >= 1 && last < this.places.length)) return undefined;
    return this.measuredStartMs(last) + this.measuredPartMs;
  }

  /** Where the first settle that starts at or after `afterMs` (after warm-up) starts; undefined when none follows. */
  settleStartMs(afterMs: number): number | undefined {
    return this.places.find((place) => place.settled && place.startMs >= afterMs)?.startMs;
  }

  /** How much of an arm's time line was measured when the run's measured period ended at `endMs` (after warm-up). */
  armMeasuredMs(arm: ArmIndex, endMs: number): number {
    let total = 0;
    this.order.forEach((owner, block) => {
      if (owner !== ARMS[arm]) return;
      total += Math.max(0, Math.min(this.measuredPartMs, endMs - this.measuredStartMs(block)));
    });
    return total;
  }
}

/** Blocks in pairs (one of each arm), balanced: ABBA repeated, or each pair's order drawn from the seed. */
export function pairOrder(blocks: number, settings: Pick<PairingSettings, 'order' | 'seed'>): Arm[] {
  const random = mulberry32(settings.seed);
  const order: Arm[] = [];
  for (let pair = 0; order.length < blocks; pair++) {
    const headFirst = settings.order === 'abba' ? pair % 2 === 0 : random() < 0.5;
    order.push(headFirst ? 'head' : 'base', headFirst ? 'base' : 'head');
  }
  return order.slice(0, blocks);
}

/** A small seeded generator (mulberry32): the same seed gives the same order on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
