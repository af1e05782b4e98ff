import type { ArmIndex, PairedTimeline } from './paired-layout.js';
import { Recorder } from './recorder.js';
import type { ErrorKind } from './run-record-types.js';
import type { ServerTimingTally } from './server-timing-tally.js';

/**
 * Paired mode's recorder: each arm has its own Recorder on its own time line (see
 * `paired-layout.ts`), so each arm's record reads like a run of its own. A request is recorded
 * in its arm's recorder at its place on that time line, or counted there with warm-up when it was
 * not measured (a settle, the other arm's block), and so are its response's `Server-Timing`
 * metrics. This recorder itself keeps only the totals and the live window that progress reads.
 */
export class PairedRecorder extends Recorder {
  readonly arms: readonly [Recorder, Recorder];
  /** Requests loaded but not measured: settles, another arm's block, the tail after the last block. */
  excludedRequests = 0;

  constructor(
    stepNames: readonly string[],
    warmupMs: number,
    blockMs: number,
    watchLive: boolean,
    readonly timeline: PairedTimeline,
  ) {
    super(stepNames, warmupMs, blockMs, watchLive);
    this.arms = [new Recorder(stepNames, warmupMs, blockMs, false), new Recorder(stepNames, warmupMs, blockMs, false)];
  }

  override record(stepId: number, originMs: number, latencyUs: number | undefined, status: number | undefined, error: ErrorKind | undefined, arm: number = 0): void {
    // Totals and the live window only: an origin before any warm-up is never tallied here.
    super.record(stepId, -1, latencyUs, status, error);
    const index = (arm === 1 ? 1 : 0) as ArmIndex;
    const local = this.timeline.localOffset(index, originMs);
    if (local === undefined && originMs >= this.timeline.warmupMs) this.excludedRequests++;
    this.arms[index].record(stepId, local ?? -1, latencyUs, status, error);
  }

  /** A response's `Server-Timing` metrics go to its arm's record, in the block of that arm its request began in; none outside the arm's measured blocks. */
  override serverTimingOf(stepId: number, originMs: number, arm: number = 0): ServerTimingTally | undefined {
    const index = (arm === 1 ? 1 : 0) as ArmIndex;
    const local = this.timeline.localOffset(index, originMs);
    return local === undefined ? undefined : this.arms[index].serverTimingOf(stepId, local);
  }

  override recordInterrupted(stepId: number, arm: number = 0): void {
    this.arms[arm === 1 ? 1 : 0].recordInterrupted(stepId);
  }
}
