import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monotonicClock } from '../../src/engine/clock.js';
import { LoadRun } from '../../src/engine/engine.js';
import { createHttpClient, type HttpClient } from '../../src/engine/http-client.js';
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

  /** The pool is the one dependency every step calls: its `send` throws on its `failOn`-th call. */
  async function runWithFailingSend(failOn: number): Promise<unknown> {
    const plan = buildPlan(
      profileWith({
        target: server.url,
        journeys: [{ name: 'main', weight: 1, steps: [step('GET /a', { think: { minMs: 1, maxMs: 2 } }), step('GET /b')] }],
        scenarios: [{ executor: { type: 'constant-vus', vus: 3, durationMs: 10_000 }, gracefulStopMs: 1000 }],
      }),
    );
    const pool = createHttpClient(plan.origin, { connections: 3 });
    let calls = 0;
    const http: HttpClient = {
      send: (request, done, arm) => {
        if (++calls === failOn) throw new Error(`bug on call ${failOn}`);
        pool.send(request, done, arm);
      },
      close: () => pool.close(),
      destroy: () => pool.destroy(),
    };
    const run = new LoadRun(plan, { clock: monotonicClock(), http, seed: 1 });
    const started = Date.now();
    const error = await run.run({ target: server.url }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(5000); // stopped, not run to its 10 s end or hung
    return error;
  }

  it('when an iteration starts: the run stops and fails with the error', async () => {
    expect(await runWithFailingSend(1)).toMatchObject({ message: 'bug on call 1' });
  });

  it('when a response comes back: the run stops and fails with the error', async () => {
    // Calls: the 3 VUs' first requests, then the next one, sent after a response came back.
    expect(await runWithFailingSend(4)).toMatchObject({ message: 'bug on call 4' });
  });
});
