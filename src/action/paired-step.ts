import { comparePaired } from '../compare/compare-paired.js';
import type { CompareOptions } from '../compare/compare-options.js';
import type { Comparison } from '../compare/comparison-types.js';
import type { Profile } from '../config/profile-types.js';
import { shownTarget } from '../config/shown-values.js';
import type { Logger } from '../logging.js';
import { pairedDroppedIterationLines } from '../record/dropped-iterations.js';
import type { PairedRecord } from '../record/paired-record-types.js';
import { blockLayout } from '../record/paired-layout.js';
import { comparisonReport } from './run-report.js';
import { stepOutputs } from './step-outputs.js';

/** What the paired step needs of the outside world; the Action passes the real ones, tests fakes. */
export interface PairedStepIo {
  /** Runs the profile against head (its target) and base, both answering first (wait-timeout), stopping once decided by `compare` unless fixed. */
  execute(profile: Profile, baseUrl: string, compare: CompareOptions): Promise<PairedRecord>;
  writeFile(path: string, text: string): Promise<void>;
  writeSummary(markdown: string): Promise<void>;
  setOutputs(outputs: Record<string, string>): void;
  /** Uploads the HTML report; its URL, or undefined. */
  uploadHtml(comparison: Comparison, paired: PairedRecord): Promise<string | undefined>;
  /** Posts the comment and check (or leaves a fork's report); the comment's URL when there is one. */
  publish(comparison: Comparison, markdown: string): Promise<string | undefined>;
  runUrl: string | undefined;
  logger: Logger;
}

export interface PairedStepInput {
  profile: Profile;
  baselineUrl: string;
  options: CompareOptions;
  /** Where the paired record and the comparison are written. */
  workDir: string;
}

/**
 * The Action in paired mode (`baseline-url`): measures head and base in the same job, judges
 * head against base, writes the record and the comparison, and reports as a comparison with a
 * stored baseline does. No baseline is read or recorded. Returns the comparison for the gate.
 */
export async function pairedStep(input: PairedStepInput, io: PairedStepIo): Promise<Comparison> {
  io.logger.info(`paired mode: head ${shownTarget(input.profile)}, base ${input.baselineUrl}; no stored baseline is read or recorded`);
  const paired = await io.execute(input.profile, input.baselineUrl, input.options);
  // A run stopped early is written and reported, and judged inconclusive (only whole runs are judged).
  if (paired.head.meta.interrupted) io.logger.warn('the run was interrupted before it finished: it is reported, not judged');
  for (const reason of paired.head.generator.reasons) io.logger.warn(`this run is invalid: ${reason}`);
  for (const line of pairedDroppedIterationLines(paired)) io.logger.warn(line);
  await io.writeFile(`${input.workDir}/paired.json`, `${JSON.stringify(paired)}\n`);
  const comparison = comparePaired({ paired, options: input.options, thresholds: input.profile.thresholds });
  const reportPath = `${input.workDir}/comparison.json`;
  await io.writeFile(reportPath, `${JSON.stringify(comparison, null, 1)}\n`);
  const htmlReportUrl = await io.uploadHtml(comparison, paired);
  const markdown = comparisonReport(comparison, io.runUrl, htmlReportUrl);
  await io.writeSummary(markdown);
  io.setOutputs({ ...stepOutputs(paired.head, comparison, comparison.verdict), 'measured-seconds': pairedRunSeconds(paired), report: reportPath });
  const commentUrl = await io.publish(comparison, markdown);
  io.setOutputs({ 'comment-url': commentUrl ?? '' });
  return comparison;
}

/**
 * How long a paired run loaded, seconds, warm-up included: until it was decided when it stopped
 * early (a sequential run that ran to its end, its most); a fixed run, its blocks laid out,
 * settles included.
 */
function pairedRunSeconds(paired: PairedRecord): string {
  const warmupMs = paired.head.meta.warmupMs;
  const sequential = paired.meta.sequential;
  if (sequential !== undefined) {
    const stop = sequential.stoppedAtPairs === undefined ? undefined : sequential.looks[sequential.looks.length - 1];
    return ((warmupMs + (stop?.atMs ?? sequential.maxMeasuredMs)) / 1000).toFixed(1);
  }
  const { blockMs, settleMs, settleAt } = paired.meta.pairing;
  const places = blockLayout(paired.order, paired.meta.pairing, settleAt ?? 'block');
  const last = places[places.length - 1];
  const endMs = last === undefined ? 0 : last.startMs + blockMs - settleMs + (last.settled ? settleMs : 0);
  return ((warmupMs + endMs) / 1000).toFixed(1);
}
