import type { RunRecord } from '../record/run-record-types.js';
import type { RunRef } from './comparison-types.js';

export { isSameRun, shortHash } from '../record/run-identity.js';

/** Enough of a run's meta to name it in a report. */
export function runRef(run: RunRecord): RunRef {
  const { commit, ref, runId, startedAt } = run.meta;
  return { ...(commit !== undefined ? { commit } : {}), ...(ref !== undefined ? { ref } : {}), ...(runId !== undefined ? { runId } : {}), startedAt };
}
