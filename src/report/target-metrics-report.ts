import type { ShapeComparison } from '../compare/comparison-types.js';
import { formatCpuPerRequest, formatPct } from './number-format.js';
import { shapeTestLine } from './shape-report.js';
import { VERDICT_MARK, VERDICT_WORDS } from './verdict-marks.js';

/**
 * The target's own metrics against the baseline runs' (`Comparison.targetMetrics`: CPU per
 * request, memory growth) in the comment. A line each outside the folds when one is gated or
 * moved (a regression or an improvement beyond its allowance, gated or not), so a reviewer sees
 * "CPU per request +150%" beside the latency; otherwise a folded table, there for whoever opens
 * it. Pure; `shown` renders the reasons' words (escaped in markdown).
 */

/** Gated, or moved beyond its allowance: worth a line outside the folds. */
export function isTargetMetricNews(test: ShapeComparison): boolean {
  return test.gated || test.verdict === 'regression' || test.verdict === 'improvement';
}

function value(test: ShapeComparison, amount: number | null): string {
  if (amount === null) return '–';
  return test.unit === 's/req' ? formatCpuPerRequest(amount) : `${formatPct(amount)}/min`;
}

function change(test: ShapeComparison, amount: number): string {
  return test.changeUnit === '%/min' ? `${formatPct(amount)}/min` : formatPct(amount);
}

function tableRow(test: ShapeComparison, shown: (text: string) => string): string {
  const subject = test.question === 'cpu' ? 'CPU per request' : 'Memory growth';
  const verdict = `${VERDICT_MARK[test.verdict]} ${test.gated ? '' : 'reported: '}${VERDICT_WORDS[test.verdict]}${test.reason === undefined ? '' : ` (${shown(test.reason)})`}`;
  const cells = [
    subject,
    value(test, test.baseline),
    value(test, test.current),
    test.change === null ? '–' : change(test, test.change),
    test.ci === null ? '–' : `${change(test, test.ci.low)} … ${change(test, test.ci.high)}`,
    change(test, test.allowedChange),
    verdict,
  ];
  return `| ${cells.join(' | ')} |`;
}

/** The markdown: lines outside the folds when one is gated or moved, else a folded table; empty without tests. */
export function renderTargetMetrics(tests: readonly ShapeComparison[] | undefined, shown: (text: string) => string): string {
  if (tests === undefined || tests.length === 0) return '';
  if (tests.some(isTargetMetricNews)) {
    const ordered = [...tests.filter(isTargetMetricNews), ...tests.filter((t) => !isTargetMetricNews(t))];
    return ["#### The target's own metrics against the baseline runs'", '', ...ordered.map((test) => `- ${shapeTestLine(test, shown)}`)].join('\n');
  }
  const table = ['| | Baseline | This run | Change | CI | Allowed | Verdict |', '|---|---:|---:|---:|---|---:|---|', ...tests.map((test) => tableRow(test, shown))].join('\n');
  return `<details>\n<summary>The target's own metrics: CPU per request and memory growth, no change beyond their allowances</summary>\n\n${table}\n\n</details>`;
}
