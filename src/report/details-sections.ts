import type { Comparison, MetricComparison, RunRef, StepComparison } from '../compare/comparison-types.js';
import { renderMermaidChart } from './block-charts.js';
import { code, escapeText } from './escape.js';
import { formatChange, formatChangeSize, formatCount, formatDuration, formatObserved, formatPlain, formatWholePercent, isFiniteNumber } from './number-format.js';
import { pairedMethodText } from './pairing-line.js';
import { VERDICT_MARK } from './verdict-marks.js';

/** Folded sections: what a curious reviewer opens, and what is dropped first when space runs out. */

function details(summary: string, body: string): string {
  return `<details>\n<summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/**
 * The fold around the per-step sections, in two parts so that the report can leave out steps one
 * by one when it runs out of space and still close the fold.
 */
export const STEP_DETAILS_OPEN = '<details>\n<summary>Per step: p50, p95, p99, throughput and error rate with their intervals and allowances, p95 per block</summary>';
export const STEP_DETAILS_CLOSE = '</details>';

/** Charts of p95 per block, at most `limit` steps (overall first). */
export function renderChartDetails(comparison: Comparison, limit = 10): string {
  const charts = comparison.steps
    .slice(0, limit)
    .map((step) => renderMermaidChart(step, step.kind === 'overall' ? 'all steps' : step.name))
    .filter((chart) => chart !== '');
  if (charts.length === 0) return '';
  const legend = `First line: ${comparison.pairing ? 'the base' : 'the newest baseline run'}; second: this run. A block with too few requests is drawn at 0.`;
  return details('Charts: p95 per block', [legend, ...charts].join('\n\n'));
}

export function renderThresholdDetails(comparison: Comparison): string {
  if (comparison.thresholds.length === 0) return '';
  const rows = comparison.thresholds.map((t) => {
    const mark = t.abortedRun ? `❌ aborted the run at ${formatDuration(t.abortedRun.atMs)}` : t.status === 'broken' ? '❌' : t.status === 'ok' ? '✅' : `⚪ no data${t.noData === undefined ? '' : `: ${escapeText(t.noData)}`}`;
    const observed = t.observed === null ? '–' : formatObserved(t.unit, t.observed);
    return `| ${code(t.metric)} | ${code(t.expression)} | ${observed} | ${mark} |`;
  });
  const broken = comparison.thresholds.filter((t) => t.status === 'broken').length;
  const summary = `Thresholds: ${comparison.thresholds.length - broken} met, ${broken} broken`;
  return details(summary, ['| Metric | Threshold | This run | |', '|---|---|---:|:---:|', ...rows].join('\n'));
}

/** What the gated estimate cannot see, said wherever the method is (docs/gate.md, "What the gate cannot see"). */
const BLIND_SPOT =
  "What it cannot see: the gated p95 is a trimmed mean of the blocks' p95s with bursts set aside, so a regression that stalls a few whole seconds (a one-second garbage-collection pause every five seconds) can be set aside with them, as it is against a stored baseline. The tail of blocks (its count of blocks beyond the baseline's 95th percentile of block p95s, shown when it is a finding) looks for such stalls; it is reported, never gated.";

/** How the verdict was reached, what the run could detect, and everything worth a footnote. */
export function renderMethodDetails(comparison: Comparison): string {
  const { settings } = comparison;
  const names = settings.correctedTestNames;
  const count = formatCount(settings.correctedTests);
  const tests = names && names.length > 0 ? `${count} test${settings.correctedTests === 1 ? '' : 's'} (Hommel: ${names.map(escapeText).join(', ')})` : `${count} tests (Hommel)`;
  const [gate, noise] = [
    `A metric fails the gate only when its change is beyond the allowed change **and** significantly worse than the baseline: the better end of its confidence interval must be past zero, at α = ${formatPlain(settings.alpha)} corrected for ${tests}. A metric the profile fixes (throughput under an arrival rate, when no iterations were dropped) and an error rate no run ever raised are not questions, so they are not counted.`,
    `The change of p95 is measured on blocks of each run (their length, chosen per step from its request rate and how much neighbouring blocks move together, is in the table below), as the 20%-trimmed mean of the blocks' log p95, so one bad block cannot dominate. The interval counts the noise inside each run (the spread of its blocks) and between runs: the baseline runs' spread beyond their own noise, with the run-to-run noise assumed around ${formatPlain(settings.noiseFloorPct)}% (the noise floor, a heavy-tailed assumption) until enough baseline runs measure it. Its better end is at the corrected level and its worse end at α; a metric passes when the worse end is within the allowed change. Improvements are reported and never fail.`,
  ];
  // Paired mode judged head against base from one job: its own account of the noise.
  const method = `${gate} ${comparison.pairing ? pairedMethodText(comparison) : noise} ${BLIND_SPOT}`;
  const sections = [settings.correctedTests > 0 ? method : '', historyText(comparison), noiseTable(comparison)];
  if (comparison.notes.length > 0) sections.push(comparison.notes.map((note) => `- ${escapeText(note)}`).join('\n'));
  return details('How this was decided', sections.filter((s) => s !== '').join('\n\n'));
}

function historyText(comparison: Comparison): string {
  const used = comparison.history.used;
  const lines: string[] = [];
  if (comparison.pairing && used.length > 0) {
    lines.push(`Base: ${escapeText(comparison.pairing.baselineTarget)}, measured in the same job in ${formatCount(comparison.pairing.pairs)} block pairs.`);
  } else if (used.length > 0) {
    lines.push(`Baseline: ${used.length} run${used.length === 1 ? '' : 's'} from the default branch, oldest first: ${used.map(describeRun).join(', ')}.`);
  }
  for (const { run, reason } of comparison.history.skipped) lines.push(`Left out: ${describeRun(run)}, ${escapeText(reason)}.`);
  const measured = `This run: ${describeRun(comparison.current)}, measured for ${formatDuration(comparison.current.measuredMs)}${comparison.current.interrupted ? ' (interrupted)' : ''}.`;
  return [...lines, measured].join('<br>\n');
}

function describeRun(run: RunRef): string {
  const label = run.commit !== undefined ? run.commit.slice(0, 7) : (run.runId ?? run.startedAt);
  return `${code(label)} (${escapeText(run.startedAt.slice(0, 16).replace('T', ' '))})`;
}

function noiseTable(comparison: Comparison): string {
  const rows = comparison.steps.filter((s) => s.p95.noise || s.throughput.noise || s.errorRate.noise).map(noiseRow);
  if (rows.length === 0) return '';
  const power = formatWholePercent(comparison.settings.power);
  return [
    `Smallest worsening this run would catch ${power}% of the time, and the noise behind it (p95):`,
    '',
    '| Step | p95 | Throughput | Error rate | p95 blocks | p95 noise |',
    '|---|---:|---:|---:|---|---|',
    ...rows,
  ].join('\n');
}

function noiseRow(step: StepComparison): string {
  const detectable = (m: MetricComparison): string => (m.minimumDetectableChange === null ? '–' : formatChange(m, m.minimumDetectableChange));
  const noise = step.p95.noise;
  let p95Noise = '–';
  let blocks = '–';
  if (noise) {
    const source = noise.betweenRunsSource === 'history' ? `from ${formatCount(noise.historyRuns)} runs` : noise.betweenRunsSource === 'noise-floor' ? 'assumed' : 'none';
    const pct = (logSd: number): string => formatChangeSize({ changeUnit: '%' }, isFiniteNumber(logSd) ? 100 * Math.expm1(logSd) : Number.NaN);
    const inside = noise.currentWithinMeasured === false ? 'inside this run as in the baseline runs' : `inside this run ${pct(noise.withinCurrent)}`;
    p95Noise = `standard error ${pct(noise.standardError)}: ${inside}, between runs ${pct(noise.betweenRuns)} (${source})`;
    if (noise.blockSeconds !== undefined) blocks = `${formatCount(noise.currentBlocks)} × ${formatPlain(noise.blockSeconds, 1)} s`;
    if (noise.burstSeconds) blocks += ` (${formatPlain(noise.burstSeconds)} s set aside as a burst)`;
    else if (noise.burstBlocks) blocks += ` (${formatCount(noise.burstBlocks)} set aside as a burst)`;
  }
  const name = step.kind === 'overall' ? 'All steps' : code(step.name);
  return `| ${VERDICT_MARK[step.verdict]} ${name} | ${detectable(step.p95)} | ${detectable(step.throughput)} | ${detectable(step.errorRate)} | ${blocks} | ${p95Noise} |`;
}
