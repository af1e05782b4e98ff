import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rampValueAt } from '../../src/engine/schedule.js';
import { startServer, respondAfter, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { nowMs, observeClient, type ObservedClient } from '../helpers/observed-client.js';
import { runProfile } from '../helpers/run-profile.js';

describe('arrival-rate executors start the iterations they promise', () => {
  const byPath = new Map<string, number>();
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      byPath.set(req.url ?? '', (byPath.get(req.url ?? '') ?? 0) + 1);
      respondAfter(res, req, 5);
    });
  });
  afterAll(() => server.close());

  it('within 2% of the intended count over 10 s, for a constant and a ramping rate at once', async () => {
    const record = await runProfile(
      profileWith({
        target: server.url,
        journeys: [
          { name: 'a', weight: 1, steps: [step('GET /constant')] },
          { name: 'b', weight: 1, steps: [step('GET /ramping')] },
        ],
        scenarios: [
          // VUs to spare: a busy machine that pauses the generator starts the iterations due meanwhile at once.
          { name: 'constant', journeys: ['a'], executor: { type: 'constant-arrival-rate', rate: 100, timeUnitMs: 1000, durationMs: 10_000, preAllocatedVUs: 5, maxVUs: 500 } },
          {
            name: 'ramping',
            journeys: ['b'],
            executor: {
              type: 'ramping-arrival-rate',
              startRate: 0,
              timeUnitMs: 1000,
              stages: [
                { durationMs: 5000, target: 200 },
                { durationMs: 5000, target: 200 },
              ],
              preAllocatedVUs: 5,
              maxVUs: 500,
            },
          },
        ],
      }),
    );
    const constant = record.scenarios.constant;
    const ramping = record.scenarios.ramping;
    // The schedule asks for exactly this many; each one reached the server or was counted as
    // dropped (a generator paused for seconds could run out of VUs: it says so, never skips).
    expect(constant?.intendedIterations).toBe(1000);
    expect(ramping?.intendedIterations).toBe(1500);
    const dropped = { constant: constant?.droppedIterations ?? NaN, ramping: ramping?.droppedIterations ?? NaN };
    expect(Math.abs((byPath.get('/constant') ?? 0) + dropped.constant - 1000)).toBeLessThanOrEqual(20);
    expect(Math.abs((byPath.get('/ramping') ?? 0) + dropped.ramping - 1500)).toBeLessThanOrEqual(30);
    expect(dropped.constant).toBeLessThanOrEqual(20);
    expect(dropped.ramping).toBeLessThanOrEqual(30);
    expect(constant?.achievedRate).toBeCloseTo(100 - dropped.constant / 10, 0);
    expect(constant?.latencyFrom).toBe('intended-start');
    // The ramp shows in the blocks (requests by intended start): 1 s blocks, rate rising by 40/s each second for 5 s.
    const rampBlocks = record.steps['GET /ramping']?.blocks.map((b) => b.requests) ?? [];
    expect(rampBlocks[0]).toBeLessThan(40);
    expect(rampBlocks[4]).toBeGreaterThan(160 - dropped.ramping);
    expect(rampBlocks[7]).toBeGreaterThanOrEqual(196 - dropped.ramping);
  }, 20_000);
});

describe('ramping-vus follows its stages', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer((req, res) => respondAfter(res, req, 20));
  });
  afterAll(() => server.close());

  it('keeps as many requests in flight as the stage says, at each moment', async () => {
    const stages = [
      { durationMs: 1500, target: 12 },
      { durationMs: 1000, target: 12 },
      { durationMs: 1500, target: 3 },
    ];
    // Requests in flight as the engine holds them (sent, no outcome yet): a VU sends its next
    // request in the same call that takes its outcome, so this is the count of VUs running. The
    // server's own count would also miss the VUs whose next request is still on its way, which a
    // busy machine makes many.
    let client: ObservedClient | undefined;
    const samples: Array<{ at: number; inFlight: number }> = [];
    const timer = setInterval(() => samples.push({ at: Date.now(), inFlight: client?.inFlight() ?? 0 }), 50);
    const record = await runProfile(
      profileWith({
        target: server.url,
        scenarios: [{ executor: { type: 'ramping-vus', startVUs: 0, stages, gracefulRampDownMs: 1000 } }],
      }),
      { wrapHttp: (pool) => (client = observeClient(pool)) },
    );
    clearInterval(timer);
    // Time from the load's own start (after the pre-load connection check), not the test's.
    const loadStart = Date.parse(record.meta.startedAt);
    const steady = samples.map((s) => ({ t: s.at - loadStart, inFlight: s.inFlight })).filter((s) => s.t > 200 && s.t < 3800);
    const deviations = steady.map((s) => Math.abs(s.inFlight - Math.floor(rampValueAt(0, stages, s.t))));
    // The engine follows the ramp on a 10 ms tick, and a VU ramped down ends its iteration first:
    // most samples must match the stage to within one VU.
    const close = deviations.filter((d) => d <= 1).length / deviations.length;
    expect(close).toBeGreaterThan(0.9);
    expect(record.scenarios.s0?.maxVUs).toBe(12);
    expect(record.scenarios.s0?.latencyFrom).toBe('actual-start');
  }, 15_000);
});

describe('constant-vus', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer((req, res) => respondAfter(res, req, 10));
  });
  afterAll(() => server.close());

  it('holds its VUs busy for the duration, excluding warm-up from the record', async () => {
    let client: ObservedClient | undefined;
    let startMs = 0;
    const record = await runProfile(
      profileWith({ target: server.url, warmupMs: 500, scenarios: [{ executor: { type: 'constant-vus', vus: 8, durationMs: 2000 } }] }),
      {
        wrapHttp: (pool) => {
          // The engine reads its start a moment after this, as it is built.
          startMs = nowMs();
          return (client = observeClient(pool));
        },
      },
    );
    const sent = (client as ObservedClient).sentAtMs.map((at) => at - startMs);
    expect((client as ObservedClient).peak()).toBe(8);
    expect(sent).toHaveLength(server.requests());
    expect(record.meta.measuredMs).toBe(1500);
    // Exactly the requests sent after the warm-up are in the record, give or take those sent
    // near its end: this test reads its start a moment before the engine does, and on a busy
    // machine that moment is a few milliseconds (8 VUs' iterations straddled it once in CI).
    const afterWarmup = sent.filter((t) => t >= 500).length;
    const atTheEdge = sent.filter((t) => Math.abs(t - 500) < 5).length;
    expect(Math.abs(record.overall.requests - afterWarmup)).toBeLessThanOrEqual(atTheEdge);
    expect(afterWarmup).toBeLessThan(sent.length);
    expect(record.blocks).toHaveLength(2);
  }, 10_000);
});
