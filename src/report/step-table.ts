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
  return [
    `| Step | p95 ${baselineName} | p95 now | Change | Interval | Throughput | Error rate | |`,
    '|---|---:|---:|---:|:---:|---:|---:|:---:|',
    ...steps.map(stepRow),
  ].join('\n');
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
