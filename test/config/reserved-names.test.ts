import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { parseProfile } from '../../src/config/load-profile.js';
import { Recorder } from '../../src/record/recorder.js';

/**
 * `__proto__`, `constructor` and `prototype` are names JavaScript objects treat specially. Every
 * place a profile names something tailgate keys by that name refuses them with a sentence, so
 * nothing downstream can drop a step, read a variable as `{}` or crash on a threshold.
 */
const HEAD = 'target: http://x\n';
const SCENARIOS = 'scenarios: { s: { executor: constant-vus, duration: 1s } }\n';
const JOURNEYS = 'journeys: { j: { steps: [{ request: GET / }] } }\n';

const rows: Array<{ name: string; yaml: string; expected: string }> = [
  {
    name: 'threshold metric __proto__',
    yaml: `${HEAD}${SCENARIOS}${JOURNEYS}thresholds:\n  __proto__: ["p(95)<500"]\n`,
    expected: 'tailgate.yml:5:3 thresholds.__proto__: metric "__proto__" is reserved (__proto__, constructor, prototype have a special meaning in JavaScript). Fix: write a metric tailgate records, e.g. http_req_duration',
  },
  {
    name: 'threshold metric constructor with a step',
    yaml: `${HEAD}${SCENARIOS}${JOURNEYS}thresholds:\n  "constructor{step:GET /}": ["p(95)<500"]\n`,
    expected: 'tailgate.yml:5:3 thresholds["constructor{step:GET /}"]: metric "constructor" is reserved',
  },
  {
    name: 'threshold for a step named constructor',
    yaml: `${HEAD}${SCENARIOS}${JOURNEYS}thresholds:\n  "http_req_duration{step:constructor}": ["p(95)<500"]\n`,
    expected: 'tailgate.yml:5:3 thresholds["http_req_duration{step:constructor}"]: names step "constructor", which no journey or setup has',
  },
  {
    name: 'scenario named __proto__',
    yaml: `${HEAD}scenarios: { __proto__: { executor: constant-vus, duration: 1s } }\n${JOURNEYS}`,
    expected: 'tailgate.yml:2:14 scenarios.__proto__: scenario name "__proto__" is reserved',
  },
  {
    name: 'journey named constructor',
    yaml: `${HEAD}${SCENARIOS}journeys: { constructor: { steps: [{ request: GET / }] } }\n`,
    expected: 'tailgate.yml:3:13 journeys.constructor: journey name "constructor" is reserved',
  },
  {
    name: 'step named __proto__',
    yaml: `${HEAD}${SCENARIOS}journeys: { j: { steps: [{ name: __proto__, request: GET / }] } }\n`,
    expected: 'tailgate.yml:3:34 journeys.j.steps[0].name: step name "__proto__" is reserved',
  },
  {
    name: 'step named prototype',
    yaml: `${HEAD}${SCENARIOS}journeys: { j: { steps: [{ name: prototype, request: GET / }] } }\n`,
    expected: 'journeys.j.steps[0].name: step name "prototype" is reserved',
  },
  {
    name: 'setup step named constructor',
    yaml: `${HEAD}${SCENARIOS}setup: { steps: [{ name: constructor, request: GET /login }] }\n${JOURNEYS}`,
    expected: 'tailgate.yml:3:26 setup.steps[0].name: step name "constructor" is reserved (__proto__, constructor, prototype have a special meaning in JavaScript). Fix: choose another step name',
  },
  {
    name: 'a reserved step name used twice: reserved, and used twice',
    yaml: `${HEAD}${SCENARIOS}journeys: { j: { steps: [{ name: __proto__, request: GET / }, { name: __proto__, request: GET /b }] } }\n`,
    expected: 'journeys.j.steps[1].name: step name "__proto__" is already used by steps[0] of journey j. Fix: give each step of a journey its own name',
  },
  {
    name: 'capture variable __proto__',
    yaml: `${HEAD}${SCENARIOS}journeys:\n  j:\n    steps:\n      - request: GET /\n        capture: { __proto__: "$.id" }\n      - request: GET /{{ __proto__ }}\n`,
    expected: 'tailgate.yml:7:20 journeys.j.steps[0].capture.__proto__: variable name "__proto__" is reserved',
  },
  {
    name: 'step header __proto__',
    yaml: `${HEAD}${SCENARIOS}journeys: { j: { steps: [{ request: GET /, headers: { __proto__: x } }] } }\n`,
    expected: 'tailgate.yml:3:55 journeys.j.steps[0].headers.__proto__: header name "__proto__" is reserved',
  },
  {
    name: 'default header __PROTO__ (header names are not case-sensitive)',
    yaml: `${HEAD}defaults: { headers: { __PROTO__: x } }\n${SCENARIOS}${JOURNEYS}`,
    expected: 'tailgate.yml:2:24 defaults.headers.__PROTO__: header name "__proto__" is reserved',
  },
];

describe('reserved names', () => {
  it.each(rows)('$name', ({ yaml, expected }) => {
    let error: unknown;
    try {
      parseProfile(yaml, { file: 'tailgate.yml', env: {} });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(expected);
  });

  it('leaves names that only contain a reserved word alone', () => {
    const profile = parseProfile(`${HEAD}scenarios: { proto: { executor: constant-vus, duration: 1s } }\njourneys: { constructors: { steps: [{ name: __proto__x, request: GET / }] } }\n`, {
      file: 'tailgate.yml',
      env: {},
    });
    expect(profile.journeys[0]?.steps[0]?.name).toBe('__proto__x');
  });

  it('the recorder keeps every step name as a key of the record, __proto__ included', () => {
    const recorder = new Recorder(['__proto__', 'constructor', 'a'], 0, 1000, false);
    for (let step = 0; step < 3; step++) for (let i = 0; i < 10; i++) recorder.record(step, i * 50, 1000, 200, undefined);
    const { overall, steps } = recorder.toRecords(1000);
    expect(Object.keys(steps)).toEqual(['__proto__', 'constructor', 'a']);
    expect(Object.values(steps).reduce((sum, step) => sum + step.requests, 0)).toBe(overall.requests);
    expect(JSON.parse(JSON.stringify(steps))['__proto__'].requests).toBe(10);
  });
});
