import { decodeCounts, percentileOfCounts } from '../record/latency-counts.js';
import { warmupSliceCount } from '../record/load-shape-slices.js';
import type { PlannedLevel, RunRecord } from '../record/run-record-types.js';
import type { LoadUnit } from './analysis-types.js';

/**
 * A run's measured blocks as one table: what was asked of the target and what it did, block by
 * block. Every analysis reads this, never the record's encodings.
 */
export interface BlockPoint {
  /** Offsets from the start of the measured period, milliseconds. */
  startMs: number;
  endMs: number;
  requests: number;
  errors: number;
  /** p95 of the block's latencies, milliseconds; null when it had no requests. */
  p95Ms: number | null;
  /** The load the profile planned at the block's middle: iterations a second (open model) or VUs. */
  planned: number | null;
  /** Open model: iterations due and dropped in the block (all open scenarios together). */
  due?: number;
  dropped?: number;
  /** Mean VUs running an iteration in the block (all scenarios). */
  vus?: number;
}

export interface BlockSeries {
  unit: LoadUnit;
  blockMs: number;
  warmupMs: number;
  points: BlockPoint[];
}

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

/** The whole run (`step` absent) or one step, block by block. */
export function blockSeries(run: RunRecord, step?: string): BlockSeries {
  const source = step === undefined ? run.overall : run.steps[step];
  if (source === undefined) throw new Error(`the run has no step named "${step}"`);
  const shape = run.loadShape;
  const scenarios = shape ? Object.values(shape.scenarios) : [];
  const open = scenarios.some((s) => s.due !== undefined);
  const offset = shape?.warmupSlices ?? warmupSliceCount(run.meta.warmupMs, run.meta.blockMs);
  const points = run.blocks.map((window, i): BlockPoint => {
    const block = source.blocks[i];
    const requests = block?.requests ?? 0;
    const middle = run.meta.warmupMs + (window.startMs + window.endMs) / 2;
    const levels = scenarios.map((s) => plannedAt(s.planned, middle)).filter((v): v is number => v !== null);
    const point: BlockPoint = {
      startMs: window.startMs,
      endMs: window.endMs,
      requests,
      errors: block?.errors ?? 0,
      p95Ms: block && requests > 0 ? percentileOfCounts(decodeCounts(block.histogram), 95) : null,
      planned: levels.length > 0 ? levels.reduce((a, b) => a + b, 0) : null,
    };
    if (shape) {
      point.vus = scenarios.reduce((sum, s) => sum + (s.vus[offset + i] ?? 0), 0);
      if (open) {
        point.due = scenarios.reduce((sum, s) => sum + (s.due?.[offset + i] ?? 0), 0);
        point.dropped = scenarios.reduce((sum, s) => sum + (s.dropped?.[offset + i] ?? 0), 0);
      }
    }
    return point;
  });
  return { unit: open ? 'rps' : 'vus', blockMs: run.meta.blockMs, warmupMs: run.meta.warmupMs, points };
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
