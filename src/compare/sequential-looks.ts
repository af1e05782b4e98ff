import { PAIRED_SCHEMA, type LookRecord, type PairedRecord, type PairingMeta, type SequentialMeta } from '../record/paired-record-types.js';
import type { Arm } from '../record/paired-layout.js';
import type { RunRecord } from '../record/run-record-types.js';
import { judgePaired } from './compare-paired.js';
import { resolveCompareOptions, type CompareOptions, type ResolvedCompareOptions } from './compare-options.js';
import { decideLook, type SequentialDesign, type SequentialLook } from './sequential-paired.js';

/**
 * A sequential paired run as it runs: the engine asks at each ABBA group's end whether to stop
 * (`engine/paired-looks.ts`); at a planned look this judges the pairs so far at the look's level
 * and answers by the stopping rule (`sequential-paired.ts`), keeping every look it took. At the
 * run's end the last look is judged on the finished record, and `meta.sequential` written.
 */
export class SequentialLooks {
  private readonly looks: LookRecord[] = [];
  private readonly resolved: ResolvedCompareOptions;
  private stoppedAtPairs: number | undefined;

  constructor(
    readonly design: SequentialDesign,
    private readonly options: CompareOptions,
    /** The run's pairing and its whole planned order, as its record will carry them. */
    private readonly pairing: Omit<PairingMeta, 'excludedRequests'>,
    private readonly order: readonly Arm[],
    /** The most the run measures, ms (both arms, settles included). */
    private readonly maxMeasuredMs: number,
  ) {
    this.resolved = resolveCompareOptions(options);
  }

  /** The engine's question at a group's end: true when a look there decided the verdict. The look at the maximum is the run's end, not asked here. */
  stopNow(look: { pairs: number; atMs: number; snapshot(): { head: RunRecord; base: RunRecord } }): boolean {
    const index = this.design.looks.indexOf(look.pairs);
    if (index < 0 || index === this.design.looks.length - 1 || this.stoppedAtPairs !== undefined) return false;
    const snap = look.snapshot();
    const paired: PairedRecord = { schema: PAIRED_SCHEMA, meta: { pairing: { ...this.pairing, excludedRequests: 0 } }, order: [...this.order], ...snap };
    const decided = this.judge(paired, index, look.pairs, look.atMs);
    if (decided.decision === 'continue') return false;
    this.stoppedAtPairs = look.pairs;
    return true;
  }

  /**
   * The record's `meta.sequential` once the run is over: a run stopped at a look says where; one
   * that ran to its end is judged at the last look on its whole record; one interrupted or stopped
   * by a threshold keeps its looks, none of them deciding.
   */
  finish(paired: PairedRecord): SequentialMeta {
    const { head } = paired;
    const stoppedOtherwise = head.meta.interrupted || head.meta.aborted !== undefined;
    if (this.stoppedAtPairs === undefined && !stoppedOtherwise) {
      const last = this.design.looks.length - 1;
      const pairs = Math.min(this.design.maxPairs, Math.floor(paired.order.length / 2));
      this.judge(paired, last, pairs, this.maxMeasuredMs);
    }
    return {
      spending: this.design.spending,
      alpha: this.design.alpha,
      plannedLooks: [...this.design.looks],
      maxPairs: this.design.maxPairs,
      futilityMultiple: this.design.futilityMultiple,
      futilityLevel: this.design.futilityLevel,
      looks: [...this.looks],
      ...(this.stoppedAtPairs !== undefined ? { stoppedAtPairs: this.stoppedAtPairs } : {}),
      maxMeasuredMs: this.maxMeasuredMs,
    };
  }

  private judge(paired: PairedRecord, index: number, pairs: number, atMs: number): SequentialLook {
    const level = this.design.nominal[index] as number;
    const judgement = judgePaired({ paired, options: { ...this.options, alpha: level }, pairs });
    const look = decideLook(judgement, this.design, index, this.resolved);
    this.looks.push({ ...look, atMs: Math.round(atMs) });
    return look;
  }
}
