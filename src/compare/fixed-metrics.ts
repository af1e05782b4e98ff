import type { RunRecord } from '../record/run-record-types.js';
import type { Fixed } from './step-analysis.js';

/**
 * Metrics the profile fixes, so they are not questions: throughput under arrival-rate executors
 * is what the profile asks for, unless some run dropped iterations or fell short of the rate.
 */
export function fixedMetrics(runs: readonly RunRecord[]): Fixed {
  const scenarios = runs.flatMap((run) => Object.values(run.scenarios));
  const rateHeld = scenarios.length > 0 && scenarios.every((s) => s.model === 'open' && (s.droppedIterations ?? 0) === 0 && !(s.intendedRate !== undefined && s.achievedRate !== undefined && s.achievedRate < 0.99 * s.intendedRate));
  return rateHeld ? { throughput: 'set by the arrival rate: no run dropped iterations or fell short of it' } : {};
}

/** What a run's own state says about its comparison: a saturated generator, an interrupted run. */
export function runStateNotes(current: RunRecord): string[] {
  const notes: string[] = [];
  if (!current.generator.valid) {
    const why = current.generator.reasons.length > 0 ? ` (${current.generator.reasons.join('; ')})` : '';
    notes.push(`The load generator was the bottleneck in this run${why}: its numbers describe the generator, not the target, so nothing can be concluded.`);
  }
  if (current.meta.interrupted) notes.push('This run was interrupted; what it measured until then was compared.');
  return notes;
}
