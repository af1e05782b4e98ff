import type { DataSet } from '../config/profile-types.js';
import type { PlannedScenario, PlannedStep } from '../plan/plan.js';
import type { ErrorKind } from '../record/run-record-types.js';
import { passes, ResponseBody } from './check-evaluation.js';
import { captureEach } from './capture-values.js';
import { CookieJar } from './cookie-jar.js';
import type { CompiledCapture } from '../config/capture-config.js';
import type { ResponseHeaders } from './http-client.js';
import type { CheckCounter } from './check-counter.js';
import type { ScenarioTotals } from './scenario-results.js';
import type { Clock } from './clock.js';
import { classifyError } from './error-kinds.js';
import type { HttpClient, HttpOutcome } from './http-client.js';
import { readServerTiming, type ServerTimingSink } from './server-timing.js';
import { IterationRandom } from './iteration-random.js';
import type { RequestBuilder } from './request-builder.js';
import type { SelfMonitor } from './self-monitor.js';
import type { Sleeper } from './sleeper.js';
import type { Vars } from '../config/template.js';

/** Where requests are recorded: a Recorder, or in paired mode one that keeps each arm apart. */
export interface ArmRecorder {
  record(stepId: number, originMs: number, latencyUs: number | undefined, status: number | undefined, error: ErrorKind | undefined, arm?: number): void;
  recordInterrupted(stepId: number, arm?: number): void;
  /** Where a response's `Server-Timing` metrics go (undefined: not recorded, as in warm-up). */
  serverTimingOf?(stepId: number, originMs: number, arm?: number): ServerTimingSink | undefined;
}

/** What every iteration shares: the outside world (clock, HTTP), the run's seed and its state. */
export interface LoadContext {
  clock: Clock;
  /** Clock time at which the run began; record times are offsets from it. */
  runStartMs: number;
  http: HttpClient;
  /** The run's seed: each iteration's stream of random numbers is made from it (iteration-random.ts). */
  seed: number;
  /** Which of the seed's streams this run draws (its shard's index, else 0): shards of one seed differ. */
  seedStream: number;
  recorder: ArmRecorder;
  /** The `checks` metric: captures and checks, passed and failed. */
  checks: CheckCounter;
  /** Each scenario's requests apart (`{scenario:NAME}`). */
  scenarioTotals: ScenarioTotals;
  monitor: SelfMonitor;
  sleeper: Sleeper;
  builders: ReadonlyMap<PlannedStep, RequestBuilder>;
  /** No new iterations or steps once set. */
  stopping: boolean;
  /** In-flight requests are being cut off: their outcomes are not recorded. */
  interrupted: boolean;
  /** A bug in the engine: stops the run, which then fails with it rather than waiting forever. */
  crash(error: unknown): void;
  /**
   * Paired mode: the arm (0 head, 1 base) an iteration due this long after the run start goes to;
   * its requests are sent and recorded with that arm. Absent otherwise (every iteration is arm 0).
   */
  armAt?: (offsetMs: number) => number;
  /** What the setup steps captured, per arm: the bottom layer of every iteration's variables. */
  setupVars?: readonly Vars[];
  /** The profile's data sets and the shared counters that pick their rows. */
  data: DataRows;
  /** Empty each VU's cookie jar as each of its iterations starts (k6's default, `noCookiesReset: false`). */
  cookiesPerIteration?: boolean;
}

/** Data sets with their round-robin positions and the count of VUs made (each VU's number). */
export interface DataRows {
  sets: readonly DataSet[];
  nextRow: number[];
  vus: number;
}

/** The variables `{{ set.column }}` of the row `index` of each data set. */
export function fillDataRow(vars: Vars, sets: readonly DataSet[], pickRow: (set: DataSet, i: number) => number): void {
  sets.forEach((set, i) => {
    const row = set.rows[pickRow(set, i)] as string[];
    for (let c = 0; c < set.columns.length; c++) vars[`${set.name}.${set.columns[c] as string}`] = row[c];
  });
}

/** What a VU keeps across its iterations, per arm: its once-steps' captures and which succeeded, its cookies. */
interface VuState {
  /** Null-prototype chain: the setup's captures beneath. */
  vars: Vars;
  /** Ids of the once-steps done: a step of that name in another journey counts as done too. */
  done: Set<number>;
  /** The VU's cookies for this arm's target: kept for the VU's life (k6's noCookiesReset), or emptied per iteration when the profile asks. */
  jar: CookieJar;
}

/**
 * A virtual user: runs one journey iteration at a time, picking the journey by weight and its
 * steps in order with think time. As in k6, a failed step (transport error, unexpected status)
 * does not end the iteration; a later step that needs a value no step captured is not sent.
 * Captures and checks count in the `checks` metric, never as failed requests.
 * A VU keeps what its once-steps captured across its iterations, above the setup's captures
 * (per arm in paired mode); everything else it captures lasts one iteration. Its cookie jar (per
 * arm) lasts its life, as k6's. Nothing here throws.
 *
 * It is driven by callbacks, not awaits: the next request is sent from inside the previous
 * response's callback, so it reuses the connection just freed at once, and no promise is made per
 * request. This is the engine's hot path; `npm run bench` measures it.
 *
 * Latency is timed from the request's intended start in the open model (the scheduled arrival,
 * or the end of the previous step's think time), so a slow target cannot hide its queueing delay
 * by slowing the generator down (no coordinated omission). It is never timed from before the
 * request could have been sent: an early timer counts from the actual start.
 */
export class VirtualUser {
  private steps: readonly PlannedStep[] = [];
  private index = 0;
  /**
   * The iteration's captured values, on top of the VU's (`state.vars`) and the setup's: a chain of
   * null-prototype objects, so a lookup falls through the layers and no name is special.
   */
  private vars: Vars = Object.create(null) as Vars;
  private state: VuState | undefined;
  /** Per arm (paired mode has two targets, each with its own logins). */
  private readonly states: Array<VuState | undefined> = [];
  /** When the current step should have started. */
  private intendedMs = 0;
  /** What the current request's latency is timed from. */
  private originMs = 0;
  private deadlineMs = 0;
  /** The arm of the current iteration (paired mode), 0 otherwise. */
  private arm = 0;
  private readonly openModel: boolean;
  /** This VU's number in the run (0, 1, ...): its row of a `per-vu` data set. */
  private readonly vuNumber: number;
  /** Its scenario's place in `ctx.scenarioTotals`. */
  private readonly scenarioIndex: number;
  /** Iterations this VU has started, for `{{ __ITER }}`. */
  private iterationsStarted = 0;
  /** Whether the current iteration has sent a request. */
  private sent = false;
  /** The group (k6's `group()`) the iteration is in, when its first request started, when its last one ended. */
  private group: string | undefined;
  private groupStartMs = 0;
  private groupEndMs = 0;
  /** Clock time the current iteration started (open model: no later than it was due), for iteration_duration. */
  iterationStartMs = 0;
  /** The current iteration's random numbers: its journey, think times, data rows and helpers. */
  private readonly random = new IterationRandom();

  constructor(
    private readonly ctx: LoadContext,
    private readonly scenario: PlannedScenario,
    /** Called when an iteration is over; it may start the next one at once. */
    private readonly onIterationEnd: (vu: VirtualUser) => void,
  ) {
    this.openModel = scenario.model === 'open';
    this.vuNumber = ctx.data.vus++;
    this.scenarioIndex = ctx.scenarioTotals.indexOf(scenario);
  }

  /** Starts an iteration due at `intendedStartMs`; no request of it starts after `deadlineMs`. */
  startIteration(intendedStartMs: number, deadlineMs: number): void {
    try {
      this.random.restart(this.ctx.seed, this.ctx.seedStream, this.vuNumber, this.iterationsStarted);
      this.steps = pickJourney(this.scenario, this.random.next()).steps;
      this.index = 0;
      this.sent = false;
      this.group = undefined;
      this.intendedMs = intendedStartMs;
      this.deadlineMs = deadlineMs;
      this.iterationStartMs = this.openModel ? Math.min(intendedStartMs, this.ctx.clock.now()) : this.ctx.clock.now();
      if (this.ctx.armAt) this.arm = this.ctx.armAt(intendedStartMs - this.ctx.runStartMs);
      const state = (this.states[this.arm] ??= { vars: Object.create(this.ctx.setupVars?.[this.arm] ?? null) as Vars, done: new Set(), jar: new CookieJar() });
      this.state = state;
      if (this.ctx.cookiesPerIteration === true && state.jar.size > 0) state.jar.clear();
      this.vars = Object.create(state.vars) as Vars;
      // k6's __VU (from 1) and __ITER (this VU's iterations, from 0).
      this.vars.__VU = this.vuNumber + 1;
      this.vars.__ITER = this.iterationsStarted++;
      const data = this.ctx.data;
      if (data.sets.length > 0) fillDataRow(this.vars, data.sets, (set, i) => this.pickRow(set, i));
      this.sendStep();
    } catch (error) {
      this.crash(error);
    }
  }

  private pickRow(set: DataSet, i: number): number {
    const data = this.ctx.data;
    if (set.pick === 'per-vu') return this.vuNumber % set.rows.length;
    if (set.pick === 'random') return Math.min(set.rows.length - 1, Math.floor(this.random.next() * set.rows.length));
    const next = data.nextRow[i] ?? 0;
    data.nextRow[i] = (next + 1) % set.rows.length;
    return next;
  }

  private sendStep(): void {
    while (this.index < this.steps.length && this.skips(this.steps[this.index] as PlannedStep)) this.index++;
    const step = this.steps[this.index];
    // An iteration that sent nothing ends a turn later: the next one must not start inside this call.
    if (step === undefined) {
      if (this.group !== undefined) this.endGroup();
      return this.sent ? this.onIterationEnd(this) : void setImmediate(this.endIteration);
    }
    const ctx = this.ctx;
    const start = ctx.clock.now();
    if (ctx.stopping || start > this.deadlineMs) return this.onIterationEnd(this);
    ctx.monitor.noteStart(start - this.intendedMs);
    this.originMs = this.openModel ? Math.min(this.intendedMs, start) : start;
    if (step.group !== this.group) {
      if (this.group !== undefined) this.endGroup();
      if (step.group !== undefined) {
        this.group = step.group;
        this.groupStartMs = this.originMs;
      }
    }
    this.sent = true;
    ctx.http.send((ctx.builders.get(step) as RequestBuilder)(this.vars, this.random.next), this.onOutcome, this.arm, step.cookies ? (this.state as VuState).jar : undefined);
  }

  /**
   * A once-step this VU has done, or a step that needs a variable no step captured (its capture
   * failed): not sent. Sending `/products/` for `/products/{{ id }}` would measure another request.
   */
  private skips(step: PlannedStep): boolean {
    if (step.once && (this.state as VuState).done.has(step.id)) return true;
    for (const variable of step.uses) if (!(variable in this.vars)) return true;
    return false;
  }

  private readonly onOutcome = (outcome: HttpOutcome): void => {
    try {
      this.takeOutcome(outcome);
    } catch (error) {
      this.crash(error);
    }
  };

  private takeOutcome(outcome: HttpOutcome): void {
    const ctx = this.ctx;
    if (ctx.interrupted) return this.onIterationEnd(this);
    const step = this.steps[this.index++] as PlannedStep;
    const end = ctx.clock.now();
    if (step.group !== undefined) this.groupEndMs = end;
    const latencyUs = (end - this.originMs) * 1000;
    const originOffset = this.originMs - ctx.runStartMs;
    // A failed request (k6's http_req_failed): a status outside `expect`, or no response at all.
    // Checks and captures that fail are counted as checks, never as failed requests.
    if (outcome.ok) {
      const accepted = step.expect ? step.expect.has(outcome.status) : outcome.status >= 200 && outcome.status < 400;
      ctx.recorder.record(step.id, originOffset, latencyUs, outcome.status, accepted ? undefined : 'status', this.arm);
      ctx.scenarioTotals.record(this.scenarioIndex, step.id, originOffset, latencyUs, outcome.status, accepted ? undefined : 'status', this.arm, outcome.timings);
      if (outcome.serverTiming !== undefined) {
        const sink = ctx.recorder.serverTimingOf?.(step.id, originOffset, this.arm);
        if (sink) readServerTiming(outcome.serverTiming, sink);
      }
      const captured = this.judge(step, outcome, accepted, originOffset);
      if (step.once && accepted && captured) (this.state as VuState).done.add(step.id);
    } else {
      const failure = classifyError(outcome.error);
      ctx.recorder.record(step.id, originOffset, failure === 'timeout' ? latencyUs : undefined, undefined, failure, this.arm);
      ctx.scenarioTotals.record(this.scenarioIndex, step.id, originOffset, failure === 'timeout' ? latencyUs : undefined, undefined, failure, this.arm);
      for (const id of step.captureCheckIds) ctx.checks.count(id, false, originOffset, this.arm);
      for (const check of step.checks) ctx.checks.count(check.id, false, originOffset, this.arm);
    }
    // As in k6, the iteration goes on after a failed step; a later step that needs a value it
    // did not capture is skipped (see skips()).
    const next = this.sendNext;
    if (!step.think) {
      this.intendedMs = end;
      return next();
    }
    const think = step.think.minMs + this.random.next() * (step.think.maxMs - step.think.minMs);
    this.intendedMs = end + think;
    ctx.sleeper.after(Math.min(think, this.deadlineMs - end), next);
  }

  private readonly sendNext = (): void => {
    try {
      this.sendStep();
    } catch (error) {
      this.crash(error);
    }
  };

  /**
   * Captures (when the status was accepted) and checks of a response, counted in the `checks`
   * metric; says whether every capture found its value.
   */
  private judge(step: PlannedStep, outcome: HttpOutcome & { ok: true }, accepted: boolean, originOffset: number): boolean {
    const ctx = this.ctx;
    if (step.captures.length === 0 && step.checks.length === 0) return true;
    const body = new ResponseBody(outcome.body);
    let captured = true;
    if (step.captures.length > 0) {
      const found = accepted ? captureEach(step.captures, body, outcome.headers, step.once ? (this.state as VuState).vars : this.vars) : step.captures.map(() => false);
      found.forEach((ok, i) => {
        ctx.checks.count(step.captureCheckIds[i] as number, ok, originOffset, this.arm);
        if (!ok) captured = false;
      });
    }
    for (const check of step.checks) ctx.checks.count(check.id, passes(check, outcome.status, outcome.headers, body), originOffset, this.arm);
    return captured;
  }

  /** The group just left is recorded: from its first request's (intended) start to its last one's end. */
  private endGroup(): void {
    this.ctx.scenarioTotals.recordGroup(this.scenarioIndex, this.group as string, this.groupStartMs - this.ctx.runStartMs, (this.groupEndMs - this.groupStartMs) * 1000, this.arm);
    this.group = undefined;
  }

  private readonly endIteration = (): void => this.onIterationEnd(this);

  /** Nothing above should throw; if it does, the run stops and fails with the error. */
  private crash(error: unknown): void {
    this.ctx.crash(error);
    this.onIterationEnd(this);
  }
}

function pickJourney(scenario: PlannedScenario, random: number) {
  const weights = scenario.cumulativeWeights;
  const total = weights[weights.length - 1] as number;
  const point = random * total;
  for (let i = 0; i < weights.length - 1; i++) {
    if (point < (weights[i] as number)) return scenario.journeys[i] as PlannedScenario['journeys'][number];
  }
  return scenario.journeys[weights.length - 1] as PlannedScenario['journeys'][number];
}

/**
 * Fills `vars` from the response (its kept body and headers); false when any capture found
 * nothing (see captureEach). Never throws.
 */
export function capture(captures: ReadonlyArray<readonly [string, CompiledCapture]>, body: Buffer | undefined, vars: Vars, headers?: ResponseHeaders): boolean {
  return captureEach(captures, new ResponseBody(body), headers, vars).every(Boolean);
}

export { MAX_CAPTURE_DEPTH, nestingDepth } from './check-evaluation.js';
