import { addCounts, decodeCounts, type LatencyCounts } from './latency-counts.js';
import { REQUEST_PHASES, type RequestPhase } from './request-phases.js';
import type { RunRecord, StepTotals } from './run-record-types.js';

/** One step's request phases over every scenario that ran it (or the run's, for all steps). */
export interface StepPhases {
  /** null: every step together. */
  step: string | null;
  phases: Record<RequestPhase, LatencyCounts>;
}

/**
 * Each step's request phases, its scenarios' added, then all steps' (named `null`); empty for a
 * record older than the phases. The record keeps them per scenario only.
 */
export function stepPhases(record: RunRecord): StepPhases[] {
  const results = Object.values(record.scenarios).flatMap((s) => (s.results ? [s.results] : []));
  if (results.length === 0 || !results.every((r) => REQUEST_PHASES.every((phase) => r.overall[phase] !== undefined))) return [];
  const steps = [...new Set(results.flatMap((r) => Object.keys(r.steps)))];
  const of = (pick: (r: (typeof results)[number]) => StepTotals | undefined): Record<RequestPhase, LatencyCounts> => {
    const totals = results.map(pick).filter((t): t is StepTotals => t !== undefined);
    return Object.fromEntries(REQUEST_PHASES.map((phase) => [phase, addCounts(totals.map((t) => decodeCounts(t[phase] as string)))])) as Record<RequestPhase, LatencyCounts>;
  };
  return [...steps.map((step) => ({ step, phases: of((r) => (Object.hasOwn(r.steps, step) ? r.steps[step] : undefined)) })), { step: null, phases: of((r) => r.overall) }];
}
