import type { Stage } from '../../src/config/profile-types.js';
import { profileWith } from '../helpers/profiles.js';

/**
 * A profile of one arrival-rate staircase: `rates` iterations a second, each held `stepMs` (the
 * first also through the warm-up, so every step is measured whole), recorded in `blockMs` blocks.
 */
export function staircaseProfile(target: string, rates: readonly number[], stepMs: number, warmupMs: number, blockMs = 1000, maxVUs = 50) {
  const stages: Stage[] = rates.flatMap((rate, i) => [...(i === 0 ? [] : [{ durationMs: 0, target: rate }]), { durationMs: stepMs + (i === 0 ? warmupMs : 0), target: rate }]);
  return profileWith({
    target,
    warmupMs,
    blockMs,
    scenarios: [{ executor: { type: 'ramping-arrival-rate', startRate: rates[0] as number, timeUnitMs: 1000, stages, preAllocatedVUs: 10, maxVUs } }],
  });
}
