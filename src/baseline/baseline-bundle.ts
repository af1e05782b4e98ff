import type { RunRecord } from '../record/run-record-types.js';
import { isSameRun, shortHash } from '../record/run-identity.js';
import { futureRunReason, isFutureDated } from './future-runs.js';
import { generatorAllowance } from '../record/generator-allowance.js';

/**
 * What the baseline store keeps for one profile: the last N default-branch runs, oldest first.
 * Their spread measures run-to-run noise that a single run cannot see.
 */
export const BASELINE_SCHEMA = 'tailgate.baseline/v1';

export interface BaselineBundle {
  schema: typeof BASELINE_SCHEMA;
  profile: { id: string; hash: string };
  /** In the order they were recorded, oldest first. */
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
 * generator was the bottleneck without saying by how much, or by as much as its p95, is not added:
 * it would measure the generator and take a slot. One that fell behind by a known, smaller amount
 * is kept: comparisons leave it out while enough runs kept up and allow for it otherwise
 * (`compare/baseline-selection.ts`), and on a busy machine it may be all there is.
 *
 * The history rotates in the order runs are recorded, never by the dates they claim: a run dated
 * in the future (beyond MAX_CLOCK_SKEW_MS of `now`) is not added, and one already kept is dropped,
 * so no date can keep a run in the history for ever or refuse the runs after it.
 */
export function addToBundle(bundle: BaselineBundle | undefined, run: RunRecord, historySize: number, now: Date = new Date()): BundleUpdate {
  if (!Number.isInteger(historySize) || historySize < 1) throw new RangeError(`history size must be a whole number ≥ 1 (got ${historySize})`);
  const late = run.generator.valid ? undefined : generatorAllowance(run);
  if (!run.generator.valid && (late === undefined || !(late.addedMs < run.summary.overall.p95))) {
    return { bundle, added: false, notes: ['This run was not added to the baseline: the load generator was the bottleneck.'] };
  }
  if (run.meta.aborted) {
    return { bundle, added: false, notes: [`This run was not added to the baseline: the threshold ${run.meta.aborted.metric}: ${run.meta.aborted.expression} stopped it early (abortOnFail).`] };
  }
  if (isFutureDated(run, now)) {
    return { bundle, added: false, notes: [`This run was not added to the baseline: ${futureRunReason(run, now)}.`] };
  }
  const notes: string[] = [];
  if (late !== undefined) notes.push(`This run was added to the baseline although the load generator fell behind (it could have added up to ${late.addedMs.toFixed(1)} ms to a p95): comparisons leave it out while two runs that kept up remain, and allow for it otherwise.`);
  let runs: RunRecord[] = [];
  if (bundle !== undefined && bundle.profile.hash !== run.meta.profile.hash) {
    notes.push(
      `The profile changed (hash ${shortHash(bundle.profile.hash)} -> ${shortHash(run.meta.profile.hash)}): started a new baseline history; the ${bundle.runs.length} earlier run(s) were dropped.`,
    );
  } else if (bundle !== undefined) {
    for (const future of bundle.runs.filter((existing) => isFutureDated(existing, now))) notes.push(`Dropped ${futureRunReason(future, now)} from the baseline.`);
    runs = bundle.runs.filter((existing) => !isFutureDated(existing, now));
    const before = runs.length;
    runs = runs.filter((existing) => !isSameRun(existing, run));
    if (runs.length < before) notes.push('This run was already in the baseline; it was replaced.');
  }
  runs.push(run);
  const dropped = Math.max(0, runs.length - historySize);
  if (dropped > 0) notes.push(`Dropped the ${dropped} oldest baseline run(s) to keep the last ${historySize}.`);
  return { bundle: { schema: BASELINE_SCHEMA, profile: { ...run.meta.profile }, runs: runs.slice(dropped) }, added: true, notes };
}
