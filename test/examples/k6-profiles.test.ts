import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateThresholds } from '../../src/threshold/thresholds.js';
import { loadProfile } from '../../src/config/load-profile.js';
import { startSampleService, type SampleService } from '../../src/sample-service/sample-service.js';
import { runProfile } from '../helpers/run-profile.js';

/**
 * The k6 tests of examples/profiles (load, stress, spike, soak, a trading system), each run for a
 * few seconds against the sample service, their durations shortened through the variables the
 * files read.
 */
const EXAMPLES = join(import.meta.dirname, '../../examples/profiles');
const SHORT = { VUS: '3', RAMP: '0.5s', HOLD: '1s', STEP: '0.3s', SPIKE: '0.5s', SOAK: '1s', SCALE: '1s', MARKET_START: '2s', CLOSE_START: '3s' };

describe('the k6 examples', () => {
  let service: SampleService;
  beforeAll(async () => {
    service = await startSampleService();
  });
  afterAll(() => service.close());

  it.each(['load', 'stress', 'spike', 'soak'])('%s runs without errors', async (name) => {
    const profile = await loadProfile(join(EXAMPLES, `${name}.yml`), { env: { ...SHORT, TARGET_URL: service.url } });
    const record = await runProfile(profile);
    expect(record.overall.requests).toBeGreaterThan(0);
    expect(record.overall.errors).toBe(0);
    for (const check of Object.values(record.checks ?? {})) expect(check.fails).toBe(0);
  }, 30_000);

  it('trading: three timed scenarios; each VU logs in once, not once per iteration', async () => {
    const before = service.counts();
    const profile = await loadProfile(join(EXAMPLES, 'trading.yml'), { env: { ...SHORT, TARGET_URL: service.url } });
    expect(profile.scenarios.map((s) => [s.name, s.startTimeMs])).toEqual([
      ['morning', 0],
      ['market', 2000],
      ['close', 3000],
    ]);
    const record = await runProfile(profile);
    const logins = service.counts().logins - before.logins;
    const iterations = Object.values(record.scenarios).reduce((sum, s) => sum + s.iterations + (s.interruptedIterations ?? 0), 0);
    const vus = Object.values(record.scenarios).reduce((sum, s) => sum + s.maxVUs, 0);
    expect(logins).toBeGreaterThan(0);
    expect(logins).toBeLessThanOrEqual(vus);
    expect(iterations).toBeGreaterThan(logins);
    expect(service.counts().unauthorized - before.unauthorized).toBe(0);
    expect(record.overall.errors).toBe(0);
    expect(record.checks?.priced?.fails).toBe(0);
    expect(record.checks?.['has cash']?.fails).toBe(0);
    expect(record.checks?.['capture token']?.passes).toBe(record.steps.login?.requests);
    // k6's thresholds as written: one scenario's requests, and the checks metric.
    const thresholds = evaluateThresholds(record, profile.thresholds);
    expect(thresholds.map((t) => t.metric)).toEqual(['http_req_duration{scenario:market}', 'http_req_duration{step:trade}', 'checks', 'http_req_failed']);
    expect(thresholds.find((t) => t.metric === 'checks')?.observed).toBe(1);
    expect(thresholds.find((t) => t.metric === 'http_req_duration{scenario:market}')?.observed).toBeGreaterThan(0);
  }, 30_000);
});
