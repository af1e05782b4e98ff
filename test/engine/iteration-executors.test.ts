import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/config/load-profile.js';
import { buildPlan } from '../../src/plan/plan.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { respondAfter, startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { runProfile } from '../helpers/run-profile.js';
import { configErrorMessage } from '../helpers/config-problem.js';

/** shared-iterations, per-vu-iterations and k6's options shortcut, against a loopback server. */
const JOURNEYS = 'journeys: { j: { steps: [{ name: hit, request: GET / }] } }\n';

describe('iteration executors and the options shortcut', () => {
  let server: LoopbackServer;
  let before = 0;
  beforeAll(async () => {
    server = await startServer((req, res) => respondAfter(res, req, 5));
  });
  afterAll(() => server.close());
  beforeEach(() => {
    before = server.requests();
  });
  const load = (yaml: string) => parseProfile(`target: ${server.url}\n${yaml}${JOURNEYS}`, { file: 'k6.yml', env: {} });

  it('shared-iterations: exactly that many iterations shared by the VUs; the run ends when they are done', async () => {
    const profile = load('scenarios: { smoke: { executor: shared-iterations, vus: 3, iterations: 10, maxDuration: 30s } }\n');
    const record = await runProfile(profile);
    expect(server.requests() - before).toBe(10);
    expect(record.scenarios.smoke).toMatchObject({ executor: 'shared-iterations', model: 'closed', iterations: 10, maxVUs: 3 });
    expect(record.steps.hit?.requests).toBe(10);
    // Measured until the iterations were done, not for maxDuration.
    expect(record.meta.measuredMs).toBeLessThan(10_000);
    expect(parseRunRecord(JSON.stringify(record), 'run.json').scenarios.smoke?.iterations).toBe(10);
  }, 20_000);

  it('per-vu-iterations: each VU runs its own number', async () => {
    const record = await runProfile(load('scenarios: { each: { executor: per-vu-iterations, vus: 2, iterations: 4 } }\n'));
    expect(server.requests() - before).toBe(8);
    expect(record.scenarios.each).toMatchObject({ executor: 'per-vu-iterations', iterations: 8, maxVUs: 2 });
  }, 20_000);

  it('stops starting iterations at maxDuration', async () => {
    const record = await runProfile(load('scenarios: { long: { executor: shared-iterations, vus: 1, iterations: 100000, maxDuration: 300ms } }\n'));
    expect(record.scenarios.long?.iterations).toBeGreaterThan(0);
    expect(record.scenarios.long?.iterations).toBeLessThan(100_000);
    expect(record.meta.measuredMs).toBeLessThanOrEqual(300);
  }, 20_000);

  it.each([
    ['vus: 2\nduration: 300ms\n', { type: 'constant-vus', vus: 2, durationMs: 300 }],
    ['duration: 1m\n', { type: 'constant-vus', vus: 1, durationMs: 60_000 }],
    ['vus: 2\nstages: [{ duration: 10s, target: 5 }, { duration: 5s, target: 0 }]\n', { type: 'ramping-vus', startVUs: 2, stages: [{ durationMs: 10_000, target: 5 }, { durationMs: 5000, target: 0 }] }],
    ['iterations: 5\n', { type: 'shared-iterations', vus: 1, iterations: 5, maxDurationMs: 600_000 }],
    ['vus: 2\niterations: 6\nduration: 20s\n', { type: 'shared-iterations', vus: 2, iterations: 6, maxDurationMs: 20_000 }],
  ])('reads k6’s shortcut %j as one scenario named default', (yaml, executor) => {
    const profile = load(yaml);
    expect(profile.scenarios).toHaveLength(1);
    expect(profile.scenarios[0]).toMatchObject({ name: 'default', executor, journeys: ['j'] });
  });

  it('runs the shortcut: iterations: 4 with vus: 2 makes 4 requests', async () => {
    const record = await runProfile(load('vus: 2\niterations: 4\n'));
    expect(server.requests() - before).toBe(4);
    expect(record.scenarios.default?.iterations).toBe(4);
  }, 20_000);

  it('reads exec naming a journey as journeys: [it]', () => {
    const profile = parseProfile(
      `target: ${server.url}\nscenarios: { s: { executor: per-vu-iterations, exec: b } }\njourneys: { a: { steps: [{ request: GET /a }] }, b: { steps: [{ request: GET /b }] } }\n`,
      { file: 'k6.yml', env: {} },
    );
    expect(profile.scenarios[0]?.journeys).toEqual(['b']);
    expect(buildPlan(profile).scenarios[0]?.journeys.map((j) => j.name)).toEqual(['b']);
  });

  const rows: Array<{ name: string; yaml: string; expected: string }> = [
    {
      name: 'the shortcut beside scenarios',
      yaml: 'vus: 5\nscenarios: { s: { executor: constant-vus, duration: 1s } }\n',
      expected: "k6.yml:2:1 vus: is k6's options shortcut, which makes a scenario of its own; it cannot go with scenarios:. Fix: move it into one of the scenarios",
    },
    {
      name: 'vus alone',
      yaml: 'vus: 5\n',
      expected: 'k6.yml:2:1 vus: sets how many VUs but not for how long. Fix: add duration: 30s (VUs looping for that long) or iterations: 100',
    },
    {
      name: 'stages with duration',
      yaml: 'duration: 10s\nstages: [{ duration: 5s, target: 2 }]\n',
      expected: 'k6.yml:2:1 duration: does not go with stages: the stages set the length of the run (as in k6)',
    },
    {
      name: 'neither scenarios nor the shortcut',
      yaml: '',
      expected: "scenarios: is missing. Fix: add scenarios: { browse: { executor: constant-vus, vus: 10, duration: 30s } }, or k6's shortcut vus: 10 and duration: 30s",
    },
    {
      name: 'fewer shared iterations than VUs',
      yaml: 'scenarios: { s: { executor: shared-iterations, vus: 5, iterations: 3 } }\n',
      expected: 'k6.yml:2:68 scenarios.s.iterations: (3) is less than vus (5): shared iterations leave some VUs nothing to do (k6 refuses it too). Fix: raise iterations to at least vus, or lower vus',
    },
    {
      name: 'a shortcut duration that is too long',
      yaml: 'duration: 2h\n',
      expected: 'k6.yml:2:11 duration: makes the run last 2h (startTime + duration); a run may last at most 1h',
    },
    {
      name: 'a rate field on an iteration executor',
      yaml: 'scenarios: { s: { executor: per-vu-iterations, rate: 5 } }\n',
      expected: 'scenarios.s.rate: unknown field "rate" (executor per-vu-iterations does not use it)',
    },
    {
      name: 'exec naming no journey',
      yaml: 'scenarios: { s: { executor: constant-vus, duration: 1s, exec: hti } }\n',
      expected: 'scenarios.s.exec: names no journey ("hti"): in k6, exec names a JavaScript function; in tailgate a scenario runs journeys (journeys: j). Fix: write journeys: [j] with the journeys this scenario runs',
    },
    {
      name: 'exec beside journeys',
      yaml: 'scenarios: { s: { executor: constant-vus, duration: 1s, exec: j, journeys: [j] } }\n',
      expected: 'scenarios.s.exec: and journeys both say what the scenario runs. Fix: keep journeys: and remove exec:',
    },
  ];

  it.each(rows)('refuses $name', ({ yaml, expected }) => {
    expect(configErrorMessage(() => load(yaml))).toContain(expected);
  });
});
