import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/record/histogram.js';
import { mergeRecords } from '../../src/record/merge-records.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { formatRunSummary } from '../../src/cli/run-summary.js';
import { respondAfter, startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';

/** Each scenario's requests apart in the record (k6's {scenario:NAME}), against a loopback server. */
describe('per-scenario results', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer((req, res) => respondAfter(res, req, req.url === '/slow' ? 20 : 1, req.url === '/gone' ? 404 : 200));
  });
  afterAll(() => server.close());

  const profile = () =>
    profileWith({
      target: server.url,
      warmupMs: 100,
      journeys: [
        { name: 'browse', weight: 1, steps: [step('GET /home', { name: 'home' }), step('GET /gone', { name: 'gone', expect: [200] })] },
        { name: 'search', weight: 1, steps: [step('GET /home', { name: 'home' }), step('GET /slow', { name: 'slow' })] },
      ],
      scenarios: [
        { name: 'browsers', journeys: ['browse'], executor: { type: 'constant-vus', vus: 2, durationMs: 500 } },
        { name: 'searchers', journeys: ['search'], executor: { type: 'constant-vus', vus: 1, durationMs: 500 } },
      ],
    });

  it('keeps each scenario’s requests apart, adding up to the steps and the run', async () => {
    const record = await runProfile(profile());
    const browsers = record.scenarios.browsers?.results;
    const searchers = record.scenarios.searchers?.results;
    expect(Object.keys(browsers?.steps ?? {})).toEqual(['home', 'gone']);
    expect(Object.keys(searchers?.steps ?? {})).toEqual(['home', 'slow']);
    // A step two scenarios share is split between them.
    expect((browsers?.steps.home?.requests ?? 0) + (searchers?.steps.home?.requests ?? 0)).toBe(record.steps.home?.requests);
    expect((browsers?.overall.requests ?? 0) + (searchers?.overall.requests ?? 0)).toBe(record.overall.requests);
    expect(browsers?.overall.errors).toBe(record.steps.gone?.requests);
    expect(browsers?.steps.gone?.errorKinds).toEqual({ status: record.steps.gone?.requests });
    expect(searchers?.overall.errors).toBe(0);
    // The slow step makes the searchers' latencies the higher ones.
    const p95 = (encoded: string | undefined) => decodeHistogram(encoded as string).getValueAtPercentile(95);
    expect(p95(searchers?.steps.slow?.histogram)).toBeGreaterThan(p95(browsers?.steps.home?.histogram));
    const read = parseRunRecord(JSON.stringify(record), 'run.json');
    expect(read.scenarios.browsers?.results?.overall.requests).toBe(browsers?.overall.requests);
    expect(formatRunSummary(record)).toMatch(/scenario browsers +\d+ requests, \d+ errors, p95 [\d.]+ ms\nscenario searchers +\d+ requests, 0 errors/);
  }, 20_000);

  it('adds shards’ results exactly when merged, and refuses a damaged one', async () => {
    const a = await runProfile(profile());
    const b = await runProfile(profile());
    const shard = (r: typeof a, index: number) => ({ ...r, meta: { ...r.meta, shard: { index, count: 2 } } });
    const merged = mergeRecords([
      { file: 'a.json', record: shard(a, 1) },
      { file: 'b.json', record: shard(b, 2) },
    ]);
    expect(merged.scenarios.searchers?.results?.steps.slow?.requests).toBe((a.scenarios.searchers?.results?.steps.slow?.requests ?? 0) + (b.scenarios.searchers?.results?.steps.slow?.requests ?? 0));
    const damaged = JSON.parse(JSON.stringify(a)) as typeof a;
    (damaged.scenarios.browsers as NonNullable<(typeof a.scenarios)['x']>).results!.overall.requests = 0;
    expect(() => parseRunRecord(JSON.stringify(damaged), 'bad.json')).toThrow(/scenarios\.browsers\.results\.overall/);
  }, 30_000);
});
