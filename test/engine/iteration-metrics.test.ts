import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseThreshold } from '../../src/threshold/threshold-expression.js';
import { evaluateThresholds } from '../../src/threshold/thresholds.js';
import { decodeHistogram } from '../../src/record/histogram.js';
import { mergeRecords } from '../../src/record/merge-records.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { respondAfter, startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';

/** k6's iterations and iteration_duration, per scenario, from a run against a loopback server. */
describe('iteration metrics', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer((req, res) => respondAfter(res, req, req.url === '/slow' ? 25 : 5));
  });
  afterAll(() => server.close());

  // quick: one 5 ms request an iteration; thorough: two, the second 25 ms, so its iterations last at least 30 ms.
  const profile = () =>
    profileWith({
      target: server.url,
      warmupMs: 150,
      journeys: [
        { name: 'quick', weight: 1, steps: [step('GET /fast', { name: 'fast' })] },
        { name: 'thorough', weight: 1, steps: [step('GET /fast', { name: 'fast' }), step('GET /slow', { name: 'slow' })] },
      ],
      scenarios: [
        { name: 'quickly', journeys: ['quick'], executor: { type: 'constant-vus', vus: 1, durationMs: 600 } },
        { name: 'thoroughly', journeys: ['thorough'], executor: { type: 'constant-arrival-rate', rate: 20, timeUnitMs: 1000, durationMs: 600, preAllocatedVUs: 4, maxVUs: 4 } },
      ],
    });

  it('times each scenario’s iterations of the measured period, and thresholds read them', async () => {
    const record = await runProfile(profile());
    const quick = decodeHistogram(record.scenarios.quickly?.iterationDurations as string);
    const thorough = decodeHistogram(record.scenarios.thoroughly?.iterationDurations as string);
    // Iterations of the warm-up are not counted: fewer than the scenario's iterations in all.
    expect(quick.totalCount).toBeGreaterThan(0);
    expect(quick.totalCount).toBeLessThan(record.scenarios.quickly?.iterations as number);
    expect(thorough.totalCount).toBeGreaterThan(0);
    expect(thorough.totalCount).toBeLessThanOrEqual(record.scenarios.thoroughly?.iterations as number);
    // Two requests, the server waiting 5 ms and 25 ms: no iteration of it can be much shorter than
    // 30 ms (a timer may fire a fraction of a millisecond early).
    expect(thorough.minNonZeroValue).toBeGreaterThanOrEqual(28_000);
    expect(quick.minNonZeroValue).toBeGreaterThanOrEqual(4_000);

    const results = evaluateThresholds(record, [
      { metric: 'iteration_duration{scenario:thoroughly}', expressions: ['min>=28', 'p(95)<28'] },
      { metric: 'iterations', expressions: ['count>0'] },
      { metric: 'iterations{scenario:quickly}', expressions: ['rate>0'] },
      { metric: 'iteration_duration', expressions: ['max>=28'] },
    ].map(parseThreshold));
    expect(results.map((r) => [r.metric, r.expression, r.status, r.unit])).toEqual([
      ['iteration_duration{scenario:thoroughly}', 'min>=28', 'ok', 'ms'],
      ['iteration_duration{scenario:thoroughly}', 'p(95)<28', 'broken', 'ms'],
      ['iterations', 'count>0', 'ok', 'count'],
      ['iterations{scenario:quickly}', 'rate>0', 'ok', 'iter/s'],
      ['iteration_duration', 'max>=28', 'ok', 'ms'],
    ]);
    expect(results[2]?.observed).toBe(quick.totalCount + thorough.totalCount);
    expect(results[3]?.observed).toBeCloseTo(quick.totalCount / (record.meta.measuredMs / 1000), 9);
  }, 20_000);

  it('keeps them through reading and adds shards’ exactly; an older record has no data for them', async () => {
    const a = await runProfile(profile());
    const read = parseRunRecord(JSON.stringify(a), 'run.json');
    expect(read.scenarios.quickly?.iterationDurations).toBe(a.scenarios.quickly?.iterationDurations);
    const b = await runProfile(profile());
    const shard = (r: typeof a, index: number) => ({ ...r, meta: { ...r.meta, shard: { index, count: 2 } } });
    const merged = mergeRecords([
      { file: 'a.json', record: shard(a, 1) },
      { file: 'b.json', record: shard(b, 2) },
    ]);
    const count = (encoded: string | undefined) => decodeHistogram(encoded as string).totalCount;
    expect(count(merged.scenarios.quickly?.iterationDurations)).toBe(count(a.scenarios.quickly?.iterationDurations) + count(b.scenarios.quickly?.iterationDurations));

    const { iterationDurations: _q, ...quickly } = a.scenarios.quickly as NonNullable<typeof a.scenarios.quickly>;
    const older = { ...a, scenarios: { ...a.scenarios, quickly } };
    const [all, one] = evaluateThresholds(older, [
      { metric: 'iterations', expressions: ['count>0'] },
      { metric: 'iterations{scenario:thoroughly}', expressions: ['count>0'] },
    ].map(parseThreshold));
    expect(all?.status).toBe('no-data');
    expect(one?.status).toBe('ok');
  }, 20_000);
});
