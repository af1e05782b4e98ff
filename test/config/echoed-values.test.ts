import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { ECHO_LIMIT, echo, finishEchoes } from '../../src/config/echo.js';
import { parseProfile } from '../../src/config/load-profile.js';

/**
 * What a message quotes back: never a value that came from the environment (it names the
 * variable instead), never more than a readable stretch of a long value.
 */
const SCENARIOS = 'scenarios: { s: { executor: constant-vus, duration: 1s } }\n';
const JOURNEYS = 'journeys: { j: { steps: [{ request: GET / }] } }\n';
const TOKEN = 'sekrit-token-4f9a';
const env = { API_TOKEN: TOKEN, V: 'v2', LONG: `${'x'.repeat(5_000_000)} y`, WEIRD: 'ab zq7weird cd' };

const rows: Array<{ name: string; yaml: string; expected: string }> = [
  {
    name: 'an environment value in the profile name',
    yaml: `name: \${API_TOKEN}!\ntarget: http://x\n${SCENARIOS}${JOURNEYS}`,
    expected: 'tailgate.yml:1:7 name: must be letters, digits, \'.\', \'_\' and \'-\' only (the id is used in cache keys) (got "${API_TOKEN}!" (the value of ${API_TOKEN} not shown))',
  },
  {
    name: 'a whole field from the environment',
    yaml: `target: http://x\nscenarios: { s: { executor: "\${API_TOKEN}", duration: 1s } }\n${JOURNEYS}`,
    expected: 'tailgate.yml:2:29 scenarios.s.executor: must be one of constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate, shared-iterations, per-vu-iterations (got the value of ${API_TOKEN})',
  },
  {
    name: 'the target from the environment',
    yaml: `target: https://\${API_TOKEN}.example.com/?q=1\n${SCENARIOS}${JOURNEYS}`,
    expected: '(got "https://${API_TOKEN}.example.com/?q=1" (the value of ${API_TOKEN} not shown))',
  },
  {
    name: 'a request line and its suggested fix',
    yaml: `target: http://x\n${SCENARIOS}journeys: { j: { steps: [{ request: "GET \${API_TOKEN}/\${V}" }] } }\n`,
    expected: 'the path must start with / (got "GET ${API_TOKEN}/${V}" (the values of ${API_TOKEN} and ${V} not shown)). Fix: write request: GET /${API_TOKEN}/${V}',
  },
  {
    name: 'a duration',
    yaml: `target: http://x\nscenarios: { s: { executor: constant-vus, duration: "\${API_TOKEN}" } }\n${JOURNEYS}`,
    expected: 'scenarios.s.duration: must be a duration with a unit (h, m, s, ms), like 30s, 500ms or 1m30s (got the value of ${API_TOKEN})',
  },
  {
    name: 'a think time',
    yaml: `target: http://x\n${SCENARIOS}journeys: { j: { steps: [{ request: GET /, think: "\${API_TOKEN}" }] } }\n`,
    expected: 'journeys.j.steps[0].think: must be a think time like 2s, or a random range like 1s-3s (got the value of ${API_TOKEN})',
  },
  {
    name: 'a journey a scenario names',
    yaml: `target: http://x\nscenarios: { s: { executor: constant-vus, duration: 1s, journeys: ["\${API_TOKEN}"] } }\n${JOURNEYS}`,
    expected: 'scenarios.s.journeys[0]: no journey is named the value of ${API_TOKEN} (journeys: j)',
  },
  {
    name: 'a method cut out of an environment value',
    yaml: `target: http://x\n${SCENARIOS}journeys: { j: { steps: [{ request: "x\${WEIRD} /a\${WEIRD}" }] } }\n`,
    expected: '(got "x${WEIRD} /a${WEIRD}" (the value of ${WEIRD} not shown)). Fix: write request: GET /a${WEIRD}',
  },
  {
    name: 'a URL whose host comes from the environment',
    yaml: `target: http://x\n${SCENARIOS}journeys: { j: { steps: [{ request: "GET https://\${API_TOKEN}.example.com/a?b=1" }] } }\n`,
    expected: 'Fix: write request: GET /a?b=1 and set target: https://${API_TOKEN}.example.com',
  },
  {
    name: 'a long environment value',
    yaml: `name: \${LONG}\ntarget: http://x\n${SCENARIOS}${JOURNEYS}`,
    expected: '(got the value of ${LONG})',
  },
  {
    name: 'a long value in the file',
    yaml: `name: "${'a '.repeat(400_000)}"\ntarget: http://x\n${SCENARIOS}${JOURNEYS}`,
    expected: `(got "${'a '.repeat(ECHO_LIMIT / 2)}…" (800000 characters))`,
  },
  {
    name: 'a long unknown key',
    yaml: `${'k'.repeat(1000)}: 1\ntarget: http://x\n${SCENARIOS}${JOURNEYS}`,
    expected: `unknown field "${'k'.repeat(ECHO_LIMIT)}…" (1000 characters)`,
  },
  {
    name: 'a right-to-left override in a quoted value',
    yaml: `name: "evil\u202Etxt"\ntarget: http://x\n${SCENARIOS}${JOURNEYS}`,
    expected: '(got "evil\\u202Etxt")',
  },
  {
    name: 'a method with spaces in it',
    yaml: `target: http://x\n${SCENARIOS}journeys: { j: { steps: [{ request: "G E T /ok" }] } }\n`,
    expected: 'the method must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS (got "G E T /ok"). Fix: write request: GET /ok',
  },
  {
    name: 'an unknown method keeps its path',
    yaml: `target: http://x\n${SCENARIOS}journeys: { j: { steps: [{ request: "FETCH /a b" }] } }\n`,
    expected: 'Fix: write request: GET /a b',
  },
];

/** Numbers read from `${VAR}` (`rate: ${RATE}`): short values are hidden as surely as tokens. */
const numberEnv = { ZERO: '0', SMALL: '3', HALF: '5.5', MINUS: '-3', BIG: '98765432', ALPHA: '0.7' };
const numberRows: Array<{ name: string; yaml: string; expected: string; value: string }> = [
  {
    name: 'a number below its minimum',
    yaml: `target: http://x\nscenarios: { s: { executor: constant-vus, vus: "\${ZERO}", duration: 1s } }\n${JOURNEYS}`,
    expected: 'scenarios.s.vus: must be a positive whole number (got the value of ${ZERO})',
    value: '(got 0)',
  },
  {
    name: 'a fraction where a whole number is due',
    yaml: `target: http://x\nscenarios: { s: { executor: ramping-vus, stages: [{ duration: 1s, target: "\${HALF}" }] } }\n${JOURNEYS}`,
    expected: 'scenarios.s.stages[0].target: must be a whole number of 0 or more (got the value of ${HALF})',
    value: '5.5',
  },
  {
    name: 'a negative weight',
    yaml: `target: http://x\n${SCENARIOS}journeys: { j: { weight: "\${MINUS}", steps: [{ request: GET / }] } }\n`,
    expected: 'journeys.j.weight: must be a positive number (got the value of ${MINUS})',
    value: '-3',
  },
  {
    name: 'a number above its maximum',
    yaml: `target: http://x\n${SCENARIOS}${JOURNEYS}regression: { alpha: "\${ALPHA}" }\n`,
    expected: 'regression.alpha: must be a number between 0 and 0.5 (got the value of ${ALPHA})',
    value: '0.7',
  },
  {
    name: 'VUs over the cap',
    yaml: `target: http://x\nscenarios: { s: { executor: constant-vus, vus: "\${BIG}", duration: 1s } }\n${JOURNEYS}`,
    expected: 'scenarios.s.vus: asks for ${BIG} VUs; a scenario may use at most 10000',
    value: '98765432',
  },
  {
    name: 'a rate over the cap, and the rate per second computed from it',
    yaml: `target: http://x\nscenarios: { s: { executor: constant-arrival-rate, rate: "\${BIG}", timeUnit: 2s, duration: 1s, preAllocatedVUs: 1 } }\n${JOURNEYS}`,
    expected: 'scenarios.s.rate: asks for more than 100000 iterations per second (${BIG} per 2s)',
    value: '49382716',
  },
  {
    name: 'maxVUs below preAllocatedVUs',
    yaml: `target: http://x\nscenarios: { s: { executor: constant-arrival-rate, rate: 1, duration: 1s, preAllocatedVUs: 5, maxVUs: "\${SMALL}" } }\n${JOURNEYS}`,
    expected: 'scenarios.s.maxVUs: must be at least preAllocatedVUs (5), got ${SMALL}',
    value: 'got 3',
  },
];

describe('numbers read from the environment', () => {
  it.each(numberRows)('$name', ({ yaml, expected, value }) => {
    const attempt = () => parseProfile(yaml, { file: 'tailgate.yml', env: numberEnv });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as ConfigError).message;
      }
      return '';
    })();
    expect(message).toContain(expected);
    expect(message).not.toContain(value);
  });

  it('shows a number written in the file, or taken from a default', () => {
    const yaml = `target: http://x\nscenarios: { s: { executor: constant-vus, vus: "\${UNSET:-0}", duration: 1s } }\n${JOURNEYS}`;
    expect(() => parseProfile(yaml, { file: 'tailgate.yml', env: {} })).toThrow('(got 0)');
  });
});

describe('values quoted in messages', () => {
  it.each(rows)('$name', ({ yaml, expected }) => {
    let error: unknown;
    try {
      parseProfile(yaml, { file: 'tailgate.yml', env });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain(expected);
    expect(message).not.toContain(TOKEN);
    expect(message).not.toContain('zq7weird');
    expect(message).not.toContain('xxxxxxxxxx'.repeat(10));
    expect(message.length).toBeLessThan(1500);
  });

  it('hides a long environment value even where a message does not mark it', () => {
    expect(finishEchoes(`left ${TOKEN} right`, [{ name: 'API_TOKEN', value: TOKEN }])).toBe('left ${API_TOKEN} right');
  });

  it('cuts a quoted value between characters, not inside one', () => {
    const finished = finishEchoes(echo(`${'a'.repeat(ECHO_LIMIT - 1)}😀😀`));
    expect(finished).toBe(`"${'a'.repeat(ECHO_LIMIT - 1)}…" (${ECHO_LIMIT + 3} characters)`);
  });
});
