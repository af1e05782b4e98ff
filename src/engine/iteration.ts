import { JSONPath } from 'jsonpath-plus';
import type { PlannedScenario, PlannedStep } from '../plan/plan.js';
import type { Recorder } from '../record/recorder.js';
import type { ErrorKind } from '../record/run-record-types.js';
import type { Clock } from './clock.js';
import { classifyError } from './error-kinds.js';
import type { HttpClient } from './http-client.js';
import type { RequestBuilder } from './request-builder.js';
import type { SelfMonitor } from './self-monitor.js';
import type { Sleeper } from './sleeper.js';
import type { Vars } from './template.js';

/** What every iteration shares: the outside world (clock, HTTP, randomness) and the run's state. */
export interface LoadContext {
  clock: Clock;
  /** Clock time at which the run began; record times are offsets from it. */
  runStartMs: number;
  http: HttpClient;
  random: () => number;
  recorder: Recorder;
  monitor: SelfMonitor;
  sleeper: Sleeper;
  builders: ReadonlyMap<PlannedStep, RequestBuilder>;
  /** No new iterations or steps once set. */
  stopping: boolean;
  /** In-flight requests are being cut off: their outcomes are not recorded. */
  interrupted: boolean;
}

/**
 * One journey iteration: pick a journey by weight, run its steps in order with think time.
 * A failed step (transport error, unexpected status, missing capture) ends the iteration after
 * its think time, since later steps usually depend on it. Nothing here throws.
 *
 * Latency is timed from the request's intended start in the open model (the scheduled arrival,
 * or the end of the previous step's think time), so a slow target cannot hide its queueing delay
 * by slowing the generator down (no coordinated omission). It is never timed from before the
 * request could have been sent: an early timer counts from the actual start.
 */
export async function runIteration(
  ctx: LoadContext,
  scenario: PlannedScenario,
  intendedStartMs: number,
  deadlineMs: number,
): Promise<void> {
  const steps = pickJourney(scenario, ctx.random()).steps;
  const openModel = scenario.model === 'open';
  const vars: Vars = {};
  let intended = intendedStartMs;
  for (const step of steps) {
    const start = ctx.clock.now();
    if (ctx.stopping || start > deadlineMs) return;
    ctx.monitor.noteStart(start - intended);
    const origin = openModel ? Math.min(intended, start) : start;
    const outcome = await ctx.http.send((ctx.builders.get(step) as RequestBuilder)(vars));
    if (ctx.interrupted) return;
    const end = ctx.clock.now();
    const latencyUs = (end - origin) * 1000;
    const originOffset = origin - ctx.runStartMs;
    let failure: ErrorKind | undefined;
    if (outcome.ok) {
      const accepted = step.expect ? step.expect.has(outcome.status) : outcome.status >= 200 && outcome.status < 400;
      if (!accepted) failure = 'status';
      else if (step.captures.length > 0 && !capture(step, outcome.body, vars)) failure = 'capture';
      ctx.recorder.record(step.id, originOffset, latencyUs, outcome.status, failure);
    } else {
      failure = classifyError(outcome.error);
      ctx.recorder.record(step.id, originOffset, failure === 'timeout' ? latencyUs : undefined, undefined, failure);
    }
    intended = end;
    if (step.think) {
      const think = step.think.minMs + ctx.random() * (step.think.maxMs - step.think.minMs);
      intended = end + think;
      await ctx.sleeper.sleep(Math.min(think, deadlineMs - end));
    }
    if (failure !== undefined) return;
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

/** Fills `vars` from the JSON response; false when the body is not JSON or a path matches nothing. */
function capture(step: PlannedStep, body: Buffer | undefined, vars: Vars): boolean {
  let json: unknown;
  try {
    json = JSON.parse(body?.toString('utf8') ?? '');
  } catch {
    return false;
  }
  for (const [name, path] of step.captures) {
    const value: unknown = JSONPath({ path, json: json as object, wrap: false });
    if (value === undefined) return false;
    vars[name] = value;
  }
  return true;
}
