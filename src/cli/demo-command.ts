import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_PROFILE_YAML, demoProfile } from '../demo/demo-profile.js';
import { startSampleService } from '../sample-service/sample-service.js';
import { addToBundle, type BaselineBundle } from '../baseline/baseline-bundle.js';
import { compareRuns } from '../compare/compare-runs.js';
import type { RunRecord } from '../record/run-record-types.js';
import { renderReport } from '../report/render-report.js';
import { CliError, EXIT } from './cli-error.js';
import { withFoldsClosed } from './closed-folds.js';
import { formatComparisonTable } from './comparison-table.js';
import { outputColumns, wrapLine } from './terminal-width.js';
import { executeProfile } from '../run/execute-profile.js';
import type { RunIo } from '../run/run-io.js';
import { formatRunSummary } from './run-summary.js';

/** Baseline runs the demo records before the slowed one. */
const BASELINE_RUNS = 3;

export const DEMO_HELP = `Usage: tailgate demo [--duration 12s] [--slowdown 0.5] [--out-dir DIR] [--print-profile]

Starts the bundled sample service on 127.0.0.1, runs the embedded demo profile against it
three times as the baseline (as three pushes to the default branch would), then again with
product detail made slower, prints the newest baseline run and the slowed one, the comparison,
and the pull-request comment tailgate would post, its folds closed (the whole comment, with
the per-step tables and the charts, goes to comment.md). About a minute with the defaults.
Needs no network beyond loopback.

  --duration D     length of each run (default 12s, the first 2s of it warm-up)
  --slowdown F     how much slower product detail gets in the second run (default 0.5 = 50%)
  --out-dir DIR    write comment.md there, and baseline.json (the baseline runs), current.json and
                   comparison.json (default: comment.md alone, in a new temporary directory)
  --print-profile  print the demo profile (YAML) and exit`;

export async function demoCommand(argv: string[], io: RunIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '12s' },
      slowdown: { type: 'string', default: '0.5' },
      'out-dir': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      'print-profile': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values['print-profile']) {
    io.stdout.write(DEMO_PROFILE_YAML);
    return EXIT.pass;
  }
  const slowdown = Number(values.slowdown);
  if (!Number.isFinite(slowdown) || slowdown < 0 || slowdown > 10) throw new CliError(`--slowdown must be a number from 0 to 10, e.g. 0.5 for 50% slower (got "${values.slowdown}")`);
  const service = await startSampleService();
  try {
    const profile = demoProfile(service.url, values.duration, io.env);
    io.logger.info(`sample service on ${service.url}`);
    // Three baseline runs, as three pushes to the default branch would leave: with one, nothing
    // measures the run-to-run noise and only very large changes can be told from it.
    const baselines: RunRecord[] = [];
    for (let i = 1; i <= BASELINE_RUNS; i++) {
      io.logger.info(`${i}/${BASELINE_RUNS + 1} baseline: the service as it is`);
      baselines.push(await executeProfile(profile, io, { quiet: values.quiet }));
    }
    const baseline = baselines[baselines.length - 1] as RunRecord;
    io.stdout.write(`\n== baseline (the newest of ${BASELINE_RUNS} runs) ==\n${formatRunSummary(baseline)}\n`);
    service.injectRegression(slowdown);
    io.logger.info(`${BASELINE_RUNS + 1}/${BASELINE_RUNS + 1} current: product detail made ${(slowdown * 100).toFixed(0)}% slower`);
    const current = await executeProfile(profile, io, { quiet: values.quiet });
    io.stdout.write(`\n== current (detail ${(slowdown * 100).toFixed(0)}% slower) ==\n${formatRunSummary(current)}\n`);
    const comparison = compareRuns({ baselines, current, options: profile.regression, thresholds: profile.thresholds });
    const columns = outputColumns(io);
    io.stdout.write(`\n== the comparison ==\n${formatComparisonTable(comparison, columns)}\n`);
    const comment = renderReport(comparison, { now: new Date(), records: { current, baselines } });
    const dir = values['out-dir'] ?? (await mkdtemp(join(tmpdir(), 'tailgate-demo-')));
    await mkdir(dir, { recursive: true });
    const commentFile = join(dir, 'comment.md');
    await writeFile(commentFile, `${comment}\n`);
    io.stdout.write(`\n== the pull-request comment it would post (markdown) ==\n\n${withFoldsClosed(comment)}\n\n`);
    io.stdout.write(`${wrapLine(`Folds closed here; the whole comment, with its per-step tables and charts, is in ${commentFile}`, columns).join('\n')}\n`);
    if (values['out-dir']) {
      // As the Action stores them: a run whose generator was the bottleneck, by as much as its p95 or by an amount it cannot say, is not a baseline.
      const bundle = baselines.reduce<BaselineBundle | undefined>((sofar, run) => addToBundle(sofar, run, BASELINE_RUNS).bundle, undefined);
      if (bundle) await writeFile(join(values['out-dir'], 'baseline.json'), `${JSON.stringify(bundle, null, 1)}\n`);
      await writeFile(join(values['out-dir'], 'current.json'), `${JSON.stringify(current, null, 1)}\n`);
      await writeFile(join(values['out-dir'], 'comparison.json'), `${JSON.stringify(comparison, null, 1)}\n`);
      const kept = bundle?.runs.length ?? 0;
      io.logger.info(`written to ${values['out-dir']}: comment.md, ${kept > 0 ? 'baseline.json, ' : ''}current.json, comparison.json`);
      if (kept > 0 && kept < BASELINE_RUNS) io.logger.warn(`baseline.json holds ${kept} of the ${BASELINE_RUNS} baseline runs: in the others the load generator was the bottleneck`);
      if (kept === 0) io.logger.warn('baseline.json was not written: in every baseline run the load generator was the bottleneck (run the demo on a quieter machine)');
    }
    return baselines.some((run) => run.meta.interrupted) || current.meta.interrupted ? EXIT.couldNotRun : EXIT.pass;
  } finally {
    await service.close();
  }
}
