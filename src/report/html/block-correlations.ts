import { sampleCorrelation } from 'simple-statistics';
import { decodeCounts, percentileOfCounts } from '../../record/latency-counts.js';
import type { EncodedHistogram, RunRecord, TargetSample, TargetSeries } from '../../record/run-record-types.js';
import { formatCount } from '../number-format.js';
import { escapeHtml } from './html-escape.js';

/**
 * Where latency went, as the seed's analysis reads it: per block, the correlation of a step's p95
 * with each of its `Server-Timing` components' p95 of dur, and with each scraped resource of the
 * target (a counter as its rate in the block, CPU as cores busy; a gauge as its value), so that
 * "latency follows db time" or "latency follows CPU" can be seen. Pearson's r over the blocks
 * where both have a value (at least `MIN_BLOCKS`); neighbouring blocks are not independent, so r
 * is a pointer to look at the charts, not a test.
 */
export const MIN_BLOCKS = 5;

export interface BlockCorrelation {
  step: string;
  /** `server-timing`: one of the step's components; `resource`: a scraped series. */
  kind: 'server-timing' | 'resource';
  name: string;
  r: number;
  blocks: number;
}

/** Every step's (and overall's, against the resources) correlations, strongest first within a step. */
export function blockCorrelations(record: RunRecord): BlockCorrelation[] {
  const resources = Object.entries(record.targetMetrics?.series ?? {}).map(([name, series]) => ({ name, values: resourcePerBlock(series, record.blocks.length) }));
  const steps: Array<[string, RunRecord['overall']]> = [['overall', record.overall], ...Object.entries(record.steps)];
  return steps.flatMap(([step, stepRecord]) => {
    const latency = stepRecord.blocks.map((b) => p95Of(b.histogram));
    const components = Object.entries(stepRecord.serverTiming?.components ?? {}).map(([name, c]) => ({ kind: 'server-timing' as const, name, values: c.blocks.map(p95Of) }));
    const found = [...components, ...resources.map((r) => ({ kind: 'resource' as const, ...r }))].flatMap((candidate) => {
      const pairs = latency.flatMap((y, i) => {
        const x = candidate.values[i];
        return y === null || x === null || x === undefined ? [] : [[x, y] as const];
      });
      if (pairs.length < MIN_BLOCKS) return [];
      const xs = pairs.map(([x]) => x);
      const ys = pairs.map(([, y]) => y);
      if (spreadless(xs) || spreadless(ys)) return [];
      const r = sampleCorrelation(xs, ys);
      return Number.isFinite(r) ? [{ step, kind: candidate.kind, name: candidate.name, r, blocks: pairs.length }] : [];
    });
    return found.sort((a, b) => Math.abs(b.r) - Math.abs(a.r));
  });
}

function p95Of(histogram: EncodedHistogram): number | null {
  const counts = decodeCounts(histogram);
  return counts.total === 0 ? null : percentileOfCounts(counts, 95);
}

function spreadless(values: readonly number[]): boolean {
  return values.every((v) => v === values[0]);
}

/** A counter's rate from the sample before (per second), a gauge's value; null where a block had no sample. */
function resourcePerBlock(series: TargetSeries, blockCount: number): Array<number | null> {
  let before: TargetSample | undefined = series.start;
  return Array.from({ length: blockCount }, (_, i) => {
    const sample = series.blocks[i] ?? null;
    if (sample === null) return null;
    if (series.type !== 'counter') return sample.value;
    const previous = before;
    before = sample;
    if (previous === undefined || sample.atMs <= previous.atMs || sample.value < previous.value) return null;
    return (sample.value - previous.value) / ((sample.atMs - previous.atMs) / 1000);
  });
}

/** The table: a row per step and component or resource, r with a bar, the blocks it rests on; empty without any. */
export function blockCorrelationsTable(correlations: readonly BlockCorrelation[]): string {
  if (correlations.length === 0) return '';
  const rows = correlations.map((c) => {
    const what = c.kind === 'server-timing' ? `Server-Timing <code>${escapeHtml(c.name)}</code>` : `target’s <code>${escapeHtml(c.name)}</code>${c.name === 'process_cpu_seconds_total' ? ' (cores busy)' : ''}`;
    // A bar of text: the page's policy allows no inline style.
    const bar = `<span class="muted">${'█'.repeat(Math.round(Math.abs(c.r) * 10))}</span>`;
    return `<tr><td class="text">${c.step === 'overall' ? 'All steps' : `<code>${escapeHtml(c.step)}</code>`}</td><td class="text">${what}</td><td>${c.r >= 0 ? '+' : '−'}${Math.abs(c.r).toFixed(2)}</td><td class="text">${bar}</td><td>${formatCount(c.blocks)}</td></tr>`;
  });
  return [
    '<section id="correlations"><h2>What latency follows, block by block</h2>',
    `<p class="muted">Pearson’s r of each step’s p95 per block with each of its Server-Timing components’ p95 of dur and with each resource the target reported (a counter as its rate, CPU as cores busy), over the blocks where both have a value (at least ${MIN_BLOCKS}). Near +1: latency rose and fell with it. Neighbouring blocks move together, so r points at a chart to read; it is no test.</p>`,
    '<table class="correlations"><thead><tr><th class="text">Step</th><th class="text">With</th><th>r</th><th class="text"></th><th>Blocks</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
    '</section>',
  ].join('\n');
}
