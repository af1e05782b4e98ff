import type { RunRecord } from './run-record-types.js';

/**
 * Open-model iterations a run could not start (no free VU): per scenario that dropped any, its
 * count of those asked for and the rate it reached, with the fix. Empty when none were dropped.
 */
export function droppedIterationLines(record: RunRecord): string[] {
  return Object.entries(record.scenarios).flatMap(([name, scenario]) =>
    scenario.droppedIterations
      ? [`scenario ${name}: ${scenario.droppedIterations} of ${scenario.intendedIterations} iterations dropped (no free VU; raise maxVUs): ${scenario.achievedRate}/s of ${scenario.intendedRate}/s`]
      : [],
  );
}

/** The same for each arm of a paired run, each line naming its arm and target. */
export function pairedDroppedIterationLines(arms: { head: RunRecord; base: RunRecord }): string[] {
  return (['head', 'base'] as const).flatMap((arm) => droppedIterationLines(arms[arm]).map((line) => `${arm} (${arms[arm].meta.target}): ${line}`));
}
