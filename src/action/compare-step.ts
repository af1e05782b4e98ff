import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BaselineStore } from '../baseline/baseline-store.js';
import type { CompareOptions } from '../compare/compare-options.js';
import { compareWithAnalysis } from '../analyze/comparison-analysis.js';
import { profilePlannedMs } from '../compare/whole-run.js';
import type { Comparison } from '../compare/comparison-types.js';
import type { Profile } from '../config/profile-types.js';
import { RecordError } from '../record/record-error.js';
import type { RunRecord } from '../record/run-record-types.js';
import type { ActionIo } from './action-io.js';
import { uploadHtmlReport } from './html-report-artifact.js';
import type { ActionInputs } from './inputs.js';
import { publishComparison } from './publish-comparison.js';
import { comparisonReport } from './run-report.js';
import { stepOutputs } from './step-outputs.js';
import type { Trigger } from './trigger.js';

export interface CompareStepInput {
  record: RunRecord;
  profile: Profile;
  options: CompareOptions;
  inputs: ActionInputs;
  trigger: Trigger;
  store: BaselineStore;
  /** The pull request's base commit, whose baseline compares most fairly. */
  preferCommit: string | undefined;
  workDir: string;
}

/**
 * A pull request (or any run that is not recording): judges the run against the stored baseline
 * (none, or a damaged one, is a note and a neutral verdict), writes the comparison, uploads the
 * HTML report, and reports in the job summary, the outputs, and the comment and check run.
 * Returns the comparison for the gate.
 */
export async function compareStep(input: CompareStepInput, io: ActionIo): Promise<Comparison> {
  const { record, workDir } = input;
  const { comparison, baselines } = await judge(input, io);
  const reportPath = join(workDir, 'comparison.json');
  await writeFile(reportPath, `${JSON.stringify(comparison, null, 1)}\n`);
  const htmlReportUrl = await uploadHtmlReport({ comparison, current: record, baselines, workDir, env: io.env, artifacts: io.artifacts, logger: io.logger });
  const markdown = comparisonReport(comparison, io.env.runUrl, htmlReportUrl, { now: io.now(), records: { current: record, baselines } });
  await io.writeSummary(markdown);
  io.setOutputs({ ...stepOutputs(record, comparison, comparison.verdict), report: reportPath });
  io.setOutputs({ 'comment-url': (await publishComparison(comparison, markdown, input, io)) ?? '' });
  return comparison;
}

async function judge(input: CompareStepInput, io: ActionIo): Promise<{ comparison: Comparison; baselines: RunRecord[] }> {
  const { record, profile, store } = input;
  let baselines: RunRecord[] = [];
  const notes: string[] = [];
  let unavailable: string | undefined;
  try {
    const found = await store.load(profile.id, input.preferCommit ? { preferCommit: input.preferCommit } : {});
    if (found) {
      baselines = found.bundle.runs;
      io.logger.info(`baseline: ${found.source}, ${baselines.length} run(s)`);
    } else {
      notes.push('No baseline was found. The first push to the default branch with this step records one.');
    }
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    unavailable = error.message;
    notes.push(`The baseline could not be used: ${error.message}`);
    io.logger.warn(error.message);
  }
  const planned = profilePlannedMs(profile, record);
  const comparison = compareWithAnalysis(
    { baselines, current: record, options: input.options, thresholds: profile.thresholds, ...(planned !== undefined ? { plannedMeasuredMs: planned } : {}) },
    { thresholds: profile.thresholds, ...(profile.capacity ? { plan: profile.capacity } : {}) },
  );
  return { comparison: { ...comparison, notes: [...notes, ...comparison.notes], ...(unavailable !== undefined ? { baselineUnavailable: unavailable } : {}) }, baselines };
}
