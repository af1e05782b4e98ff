import { blockLayout, type Arm } from '../record/paired-layout.js';
import type { PairedRecord } from '../record/paired-record-types.js';
import type { PlannedLevel, RunRecord } from '../record/run-record-types.js';
import type { Analysis } from './analysis-types.js';
import { analyzeSeries, type AnalyzeOptions } from './analyze-run.js';
import { blockSeries, type BlockSeries } from './block-series.js';
import { mergePlannedCurves, plannedAt } from './planned-curve.js';

/**
 * One target of a paired run as a run the analyses can read, on the run's own clock
 * (docs/analyze.md, "In paired mode"). Each arm of a paired record is a run record on its own time
 * line: its measured parts laid end to end (`record/paired-layout.ts`). Its recorded blocks are put
 * back where they were measured in the run, with gaps where the other target was loaded, and its
 * planned load is the run's: the planned points both arms recorded (one a recorded block, the
 * level when that block began), each held until the next. So a surge ends, and a target recovers
 * from it, at the run's time, whatever share of that time the target was measured; a slope is a
 * slope a minute of the run; and each level of a rising load groups the target's blocks at it.
 */
export interface ArmOnRunClock {
  series: BlockSeries;
  /** The run's planned load, from the run's start (warm-up included), as `runPlannedCurve` gives a run's. */
  curve: PlannedLevel[];
  /** Where the arm's last measured block ends, after the warm-up, ms. */
  measuredMs: number;
}

/** What one target's shape answers, read on the run's clock (see the file's comment). */
export function analyzePairedArm(paired: PairedRecord, arm: Arm, options: AnalyzeOptions = {}): Analysis {
  const view = armOnRunClock(paired, arm);
  return analyzeSeries(view.series, view.curve, { warmupMs: paired[arm].meta.warmupMs, measuredMs: view.measuredMs }, options);
}

export function armOnRunClock(paired: PairedRecord, arm: Arm): ArmOnRunClock {
  const record = paired[arm];
  const { warmupMs, blockMs: recordMs } = record.meta;
  const curve = runCurve(paired);
  const own = blockSeries(record);
  const points = own.points.map((point, k) => {
    const startMs = runOffset(paired, arm, k * recordMs);
    const endMs = startMs + (point.endMs - point.startMs);
    const planned = plannedAt(curve, warmupMs + (startMs + endMs) / 2);
    return { ...point, startMs, endMs, planned: straddled(point.due, planned, (endMs - startMs) / 1000) ? null : planned };
  });
  const last = points[points.length - 1];
  return { series: { ...own, points: withTurns(points) }, curve, measuredMs: last === undefined ? 0 : last.endMs };
}

/**
 * Each block marked with the turn it lies in: blocks that follow one another on the run's clock
 * without a gap were loaded without a pause (the middle of ABBA's BB, the recorded blocks of one
 * paired block); a gap (the other target's blocks, a settle) starts a new turn. A queue is judged
 * within turns (`turn-trend.ts`): between them it drained.
 */
export function withTurns<T extends { startMs: number; endMs: number }>(points: readonly T[]): Array<T & { turn: number }> {
  let turn = 0;
  return points.map((point, i) => {
    const before = points[i - 1];
    if (before !== undefined && point.startMs - before.endMs > TURN_GAP_MS) turn++;
    return { ...point, turn };
  });
}

/** A gap on the run's clock shorter than this is rounding, not a pause. */
const TURN_GAP_MS = 1;

/** Iterations due in a block a twentieth off its planned rate (and more than one): the level changed within it, so it holds no one level. */
const STRADDLE_SHARE = 0.05;

/**
 * An open-model block whose iterations due disagree with its planned level: a stage ended inside
 * it (the planned points say only that the level changed somewhere between two blocks). It is
 * left out of the levels of a rising load, where half a block at the next level would read as
 * the target failing to keep up with this one.
 */
function straddled(due: number | undefined, planned: number | null, seconds: number): boolean {
  if (due === undefined || planned === null || planned <= 0 || !(seconds > 0)) return false;
  return Math.abs(due - planned * seconds) > Math.max(1, STRADDLE_SHARE * planned * seconds);
}

/**
 * Where `localMs` (after the warm-up) of an arm's own time line was measured in the run, after the
 * warm-up: the arm's paired blocks in order, each's measured part after its settle.
 */
export function runOffset(paired: PairedRecord, arm: Arm, localMs: number): number {
  const { pairing } = paired.meta;
  const measuredPartMs = pairing.blockMs - pairing.settleMs;
  const places = blockLayout(paired.order, pairing, pairing.settleAt ?? 'block');
  const nth = Math.floor(localMs / measuredPartMs);
  let seen = -1;
  for (let block = 0; block < paired.order.length; block++) {
    if (paired.order[block] !== arm || ++seen < nth) continue;
    const place = places[block] as (typeof places)[number];
    return place.startMs + (place.settled ? pairing.settleMs : 0) + (localMs - nth * measuredPartMs);
  }
  // Beyond the schedule (an interrupted run's part block): after the last block, as laid end to end.
  const end = places.length === 0 ? 0 : (places[places.length - 1] as (typeof places)[number]).startMs + pairing.blockMs;
  return end + (localMs - (seen + 1) * measuredPartMs);
}

/**
 * The run's planned load from both arms' planned points, each point moved to where its block was
 * measured in the run and held until the next point of its scenario; the scenarios added up.
 */
export function runCurve(paired: PairedRecord): PlannedLevel[] {
  const names = new Set([...Object.keys(paired.head.loadShape?.scenarios ?? {}), ...Object.keys(paired.base.loadShape?.scenarios ?? {})]);
  const curves = [...names].map((name) => {
    const points = (['head', 'base'] as const).flatMap((arm) => {
      const record: RunRecord = paired[arm];
      const warmupMs = record.meta.warmupMs;
      const planned = record.loadShape?.scenarios[name]?.planned ?? [];
      return planned.map((p) => ({ atMs: p.atMs < warmupMs ? p.atMs : warmupMs + runOffset(paired, arm, p.atMs - warmupMs), target: p.target }));
    });
    points.sort((a, b) => a.atMs - b.atMs);
    return heldLevels(points, paired.head.meta.blockMs);
  });
  return mergePlannedCurves(curves);
}

/**
 * Points in time order as a step curve of the same levels: a level read at one point and another
 * at the next changed somewhere between them, taken halfway (a stage's end falls anywhere in the
 * gap); the last held for one block.
 */
export function heldLevels(points: readonly PlannedLevel[], blockMs: number): PlannedLevel[] {
  const held: PlannedLevel[] = [];
  let from: PlannedLevel | undefined;
  points.forEach((point, i) => {
    from ??= point;
    const next = points[i + 1];
    if (next !== undefined && next.target === from.target) return;
    const endMs = next === undefined ? point.atMs + blockMs : (point.atMs + next.atMs) / 2;
    const startMs = held.length > 0 ? (held[held.length - 1] as PlannedLevel).atMs : from.atMs;
    if (endMs > startMs) held.push({ atMs: startMs, target: from.target }, { atMs: endMs, target: from.target });
    from = undefined;
  });
  return held;
}
