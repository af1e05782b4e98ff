import type { MetricComparison, StepComparison } from '../compare/comparison-types.js';
import { code } from './escape.js';
import { formatChange, formatChangeSize, formatErrorRate, formatInterval, formatMs } from './number-format.js';
import { VERDICT_MARK } from './verdict-marks.js';

/**
 * The table a reviewer reads at a glance: one row per step (all steps first) with the p95 the gate
 * tests (of the runs' blocks) in the baseline and now, its change and interval, the whole runs'
 * p95s beside them, the throughput's change, the error rate and the step's mark (`base` in paired
 * mode, where the base was measured in the same job). A change that fails the gate is bold. When
 * the whole runs' p95s tell another story than the blocks', a note says why. The full per-step
 * tables are folded.
 */
export function renderStepTable(steps: readonly StepComparison[], baselineName: 'baseline' | 'base'): string {
  const table = [
    `| Step | p95 (blocks), ${baselineName} → now | Change | Interval | Whole-run p95 | Throughput | Error rate | |`,
    '|---|---:|---:|:---:|---:|---:|---:|:---:|',
    ...steps.map(stepRow),
  ].join('\n');
  const apart = steps.flatMap((step) => {
    const parts = p95Disagreement(step);
    return parts ? [`for ${step.kind === 'overall' ? 'all steps' : code(step.name)} the whole-run p95 ${moved(parts.wholeRun)} while the blocks' p95 ${moved(parts.blocks)}`] : [];
  });
  if (apart.length === 0) return table;
  return `${table}\n\n<sub>The gate tests p95 (blocks): the trimmed mean of the runs' block p95s, bursts set aside; the whole-run p95 is of all their requests. ${capitalized(apart.join('; '))}: a few slow requests or seconds moved one and not the other (the folded per-step tables show the blocks).</sub>`;
}

/**
 * The whole runs' p95 change beside the gated (blocks') one, when a reader would see them
 * contradict: they move in opposite directions (each by 1% or more: a smaller move has no direction a
 * reader would act on), or the whole runs' ratio lies outside the test's interval. Percent;
 * undefined when they agree or either is missing.
 */
export function p95Disagreement(step: StepComparison): { wholeRun: number; blocks: number } | undefined {
  const { p95 } = step;
  if (p95.change === null || p95.blockLevels === undefined || p95.current === null || p95.baseline === null || !(p95.baseline > 0)) return undefined;
  const wholeRun = 100 * (p95.current / p95.baseline - 1);
  const direction = (pct: number): number => (Math.abs(pct) < 1 ? 0 : Math.sign(pct));
  const opposite = direction(wholeRun) * direction(p95.change) < 0;
  const outside = p95.ci !== null && (wholeRun < p95.ci.low || wholeRun > p95.ci.high);
  return opposite || outside ? { wholeRun, blocks: p95.change } : undefined;
}

/** `rose 34%`, `fell 2.0%`, `held`. */
function moved(pct: number): string {
  if (Math.round(pct * 10) === 0) return 'held';
  return `${pct > 0 ? 'rose' : 'fell'} ${formatChangeSize({ changeUnit: '%' }, pct)}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function stepRow(step: StepComparison): string {
  const name = step.kind === 'overall' ? '**All steps**' : code(step.name);
  const { p95, throughput, errorRate } = step;
  const mark = step.counted ? VERDICT_MARK[step.verdict] : 'not gated';
  const blocks = p95.blockLevels ? levels(p95.blockLevels.baseline, p95.blockLevels.current) : '–';
  return `| ${name} | ${blocks} | ${change(p95)} | ${p95.ci ? formatInterval(p95, p95.ci) : ''} | ${levels(p95.baseline, p95.current)} | ${change(throughput)} | ${errorRateCell(errorRate)} | ${mark} |`;
}

/** `171 → 230 ms`, the unit once; `–` for a value missing. */
function levels(baseline: number | null, current: number | null): string {
  const ms = (value: number | null): string => (value === null ? '–' : formatMs(value).replace(/ ms$/, ''));
  return `${ms(baseline)} → ${ms(current)} ms`;
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
