import { DefaultArtifactClient } from '@actions/artifact';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Shard } from '../plan/shard.js';
import type { NamedRecord } from '../record/merge-records.js';
import { parseRunRecord } from '../record/read-run-record.js';
import type { RunRecord } from '../record/run-record-types.js';

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

/** Uploads this job's shard record; returns the artifact's name. */
export async function uploadShardRecord(record: RunRecord, shard: Shard, workDir: string): Promise<string> {
  const dir = join(workDir, 'shard');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'run.json');
  await writeFile(file, `${JSON.stringify(record)}\n`);
  const name = shardArtifactName(record.meta.profile.id, shard);
  await new DefaultArtifactClient().uploadArtifact(name, [file], dir, { retentionDays: RETENTION_DAYS });
  return name;
}

/** Downloads the shard records this workflow run's jobs uploaded for a profile (latest attempt of each). */
export async function downloadShardRecords(profileId: string, workDir: string): Promise<NamedRecord[]> {
  const client = new DefaultArtifactClient();
  const { artifacts } = await client.listArtifacts({ latest: true });
  const prefix = `${SHARD_ARTIFACT_PREFIX}${profileId}-`;
  const records: NamedRecord[] = [];
  for (const artifact of artifacts.filter((a) => a.name.startsWith(prefix) && /^\d+-of-\d+$/.test(a.name.slice(prefix.length)))) {
    const path = join(workDir, 'shards', String(artifact.id));
    await mkdir(path, { recursive: true });
    await client.downloadArtifact(artifact.id, { path });
    for (const file of await readdir(path)) {
      const source = `artifact ${artifact.name}`;
      if (file.endsWith('.json')) records.push({ file: source, record: parseRunRecord(await readFile(join(path, file), 'utf8'), source) });
    }
  }
  return records;
}
