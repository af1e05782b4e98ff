import type { Stage } from '../../src/config/profile-types.js';

/**
 * An arrival-rate staircase of flat steps at `shares` of `capacity` requests a second: a stage of
 * no duration jumps to each level, then one holds it for `stepMs` (the first also through the
 * warm-up, so that every step is measured whole).
 */
export function arrivalStaircase(shares: readonly number[], capacity: number, stepMs: number, warmupMs: number): { startRate: number; stages: Stage[] } {
  const rates = shares.map((share) => share * capacity);
  const stages = rates.flatMap((rate, i) => [...(i === 0 ? [] : [{ durationMs: 0, target: rate }]), { durationMs: stepMs + (i === 0 ? warmupMs : 0), target: rate }]);
  return { startRate: rates[0] as number, stages };
}
