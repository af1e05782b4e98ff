import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Journey, Profile } from '../../src/config/profile-types.js';
import { SetupFailedError } from '../../src/engine/setup.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runPairedProfile } from '../helpers/run-paired.js';
import { runProfile } from '../helpers/run-profile.js';

/**
 * State across iterations: the run's setup (k6's setup() data) and steps run once per VU. A
 * loopback API hands out a fresh token per login and counts logins, so the tests can tell a
 * login per run or per VU from one per iteration.
 */
interface Api {
  server: LoopbackServer;
  logins: () => number;
  /** Portfolio reads whose token was one the API handed out. */
  authorized: () => number;
  unauthorized: () => number;
  /** The next `n` logins answer 500. */
  failLogins: (n: number) => void;
  /** Logins answer this status from now on (401: wrong credentials). */
  loginStatus: (status: number) => void;
  reset: () => void;
}

async function startApi(): Promise<Api> {
  let logins = 0;
  let authorized = 0;
  let unauthorized = 0;
  let failing = 0;
  let status = 200;
  const tokens = new Set<string>();
  const send = (res: ServerResponse, code: number, body: unknown): void => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = await startServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/auth/login' && req.method === 'POST') {
        logins++;
        if (failing > 0) {
          failing--;
          return send(res, 500, { error: 'busy' });
        }
        if (status !== 200) return send(res, status, { error: 'no' });
        const token = `t${logins}`;
        tokens.add(token);
        return send(res, 200, { token });
      }
      if (req.url === '/portfolio') {
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (token !== undefined && tokens.has(token)) {
          authorized++;
          return send(res, 200, { positions: [{ symbol: 'ACME' }] });
        }
        unauthorized++;
        return send(res, 401, { error: 'log in first' });
      }
      send(res, 404, {});
    });
  });
  return {
    server,
    logins: () => logins,
    authorized: () => authorized,
    unauthorized: () => unauthorized,
    failLogins: (n) => (failing = n),
    loginStatus: (s) => (status = s),
    reset: () => {
      logins = authorized = unauthorized = failing = 0;
      status = 200;
      tokens.clear();
    },
  };
}

const login = step('POST /auth/login', { name: 'login', body: { kind: 'json', value: { user: 'ci' } }, expect: [200], capture: { token: '$.token' } });
const portfolio = step('GET /portfolio', { name: 'portfolio', headers: { authorization: 'Bearer {{ token }}' }, expect: [200] });

function closed(api: Api, journeys: Journey[], vus: number, durationMs: number, extra: Partial<Profile> = {}): Profile {
  return { ...profileWith({ target: api.server.url, journeys, scenarios: [{ name: 'trade', executor: { type: 'constant-vus', vus, durationMs } }] }), ...extra };
}

describe('state across iterations', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.server.close());
  beforeEach(() => api.reset());

  it('runs the setup once before the load; every iteration of every VU reads what it captured; it is measured apart', async () => {
    const profile = closed(api, [{ name: 'reader', weight: 1, steps: [portfolio] }], 3, 500, { setup: [login] });
    const record = await runProfile(profile);
    expect(api.logins()).toBe(1);
    expect(api.unauthorized()).toBe(0);
    expect(api.authorized()).toBeGreaterThan(3);
    expect(record.steps.portfolio?.requests).toBe(api.authorized());
    expect(record.steps.portfolio?.errors).toBe(0);
    // Measured apart: in no step, in no overall count.
    expect(Object.keys(record.steps)).toEqual(['portfolio']);
    expect(record.overall.requests).toBe(api.authorized());
    expect(record.setup?.steps).toEqual([{ name: 'login', status: 200, latencyMs: expect.any(Number) }]);
    expect(record.setup?.durationMs).toBeGreaterThanOrEqual(record.setup?.steps[0]?.latencyMs ?? 0);
    // The record with its setup reads back (schema and checks).
    expect(parseRunRecord(JSON.stringify(record), 'run.json').setup).toEqual(record.setup);
  }, 20_000);

  it('runs a once step once per VU and keeps what it captured for the VU’s later iterations', async () => {
    const profile = closed(api, [{ name: 'trader', weight: 1, steps: [{ ...login, once: true }, portfolio] }], 3, 600);
    const record = await runProfile(profile);
    expect(api.logins()).toBe(3);
    expect(record.steps.login?.requests).toBe(3);
    expect(record.scenarios.trade?.iterations).toBeGreaterThan(3);
    expect(record.steps.portfolio?.requests).toBe(record.scenarios.trade?.iterations);
    expect(api.unauthorized()).toBe(0);
  }, 20_000);

  it('keeps each VU’s state in an arrival-rate pool too: logins at most one per VU', async () => {
    const profile: Profile = {
      ...profileWith({
        target: api.server.url,
        journeys: [{ name: 'trader', weight: 1, steps: [{ ...login, once: true }, portfolio] }],
        scenarios: [{ name: 'open', executor: { type: 'constant-arrival-rate', rate: 40, timeUnitMs: 1000, durationMs: 500, preAllocatedVUs: 2, maxVUs: 4 } }],
      }),
    };
    const record = await runProfile(profile);
    expect(record.scenarios.open?.iterations).toBeGreaterThan(8);
    expect(api.logins()).toBeLessThanOrEqual(record.scenarios.open?.maxVUs ?? 0);
    expect(api.unauthorized()).toBe(0);
  }, 20_000);

  it('tries a once step again in the VU’s next iteration until it succeeds', async () => {
    api.failLogins(1);
    const profile = closed(api, [{ name: 'trader', weight: 1, steps: [{ ...login, once: true }, portfolio] }], 1, 400);
    const record = await runProfile(profile);
    expect(api.logins()).toBe(2);
    expect(record.steps.login?.errorKinds).toEqual({ status: 1 });
    expect(api.unauthorized()).toBe(0);
    expect(api.authorized()).toBeGreaterThan(1);
  }, 20_000);

  it('ends an iteration that has nothing left to send a turn later, never inside itself', async () => {
    // The loader refuses a journey of once steps only; built in code, it must still not recurse.
    const profile = closed(api, [{ name: 'only-once', weight: 1, steps: [{ ...login, once: true }] }], 1, 200);
    const record = await runProfile(profile);
    expect(api.logins()).toBe(1);
    expect(record.scenarios.trade?.iterations).toBeGreaterThan(1);
  }, 20_000);

  it('stops before the load when a setup step fails, naming the step, its status and the fix', async () => {
    api.loginStatus(401);
    const profile = closed(api, [{ name: 'reader', weight: 1, steps: [portfolio] }], 2, 300, {
      setup: [{ ...login, location: { file: 'trading.yml', line: 4, column: 7 } }],
    });
    const attempt = runProfile(profile);
    await expect(attempt).rejects.toBeInstanceOf(SetupFailedError);
    await expect(attempt).rejects.toThrow(
      'trading.yml:4:7 setup.steps[0]: login: answered 401, expected 200; the load was not started. Fix: make the request succeed against this target',
    );
    expect(api.logins()).toBe(1);
    expect(api.authorized() + api.unauthorized()).toBe(0);
  }, 20_000);

  it('treats a setup capture that finds nothing as a failed setup', async () => {
    const profile = closed(api, [{ name: 'reader', weight: 1, steps: [portfolio] }], 1, 300, {
      setup: [{ ...login, capture: { token: '$.session.id' } }],
    });
    await expect(runProfile(profile)).rejects.toThrow('login: answered 200, but the capture of token found nothing in the response');
    expect(api.authorized() + api.unauthorized()).toBe(0);
  }, 20_000);

  it('runs the setup against both targets in paired mode, each target with its own token', async () => {
    const base = await startApi();
    try {
      const profile = closed(api, [{ name: 'reader', weight: 1, steps: [portfolio] }], 2, 2000, { setup: [login] });
      const { paired } = await runPairedProfile(profile, base.server.url, { blockMs: 1000, settleMs: 0, order: 'abba', seed: 1 });
      expect(api.logins()).toBe(1);
      expect(base.logins()).toBe(1);
      expect(api.unauthorized() + base.unauthorized()).toBe(0);
      expect(paired.head.setup?.steps[0]?.status).toBe(200);
      expect(paired.base.setup?.steps[0]?.status).toBe(200);
      expect(paired.head.steps.portfolio?.requests).toBeGreaterThan(0);
      expect(paired.base.steps.portfolio?.requests).toBeGreaterThan(0);
    } finally {
      await base.server.close();
    }
  }, 30_000);
});
