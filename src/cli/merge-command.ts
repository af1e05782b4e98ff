import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { checkShardsOverlap, mergeRecords, MIN_SHARD_OVERLAP } from '../record/merge-records.js';
import { readRunRecordFile } from '../record/read-run-record.js';
import { CliError, EXIT } from './cli-error.js';
import type { RunIo } from '../run/run-io.js';
import { formatRunSummary } from './run-summary.js';

export const MERGE_HELP = `Usage: tailgate merge A.json B.json ... --out merged.json

Merges the run records of shards (tailgate run --shard I/N) of one profile into one record,
exactly: histograms are added bucket by bucket, counts summed block by block.
Records of different profiles are refused, and so are shards that did not run at the same time
(measured together for less than ${MIN_SHARD_OVERLAP * 100}% of the shortest one's period): their sum is a load
that never ran. Start the shards together with tailgate run --shard I/N --start-at T, the same T
for all; shards that started a block or more apart merge with a warning.`;

export async function mergeCommand(argv: string[], io: Pick<RunIo, 'stdout' | 'logger'>): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { out: { type: 'string' } }, strict: true, allowPositionals: true });
  if (positionals.length < 2) throw new CliError('tailgate merge needs two or more run records, e.g. tailgate merge shard-1.json shard-2.json --out merged.json');
  if (!values.out) throw new CliError('tailgate merge needs --out FILE for the merged record');
  const inputs = await Promise.all(positionals.map(async (file) => ({ file, record: await readRunRecordFile(file) })));
  const merged = mergeRecords(inputs);
  // After the merge's own checks (one profile), which say more when they fail.
  const apart = checkShardsOverlap(inputs);
  if (apart !== undefined) io.logger.warn(apart);
  await writeFile(values.out, `${JSON.stringify(merged, null, 1)}\n`);
  io.logger.info(`merged ${inputs.length} records into ${values.out}`);
  io.stdout.write(`${formatRunSummary(merged)}\n`);
  return EXIT.pass;
}
