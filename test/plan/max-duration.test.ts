import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/config/load-profile.js';
import type { Profile } from '../../src/config/profile-types.js';
import { buildPlan } from '../../src/plan/plan.js';
import { capDuration } from '../../src/plan/max-duration.js';

const profile = (scenarios: string): Profile =>
  parseProfile(
    `name: capped
target: http://127.0.0.1:9/
warmup: 2s
scenarios:
${scenarios}
journeys:
  one:
    steps:
      - request: GET /
`,
    { file: 'capped.yml', env: {} },
  );

const capped = (p: Profile, maxMs: number): Profile => {
  const result = capDuration(p, maxMs);
  if ('problem' in result) throw new Error(result.problem);
  return result.profile;
};

describe('a profile cut to a paired run\'s --max-duration', () => {
  it('ends a constant scenario at the cut, and leaves a shorter profile as it is', () => {
    const p = profile('  steady: { executor: constant-arrival-rate, rate: 20, duration: 60s, preAllocatedVUs: 5 }');
    expect(buildPlan(capped(p, 45_000)).durationMs).toBe(45_000);
    expect(capped(p, 90_000)).toEqual(p);
  });

  it('stops a ramp where it stands at the cut: the crossing stage shortened, its target the level reached', () => {
    const p = profile('  ramp: { executor: ramping-vus, startVUs: 0, stages: [{ duration: 10s, target: 10 }, { duration: 20s, target: 30 }, { duration: 10s, target: 0 }] }');
    const executor = capped(p, 20_000).scenarios[0]?.executor;
    // 10 s to 10 VUs, then half of the 20 s climb to 30: 20 VUs at 20 s; the ramp down is gone.
    expect(executor).toMatchObject({ type: 'ramping-vus', stages: [{ durationMs: 10_000, target: 10 }, { durationMs: 10_000, target: 20 }] });
    expect(buildPlan(capped(p, 20_000)).durationMs).toBe(20_000);
  });

  it('keeps an arrival-rate ramp\'s level as reached, not rounded, and caps iteration executors\' longest time', () => {
    const rate = profile('  ramp: { executor: ramping-arrival-rate, startRate: 1, stages: [{ duration: 30s, target: 4 }], preAllocatedVUs: 5 }');
    expect(capped(rate, 10_000).scenarios[0]?.executor).toMatchObject({ stages: [{ durationMs: 10_000, target: 2 }] });
    const iterations = profile('  batch: { executor: shared-iterations, vus: 2, iterations: 100, maxDuration: 60s }');
    expect(capped(iterations, 15_000).scenarios[0]?.executor).toMatchObject({ maxDurationMs: 15_000 });
  });

  it('leaves out a scenario that would start after the cut, and cuts one that starts before it by what is left', () => {
    const p = profile(`  first: { executor: constant-vus, vus: 1, duration: 30s }
  later: { executor: constant-vus, vus: 1, duration: 30s, startTime: 30s }
  middle: { executor: constant-vus, vus: 1, duration: 30s, startTime: 10s }`);
    const cut = capped(p, 20_000);
    expect(cut.scenarios.map((s) => [s.name, s.executor.type === 'constant-vus' ? s.executor.durationMs : null])).toEqual([
      ['first', 20_000],
      ['middle', 10_000],
    ]);
  });

  it('refuses a cut within the warm-up, or before any scenario starts, saying what to give', () => {
    const p = profile('  late: { executor: constant-vus, vus: 1, duration: 30s, startTime: 10s }');
    expect(capDuration(p, 2_000)).toEqual({ problem: expect.stringMatching(/within the profile's 2 s warm-up/) });
    expect(capDuration(p, 5_000)).toEqual({ problem: expect.stringMatching(/ends before any scenario starts/) });
  });
});
