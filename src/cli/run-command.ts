import { analyzeRun } from '../analyze/analyze-run.js';
import { answersAnything } from '../analyze/comparison-analysis.js';
import { analysisLines } from '../report/analysis-report.js';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { evaluateThresholds } from '../threshold/thresholds.js';
import { loadProfile } from '../config/load-profile.js';
import type { Profile } from '../config/profile-types.js';
import { withoutCredentials } from '../config/shown-values.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { lateStartWarning, MAX_START_WAIT_MS, parseShard, parseStartAt, waitForStart } from '../plan/shard.js';
import { adhocProfile, ADHOC_DEFAULT_DURATION } from './adhoc-profile.js';
import { CliError, EXIT } from './cli-error.js';
import { formatRunSummary } from './run-summary.js';
import { renderHtmlReport } from '../report/html/render-html-report.js';
import { formatThresholds } from './comparison-table.js';
import { outputColumns, wrapLine } from './terminal-width.js';
import { executeProfile } from '../run/execute-profile.js';
import type { RunIo } from '../run/run-io.js';
import { pairedRun } from './paired-run.js';
import { parseSeed } from './seed-flag.js';

export const RUN_HELP = `Usage: tailgate run --config FILE [--target URL] [--out FILE] [--html FILE] [--shard I/N [--start-at T]]
       tailgate run --config FILE --target HEAD_URL --baseline-target BASE_URL [--out paired.json]
                    [--json comparison.json] [--markdown comment.md] [--html FILE] [--threshold PCT] [--alpha A]
                    [--fixed] [--max-duration D]
       tailgate run URL [--vus N | --rate R] [--duration D] [--out FILE]

Runs the load profile in FILE against the target and prints a summary per step. With a URL
instead of --config, runs one GET of URL, no file needed (as k6 run --vus 10 --duration 30s).

  --config FILE   the profile (YAML); see schema/tailgate.schema.json
  --target URL    where the load goes; overrides the file's target
  --out FILE      write the run record (tailgate.run/v1 JSON) here
  --html FILE     write the HTML report of this run alone (charts; no baseline)
  --shard I/N     run shard I of N: 1/N of the load, for merging later (tailgate merge refuses
                  shards that did not run at the same time)
  --start-at T    with --shard: wait until T, then start, T the same for every shard: an ISO time
                  with its zone (2026-12-02T12:00:00Z) or Unix seconds ($(( $(date +%s) + 60 ))),
                  at most ${MAX_START_WAIT_MS / 60_000} min ahead; a shard already past T starts at once, with a warning
  --seed N        the seed of the run's random choices (journeys, think times, random data rows,
                  randomIntBetween, uuidv4; in paired mode the random pair order too): the same
                  seed repeats them. Default: the profile's seed, else a fresh one (printed, recorded)
  --quiet         no live progress
  --vus N         ad-hoc run: N VUs, each sending the GET again as soon as it is answered (default 1)
  --rate R        ad-hoc run: R GETs started per second, however slow the answers (open model)
  --duration D    ad-hoc run: how long, e.g. 30s or 2m (default ${ADHOC_DEFAULT_DURATION})

Paired mode (--baseline-target URL): the profile runs once against both targets in alternating
blocks (ABBA; a settle after each switch loaded but not measured) and judges the target (head)
against the baseline target (base); exit codes as tailgate compare (0 pass, 1 regression or a
broken threshold, 2 could not run). --out writes the paired record (tailgate.paired/v1).
The profile's duration is the most it takes: after each ABBA group from 6 block pairs it judges
the pairs so far (alpha spent across looks) and stops once the verdict is decided: a regression
beyond doubt, or twice the allowance ruled out.
  --baseline-target URL  the base: production, or the base commit's server
  --json FILE / --markdown FILE / --threshold PCT / --alpha A   as tailgate compare
  --html FILE     the HTML report of head against base (with the blocks in the order they ran)
  --pair-block D  one block, settle included (default 1.5s, 0.75s for runs measuring under 20s)
  --pair-settle D the part after a switch of target loaded but not measured (default 0.5s, 0.25s under 20s)
  --pair-order O  abba (default) or random (pairs in a random order from --seed N)
  --fixed         run the profile's whole duration, judged once at the end, instead of stopping
                  once decided
  --max-duration D the most the run may take, when shorter than the profile (e.g. 45s): every
                  scenario ends by then, a ramp where it stands

Progress goes to stderr: a bar on a terminal, a line every 5 s otherwise.
Ctrl-C stops the load, keeps what was measured and still writes the record.
Thresholds (absolute SLOs) in the profile are checked after the run.
Exit codes: 0 done, 1 a threshold was broken, 2 could not run (or interrupted).`;

export async function runCommand(argv: string[], io: RunIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      target: { type: 'string' },
      out: { type: 'string' },
      html: { type: 'string' },
      shard: { type: 'string' },
      'start-at': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      vus: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      'baseline-target': { type: 'string' },
      json: { type: 'string' },
      markdown: { type: 'string' },
      threshold: { type: 'string' },
      alpha: { type: 'string' },
      'pair-block': { type: 'string' },
      'pair-settle': { type: 'string' },
      'pair-order': { type: 'string' },
      seed: { type: 'string' },
      fixed: { type: 'boolean' },
      'max-duration': { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const profile = await profileToRun(positionals, values, io.env);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (shard instanceof Error) throw new CliError(`--shard: ${shard.message}`);
  const startAt = values['start-at'] === undefined ? undefined : parseStartAt(values['start-at']);
  if (startAt instanceof Error) throw new CliError(`--start-at ${startAt.message}`);
  if (startAt && !shard) throw new CliError('--start-at goes with --shard I/N: it starts the shards of one load together; add --shard, or drop --start-at');
  const seed = values.seed === undefined ? undefined : parseSeed(values.seed);
  const pairedOnly = (['json', 'markdown', 'threshold', 'alpha', 'pair-block', 'pair-settle', 'pair-order', 'fixed', 'max-duration'] as const).filter((flag) => values[flag] !== undefined);
  if (values['baseline-target'] !== undefined) {
    if (shard) throw new CliError('--shard and --baseline-target do not go together: a paired run loads both targets from one generator');
    return pairedRun(profile, { ...values, 'baseline-target': values['baseline-target'] }, io, values.quiet);
  }
  if (pairedOnly.length > 0) throw new CliError(`--${pairedOnly[0]} is for a paired run (with --baseline-target URL); judge a single run with tailgate compare`);
  if (startAt) await startTogether(startAt, io);
  const record = await executeProfile(profile, io, { ...(shard ? { shard } : {}), ...(seed !== undefined ? { seed } : {}), quiet: values.quiet });
  if (values.out) {
    await writeFile(values.out, `${JSON.stringify(record, null, 1)}\n`);
    io.logger.info(`run record written to ${values.out}`);
  }
  io.stdout.write(`${formatRunSummary(record)}\n`);
  const thresholds = evaluateThresholds(record, profile.thresholds);
  // A shard carries part of the load: its levels are not the target's.
  const analysis = shard ? undefined : analyzeRun(record, { thresholds: profile.thresholds, ...(profile.capacity ? { plan: profile.capacity } : {}) });
  const answered = analysis && answersAnything(analysis) ? analysis : undefined;
  if (values.html) {
    await writeFile(values.html, renderHtmlReport({ current: record, thresholds, analysis: answered }));
    io.logger.info(`HTML report written to ${values.html}`);
  }
  if (record.meta.interrupted) return EXIT.couldNotRun;
  if (thresholds.length > 0) io.stdout.write(`\n${formatThresholds(thresholds, outputColumns(io))}\n`);
  if (answered) io.stdout.write(`\n${analysisLines(answered).flatMap((line) => wrapLine(line, outputColumns(io))).join('\n')}\n`);
  return thresholds.some((t) => t.status === 'broken') ? EXIT.failed : EXIT.pass;
}

/** The profile of `--config FILE`, or of an ad-hoc run of a URL; conflicting flags name the fix. */
async function profileToRun(
  positionals: string[],
  values: { config?: string; target?: string; vus?: string; rate?: string; duration?: string },
  env: RunIo['env'],
): Promise<Profile> {
  const [url, ...extra] = positionals;
  if (url === undefined) {
    if (!values.config) {
      throw new CliError('tailgate run needs --config FILE (the load profile, e.g. tailgate.yml), or a URL for an ad-hoc run: tailgate run http://127.0.0.1:3000/ --vus 10 --duration 30s');
    }
    for (const flag of ['vus', 'rate', 'duration'] as const) {
      if (values[flag] !== undefined) {
        throw new CliError(`--${flag} is for an ad-hoc run (tailgate run URL --${flag} ...); with --config the profile's scenarios set the load: change them in ${values.config}, or drop --${flag}`);
      }
    }
    return loadProfile(values.config, { env, ...(values.target ? { target: values.target } : {}) });
  }
  if (extra.length > 0) throw new CliError(`tailgate run takes one URL, got ${positionals.length} (${positionals.map(withoutCredentials).join(' ')}); for several requests write a profile (tailgate init) and pass --config`);
  if (values.config) throw new CliError(`give either a URL (an ad-hoc run) or --config ${values.config}, not both: drop "${withoutCredentials(url)}", or drop --config`);
  if (values.target) throw new CliError('--target goes with --config; in an ad-hoc run the URL is the target: drop --target');
  return adhocProfile(url, values, env);
}

/** Waits for the start the shards share (--start-at); a start too far ahead is refused before any load. */
async function startTogether(at: Date, io: RunIo): Promise<void> {
  const wait = await waitForStart(at, { now: () => new Date(), sleep: (ms) => sleep(ms) }, MAX_START_WAIT_MS, (ms) => io.logger.info(`waiting ${Math.round(ms / 100) / 10} s for --start-at ${at.toISOString()}`));
  if (wait instanceof Error) throw new CliError(`--start-at ${wait.message}`);
  const late = lateStartWarning(at, wait, '--start-at');
  if (late !== undefined) io.logger.warn(late);
}
