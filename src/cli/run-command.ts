import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { compareOptionsFromProfile } from '../compare/regression-config.js';
import { checkThresholds, evaluateThresholds } from '../compare/thresholds.js';
import { loadProfile } from '../config/load-profile.js';
import { parseShard } from '../plan/shard.js';
import { CliError, EXIT } from './cli-error.js';
import { formatRunSummary } from './run-summary.js';
import { formatThresholds } from './comparison-table.js';
import { executeProfile, type RunIo } from '../run/execute-profile.js';

export type { RunIo };

export const RUN_HELP = `Usage: tailgate run --config FILE [--target URL] [--out FILE] [--shard I/N]

Runs the load profile in FILE against the target and prints a summary per step.

  --config FILE   the profile (YAML); see schema/tailgate.schema.json
  --target URL    where the load goes; overrides the file's target
  --out FILE      write the run record (tailgate.run/v1 JSON) here
  --shard I/N     run shard I of N: 1/N of the load, for merging later
  --quiet         no live progress

Progress goes to stderr: a bar on a terminal, a line every 5 s otherwise.
Ctrl-C stops the load, keeps what was measured and still writes the record.
Thresholds (absolute SLOs) in the profile are checked after the run.
Exit codes: 0 done, 1 a threshold was broken, 2 could not run (or interrupted).`;

export async function runCommand(argv: string[], io: RunIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      target: { type: 'string' },
      out: { type: 'string' },
      shard: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.config) throw new CliError('tailgate run needs --config FILE (the load profile, e.g. tailgate.yml)');
  const profile = await loadProfile(values.config, { env: io.env, ...(values.target ? { target: values.target } : {}) });
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (shard instanceof Error) throw new CliError(`--shard: ${shard.message}`);
  // Settings read only after the run are checked now, so a typo cannot waste a long run.
  checkThresholds(profile.thresholds);
  compareOptionsFromProfile(profile);
  const record = await executeProfile(profile, io, { ...(shard ? { shard } : {}), quiet: values.quiet });
  if (values.out) {
    await writeFile(values.out, `${JSON.stringify(record, null, 1)}\n`);
    io.logger.info(`run record written to ${values.out}`);
  }
  io.stdout.write(`${formatRunSummary(record)}\n`);
  if (record.meta.interrupted) return EXIT.couldNotRun;
  const thresholds = evaluateThresholds(record, profile.thresholds);
  if (thresholds.length > 0) io.stdout.write(`\n${formatThresholds(thresholds)}\n`);
  return thresholds.some((t) => t.status === 'broken') ? EXIT.failed : EXIT.pass;
}

