import type { StepComparison } from '../compare/comparison-types.js';
import { mermaidText } from './escape.js';
import { formatMs, formatSecondsOf, isFiniteNumber } from './number-format.js';
import { sharedScale, sparkline } from './sparkline.js';

/** p95 per block as two sparklines on one scale: the newest baseline run above this run. */
export function renderSparklines(step: StepComparison): string {
  const { current, baseline, blockMs } = step.p95ByBlockMs;
  const scale = sharedScale(baseline ? [current, baseline] : [current]);
  if (scale === null) return '';
  const seconds = formatSecondsOf(blockMs);
  const rows = [...(baseline ? [`baseline ${sparkline(baseline, scale)}`] : []), `this run ${sparkline(current, scale)}`];
  return [`p95 per ${seconds} s block, ▁ ${formatMs(scale.min)} … █ ${formatMs(scale.max)}${rows.length > 1 ? ' (same scale)' : ''}:`, '```text', ...rows, '```'].join('\n');
}

/** A Mermaid xychart of the same series; blocks with too few requests are drawn at 0. */
export function renderMermaidChart(step: StepComparison, label: string): string {
  const { current, baseline } = step.p95ByBlockMs;
  const length = Math.max(current.length, baseline?.length ?? 0);
  if (length === 0) return '';
  const series = (values: ReadonlyArray<number | null>): string =>
    `[${Array.from({ length }, (_, i) => {
      const value = values[i];
      return isFiniteNumber(value) ? Number(value.toFixed(3)) : 0;
    }).join(', ')}]`;
  return [
    '```mermaid',
    'xychart-beta',
    `  title "p95 per block, ${mermaidText(label)} (ms)"`,
    `  x-axis "block" [${Array.from({ length }, (_, i) => i + 1).join(', ')}]`,
    '  y-axis "p95 (ms)"',
    ...(baseline ? [`  line ${series(baseline)}`] : []),
    `  line ${series(current)}`,
    '```',
  ].join('\n');
}
