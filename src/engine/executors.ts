import type { PlannedScenario, PlannedStep } from '../plan/plan.js';
import type { ScenarioRecord } from '../record/run-record-types.js';
import type { CookieJar } from './cookie-jar.js';
import type { HttpClient, HttpRequest, OutcomeCallback } from './http-client.js';
import { VirtualUser, type LoadContext } from './iteration.js';
import type { RequestBuilder } from './request-builder.js';
import { ArrivalSchedule, rampValueAt } from './schedule.js';

/** How often a ramping-vus executor checks its target VU count. */
const RAMP_TICK_MS = 10;

/** Live counts of one scenario, for progress and the run record. */
export interface ScenarioState {
  active: number;
  peak: number;
  /** Iterations that ran to their end (or to a failed step); cut-short ones are counted apart. */
  iterations: number;
  interruptedIterations: number;
  /** Requests cut off in flight. */
  interruptedRequests: number;
  intended: number;
  dropped: number;
  /** Time VUs spent running iterations, summed over VUs, ms, up to `busySinceMs`. */
  vuBusyMs: number;
  busySinceMs: number;
  /** Cuts off the scenario's requests in flight now; a no-op before it starts. */
  interrupt: () => void;
  /** An iteration executor's end (its iterations done, or maxDuration), from the run's start; absent otherwise. */
  finishedAtMs?: number;
  /**
   * Paired mode: the counts of each arm (0 head, 1 base), an iteration counted for the arm its
   * start falls in; absent otherwise.
   */
  arms?: [ArmCounts, ArmCounts];
}

/** One arm's share of a scenario's iterations in paired mode. */
export interface ArmCounts {
  intended: number;
  dropped: number;
  iterations: number;
  interruptedIterations: number;
}

function newArmCounts(): ArmCounts {
  return { intended: 0, dropped: 0, iterations: 0, interruptedIterations: 0 };
}

export function newScenarioState(): ScenarioState {
  return {
    active: 0,
    peak: 0,
    iterations: 0,
    interruptedIterations: 0,
    interruptedRequests: 0,
    intended: 0,
    dropped: 0,
    vuBusyMs: 0,
    busySinceMs: 0,
    interrupt: () => {},
  };
}

/** Changes the count of running VUs, keeping the VU-time sum up to date. */
function addActive(state: ScenarioState, now: number, delta: number): void {
  state.vuBusyMs += state.active * (now - state.busySinceMs);
  state.busySinceMs = now;
  state.active += delta;
  if (state.active > state.peak) state.peak = state.active;
}

/** Runs one scenario from its start time to its end (plus graceful stop) and reports what it did. */
export async function runScenario(ctx: LoadContext, scenario: PlannedScenario, state: ScenarioState): Promise<ScenarioRecord> {
  const startMs = ctx.runStartMs + scenario.startTimeMs;
  await ctx.sleeper.sleep(startMs - ctx.clock.now());
  const inFlight = new InFlight(ctx, state);
  state.interrupt = () => inFlight.interrupt();
  if (ctx.armAt) state.arms = [newArmCounts(), newArmCounts()];
  state.busySinceMs = ctx.clock.now();
  // When gracefulStop expires, requests still in flight are cut off, as k6 does: a target that
  // never answers cannot keep the run going until the request timeout.
  const hardEndMs = startMs + scenario.durationMs + scenario.gracefulStopMs;
  const timer = setTimeout(() => inFlight.interrupt(), Math.max(0, hardEndMs - ctx.clock.now()));
  timer.unref();
  try {
    const scoped = inFlight.context();
    const record = scenario.model === 'open' ? await runOpen(scoped, scenario, startMs, state) : await runClosed(scoped, scenario, startMs, state);
    addActive(state, ctx.clock.now(), 0);
    return state.interruptedIterations > 0 ? { ...record, interruptedIterations: state.interruptedIterations } : record;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A scenario's view of the run's HTTP client that knows the scenario's requests in flight, so
 * they can be cut off when its gracefulStop expires (or a stop's grace ends) without touching
 * other scenarios' requests on the shared pool. A cut-off request is counted for its step as
 * interrupted, not as a request or an error of the target; its VU's iteration ends at once. Its
 * connection stays busy until the run ends, when the engine destroys the pool.
 *
 * The step of a request is learnt from its builder: a virtual user builds a request and sends it
 * in the same synchronous call, so the builder last called names the step of the next send.
 */
class InFlight implements HttpClient {
  /** Each VU's outcome callback (one request in flight each), the step its request is for and its arm. */
  private readonly pending = new Map<OutcomeCallback, { stepId: number; arm: number }>();
  private readonly settlers = new Map<OutcomeCallback, OutcomeCallback>();
  private builtStepId = -1;
  interrupted = false;

  constructor(
    private readonly ctx: LoadContext,
    private readonly state: ScenarioState,
  ) {}

  /** The run's context with this client, builders that name their step, and its own interrupted flag. */
  context(): LoadContext {
    const builders = new Map<PlannedStep, RequestBuilder>();
    for (const [step, build] of this.ctx.builders) {
      builders.set(step, (vars, random) => {
        this.builtStepId = step.id;
        return build(vars, random);
      });
    }
    const parent = this.ctx;
    const self = this;
    return Object.create(parent, {
      http: { value: this },
      builders: { value: builders },
      interrupted: { get: () => parent.interrupted || self.interrupted },
    }) as LoadContext;
  }

  send(request: HttpRequest, done: OutcomeCallback, arm = 0, jar?: CookieJar): void {
    this.pending.set(done, { stepId: this.builtStepId, arm });
    let settle = this.settlers.get(done);
    if (settle === undefined) {
      settle = (outcome) => {
        if (this.pending.delete(done)) done(outcome);
      };
      this.settlers.set(done, settle);
    }
    this.ctx.http.send(request, settle, arm, jar);
  }

  close(): Promise<void> {
    return this.ctx.http.close();
  }

  destroy(): Promise<void> {
    return this.ctx.http.destroy();
  }

  /** Ends every request in flight now; their outcomes, when they come, are dropped. */
  interrupt(): void {
    this.interrupted = true;
    for (const [done, { stepId, arm }] of this.pending) {
      this.pending.delete(done);
      if (stepId >= 0) this.ctx.recorder.recordInterrupted(stepId, arm);
      this.state.interruptedRequests++;
      done({ ok: false, error: new Error('interrupted: the graceful stop expired') });
    }
  }
}

interface ClosedVu {
  user: VirtualUser;
  running: boolean;
  /** No request of this VU starts later: the scenario's hard end, or sooner when ramped down. */
  deadlineMs: number;
  /** The arm of its current iteration (paired mode; 0 otherwise). */
  arm: number;
  /** An iteration executor's VU with no iteration left: it never starts again. */
  finished?: boolean;
}

/** The arm an iteration due at `atMs` (clock time) goes to: paired mode's schedule, else 0. */
function armOf(ctx: LoadContext, atMs: number): number {
  return ctx.armAt ? ctx.armAt(atMs - ctx.runStartMs) : 0;
}

/**
 * Closed model (constant-vus, ramping-vus, shared-iterations, per-vu-iterations): each VU runs
 * iterations back to back. A VU beyond the current target finishes its iteration within
 * gracefulRampDown; at the scenario's end, within gracefulStop. The iteration executors end
 * their VUs when the iterations are done (or at maxDuration). Latency is timed from each
 * request's actual start.
 */
async function runClosed(ctx: LoadContext, scenario: PlannedScenario, startMs: number, state: ScenarioState): Promise<ScenarioRecord> {
  const spec = scenario.executor;
  if (spec.type === 'constant-arrival-rate' || spec.type === 'ramping-arrival-rate') throw new Error(`not a closed-model executor: ${spec.type}`);
  const endMs = startMs + scenario.durationMs;
  const hardEndMs = endMs + scenario.gracefulStopMs;
  const targetAt = (now: number): number => (spec.type === 'ramping-vus' ? Math.floor(rampValueAt(spec.startVUs, spec.stages, now - startMs) + 1e-9) : spec.vus);
  // Iterations still to start: shared by all VUs, or each VU's own; unbounded for the other executors.
  let shared = spec.type === 'shared-iterations' ? spec.iterations : Infinity;
  const ownLeft: number[] = [];
  const takeIteration = (index: number): boolean => {
    if (spec.type === 'per-vu-iterations') {
      const left = ownLeft[index] ?? spec.iterations;
      ownLeft[index] = left - 1;
      return left > 0;
    }
    if (shared <= 0) return false;
    shared--;
    return true;
  };
  const rampDownMs = spec.type === 'ramping-vus' ? spec.gracefulRampDownMs : scenario.gracefulStopMs;

  let target = targetAt(ctx.clock.now());
  const scenarioIndex = ctx.scenarioTotals.indexOf(scenario);
  const vus: ClosedVu[] = [];
  const allStopped = new Idle();
  // A VU runs iterations back to back: each one's end starts the next, until it is told to stop.
  const newVu = (index: number): ClosedVu => {
    const onIterationEnd = (): void => {
      const now = ctx.clock.now();
      const counts = state.arms?.[vu.arm];
      if (ctx.stopping || ctx.interrupted || now > vu.deadlineMs) {
        state.interruptedIterations++;
        if (counts) counts.interruptedIterations++;
      } else {
        state.iterations++;
        if (counts) counts.iterations++;
        countIteration(ctx, scenarioIndex, vu.user, now, vu.arm);
      }
      if (!ctx.stopping && index < target && now < endMs && takeIteration(index)) return startClosed(vu, now);
      vu.running = false;
      addActive(state, now, -1);
      allStopped.check(state.active);
    };
    const vu: ClosedVu = { user: new VirtualUser(ctx, scenario, onIterationEnd), running: false, deadlineMs: hardEndMs, arm: 0 };
    return vu;
  };
  const startClosed = (vu: ClosedVu, now: number): void => {
    vu.arm = armOf(ctx, now);
    vu.user.startIteration(now, vu.deadlineMs);
  };
  const adjust = (now: number): void => {
    target = targetAt(now);
    for (let i = 0; i < Math.max(target, vus.length); i++) {
      let vu = vus[i];
      if (i < target) {
        if (!vu) vu = vus[i] = newVu(i);
        vu.deadlineMs = hardEndMs;
        if (!vu.running && !vu.finished && !ctx.stopping && now < endMs) {
          if (!takeIteration(i)) {
            vu.finished = true;
            continue;
          }
          vu.running = true;
          addActive(state, now, 1);
          startClosed(vu, now);
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
  if (spec.type === 'shared-iterations' || spec.type === 'per-vu-iterations') state.finishedAtMs = Math.min(ctx.clock.now(), endMs) - ctx.runStartMs;
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
  const scenarioIndex = ctx.scenarioTotals.indexOf(scenario);
  const allDone = new Idle();
  // Paired mode: the arm of each running iteration, for the arm's counts when it ends.
  const armOfUser = new Map<VirtualUser, number>();
  const onIterationEnd = (user: VirtualUser): void => {
    const now = ctx.clock.now();
    addActive(state, now, -1);
    const counts = state.arms?.[armOfUser.get(user) ?? 0];
    if (ctx.stopping || ctx.interrupted || now > hardEndMs) {
      state.interruptedIterations++;
      if (counts) counts.interruptedIterations++;
    } else {
      state.iterations++;
      if (counts) counts.iterations++;
      countIteration(ctx, scenarioIndex, user, now, armOfUser.get(user) ?? 0);
    }
    free.push(user);
    allDone.check(state.active);
  };

  let next = schedule.next();
  while (next !== undefined && !ctx.stopping) {
    const now = ctx.clock.now();
    // Start everything due (within half a millisecond: timers cannot be more precise).
    while (next !== undefined && startMs + next <= now + 0.5) {
      const intendedMs = startMs + next;
      const arm = armOf(ctx, intendedMs);
      const counts = state.arms?.[arm];
      state.intended++;
      if (counts) counts.intended++;
      if (state.active >= spec.maxVUs) {
        state.dropped++;
        if (counts) counts.dropped++;
      } else {
        addActive(state, now, 1);
        const user = free.pop() ?? new VirtualUser(ctx, scenario, onIterationEnd);
        if (counts) armOfUser.set(user, arm);
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

/**
 * A paired arm's view of a scenario's record: the iterations that started in its blocks (its
 * share of warm-up and tail included), and for the open model those it asked for and dropped, its
 * achieved rate the profile's rate scaled by the share it could start (the rates while it was
 * the active one). The most VUs at once stays the scenario's: one pool served both arms.
 */
export function armScenarioRecord(record: ScenarioRecord, state: ScenarioState, arm: number): ScenarioRecord {
  const counts = state.arms?.[arm];
  if (counts === undefined) return record;
  const { interruptedIterations: _all, ...rest } = record;
  const armRecord: ScenarioRecord = { ...rest, iterations: counts.iterations, ...(counts.interruptedIterations > 0 ? { interruptedIterations: counts.interruptedIterations } : {}) };
  if (record.model !== 'open') return armRecord;
  const intendedRate = record.intendedRate ?? 0;
  return {
    ...armRecord,
    intendedIterations: counts.intended,
    droppedIterations: counts.dropped,
    intendedRate,
    achievedRate: counts.intended > 0 ? round((intendedRate * (counts.intended - counts.dropped)) / counts.intended) : intendedRate,
  };
}

/** An iteration that ran to its end, timed into its scenario's iteration_duration (when it began in the measured period). */
function countIteration(ctx: LoadContext, scenarioIndex: number, user: VirtualUser, now: number, arm: number): void {
  ctx.scenarioTotals.recordIteration(scenarioIndex, user.iterationStartMs - ctx.runStartMs, (now - user.iterationStartMs) * 1000, arm);
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
