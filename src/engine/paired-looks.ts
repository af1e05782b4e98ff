import type { PlannedScenario } from '../plan/plan.js';
import type { PairedTimeline } from '../record/paired-layout.js';
import type { GeneratorRecord, RunRecord, ScenarioRecord } from '../record/run-record-types.js';
import type { ScenarioState } from './executors.js';

/**
 * Where a paired run may stop before its end: after each complete group of two block pairs (one
 * ABBA group, so what was measured so far is as balanced against drift as a whole run), the
 * engine asks an injected function "stop now?". The engine knows nothing of statistics; the
 * function gets the pairs done and, when it wants them, both arms' records so far.
 */

/** Block pairs in a group: a look falls only after a whole ABBA group. */
export const PAIRS_PER_GROUP = 2;

/**
 * When a group's look is taken: in the middle of the first settle after the group's end (its
 * requests are loaded but not measured), so that the look's own work, which holds up the event
 * loop for some milliseconds, delays no measured request; the group's last requests have had
 * until then to finish (one still running is in the record, not in the look). Without a settle
 * after it, at `FALLBACK_LAG_MS` after the group's end.
 */
export function lookAtMs(timeline: PairedTimeline, groupEndMs: number): number {
  const settle = timeline.settleStartMs(groupEndMs);
  return settle === undefined ? groupEndMs + FALLBACK_LAG_MS : settle + timeline.settings.settleMs / 2;
}

const FALLBACK_LAG_MS = 500;

/** What the engine offers at a group's end. */
export interface PairLook {
  /** Block pairs complete. */
  pairs: number;
  /** When the look is taken, ms into the measured period (the run's time, both arms). */
  atMs: number;
  /** Both arms' records of those pairs, as the run's records would be had it ended there (the self-check is not read before the end). */
  snapshot(): { head: RunRecord; base: RunRecord };
}

/** Asked at each group's end; true stops the load as a stop does, and the records say it was decided, not interrupted. */
export type StopNow = (look: PairLook) => boolean;

/**
 * Calls `onGroup(pairs)` at each group's look (`lookAtMs`), in order, until it returns
 * true, the schedule runs out or the watch is cancelled. `measuredNow` is the engine clock's time
 * into the measured period; timers are real, and a timer that fires early waits again.
 */
export function watchPairGroups(timeline: PairedTimeline, measuredNow: () => number, onGroup: (pairs: number) => boolean): { cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  const schedule = (pairs: number): void => {
    const endMs = timeline.pairsEndMs(pairs);
    if (cancelled || endMs === undefined) return;
    const atMs = lookAtMs(timeline, endMs);
    const wait = atMs - measuredNow();
    timer = setTimeout(
      () => {
        if (cancelled) return;
        if (measuredNow() < atMs) return schedule(pairs);
        if (onGroup(pairs)) return;
        schedule(pairs + PAIRS_PER_GROUP);
      },
      Math.max(0, Math.ceil(wait)),
    );
    timer.unref();
  };
  schedule(PAIRS_PER_GROUP);
  return {
    cancel: () => {
      cancelled = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

/**
 * A scenario's record while it still runs, `elapsedMs` after its start: what its end would
 * report of it so far (an open model's rates over that time).
 */
export function scenarioSoFar(scenario: PlannedScenario, state: ScenarioState, elapsedMs: number): ScenarioRecord {
  const spec = scenario.executor;
  const base = { executor: spec.type, model: scenario.model, iterations: state.iterations, ...(state.interruptedIterations > 0 ? { interruptedIterations: state.interruptedIterations } : {}) } as const;
  if (spec.type !== 'constant-arrival-rate' && spec.type !== 'ramping-arrival-rate') return { ...base, latencyFrom: 'actual-start', maxVUs: state.peak };
  const perSecond = 1000 / Math.max(1, elapsedMs);
  return {
    ...base,
    latencyFrom: 'intended-start',
    intendedIterations: state.intended,
    droppedIterations: state.dropped,
    intendedRate: round(state.intended * perSecond),
    achievedRate: round((state.intended - state.dropped) * perSecond),
    maxVUs: Math.max(state.peak, spec.preAllocatedVUs),
  };
}

/** The self-check is read at the run's end only; a look's records carry this in its place, and the record's comparison judges the generator. */
export const GENERATOR_NOT_READ: GeneratorRecord = { valid: true, reasons: [], eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, lateStarts: 0, lateThresholdMs: 0, cpuCores: 0, maxRssBytes: 0 };

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
