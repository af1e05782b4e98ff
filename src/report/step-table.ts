import type { MetricComparison, StepComparison } from '../compare/comparison-types.js';
import { code } from './escape.js';
import { formatChange, formatErrorRate, formatInterval, formatMs } from './number-format.js';
import { VERDICT_MARK } from './verdict-marks.js';

/**
 * The table a reviewer reads at a glance: one row per step (all steps first) with p95 in the
 * baseline and now, its change and interval, the throughput's change, the error rate and the
 * step's mark (`base` in paired mode, where the base was measured in the same job). A change that
 * fails the gate is bold. The full per-step tables are folded.
 */
export function renderStepTable(steps: readonly StepComparison[], baselineName: 'baseline' | 'base'): string {
  const table = [`| Step | p95 ${baselineName} | p95 now | Change | Interval | Throughput | Error rate | |`, '|---|---:|---:|---:|:---:|---:|---:|:---:|', ...steps.map(stepRow)].join('\n');
  const apart = steps.filter(wholeRunsDisagree).map((step) => (step.kind === 'overall' ? 'all steps' : code(step.name)));
  if (apart.length === 0) return table;
  return `${table}\n\n<sub>p95 ${baselineName} and now are of the whole runs; the change and its interval are the test's, on the runs' blocks (trimmed, bursts set aside), and for ${apart.join(', ')} the whole runs' ratio lies outside that interval: a few slow requests or seconds moved one and not the other (the folded per-step tables show the blocks).</sub>`;
}

/** The ratio of the whole runs' p95s, the numbers a reader divides, falls outside the test's interval. */
function wholeRunsDisagree(step: StepComparison): boolean {
  const { p95 } = step;
  if (p95.ci === null || p95.current === null || p95.baseline === null || !(p95.baseline > 0)) return false;
  const ratio = 100 * (p95.current / p95.baseline - 1);
  return ratio < p95.ci.low || ratio > p95.ci.high;
}

function stepRow(step: StepComparison): string {
  const name = step.kind === 'overall' ? '**All steps**' : code(step.name);
  const { p95, throughput, errorRate } = step;
  const ms = (value: number | null): string => (value === null ? '–' : formatMs(value));
  const mark = step.counted ? VERDICT_MARK[step.verdict] : 'not gated';
  return `| ${name} | ${ms(p95.baseline)} | ${ms(p95.current)} | ${change(p95)} | ${p95.ci ? formatInterval(p95, p95.ci) : ''} | ${change(throughput)} | ${errorRateCell(errorRate)} | ${mark} |`;
}

function change(metric: MetricComparison): string {
  if (metric.change === null) return '';
  const text = formatChange(metric, metric.change);
  return metric.gated && metric.verdict === 'regression' ? `**${text}**` : text;
}

/** `0.4%`, or `0.4% (+0.30 pt)` when there is a baseline to change from; `0%` when no run had an error. */
function errorRateCell(metric: MetricComparison): string {
  if (metric.current === null) return '–';
  const now = formatErrorRate(metric.current);
  if (metric.current === 0 && (metric.baseline ?? 0) === 0) return now;
  const moved = change(metric);
  return moved === '' ? now : `${now} (${moved})`;
}
