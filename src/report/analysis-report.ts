import type { Analysis, CapacityAnswer, Interval, LoadLevel, SurgeRecovery, TrendAnswer } from '../analyze/analysis-types.js';
import { escapeText } from './escape.js';
import { formatCount, formatErrorRate, formatMs, formatPct, formatRps, isFiniteNumber } from './number-format.js';

/**
 * The answers of an analysis as a reviewer reads them: one line per question (the breaking
 * point, capacity planning, each surge's recovery, the slow burn), then the levels and surges in
 * a folded section. Pure: analysis in, text out; the same lines serve the terminal and markdown.
 */

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** An estimate in req/s with its interval, the interval left out when it rounds to the estimate alone. */
function rpsRange(interval: Interval): string {
  const estimate = formatRps(interval.estimate);
  if (formatRps(interval.low) === estimate && formatRps(interval.high) === estimate) return estimate;
  return `${estimate} (95% CI ${formatRps(interval.low).replace(' req/s', '')}–${formatRps(interval.high)})`;
}

function seconds(value: number): string {
  return `${NUMBER.format(value)} s`;
}

function loadOf(unit: CapacityAnswer['unit'], value: number): string {
  return unit === 'vus' ? `${NUMBER.format(value)} VUs` : `${NUMBER.format(value)} it/s`;
}

export function capacityLine(capacity: CapacityAnswer): string {
  const crossing = capacity.sloCrossingRps ? `; p95 crosses its threshold at ${rpsRange(capacity.sloCrossingRps)}` : '';
  if (capacity.sustainableRps === null) {
    return `Breaking point: the target did not keep up even at the lowest load tried${capacity.limitedBy ? ` (limited by ${capacity.limitedBy})` : ''}${crossing}.`;
  }
  if (capacity.atLeast) {
    return `Capacity: at least ${rpsRange(capacity.sustainableRps)}: the target kept up with the highest load tried, so its breaking point lies beyond this run${crossing}.`;
  }
  const usl = capacity.usl ? `; scalability fit: peak ${formatRps(capacity.usl.peakRps)} at ${NUMBER.format(capacity.usl.peakConcurrency)} VUs` : '';
  return `Breaking point: sustains ${rpsRange(capacity.sustainableRps)}${capacity.limitedBy ? `, then limited by ${capacity.limitedBy}` : ''}${crossing}${usl}.`;
}

export function planLine(plan: NonNullable<CapacityAnswer['plan']>): string {
  const { instances } = plan;
  const range = instances.low === instances.high ? '' : ` (95% CI ${formatCount(instances.low)}–${formatCount(instances.high)})`;
  return `Capacity plan: ${formatCount(plan.target)} ${plan.unit === 'users' ? 'users' : 'req/s'} with ${NUMBER.format(plan.headroomPct)}% headroom needs ${formatCount(instances.estimate)} instance${instances.estimate === 1 ? '' : 's'}${range}.`;
}

export function recoveryLine(surge: SurgeRecovery, unit: CapacityAnswer['unit'] = 'rps', shown: (text: string) => string = (text) => text): string {
  const when = `${seconds(surge.surgeStartMs / 1000)}–${seconds(surge.surgeEndMs / 1000)}`;
  const errors = surge.surgeErrors > 0 ? `; ${formatCount(surge.surgeErrors)} errors during it (${formatErrorRate(surge.surgeErrorRate)})` : '; no errors during it';
  const peak = isFiniteNumber(surge.p95BeforeMs) && isFiniteNumber(surge.p95PeakMs) ? `, p95 ${formatMs(surge.p95BeforeMs)} before, ${formatMs(surge.p95PeakMs)} at worst` : '';
  const head = `Surge from ${loadOf(unit, surge.beforeOffered)} to ${loadOf(unit, surge.surgeOffered)} at ${when}`;
  if (!surge.recovered || surge.seconds === null) {
    const why = surge.note === undefined ? 'not recovered by the end of the run' : shown(surge.note.replace(/\.$/, ''));
    return `${head}: ${why}${peak}${errors}.`;
  }
  const { estimate, low, high } = surge.seconds;
  return `${head}: recovered ${seconds(estimate)} after it ended (95% CI ${NUMBER.format(low)}–${seconds(high)})${peak}${errors}.`;
}

export function trendLine(trend: TrendAnswer): string {
  const { estimate, low, high } = trend.p95PctPerMinute;
  const slope = `${formatPct(estimate)} a minute (95% CI ${formatPct(low)} to ${formatPct(high)})`;
  const errors = trend.errorRatePointsPerMinute && trend.errorRatePointsPerMinute.estimate > 0 ? `; error rate ${formatPct(trend.errorRatePointsPerMinute.estimate)} points a minute` : '';
  return trend.significant
    ? `Slow burn: p95 grows ${slope}, beyond chance (p = ${trend.pValue.toPrecision(2)}, over ${trend.blocks} blocks)${errors}.`
    : `Slow burn: no significant growth; p95 ${slope} over ${trend.blocks} blocks${errors}.`;
}

/**
 * One line per answer, in the order a reader asks. `shown` renders the words the analysis carries
 * as text (a surge's note): as they are in a terminal, escaped in markdown.
 */
export function analysisLines(analysis: Analysis, shown: (text: string) => string = (text) => text): string[] {
  const lines: string[] = [];
  if (analysis.capacity) {
    lines.push(capacityLine(analysis.capacity));
    if (analysis.capacity.plan) lines.push(planLine(analysis.capacity.plan));
  }
  const unit = analysis.capacity?.unit;
  for (const surge of analysis.recovery) lines.push(recoveryLine(surge, unit, shown));
  if (analysis.trend) lines.push(trendLine(analysis.trend));
  return lines;
}

/** A level's figures as table cells, offered load to error rate (the comment's table and the HTML page's alike). */
export function levelCells(level: LoadLevel, unit: CapacityAnswer['unit']): string[] {
  return [
    loadOf(unit, level.offered),
    level.expectedRps === undefined ? '' : formatRps(level.expectedRps),
    formatRps(level.achievedRps),
    level.dropped === undefined ? '' : formatCount(level.dropped),
    isFiniteNumber(level.p95Ms) ? formatMs(level.p95Ms) : '',
    level.p95GrowthPctPerSecond === undefined ? '' : `${formatPct(level.p95GrowthPctPerSecond)}/s`,
    formatErrorRate(level.errorRate),
  ];
}

function levelRow(level: LoadLevel, unit: CapacityAnswer['unit']): string {
  const cells = [
    `${seconds(level.startMs / 1000)}–${seconds(level.endMs / 1000)}`,
    ...levelCells(level, unit),
    level.keptUp ? 'yes' : `no: ${escapeText(level.reasons.join('; '))}`,
  ];
  return `| ${cells.join(' | ')} |`;
}

/** The analysis in markdown: the lines, then the levels folded. Empty when there is nothing to answer. */
export function renderAnalysisSection(analysis: Analysis): string {
  const lines = analysisLines(analysis, escapeText);
  if (lines.length === 0 && analysis.notes.length === 0) return '';
  const parts = ['#### What the run\'s shape answers', '', ...lines.map((line) => `- ${line}`)];
  if (analysis.notes.length > 0) parts.push('', ...analysis.notes.map((note) => `> ${escapeText(note)}`));
  if (analysis.capacity && analysis.capacity.levels.length > 0) {
    const unit = analysis.capacity.unit;
    parts.push(
      '',
      '<details>',
      '<summary>Load levels: offered against achieved, p95 and its growth, errors</summary>',
      '',
      '| time | offered | expected | achieved | dropped | p95 | p95 growth | errors | kept up |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---|',
      ...analysis.capacity.levels.map((level) => levelRow(level, unit)),
      '',
      '</details>',
    );
  }
  return parts.join('\n');
}
