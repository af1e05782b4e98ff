import type { AbortWatch } from '../threshold/threshold-data.js';
import type { Plan } from '../plan/plan.js';
import { PairedRecorder } from '../record/paired-recorder.js';
import { Recorder, type LiveWindow } from '../record/recorder.js';
import { decodeHistogram, percentileMs } from '../record/histogram.js';
import { RUN_SCHEMA, type RunMeta, type RunRecord, type ScenarioRecord, type SetupRecord, type StepRecord, type TeardownRecord } from '../record/run-record-types.js';
import { summarizeRun } from '../record/summary.js';
import { TOOL_VERSION } from '../version.js';
import { CheckCounter } from './check-counter.js';
import { ScenarioTotals } from './scenario-results.js';
import type { Clock } from './clock.js';
import { armScenarioRecord, newScenarioState, runScenario, type ScenarioState } from './executors.js';
import type { HttpClient } from './http-client.js';
import { LiveTallies } from './live-tallies.js';
import { LoadShapeSampler } from './load-shape.js';
import { armLoadShapes, pairedSliceMs } from './paired-load-shape.js';
import { GENERATOR_NOT_READ, scenarioSoFar, watchPairGroups, type StopNow } from './paired-looks.js';
import type { LoadContext } from './iteration.js';
import type { PairedTimeline } from '../record/paired-layout.js';
import { requestBuilder, type RequestBuilder } from './request-builder.js';
import { SelfMonitor, type MeasuredRun } from './self-monitor.js';
import { runSetup, runTeardown } from './setup.js';
import { Sleeper } from './sleeper.js';

/** How long in-flight requests may finish after a stop before their connections are cut. */
const STOP_GRACE_MS = 1000;

export interface EngineDeps {
  clock: Clock;
  http: HttpClient;
  /**
   * The run's seed: journey picks, think times, `pick: random` rows and template helpers draw
   * from streams made from it, one per VU iteration, so the same seed repeats them (recorded as
   * `meta.seed`).
   */
  seed: number;
  /** Wall-clock time, for the record's ISO timestamps. */
  wallClock?: () => Date;
  /** Aborting it stops the load; what was measured so far is kept. */
  signal?: AbortSignal;
  /** Whether `progress()` will be polled (default true); without it no live latency is kept. */
  liveProgress?: boolean;
  /**
   * The generator's self-check: its readings (event loop, CPU, lateness) and limits. By default
   * the process's own readings with the default limits; tests pass fixed readings, so that a busy
   * machine cannot decide their verdict.
   */
  monitor?: SelfMonitor;
  /**
   * Paired mode: the schedule of arms, with `http` a paired client (`paired-http-client.ts`);
   * run with `runPaired()`.
   */
  pairing?: PairedTimeline;
  /**
   * Thresholds with abortOnFail, judged on the running tallies every `everyMs` while the load
   * goes on: the first one broken stops the run, and the record's `meta.aborted` names it. In
   * paired mode they are judged on the head arm's measurements, and the stop ends both arms.
   */
  abortWatch?: AbortWatch;
  /**
   * Paired mode: asked after each complete ABBA group whether to stop now (`paired-looks.ts`).
   * A yes stops the load as a stop does (no new iterations, in-flight requests cut after a grace);
   * the records are then not interrupted: the run was decided.
   */
  stopNow?: StopNow;
}

/** Facts about the run that come from outside (git, CI), copied into the record's meta. */
export type RunContext = Pick<RunMeta, 'target' | 'commit' | 'ref' | 'runId' | 'runner'>;

export interface Progress {
  elapsedMs: number;
  plannedMs: number;
  phase: 'warmup' | 'measuring' | 'finishing';
  activeVUs: number;
  totalRequests: number;
  totalErrors: number;
  droppedIterations: number;
  window: LiveWindow;
}

/**
 * One run of a plan: all scenarios at once, each from its own start time, into one recorder.
 * Call `run()` once; `progress()` may be polled meanwhile.
 */
export class LoadRun {
  private readonly ctx: LoadContext;
  private readonly recorder: Recorder;
  private readonly states = new Map<string, ScenarioState>();
  private shape: LoadShapeSampler;
  private stoppedAtMs: number | undefined;
  /** The abortOnFail threshold that stopped the run, and when (ms into the measured period). */
  private aborted: NonNullable<RunMeta['aborted']> | undefined;
  /** A paired run stopped because `deps.stopNow` said its verdict was decided. */
  private decided = false;
  private startedAt = '';
  private contexts: { head: RunContext; base: RunContext } | undefined;
  private bug: { error: unknown } | undefined;

  constructor(
    private readonly plan: Plan,
    private readonly deps: EngineDeps,
  ) {
    const builders = new Map<Plan['scenarios'][number]['journeys'][number]['steps'][number], RequestBuilder>();
    for (const scenario of plan.scenarios) {
      for (const journey of scenario.journeys) for (const step of journey.steps) builders.set(step, requestBuilder(step, plan.basePath));
      this.states.set(scenario.name, newScenarioState());
    }
    for (const step of [...plan.setup, ...plan.teardown]) builders.set(step, requestBuilder(step, plan.basePath));
    const live = deps.liveProgress ?? true;
    const pairing = deps.pairing;
    this.recorder = pairing ? new PairedRecorder(plan.stepNames, plan.warmupMs, plan.blockMs, live, pairing) : new Recorder(plan.stepNames, plan.warmupMs, plan.blockMs, live);
    this.ctx = {
      clock: deps.clock,
      runStartMs: deps.clock.now(),
      http: deps.http,
      seed: deps.seed,
      seedStream: plan.shard?.index ?? 0,
      recorder: this.recorder,
      checks: new CheckCounter(plan.checkNames, plan.warmupMs, pairing),
      data: { sets: plan.data, nextRow: plan.data.map(() => 0), vus: 0 },
      cookiesPerIteration: plan.cookiesPerIteration,
      scenarioTotals: new ScenarioTotals(plan.scenarios, plan.stepNames, plan.warmupMs, pairing),
      ...(pairing ? { armAt: (offsetMs: number) => pairing.armAt(offsetMs) } : {}),
      monitor: deps.monitor ?? new SelfMonitor(),
      sleeper: new Sleeper(),
      builders,
      stopping: false,
      interrupted: false,
      crash: (error) => {
        this.bug ??= { error };
        this.stop();
      },
    };
    this.shape = this.newShapeSampler();
  }

  /** A paired run samples its load in slices that fit its blocks and settles, then gives each arm its share. */
  private newShapeSampler(): LoadShapeSampler {
    const pairing = this.deps.pairing;
    const plan = pairing ? { ...this.plan, blockMs: pairedSliceMs(pairing, this.plan.blockMs) } : this.plan;
    return new LoadShapeSampler(plan, this.states, this.deps.clock, this.ctx.runStartMs);
  }

  /** Stops the load now: no new iterations, think times cut, in-flight requests cut after a grace. */
  stop(): void {
    if (this.ctx.stopping) return;
    this.ctx.stopping = true;
    this.stoppedAtMs = this.ctx.clock.now() - this.ctx.runStartMs;
    this.ctx.sleeper.wakeAll();
    setTimeout(() => {
      for (const state of this.states.values()) state.interrupt();
      this.ctx.interrupted = true;
      void this.deps.http.destroy();
    }, STOP_GRACE_MS).unref();
  }

  progress(): Progress {
    const elapsedMs = this.ctx.clock.now() - this.ctx.runStartMs;
    let activeVUs = 0;
    let droppedIterations = 0;
    for (const state of this.states.values()) {
      activeVUs += state.active;
      droppedIterations += state.dropped;
    }
    return {
      elapsedMs,
      plannedMs: this.plan.durationMs,
      phase: elapsedMs < this.plan.warmupMs ? 'warmup' : elapsedMs < this.plan.durationMs ? 'measuring' : 'finishing',
      activeVUs,
      totalRequests: this.recorder.totalRequests,
      totalErrors: this.recorder.totalErrors,
      droppedIterations,
      window: this.recorder.takeLiveWindow(),
    };
  }

  async run(context: RunContext): Promise<RunRecord> {
    if (this.recorder instanceof PairedRecorder) throw new Error('a paired run is run with runPaired()');
    const ran = await this.drive();
    const records = this.recorder.toRecords(ran.measuredMs);
    const generator = this.ctx.monitor.finish(this.measuredRun(records.overall));
    return { ...this.toRunRecord(ran, ran.measuredMs, records, generator, context, ran.setup[0], 0, ran.teardown[0]), loadShape: this.shape.toRecord(records.blocks.length) };
  }

  /**
   * Runs a paired plan (`deps.pairing`): one record per arm, each on its own time line, sharing
   * the scenarios' counts and the generator's self-check (one generator loaded both).
   */
  async runPaired(head: RunContext, base: RunContext): Promise<{ head: RunRecord; base: RunRecord; excludedRequests: number }> {
    const recorder = this.recorder;
    if (!(recorder instanceof PairedRecorder)) throw new Error('runPaired() needs deps.pairing');
    this.contexts = { head, base };
    const ran = await this.drive();
    const timeline = recorder.timeline;
    const armMs = [timeline.armMeasuredMs(0, ran.measuredMs), timeline.armMeasuredMs(1, ran.measuredMs)] as const;
    const headRecords = recorder.arms[0].toRecords(armMs[0]);
    const baseRecords = recorder.arms[1].toRecords(armMs[1]);
    const generator = this.ctx.monitor.finish(this.measuredRun(headRecords.overall));
    const sliceMs = pairedSliceMs(timeline, this.plan.blockMs);
    const runShape = this.shape.toRecord(Math.ceil(ran.measuredMs / sliceMs));
    const [headShape, baseShape] = armLoadShapes(runShape, sliceMs, this.plan, timeline, [headRecords.blocks.length, baseRecords.blocks.length]);
    return {
      head: { ...this.toRunRecord(ran, armMs[0], headRecords, generator, head, ran.setup[0], 0, ran.teardown[0]), loadShape: headShape },
      base: { ...this.toRunRecord(ran, armMs[1], baseRecords, generator, base, ran.setup[1], 1, ran.teardown[1]), loadShape: baseShape },
      excludedRequests: recorder.excludedRequests,
    };
  }

  /** Runs the load to its end (or a stop) and says when it started and how long was measured. */
  private async drive(): Promise<{ startedAt: string; measuredMs: number; scenarios: Record<string, ScenarioRecord>; setup: SetupRecord[]; teardown: TeardownRecord[] }> {
    const wall = this.deps.wallClock ?? (() => new Date());
    const startedAt = wall().toISOString();
    this.startedAt = startedAt;
    const onAbort = (): void => this.stop();
    if (this.deps.signal?.aborted) this.stop();
    this.deps.signal?.addEventListener('abort', onAbort, { once: true });
    const scenarios: Record<string, ScenarioRecord> = {};
    const setup: SetupRecord[] = [];
    const teardown: TeardownRecord[] = [];
    let watch: NodeJS.Timeout | undefined;
    let looks: { cancel(): void } | undefined;
    try {
      if (this.plan.setup.length > 0) setup.push(...(await this.runSetup()));
      this.ctx.monitor.start();
      this.shape.start();
      watch = this.watchThresholds();
      looks = this.watchPairs();
      const results = await Promise.all(
        this.plan.scenarios.map((s) => runScenario(this.ctx, s, this.states.get(s.name) as ScenarioState)),
      );
      this.plan.scenarios.forEach((s, i) => {
        scenarios[s.name] = results[i] as ScenarioRecord;
      });
      if (watch) clearInterval(watch);
      looks?.cancel();
      // As k6's teardown(): once the load has ended, against each target; not after a stop, whose requests were cut.
      if (this.plan.teardown.length > 0 && !this.ctx.stopping && this.bug === undefined) teardown.push(...(await this.runTeardown()));
    } finally {
      if (watch) clearInterval(watch);
      looks?.cancel();
      this.shape.stop();
      this.deps.signal?.removeEventListener('abort', onAbort);
      // A request cut off in flight still holds its connection; only destroying the pool frees it.
      const cutOff = this.ctx.interrupted || [...this.states.values()].some((s) => s.interruptedRequests > 0);
      await (cutOff ? this.deps.http.destroy() : this.deps.http.close());
    }
    if (this.bug) throw this.bug.error;
    // An iteration executor ends when its iterations are done, which may be long before its maxDuration.
    const scheduledEndMs = Math.max(0, ...this.plan.scenarios.map((s) => this.states.get(s.name)?.finishedAtMs ?? s.startTimeMs + s.durationMs));
    const endMs = Math.min(this.plan.durationMs, scheduledEndMs, this.stoppedAtMs ?? Infinity);
    return { startedAt, measuredMs: Math.max(0, endMs - this.plan.warmupMs), scenarios, setup, teardown };
  }

  /**
   * Judges the abortOnFail thresholds on the measured period so far, every `everyMs` until the
   * schedule ends; stops the run at the first broken. A paired run's tallies of arm 0 hold only
   * what was measured for the head, so its rates are per second of the head's measured time; the
   * delay and `meta.aborted.atMs` count the run's time since the warm-up.
   */
  private watchThresholds(): NodeJS.Timeout | undefined {
    const watch = this.deps.abortWatch;
    if (watch === undefined) return undefined;
    const pairing = this.deps.pairing;
    const timer = setInterval(() => {
      try {
        const elapsedMs = this.ctx.clock.now() - this.ctx.runStartMs;
        const measuredMs = elapsedMs - this.plan.warmupMs;
        // Not in the warm-up (nothing measured yet), nor once the schedule is over (the run is only finishing).
        if (this.ctx.stopping || measuredMs <= 0 || elapsedMs >= this.plan.durationMs) return;
        const sourceMs = pairing ? pairing.armMeasuredMs(0, measuredMs) : measuredMs;
        const reason = watch.check(new LiveTallies(this.ctx.scenarioTotals, this.ctx.checks, sourceMs), measuredMs);
        if (reason === undefined) return;
        this.aborted = { ...reason, atMs: Math.round(measuredMs) };
        this.stop();
      } catch (error) {
        this.ctx.crash(error);
      }
    }, watch.everyMs);
    timer.unref();
    return timer;
  }

  /** Paired mode with `deps.stopNow`: asks it after each ABBA group, and stops the run when it says so. */
  private watchPairs(): { cancel(): void } | undefined {
    const stopNow = this.deps.stopNow;
    const recorder = this.recorder;
    if (stopNow === undefined || !(recorder instanceof PairedRecorder)) return undefined;
    const measuredNow = (): number => this.ctx.clock.now() - this.ctx.runStartMs - this.plan.warmupMs;
    return watchPairGroups(recorder.timeline, measuredNow, (pairs) => {
      if (this.ctx.stopping) return true;
      try {
        const endMs = recorder.timeline.pairsEndMs(pairs) as number;
        const stop = stopNow({ pairs, atMs: Math.round(measuredNow()), snapshot: () => this.pairedSnapshot(endMs) });
        if (!stop || this.ctx.stopping) return stop;
        this.decided = true;
        this.stop();
        return true;
      } catch (error) {
        this.ctx.crash(error);
        return true;
      }
    });
  }

  /** Both arms' records of the first `endMs` of the measured period, the tallies left as they are (a look while the run goes on). */
  private pairedSnapshot(endMs: number): { head: RunRecord; base: RunRecord } {
    const recorder = this.recorder as PairedRecorder;
    const contexts = this.contexts as { head: RunContext; base: RunContext };
    const now = this.ctx.clock.now();
    const scenarios = Object.fromEntries(this.plan.scenarios.map((s) => [s.name, scenarioSoFar(s, this.states.get(s.name) as ScenarioState, now - this.ctx.runStartMs - s.startTimeMs)]));
    const ran = { startedAt: this.startedAt, scenarios };
    const arm = (index: 0 | 1, context: RunContext): RunRecord => {
      const armMs = recorder.timeline.armMeasuredMs(index, endMs);
      return this.toRunRecord(ran, armMs, recorder.arms[index].snapshot(armMs), GENERATOR_NOT_READ, context, undefined, index);
    };
    return { head: arm(0, contexts.head), base: arm(1, contexts.base) };
  }

  /**
   * Runs the setup steps (against each target in paired mode), then starts the load's clock anew:
   * the schedule, warm-up and blocks count from the end of the setup, which is in none of them.
   */
  private async runSetup(): Promise<SetupRecord[]> {
    const arms = this.deps.pairing ? [0, 1] : [0];
    const results = [];
    for (const arm of arms) {
      const result = await runSetup(this.ctx, this.plan.setup, arm, this.deps.pairing ? (arm === 0 ? 'head target' : 'base target') : undefined);
      results.push(result);
      if (result.stopped) break;
    }
    this.ctx.setupVars = results.map((r) => r.vars);
    this.ctx.runStartMs = this.deps.clock.now();
    this.shape = this.newShapeSampler();
    // A stop during the setup leaves nothing measured.
    if (this.ctx.stopping) this.stoppedAtMs = 0;
    return results.map((r) => r.record);
  }

  /** Runs the teardown steps against each target (paired mode: head, then base), each reading its own setup's captures. */
  private async runTeardown(): Promise<TeardownRecord[]> {
    const arms = this.deps.pairing ? [0, 1] : [0];
    const records = [];
    for (const arm of arms) records.push(await runTeardown(this.ctx, this.plan.teardown, arm, this.ctx.setupVars?.[arm]));
    return records;
  }

  private toRunRecord(
    ran: { startedAt: string; scenarios: Record<string, ScenarioRecord> },
    measuredMs: number,
    { blocks, overall, steps }: ReturnType<Recorder['toRecords']>,
    generator: RunRecord['generator'],
    context: RunContext,
    setup: SetupRecord | undefined,
    arm: number,
    teardown?: TeardownRecord,
  ): RunRecord {
    const wall = this.deps.wallClock ?? (() => new Date());
    const meta: RunMeta = {
      profile: this.plan.profile,
      ...definedOnly(context),
      tool: { name: 'tailgate', version: TOOL_VERSION },
      startedAt: ran.startedAt,
      endedAt: wall().toISOString(),
      warmupMs: this.plan.warmupMs,
      measuredMs: Math.round(measuredMs),
      blockMs: this.plan.blockMs,
      // An abort by a threshold is the run's verdict, not an interruption: its record is judged.
      // So is a paired run stopped once its verdict was decided.
      interrupted: this.stoppedAtMs !== undefined && this.aborted === undefined && !this.decided,
      ...(this.aborted ? { aborted: this.aborted } : {}),
      seed: this.deps.seed,
      ...(this.plan.shard ? { shard: this.plan.shard } : {}),
    };
    const checks = this.ctx.checks.toRecord(arm);
    const results = this.ctx.scenarioTotals.toRecords(arm);
    const durations = this.ctx.scenarioTotals.iterationRecords(arm);
    const groups = this.ctx.scenarioTotals.groupRecords(arm);
    const scenarios = Object.fromEntries(
      Object.entries(this.armScenarios(ran.scenarios, arm)).map(([name, s]) => [name, { ...s, ...(results[name] ? { results: results[name] } : {}), ...(durations[name] ? { iterationDurations: durations[name] } : {}), ...(groups[name] ? { groupDurations: groups[name] } : {}) }]),
    );
    const record = { schema: RUN_SCHEMA, meta, scenarios, ...(setup ? { setup } : {}), ...(teardown ? { teardown } : {}), ...(checks ? { checks } : {}), generator, blocks, overall, steps } as const;
    return { ...record, summary: summarizeRun(record) };
  }

  /** Each scenario's record as one arm saw it (paired mode: its own iterations and drops); the record itself otherwise. */
  private armScenarios(scenarios: Record<string, ScenarioRecord>, arm: number): Record<string, ScenarioRecord> {
    return Object.fromEntries(Object.entries(scenarios).map(([name, record]) => [name, armScenarioRecord(record, this.states.get(name) as ScenarioState, arm)]));
  }

  /** What the self-check needs of the run to judge how far lateness could have moved it. */
  private measuredRun(overall: StepRecord): MeasuredRun {
    const histogram = decodeHistogram(overall.histogram);
    let vuBusyMs = 0;
    for (const state of this.states.values()) vuBusyMs += state.vuBusyMs;
    return {
      p95Ms: percentileMs(histogram, 95),
      quantileMs: (q) => percentileMs(histogram, q * 100),
      vuBusyMs,
      open: this.plan.scenarios.some((s) => s.model === 'open'),
      closed: this.plan.scenarios.some((s) => s.model === 'closed'),
    };
  }
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
