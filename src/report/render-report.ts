import type { Comparison, StepComparison, Verdict } from '../compare/comparison-types.js';
import { escapeText, safeUrl } from './escape.js';
import { renderChartDetails, renderMethodDetails, renderThresholdDetails } from './details-sections.js';
import { fitToSize, type ReportSection } from './fit-to-size.js';
import { renderHeadline } from './headline.js';
import { pairingSentence } from './pairing-line.js';
import { formatAllowedChange, formatDuration } from './number-format.js';
import { renderStepSection } from './step-section.js';
import { VERDICT_MARK, VERDICT_WORDS } from './verdict-marks.js';

export interface ReportOptions {
  /** Heading text; default `tailgate: <profile id>`. Escaped. */
  title?: string;
  /** Link to the workflow run (where the full report is when this one is trimmed). */
  runUrl?: string;
  /** Link to the HTML report with the charts (an artifact of the workflow run), shown beside the context line. */
  htmlReportUrl?: string;
  /** Default 65,000: under GitHub's 65,536-character limit for comments and check summaries. */
  maxChars?: number;
}

export const DEFAULT_MAX_CHARS = 65_000;

/**
 * The PR comment / check summary / job summary for a comparison, as markdown. Pure: the same
 * comparison always renders the same text. Verdict first, then a section per step (overall
 * first), then folded details; everything from configs and targets is escaped.
 */
export function renderReport(comparison: Comparison, options: ReportOptions = {}): string {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const runUrl = safeUrl(options.runUrl);
  const title = escapeText(options.title ?? `tailgate: ${comparison.profile.id}`);
  const mark = VERDICT_MARK[headlineVerdict(comparison)];

  const head = [`### ${mark} ${title}`, '', renderHeadline(comparison).join('<br>\n'), '', context(comparison, safeUrl(options.htmlReportUrl))].join('\n');
  const sections: ReportSection[] = [
    { text: head },
    ...comparison.steps.map((step, index) => ({ text: renderStepSection(step), dropOrder: stepDropOrder(step, index), label: 'some steps' })),
    { text: renderThresholdDetails(comparison), dropOrder: 2, label: 'the thresholds table' },
    { text: renderMethodDetails(comparison), dropOrder: 1, label: 'how this was decided' },
    { text: renderChartDetails(comparison), dropOrder: 0, label: 'charts' },
    { text: footer(comparison, runUrl) },
  ];
  const trimmedNote = (dropped: string[]): string => {
    const where = runUrl ? `the job summary of <a href="${runUrl}">this run</a>` : 'the job summary';
    const what = dropped.length > 0 ? `: ${dropped.join(', ')} left out` : '';
    return `✂️ _Trimmed to stay under ${maxChars.toLocaleString('en-US')} characters${what}. The full report is in ${where}._`;
  };
  return fitToSize(sections, maxChars, trimmedNote);
}

/** The title's mark follows the check's conclusion: a broken threshold fails even a passing comparison. */
function headlineVerdict(comparison: Comparison): Verdict {
  return comparison.conclusion === 'failure' ? 'regression' : comparison.verdict;
}

/**
 * Steps go after the folded details (0–2) when space runs out: passing ones first, then uncertain
 * ones, regressions last, later steps before earlier ones; the overall step always stays.
 */
function stepDropOrder(step: StepComparison, index: number): number | undefined {
  if (step.kind === 'overall') return undefined;
  const rank = step.verdict === 'regression' ? 3 : step.verdict === 'inconclusive' || step.verdict === 'improvement' ? 2 : 1;
  return 10 * rank + 1 / (index + 1);
}

function context(comparison: Comparison, htmlReportUrl: string | undefined): string {
  const runs = comparison.history.used.length;
  const { allowed, alpha } = comparison.settings;
  const paired = pairingSentence(comparison);
  const baseline = paired !== undefined ? escapeText(paired[0]?.toUpperCase() + paired.slice(1)) : runs === 0 ? 'No baseline run' : `Compared with ${runs} baseline run${runs === 1 ? '' : 's'}`;
  const allowances = [
    `p95 ${formatAllowedChange({ changeUnit: '%', allowedChange: allowed.p95Pct })}`,
    `throughput ${formatAllowedChange({ changeUnit: '%', allowedChange: -allowed.throughputPct })}`,
    `error rate ${formatAllowedChange({ changeUnit: 'pp', allowedChange: allowed.errorRatePoints })}`,
  ].join(', ');
  return `<sub>${baseline} · ${formatDuration(comparison.current.measuredMs)} measured · allowed: ${allowances} · α = ${alpha} · verdict: ${VERDICT_WORDS[comparison.verdict]}${htmlReportUrl ? ` · <a href="${htmlReportUrl}">📊 HTML report with charts</a>` : ''}</sub>`;
}

function footer(comparison: Comparison, runUrl: string | undefined): string {
  const run = runUrl ? ` · <a href="${runUrl}">workflow run</a>` : '';
  return `<sub>${escapeText(comparison.schema)}${run}</sub>`;
}
