import { describe, expect, test } from 'vitest';
import { analyzeRun } from '../../src/analyze/analyze-run.js';
import { analyzePairedArm, armOnRunClock, runCurve } from '../../src/analyze/paired-arms.js';
import { armLoadShapes } from '../../src/engine/paired-load-shape.js';
import type { PlannedScenario } from '../../src/plan/plan.js';
import { countsFromIndexes, indexOfMicros } from '../../src/record/latency-counts.js';
import { PairedTimeline } from '../../src/record/paired-layout.js';
import { PAIRED_SCHEMA, type PairedRecord } from '../../src/record/paired-record-types.js';
import type { LoadShape, RunRecord } from '../../src/record/run-record-types.js';
import { syntheticRecord } from '../../src/validate/synthetic-runs.js';

/**
 * The run-clock reading of a paired record's arms against the load shapes the engine writes
 * (`engine/paired-load-shape.ts`): a staircase of arrival rates, each arm's shape written as a
 * paired run writes it, must read back as the profile's levels, on the run's clock.
 */

const LEVELS = [40, 64, 88, 112];
const STAGE_MS = 12_000;
const WARMUP_MS = 3000;

function staircasePlan(): { warmupMs: number; blockMs: number; scenarios: PlannedScenario[] } {
  // Steps: a stage of no duration jumps to the next level, one of 12 s holds it.
  const stages = LEVELS.flatMap((target, i) => [...(i === 0 ? [] : [{ durationMs: 0, target }]), { durationMs: STAGE_MS, target }]);
  const scenario = {
    name: 'load',
    executor: { type: 'ramping-arrival-rate', startRate: LEVELS[0], timeUnitMs: 1000, stages, preAllocatedVUs: 5, maxVUs: 5 },
    model: 'open',
    startTimeMs: 0,
    durationMs: LEVELS.length * STAGE_MS,
    gracefulStopMs: 0,
    journeys: [],
    cumulativeWeights: [],
  } as unknown as PlannedScenario;
  return { warmupMs: WARMUP_MS, blockMs: 1000, scenarios: [scenario] };
}

/** A paired record whose arms' load shapes the engine's writer made, from a run sampled in 0.5 s slices; each iteration served in 20 ms. */
function engineShapedPaired(): PairedRecord {
  const plan = staircasePlan();
  const settings = { blockMs: 1500, settleMs: 500, order: 'abba' as const, seed: 1 };
  const measuredMs = LEVELS.length * STAGE_MS - WARMUP_MS;
  const timeline = new PairedTimeline(WARMUP_MS, measuredMs, 1000, settings);
  const sliceMs = 500;
  const slices = Math.ceil((WARMUP_MS + measuredMs) / sliceMs);
  const rateAt = (ms: number): number => LEVELS[Math.min(LEVELS.length - 1, Math.floor(ms / STAGE_MS))] as number;
  const due = Array.from({ length: slices }, (_, i) => (rateAt(i * sliceMs) * sliceMs) / 1000);
  const run: LoadShape = { warmupSlices: WARMUP_MS / sliceMs, scenarios: { load: { planned: [], vus: due.map(() => 2), due, dropped: due.map(() => 0) } } };
  const blocks = [0, 1].map((arm) => Math.floor(timeline.armMeasuredMs(arm as 0 | 1, measuredMs) / 1000));
  const shapes = armLoadShapes(run, sliceMs, plan, timeline, [blocks[0] as number, blocks[1] as number]);
  const arm = (i: 0 | 1): RunRecord => {
    // Every iteration due in a block served in 20 ms: a target that keeps up.
    const armDue = shapes[i].scenarios.load?.due ?? [];
    const counts = Array.from({ length: blocks[i] as number }, (_, b) => countsFromIndexes(Array.from({ length: Math.round(armDue[shapes[i].warmupSlices + b] ?? 0) }, () => indexOfMicros(20_000))));
    const record = syntheticRecord({ model: { steps: [{ name: 'home', medianMs: 20, rate: 0 }] }, blocks: { home: counts }, blockMs: 1000, measuredMs: (blocks[i] as number) * 1000, sequence: 0 });
    return { ...record, meta: { ...record.meta, warmupMs: WARMUP_MS }, loadShape: shapes[i] };
  };
  return { schema: PAIRED_SCHEMA, meta: { pairing: { ...settings, settleAt: 'switch', excludedRequests: 0 } }, order: timeline.order, head: arm(0), base: arm(1) };
}

describe('a paired record as the engine writes it, read on the run’s clock', () => {
  const paired = engineShapedPaired();

  test('the rebuilt planned load steps through the profile’s levels, each change within a block of where the stage began', () => {
    const curve = runCurve(paired);
    const changes = curve.filter((p, i) => i > 0 && p.target !== curve[i - 1]?.target && p.target > 0);
    expect(changes.map((p) => p.target)).toEqual([40, 64, 88, 112]);
    changes.slice(1).forEach((p, i) => expect(Math.abs(p.atMs - (i + 1) * STAGE_MS)).toBeLessThanOrEqual(1500));
  });

  test('each arm’s blocks are planned at the level they were loaded at, or at none where a stage ended inside them', () => {
    for (const arm of ['head', 'base'] as const) {
      const { points } = armOnRunClock(paired, arm).series;
      for (const p of points) {
        if (p.planned === null) continue;
        // The block's iterations due match its planned level (1 s blocks).
        expect(p.due).toBeCloseTo(p.planned, 0);
      }
      const levels = new Set(points.map((p) => p.planned).filter((v) => v !== null));
      expect([...levels].sort((a, b) => (a as number) - (b as number))).toEqual(LEVELS);
    }
  });

  test('on their own time line the arms would mix levels; on the run’s clock each target kept up with every level', () => {
    const answer = analyzePairedArm(paired, 'head');
    expect(answer.shape).toBe('rising');
    expect(answer.capacity?.levels.map((l) => l.offered)).toEqual(LEVELS);
    expect(answer.capacity?.atLeast).toBe(true);
    // Read on the head's own time line, a block where the stage changed sits halfway between two levels.
    const own = analyzeRun(paired.head).capacity?.levels.map((l) => l.offered) ?? [];
    expect(own.some((offered) => !LEVELS.includes(offered))).toBe(true);
  });
});
