import type { Comparison, StepComparison, Verdict } from '../compare/comparison-types.js';
import { baselineAgePhrase, baselineMovedLine, newestBaselineRun, staleBaselineWarning } from './baseline-age.js';
import { p95Trend, renderTrendLine, type ComparedRecords } from './baseline-trend.js';
import { renderAnalysisSection } from './analysis-report.js';
import { renderShapeTests } from './shape-report.js';
import { renderTargetMetrics } from './target-metrics-report.js';
import { escapeText, safeUrl } from './escape.js';
import { renderChartDetails, renderMethodDetails, renderThresholdDetails, STEP_DETAILS_CLOSE, STEP_DETAILS_OPEN } from './details-sections.js';
import { fitToSize, type ReportSection } from './fit-to-size.js';
import { renderHeadline } from './headline.js';
import { pairingSentence } from './pairing-line.js';
import { formatAllowedChange, formatDuration, formatPlain } from './number-format.js';
import { renderStepSection } from './step-section.js';
import { renderStepTable } from './step-table.js';
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
  /** The clock the baseline's age is counted to ("recorded 3 days ago"); without it the date is given and no age warning. */
  now?: Date;
  /** The records compared: each baseline run's p95 and this run's make the trend line. Without them there is none. */
  records?: ComparedRecords;
  /** A sentence under the heading (plain text, escaped), e.g. whose run measured a fork's report. */
  notice?: string;
}

export const DEFAULT_MAX_CHARS = 65_000;

/**
 * The PR comment / check summary / job summary for a comparison, as markdown. Pure: the same
 * comparison, records and clock always render the same text. What a reviewer needs at a glance
 * stays outside the folds: the verdict, one table with a row per step, the p95 trend of the
 * baseline runs, the baseline's age (with a warning when it is old) and the context line. The
 * per-step tables and block sparklines, the thresholds, the method and the noise, and the charts
 * are folded. Everything from configs, targets and records is escaped.
 */
export function renderReport(comparison: Comparison, options: ReportOptions = {}): string {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const runUrl = safeUrl(options.runUrl);
  const title = escapeText(options.title ?? `tailgate: ${comparison.profile.id}`);
  const mark = VERDICT_MARK[headlineVerdict(comparison)];

  const newest = newestBaselineRun(comparison);
  const trend = options.records ? renderTrendLine(p95Trend(comparison, options.records)) : '';
  const glance = [trend, context(comparison, safeUrl(options.htmlReportUrl), options.now)].filter((line) => line !== '').join('<br>\n');
  const notice = options.notice === undefined ? [] : [`> ℹ️ ${escapeText(options.notice)}`, ''];
  const head = [`### ${mark} ${title}`, '', ...notice, renderHeadline(comparison).join('<br>\n'), '', renderStepTable(comparison.steps, comparison.pairing ? 'base' : 'baseline'), '', glance].join('\n');
  const sections: ReportSection[] = [
    { text: head },
    { text: staleBaselineWarning(newest, options.now) },
    { text: baselineMovedLine(comparison) },
    { text: comparison.analysis ? renderAnalysisSection(comparison.analysis) : '', dropOrder: 3, label: "what the run's shape answers" },
    { text: renderShapeTests(comparison.shapeTests, escapeText) },
    { text: renderTargetMetrics(comparison.targetMetrics, escapeText) },
    { text: STEP_DETAILS_OPEN },
    ...comparison.steps.map((step, index) => ({ text: renderStepSection(step, comparison.pairing ? 'base' : 'baseline'), dropOrder: stepDropOrder(step, index), label: 'the detail of some steps' })),
    { text: STEP_DETAILS_CLOSE },
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

function context(comparison: Comparison, htmlReportUrl: string | undefined, now: Date | undefined): string {
  const runs = comparison.history.used.length;
  const { allowed, alpha } = comparison.settings;
  const paired = pairingSentence(comparison);
  const newest = newestBaselineRun(comparison);
  const age = newest === undefined ? '' : `${runs === 1 ? '' : ', the newest'} ${baselineAgePhrase(newest, now)}`;
  const baseline = paired !== undefined ? escapeText(paired[0]?.toUpperCase() + paired.slice(1)) : runs === 0 ? 'No baseline run' : `Compared with ${runs} baseline run${runs === 1 ? '' : 's'}${age}`;
  const allowances = [
    `p95 ${formatAllowedChange({ changeUnit: '%', allowedChange: allowed.p95Pct })}`,
    `throughput ${formatAllowedChange({ changeUnit: '%', allowedChange: -allowed.throughputPct })}`,
    `error rate ${formatAllowedChange({ changeUnit: 'pp', allowedChange: allowed.errorRatePoints })}`,
  ].join(', ');
  return `<sub>${baseline} · ${formatDuration(comparison.current.measuredMs)} measured · allowed: ${allowances} · α = ${formatPlain(alpha)} · verdict: ${VERDICT_WORDS[comparison.verdict]}${htmlReportUrl ? ` · <a href="${htmlReportUrl}">📊 HTML report with charts</a>` : ''}</sub>`;
}

function footer(comparison: Comparison, runUrl: string | undefined): string {
  const run = runUrl ? ` · <a href="${runUrl}">workflow run</a>` : '';
  return `<sub>${escapeText(comparison.schema)}${run}</sub>`;
}
