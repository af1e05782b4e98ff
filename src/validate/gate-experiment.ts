import { compareRuns } from '../compare/compare-runs.js';
import type { Comparison } from '../compare/comparison-types.js';
import type { RunRecord } from '../record/run-record-types.js';
import { clopperPearson } from '../stats/binomial-interval.js';

/**
 * The gate's own validation: A/A comparisons (nothing changed) must fail at most alpha of the
 * time; A/B comparisons with latency injected at multiples of the threshold must be caught,
 * twice the threshold at least 90% of the time. Beside each, what a bare ratio rule (fail when
 * current p95 / baseline p95 exceeds 1 + threshold, on any step) decides on the same runs.
 * This file holds the bookkeeping and the decisions, pure; the runs come from outside.
 */

export interface ExperimentSettings {
  thresholdPct: number;
  alpha: number;
  /** Baseline history length: each comparison uses the `history` A runs before it. */
  history: number;
}

export interface Trial {
  /** 0 for A/A; otherwise the injected slowdown as a multiple of the threshold. */
  size: number;
  gateFailed: boolean;
  gateVerdict: Comparison['verdict'];
  ratioFailed: boolean;
}

/** Compares one run with its history, and applies the bare ratio rule to the same pair. */
export function judge(size: number, current: RunRecord, history: readonly RunRecord[], settings: ExperimentSettings): Trial {
  const comparison = compareRuns({ baselines: history, current, options: { thresholdPct: settings.thresholdPct, alpha: settings.alpha } });
  return { size, gateFailed: comparison.verdict === 'regression', gateVerdict: comparison.verdict, ratioFailed: bareRatioFails(current, history, settings.thresholdPct) };
}

/** The rule most tools use: the newest baseline's p95 against this run's, for every step and overall. */
export function bareRatioFails(current: RunRecord, history: readonly RunRecord[], thresholdPct: number): boolean {
  const newest = history[history.length - 1];
  if (!newest) return false;
  const limit = 1 + thresholdPct / 100;
  const pairs = [[current.summary.overall, newest.summary.overall], ...Object.entries(current.summary.steps).map(([name, m]) => [m, newest.summary.steps[name]])];
  return pairs.some(([c, b]) => c !== undefined && b !== undefined && b.p95 > 0 && c.p95 / b.p95 > limit);
}

export interface ResultRow {
  size: number;
  trials: number;
  gateFails: number;
  gateRate: number;
  /** 95% exact interval of the gate's failure rate. */
  gateInterval: { low: number; high: number };
  inconclusive: number;
  ratioFails: number;
  ratioRate: number;
}

export function summarize(trials: readonly Trial[]): ResultRow[] {
  const sizes = [...new Set(trials.map((t) => t.size))].sort((a, b) => a - b);
  return sizes.map((size) => {
    const group = trials.filter((t) => t.size === size);
    const gateFails = group.filter((t) => t.gateFailed).length;
    const ratioFails = group.filter((t) => t.ratioFailed).length;
    return {
      size,
      trials: group.length,
      gateFails,
      gateRate: gateFails / group.length,
      gateInterval: clopperPearson(gateFails, group.length),
      inconclusive: group.filter((t) => t.gateVerdict === 'inconclusive').length,
      ratioFails,
      ratioRate: ratioFails / group.length,
    };
  });
}

/** Whether the gate met its promises: A/A at most alpha, twice the threshold caught ≥ 90%. */
export function verdictOf(rows: readonly ResultRow[], alpha: number): { ok: boolean; problems: string[] } {
  const problems: string[] = [];
  const aa = rows.find((r) => r.size === 0);
  if (aa && aa.gateRate > alpha) problems.push(`A/A false-fail rate ${pct(aa.gateRate)} is above alpha ${pct(alpha)}`);
  const twice = rows.find((r) => r.size === 2);
  if (twice && twice.gateRate < 0.9) problems.push(`twice the threshold was caught ${pct(twice.gateRate)} of the time, below 90%`);
  return { ok: problems.length === 0, problems };
}

/** The results as a markdown table (for the README). */
export function formatResults(rows: readonly ResultRow[], settings: ExperimentSettings): string {
  const lines = [
    `| injected p95 change | comparisons | gate fails (95% CI) | of which inconclusive | bare ratio rule fails |`,
    `|---|---:|---:|---:|---:|`,
  ];
  for (const r of rows) {
    const label = r.size === 0 ? 'none (A/A)' : `+${(r.size * settings.thresholdPct).toFixed(0)}% (${r.size}× threshold)`;
    lines.push(
      `| ${label} | ${r.trials} | ${r.gateFails} = ${pct(r.gateRate)} (${pct(r.gateInterval.low)} – ${pct(r.gateInterval.high)}) | ${r.inconclusive} | ${r.ratioFails} = ${pct(r.ratioRate)} |`,
    );
  }
  return lines.join('\n');
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x > 0 && x < 0.1 ? 1 : 0)}%`;
}
