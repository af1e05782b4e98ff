import type { Profile } from '../../src/config/profile-types.js';
import { profileWith } from './profiles.js';

/** A surge of arrivals: `rate` a second until `atMs` from the run's start, `surgeRate` for `surgeMs`, then `rate` again until `endMs`. */
export interface Surge {
  rate: number;
  surgeRate: number;
  atMs: number;
  surgeMs: number;
  endMs: number;
}

/**
 * An arrival-rate profile with one surge, as a spike test has it: stages of no duration jump, so
 * the surge starts and ends at once.
 */
export function surgeProfile(target: string, surge: Surge, run: { warmupMs: number; blockMs: number; preAllocatedVUs: number; maxVUs: number; gracefulStopMs: number }): Profile {
  const { rate, surgeRate, atMs, surgeMs, endMs } = surge;
  return profileWith({
    target,
    warmupMs: run.warmupMs,
    blockMs: run.blockMs,
    scenarios: [
      {
        executor: {
          type: 'ramping-arrival-rate',
          startRate: rate,
          timeUnitMs: 1000,
          stages: [
            { durationMs: atMs, target: rate },
            { durationMs: 0, target: surgeRate },
            { durationMs: surgeMs, target: surgeRate },
            { durationMs: 0, target: rate },
            { durationMs: endMs - atMs - surgeMs, target: rate },
          ],
          preAllocatedVUs: run.preAllocatedVUs,
          maxVUs: run.maxVUs,
        },
        gracefulStopMs: run.gracefulStopMs,
      },
    ],
  });
}
