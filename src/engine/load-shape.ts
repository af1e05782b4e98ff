import type { PlannedScenario, Plan } from '../plan/plan.js';
import { warmupSliceCount } from '../record/load-shape-slices.js';
import type { LoadShape, PlannedLevel, ScenarioShape } from '../record/run-record-types.js';
import type { Clock } from './clock.js';
import type { ScenarioState } from './executors.js';

/** What the sampler reads of a scenario's live counts (executors.ts keeps them). */
export type ShapeCounts = Pick<ScenarioState, 'active' | 'vuBusyMs' | 'busySinceMs' | 'intended' | 'dropped'>;

interface Mark {
  /** VU-milliseconds spent in iterations so far. */
  busyMs: number;
  due: number;
  dropped: number;
}

/**
 * Samples the load's shape once per slice (the record's blocks, and the warm-up cut the same way):
 * per scenario the mean VUs running an iteration, and for open-model executors the iterations due
 * and dropped. It reads the counts executors keep anyway, on a timer at each slice's end, so the
 * hot path is untouched; memory is three numbers per scenario and slice.
 *
 * A timer that fires late (a busy event loop) closes every slice it passed at once: they share
 * the mean VUs of the whole interval, and its iterations in proportion to their length.
 */
export class LoadShapeSampler {
  /** Each slice's end, ms from the start of the run, up to the end of the plan. */
  private readonly ends: number[] = [];
  private readonly warmupSlices: number;
  private readonly shapes = new Map<string, { vus: number[]; due: number[]; dropped: number[] }>();
  private readonly marks = new Map<string, Mark>();
  /** Slices closed so far. */
  private closed = 0;
  private sampledAtMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly plan: Plan,
    private readonly states: ReadonlyMap<string, ShapeCounts>,
    private readonly clock: Clock,
    private readonly runStartMs: number,
  ) {
    const { warmupMs, blockMs, durationMs } = plan;
    this.warmupSlices = warmupSliceCount(warmupMs, blockMs);
    for (let k = this.warmupSlices - 1; k >= 0; k--) this.ends.push(warmupMs - k * blockMs);
    for (let start = warmupMs; start < durationMs; start += blockMs) this.ends.push(Math.min(start + blockMs, durationMs));
    for (const name of states.keys()) {
      this.shapes.set(name, { vus: [], due: [], dropped: [] });
      this.marks.set(name, { busyMs: 0, due: 0, dropped: 0 });
    }
  }

  start(): void {
    this.schedule();
  }

  /** Closes the slices up to now, the one a stop cut short included, and samples no more. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.sample(this.nowMs(), true);
  }

  /** The shape of the first `blockCount` measured slices, after the warm-up's (absent slices are empty). */
  toRecord(blockCount: number): LoadShape {
    const length = this.warmupSlices + blockCount;
    const fit = (values: number[]): number[] => Array.from({ length }, (_, i) => values[i] ?? 0);
    const scenarios: Record<string, ScenarioShape> = {};
    for (const scenario of this.plan.scenarios) {
      const shape = this.shapes.get(scenario.name);
      if (shape === undefined) continue;
      scenarios[scenario.name] = {
        planned: plannedLevels(scenario),
        vus: fit(shape.vus),
        ...(scenario.model === 'open' ? { due: fit(shape.due), dropped: fit(shape.dropped) } : {}),
      };
    }
    return { warmupSlices: this.warmupSlices, scenarios };
  }

  private nowMs(): number {
    return this.clock.now() - this.runStartMs;
  }

  private schedule(): void {
    const end = this.ends[this.closed];
    if (end === undefined || this.stopped) return;
    this.timer = setTimeout(() => {
      this.sample(this.nowMs(), false);
      this.schedule();
    }, Math.max(0, end - this.nowMs()));
    this.timer.unref();
  }

  /** Closes the slices that ended by `atMs` (and, when `final`, the one running then). */
  private sample(atMs: number, final: boolean): void {
    const first = this.closed;
    const pieces: number[] = [];
    let from = this.sampledAtMs;
    for (let i = first; i < this.ends.length && (this.ends[i] as number) <= atMs; i++) {
      pieces.push((this.ends[i] as number) - from);
      from = this.ends[i] as number;
    }
    if (final && first + pieces.length < this.ends.length && atMs > from) {
      pieces.push(atMs - from);
      from = atMs;
    }
    if (pieces.length === 0) return;
    // Time past the last edge belongs to the last slice closed now (the timer's lateness).
    pieces[pieces.length - 1] = (pieces[pieces.length - 1] as number) + Math.max(0, atMs - from);
    const elapsedMs = atMs - this.sampledAtMs;
    const absolute = atMs + this.runStartMs;
    for (const [name, state] of this.states) {
      const mark = this.marks.get(name) as Mark;
      const shape = this.shapes.get(name) as { vus: number[]; due: number[]; dropped: number[] };
      const busyMs = state.vuBusyMs + state.active * Math.max(0, absolute - state.busySinceMs);
      const meanVus = elapsedMs > 0 ? round2(Math.max(0, busyMs - mark.busyMs) / elapsedMs) : state.active;
      for (let i = 0; i < pieces.length; i++) shape.vus.push(meanVus);
      shape.due.push(...share(state.intended - mark.due, pieces));
      shape.dropped.push(...share(state.dropped - mark.dropped, pieces));
      this.marks.set(name, { busyMs, due: state.intended, dropped: state.dropped });
    }
    this.closed = first + pieces.length;
    this.sampledAtMs = atMs;
  }
}

/** `count` split over pieces in proportion to their lengths, in whole numbers that add up to it. */
function share(count: number, pieces: readonly number[]): number[] {
  if (pieces.length === 1) return [count];
  const total = pieces.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let given = 0;
  let sofar = 0;
  for (const piece of pieces) {
    sofar += piece;
    const upTo = total > 0 ? Math.round((count * sofar) / total) : count;
    out.push(upTo - given);
    given = upTo;
  }
  return out;
}

/** The level the scenario asks for over time: VUs (closed model) or iterations per second (open model). */
export function plannedLevels(scenario: PlannedScenario): PlannedLevel[] {
  const startMs = scenario.startTimeMs;
  const spec = scenario.executor;
  const ramp = (start: number, stages: ReadonlyArray<{ durationMs: number; target: number }>, scale: number): PlannedLevel[] => {
    const levels: PlannedLevel[] = [{ atMs: startMs, target: round2(start * scale) }];
    let atMs = startMs;
    for (const stage of stages) {
      atMs += stage.durationMs;
      levels.push({ atMs, target: round2(stage.target * scale) });
    }
    return levels;
  };
  switch (spec.type) {
    case 'constant-vus':
      return ramp(spec.vus, [{ durationMs: spec.durationMs, target: spec.vus }], 1);
    case 'ramping-vus':
      return ramp(spec.startVUs, spec.stages, 1);
    case 'constant-arrival-rate':
      return ramp(spec.rate, [{ durationMs: spec.durationMs, target: spec.rate }], 1000 / spec.timeUnitMs);
    case 'ramping-arrival-rate':
      return ramp(spec.startRate, spec.stages, 1000 / spec.timeUnitMs);
    default:
      return [];
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
