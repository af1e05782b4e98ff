import type { PlannedLevel, RunRecord } from '../record/run-record-types.js';

/**
 * The load a run planned, as one curve: the scenarios' planned levels (`RunRecord.loadShape`)
 * added up, from the run's start (warm-up included), joined linearly as k6 ramps, and the holds
 * on it (stretches at one level). The analyses read a run's shape from it.
 */

/** The profile's planned level at `atMs` (from the run's start): linear between stage ends, as k6 ramps. */
export function plannedAt(planned: readonly PlannedLevel[], atMs: number): number | null {
  const first = planned[0];
  if (first === undefined || atMs < first.atMs) return null;
  for (let i = 1; i < planned.length; i++) {
    const a = planned[i - 1] as PlannedLevel;
    const b = planned[i] as PlannedLevel;
    if (atMs <= b.atMs) return b.atMs === a.atMs ? b.target : a.target + ((b.target - a.target) * (atMs - a.atMs)) / (b.atMs - a.atMs);
  }
  return (planned[planned.length - 1] as PlannedLevel).target;
}

/**
 * The load the whole run planned, from the run's start (warm-up included): the scenarios' planned
 * curves added up, as points joined linearly. A scenario adds nothing before its start or after
 * its last point, so where one starts or stops, or a stage of no duration jumps, the curve holds
 * two points at the same time (the level just before, then the level from there on).
 */
export function runPlannedCurve(run: RunRecord): PlannedLevel[] {
  const curves = Object.values(run.loadShape?.scenarios ?? {}).map((s) => s.planned);
  return mergePlannedCurves(curves);
}

/** Several planned curves added up into one (see runPlannedCurve). */
export function mergePlannedCurves(curves: ReadonlyArray<readonly PlannedLevel[]>): PlannedLevel[] {
  const used = curves.filter((c) => c.length > 0);
  const times = [...new Set(used.flatMap((c) => c.map((p) => p.atMs)))].sort((a, b) => a - b);
  const merged: PlannedLevel[] = [];
  for (const atMs of times) {
    const before = used.reduce((sum, c) => sum + levelFromLeft(c, atMs), 0);
    const after = used.reduce((sum, c) => sum + levelFromRight(c, atMs), 0);
    merged.push({ atMs, target: before });
    if (after !== before) merged.push({ atMs, target: after });
  }
  return merged;
}

/** A curve's level as `atMs` is approached from before: none until its start. */
function levelFromLeft(curve: readonly PlannedLevel[], atMs: number): number {
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1] as PlannedLevel;
    const b = curve[i] as PlannedLevel;
    if (a.atMs < atMs && atMs <= b.atMs) return a.target + ((b.target - a.target) * (atMs - a.atMs)) / (b.atMs - a.atMs);
  }
  return 0;
}

/** A curve's level from `atMs` on: none from its last point. */
function levelFromRight(curve: readonly PlannedLevel[], atMs: number): number {
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1] as PlannedLevel;
    const b = curve[i] as PlannedLevel;
    if (a.atMs <= atMs && atMs < b.atMs) return a.target + ((b.target - a.target) * (atMs - a.atMs)) / (b.atMs - a.atMs);
  }
  return 0;
}

/** A stretch of the planned curve where the level stays put; offsets from the run's start, milliseconds. */
export interface Hold {
  startMs: number;
  endMs: number;
  level: number;
}

/** The holds of a planned curve (see runPlannedCurve), in order; touching stretches at one level are one hold. */
export function holdsOf(curve: readonly PlannedLevel[]): Hold[] {
  const holds: Hold[] = [];
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1] as PlannedLevel;
    const b = curve[i] as PlannedLevel;
    if (b.atMs <= a.atMs || !sameLevel(a.target, b.target)) continue;
    const last = holds[holds.length - 1];
    if (last !== undefined && last.endMs === a.atMs && sameLevel(last.level, a.target)) last.endMs = b.atMs;
    else holds.push({ startMs: a.atMs, endMs: b.atMs, level: a.target });
  }
  return holds;
}

/** Two planned levels are one when they differ by no more than rounding. */
export function sameLevel(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
