import type { PlannedScenario } from '../plan/plan.js';
import type { ScenarioRecord } from '../record/run-record-types.js';
import { runIteration, type LoadContext } from './iteration.js';
import { ArrivalSchedule, rampValueAt } from './schedule.js';

/** How often a ramping-vus executor checks its target VU count. */
const RAMP_TICK_MS = 10;

/** Live counts of one scenario, for progress and the run record. */
export interface ScenarioState {
  active: number;
  peak: number;
  iterations: number;
  intended: number;
  dropped: number;
}

export function newScenarioState(): ScenarioState {
  return { active: 0, peak: 0, iterations: 0, intended: 0, dropped: 0 };
}

/** Runs one scenario from its start time to its end (plus graceful stop) and reports what it did. */
export async function runScenario(ctx: LoadContext, scenario: PlannedScenario, state: ScenarioState): Promise<ScenarioRecord> {
  const startMs = ctx.runStartMs + scenario.startTimeMs;
  await ctx.sleeper.sleep(startMs - ctx.clock.now());
  if (scenario.model === 'open') return runOpen(ctx, scenario, startMs, state);
  return runClosed(ctx, scenario, startMs, state);
}

/**
 * Closed model (constant-vus, ramping-vus): each VU runs iterations back to back. A VU beyond the
 * current target finishes its iteration within gracefulRampDown; at the scenario's end, within
 * gracefulStop. Latency is timed from each request's actual start.
 */
async function runClosed(ctx: LoadContext, scenario: PlannedScenario, startMs: number, state: ScenarioState): Promise<ScenarioRecord> {
  const spec = scenario.executor;
  if (spec.type !== 'constant-vus' && spec.type !== 'ramping-vus') throw new Error(`not a closed-model executor: ${spec.type}`);
  const endMs = startMs + scenario.durationMs;
  const hardEndMs = endMs + scenario.gracefulStopMs;
  const targetAt = (now: number): number =>
    spec.type === 'constant-vus' ? spec.vus : Math.floor(rampValueAt(spec.startVUs, spec.stages, now - startMs) + 1e-9);
  const rampDownMs = spec.type === 'ramping-vus' ? spec.gracefulRampDownMs : scenario.gracefulStopMs;

  let target = targetAt(ctx.clock.now());
  const vus: Array<{ running: boolean; deadlineMs: number }> = [];
  const loops: Array<Promise<void>> = [];
  const vuLoop = async (index: number): Promise<void> => {
    const vu = vus[index] as { running: boolean; deadlineMs: number };
    state.active++;
    state.peak = Math.max(state.peak, state.active);
    while (!ctx.stopping && index < target && ctx.clock.now() < endMs) {
      await runIteration(ctx, scenario, ctx.clock.now(), vu.deadlineMs);
      state.iterations++;
    }
    state.active--;
    vu.running = false;
  };
  const adjust = (now: number): void => {
    target = targetAt(now);
    for (let i = 0; i < Math.max(target, vus.length); i++) {
      let vu = vus[i];
      if (i < target) {
        if (!vu) vu = vus[i] = { running: false, deadlineMs: hardEndMs };
        vu.deadlineMs = hardEndMs;
        if (!vu.running) {
          vu.running = true;
          loops.push(vuLoop(i));
        }
      } else if (vu?.running && vu.deadlineMs === hardEndMs) {
        vu.deadlineMs = Math.min(hardEndMs, now + rampDownMs);
      }
    }
  };

  adjust(ctx.clock.now());
  if (spec.type === 'ramping-vus') {
    while (!ctx.stopping && ctx.clock.now() < endMs) {
      await ctx.sleeper.sleep(Math.min(RAMP_TICK_MS, endMs - ctx.clock.now()));
      adjust(ctx.clock.now());
    }
  }
  // Loops may be added while we wait; wait until none is left.
  for (let done = 0; done < loops.length; done++) await loops[done];
  return {
    executor: spec.type,
    model: 'closed',
    latencyFrom: 'actual-start',
    iterations: state.iterations,
    maxVUs: state.peak,
  };
}

/**
 * Open model (constant-arrival-rate, ramping-arrival-rate): iterations start on a schedule,
 * whatever the target's speed, each on a free VU from a pool of up to maxVUs. An iteration that
 * finds no free VU is dropped and counted, never silently skipped.
 */
async function runOpen(ctx: LoadContext, scenario: PlannedScenario, startMs: number, state: ScenarioState): Promise<ScenarioRecord> {
  const spec = scenario.executor;
  if (spec.type !== 'constant-arrival-rate' && spec.type !== 'ramping-arrival-rate') throw new Error(`not an open-model executor: ${spec.type}`);
  const schedule =
    spec.type === 'constant-arrival-rate'
      ? ArrivalSchedule.constant(spec.rate, spec.timeUnitMs, spec.durationMs)
      : ArrivalSchedule.ramping(spec.startRate, spec.timeUnitMs, spec.stages);
  const hardEndMs = startMs + scenario.durationMs + scenario.gracefulStopMs;
  const inFlight = new Set<Promise<void>>();

  let next = schedule.next();
  while (next !== undefined && !ctx.stopping) {
    const now = ctx.clock.now();
    // Start everything due (within half a millisecond: timers cannot be more precise).
    while (next !== undefined && startMs + next <= now + 0.5) {
      const intendedMs = startMs + next;
      state.intended++;
      if (state.active >= spec.maxVUs) {
        state.dropped++;
      } else {
        state.active++;
        if (state.active > state.peak) state.peak = state.active;
        const iteration = runIteration(ctx, scenario, intendedMs, hardEndMs).then(() => {
          state.active--;
          state.iterations++;
          inFlight.delete(iteration);
        });
        inFlight.add(iteration);
      }
      next = schedule.next();
    }
    if (next !== undefined) await ctx.sleeper.sleep(Math.max(1, Math.floor(startMs + next - ctx.clock.now())));
  }
  const ranMs = next === undefined ? scenario.durationMs : Math.max(1, ctx.clock.now() - startMs);
  await Promise.all([...inFlight]);
  const perSecond = 1000 / ranMs;
  return {
    executor: spec.type,
    model: 'open',
    latencyFrom: 'intended-start',
    iterations: state.iterations,
    intendedIterations: state.intended,
    droppedIterations: state.dropped,
    intendedRate: round(state.intended * perSecond),
    achievedRate: round((state.intended - state.dropped) * perSecond),
    maxVUs: Math.max(state.peak, spec.preAllocatedVUs),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
