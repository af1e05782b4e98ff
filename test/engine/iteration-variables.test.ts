import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/config/load-profile.js';
import { configErrorMessage } from '../helpers/config-problem.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { runProfile } from '../helpers/run-profile.js';

/** k6's __VU and __ITER as {{ __VU }} and {{ __ITER }}, against a loopback server. */
describe('{{ __VU }} and {{ __ITER }}', () => {
  let server: LoopbackServer;
  const seen: string[] = [];
  beforeAll(async () => {
    server = await startServer((req, res) => {
      seen.push(req.url ?? '');
      req.resume();
      res.end('{}');
    });
  });
  afterAll(() => server.close());

  it('number the VUs from 1 and each VU’s iterations from 0; the setup is VU 0', async () => {
    const profile = parseProfile(
      `target: ${server.url}\nsetup: { steps: [{ request: "GET /setup?vu={{ __VU }}" }] }\nscenarios: { s: { executor: per-vu-iterations, vus: 2, iterations: 2 } }\njourneys: { j: { steps: [{ request: "GET /who?vu={{ __VU }}&iter={{ __ITER }}" }] } }\n`,
      { file: 'k6.yml', env: {} },
    );
    await runProfile(profile);
    expect(seen[0]).toBe('/setup?vu=0');
    expect(seen.slice(1).sort()).toEqual(['/who?vu=1&iter=0', '/who?vu=1&iter=1', '/who?vu=2&iter=0', '/who?vu=2&iter=1']);
  }, 20_000);

  it('cannot be captured', () => {
    const yaml = 'target: http://x\nscenarios: { s: { executor: constant-vus, duration: 1s } }\njourneys: { j: { steps: [{ request: GET /, capture: { __VU: "$.id" } }] } }\n';
    expect(configErrorMessage(() => parseProfile(yaml, { file: 'k6.yml', env: {} }))).toContain("journeys.j.steps[0].capture.__VU: __VU is set by tailgate for every iteration (k6's __VU), it cannot be captured");
  });
});
