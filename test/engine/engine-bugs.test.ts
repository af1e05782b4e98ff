import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monotonicClock } from '../../src/engine/clock.js';
import { LoadRun } from '../../src/engine/engine.js';
import { createHttpClient } from '../../src/engine/http-client.js';
import { buildPlan } from '../../src/plan/plan.js';
import { startServer, respondAfter, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';

/**
 * Virtual users run on callbacks: an exception in one would otherwise leave it waiting forever
 * and the run hanging. A bug stops the run, and the run fails with it, stack and all.
 */
describe('a bug inside a virtual user', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer((req, res) => respondAfter(res, req, 1));
  });
  afterAll(() => server.close());

  /** `random` is the one dependency every iteration calls: it throws on its `failOn`-th call. */
  async function runWithFailingRandom(failOn: number): Promise<unknown> {
    const plan = buildPlan(
      profileWith({
        target: server.url,
        journeys: [{ name: 'main', weight: 1, steps: [step('GET /a', { think: { minMs: 1, maxMs: 2 } }), step('GET /b')] }],
        scenarios: [{ executor: { type: 'constant-vus', vus: 3, durationMs: 10_000 }, gracefulStopMs: 1000 }],
      }),
    );
    let calls = 0;
    const random = (): number => {
      if (++calls === failOn) throw new Error(`bug on call ${failOn}`);
      return 0.5;
    };
    const run = new LoadRun(plan, { clock: monotonicClock(), http: createHttpClient(plan.origin, { connections: 3 }), random });
    const started = Date.now();
    const error = await run.run({ target: server.url }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(5000); // stopped, not run to its 10 s end or hung
    return error;
  }

  it('when an iteration starts: the run stops and fails with the error', async () => {
    expect(await runWithFailingRandom(1)).toMatchObject({ message: 'bug on call 1' });
  });

  it('when a response comes back: the run stops and fails with the error', async () => {
    // Calls: 3 journey picks, then the first think time, inside a response callback.
    expect(await runWithFailingRandom(4)).toMatchObject({ message: 'bug on call 4' });
  });
});
