import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { analyzeRun } from '../analyze/analyze-run.js';
import { loadProfile } from '../config/load-profile.js';
import { readRunRecordFile } from '../record/read-run-record.js';
import { analysisLines, renderAnalysisSection } from '../report/analysis-report.js';
import { renderHtmlReport } from '../report/html/render-html-report.js';
import { evaluateThresholds } from '../threshold/thresholds.js';
import type { RunIo } from '../run/run-io.js';
import { CliError, EXIT } from './cli-error.js';
import { readOnlyEnv } from './compare-command.js';
import { outputColumns, wrapLine } from './terminal-width.js';

export const ANALYZE_HELP = `Usage: tailgate analyze RUN.json [--config tailgate.yml] [--json F] [--markdown F] [--html F]

Answers the questions the run's shape asks (docs/analyze.md):
  a load rising through levels (a stress test): where the target breaks, the highest load it
      sustained, where p95 crosses the profile's p95 threshold, what gave out first, and with
      the profile's capacity plan the instances a target load needs
  a surge (a spike test): how many seconds after each surge the target was back to its level
  a steady load (a soak test): whether p95 slowly grows, tested against autocorrelated noise
Each estimate comes with its 95% interval.

  --config FILE       the profile: its p95 and error-rate thresholds judge each level, and its
                      capacity block plans instances
  --json FILE         write the analysis (tailgate.analysis/v1)
  --markdown FILE     write the answers as markdown (the lines, the levels folded)
  --html FILE         write the HTML report of the run with the answers and their charts: load
                      against latency and throughput with the knee, each surge and its
                      recovery, the trend line

Exit codes: 0 analysed (whatever the answers), 2 could not read the run or the profile.`;

export async function analyzeCommand(argv: string[], io: RunIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, json: { type: 'string' }, markdown: { type: 'string' }, html: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new CliError('tailgate analyze needs one run record, e.g. tailgate analyze run.json (tailgate run --out writes one)');
  const run = await readRunRecordFile(positionals[0] as string);
  const profile = values.config ? await loadProfile(values.config, { env: readOnlyEnv(io.env), target: 'http://analyze.invalid' }) : undefined;
  const analysis = analyzeRun(run, { thresholds: profile?.thresholds ?? [], ...(profile?.capacity ? { plan: profile.capacity } : {}) });
  if (values.json) await writeFile(values.json, `${JSON.stringify(analysis, null, 1)}\n`);
  if (values.markdown) await writeFile(values.markdown, `${renderAnalysisSection(analysis)}\n`);
  if (values.html) await writeFile(values.html, renderHtmlReport({ current: run, analysis, thresholds: evaluateThresholds(run, profile?.thresholds ?? []) }));
  const columns = outputColumns(io);
  const lines = [...analysisLines(analysis), ...analysis.notes];
  if (lines.length === 0) lines.push('Nothing to answer: the load neither rose through levels, nor surged, nor held steady over the measured period.');
  io.stdout.write(`${lines.flatMap((line) => wrapLine(line, columns)).join('\n')}\n`);
  return EXIT.pass;
}
