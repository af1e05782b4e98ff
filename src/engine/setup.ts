import { ConfigError } from '../config/config-error.js';
import type { PlannedStep } from '../plan/plan.js';
import type { SetupRecord } from '../record/run-record-types.js';
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
  // Its own stream of the seed (per arm), apart from every VU's.
  const random = new IterationRandom();
  random.restart(ctx.seed, ctx.seedStream, SETUP_VU, arm);
  const startedMs = ctx.clock.now();
  const done: SetupRecord['steps'] = [];
  const finish = (stopped: boolean): SetupResult => ({ vars, record: { durationMs: round(ctx.clock.now() - startedMs), steps: done }, stopped });
  const against = target === undefined ? '' : ` (against the ${target})`;
  for (const [index, step] of steps.entries()) {
    if (ctx.stopping) return finish(true);
    const build = ctx.builders.get(step) as RequestBuilder;
    const sentMs = ctx.clock.now();
    const outcome = await new Promise<HttpOutcome>((resolve) => ctx.http.send(build(vars, random.next), resolve, arm));
    const latencyMs = ctx.clock.now() - sentMs;
    if (ctx.stopping) return finish(true);
    const fail = (message: string, fix: string): never => {
      throw new SetupFailedError(step, index, message + against, fix);
    };
    if (!outcome.ok) {
      const kind = classifyError(outcome.error);
      fail(`the request failed before an answer (${kind === 'other' ? outcome.error.message : kind})`, 'check that the target is up and answers this request; a slow one may need a longer timeout: on the step');
    } else {
      const accepted = step.expect ? step.expect.has(outcome.status) : outcome.status >= 200 && outcome.status < 400;
      const expected = step.expect ? [...step.expect].join(' or ') : 'a 2xx or 3xx';
      if (!accepted) fail(`answered ${outcome.status}, expected ${expected}`, 'make the request succeed against this target (its path, body and credentials), or list the status under expect:');
      if (step.captures.length > 0 && !capture(step.captures, outcome.body, vars)) {
        const names = step.captures.map(([name]) => name).join(', ');
        fail(
          outcome.bodyTooLarge ? `answered ${outcome.status} with a body larger than defaults.maxCaptureBody, so ${names} could not be captured` : `answered ${outcome.status}, but the capture of ${names} found nothing in the response`,
          outcome.bodyTooLarge ? 'raise defaults.maxCaptureBody' : 'check the JSONPath against what this request returns (a JSON body holding the value)',
        );
      }
      done.push({ name: step.name, status: outcome.status, latencyMs: round(latencyMs) });
    }
    if (step.think) {
      const thinkMs = step.think.minMs + random.next() * (step.think.maxMs - step.think.minMs);
      await ctx.sleeper.sleep(thinkMs);
    }
  }
  return finish(false);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
