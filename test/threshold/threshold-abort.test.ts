import { describe, expect, it } from 'vitest';
import { parseThreshold } from '../../src/threshold/threshold-expression.js';
import type { ThresholdSource, Trend } from '../../src/threshold/threshold-data.js';
import { abortWatchFor } from '../../src/threshold/threshold-abort.js';

/** A running tally of `measuredMs` whose requests all took `latencyMs`, `errors` of `requests` failed. */
function tally(measuredMs: number, requests: number, latencyMs: number, errors = 0): ThresholdSource {
  const latency: Trend = { count: requests, percentile: () => latencyMs, mean: () => latencyMs, min: () => latencyMs, max: () => latencyMs };
  return {
    measuredMs,
    requests: (step) => (step === 'gone' ? undefined : { requests, errors, latency }),
    checks: () => ({ passes: requests - errors, fails: errors }),
    expected: () => latency,
    phase: () => latency,
    groups: () => latency,
    iterations: () => latency,
  };
}

describe('abortWatchFor', () => {
  const thresholds = [
    { metric: 'http_req_duration', expressions: ['p(95)<500', 'p(99)<100'], abortOnFail: [{ expression: 1, delayAbortEvalMs: 10_000 }] },
    { metric: 'http_req_failed', expressions: ['rate<0.1'], abortOnFail: [{ expression: 0, delayAbortEvalMs: 0 }] },
  ].map(parseThreshold);

  it('is undefined when no threshold aborts', () => {
    expect(abortWatchFor([{ metric: 'http_req_duration', expressions: ['p(95)<500'] }].map(parseThreshold))).toBeUndefined();
  });

  it('names the first aborting threshold broken, only once its delay has passed', () => {
    const watch = abortWatchFor(thresholds, 250);
    expect(watch?.everyMs).toBe(250);
    // 200 ms requests break p(99)<100, but not before 10 s of measurement.
    expect(watch?.check(tally(9_999, 100, 200), 9_999)).toBeUndefined();
    expect(watch?.check(tally(10_000, 100, 200), 10_000)).toEqual({ metric: 'http_req_duration', expression: 'p(99)<100', observed: 200 });
    // The failure rate has no delay; thresholds without abortOnFail (p(95)<500) never abort.
    expect(watch?.check(tally(1, 100, 800, 20), 1)).toEqual({ metric: 'http_req_failed', expression: 'rate<0.1', observed: 0.2 });
    expect(watch?.check(tally(60_000, 100, 50), 60_000)).toBeUndefined();
  });

  it('counts the delay in the run\'s time and rates in the source\'s (a paired run\'s head measures part of it)', () => {
    const watch = abortWatchFor(
      [{ metric: 'http_reqs', expressions: ['rate>40'], abortOnFail: [{ expression: 0, delayAbortEvalMs: 10_000 }] }].map(parseThreshold),
    );
    // 200 requests in the head's 4 s of blocks are 50 a second, above 40 (over the run's 10 s they
    // would be 20); 150 are 37.5 a second, broken, but only judged once the run is 10 s past its warm-up.
    expect(watch?.check(tally(4_000, 200, 5), 10_000)).toBeUndefined();
    expect(watch?.check(tally(4_000, 150, 5), 9_999)).toBeUndefined();
    expect(watch?.check(tally(4_000, 150, 5), 10_000)).toEqual({ metric: 'http_reqs', expression: 'rate>40', observed: 37.5 });
  });

  it('does not abort on no data', () => {
    const watch = abortWatchFor([{ metric: 'http_req_duration{step:gone}', expressions: ['p(95)<1'], abortOnFail: [{ expression: 0, delayAbortEvalMs: 0 }] }].map(parseThreshold));
    expect(watch?.check(tally(5_000, 100, 200), 5_000)).toBeUndefined();
    expect(abortWatchFor([{ metric: 'checks', expressions: ['rate>0.9'], abortOnFail: [{ expression: 0, delayAbortEvalMs: 0 }] }].map(parseThreshold))?.check(tally(5_000, 0, 0), 5_000)).toBeUndefined();
  });
});
