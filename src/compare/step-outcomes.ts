import type { StepOutcomes } from './comparison-types.js';
import type { StepMeasurement } from './step-measurement.js';

/**
 * How a step's requests ended in one or more runs, added up: responses by status code and errors
 * by kind, keyed in order (codes ascending, kinds by name) so the same runs give the same object.
 */
export function stepOutcomes(runs: readonly StepMeasurement[]): StepOutcomes {
  const add = (maps: ReadonlyArray<Readonly<Partial<Record<string, number>>>>): Record<string, number> => {
    const sums = new Map<string, number>();
    for (const map of maps) for (const [key, n] of Object.entries(map)) if (n !== undefined && n > 0) sums.set(key, (sums.get(key) ?? 0) + n);
    return Object.fromEntries([...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  };
  return {
    runs: runs.length,
    requests: runs.reduce((sum, m) => sum + m.requests, 0),
    errors: runs.reduce((sum, m) => sum + m.errors, 0),
    statuses: add(runs.map((m) => m.statuses)),
    errorKinds: add(runs.map((m) => m.errorKinds)),
  };
}
