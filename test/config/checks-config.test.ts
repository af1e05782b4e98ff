import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/config/load-profile.js';
import { configErrorMessage } from '../helpers/config-problem.js';

/** One row per mistake in a step's `checks`: what the message must say, at its line and column. */
const HEAD = 'target: http://x\nscenarios: { s: { executor: constant-vus, duration: 1s } }\n';
const withCheck = (check: string): string => `${HEAD}journeys:\n  j:\n    steps:\n      - request: GET /\n        checks:\n          c: ${check}\n`;

const rows: Array<{ name: string; yaml: string; expected: string }> = [
  {
    name: 'a comparison without a subject',
    yaml: withCheck('{ gt: 0 }'),
    expected: 'tailgate.yml:8:14 journeys.j.steps[0].checks.c: says what to compare but not what to look at. Fix: add one of status, header, bodyContains or json',
  },
  {
    name: 'two subjects',
    yaml: withCheck('{ status: 200, json: "$.a" }'),
    expected: 'journeys.j.steps[0].checks.c: looks at status and json; a check looks at one thing. Fix: split it into one check for each',
  },
  {
    name: 'a comparison of a status',
    yaml: withCheck('{ status: 200, equals: 200 }'),
    expected: 'tailgate.yml:8:29 journeys.j.steps[0].checks.c.equals: status takes no comparison, not equals. Fix: remove equals:',
  },
  {
    name: 'an order comparison of a header',
    yaml: withCheck('{ header: x-count, gt: 3 }'),
    expected: 'journeys.j.steps[0].checks.c.gt: header compares with equals, contains, exists, not gt. Fix: write one of equals, contains, exists',
  },
  {
    name: 'two comparisons',
    yaml: withCheck('{ json: "$.a", gt: 0, lt: 5 }'),
    expected: 'journeys.j.steps[0].checks.c.lt: compares with gt and lt; a check compares once. Fix: split it into one check for each comparison',
  },
  {
    name: 'a header compared with a number',
    yaml: withCheck('{ header: x-count, equals: 5 }'),
    expected: 'journeys.j.steps[0].checks.c.equals: compares a header, which is text, with 5. Fix: quote it: equals: "5"',
  },
  {
    name: 'a JSONPath that is not one',
    yaml: withCheck('{ json: "$.[[" }'),
    expected: 'journeys.j.steps[0].checks.c.json: is not a JSONPath',
  },
  {
    name: 'a near miss of a check key',
    yaml: withCheck('{ jsno: "$.a" }'),
    expected: 'journeys.j.steps[0].checks.c.jsno: unknown field "jsno". Fix: did you mean json?',
  },
  {
    name: 'an order comparison with text',
    yaml: withCheck('{ json: "$.a", gt: lots }'),
    expected: 'journeys.j.steps[0].checks.c.gt: must be a number (got "lots")',
  },
  {
    name: 'a status out of range',
    yaml: withCheck('{ status: 700 }'),
    expected: 'journeys.j.steps[0].checks.c.status: must be a whole number from 100 to 599 or a list (got 700)',
  },
  {
    name: 'a reserved check name',
    yaml: `${HEAD}journeys: { j: { steps: [{ request: GET /, checks: { __proto__: { status: 200 } } }] } }\n`,
    expected: 'check name "__proto__" is reserved',
  },
  {
    name: 'checks in a setup step',
    yaml: `${HEAD}setup: { steps: [{ request: GET /login, checks: { ok: { status: 200 } } }] }\njourneys: { j: { steps: [{ request: GET / }] } }\n`,
    expected: 'setup.steps[0].checks: are not counted in a setup step: a setup step either succeeds or stops the run. Fix: use expect: and capture: here',
  },
  {
    name: 'a threshold on a check no step has',
    yaml: `${HEAD}journeys: { j: { steps: [{ request: GET /, checks: { "is ok": { status: 200 } } }] } }\nthresholds:\n  "checks{check:is okay}": ["rate>0.99"]\n`,
    expected: 'tailgate.yml:5:3 thresholds["checks{check:is okay}"]: names check "is okay", which no step checks. Fix: did you mean {check:is ok}?',
  },
  {
    name: 'a check name with a comma, unquoted in a threshold (k6 splits selectors at every comma)',
    yaml: `${HEAD}journeys: { j: { steps: [{ request: GET /, checks: { "price, in euros": { status: 200 } } }] } }\nthresholds:\n  "checks{check:price, in euros}": ["rate>0.99"]\n`,
    expected: 'tailgate.yml:5:3 thresholds["checks{check:price, in euros}"]: "in euros" follows a comma but is not a tag:NAME pair. Fix: a name with a comma goes in quotes: {check:"price, in euros"}',
  },
  {
    name: 'a near miss of a check name with a comma: the fix quotes it',
    yaml: `${HEAD}journeys: { j: { steps: [{ request: GET /, checks: { "price, in euros": { status: 200 } } }] } }\nthresholds:\n  'checks{check:"price, in euro"}': ["rate>0.99"]\n`,
    expected: 'names check "price, in euro", which no step checks. Fix: did you mean {check:"price, in euros"}?',
  },
  {
    name: 'a quote the selector does not close',
    yaml: `${HEAD}journeys: { j: { steps: [{ request: GET /, checks: { "price, in euros": { status: 200 } } }] } }\nthresholds:\n  'checks{check:"price, in euros}': ["rate>0.99"]\n`,
    expected: 'the check selector opens a quote (") it does not close. Fix: close it: {check:"NAME"}',
  },
  {
    name: 'text after a quoted name',
    yaml: `${HEAD}journeys: { j: { steps: [{ request: GET /, checks: { "price, in euros": { status: 200 } } }] } }\nthresholds:\n  'checks{check:"price," in euros}': ["rate>0.99"]\n`,
    expected: 'the check selector has text after its quoted name ("in euros"). Fix: put the whole name inside the quotes: {check:"NAME"}',
  },
  {
    name: 'a threshold on a scenario the profile has not',
    yaml: `${HEAD}journeys: { j: { steps: [{ request: GET / }] } }\nthresholds:\n  "http_req_duration{scenario:t}": ["p(95)<500"]\n`,
    expected: 'tailgate.yml:5:3 thresholds["http_req_duration{scenario:t}"]: names scenario "t", which is not a scenario of the profile. Fix: use one of: s',
  },
  {
    name: 'a threshold object without its expression',
    yaml: `${HEAD}journeys: { j: { steps: [{ request: GET / }] } }\nthresholds:\n  http_req_duration:\n    - { abortOnFail: true }\n`,
    expected: 'tailgate.yml:6:7 thresholds.http_req_duration[0].threshold: is missing. Fix: add threshold: p(95)<500',
  },
  {
    name: 'a misspelt field of a threshold object',
    yaml: `${HEAD}journeys: { j: { steps: [{ request: GET / }] } }\nthresholds:\n  http_req_duration:\n    - { threshold: "p(95)<500", abortOnFial: true }\n`,
    expected: 'tailgate.yml:6:33 thresholds.http_req_duration[0].abortOnFial: unknown field "abortOnFial". Fix: did you mean abortOnFail?',
  },
  {
    name: 'abortOnFail that is not true or false',
    yaml: `${HEAD}journeys: { j: { steps: [{ request: GET / }] } }\nthresholds:\n  http_req_duration:\n    - { threshold: "p(95)<500", abortOnFail: yes }\n`,
    expected: 'tailgate.yml:6:46 thresholds.http_req_duration[0].abortOnFail: must be true or false (got "yes")',
  },
  {
    name: 'delayAbortEval without a unit',
    yaml: `${HEAD}journeys: { j: { steps: [{ request: GET / }] } }\nthresholds:\n  http_req_duration:\n    - { threshold: "p(95)<500", abortOnFail: true, delayAbortEval: 10 }\n`,
    expected: 'tailgate.yml:6:68 thresholds.http_req_duration[0].delayAbortEval: must be a duration with a unit (h, m, s, ms), like 30s, 500ms or 1m30s (got 10). Fix: write 10s or 10ms',
  },
  {
    name: 'delayAbortEval without abortOnFail',
    yaml: `${HEAD}journeys: { j: { steps: [{ request: GET / }] } }\nthresholds:\n  http_req_duration:\n    - { threshold: "p(95)<500", delayAbortEval: 10s }\n`,
    expected: 'tailgate.yml:6:33 thresholds.http_req_duration[0].delayAbortEval: delays an abort, but this threshold does not abort the run. Fix: add abortOnFail: true, or remove delayAbortEval',
  },
  {
    name: 'a threshold that is neither text nor an object',
    yaml: `${HEAD}journeys: { j: { steps: [{ request: GET / }] } }\nthresholds:\n  http_req_duration:\n    - 5\n`,
    expected: 'tailgate.yml:6:7 thresholds.http_req_duration[0]: must be an expression as text, e.g. "p(95)<500", or k6\'s object form',
  },
];

describe('checks in a profile', () => {
  it.each(rows)('refuses $name', ({ yaml, expected }) => {
    expect(configErrorMessage(() => parseProfile(yaml, { file: 'tailgate.yml', env: {} }))).toContain(expected);
  });
});

describe('thresholds on checks, scenarios and setup steps', () => {
  it('accepts the names the profile has: a check, a capture, a scenario, a setup step', () => {
    const yaml = `${HEAD}setup: { steps: [{ name: login, request: POST /login }] }\njourneys: { j: { steps: [{ name: home, request: GET /, capture: { id: "$.id" }, checks: { "is ok": { status: 200 } } }] } }\nthresholds:\n  checks: ["rate>0.99"]\n  "checks{check:is ok}": ["rate>0.9"]\n  "checks{check:capture id}": ["rate==1"]\n  "http_req_duration{scenario:s,step:home}": ["p(95)<500"]\n  "http_req_duration{step:login}": ["max<2000"]\n`;
    const profile = parseProfile(yaml, { file: 'tailgate.yml', env: {} });
    expect(profile.thresholds.map((t) => t.metric)).toEqual(['checks', 'checks{check:is ok}', 'checks{check:capture id}', 'http_req_duration{scenario:s,step:home}', 'http_req_duration{step:login}']);
  });
});

describe('names in quotes in a threshold selector', () => {
  it('select a check whose name has a comma, in double or single quotes; quotes around a name without one are dropped, as k6 drops them', () => {
    const yaml = `${HEAD}journeys: { j: { steps: [{ name: "GET /a,b", request: "GET /a,b", checks: { "price, in euros": { status: 200 }, "is ok": { status: 200 } } }] } }\nthresholds:\n  'checks{check:"price, in euros"}': ["rate>0.99"]\n  "checks{check:'price, in euros'}": ["rate>0.9"]\n  'checks{ check : "is ok" }': ["rate>0.9"]\n  'http_req_duration{scenario:"s", step:"GET /a,b"}': ["p(95)<500"]\n`;
    const profile = parseProfile(yaml, { file: 'tailgate.yml', env: {} });
    expect(profile.thresholds.map((t) => [t.selector.check, t.selector.step, t.selector.scenario])).toEqual([
      ['price, in euros', null, null],
      ['price, in euros', null, null],
      ['is ok', null, null],
      [null, 'GET /a,b', 's'],
    ]);
  });
});

describe('threshold mistakes in a profile', () => {
  it('are reported when the profile is read, with its other problems', () => {
    const yaml = `${HEAD}journeys: { j: { steps: [{ name: home, request: GET / }] } }\nthresholds:\n  http_req_duration: ["p95<500"]\n  "http_req_duration{step:hom}": ["p(95)<1"]\n  "checks{step:home}": ["rate>0.9"]\n`;
    const message = configErrorMessage(() => parseProfile(yaml, { file: 'tailgate.yml', env: {} }));
    expect(message).toContain('tailgate.yml: 3 problems');
    expect(message).toContain('tailgate.yml:5:3 thresholds.http_req_duration: "p95<500": "p95" is not an aggregation of http_req_duration. Fix: write p(95)');
    expect(message).toContain('tailgate.yml:6:3 thresholds["http_req_duration{step:hom}"]: names step "hom", which no journey or setup has. Fix: did you mean {step:home}?');
    expect(message).toContain('tailgate.yml:7:3 thresholds["checks{step:home}"]: checks cannot be selected by step: the record does not keep it apart that way. Fix: select checks with {check:NAME}');
  });
});

describe('k6’s threshold object form', () => {
  it('reads the expression, and which expressions abort the run after what delay', () => {
    const yaml = `${HEAD}journeys: { j: { steps: [{ request: GET / }] } }\nthresholds:\n  http_req_duration:\n    - "p(99)<800"\n    - { threshold: "p(95)<500", abortOnFail: true, delayAbortEval: 10s }\n    - { threshold: "avg<300", abortOnFail: false }\n  http_req_failed: [{ threshold: "rate<0.01", abortOnFail: true }]\n`;
    const profile = parseProfile(yaml, { file: 'tailgate.yml', env: {} });
    expect(profile.thresholds.map(({ metric, expressions, abortOnFail }) => ({ metric, expressions, abortOnFail }))).toEqual([
      { metric: 'http_req_duration', expressions: ['p(99)<800', 'p(95)<500', 'avg<300'], abortOnFail: [{ expression: 1, delayAbortEvalMs: 10_000 }] },
      { metric: 'http_req_failed', expressions: ['rate<0.01'], abortOnFail: [{ expression: 0, delayAbortEvalMs: 0 }] },
    ]);
  });
});
