import type { RunRecord, RunSource } from './run-record-types.js';

/**
 * The `meta.source` of records merged into one (imports of one tool and profile, each file a
 * share of the load): the coarsest fidelity and time resolution of them, the malformed lines of
 * all, the version where every file named the same. Absent when no record was imported; records
 * of tailgate and of another tool never merge (their profile hashes differ).
 */
export function mergedSource(records: readonly RunRecord[]): { source?: RunSource } {
  const sources = records.map((r) => r.meta.source).filter((s): s is RunSource => s !== undefined);
  const first = sources[0];
  if (first === undefined) return {};
  const { version, ...rest } = first;
  const oneVersion = version !== undefined && sources.every((s) => s.version === version);
  return {
    source: {
      ...rest,
      ...(oneVersion ? { version } : {}),
      fidelity: sources.some((s) => s.fidelity === 'aggregate') ? 'aggregate' : 'per-request',
      timeResolutionMs: Math.max(...sources.map((s) => s.timeResolutionMs)),
      malformedLines: sources.reduce((sum, s) => sum + s.malformedLines, 0),
    },
  };
}
