import { describe, it, expect } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { parseProfile } from '../../src/config/load-profile.js';

/**
 * One row per mistake a user can make: the YAML, and what the message must say (file:line:column,
 * field, what is allowed, the fix). Each row's YAML is otherwise valid, so the message is about
 * that one mistake.
 */
interface Row {
  name: string;
  yaml: string;
  expected: string[];
  file?: string;
  env?: Record<string, string>;
  target?: string;
}

const rows: Row[] = [
  {
    name: 'unknown top-level key, near miss',
    yaml: `target: http://x
scenario: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:2:1 scenario: unknown field "scenario". Fix: did you mean scenarios?'],
  },
  {
    name: 'unknown key, not a near miss',
    yaml: `target: http://x
colour: red
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:2:1 colour: unknown field "colour". Fix: remove it; allowed here: $schema, name, target, defaults'],
  },
  {
    name: 'typo in a step key',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys:
  j:
    steps:
      - request: GET /
        excpet: 200
`,
    expected: ['tailgate.yml:7:9 journeys.j.steps[0].excpet: unknown field "excpet". Fix: did you mean expect?'],
  },
  {
    name: 'rate is not a number',
    yaml: `target: http://x
scenarios:
  browse:
    executor: constant-arrival-rate
    rate: fast
    duration: 1m
    preAllocatedVUs: 20
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:5:11 scenarios.browse.rate: must be a positive whole number (got "fast"). Fix: write rate: 50'],
  },
  {
    name: 'duration without a unit',
    yaml: `target: http://x
scenarios:
  s:
    executor: constant-vus
    duration: 60
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:5:15 scenarios.s.duration: must be a duration with a unit (h, m, s, ms), like 30s, 500ms or 1m30s (got 60). Fix: write 60s or 60ms (a unit is required)'],
  },
  {
    name: 'duration that is garbage',
    yaml: `target: http://x
defaults: { timeout: soon }
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:2:22 defaults.timeout: must be a duration with a unit', '(got "soon"). Fix: write 30s or 500ms'],
  },
  {
    name: 'zero where time must pass',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 0s } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:2:53 scenarios.s.duration: must be longer than 0s'],
  },
  {
    name: 'executor misspelt',
    yaml: `target: http://x
scenarios:
  s:
    executor: constant-arival-rate
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: [
      'tailgate.yml:4:15 scenarios.s.executor: must be one of constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate, shared-iterations, per-vu-iterations (got "constant-arival-rate"). Fix: did you mean executor: constant-arrival-rate?',
    ],
  },
  {
    name: 'executor shortened: the whole name, not a closed-model one fewer edits away',
    yaml: `target: http://x
scenarios:
  s:
    executor: constant-arrival
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['(got "constant-arrival"). Fix: did you mean executor: constant-arrival-rate?'],
  },
  {
    name: 'executor missing',
    yaml: `target: http://x
scenarios:
  s:
    vus: 10
    duration: 1m
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:4:5 scenarios.s.executor: is missing. Fix: add executor: constant-vus | ramping-vus | constant-arrival-rate | ramping-arrival-rate'],
  },
  {
    name: 'a field another executor uses',
    yaml: `target: http://x
scenarios:
  s:
    executor: constant-vus
    duration: 1m
    stages: [{ duration: 10s, target: 5 }]
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:6:5 scenarios.s.stages: unknown field "stages" (executor constant-vus does not use it). Fix: remove it; allowed here: executor, startTime, gracefulStop, journeys, exec, vus, duration'],
  },
  {
    name: 'a field the executor requires',
    yaml: `target: http://x
scenarios:
  s:
    executor: constant-arrival-rate
    rate: 10
    duration: 1m
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:4:5 scenarios.s.preAllocatedVUs: is required by executor constant-arrival-rate. Fix: add preAllocatedVUs: 20'],
  },
  {
    name: 'maxVUs below preAllocatedVUs',
    yaml: `target: http://x
scenarios:
  s:
    executor: constant-arrival-rate
    rate: 10
    duration: 1m
    preAllocatedVUs: 20
    maxVUs: 10
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:8:13 scenarios.s.maxVUs: must be at least preAllocatedVUs (20), got 10. Fix: write maxVUs: 20 or more'],
  },
  {
    name: 'no stages',
    yaml: `target: http://x
scenarios:
  s:
    executor: ramping-vus
    stages: []
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:5:13 scenarios.s.stages: must not be empty. Fix: write stages: [ { duration: 30s, target: 20 } ]'],
  },
  {
    name: 'stages without duration',
    yaml: `target: http://x
scenarios:
  s:
    executor: ramping-arrival-rate
    preAllocatedVUs: 5
    stages: [{ duration: 0s, target: 5 }]
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:6:13 scenarios.s.stages: last 0s in total'],
  },
  {
    name: 'no scenarios and no journeys',
    yaml: `target: http://x
scenarios: {}
journeys: {}
`,
    expected: [
      'tailgate.yml:2:12 scenarios: must not be empty. Fix: write scenarios: { browse: { executor: constant-vus, vus: 10, duration: 30s } }',
      'tailgate.yml:3:11 journeys: must not be empty. Fix: write journeys: { shopper: { steps: [ { request: GET /api/products } ] } }',
    ],
  },
  {
    name: 'scenario names a journey that does not exist',
    yaml: `target: http://x
scenarios:
  s: { executor: constant-vus, duration: 1s, journeys: [shoper] }
journeys: { shopper: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:3:57 scenarios.s.journeys[0]: no journey is named "shoper" (journeys: shopper). Fix: did you mean shopper?'],
  },
  {
    name: 'two steps of a journey with the same name',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys:
  j:
    steps:
      - { name: list, request: GET /a }
      - { name: list, request: GET /b }
`,
    expected: ['tailgate.yml:7:17 journeys.j.steps[1].name: step name "list" is already used by steps[0] of journey j. Fix: give each step of a journey its own name'],
  },
  {
    name: 'two unnamed steps with the same request line',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys:
  j:
    steps:
      - request: GET /a
      - request: GET /a
`,
    expected: ['tailgate.yml:7:18 journeys.j.steps[1].request: step name "GET /a" is already used by steps[0] of journey j. Fix: add a name: to one of the two steps'],
  },
  {
    name: 'placeholder captured in another case',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys:
  j:
    steps:
      - request: GET /items
        capture: { itemId: "$.items[0].id" }
      - request: GET /items/{{ itemID }}
`,
    expected: [
      'tailgate.yml:8:18 journeys.j.steps[1].request: uses {{ itemID }}, but no earlier step of journey j captures itemID. Fix: did you mean {{ itemId }}? (names are case-sensitive)',
    ],
  },
  {
    name: 'placeholder nobody captures',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys:
  j:
    steps:
      - request: GET /products
      - request: GET /products/{{ productId }}
`,
    expected: [
      'tailgate.yml:7:18 journeys.j.steps[1].request: uses {{ productId }}, but no earlier step of journey j captures productId. Fix: capture it in an earlier step, e.g. capture: { productId: "$.id" }',
    ],
  },
  {
    name: 'placeholder captured too late, in a body',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys:
  j:
    steps:
      - request: POST /orders
        body: { id: "{{ id }}" }
      - request: GET /products
        capture: { id: "$.items[0].id" }
`,
    expected: ['tailgate.yml:7:21 journeys.j.steps[0].body.id: uses {{ id }}, which is only captured by steps[1], not before this step. Fix: move the step that captures it before this one'],
  },
  {
    name: 'method in lower case',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: get /a }] } }
`,
    expected: ['tailgate.yml:3:37 journeys.j.steps[0].request: the method must be in capitals (got "get /a"). Fix: write request: GET /a'],
  },
  {
    name: 'method that is not supported',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: FETCH /a }] } }
`,
    expected: ['journeys.j.steps[0].request: the method must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS (got "FETCH /a"). Fix: write request: GET /a'],
  },
  {
    name: 'absolute URL instead of a path',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys:
  j:
    steps:
      - request: GET https://evil.example.com/steal?x=1
`,
    expected: [
      'tailgate.yml:6:18 journeys.j.steps[0].request: must be a path relative to the target, not a URL: load goes only to the target',
      'Fix: write request: GET /steal?x=1 and set target: https://evil.example.com',
    ],
  },
  {
    name: 'protocol-relative path',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET //evil.example.com/x }] } }
`,
    expected: ['tailgate.yml:3:37 journeys.j.steps[0].request: must be a path relative to the target, not a URL'],
  },
  {
    name: 'path without a leading slash',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET api/x }] } }
`,
    expected: ['tailgate.yml:3:37 journeys.j.steps[0].request: the path must start with / (got "GET api/x"). Fix: write request: GET /api/x'],
  },
  {
    name: 'space in a path',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET /a b }] } }
`,
    expected: ['tailgate.yml:3:37 journeys.j.steps[0].request: the path may not contain spaces outside {{ }}', 'Fix: encode spaces in the path as %20'],
  },
  {
    name: 'expected status out of range',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET /, expect: [200, 99] }] } }
`,
    expected: ['tailgate.yml:3:58 journeys.j.steps[0].expect[1]: must be a whole number from 100 to 599 (got 99)'],
  },
  {
    name: 'think range upside down',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys:
  j:
    steps:
      - request: GET /
        think: 3s-1s
`,
    expected: ['tailgate.yml:7:16 journeys.j.steps[0].think: the range "3s-1s" starts above its end. Fix: write the shorter time first: think: 1s-3s'],
  },
  {
    name: 'think written as a bare number: the same number of seconds suggested',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET /, think: 1 }] } }
`,
    expected: ["journeys.j.steps[0].think: must be a think time like 2s, or a random range like 1s-3s (got 1). Fix: write think: 1s (a unit is required; a bare number is seconds, as in k6's sleep(1))"],
  },
  {
    name: 'think range of bare numbers',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET /, think: "0.5-2" }] } }
`,
    expected: ['(got "0.5-2"). Fix: write think: 0.5s-2s (a unit is required'],
  },
  {
    name: 'think that is not a time at all',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET /, think: soon }] } }
`,
    expected: ['(got "soon"). Fix: write think: 2s or think: 1s-3s'],
  },
  {
    name: 'header value that YAML reads as a number',
    yaml: `target: http://x
defaults:
  headers:
    x-api-version: 2
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:4:20 defaults.headers.x-api-version: must be text (got 2). Fix: quote it: x-api-version: "2"'],
  },
  {
    name: 'header name with a space',
    yaml: `target: http://x
defaults: { headers: { "x api": a } }
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:2:24 defaults.headers["x api"]: the name must be a header name'],
  },
  {
    name: 'capture that is not a JSONPath',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys:
  j:
    steps:
      - request: GET /
        capture: { id: items.0.id }
`,
    expected: ['tailgate.yml:7:24 journeys.j.steps[0].capture.id: must be a JSONPath starting with $, e.g. $.items[0].id (got "items.0.id")'],
  },
  {
    name: 'capture whose JSONPath cannot be read',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys:
  j:
    steps:
      - request: GET /
        capture: { id: "$[[[" }
`,
    expected: ['tailgate.yml:7:24 journeys.j.steps[0].capture.id: is not a JSONPath: the [ at character 2 is never closed (got "$[[["). Fix: write a path such as $.items[0].id'],
  },
  {
    name: 'capture whose filter cannot be read',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys:
  j:
    steps:
      - request: GET /
        capture: { id: "$.items[?(@.price >)].id" }
`,
    expected: ['journeys.j.steps[0].capture.id: is not a JSONPath: the expression at character 10 cannot be read: Expected expression after >'],
  },
  {
    name: 'capture with a space in a name',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys:
  j:
    steps:
      - request: GET /
        capture: { id: "$.first name" }
`,
    expected: ['journeys.j.steps[0].capture.id: is not a JSONPath: " " at character 8 is not part of a JSONPath'],
  },
  {
    name: 'target with a query',
    yaml: `target: http://x/?debug=1
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:1:9 target: must be an http or https URL with an optional base path and no query or fragment', '(got "http://x/?debug=1")'],
  },
  {
    name: 'target that is not http',
    yaml: `target: ftp://files.example.com
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:1:9 target: must be an http or https URL'],
  },
  {
    name: 'no target anywhere',
    yaml: `scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:1:1 target: is missing. Fix: add target: ${TARGET_URL} to the file, or pass --target / the target-url input'],
  },
  {
    name: 'bad target on the command line',
    yaml: `scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    target: 'localhost:3000',
    expected: ['tailgate.yml target (from --target or the target-url input): must be an http or https URL', '(got "localhost:3000")'],
  },
  {
    name: 'too many VUs',
    yaml: `target: http://x
scenarios:
  s:
    executor: ramping-vus
    stages: [{ duration: 1m, target: 50 }, { duration: 1m, target: 20000 }]
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:5:68 scenarios.s.stages[1].target: asks for 20000 VUs; a scenario may use at most 10000'],
  },
  {
    name: 'too high a rate',
    yaml: `target: http://x
scenarios:
  s:
    executor: constant-arrival-rate
    rate: 2000
    timeUnit: 10ms
    duration: 10s
    preAllocatedVUs: 10
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:5:11 scenarios.s.rate: asks for 200000 iterations per second; at most 100000 are allowed'],
  },
  {
    name: 'run longer than an hour',
    yaml: `target: http://x
scenarios:
  early: { executor: constant-vus, duration: 10m }
  late: { executor: constant-vus, startTime: 50m, duration: 15m }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:4:61 scenarios.late.duration: makes the run last 1h5m (startTime + duration); a run may last at most 1h'],
  },
  {
    name: 'warm-up as long as the run',
    yaml: `target: http://x
warmup: 1m
scenarios: { s: { executor: constant-vus, duration: 1m } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:2:9 warmup: leaves nothing to measure: it is 1m and the run lasts 1m. Fix: write a warmup shorter than the run, e.g. warmup: 6s'],
  },
  {
    name: 'blocks shorter than a second',
    yaml: `target: http://x
block: 200ms
scenarios: { s: { executor: constant-vus, duration: 1m } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:2:8 block: must be at least 1s (a run record keeps at most 4000 blocks, and the comparison merges blocks as it needs). Fix: write block: 1s, or leave it out'],
  },
  {
    name: 'environment variable not set',
    yaml: `target: http://x
defaults:
  headers:
    authorization: "Bearer \${API_TOKEN}"
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:4:20 defaults.headers.authorization: environment variable API_TOKEN is not set. Fix: set API_TOKEN in the environment', '${API_TOKEN:-value}'],
  },
  {
    name: 'threshold for a step that does not exist',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ name: checkout, request: POST / }] } }
thresholds:
  "http_req_duration{step:chekout}": ["p(95)<500"]
`,
    expected: ['tailgate.yml:5:3 thresholds["http_req_duration{step:chekout}"]: names step "chekout", which no journey or setup has. Fix: did you mean {step:checkout}?'],
  },
  {
    name: 'regression limit that is not a percentage',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET / }] } }
regression: { p95: ten }
`,
    expected: ['tailgate.yml:4:20 regression.p95: must be a percentage like 10% or 10 (got "ten"). Fix: write p95: 10%'],
  },
  {
    name: 'regression steps naming no step',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ name: list, request: GET / }] } }
regression: { steps: [lits] }
`,
    expected: ['tailgate.yml:4:22 regression.steps: names "lits", which no journey has. Fix: use step names (list) or "overall"'],
  },
  {
    name: 'threshold expressions not a list',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET / }] } }
thresholds:
  http_req_duration: p(95)<500
`,
    expected: ['tailgate.yml:5:22 thresholds.http_req_duration: must be a list (got "p(95)<500"). Fix: write http_req_duration: [ p(95)<500 ]'],
  },
  {
    name: 'regression key misspelt and alpha out of range',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET / }] } }
regression:
  p59: 10%
  alpha: 5
`,
    expected: [
      'tailgate.yml:5:3 regression.p59: unknown field "p59". Fix: did you mean p95?',
      'tailgate.yml:6:10 regression.alpha: must be a number between 0 and 0.5 (got 5). Fix: write alpha: 0.05',
    ],
  },
  {
    name: 'profile name not usable in a cache key',
    yaml: `name: my app
target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ["tailgate.yml:1:7 name: must be letters, digits, '.', '_' and '-' only (the id is used in cache keys) (got \"my app\"). Fix: write name: checkout-api"],
  },
  {
    name: 'file name not usable as a profile id',
    file: 'perf/my profile.yml',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['perf/my profile.yml: the profile id comes from the file name', '(got "my profile"). Fix: add name: my-profile'],
  },
  {
    name: 'YAML syntax error',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:3:', 'YAML syntax:'],
  },
  {
    name: 'unquoted JSONPath in a flow mapping (YAML reports its first error only)',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys:
  j:
    steps:
      - request: GET /
        capture: { id: $.items[0].id }
`,
    expected: ['tailgate.yml:7:31: YAML syntax: Unexpected flow-seq-start at node end. Fix: check indentation and quoting here; quote values holding : # [ ] { } or , as in "$.items[0].id"'],
  },
  {
    name: 'duplicate key',
    yaml: `target: http://x
target: http://y
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:2:1: YAML syntax: Map keys must be unique. Fix: keep one of the two entries'],
  },
  {
    name: 'YAML alias inside the value it names (a cycle)',
    yaml: `x: &x [*x]
`,
    expected: ['tailgate.yml:1:8: the alias *x is inside the value it names, which would repeat forever. Fix: remove *x from inside &x'],
  },
  {
    name: 'YAML alias cycle through a mapping',
    yaml: `target: http://x
scenarios: &s { s: { executor: constant-vus, duration: 1s, more: *s } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:2:66: the alias *s is inside the value it names'],
  },
  {
    name: 'YAML alias to no anchor',
    yaml: `target: *url
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: GET / }] } }
`,
    expected: ['tailgate.yml:1:9: the alias *url names no anchor set before it. Fix: mark an earlier value with &url, or remove *url'],
  },
  {
    name: 'aliases that expand to too much',
    yaml: `a: &a [1, 2]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
`,
    expected: ['tailgate.yml: YAML: the aliases (*name) expand to too much'],
  },
  {
    name: 'a body nested deeper than a profile may nest',
    yaml: `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys: { j: { steps: [{ request: POST /, body: ${'['.repeat(100)}${']'.repeat(100)} }] } }
`,
    expected: ['tailgate.yml:3:110: lists and mappings nest deeper than 64 levels here. Fix: nest them less deeply'],
  },
  {
    name: 'nesting too deep for the YAML parser',
    yaml: `x: ${'['.repeat(20000)}${']'.repeat(20000)}
`,
    expected: ['tailgate.yml:1:', 'YAML syntax: lists and mappings nest too deeply to read. Fix: nest lists and mappings less deeply (at most 64 levels)'],
  },
  {
    name: 'not a mapping',
    yaml: `- target: http://x
`,
    expected: ['tailgate.yml:1:1: must be a mapping of settings: target, scenarios, journeys, ... (got a list)'],
  },
  {
    name: 'empty file',
    yaml: `# nothing here yet
`,
    expected: ['tailgate.yml: the file is empty. Fix: write a profile with target, scenarios and journeys'],
  },
];

describe('bad configs', () => {
  it.each(rows)('$name', ({ yaml, expected, file = 'tailgate.yml', env = {}, target }) => {
    let error: unknown;
    try {
      parseProfile(yaml, { file, env, ...(target === undefined ? {} : { target }) });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const part of expected) expect(message).toContain(part);
  });

  it('covers at least 20 mistakes', () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
  });
});
