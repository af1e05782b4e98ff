import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { comparePaired } from '../compare/compare-paired.js';
import { compareWithAnalysis } from '../analyze/comparison-analysis.js';
import { profilePlannedMs } from '../compare/whole-run.js';
import { isPairedData, readPairedRecordFile } from '../record/read-paired-record.js';
import { failOnWarning } from '../compare/gate-rule.js';
import { parseBaselineFile } from '../baseline/read-baseline-file.js';
import { loadProfile } from '../config/load-profile.js';
import { RecordError } from '../record/record-error.js';
import type { RunRecord } from '../record/run-record-types.js';
import { pairedReportInput } from '../report/html/paired-report-input.js';
import { renderHtmlReport } from '../report/html/render-html-report.js';
import { CliError } from './cli-error.js';
import { flagOptions } from './compare-flags.js';
import { writeOutputs } from './comparison-outputs.js';
import { exitCode } from './gate-exit-code.js';
import { readRunRecordFile } from '../record/read-run-record.js';
import type { RunIo } from '../run/run-io.js';
import { formatComparisonTable } from './comparison-table.js';
import { outputColumns } from './terminal-width.js';

export const COMPARE_HELP = `Usage: tailgate compare --baseline B.json [B2.json ...] --current C.json [options]
       tailgate compare --current paired.json [options]

Compares a run with its baseline: one or more run records of the default branch, or a baseline
bundle (tailgate.baseline/v1) holding the last N. Per step and overall, p95, throughput and error
rate get a change, a confidence interval and a verdict: pass, regression, improvement,
inconclusive or no-baseline.

  --baseline FILE...  baseline run records or a bundle (more files may follow)
  --current FILE      the run to judge; a paired record (tailgate run --baseline-target) is
                      judged head against base with no --baseline
  --config FILE       the profile: its thresholds are checked and its regression settings used
  --threshold PCT     allowed p95 increase and throughput decrease, percent (default 10)
  --alpha A           chance of failing when nothing changed (default 0.05)
  --fail-on WHAT      regression (default), inconclusive (fail on those too: most unchanged
                      runs are inconclusive, so this fails most of them; it warns) or never
  --json FILE         write the comparison (tailgate.comparison/v1)
  --markdown FILE     write the report (the PR comment's body)
  --html FILE         write the HTML report: one self-contained page with the charts

Only whole runs are judged: a run interrupted (Ctrl-C), stopped by an abortOnFail threshold, or
measured for less than 80% of its planned time (the profile's with --config, else the baseline
runs') is inconclusive, whatever it measured; a threshold that stopped it is still broken.

Exit codes: 0 pass, 1 regression or a broken threshold, 2 could not compare.`;

export async function compareCommand(argv: string[], io: RunIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      baseline: { type: 'string', multiple: true },
      current: { type: 'string' },
      config: { type: 'string' },
      threshold: { type: 'string' },
      alpha: { type: 'string' },
      'fail-on': { type: 'string', default: 'regression' },
      json: { type: 'string' },
      markdown: { type: 'string' },
      html: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const baselineFiles = [...(values.baseline ?? []), ...positionals];
  if (!values.current) throw new CliError('tailgate compare needs --current FILE (the run to judge)');
  if (baselineFiles.length === 0 && !(await isPairedFile(values.current))) {
    throw new CliError('tailgate compare needs --baseline FILE (a run record of the default branch, or a baseline bundle), unless --current is a paired record (tailgate run --baseline-target ... --out)');
  }
  const failOn = values['fail-on'];
  if (failOn !== 'regression' && failOn !== 'inconclusive' && failOn !== 'never') {
    throw new CliError(`--fail-on must be regression, inconclusive or never (got "${failOn}")`);
  }
  const warning = failOnWarning(failOn);
  if (warning !== undefined) io.logger.warn(warning);
  const profile = values.config ? await loadProfile(values.config, { env: readOnlyEnv(io.env), target: 'http://compare.invalid' }) : undefined;
  const options = flagOptions(profile?.regression ?? {}, values.threshold, values.alpha);

  if (baselineFiles.length === 0) {
    const paired = await readPairedRecordFile(values.current);
    const comparison = comparePaired({ paired, options, thresholds: profile?.thresholds ?? [] });
    await writeOutputs(comparison, values.json, values.markdown);
    if (values.html) await writeFile(values.html, renderHtmlReport(pairedReportInput(comparison, paired)));
    io.stdout.write(`${formatComparisonTable(comparison, outputColumns(io))}\n`);
    return exitCode(comparison, failOn);
  }
  const current = await readRunRecordFile(values.current);
  const baselines = await readBaselines(baselineFiles);
  const planned = profile ? profilePlannedMs(profile, current) : undefined;
  const comparison = compareWithAnalysis(
    { baselines, current, options, thresholds: profile?.thresholds ?? [], ...(planned !== undefined ? { plannedMeasuredMs: planned } : {}) },
    { thresholds: profile?.thresholds ?? [], ...(profile?.capacity ? { plan: profile.capacity } : {}) },
  );
  await writeOutputs(comparison, values.json, values.markdown, { current, baselines });
  if (values.html) await writeFile(values.html, renderHtmlReport({ comparison, current, baselines }));
  io.stdout.write(`${formatComparisonTable(comparison, outputColumns(io))}\n`);
  return exitCode(comparison, failOn);
}

/**
 * Comparing reads only the profile's thresholds and regression settings, so variables the load
 * needs (a token, the target) need not be set: they read as a placeholder instead of an error.
 */
export function readOnlyEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return new Proxy(env, { get: (target, name) => (typeof name === 'string' ? (target[name] ?? 'unset') : undefined) });
}

/** Whether a file holds a paired record (by its schema line); an unreadable one is left to the reader to explain. */
export async function isPairedFile(file: string): Promise<boolean> {
  try {
    return isPairedData(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return false;
  }
}

export async function readBaselines(files: string[]): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new RecordError(file, `cannot read the baseline (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'check the path, or record a baseline first with tailgate run --out');
    }
    runs.push(...parseBaselineFile(text, file));
  }
  // Newest last, as the history expects, whatever order the files came in.
  return runs.sort((a, b) => Date.parse(a.meta.startedAt) - Date.parse(b.meta.startedAt));
}
