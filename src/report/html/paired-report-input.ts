import type { Comparison } from '../../compare/comparison-types.js';
import type { PairedRecord } from '../../record/paired-record-types.js';
import type { RunRecord } from '../../record/run-record-types.js';
import type { HtmlReportInput } from './render-html-report.js';

/** The page of a paired comparison: head as this run, base as its one baseline run, and the paired record for its blocks in order. */
export function pairedReportInput(comparison: Comparison, paired: PairedRecord): Required<Pick<HtmlReportInput, 'comparison' | 'paired'>> & { current: RunRecord; baselines: RunRecord[] } {
  return { comparison, current: paired.head, baselines: [paired.base], paired };
}
