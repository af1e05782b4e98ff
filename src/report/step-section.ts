import type { MetricComparison, PercentileComparison, StepComparison } from '../compare/comparison-types.js';
import { renderSparklines } from './block-charts.js';
import { code, escapeText } from './escape.js';
import { outcomeRows } from './outcome-rows.js';
import { renderServerTimingTable } from './server-timing-table.js';
import { formatAllowedChange, formatChange, formatInterval, formatMs, formatPct, formatValue } from './number-format.js';
import { METRIC_NAME, VERDICT_MARK } from './verdict-marks.js';

/**
 * One step: a heading with its verdict, a table of p50/p95/p99, throughput and error rate with
 * the change, its confidence interval and the allowance, the reasons behind any inconclusive
 * metric, its responses by status, the target's Server-Timing components, and p95 per block as
 * sparklines.
 */
export function renderStepSection(step: StepComparison, baselineWord: 'baseline' | 'base' = 'baseline'): string {
  const name = step.kind === 'overall' ? 'All steps' : code(step.name);
  const notGated = step.counted ? '' : ' (not gated)';
  const rows = [
    '| | Baseline | This run | Change | CI | Allowed | |',
    '|---|---:|---:|---:|:---:|---:|:---:|',
    percentileRow('p50', step.p50),
    metricRow(step.p95),
    percentileRow('p99', step.p99),
    metricRow(step.throughput),
    metricRow(step.errorRate),
  ];
  const reasons = [step.p95, step.throughput, step.errorRate]
    .filter((m) => m.reason !== undefined && m.verdict !== 'pass')
    .map((m) => `${VERDICT_MARK[m.verdict]} ${METRIC_NAME[m.metric]}: ${escapeText(m.reason as string)}.`);
  const sparklines = renderSparklines(step);
  const outcomes = renderOutcomeTable(step, baselineWord);
  const serverTiming = renderServerTimingTable(step, baselineWord);
  return [
    `#### ${VERDICT_MARK[step.verdict]} ${name}${notGated}`,
    '',
    rows.join('\n'),
    ...(reasons.length > 0 ? ['', reasons.join('<br>')] : []),
    ...(outcomes ? ['', outcomes] : []),
    ...(serverTiming ? ['', serverTiming] : []),
    ...(sparklines ? ['', sparklines] : []),
  ].join('\n');
}

const ROW_LABEL: Record<MetricComparison['metric'], string> = { p95: 'p95', throughput: 'Throughput', errorRate: 'Error rate' };

function percentileRow(label: string, p: PercentileComparison): string {
  const cell = (ms: number | null): string => (ms === null ? '–' : formatMs(ms));
  const change = p.changePct === null ? '' : formatPct(p.changePct);
  return `| ${label} | ${cell(p.baselineMs)} | ${cell(p.currentMs)} | ${change} | | | |`;
}

function metricRow(metric: MetricComparison): string {
  const label = ROW_LABEL[metric.metric];
  const value = (v: number | null): string => (v === null ? '–' : formatValue(metric, v));
  const change = metric.change === null ? '' : formatChange(metric, metric.change);
  const strong = (text: string): string => (metric.gated && text !== '' ? `**${text}**` : text);
  const interval = metric.ci ? formatInterval(metric, metric.ci) : '';
  const allowed = formatAllowedChange(metric);
  const mark = metric.gated ? VERDICT_MARK[metric.verdict] : '';
  return `| ${strong(label)} | ${value(metric.baseline)} | ${value(metric.current)} | ${strong(change)} | ${interval} | ${allowed} | ${mark} |`;
}

/**
 * Responses by status code, then errors by kind, the baseline runs' (added up) beside this run's,
 * each with its share of the requests. Absent for a comparison written before it was kept.
 */
function renderOutcomeTable(step: StepComparison, baselineWord: 'baseline' | 'base'): string {
  const outcomes = step.outcomes;
  if (outcomes === undefined) return '';
  const rows = outcomeRows(outcomes.current, outcomes.baseline, escapeText);
  if (rows.length === 0) return '';
  const runs = outcomes.baseline !== null && outcomes.baseline.runs > 1 ? ` (${outcomes.baseline.runs} runs)` : '';
  const word = baselineWord === 'base' ? 'Base' : 'Baseline';
  return [`| Status or error | ${word}${runs} | This run |`, '|---|---:|---:|', ...rows.map((r) => `| ${r.label} | ${r.baseline} | ${r.current} |`)].join('\n');
}
