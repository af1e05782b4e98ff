import type { PlannedScenario } from '../plan/plan.js';
import type { ScenarioRecord } from '../record/run-record-types.js';
import { VirtualUser, type LoadContext } from './iteration.js';
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

interface ClosedVu {
  user: VirtualUser;
  running: boolean;
  /** No request of this VU starts later: the scenario's hard end, or sooner when ramped down. */
  deadlineMs: number;
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
  const vus: ClosedVu[] = [];
  const allStopped = new Idle();
  // A VU runs iterations back to back: each one's end starts the next, until it is told to stop.
  const newVu = (index: number): ClosedVu => {
    const onIterationEnd = (): void => {
      state.iterations++;
      const now = ctx.clock.now();
      if (!ctx.stopping && index < target && now < endMs) return vu.user.startIteration(now, vu.deadlineMs);
      vu.running = false;
      state.active--;
      allStopped.check(state.active);
    };
    const vu: ClosedVu = { user: new VirtualUser(ctx, scenario, onIterationEnd), running: false, deadlineMs: hardEndMs };
    return vu;
  };
  const adjust = (now: number): void => {
    target = targetAt(now);
    for (let i = 0; i < Math.max(target, vus.length); i++) {
      let vu = vus[i];
      if (i < target) {
        if (!vu) vu = vus[i] = newVu(i);
        vu.deadlineMs = hardEndMs;
        if (!vu.running && !ctx.stopping && now < endMs) {
          vu.running = true;
          state.active++;
          state.peak = Math.max(state.peak, state.active);
          vu.user.startIteration(now, vu.deadlineMs);
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
  await allStopped.when(state.active);
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
  const free: VirtualUser[] = [];
  const allDone = new Idle();
  const onIterationEnd = (user: VirtualUser): void => {
    state.active--;
    state.iterations++;
    free.push(user);
    allDone.check(state.active);
  };

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
        const user = free.pop() ?? new VirtualUser(ctx, scenario, onIterationEnd);
        user.startIteration(intendedMs, hardEndMs);
      }
      next = schedule.next();
    }
    if (next !== undefined) await ctx.sleeper.sleep(Math.max(1, Math.floor(startMs + next - ctx.clock.now())));
  }
  const ranMs = next === undefined ? scenario.durationMs : Math.max(1, ctx.clock.now() - startMs);
  await allDone.when(state.active);
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

/** Waits until a count of running VUs is down to zero. */
class Idle {
  private resolve: (() => void) | undefined;

  when(active: number): Promise<void> {
    if (active === 0) return Promise.resolve();
    return new Promise((resolve) => (this.resolve = resolve));
  }

  /** Call after each change of the count. */
  check(active: number): void {
    const resolve = this.resolve;
    if (active !== 0 || resolve === undefined) return;
    this.resolve = undefined;
    resolve();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
