import type { RunRecord } from './run-record-types.js';

/** The same record, saved twice (a re-run job, a baseline that already holds this run). */
export function isSameRun(a: RunRecord, b: RunRecord): boolean {
  return a.meta.startedAt === b.meta.startedAt && a.meta.runId === b.meta.runId && a.meta.commit === b.meta.commit;
}

/** Profile hashes are long; a prefix is enough to tell two apart in a sentence. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}
