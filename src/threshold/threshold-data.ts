import type { RequestPhase } from '../record/request-phases.js';

/**
 * What a threshold reads, whoever holds it: a finished run's record (threshold-source.ts)
 * or the engine's running tallies while the load goes on (engine/live-tallies.ts, for abortOnFail).
 */

/** A distribution of durations a threshold aggregates (k6's trend), in milliseconds. */
export interface Trend {
  readonly count: number;
  percentile(p: number): number;
  mean(): number;
  min(): number;
  max(): number;
}

/** Requests of a selection (all, a step, a scenario, a step of a scenario). */
export interface RequestTally {
  requests: number;
  errors: number;
  latency: Trend;
}

/**
 * What a threshold reads: a finished run's record (`recordSource`), or the engine's running
 * tallies while the load goes on (abortOnFail). `undefined` for a name the run has no data of.
 */
export interface ThresholdSource {
  /** The measured period so far, milliseconds: the denominator of every rate per second. */
  readonly measuredMs: number;
  requests(step: string | null, scenario: string | null): RequestTally | undefined;
  /** Latencies of the same selection's requests whose status was expected (`{expected_response:true}`); undefined where not recorded. */
  expected(step: string | null, scenario: string | null): Trend | undefined;
  /** One phase of the same selection's requests (http_req_waiting, ...); undefined where not recorded. */
  phase(phase: RequestPhase, step: string | null, scenario: string | null): Trend | undefined;
  /** One check's passes and fails, or every check's together (null). */
  checks(name: string | null): { passes: number; fails: number } | undefined;
  /** Time iterations spent in a group (or every group, null), of one scenario or all; undefined where not recorded. */
  groups(group: string | null, scenario: string | null): Trend | undefined;
  /** Iterations of the measured period that ran to their end, of one scenario or all (null). */
  iterations(scenario: string | null): Trend | undefined;
  /**
   * A `Server-Timing` component's durations, of one step or every step that reported it (null);
   * undefined where no response carried it. Only a finished run's record has them: the running
   * tallies leave this out.
   */
  serverTiming?(name: string, step: string | null): Trend | undefined;
}

/** Check name -> passes and fails: one check's (undefined when there is none of that name), or all together (null). */
export function selectChecks(checks: Readonly<Record<string, { passes: number; fails: number }>>, name: string | null): { passes: number; fails: number } | undefined {
  if (name !== null) return Object.hasOwn(checks, name) ? checks[name] : undefined;
  let passes = 0;
  let fails = 0;
  for (const check of Object.values(checks)) {
    passes += check.passes;
    fails += check.fails;
  }
  return { passes, fails };
}

/** Why a run was stopped by an abortOnFail threshold: which, and what it saw. */
export interface AbortReason {
  /** The selector and expression as written. */
  metric: string;
  expression: string;
  observed: number;
}

/**
 * Thresholds checked while the load runs (abortOnFail): every `everyMs`, `check` reads the
 * running tallies and names the threshold that should stop the run, if any. `sinceWarmupMs` is
 * the run's time since its warm-up ended, which `delayAbortEval` counts: the source's own
 * `measuredMs` in a single run; in a paired run the source is the head's and measures only its
 * blocks, while the delay counts the run's time.
 */
export interface AbortWatch {
  everyMs: number;
  check(source: ThresholdSource, sinceWarmupMs: number): AbortReason | undefined;
}
