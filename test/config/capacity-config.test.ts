import { describe, expect, it } from 'vitest';
import { capacityPlan } from '../../src/config/capacity-config.js';
import { parseProfile } from '../../src/config/load-profile.js';
import { configErrorMessage } from '../helpers/config-problem.js';

/** `capacity:` in a profile: the load to plan for, its unit and the headroom to keep. */

const BASE = `target: http://127.0.0.1:1
scenarios: { s: { executor: ramping-vus, stages: [{ duration: 10s, target: 50 }] } }
journeys: { j: { steps: [{ request: GET / }] } }
`;

const parse = (yaml: string, env: Record<string, string> = {}) => parseProfile(BASE + yaml, { file: 'tailgate.yml', env });

describe('capacity in a profile', () => {
  it('reads target, unit and headroom; headroom defaults to 0%; absent means no plan', () => {
    expect(parse('capacity: { target: 5000, unit: users, headroom: 30% }\n').capacity).toEqual({ target: 5000, unit: 'users', headroomPct: 30 });
    expect(parse('capacity: { target: 1200.5, unit: rps }\n').capacity).toEqual({ target: 1200.5, unit: 'rps', headroomPct: 0 });
    expect(parse('capacity: { target: "${USERS}", unit: users, headroom: 25 }\n', { USERS: '800' }).capacity).toEqual({ target: 800, unit: 'users', headroomPct: 25 });
    expect(parse('').capacity).toBeUndefined();
  });

  it.each([
    ['capacity: { target: 0, unit: users }\n', /tailgate\.yml:4:21 capacity\.target: must be a positive number \(got 0\)\. Fix: write target: 5000 — The load to plan for, in users or requests a second \(see unit\)/],
    ['capacity: { target: 5000, unit: people }\n', /tailgate\.yml:4:33 capacity\.unit: must be one of users, rps \(got "people"\)\. Fix: write unit: users/],
    ['capacity: { target: 5000, unit: rps, headroom: 100% }\n', /capacity\.headroom: must be a percentage from 0 up to \(not including\) 100 \(got "100%"\)\. Fix: write the share of each instance to keep spare, e\.g\. headroom: 30%/],
    ['capacity: { target: 5000 }\n', /tailgate\.yml:4:11 capacity\.unit: is missing\. Fix: add unit: users \| rps/],
    ['capacity: { target: 5000, unit: rps, headrom: 30% }\n', /capacity\.headrom: unknown field "headrom"\. Fix: did you mean headroom\?/],
  ])('refuses %j with the file, the field and the fix', (yaml, message) => {
    expect(configErrorMessage(() => parse(yaml))).toMatch(message);
  });
});

describe('capacityPlan', () => {
  const read = (config: Record<string, unknown>) => {
    const problems: string[] = [];
    const plan = capacityPlan(config, (key, message, fix) => problems.push(`capacity.${key}: ${message}. Fix: ${fix}`));
    return { plan, problems };
  };

  it('reports each bad field, and gives no plan then', () => {
    expect(read({ target: 10, unit: 'rps', headroom: '12.5%' })).toEqual({ plan: { target: 10, unit: 'rps', headroomPct: 12.5 }, problems: [] });
    const bad = read({ target: -1, unit: 'rps', headroom: 'lots' });
    expect(bad.plan).toBeUndefined();
    expect(bad.problems).toEqual([
      'capacity.target: must be a positive number (got -1). Fix: write the load to plan for, e.g. target: 5000',
      'capacity.headroom: must be a percentage from 0 up to (not including) 100 (got "lots"). Fix: write the share of each instance to keep spare, e.g. headroom: 30%',
    ]);
  });
});
