import type { Profile } from '../../src/config/profile-types.js';
import { monotonicClock } from '../../src/engine/clock.js';
import { LoadRun } from '../../src/engine/engine.js';
import { createHttpClient, type HttpClient, type PoolOptions } from '../../src/engine/http-client.js';
import { fixedReadings, SelfMonitor } from '../../src/engine/self-monitor.js';
import { buildPlan } from '../../src/plan/plan.js';
import type { RunRecord } from '../../src/record/run-record-types.js';

/**
 * Runs a profile with the real clock and a real undici pool, as the CLI does. The self-check
 * reads an idle generator whose requests all start on time unless `monitor` says otherwise, so
 * a busy machine cannot make a test's run invalid; tests about the self-check pass their own.
 */
export async function runProfile(
  profile: Profile,
  options: {
    connect?: PoolOptions['connect'];
    signal?: AbortSignal;
    onRun?: (run: LoadRun) => void;
    monitor?: SelfMonitor;
    /** Puts a client between the engine and the pool: an observer, or a double that mis-times. */
    wrapHttp?: (pool: HttpClient) => HttpClient;
  } = {},
): Promise<RunRecord> {
  const plan = buildPlan(profile);
  const pool = createHttpClient(plan.origin, { connections: plan.maxConcurrency, ...(options.connect ? { connect: options.connect } : {}) });
  const http = options.wrapHttp ? options.wrapHttp(pool) : pool;
  const run = new LoadRun(plan, {
    clock: monotonicClock(),
    http,
    seed: 1,
    monitor: options.monitor ?? new SelfMonitor({ readings: fixedReadings() }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  options.onRun?.(run);
  return run.run({ target: profile.target });
}
