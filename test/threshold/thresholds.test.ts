import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { parseThreshold, ThresholdError } from '../../src/threshold/threshold-expression.js';
import { evaluateThresholds } from '../../src/threshold/thresholds.js';
import { createHistogram, encodeHistogram, recordMicros } from '../../src/record/histogram.js';
import type { RunRecord, StepTotals } from '../../src/record/run-record-types.js';
import { buildRunRecord, constantBlocks } from '../compare/record-builder.js';

// checkout: 6 blocks × 50 requests; latencies 1.0 ms in half the blocks, 1.5 ms in the other half.
// list: 100 requests at 0.5 ms, 10 of them failed. Measured period 6 × 5 s = 30 s.
const run = buildRunRecord({
  steps: {
    checkout: constantBlocks([1.0, 1.5, 1.0, 1.5, 1.0, 1.5]),
    list: [{ latenciesMs: Array.from({ length: 100 }, () => 0.5), errors: 10 }],
  },
});
const location = { file: 'tailgate.yml', line: 12, column: 3 };

describe('evaluateThresholds', () => {
  it.each([
    ['http_req_duration{step:checkout}', 'p(95)<2', 1.5, 'ok'],
    ['http_req_duration{step:checkout}', 'p(99.9)<=1.4', 1.5, 'broken'],
    ['http_req_duration{step:checkout}', 'avg<1.3', 1.25, 'ok'],
    ['http_req_duration{step:checkout}', 'med == 1', 1, 'ok'],
    ['http_req_duration{step:checkout}', 'min>=1', 1, 'ok'],
    ['http_req_duration{step:checkout}', 'max < 1.5', 1.5, 'broken'],
    ['http_req_duration', 'p(50)!=0.5', 1, 'ok'],
    ['http_req_failed{step:list}', 'rate<0.05', 0.1, 'broken'],
    ['http_req_failed', 'rate<0.05', 10 / 400, 'ok'],
    ['http_reqs', 'count>100', 400, 'ok'],
    ['http_reqs{step:list}', 'rate>=4', 100 / 30, 'broken'],
    ['http_req_duration', 'p(95)===1.5', 1.5, 'ok'],
  ] as const)('%s: %s -> observed %s, %s', (metric, expression, observed, status) => {
    const [result] = evaluateThresholds(run, [{ metric, expressions: [expression], location }].map(parseThreshold));
    expect(result?.observed).toBeCloseTo(observed, 12);
    expect(result?.status).toBe(status);
    expect(result?.location).toEqual(location);
  });

  it('returns one result per expression, in order, with the step and unit', () => {
    const results = evaluateThresholds(run, [
      { metric: 'http_req_duration{step:checkout}', expressions: ['p(95)<500', 'p(99)<800'] },
      { metric: 'http_req_failed', expressions: ['rate<0.01'] },
    ].map(parseThreshold));
    expect(results.map((r) => [r.expression, r.step, r.unit])).toEqual([
      ['p(95)<500', 'checkout', 'ms'],
      ['p(99)<800', 'checkout', 'ms'],
      ['rate<0.01', null, 'ratio'],
    ]);
  });

  it('reports no data rather than a pass or a failure for a step without latencies', () => {
    const empty = buildRunRecord({ steps: { idle: [{ latenciesMs: [] }], busy: constantBlocks([1]) } });
    const [duration, failed] = evaluateThresholds(empty, [
      { metric: 'http_req_duration{step:idle}', expressions: ['p(95)<500'] },
      { metric: 'http_req_failed{step:idle}', expressions: ['rate<0.01'] },
    ].map(parseThreshold));
    expect(duration?.status).toBe('no-data');
    expect(duration?.observed).toBeNull();
    expect(failed?.status).toBe('no-data');
  });
});

describe('threshold mistakes', () => {
  it.each([
    ['http_req_waitin', 'p(95)<500', /unknown metric "http_req_waitin"\. Fix: did you mean http_req_waiting\? \(metrics: http_req_duration, http_req_failed, http_reqs, http_req_blocked, http_req_connecting, http_req_tls_handshaking, http_req_sending, http_req_waiting, http_req_receiving, checks, iterations, iteration_duration, group_duration, server_timing\)/],
    ['latency', 'p(95)<500', /unknown metric "latency"\. Fix: use one of http_req_duration, http_req_failed/],
    ['http_req_looking_up', 'p(95)<500', /k6's metric "http_req_looking_up" is not measured by tailgate\. Fix: .*write http_req_blocked/],
    ['http_req_duration{group:browse}', 'p(95)<500', /http_req_duration cannot be selected by group: the record does not keep it apart that way\. Fix: select http_req_duration with \{step:NAME\} or \{scenario:NAME\} or \{name:NAME\} or \{expected_response:true\}/],
    ['http_req_duration{check:ok}', 'p(95)<500', /http_req_duration cannot be selected by check/],
    ['checks{step:list}', 'rate>0.9', /checks cannot be selected by step.*Fix: select checks with \{check:NAME\}/],
    ['iterations{step:list}', 'count>1', /iterations cannot be selected by step.*Fix: select iterations with \{scenario:NAME\}/],
    ['iteration_duration', 'rate<1', /"rate" is not an aggregation of iteration_duration/],
    ['checks', 'p(95)>0.9', /"p\(95\)" is not an aggregation of checks\. Fix: use one of rate/],
    ['http_req_duration{scenario:}', 'p(95)<500', /the scenario selector names no scenario\. Fix: write \{scenario:NAME\}/],
    ['http_req_duration{step:a,step:b}', 'p(95)<500', /names a step twice/],
    ['http_req_duration{step:cart}', 'p(95)<500', /no step is named "cart".*use one of the profile's steps: checkout, list/],
    ['http_req_duration{scenario:bulk}', 'p(95)<500', /no scenario is named "bulk".*use one of the profile's scenarios: main/],
    ['checks{check:status is 201}', 'rate>0.9', /no check is named "status is 201".*use one of the profile's checks: \(none\)/],
    ['http_req_duration', 'p95<500', /"p95<500": "p95" is not an aggregation of http_req_duration\. Fix: write p\(95\)/],
    ['http_req_duration', 'average<500', /"average" is not an aggregation of http_req_duration\. Fix: use one of p\(N\), avg, med, min, max/],
    ['http_req_duration', 'rate<0.01', /"rate" is not an aggregation of http_req_duration/],
    ['http_req_failed', 'p(95)<0.01', /"p\(95\)" is not an aggregation of http_req_failed.*use one of rate/],
    ['http_req_duration', 'p(101)<500', /percentile 101 is outside 0–100/],
    ['http_req_duration', 'p(95) < fast', /is not a threshold expression.*e\.g\. "p\(95\)<500"/],
    ['http_req_duration', 'p(95) => 5', /is not a threshold expression/],
  ])('%s: %s', (metric, expression, message) => {
    const attempt = () => evaluateThresholds(run, [{ metric, expressions: [expression], location }].map(parseThreshold));
    expect(attempt).toThrow(ThresholdError);
    expect(attempt).toThrow(message);
  });

  it('is a ConfigError that points at the config line', () => {
    try {
      evaluateThresholds(run, [{ metric: 'http_req_duration', expressions: ['p(95)<x'], location }].map(parseThreshold));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const thresholdError = error as ThresholdError;
      expect(thresholdError.location).toEqual(location);
      expect(thresholdError.metric).toBe('http_req_duration');
      expect(thresholdError.expression).toBe('p(95)<x');
      expect(thresholdError.message).toMatch(/^tailgate\.yml:12:3 thresholds\.http_req_duration: "p\(95\)<x": is not a threshold expression/);
    }
  });

  it('checks every expression before evaluating any', () => {
    expect(() =>
      evaluateThresholds(run, [
        { metric: 'http_req_duration', expressions: ['p(95)<500'] },
        { metric: 'http_req_duration', expressions: ['avgg<1'] },
      ].map(parseThreshold)),
    ).toThrow(ThresholdError);
  });
});

/** Totals of `latenciesMs`, `errors` of them failed, as a scenario's results hold them. */
function totals(latenciesMs: readonly number[], errors = 0): StepTotals {
  const histogram = createHistogram();
  for (const ms of latenciesMs) recordMicros(histogram, ms * 1000);
  return { histogram: encodeHistogram(histogram), requests: latenciesMs.length, errors, statuses: { '200': latenciesMs.length }, errorKinds: {} };
}

// Two scenarios: browse sent the list requests (0.5 ms, 10 failed), buy the checkouts; a setup login of 12.5 ms; two checks.
const tagged: RunRecord = {
  ...run,
  scenarios: {
    browse: { executor: 'constant-vus', model: 'closed', latencyFrom: 'actual-start', iterations: 100, maxVUs: 2, results: { overall: totals(Array(100).fill(0.5), 10), steps: { list: totals(Array(100).fill(0.5), 10) } } },
    buy: {
      executor: 'constant-vus',
      model: 'closed',
      latencyFrom: 'actual-start',
      iterations: 300,
      maxVUs: 2,
      results: { overall: totals([...Array(150).fill(1), ...Array(150).fill(1.5)]), steps: { checkout: totals([...Array(150).fill(1), ...Array(150).fill(1.5)]) } },
    },
  },
  setup: { durationMs: 13, steps: [{ name: 'login', status: 200, latencyMs: 12.5 }] },
  checks: { 'status is 200': { passes: 297, fails: 3 }, 'capture id': { passes: 100, fails: 0 } },
};

describe('checks, scenarios and setup steps in thresholds', () => {
  it.each([
    ['checks', 'rate>0.99', 397 / 400, 'ok', 'ratio'],
    ['checks{check:status is 200}', 'rate>0.99', 0.99, 'broken', 'ratio'],
    ['checks{check:capture id}', 'rate==1', 1, 'ok', 'ratio'],
    ['http_req_duration{scenario:browse}', 'p(95)<1', 0.5, 'ok', 'ms'],
    ['http_req_duration{scenario:buy}', 'max<1.5', 1.5, 'broken', 'ms'],
    ['http_req_failed{scenario:browse}', 'rate<0.05', 0.1, 'broken', 'ratio'],
    ['http_req_failed{scenario:buy}', 'rate<0.05', 0, 'ok', 'ratio'],
    ['http_reqs{scenario:buy}', 'rate>=10', 300 / 30, 'ok', 'req/s'],
    ['http_req_duration{scenario:buy,step:checkout}', 'avg<1.3', 1.25, 'ok', 'ms'],
    ['http_req_duration{step:login}', 'p(95)<10', 12.5, 'broken', 'ms'],
    ['http_req_duration{step:login}', 'max<20', 12.5, 'ok', 'ms'],
    ['http_req_failed{step:login}', 'rate==0', 0, 'ok', 'ratio'],
  ] as const)('%s: %s -> observed %s, %s', (metric, expression, observed, status, unit) => {
    const [result] = evaluateThresholds(tagged, [{ metric, expressions: [expression] }].map(parseThreshold));
    expect(result?.observed).toBeCloseTo(observed, 12);
    expect(result?.status).toBe(status);
    expect(result?.unit).toBe(unit);
  });

  it('selects a check whose name has a comma, written in quotes', () => {
    const withComma: RunRecord = { ...tagged, checks: { ...tagged.checks, 'price, in euros': { passes: 9, fails: 1 } } };
    const [result] = evaluateThresholds(withComma, [{ metric: 'checks{check:"price, in euros"}', expressions: ['rate>0.95'] }].map(parseThreshold));
    expect(result?.observed).toBeCloseTo(0.9, 12);
    expect(result?.status).toBe('broken');
  });

  it('has no data for a scenario step it did not send, nor for checks of a run without any', () => {
    const [other] = evaluateThresholds(tagged, [{ metric: 'http_req_duration{scenario:browse,step:checkout}', expressions: ['p(95)<1'] }].map(parseThreshold));
    expect(other?.status).toBe('no-data');
    const [none] = evaluateThresholds(run, [{ metric: 'checks', expressions: ['rate>0.99'] }].map(parseThreshold));
    expect(none?.status).toBe('no-data');
  });

  it('refuses a setup step under a scenario, and names the setup steps among the steps', () => {
    expect(() => evaluateThresholds(tagged, [{ metric: 'http_req_duration{scenario:buy,step:login}', expressions: ['p(95)<1'] }].map(parseThreshold))).toThrow(/"login" is a setup step, which belongs to no scenario/);
    expect(() => evaluateThresholds(tagged, [{ metric: 'http_req_duration{step:logon}', expressions: ['p(95)<1'] }].map(parseThreshold))).toThrow(/use one of the profile's steps: checkout, list, login/);
  });
});

describe('a run stopped by an abortOnFail threshold', () => {
  it('reports that threshold broken and when it stopped the run, even if the shortened run meets it', () => {
    const aborted: RunRecord = { ...run, meta: { ...run.meta, aborted: { metric: 'http_req_duration', expression: 'p(95)<2', observed: 3.5, atMs: 12_000 } } };
    const [stopper, other] = evaluateThresholds(aborted, [{ metric: 'http_req_duration', expressions: ['p(95)<2', 'p(95)<3'], abortOnFail: [{ expression: 0, delayAbortEvalMs: 0 }] }].map(parseThreshold));
    expect(stopper).toMatchObject({ status: 'broken', observed: 1.5, abortedRun: { atMs: 12_000, observed: 3.5 } });
    expect(other).toMatchObject({ status: 'ok' });
    expect(other?.abortedRun).toBeUndefined();
  });
});
