import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseProfile } from '../../src/config/load-profile.js';
import { profileHash } from '../../src/plan/profile-hash.js';
import { captureIo } from '../cli/cli-io.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { configErrorMessage } from '../helpers/config-problem.js';

/** `setup` (steps once before the load) and `once: true` (a step once per VU) in a profile file. */
const SCENARIOS = 'scenarios: { s: { executor: constant-vus, duration: 1s } }\n';

const VALID = `target: http://127.0.0.1:9
${SCENARIOS}setup:
  steps:
    - name: login
      request: POST /auth/login
      headers: { x-key: "\${API_KEY}" }
      body: { user: ci }
      capture: { token: "$.token" }
    - name: account
      request: GET /accounts/me
      headers: { authorization: "Bearer {{ token }}" }
      capture: { accountId: "$.id" }
journeys:
  trader:
    steps:
      - name: session
        request: POST /sessions
        once: true
        capture: { session: "$.id" }
      - name: portfolio
        request: GET /accounts/{{ accountId }}/portfolio?s={{ session }}
        headers: { authorization: "Bearer {{ token }}" }
`;

describe('setup and once in a profile', () => {
  it('reads setup steps, with their place in the file, and once steps', () => {
    const profile = parseProfile(VALID, { file: 'trading.yml', env: { API_KEY: 'k-123456789' } });
    expect(profile.setup?.map((s) => s.name)).toEqual(['login', 'account']);
    expect(profile.setup?.[0]?.location).toEqual({ file: 'trading.yml', line: 5, column: 7 });
    expect(profile.journeys[0]?.steps.map((s) => s.once ?? false)).toEqual([true, false]);
    // A header of a setup step from the environment is a secret, masked in logs like any other.
    expect(profile.secrets).toContain('k-123456789');
  });

  it('keeps the hash of a profile without them, and changes it with them', () => {
    const plain = parseProfile(`target: http://x\n${SCENARIOS}journeys: { j: { steps: [{ request: GET /login }, { request: GET / }] } }\n`, { file: 'a.yml', env: {} });
    const once = parseProfile(`target: http://x\n${SCENARIOS}journeys: { j: { steps: [{ request: GET /login, once: true }, { request: GET / }] } }\n`, { file: 'a.yml', env: {} });
    const withSetup = parseProfile(`target: http://x\n${SCENARIOS}setup: { steps: [{ request: GET /x }] }\njourneys: { j: { steps: [{ request: GET / }] } }\n`, { file: 'a.yml', env: {} });
    // The hash of this profile before setup and once existed.
    expect(profileHash(plain)).toBe(profileHash({ ...plain, journeys: plain.journeys.map((j) => ({ ...j, steps: j.steps.map(({ once: _, ...s }) => s) })) }));
    expect(new Set([profileHash(plain), profileHash(once), profileHash(withSetup)]).size).toBe(3);
  });

  const rows: Array<{ name: string; yaml: string; expected: string }> = [
    {
      name: 'once in a setup step',
      yaml: `target: http://x\n${SCENARIOS}setup: { steps: [{ request: GET /login, once: true }] }\njourneys: { j: { steps: [{ request: GET / }] } }\n`,
      expected: 'tailgate.yml:3:41 setup.steps[0].once: has no meaning in a setup step: setup steps run once per run, before the load. Fix: remove once: here; write it on a journey step to run that step once per VU',
    },
    {
      name: 'once that is not true or false',
      yaml: `target: http://x\n${SCENARIOS}journeys: { j: { steps: [{ request: GET /, once: yes }] } }\n`,
      expected: 'tailgate.yml:3:50 journeys.j.steps[0].once: must be true or false (got "yes"). Fix: write once: true',
    },
    {
      name: 'setup without steps',
      yaml: `target: http://x\n${SCENARIOS}setup: {}\njourneys: { j: { steps: [{ request: GET / }] } }\n`,
      expected: 'tailgate.yml:3:8 setup.steps: is missing. Fix: add steps:',
    },
    {
      name: 'a setup step using what only a later setup step captures',
      yaml: `target: http://x\n${SCENARIOS}setup: { steps: [{ request: "GET /a/{{ b }}" }, { request: GET /b, capture: { b: "$.b" } }] }\njourneys: { j: { steps: [{ request: GET / }] } }\n`,
      expected: 'setup.steps[0].request: uses {{ b }}, which is only captured by steps[1], not before this step. Fix: move the step that captures it before this one',
    },
    {
      name: 'a setup step using what only a journey captures',
      yaml: `target: http://x\n${SCENARIOS}setup: { steps: [{ request: "GET /a/{{ id }}" }] }\njourneys: { j: { steps: [{ request: GET /, capture: { id: "$.id" } }] } }\n`,
      expected: 'setup.steps[0].request: uses {{ id }}, but no earlier step of setup captures id',
    },
    {
      name: 'two setup steps of one name',
      yaml: `target: http://x\n${SCENARIOS}setup: { steps: [{ name: login, request: GET /a }, { name: login, request: GET /b }] }\njourneys: { j: { steps: [{ request: GET / }] } }\n`,
      expected: 'setup.steps[1].name: step name "login" is already used by steps[0] of setup. Fix: give each step of the setup its own name',
    },
    {
      name: 'a threshold on a setup step that is not there',
      yaml: `target: http://x\n${SCENARIOS}setup: { steps: [{ name: login, request: GET /a }] }\njourneys: { j: { steps: [{ request: GET / }] } }\nthresholds: { "http_req_duration{step:logni}": ["p(95)<500"] }\n`,
      expected: 'thresholds["http_req_duration{step:logni}"]: names step "logni", which no journey or setup has. Fix: did you mean {step:login}?',
    },
    {
      name: 'a reserved name captured by a setup step',
      yaml: `target: http://x\n${SCENARIOS}setup: { steps: [{ request: GET /a, capture: { __proto__: "$.a" } }] }\njourneys: { j: { steps: [{ request: GET / }] } }\n`,
      expected: 'setup.steps[0].capture.__proto__: variable name "__proto__" is reserved',
    },
    {
      name: 'a setup header value with a newline from the environment',
      yaml: `target: http://x\n${SCENARIOS}setup: { steps: [{ request: GET /a, headers: { x-key: "\${KEY}" } }] }\njourneys: { j: { steps: [{ request: GET / }] } }\n`,
      expected: 'setup.steps[0].headers.x-key:',
    },
  ];

  it.each(rows)('refuses $name', ({ yaml, expected }) => {
    expect(configErrorMessage(() => parseProfile(yaml, { file: 'tailgate.yml', env: { KEY: 'abc\n' } }))).toContain(expected);
  });
});

describe('setup and once on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tailgate-setup-'));
  let server: LoopbackServer;
  let loginStatus = 200;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(req.url === '/auth/login' ? loginStatus : 200, { 'content-type': 'application/json' });
        res.end(req.url === '/auth/login' ? '{"token":"t1"}' : '{"id":7}');
      });
    });
  });
  afterAll(() => server.close());

  it('inspect lists the setup and marks once steps', async () => {
    const file = join(dir, 'trading.yml');
    writeFileSync(file, VALID);
    const io = captureIo({ API_KEY: 'k-123456789' });
    expect(await main(['inspect', '--config', file], io)).toBe(0);
    expect(io.out()).toContain('setup (once before the load, measured apart, never in the gate)\n  login: POST /auth/login  (captures token)\n  account: GET /accounts/me  (captures accountId)');
    expect(io.out()).toContain('    session: POST /sessions  (once per VU; captures session)');
  });

  it('run prints the setup apart from the steps, and a failed setup exits 2 before any load', async () => {
    const file = join(dir, 'login.yml');
    writeFileSync(
      file,
      `target: ${server.url}\nscenarios: { s: { executor: constant-vus, vus: 2, duration: 300ms } }\nsetup:\n  steps:\n    - { name: login, request: POST /auth/login, expect: 200, capture: { token: "$.token" } }\njourneys: { j: { steps: [{ request: "GET /me?t={{ token }}" }] } }\n`,
    );
    const ok = captureIo({});
    expect(await main(['run', '--config', file], ok)).toBe(0);
    expect(ok.out()).toMatch(/setup \d+\.\ds before the load \(apart from every statistic\): login 200 in \d+\.\d ms/);
    loginStatus = 403;
    const before = server.requests();
    const failed = captureIo({});
    expect(await main(['run', '--config', file], failed)).toBe(2);
    expect(failed.log.join('\n')).toContain(`${file}:5:7 setup.steps[0]: login: answered 403, expected 200; the load was not started`);
    // The pre-load connection check and the one login; no load.
    expect(server.requests() - before).toBeLessThanOrEqual(2);
  }, 20_000);
});

describe('a journey of once steps only', () => {
  it('is refused: after its first iteration a VU would have nothing to do in it', () => {
    const yaml = `target: http://x\n${SCENARIOS}journeys: { j: { steps: [{ request: POST /login, once: true }] } }\n`;
    expect(configErrorMessage(() => parseProfile(yaml, { file: 'tailgate.yml', env: {} }))).toContain(
      'journeys.j.steps: are all once: true, so after its first iteration a VU would have nothing to do in this journey. Fix: add a step that runs every iteration, or move these steps to setup: (once per run)',
    );
  });
});
