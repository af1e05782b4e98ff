import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/config/load-profile.js';
import { buildPlan } from '../../src/plan/plan.js';
import { profileHash } from '../../src/plan/profile-hash.js';
import { ResponseBody } from '../../src/engine/check-evaluation.js';
import { captureEach } from '../../src/engine/capture-values.js';
import { nestsRepetition } from '../../src/config/capture-config.js';
import { configErrorMessage } from '../helpers/config-problem.js';

/** What a session needs in a profile: captures from headers and by pattern, `cookies:`, `teardown:`. */
const HEAD = 'target: http://127.0.0.1:9\nscenarios: { s: { executor: constant-vus, duration: 1s } }\n';

const VALID = `${HEAD}setup:
  steps:
    - name: login
      request: POST /login
      capture: { token: { header: X-Session } }
journeys:
  shopper:
    steps:
      - name: form
        request: GET /form
        capture:
          csrf: { header: X-CSRF-Token }
          orderId: { regex: 'id=(\\d+)' }
          price: "$.price"
      - name: order
        request: POST /orders/{{ orderId }}
        headers: { x-csrf-token: "{{ csrf }}" }
        cookies: false
teardown:
  steps:
    - name: logout
      request: POST /logout
      headers: { authorization: "Bearer {{ token }}" }
`;

const parse = (text: string) => parseProfile(text, { file: 'session.yml', env: {} });

describe('captures from headers and by pattern', () => {
  it('reads a header (its name lower-cased), a pattern and a JSONPath', () => {
    const profile = parse(VALID);
    expect(profile.journeys[0]?.steps[0]?.capture).toEqual({ csrf: { header: 'x-csrf-token' }, orderId: { regex: 'id=(\\d+)' }, price: '$.price' });
    const plan = buildPlan(profile);
    const form = plan.scenarios[0]?.journeys[0]?.steps[0];
    expect(form?.captures.map(([name]) => name)).toEqual(['csrf', 'orderId', 'price']);
    expect(form?.captures[1]?.[1]).toEqual({ regex: /id=(\d+)/ });
    expect(form?.keepHeaders).toBe(true);
    expect(form?.keepBody).toBe(true);
    expect(plan.checkNames).toEqual(['capture csrf', 'capture orderId', 'capture price']);
    // A step that captures only a header keeps no body.
    const login = plan.setup[0];
    expect(login?.keepHeaders).toBe(true);
    expect(login?.keepBody).toBe(false);
  });

  it('takes the first value of a header, the first group of a pattern; finding nothing is a failed capture', () => {
    const vars: Record<string, unknown> = {};
    const captures = [
      ['a', { header: 'set-cookie' }],
      ['b', { regex: /id=(\d+)/ }],
      ['c', { regex: /(x)|(id)/ }],
      ['d', { header: 'x-absent' }],
      ['e', { regex: /name=(\w+)/ }],
      ['f', '$.n'],
    ] as const;
    const found = captureEach(captures, new ResponseBody(Buffer.from('order id=42, id=43')), { 'set-cookie': ['s=1', 't=2'] }, vars);
    expect(found).toEqual([true, true, false, false, false, false]);
    expect(vars).toEqual({ a: 's=1', b: '42' });
    // No body kept (over the capture limit): a pattern finds nothing.
    expect(captureEach([['b', { regex: /id=(\d+)/ }]], new ResponseBody(undefined), undefined, vars)).toEqual([false]);
  });

  it('leaves the hash of a profile of JSONPath captures as it was', () => {
    const jsonOnly = `${HEAD}journeys: { j: { steps: [{ request: GET /a, capture: { id: "$.id" } }] } }\n`;
    // The hash this profile had before captures could read headers (computed at the commit before).
    expect(profileHash(parse(jsonOnly))).toBe('49844f81847a8af7');
  });

  it('tells a pattern that backtracks exponentially (a repeated group holding a repetition) from one that does not', () => {
    for (const bad of ['(a+)+', '((a+)+)b', '(\\w+\\s?)*', '(?:x*){2,}', 'id=((\\d)+)*', '(a{1,}){3,9}', '(a+)+?']) expect(nestsRepetition(bad), bad).toBe(true);
    for (const good of ['id=(\\d+)', 'ids=([\\d,]+)', '(a+)?', '(\\d{1,3})', 'x(ab){2}', '[(]+(a)', '\\((a+)\\)+', '(a)+(b+)', '([)+]+)']) expect(nestsRepetition(good), good).toBe(false);
  });

  const refused: Array<{ name: string; capture: string; expected: string }> = [
    { name: 'a pattern that does not compile', capture: "{ id: { regex: 'id=(\\d+' } }", expected: 'session.yml:3:69 journeys.j.steps[0].capture.id.regex: is not a regular expression: Unterminated group' },
    { name: 'a pattern without a group', capture: "{ id: { regex: 'id=\\d+' } }", expected: 'journeys.j.steps[0].capture.id.regex: has no group: the value captured is the text of the first ( ) group (got "id=\\\\d+"). Fix: put the part to capture in parentheses' },
    { name: 'a group repeated around a repetition', capture: "{ ids: { regex: 'ids=((\\d+,?)+)' } }", expected: "journeys.j.steps[0].capture.ids.regex: repeats a group that itself repeats, like (a+)+: over a large body such a pattern can take exponential time, and a VU would hang (got \"ids=((\\\\d+,?)+)\"). Fix: repeat the characters, not the group: 'ids=([\\d,]+)'" },
    { name: 'a header and a pattern at once', capture: "{ id: { header: x-id, regex: '(a)' } }", expected: 'journeys.j.steps[0].capture.id: names both a header and a regex; a capture reads one thing' },
    { name: 'a mapping that names nothing', capture: '{ id: {} }', expected: 'journeys.j.steps[0].capture.id: says nothing to capture from' },
    { name: 'an unknown kind', capture: "{ id: { regx: '(a)' } }", expected: 'journeys.j.steps[0].capture.id.regx: unknown field "regx". Fix: did you mean regex?' },
    { name: 'a header name with a space', capture: "{ id: { header: 'x id' } }", expected: 'journeys.j.steps[0].capture.id.header: must be a header name' },
    { name: 'text that is no JSONPath', capture: '{ id: items.0 }', expected: 'journeys.j.steps[0].capture.id: must be a JSONPath starting with $, e.g. $.items[0].id (got "items.0")' },
    { name: 'a capture into __ITER', capture: '{ __ITER: { header: x-i } }', expected: "journeys.j.steps[0].capture.__ITER: __ITER is set by tailgate for every iteration (k6's __ITER), it cannot be captured" },
  ];

  it.each(refused)('refuses $name, saying where and what to write', ({ capture, expected }) => {
    expect(configErrorMessage(() => parse(`${HEAD}journeys: { j: { steps: [{ request: GET /a, capture: ${capture} }] } }\n`))).toContain(expected);
  });
});

describe('cookies', () => {
  it('are on for every step unless the profile or the step says cookies: false', () => {
    const steps = buildPlan(parse(VALID)).scenarios[0]?.journeys[0]?.steps;
    expect(steps?.map((step) => step.cookies)).toEqual([true, false]);
    const off = buildPlan(parse(`cookies: false\n${VALID}`));
    expect(off.scenarios[0]?.journeys[0]?.steps.map((step) => step.cookies)).toEqual([false, false]);
    expect(off.setup.map((step) => step.cookies)).toEqual([false]);
    expect(off.teardown.map((step) => step.cookies)).toEqual([false]);
  });

  it('refuses a cookies that is not true or false', () => {
    expect(configErrorMessage(() => parse(`cookies: per-vu\n${VALID}`))).toContain('cookies: must be true or false (got "per-vu")');
  });
});

describe('teardown', () => {
  it('reads its steps, with their place in the file; they may use what the setup captured', () => {
    const profile = parse(VALID);
    expect(profile.teardown?.map((step) => [step.name, step.headers])).toEqual([['logout', { authorization: 'Bearer {{ token }}' }]]);
    expect(profile.teardown?.[0]?.location).toEqual({ file: 'session.yml', line: 23, column: 7 });
    expect(buildPlan(profile).teardown.map((step) => step.id)).toEqual([0]);
  });

  const refused: Array<{ name: string; teardown: string; expected: string }> = [
    { name: 'a value no step captures', teardown: '{ steps: [{ request: "POST /logout/{{ session }}" }] }', expected: 'teardown.steps[0].request: uses {{ session }}, but no earlier step of teardown captures session' },
    { name: 'what a journey captured (journeys end before it)', teardown: '{ steps: [{ request: "POST /orders/{{ orderId }}" }] }', expected: 'no earlier step of teardown captures orderId' },
    { name: 'checks', teardown: '{ steps: [{ request: POST /logout, checks: { ok: { status: 200 } } }] }', expected: 'teardown.steps[0].checks: are not counted in a teardown step: a teardown step either succeeds or ends the teardown' },
    { name: 'once', teardown: '{ steps: [{ request: POST /logout, once: true }] }', expected: 'teardown.steps[0].once: has no meaning in a teardown step: teardown steps run once per run, after the load' },
    { name: 'two steps of one name', teardown: '{ steps: [{ name: out, request: POST /a }, { name: out, request: POST /b }] }', expected: 'step name "out" is already used by steps[0] of teardown. Fix: give each step of the teardown its own name' },
    { name: 'no steps', teardown: '{ steps: [] }', expected: 'teardown.steps: must not be empty' },
  ];

  it.each(refused)('refuses $name', ({ teardown, expected }) => {
    const text = VALID.slice(0, VALID.indexOf('teardown:')) + `teardown: ${teardown}\n`;
    expect(configErrorMessage(() => parse(text))).toContain(expected);
  });
});
