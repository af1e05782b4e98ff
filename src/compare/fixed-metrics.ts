import type { RunRecord } from '../record/run-record-types.js';
import type { GeneratorAllowance } from '../record/generator-allowance.js';
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

/** What a run's own state says about its comparison: a saturated generator (a run that is not whole says so in `whole-run.ts`). */
export function runStateNotes(current: RunRecord, allowance: GeneratorAllowance | undefined): string[] {
  const notes: string[] = [];
  if (!current.generator.valid) {
    const why = current.generator.reasons.length > 0 ? ` (${current.generator.reasons.join('; ')})` : '';
    if (allowance === undefined) {
      notes.push(`The load generator was the bottleneck in this run${why}: its numbers describe the generator, not the target, and the record does not say how far, so nothing can be concluded.`);
    } else {
      const throughput = allowance.throughputPct > 0 ? ` and cost up to ${allowance.throughputPct.toFixed(1)}% of its throughput` : '';
      notes.push(
        `The load generator fell behind in this run${why}: it could have added up to ${allowance.addedMs.toFixed(1)} ms to a p95${throughput}. That is allowed for: each interval's better end moves by it, so a change beyond it is still a regression, and a run within the allowance even so still passes.`,
      );
    }
  }
  return notes;
}
