import type { Shard } from '../plan/shard.js';
import type { NamedRecord } from '../record/merge-records.js';
import { parseRunRecord } from '../record/read-run-record.js';
import type { RunArtifacts } from './run-artifacts.js';

/**
 * Matrix jobs with `shard: i/n` each upload their run record as an artifact of the workflow run;
 * the `mode: merge` job after them downloads the records of its profile and merges them.
 * They live a day: the merge job runs minutes later, in the same workflow run.
 */
const SHARD_ARTIFACT_PREFIX = 'tailgate-shard-';
const RETENTION_DAYS = 1;

export function shardArtifactName(profileId: string, shard: Shard): string {
  return `${SHARD_ARTIFACT_PREFIX}${profileId}-${shard.index}-of-${shard.count}`;
}

/** Uploads this job's shard record, already written to `recordFile`; returns the artifact's name. */
export async function uploadShardRecord(artifacts: RunArtifacts, profileId: string, shard: Shard, recordFile: string): Promise<string> {
  const name = shardArtifactName(profileId, shard);
  await artifacts.uploadFile(name, recordFile, RETENTION_DAYS);
  return name;
}

/** Downloads the shard records this workflow run's jobs uploaded for a profile (latest attempt of each). */
export async function downloadShardRecords(artifacts: RunArtifacts, profileId: string, workDir: string): Promise<NamedRecord[]> {
  const prefix = `${SHARD_ARTIFACT_PREFIX}${profileId}-`;
  const ofProfile = (name: string): boolean => name.startsWith(prefix) && /^\d+-of-\d+$/.test(name.slice(prefix.length));
  const files = await artifacts.downloadJson(ofProfile, workDir, { latest: true });
  return files.map(({ artifact, text }) => ({ file: `artifact ${artifact}`, record: parseRunRecord(text, `artifact ${artifact}`) }));
}
