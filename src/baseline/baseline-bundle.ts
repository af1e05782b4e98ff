import type { RunRecord } from '../record/run-record-types.js';
import { isSameRun, shortHash } from '../record/run-identity.js';

/**
 * What the baseline store keeps for one profile: the last N default-branch runs, oldest first.
 * Their spread measures run-to-run noise that a single run cannot see.
 */
export const BASELINE_SCHEMA = 'tailgate.baseline/v1';

export interface BaselineBundle {
  schema: typeof BASELINE_SCHEMA;
  profile: { id: string; hash: string };
  /** Oldest first. */
  runs: RunRecord[];
}

export interface BundleUpdate {
  /** The bundle to save; unchanged (possibly undefined) when the run was not added. */
  bundle: BaselineBundle | undefined;
  added: boolean;
  /** Plain sentences about what happened, for the log and the report. */
  notes: string[];
}

/**
 * Adds a run to the rolling history, keeping the newest `historySize`. A run of a different
 * profile (hash) starts a new history: mixing them would compare different loads. A run whose
 * generator was the bottleneck is not added: it would measure the generator and take a slot.
 */
export function addToBundle(bundle: BaselineBundle | undefined, run: RunRecord, historySize: number): BundleUpdate {
  if (!Number.isInteger(historySize) || historySize < 1) throw new RangeError(`history size must be a whole number ≥ 1 (got ${historySize})`);
  if (!run.generator.valid) {
    return { bundle, added: false, notes: ['This run was not added to the baseline: the load generator was the bottleneck.'] };
  }
  if (run.meta.aborted) {
    return { bundle, added: false, notes: [`This run was not added to the baseline: the threshold ${run.meta.aborted.metric}: ${run.meta.aborted.expression} stopped it early (abortOnFail).`] };
  }
  const notes: string[] = [];
  let runs: RunRecord[] = [];
  if (bundle !== undefined && bundle.profile.hash !== run.meta.profile.hash) {
    notes.push(
      `The profile changed (hash ${shortHash(bundle.profile.hash)} -> ${shortHash(run.meta.profile.hash)}): started a new baseline history; the ${bundle.runs.length} earlier run(s) were dropped.`,
    );
  } else if (bundle !== undefined) {
    runs = bundle.runs.filter((existing) => !isSameRun(existing, run));
    if (runs.length < bundle.runs.length) notes.push('This run was already in the baseline; it was replaced.');
  }
  runs.push(run);
  // Saves can land out of order (a slow job finishing after a newer one); keep time order.
  runs.sort((a, b) => Date.parse(a.meta.startedAt) - Date.parse(b.meta.startedAt));
  const dropped = Math.max(0, runs.length - historySize);
  const kept = runs.slice(dropped);
  if (!kept.includes(run)) {
    return { bundle, added: false, notes: [`This run was not added to the baseline: it is older than the ${historySize} run(s) already kept.`] };
  }
  if (dropped > 0 && notes.length === 0) notes.push(`Dropped the ${dropped} oldest baseline run(s) to keep the last ${historySize}.`);
  return { bundle: { schema: BASELINE_SCHEMA, profile: { ...run.meta.profile }, runs: kept }, added: true, notes };
}
