import { percentage, show } from './regression-config.js';

/**
 * Capacity planning as a profile writes it (its `capacity` block), typed:
 *   capacity: { target: 5000, unit: users, headroom: 30% }
 * `target` is the load to serve, in concurrent users (a closed-model run's VUs) or requests a
 * second; `headroom` the share of each instance's capacity kept spare (default 0%). The analysis
 * of a rising load then says how many instances that takes. Bad values are reported with the fix.
 */
export interface CapacityPlan {
  target: number;
  unit: 'users' | 'rps';
  /** Percent of each instance's sustainable capacity kept spare, 0 ≤ headroom < 100. */
  headroomPct: number;
}

export const CAPACITY_KEYS = ['target', 'unit', 'headroom'] as const;

/** Where a mistake of `capacity.<key>` is reported. */
export type CapacityProblem = (key: (typeof CAPACITY_KEYS)[number], message: string, fix: string) => void;

/** The block's plan, or undefined when a field is wrong (each mistake goes to `problem`). */
export function capacityPlan(config: Record<string, unknown>, problem: CapacityProblem): CapacityPlan | undefined {
  let ok = true;
  const { target, unit } = config;
  if (!(typeof target === 'number' && Number.isFinite(target) && target > 0)) {
    problem('target', `must be a positive number (got ${show(target)})`, 'write the load to plan for, e.g. target: 5000');
    ok = false;
  }
  if (unit !== 'users' && unit !== 'rps') {
    problem('unit', `must be users or rps (got ${show(unit)})`, 'write unit: users (concurrent users, a VU ramp) or unit: rps (requests a second)');
    ok = false;
  }
  const headroom = percentage(config.headroom);
  if (headroom === null || (headroom !== undefined && !(headroom >= 0 && headroom < 100))) {
    problem('headroom', `must be a percentage from 0 up to (not including) 100 (got ${show(config.headroom)})`, 'write the share of each instance to keep spare, e.g. headroom: 30%');
    ok = false;
  }
  return ok ? { target: target as number, unit: unit as CapacityPlan['unit'], headroomPct: headroom ?? 0 } : undefined;
}
