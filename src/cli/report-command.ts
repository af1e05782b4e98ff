import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { comparePaired } from '../compare/compare-paired.js';
import { compareRuns } from '../compare/compare-runs.js';
import { COMPARISON_SCHEMA, type Comparison } from '../compare/comparison-types.js';
import { readPairedRecordFile } from '../record/read-paired-record.js';
import { readRunRecordFile } from '../record/read-run-record.js';
import { RecordError } from '../record/record-error.js';
import type { RunRecord } from '../record/run-record-types.js';
import { pairedReportInput } from '../report/html/paired-report-input.js';
import { renderHtmlReport, type HtmlReportInput } from '../report/html/render-html-report.js';
import { CliError, EXIT } from './cli-error.js';
import { isPairedFile, readBaselines } from './compare-command.js';
import type { RunIo } from '../run/run-io.js';

export const REPORT_HELP = `Usage: tailgate report --current C.json [--baseline B.json ...] [--comparison comparison.json] --html FILE
       tailgate report --current paired.json [--comparison comparison.json] --html FILE

Renders the HTML report from records already written: one self-contained page (charts, data and
script inline; it makes no request when opened).

  --current FILE      the run record the report is about; or a paired record (tailgate run
                      --baseline-target --out), which holds its base: head against base
  --baseline FILE...  baseline run records or a bundle (more files may follow)
  --comparison FILE   the comparison written by tailgate compare --json (or the Action's report
                      output); without it, the runs are compared with the default settings, and
                      without baselines either, the page shows the run alone
  --html FILE         where to write the page

Exit codes: 0 written, 2 could not read a record or the comparison.`;

export async function reportCommand(argv: string[], io: RunIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      current: { type: 'string' },
      baseline: { type: 'string', multiple: true },
      comparison: { type: 'string' },
      html: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (!values.current) throw new CliError('tailgate report needs --current FILE (the run record the report is about)');
  if (!values.html) throw new CliError('tailgate report needs --html FILE (where to write the page)');
  const baselineFiles = [...(values.baseline ?? []), ...positionals];
  const input = (await isPairedFile(values.current))
    ? await pairedInput(values.current, baselineFiles, values.comparison)
    : await runInput(values.current, baselineFiles, values.comparison);
  let html: string;
  try {
    html = renderHtmlReport(input);
  } catch (error) {
    if (values.comparison && !(error instanceof RecordError)) {
      throw new RecordError(values.comparison, 'the comparison is incomplete or damaged (it cannot be rendered)', 'write it again with tailgate compare --json');
    }
    throw error;
  }
  await writeFile(values.html, html);
  io.logger.info(`HTML report written to ${values.html}`);
  return EXIT.pass;
}

const DEFAULT_SETTINGS_NOTE = 'Compared with the default settings (no --comparison was given): the gate may have used others.';

/** A run record, its baselines if any, and its comparison: read from --comparison, or made with the default settings. */
async function runInput(file: string, baselineFiles: string[], comparisonFile: string | undefined): Promise<HtmlReportInput> {
  const current = await readRunRecordFile(file);
  const baselines = baselineFiles.length > 0 ? await readBaselines(baselineFiles) : [];
  let comparison: Comparison | undefined;
  if (comparisonFile) {
    comparison = await readComparisonFile(comparisonFile, current);
  } else if (baselines.length > 0) {
    const compared = compareRuns({ baselines, current, options: {}, thresholds: [] });
    comparison = { ...compared, notes: [...compared.notes, DEFAULT_SETTINGS_NOTE] };
  }
  return { comparison, current, baselines };
}

/** A paired record is head and base at once: no baselines beside it; judged as compare --current paired.json judges it, unless --comparison says how it was. */
async function pairedInput(file: string, baselineFiles: string[], comparisonFile: string | undefined): Promise<HtmlReportInput> {
  if (baselineFiles.length > 0) throw new CliError(`${file} is a paired record, which holds its base: leave out --baseline`);
  const paired = await readPairedRecordFile(file);
  let comparison: Comparison;
  if (comparisonFile) {
    comparison = await readComparisonFile(comparisonFile, paired.head);
  } else {
    const compared = comparePaired({ paired });
    comparison = { ...compared, notes: [...compared.notes, DEFAULT_SETTINGS_NOTE] };
  }
  return pairedReportInput(comparison, paired);
}

/** A comparison file as tailgate compare --json writes it, of this very run. */
async function readComparisonFile(file: string, current: RunRecord): Promise<Comparison> {
  const fix = 'write it with tailgate compare --json FILE, from the same --current record';
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RecordError(file, `cannot read the comparison (${(error as NodeJS.ErrnoException).code ?? String(error)})`, fix);
  }
  let data: Partial<Comparison> | null;
  try {
    data = JSON.parse(text) as Partial<Comparison> | null;
  } catch {
    throw new RecordError(file, 'not valid JSON', fix);
  }
  if (data?.schema !== COMPARISON_SCHEMA) throw new RecordError(file, `not a tailgate comparison (schema ${JSON.stringify(data?.schema)}, expected ${COMPARISON_SCHEMA})`, fix);
  if (!Array.isArray(data.steps) || !Array.isArray(data.thresholds) || !Array.isArray(data.notes) || typeof data.history !== 'object' || data.history === null) {
    throw new RecordError(file, 'its steps, thresholds, notes or history are missing', fix);
  }
  if (data.current?.startedAt !== current.meta.startedAt || data.profile?.id !== current.meta.profile.id) {
    throw new RecordError(file, `it judges another run (profile ${String(data.profile?.id)}, started ${String(data.current?.startedAt)}) than --current (profile ${current.meta.profile.id}, started ${current.meta.startedAt})`, fix);
  }
  return data as Comparison;
}
