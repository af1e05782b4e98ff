import { ConfigError } from '../config/config-error.js';
import type { PlannedStep } from '../plan/plan.js';
import type { SetupRecord, TeardownRecord } from '../record/run-record-types.js';
import { CookieJar } from './cookie-jar.js';
import { classifyError } from './error-kinds.js';
import type { HttpOutcome } from './http-client.js';
import { IterationRandom, SETUP_VU } from './iteration-random.js';
import { capture, fillDataRow, type LoadContext } from './iteration.js';
import type { RequestBuilder } from './request-builder.js';
import type { Vars } from '../config/template.js';

/**
 * The profile's `setup` steps (k6's `setup()`): run once, in order, before the load starts. What
 * they capture is the run's shared data, which every VU's iterations read beneath their own
 * captures. They are timed into the record's `setup`, apart from every statistic of the load.
 * The `teardown` steps (k6's `teardown()`) run the same way once the load is over, into the
 * record's `teardown`. Each keeps its own cookie jar, as k6's setup() and teardown() have their own.
 */

/**
 * A setup step that did not succeed: the load never starts, and the run ends with exit 2, as a
 * k6 test whose `setup()` throws. It names the step where the profile wrote it.
 */
export class SetupFailedError extends ConfigError {
  constructor(step: PlannedStep, index: number, message: string, fix: string) {
    super({
      file: step.location?.file ?? 'profile',
      ...(step.location ? { line: step.location.line, column: step.location.column } : {}),
      field: `setup.steps[${index}]`,
      message: `${step.name}: ${message}; the load was not started`,
      fix,
    });
    this.name = 'SetupFailedError';
  }
}

export interface SetupResult {
  /** What the setup captured (null-prototype): the bottom layer of every iteration's variables. */
  vars: Vars;
  record: SetupRecord;
  /** A stop came before the setup finished: no load follows. */
  stopped: boolean;
}

/**
 * Runs the setup steps against `arm` (0, or in paired mode each target in turn). Throws
 * SetupFailedError at the first step that fails: a transport error, a status outside `expect`,
 * or a capture that finds nothing.
 */
export async function runSetup(ctx: LoadContext, steps: readonly PlannedStep[], arm: number, target?: string): Promise<SetupResult> {
  const vars = Object.create(null) as Vars;
  // The setup runs once: it reads the first row of each data set.
  fillDataRow(vars, ctx.data.sets, () => 0);
  // As k6's setup(): VU 0, iteration 0.
  vars.__VU = 0;
  vars.__ITER = 0;
  const run = await runSteps(ctx, steps, arm, vars, SETUP_ITERATION);
  if (run.failed !== undefined) {
    const against = target === undefined ? '' : ` (against the ${target})`;
    throw new SetupFailedError(run.failed.step, run.failed.index, run.failed.message + against, run.failed.fix);
  }
  return { vars, record: run.record, stopped: run.stopped };
}

/**
 * Runs the teardown steps (k6's `teardown()`) against `arm` once the load is over, reading what
 * the setup captured (`setupVars`). A step that fails ends the teardown; the load was measured
 * whole all the same, so the record says which step failed and why, and nothing throws.
 */
export async function runTeardown(ctx: LoadContext, steps: readonly PlannedStep[], arm: number, setupVars: Vars | undefined): Promise<TeardownRecord> {
  const vars = Object.create(setupVars ?? null) as Vars;
  if (setupVars === undefined) {
    fillDataRow(vars, ctx.data.sets, () => 0);
    vars.__VU = 0;
    vars.__ITER = 0;
  }
  const run = await runSteps(ctx, steps, arm, vars, TEARDOWN_ITERATION);
  return run.failed === undefined ? run.record : { ...run.record, failed: { step: run.failed.step.name, message: run.failed.message } };
}

/** The seed stream of the setup's steps, and of the teardown's: each apart from every VU's (per arm). */
const SETUP_ITERATION = 0;
const TEARDOWN_ITERATION = 2;

interface StepsRun {
  record: SetupRecord;
  stopped: boolean;
  failed?: { step: PlannedStep; index: number; message: string; fix: string };
}

/**
 * Sends steps once each, in order, with their own cookie jar; stops at the first that fails (a
 * transport error, a status outside `expect`, a capture that finds nothing) or at a stop.
 */
async function runSteps(ctx: LoadContext, steps: readonly PlannedStep[], arm: number, vars: Vars, iteration: number): Promise<StepsRun> {
  const random = new IterationRandom();
  random.restart(ctx.seed, ctx.seedStream, SETUP_VU, arm + iteration);
  const jar = new CookieJar();
  const startedMs = ctx.clock.now();
  const done: SetupRecord['steps'] = [];
  const finish = (stopped: boolean, failed?: StepsRun['failed']): StepsRun => ({ record: { durationMs: round(ctx.clock.now() - startedMs), steps: done }, stopped, ...(failed ? { failed } : {}) });
  for (const [index, step] of steps.entries()) {
    if (ctx.stopping) return finish(true);
    const build = ctx.builders.get(step) as RequestBuilder;
    const sentMs = ctx.clock.now();
    const outcome = await new Promise<HttpOutcome>((resolve) => ctx.http.send(build(vars, random.next), resolve, arm, step.cookies ? jar : undefined));
    const latencyMs = ctx.clock.now() - sentMs;
    if (ctx.stopping) return finish(true);
    const problem = stepProblem(step, outcome, vars);
    if (problem !== undefined) return finish(false, { step, index, ...problem });
    done.push({ name: step.name, status: (outcome as HttpOutcome & { ok: true }).status, latencyMs: round(latencyMs) });
    if (step.think) {
      const thinkMs = step.think.minMs + random.next() * (step.think.maxMs - step.think.minMs);
      await ctx.sleeper.sleep(thinkMs);
    }
  }
  return finish(false);
}

/** Why a step run once did not succeed, and the fix; undefined when it did (its captures then in `vars`). */
function stepProblem(step: PlannedStep, outcome: HttpOutcome, vars: Vars): { message: string; fix: string } | undefined {
  if (!outcome.ok) {
    const kind = classifyError(outcome.error);
    return { message: `the request failed before an answer (${kind === 'other' ? outcome.error.message : kind})`, fix: 'check that the target is up and answers this request; a slow one may need a longer timeout: on the step' };
  }
  const accepted = step.expect ? step.expect.has(outcome.status) : outcome.status >= 200 && outcome.status < 400;
  const expected = step.expect ? [...step.expect].join(' or ') : 'a 2xx or 3xx';
  if (!accepted) return { message: `answered ${outcome.status}, expected ${expected}`, fix: 'make the request succeed against this target (its path, body and credentials), or list the status under expect:' };
  if (step.captures.length > 0 && !capture(step.captures, outcome.body, vars, outcome.headers)) {
    const names = step.captures.map(([name]) => name).join(', ');
    return outcome.bodyTooLarge
      ? { message: `answered ${outcome.status} with a body larger than defaults.maxCaptureBody, so ${names} could not be captured`, fix: 'raise defaults.maxCaptureBody' }
      : { message: `answered ${outcome.status}, but the capture of ${names} found nothing in the response`, fix: 'check the capture against what this request returns (a JSON body holding the path, the header, or text the pattern matches)' };
  }
  return undefined;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
