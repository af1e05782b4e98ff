import { decodeCounts, percentileOfCounts } from '../record/latency-counts.js';
import { warmupSliceCount } from '../record/load-shape-slices.js';
import type { RunRecord } from '../record/run-record-types.js';
import type { LoadUnit } from './analysis-types.js';
import { plannedAt } from './planned-curve.js';

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
  /** A target of a paired run: which of its turns (a stretch loaded without a pause) the block lies in. */
  turn?: number;
}

export interface BlockSeries {
  unit: LoadUnit;
  blockMs: number;
  warmupMs: number;
  points: BlockPoint[];
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
