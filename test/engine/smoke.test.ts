import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, respondAfter, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';

let server: LoopbackServer;
beforeAll(async () => {
  server = await startServer((req, res) => respondAfter(res, req, 2));
});
afterAll(() => server.close());

describe('engine smoke', () => {
  it('runs constant-vus and records what the server saw', async () => {
    const record = await runProfile(profileWith({ target: server.url, scenarios: [{ executor: { type: 'constant-vus', vus: 5, durationMs: 1000 } }] }));
    expect(record.overall.requests).toBe(server.requests());
    expect(record.overall.requests).toBeGreaterThan(100);
    expect(record.summary.overall.p50).toBeGreaterThanOrEqual(2);
    console.log(JSON.stringify({ ...record, overall: undefined, steps: undefined }, null, 1));
  });
});
