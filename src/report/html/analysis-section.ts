import type { Analysis, CapacityAnswer, LoadLevel } from '../../analyze/analysis-types.js';
import type { ShapeComparison } from '../../compare/comparison-types.js';
import type { RunRecord } from '../../record/run-record-types.js';
import { analysisLines, levelCells } from '../analysis-report.js';
import { ANSWER_COLOR, answersOverTime, capacityChart } from './analysis-charts.js';
import type { ChartSpec } from './chart-data.js';
import { escapeHtml } from './html-escape.js';
import { shapeTestsTable } from './shape-tests-table.js';

/**
 * The page's section "What the run's shape answers": the analysis's lines (the comment's own
 * sentences), its notes, then latency and throughput against the offered load with the knee, p95
 * over time with each surge, its recovery window and the trend line, and the load levels as a
 * table, and the answers as the comparison gated them (`shapeTests`: against the baseline runs', or
 * in paired mode the base target's). Empty when the analysis answers nothing and notes nothing
 * and nothing was gated, as in markdown. Every text of the analysis is escaped, though its lines
 * are built from numbers and fixed words.
 */
export function analysisSection(analysis: Analysis, run: RunRecord, place: (spec: ChartSpec) => string, xMaxS?: number, gated?: { tests: readonly ShapeComparison[] | undefined; paired: boolean }): string {
  const lines = analysisLines(analysis);
  const tests = shapeTestsTable(gated?.tests, gated?.paired);
  if (lines.length === 0 && analysis.notes.length === 0 && tests === '') return '';
  const figures: string[] = [];
  const capacity = analysis.capacity ? capacityChart(analysis.capacity) : undefined;
  if (capacity) figures.push(capacityFigure(capacity, place));
  // A paired run's answers are timed on the run's clock, its charts on each target's own time line: no shared axis to draw them on.
  const overTime = gated?.paired ? undefined : answersOverTime(run, analysis, xMaxS);
  if (overTime) figures.push(overTimeFigure(analysis, overTime, place));
  const pairedNote =
    gated?.paired && (analysis.recovery.length > 0 || analysis.trend)
      ? ['<p class="muted">The surges, recoveries and slow burn are timed on the run’s clock, where each target’s blocks were measured; the charts above lay each target’s blocks end to end, so they are not drawn there.</p>']
      : [];
  return [
    '<section id="analysis"><h2>What the run’s shape answers</h2>',
    ...(lines.length > 0 ? ['<ul class="answers">', ...lines.map((line) => `<li>${escapeHtml(line)}</li>`), '</ul>'] : []),
    ...analysis.notes.map((note) => `<p class="muted">${escapeHtml(note)}</p>`),
    ...pairedNote,
    ...(tests !== '' ? [tests] : []),
    ...(figures.length > 0 ? [`<div class="grid">${figures.join('\n')}</div>`] : []),
    ...(analysis.capacity && analysis.capacity.levels.length > 0 ? [levelsTable(analysis.capacity)] : []),
    '</section>',
  ].join('\n');
}

function swatch(fill: string, words: string, strip = false): string {
  return `<span class="key"><span class="swatch${strip ? ' swatch-strip' : ''}" style="background: ${fill}"></span>${words}</span>`;
}

function capacityFigure(spec: ChartSpec, place: (spec: ChartSpec) => string): string {
  const keys = [
    ...(spec.markers ?? []).map((marker) => swatch(marker.color, marker.color === ANSWER_COLOR.sustainable ? 'the sustainable rate (the knee)' : 'where p95 crosses its threshold')),
    ...(spec.zones && spec.zones.length > 0 ? [swatch(ANSWER_COLOR.sustainableInterval, 'strips at the foot: their 95% intervals', true)] : []),
  ];
  return [
    '<figure>',
    '<figcaption>Latency and throughput against the offered load <span class="muted">p95 on the left axis, requests a second on the right</span></figcaption>',
    place(spec),
    ...(keys.length > 0 ? [`<p class="legend">${keys.join(' ')}</p>`] : []),
    '</figure>',
  ].join('\n');
}

function overTimeFigure(analysis: Analysis, spec: ChartSpec, place: (spec: ChartSpec) => string): string {
  const what = [...(analysis.recovery.length > 0 ? ['each surge and its recovery'] : []), ...(analysis.trend ? ['the trend line'] : [])].join(', ');
  const keys =
    analysis.recovery.length > 0
      ? [
          swatch(ANSWER_COLOR.surge, 'the surge'),
          ...(analysis.recovery.some((s) => s.recovered && s.seconds !== null)
            ? [swatch(ANSWER_COLOR.recovery, 'recovery: from the surge’s end until p95 was back'), swatch(ANSWER_COLOR.recoveryInterval, 'the recovery’s 95% interval', true)]
            : []),
          ...(analysis.recovery.some((s) => !s.recovered || s.seconds === null) ? [swatch(ANSWER_COLOR.notBack, 'not back by the end of the run')] : []),
        ]
      : [];
  const trend = analysis.trend ? ' Dashed: p95 growing at the trend’s slope, through the blocks’ p95 at the middle of the measured period.' : '';
  return [
    '<figure>',
    `<figcaption>p95 per block, ${what} <span class="muted">seconds from the start of the run, as the timeline</span></figcaption>`,
    place(spec),
    `<p class="legend">${keys.join(' ')}${trend}</p>`,
    '</figure>',
  ].join('\n');
}

function levelRow(level: LoadLevel, unit: CapacityAnswer['unit']): string {
  const cells = [...levelCells(level, unit), level.keptUp ? 'yes' : 'no'];
  return `<tr${level.keptUp ? '' : ' class="error-row"'}>${cells.map((cell) => `<td>${cell}</td>`).join('')}<td class="text">${escapeHtml(level.reasons.join('; '))}</td></tr>`;
}

function levelsTable(capacity: CapacityAnswer): string {
  const levels = [...capacity.levels].sort((a, b) => a.offered - b.offered);
  return [
    '<h3>Load levels: offered against achieved, p95 and its growth, errors</h3>',
    '<table class="levels"><thead><tr><th>Offered</th><th>Expected</th><th>Achieved</th><th>Dropped</th><th>p95</th><th>p95 growth</th><th>Errors</th><th>Kept up</th><th class="text">Why not</th></tr></thead><tbody>',
    ...levels.map((level) => levelRow(level, capacity.unit)),
    '</tbody></table>',
  ].join('\n');
}
