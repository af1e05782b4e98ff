import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/config/load-profile.js';
import { formatRunSummary } from '../../src/cli/run-summary.js';
import { mergeRecords } from '../../src/record/merge-records.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { runProfile } from '../helpers/run-profile.js';

/**
 * `teardown:` (k6's teardown()): steps run once after the load, reading what the setup captured,
 * recorded apart from the load and the setup; a failed step is recorded, the run kept.
 */
describe('teardown steps', () => {
  let server: LoopbackServer;
  const seen: string[] = [];
  let logoutStatus = 200;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`.trim());
        if (req.url === '/login') {
          res.setHeader('x-session', 'tok-7');
          res.end('{}');
        } else if (req.url === '/logout') {
          res.statusCode = logoutStatus;
          res.end();
        } else res.end('{}');
      });
    });
  });
  afterAll(() => server.close());

  const profile = (): ReturnType<typeof parseProfile> =>
    parseProfile(
      `target: ${server.url}
setup: { steps: [{ name: login, request: POST /login, capture: { token: { header: x-session } } }] }
scenarios: { s: { executor: per-vu-iterations, vus: 2, iterations: 3 } }
journeys: { j: { steps: [{ name: work, request: GET /work, headers: { authorization: "Bearer {{ token }}" } }] } }
teardown: { steps: [{ name: logout, request: POST /logout, headers: { authorization: "Bearer {{ token }}" }, expect: 200 }] }
`,
      { file: 'teardown.yml', env: {} },
    );

  it('run once after every request of the load, with what the setup captured, recorded apart', async () => {
    seen.length = 0;
    logoutStatus = 200;
    const record = await runProfile(profile());
    expect(seen[0]).toBe('POST /login');
    expect(seen.slice(1, 7)).toEqual(Array(6).fill('GET /work Bearer tok-7'));
    expect(seen.slice(7)).toEqual(['POST /logout Bearer tok-7']);
    expect(record.teardown?.steps).toEqual([{ name: 'logout', status: 200, latencyMs: expect.any(Number) }]);
    expect(record.teardown?.failed).toBeUndefined();
    expect(formatRunSummary(record)).toMatch(/^teardown \d+\.\ds after the load \(apart from every statistic\): logout 200 in [\d.]+ ms$/m);
    expect(record.setup?.steps.map((step) => step.name)).toEqual(['login']);
    // In no statistic of the load.
    expect(Object.keys(record.steps)).toEqual(['work']);
    expect(record.overall.requests).toBe(6);
    // The record's reader keeps it, and a merge of shards keeps the first shard's.
    const read = parseRunRecord(JSON.stringify(record), 'run.json');
    expect(read.teardown).toEqual(record.teardown);
    expect(mergeRecords([{ file: 'a.json', record }, { file: 'b.json', record }]).teardown).toEqual(record.teardown);
  }, 20_000);

  it('a failed step ends the teardown and is recorded; the run is judged all the same', async () => {
    seen.length = 0;
    logoutStatus = 500;
    const record = await runProfile(profile());
    expect(record.teardown?.steps).toEqual([]);
    expect(record.teardown?.failed).toEqual({ step: 'logout', message: 'answered 500, expected 200' });
    expect(record.overall.requests).toBe(6);
    expect(record.meta.interrupted).toBe(false);
    // The terminal says so: what the teardown should have cleaned up may still be there.
    expect(formatRunSummary(record)).toContain('TEARDOWN FAILED at logout: answered 500, expected 200 (the run is judged all the same');
    expect(parseRunRecord(JSON.stringify(record), 'run.json').teardown?.failed?.step).toBe('logout');
  }, 20_000);
});
