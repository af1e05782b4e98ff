import type { StepComparison } from '../compare/comparison-types.js';
import { code } from './escape.js';
import { serverTimingCells } from './server-timing-cells.js';
import { VERDICT_MARK } from './verdict-marks.js';

/**
 * A step's Server-Timing components in its folded section of the PR comment: each component's
 * p95 of `dur`, baseline → this run, and the change, largest move first, as the comparison lists
 * them. Names are the target's, shown as escaped code. Empty when the step has no breakdown.
 */
export function renderServerTimingTable(step: StepComparison, baselineWord: 'baseline' | 'base' = 'baseline'): string {
  const cells = serverTimingCells(step.serverTiming, code);
  if (cells === undefined) return '';
  const word = baselineWord === 'base' ? 'Base' : 'Baseline';
  const header = ['Server-Timing, p95', word, 'This run', 'Change', ...(cells.withIntervals ? ['CI'] : []), ...(cells.withVerdicts ? ['Allowed', ''] : [])];
  const align = ['---', '---:', '---:', '---:', ...(cells.withIntervals ? [':---:'] : []), ...(cells.withVerdicts ? ['---:', ':---:'] : [])];
  const rows = cells.rows.map((r) => {
    const mark = r.verdict === undefined ? '' : VERDICT_MARK[r.verdict];
    return [r.name, r.baseline, r.current, r.change, ...(cells.withIntervals ? [r.interval] : []), ...(cells.withVerdicts ? [r.allowed, mark] : [])];
  });
  const line = (cols: string[]): string => `| ${cols.join(' | ')} |`;
  const judged = !cells.withIntervals
    ? '; point changes, not gated'
    : `; the interval is of the change of its blocks' p95 level, as the step's p95 is tested${cells.withVerdicts ? '' : '; not gated'}`;
  const from = baselineWord === 'base' ? 'the base run' : "the median of the baseline runs' p95s";
  const more = (step.serverTiming?.components.length ?? 0) - cells.rows.length;
  const notes = [
    `The target's own account of its time (the ${code('Server-Timing')} header): each component's p95 of ${code('dur')}, this run against ${from}${judged}.`,
    more > 0 ? `${more} more components not shown.` : '',
    cells.issues !== '' ? `This run: ${cells.issues}.` : '',
  ].filter((n) => n !== '');
  return [line(header), `|${align.join('|')}|`, ...rows.map(line), '', `<sub>${notes.join(' ')}</sub>`].join('\n');
}
