import type { ShapeComparison } from '../../compare/comparison-types.js';
import { formatCpuPerRequest, formatPct, formatRps } from '../number-format.js';
import { VERDICT_WORDS } from '../verdict-marks.js';
import { escapeHtml } from './html-escape.js';
import { verdictMark } from './report-tables.js';

/**
 * The run's shape answers as they were gated (`Comparison.shapeTests`), as a table on the page:
 * per question (capacity, recovery from each surge, the slow burn) the baseline's answer and this
 * run's, the change with its interval, the allowance and the verdict; below it, why a verdict is
 * not a plain pass. Paired mode sets the head's answers against the base's from the same run.
 * Every reason is escaped; the rest is numbers and fixed words.
 */

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

const QUESTION: Record<ShapeComparison['question'], string> = {
  capacity: 'Sustainable rate',
  recovery: 'Recovery',
  trend: 'Slow burn (p95 growth)',
  cpu: 'CPU per request',
  memory: 'Memory growth',
};

function value(test: ShapeComparison, amount: number | null): string {
  if (amount === null) return '–';
  if (test.unit === 'req/s') return formatRps(amount);
  if (test.unit === 's') return `${NUMBER.format(amount)} s`;
  if (test.unit === 's/req') return formatCpuPerRequest(amount);
  return `${formatPct(amount)}/min`;
}

function change(test: ShapeComparison, amount: number): string {
  return test.changeUnit === '%/min' ? `${formatPct(amount)}/min` : formatPct(amount);
}

function title(test: ShapeComparison): string {
  if (test.question !== 'recovery') return QUESTION[test.question];
  return `${QUESTION.recovery} <span class="muted">${escapeHtml(test.name.replace(/^recovery from /, 'from '))}</span>`;
}

function row(test: ShapeComparison): string {
  const cells = [
    title(test),
    value(test, test.baseline),
    value(test, test.current),
    test.change === null ? '–' : change(test, test.change),
    test.ci === null ? '–' : `${change(test, test.ci.low)} … ${change(test, test.ci.high)}`,
    change(test, test.allowedChange),
    `${verdictMark(test.verdict)} ${test.gated ? VERDICT_WORDS[test.verdict] : `${VERDICT_WORDS[test.verdict]} <span class="muted">(not gated)</span>`}`,
  ];
  return `<tr${test.gated && test.verdict === 'regression' ? ' class="error-row"' : ''}>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
}

/**
 * The table, the gated answers first; empty without tests. `paired`: the baseline is the base
 * target measured in the same run. `heading`: another heading (the target's own metrics).
 */
export function shapeTestsTable(tests: readonly ShapeComparison[] | undefined, paired = false, heading?: string): string {
  if (tests === undefined || tests.length === 0) return '';
  const ordered = [...tests.filter((t) => t.gated), ...tests.filter((t) => !t.gated)];
  const reasons = ordered.filter((t) => t.reason !== undefined).map((t) => `${verdictMark(t.verdict)} ${escapeHtml(t.name)}: ${escapeHtml(t.reason as string)}.`);
  const against = paired ? 'the base target’s, measured in the same run' : 'the baseline runs’';
  return [
    `<h3>${heading === undefined ? `Gated against ${against}` : escapeHtml(heading)}</h3>`,
    '<table class="shape-tests"><thead><tr><th></th>',
    `<th>${paired ? 'Base' : 'Baseline'}</th><th>${paired ? 'Head' : 'This run'}</th><th>Change</th><th>CI</th><th>Allowed</th><th>Verdict</th></tr></thead><tbody>`,
    ...ordered.map(row),
    '</tbody></table>',
    ...(reasons.length > 0 ? [`<p class="reasons">${reasons.join('<br>')}</p>`] : []),
  ].join('\n');
}
