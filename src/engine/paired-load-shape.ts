import type { Plan } from '../plan/plan.js';
import { warmupSliceCount } from '../record/load-shape-slices.js';
import type { LoadShape, PlannedLevel, ScenarioShape } from '../record/run-record-types.js';
import { plannedLevels } from './load-shape.js';
import { ARMS, type ArmIndex, type PairedTimeline } from '../record/paired-layout.js';
import type { StageHold } from '../plan/paired-schedule.js';

/**
 * The slice a paired run samples its load in: a length that every settle, measured part and
 * recorded block is a whole number of, so each slice lies in one arm's block (or one settle).
 */
export function pairedSliceMs(timeline: PairedTimeline, recordBlockMs: number): number {
  const { blockMs, settleMs } = timeline.settings;
  return [recordBlockMs, blockMs - settleMs, settleMs].reduce((a, b) => (b === 0 ? a : gcd(a, b)));
}

/**
 * Each arm's load shape on its own time line, from the run's shape sampled in `sliceMs` slices:
 * the warm-up as the run had it (both arms alternated through it), then for each of the arm's
 * recorded blocks the slices of its blocks that were measured (settles, loaded but measured by
 * neither arm, are left out): mean VUs running, iterations due and dropped. The planned level is
 * the profile's, read at the times the arm was measured, one point a slice.
 */
export function armLoadShapes(run: LoadShape, sliceMs: number, plan: Pick<Plan, 'warmupMs' | 'blockMs' | 'scenarios'>, timeline: PairedTimeline, armBlocks: readonly [number, number]): [LoadShape, LoadShape] {
  const perBlock = plan.blockMs / sliceMs;
  const warmupSlices = warmupSliceCount(plan.warmupMs, plan.blockMs);
  const shapes = ARMS.map((_, arm) => {
    const scenarios: Record<string, ScenarioShape> = {};
    for (const scenario of plan.scenarios) {
      const sampled = run.scenarios[scenario.name];
      if (sampled === undefined) continue;
      const length = warmupSlices + (armBlocks[arm] as number);
      const vus = new Array<number>(length).fill(0);
      const counts = new Array<number>(length).fill(0);
      const due = new Array<number>(length).fill(0);
      const dropped = new Array<number>(length).fill(0);
      const wallStart = new Array<number | undefined>(length).fill(undefined);
      const add = (slot: number, i: number, atMs: number): void => {
        if (slot < 0 || slot >= length) return;
        vus[slot] = (vus[slot] as number) + (sampled.vus[i] ?? 0);
        counts[slot] = (counts[slot] as number) + 1;
        due[slot] = (due[slot] as number) + (sampled.due?.[i] ?? 0);
        dropped[slot] = (dropped[slot] as number) + (sampled.dropped?.[i] ?? 0);
        wallStart[slot] ??= atMs;
      };
      // Warm-up slices, counted back from the end of the warm-up as the record counts them.
      for (let k = 0; k < run.warmupSlices; k++) {
        const fromEnd = run.warmupSlices - 1 - k;
        add(warmupSlices - 1 - Math.floor(fromEnd / perBlock), k, Math.max(0, plan.warmupMs - (fromEnd + 1) * sliceMs));
      }
      const measuredSlices = (sampled.vus.length ?? 0) - run.warmupSlices;
      for (let j = 0; j < measuredSlices; j++) {
        const atMs = plan.warmupMs + j * sliceMs;
        const local = timeline.localOffset(arm as ArmIndex, atMs);
        if (local === undefined) continue;
        add(warmupSlices + Math.floor((local - plan.warmupMs) / plan.blockMs), run.warmupSlices + j, atMs);
      }
      const levels = plannedLevels(scenario);
      const planned: PlannedLevel[] = [];
      wallStart.forEach((atMs, slot) => {
        const target = atMs === undefined ? undefined : levelAt(levels, atMs);
        if (target !== undefined) planned.push({ atMs: slotStartMs(slot, warmupSlices, plan), target });
      });
      scenarios[scenario.name] = {
        planned,
        vus: vus.map((v, i) => round2((counts[i] as number) > 0 ? v / (counts[i] as number) : 0)),
        ...(scenario.model === 'open' ? { due, dropped } : {}),
      };
    }
    return { warmupSlices, scenarios };
  });
  return [shapes[0] as LoadShape, shapes[1] as LoadShape];
}

/** Where a slot of an arm's record starts on its own time line (the warm-up's first slot may be shorter). */
function slotStartMs(slot: number, warmupSlices: number, plan: Pick<Plan, 'warmupMs' | 'blockMs'>): number {
  return slot < warmupSlices ? Math.max(0, plan.warmupMs - (warmupSlices - slot) * plan.blockMs) : plan.warmupMs + (slot - warmupSlices) * plan.blockMs;
}

/** The planned level at `atMs` (linear between the points, as k6 ramps); undefined outside the scenario. */
function levelAt(levels: readonly PlannedLevel[], atMs: number): number | undefined {
  for (let i = 1; i < levels.length; i++) {
    const [a, b] = [levels[i - 1] as PlannedLevel, levels[i] as PlannedLevel];
    if (atMs >= a.atMs && atMs < b.atMs) return round2(a.target + ((b.target - a.target) * (atMs - a.atMs)) / Math.max(1, b.atMs - a.atMs));
  }
  return undefined;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * The stretches where a plan's load holds one level for some time, within its measured period
 * (ms from the run's start): each stage of a staircase, a surge, a constant load. A paired run
 * shares each of them between its targets (`plan/paired-schedule.ts`, `pairingForStages`).
 */
export function stageHolds(plan: Pick<Plan, 'warmupMs' | 'durationMs' | 'scenarios'>): StageHold[] {
  const holds: StageHold[] = [];
  for (const scenario of plan.scenarios) {
    const levels = plannedLevels(scenario);
    for (let i = 1; i < levels.length; i++) {
      const [a, b] = [levels[i - 1] as PlannedLevel, levels[i] as PlannedLevel];
      const startMs = Math.max(a.atMs, plan.warmupMs);
      const endMs = Math.min(b.atMs, plan.durationMs);
      if (a.target === b.target && a.target > 0 && endMs > startMs) holds.push({ startMs, endMs });
    }
  }
  return holds.sort((x, y) => x.startMs - y.startMs);
}
