import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SELF_CHECK_LIMITS,
  fixedReadings,
  judgeGenerator,
  SelfMonitor,
  type LateStarts,
  type MeasuredRun,
  type ProcessReadings,
} from '../../src/engine/self-monitor.js';
import { startServer, respondAfter, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';

const IDLE: ProcessReadings = { eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 5, cpuCores: 0.05, maxRssBytes: 1 };

/** A run whose latencies have a long tail: the q-quantile is p95 * (q / 0.95)^10, so Q(0.9) is 0.58 * p95. */
function tailedRun(p95Ms: number, model: 'open' | 'closed', vuBusyMs = 90_000): MeasuredRun {
  return { p95Ms, quantileMs: (q) => p95Ms * (q / 0.95) ** 10, vuBusyMs, open: model === 'open', closed: model === 'closed' };
}

function late(starts: number, count: number, eachMs: number): LateStarts {
  return { starts, late: count, totalLateMs: count * eachMs, maxLateMs: count > 0 ? eachMs : 0 };
}

describe('the self-check judges late starts by what they could have moved', () => {
  it.each([
    // The case: 2 late starts of 76 requests (2.6%) in an 18 s, 5 VU run at 4% CPU.
    { what: '2 of 76 late: too few to tell', late: late(76, 2, 15), run: tailedRun(50, 'closed', 5 * 18_000), valid: true },
    { what: '19 of 100 late by a second each, open model: below the minimum count', late: late(100, 19, 1000), run: tailedRun(50, 'open'), valid: true },
    // 2% of 5000 late by 15 ms, closed model: latency from the actual start, VU time barely touched.
    { what: '100 of 5000 late by 15 ms, closed model', late: late(5000, 100, 15), run: tailedRun(20, 'closed', 10 * 30_000), valid: true },
    // Open model, p95 of 800 ms: a 12 ms lateness cannot raise it by 2.5%.
    { what: '100 of 5000 late by 12 ms, open model, p95 800 ms', late: late(5000, 100, 12), run: tailedRun(800, 'open'), valid: true },
    // Open model, p95 of 20 ms: lateness of 15 ms on 2% of requests can move it by far more.
    { what: '100 of 5000 late by 15 ms, open model, p95 20 ms', late: late(5000, 100, 15), run: tailedRun(20, 'open'), valid: false, moved: 'raised p95' },
    // Closed model, late by 200 ms on 10% of 10,000 requests of 10 VUs for 30 s: 200 s of 300 s lost.
    { what: '1000 of 10000 late by 200 ms, closed model', late: late(10_000, 1000, 200), run: tailedRun(20, 'closed', 10 * 30_000), valid: false, moved: 'cut throughput' },
  ])('$what: valid $valid', ({ late: l, run, valid, moved }) => {
    const record = judgeGenerator(IDLE, l, run, DEFAULT_SELF_CHECK_LIMITS);
    expect(record.valid, record.reasons.join('; ')).toBe(valid);
    expect(record.lateStarts).toBe(l.late);
    expect(record.lateness?.limitP95Pct).toBe(2.5);
    expect(record.lateness?.limitThroughputPct).toBe(2.5);
    if (moved) expect(record.reasons[0]).toContain(moved);
    if (run.closed && !run.open) expect(record.lateness?.p95Pct).toBe(0);
    if (run.open && !run.closed) expect(record.lateness?.throughputPct).toBe(0);
  });

  it('bounds the late fraction from above, so a few more late starts than seen are allowed for', () => {
    const record = judgeGenerator(IDLE, late(1000, 20, 15), tailedRun(100, 'open'), DEFAULT_SELF_CHECK_LIMITS);
    expect(record.lateness?.lateFractionUpper).toBeGreaterThan(0.02);
    expect(record.lateness?.lateFractionUpper).toBeLessThan(0.04);
    expect(record.lateness?.starts).toBe(1000);
  });

  it('follows the gate: a larger allowed change tolerates more', () => {
    const strict = judgeGenerator(IDLE, late(5000, 100, 15), tailedRun(200, 'open'), { ...DEFAULT_SELF_CHECK_LIMITS, allowedP95ChangePct: 2 });
    const loose = judgeGenerator(IDLE, late(5000, 100, 15), tailedRun(200, 'open'), { ...DEFAULT_SELF_CHECK_LIMITS, allowedP95ChangePct: 50 });
    expect(strict.valid).toBe(false);
    expect(loose.valid).toBe(true);
    expect(strict.lateness?.p95Pct).toBe(loose.lateness?.p95Pct);
  });

  it('a blocked event loop makes the run invalid whatever the late starts', () => {
    const record = judgeGenerator({ ...IDLE, eventLoopDelayP99Ms: 80 }, late(1000, 0, 0), tailedRun(50, 'closed'), DEFAULT_SELF_CHECK_LIMITS);
    expect(record.valid).toBe(false);
    expect(record.reasons[0]).toContain('event loop was blocked (p99 delay 80 ms, limit 50 ms)');
  });
});

/** The engine takes its self-monitor as a dependency: injected readings decide the verdict. */
describe('the engine with injected generator readings', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer((req, res) => respondAfter(res, req, 2));
  });
  afterAll(() => server.close());

  const profile = (): ReturnType<typeof profileWith> =>
    profileWith({
      target: server.url,
      journeys: [{ name: 'main', weight: 1, steps: [step('GET /')] }],
      scenarios: [{ executor: { type: 'constant-arrival-rate', rate: 200, timeUnitMs: 1000, durationMs: 1000, preAllocatedVUs: 5, maxVUs: 20 } }],
    });

  it('idle readings keep the run valid, and the record says how little lateness could have moved', async () => {
    const record = await runProfile(profile(), { monitor: new SelfMonitor({ readings: fixedReadings(IDLE) }) });
    expect(record.generator.valid).toBe(true);
    expect(record.generator).toMatchObject({ lateStarts: 0, eventLoopDelayP99Ms: 1, cpuCores: 0.05 });
    expect(record.generator.lateness).toMatchObject({ p95Pct: 0, throughputPct: 0, starts: record.overall.requests });
  });

  it('every other request 40 ms late makes an open-model run of a 2 ms target invalid, and says by how much', async () => {
    const monitor = new SelfMonitor({ readings: fixedReadings({ ...IDLE, lateness: (i) => (i % 2 === 0 ? 40 : 0) }) });
    const record = await runProfile(profile(), { monitor });
    expect(record.generator.valid).toBe(false);
    expect(record.generator.lateStarts).toBeGreaterThanOrEqual(20);
    expect(record.generator.reasons[0]).toMatch(/requests started more than 10 ms late \(up to 40 ms\), which could have raised p95 by up to/);
    expect(record.generator.lateness?.p95Pct).toBeGreaterThan(2.5);
  });

  it('a blocked event loop read by the monitor makes the run invalid', async () => {
    const record = await runProfile(profile(), { monitor: new SelfMonitor({ readings: fixedReadings({ ...IDLE, eventLoopDelayP99Ms: 120 }) }) });
    expect(record.generator.valid).toBe(false);
    expect(record.generator.eventLoopDelayP99Ms).toBe(120);
  });

  it('limits are the monitor’s: a loose event-loop limit keeps the same readings valid', async () => {
    const monitor = new SelfMonitor({ readings: fixedReadings({ ...IDLE, eventLoopDelayP99Ms: 120 }), limits: { maxEventLoopP99Ms: 200 } });
    expect((await runProfile(profile(), { monitor })).generator.valid).toBe(true);
  });
});
