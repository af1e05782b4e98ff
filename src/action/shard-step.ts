import type { Profile } from '../config/profile-types.js';
import { profileHash } from '../plan/profile-hash.js';
import { lateStartWarning, waitForStart, type Shard } from '../plan/shard.js';
import { checkShardSet, checkShardsOverlap, mergeRecords } from '../record/merge-records.js';
import { RecordError } from '../record/record-error.js';
import type { RunRecord } from '../record/run-record-types.js';
import type { ActionIo } from './action-io.js';
import { InputError } from './input-error.js';
import { downloadShardRecords, uploadShardRecord } from './shard-artifacts.js';
import { stepOutputs } from './step-outputs.js';

/**
 * A shard job measures its share and leaves the record for the `mode: merge` job; it neither
 * compares nor reports, since one share says nothing about the whole.
 */
export async function shardStep(record: RunRecord, shard: Shard, recordFile: string, io: ActionIo): Promise<void> {
  const name = await uploadShardRecord(io.artifacts, record.meta.profile.id, shard, recordFile);
  io.logger.info(`shard ${shard.index}/${shard.count}: ${record.summary.overall.requests} requests, uploaded as artifact ${name} for the mode: merge job`);
  io.setOutputs({ ...stepOutputs(record, undefined, 'shard'), report: '' });
}

/**
 * A shard job waits for the start every shard of the load shares (`shard-start`), so that their
 * shares run at the same time; one already late starts at once, with a warning.
 */
export async function waitForShardStart(at: Date, io: Pick<ActionIo, 'now' | 'sleep' | 'logger'>): Promise<void> {
  const wait = await waitForStart(at, io, undefined, (ms) => io.logger.info(`waiting ${Math.round(ms / 100) / 10} s for shard-start ${at.toISOString()}`));
  if (wait instanceof Error) throw new InputError('shard-start', wait.message);
  const late = lateStartWarning(at, wait, 'shard-start');
  if (late !== undefined) io.logger.warn(late);
}

/**
 * `mode: merge`: the shard records this workflow run's matrix jobs uploaded, checked to be one
 * whole split run of this very profile, and merged exactly into the record that is then judged.
 */
export async function mergeShards(profile: Profile, workDir: string, io: ActionIo): Promise<RunRecord> {
  const shards = await downloadShardRecords(io.artifacts, profile.id, workDir);
  checkShardSet(shards, `the shard artifacts of profile ${profile.id} in this workflow run`);
  const hash = profileHash(profile);
  for (const { file, record } of shards) {
    if (record.meta.profile.hash !== hash) {
      throw new RecordError(file, `ran profile ${record.meta.profile.id} with hash ${record.meta.profile.hash}, but ${profile.id} here has hash ${hash}`, 'give the shard jobs and the merge job the same config file');
    }
  }
  const record = mergeRecords(shards);
  const apart = checkShardsOverlap(shards);
  if (apart !== undefined) io.logger.warn(apart);
  io.logger.info(`merged ${shards.length} shards of ${profile.id}: ${record.summary.overall.requests} requests`);
  for (const reason of record.generator.reasons) io.logger.warn(`this run is invalid: ${reason}`);
  return record;
}
