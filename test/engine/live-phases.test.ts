import { describe, expect, it } from 'vitest';
import { CheckCounter } from '../../src/engine/check-counter.js';
import { LiveTallies } from '../../src/engine/live-tallies.js';
import { ScenarioTotals } from '../../src/engine/scenario-results.js';
import { buildPlan } from '../../src/plan/plan.js';
import type { RequestTimings } from '../../src/record/request-phases.js';
import { parseThreshold } from '../../src/threshold/threshold-expression.js';
import { observeThreshold, thresholdExpressions } from '../../src/threshold/thresholds.js';
import { profileWith, step } from '../helpers/profiles.js';

/** What abortOnFail reads while the load runs: the phases, the expected responses and the groups so far, from crafted requests. */
describe('running tallies of phases, expected responses and groups', () => {
  const plan = buildPlan(
    profileWith({
      target: 'http://127.0.0.1:9',
      journeys: [{ name: 'j', weight: 1, steps: [step('GET /a', { name: 'a', group: 'g' }), step('GET /b', { name: 'b' })] }],
      scenarios: [{ name: 's', executor: { type: 'constant-vus', vus: 1, durationMs: 1000 } }],
    }),
  );
  const timings = (waitingMs: number, connectingMs = 0): RequestTimings => ({ blockedMs: connectingMs, connectingMs, tlsHandshakingMs: 0, sendingMs: 0.01, waitingMs, receivingMs: 1 });
  const totals = new ScenarioTotals(plan.scenarios, plan.stepNames, 100);
  // In the warm-up (not counted), then a's requests (one on a new connection) and a failed b.
  totals.record(0, 0, 50, 900_000, 200, undefined, 0, timings(900));
  totals.record(0, 0, 150, 20_000, 200, undefined, 0, timings(10, 3));
  totals.record(0, 0, 160, 30_000, 200, undefined, 0, timings(20));
  totals.record(0, 1, 170, 5_000, 500, 'status', 0, timings(4));
  totals.recordGroup(0, 'g', 150, 40_000, 0);
  totals.recordGroup(0, 'g', 50, 900_000, 0);
  const live = new LiveTallies(totals, new CheckCounter(plan.checkNames, 100), 1000);
  const observe = (metric: string, expression: string) => thresholdExpressions([parseThreshold({ metric, expressions: [expression] })]).map((t) => observeThreshold(t, live))[0];

  it('reads each as a finished record would', () => {
    expect(observe('http_req_waiting{step:a}', 'max<1')).toBeCloseTo(20, 1);
    expect(observe('http_req_connecting', 'max<1')).toBeCloseTo(3, 1);
    expect(observe('http_req_connecting', 'min<1')).toBe(0);
    expect(observe('http_req_duration{expected_response:true}', 'max<1')).toBeCloseTo(30, 1);
    expect(observe('http_req_duration', 'min<1')).toBeCloseTo(5, 1);
    expect(observe('group_duration{group:g}', 'max<1')).toBeCloseTo(40, 1);
    expect(observe('group_duration{group:g}', 'p(50)<1')).toBeCloseTo(40, 1);
  });
});
