import type { RunRecord } from '../record/run-record-types.js';
import type { RunRef } from './comparison-types.js';

/** Enough of a run's meta to name it in a report. */
export function runRef(run: RunRecord): RunRef {
  const { commit, ref, runId, startedAt } = run.meta;
  return { ...(commit !== undefined ? { commit } : {}), ...(ref !== undefined ? { ref } : {}), ...(runId !== undefined ? { runId } : {}), startedAt };
}

/** The same record, saved twice (a re-run job, a baseline that already holds this run). */
export function isSameRun(a: RunRecord, b: RunRecord): boolean {
  return a.meta.startedAt === b.meta.startedAt && a.meta.runId === b.meta.runId && a.meta.commit === b.meta.commit;
}

/** Profile hashes are long; a prefix is enough to tell two apart in a sentence. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}
