/**
 * Paired mode's schedule: the measured period is cut into blocks of `blockMs`, each given to one
 * arm (head or base), in an order balanced against drift; an iteration due in a block goes to
 * that block's target. The first `settleMs` of every block are loaded but not measured (the
 * previous arm's iterations finish, the new arm's pool warms up again), and each arm's measured
 * parts are laid end to end into the arm's own time line, so each arm's record reads like a run
 * of its own whose recorded blocks group evenly into paired blocks.
 *
 * Warm-up alternates every second, so both pools are warm when measuring starts. Time after the
 * last whole block (a run whose length is not a multiple of the block) is loaded, alternating,
 * and excluded.
 */

export type Arm = 'head' | 'base';
/** Index of an arm in the engine: 0 head, 1 base. */
export type ArmIndex = 0 | 1;
export const ARMS: readonly Arm[] = ['head', 'base'];

export type PairOrder = 'abba' | 'random';

export interface PairingSettings {
  /** Length of one paired block, ms (settle included). */
  blockMs: number;
  /** Loaded but excluded at the start of each block, ms. */
  settleMs: number;
  /** ABBA (head base base head ...), or each pair in a seeded random order. */
  order: PairOrder;
  /** Seed of the random order. */
  seed: number;
}

/**
 * 3 s blocks with a 1 s settle: a 60 s run gives 10 pairs (two thirds of the time measured), and
 * an arm idles at most 6 s (BB), so its connections mostly outlive a server's keep-alive timeout.
 */
export const DEFAULT_PAIRING: PairingSettings = { blockMs: 3000, settleMs: 1000, order: 'abba', seed: 1 };

/** During warm-up and after the last whole block, iterations alternate this often. */
const IDLE_SWITCH_MS = 1000;

export class PairedTimeline {
  /** The arm of each measured block, in time order. */
  readonly order: Arm[];
  /** For each block, its index among its arm's blocks. */
  private readonly armBlockIndex: number[];
  private readonly measuredPartMs: number;

  constructor(
    readonly warmupMs: number,
    measuredMs: number,
    /** The recorder's block length: block and settle must be multiples of it. */
    recordBlockMs: number,
    readonly settings: PairingSettings,
  ) {
    const { blockMs, settleMs } = settings;
    if (!(blockMs > 0 && blockMs % recordBlockMs === 0)) throw new RangeError(`a paired block (${blockMs} ms) must be a whole number of recorded blocks (${recordBlockMs} ms)`);
    if (!(settleMs >= 0 && settleMs % recordBlockMs === 0 && settleMs < blockMs)) {
      throw new RangeError(`the settle time (${settleMs} ms) must be a whole number of recorded blocks (${recordBlockMs} ms), shorter than a paired block (${blockMs} ms)`);
    }
    this.measuredPartMs = blockMs - settleMs;
    this.order = pairOrder(Math.floor(Math.max(0, measuredMs) / blockMs), settings);
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

  /** Which arm an iteration due `offsetMs` after the run start goes to. */
  armAt(offsetMs: number): ArmIndex {
    const measured = offsetMs - this.warmupMs;
    if (measured < 0) return (Math.floor(Math.max(0, offsetMs) / IDLE_SWITCH_MS) % 2) as ArmIndex;
    const block = Math.floor(measured / this.settings.blockMs);
    const arm = this.order[block];
    if (arm !== undefined) return arm === 'head' ? 0 : 1;
    return (Math.floor((measured - this.order.length * this.settings.blockMs) / IDLE_SWITCH_MS) % 2) as ArmIndex;
  }

  /**
   * Where a request of `arm` that was timed from `originMs` (after the run start) falls in that
   * arm's own time line (warm-up first, as in a run of its own), or undefined when it is not
   * measured: during warm-up, a settle, the other arm's block, or after the last block.
   */
  localOffset(arm: ArmIndex, originMs: number): number | undefined {
    const measured = originMs - this.warmupMs;
    if (measured < 0) return undefined;
    const block = Math.floor(measured / this.settings.blockMs);
    const owner = this.order[block];
    if (owner === undefined || owner !== ARMS[arm]) return undefined;
    const within = measured - block * this.settings.blockMs - this.settings.settleMs;
    if (within < 0) return undefined;
    return this.warmupMs + (this.armBlockIndex[block] as number) * this.measuredPartMs + within;
  }

  /** How much of an arm's time line was measured when the run's measured period ended at `endMs` (after warm-up). */
  armMeasuredMs(arm: ArmIndex, endMs: number): number {
    let total = 0;
    this.order.forEach((owner, block) => {
      if (owner !== ARMS[arm]) return;
      const start = block * this.settings.blockMs + this.settings.settleMs;
      total += Math.max(0, Math.min(this.measuredPartMs, endMs - start));
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
