import type { CheckRecord } from '../record/run-record-types.js';
import type { PairedTimeline } from '../record/paired-layout.js';

/**
 * The `checks` metric: passes and fails per check name, of requests in the measured period (as
 * the recorder counts requests: warm-up left out, in paired mode only those measured for their
 * arm), per arm.
 */
export class CheckCounter {
  private readonly passes: [number[], number[]];
  private readonly fails: [number[], number[]];

  constructor(
    private readonly names: readonly string[],
    private readonly warmupMs: number,
    private readonly pairing?: PairedTimeline,
  ) {
    const zeros = (): number[] => names.map(() => 0);
    this.passes = [zeros(), zeros()];
    this.fails = [zeros(), zeros()];
  }

  /** One check of a request due `originMs` after the run's start. */
  count(id: number, passed: boolean, originMs: number, arm: number): void {
    const index = arm === 1 ? 1 : 0;
    const measured = this.pairing ? this.pairing.localOffset(index, originMs) !== undefined : originMs >= this.warmupMs;
    if (!measured) return;
    const counts = passed ? this.passes[index] : this.fails[index];
    counts[id] = (counts[id] as number) + 1;
  }

  /** Check name -> passes and fails for one arm; undefined for a profile without checks. */
  toRecord(arm = 0): Record<string, CheckRecord> | undefined {
    if (this.names.length === 0) return undefined;
    const index = arm === 1 ? 1 : 0;
    return Object.fromEntries(this.names.map((name, id) => [name, { passes: this.passes[index][id] as number, fails: this.fails[index][id] as number }]));
  }
}
