import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DurationError, parseDuration } from '../config/duration.js';
import { IMPORT_FORMATS, type ImportFormat } from '../import/imported-line.js';
import { importRun } from '../import/import-run.js';
import type { RunIo } from '../run/run-io.js';
import { TOOL_VERSION } from '../version.js';
import { CliError, EXIT } from './cli-error.js';
import { formatRunSummary } from './run-summary.js';

export const IMPORT_HELP = `Usage: tailgate import FILE [--from k6|k6-csv|jmeter|gatling|locust|artillery] --out run.json [--profile ID] [--warmup 10s]

Turns another load tool's per-request results into a run record (tailgate.run/v1) that compare,
report, analyze and the baselines take like one of tailgate's own:

  k6 --out json=results.json   (--from k6; gzipped .gz too)
  k6 --out csv=results.csv     (--from k6-csv)
  jmeter -n -t plan.jmx -l results.jtl   (--from jmeter: the JTL in CSV, with its header line)
  Gatling's simulation.log              (--from gatling: the text log of Gatling before 3.12)
  locust --csv PREFIX --csv-full-history (--from locust: PREFIX_stats_history.csv; percentiles per
                                          window only, so the record is marked aggregate)
  artillery run --output report.json     (--from artillery: percentiles per window, aggregate too)

Each request name (k6's name tag, else its URL; JMeter's label; Gatling's request name) is a step; latencies go into
histograms per step and per 1 s block, from when each request was sent; statuses and failures
into the error counts; k6's checks are kept. The format is told from the file when --from is
left out. Malformed lines are skipped and counted; a file with no request left is refused.

  --from FORMAT   k6, k6-csv, jmeter, gatling, locust or artillery (default: detected)
  --out FILE      where to write the run record
  --warmup 10s    the first seconds from the file's first request, kept out of every
                  statistic as a run's warm-up is (default 0s)
  --profile ID    the record's profile id (default: the tool's name). Records compare only with
                  records of the same profile: give each test its own id

The record says which tool made it (meta.source), that tailgate's generator self-check did not
run (a saturated load generator of the other tool goes unseen) and that latency was timed from
each request's actual start, as these tools time it. See docs/import.md.`;

export async function importCommand(argv: string[], io: Pick<RunIo, 'stdout' | 'logger'>): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { from: { type: 'string' }, out: { type: 'string' }, profile: { type: 'string' }, warmup: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  const [file, ...extra] = positionals;
  if (file === undefined) throw new CliError('tailgate import needs the results FILE, e.g. tailgate import results.json --out run.json');
  if (extra.length > 0) throw new CliError(`tailgate import reads one file at a time (got ${positionals.length}: ${positionals.join(', ')}); import each to its own --out`);
  if (!values.out) throw new CliError('tailgate import needs --out FILE for the run record, e.g. --out run.json');
  const from = values.from;
  if (from !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(from)) {
    throw new CliError(`--from must be ${IMPORT_FORMATS.join(', ')} (got "${from}"); leave it out to let tailgate tell from the file`);
  }
  const profile = values.profile;
  if (profile !== undefined && (profile.trim() === '' || profile.length > 200)) throw new CliError('--profile must be 1 to 200 characters');
  const warmupMs = values.warmup === undefined ? 0 : warmupOf(values.warmup);
  const result = await importRun({
    file,
    open: () => createReadStream(file),
    from: from as ImportFormat | undefined,
    profileId: profile,
    warmupMs,
    tailgateVersion: TOOL_VERSION,
  });
  for (const note of result.notes) io.logger.warn(`${file}: ${note}`);
  await writeFile(values.out, `${JSON.stringify(result.record, null, 1)}\n`);
  const source = result.record.meta.source;
  io.logger.info(
    `imported ${result.record.overall.requests} requests of ${Object.keys(result.record.steps).length} steps from ${file} (${result.format}) into ${values.out}; ` +
      `${source?.tool ?? 'the tool'}'s own load generator was not checked by tailgate's self-check`,
  );
  io.stdout.write(`${formatRunSummary(result.record)}\n`);
  return EXIT.pass;
}

function warmupOf(text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    if (error instanceof DurationError) throw new CliError(`--warmup ${error.message}. Fix: ${error.fix}`);
    throw error;
  }
}
