import { comparePaired } from '../compare/compare-paired.js';
import { compareRuns } from '../compare/compare-runs.js';
import type { Comparison } from '../compare/comparison-types.js';
import type { PairedRecord } from '../record/paired-record-types.js';
import type { RunRecord } from '../record/run-record-types.js';
import { median } from 'simple-statistics';
import { clopperPearson } from '../stats/binomial-interval.js';

/**
 * The gate's own validation: A/A comparisons (nothing changed) must fail at most alpha of the
 * time; A/B comparisons with latency injected at multiples of the threshold must be caught,
 * twice the threshold at least 90% of the time. Beside each, what a bare ratio rule (fail when
 * current p95 / baseline p95 exceeds 1 + threshold, on any step) decides on the same runs.
 * The same bookkeeping serves paired runs (`judgePaired`): head against base of one run.
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
  /** The overall p95 change the comparison estimated, % (null when it could not). */
  p95Change?: number | null;
  /**
   * The generator's self-check refused the run (it, not the target, was the bottleneck): counted
   * apart, not as a comparison. Set only by experiments that report refusals (`judgePaired`).
   */
  refused?: boolean;
  /** How long the run took on the clock, warm-up included (a sequential paired run stops early). */
  wallSeconds?: number;
}

/**
 * Compares one run with its history, and applies the bare ratio rule to the same pair. With
 * `refusals`, a run the generator's self-check refused is marked so (counted apart).
 */
export function judge(size: number, current: RunRecord, history: readonly RunRecord[], settings: ExperimentSettings, options: { refusals?: boolean } = {}): Trial {
  const comparison = compareRuns({ baselines: history, current, options: { thresholdPct: settings.thresholdPct, alpha: settings.alpha } });
  return {
    size,
    gateFailed: comparison.verdict === 'regression',
    gateVerdict: comparison.verdict,
    ratioFailed: bareRatioFails(current, history, settings.thresholdPct),
    p95Change: overallChange(comparison),
    ...(options.refusals === true ? { refused: !comparison.generator.valid } : {}),
  };
}

/**
 * Judges one paired run as `tailgate compare --current paired.json` does (head against the base
 * measured beside it), and applies the bare ratio rule to head against base of the same run.
 */
export function judgePaired(size: number, paired: PairedRecord, settings: Pick<ExperimentSettings, 'thresholdPct' | 'alpha'>): Trial {
  const comparison = comparePaired({ paired, options: { thresholdPct: settings.thresholdPct, alpha: settings.alpha } });
  return {
    size,
    gateFailed: comparison.verdict === 'regression',
    gateVerdict: comparison.verdict,
    ratioFailed: bareRatioFails(paired.head, [paired.base], settings.thresholdPct),
    p95Change: overallChange(comparison),
    refused: !comparison.generator.valid,
  };
}

function overallChange(comparison: Comparison): number | null {
  return comparison.steps.find((s) => s.kind === 'overall')?.p95.change ?? null;
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
  /** Comparisons judged: trials the self-check did not refuse. */
  trials: number;
  /** Trials the generator's self-check refused, apart from `trials`. */
  refused: number;
  gateFails: number;
  gateRate: number;
  /** 95% exact interval of the gate's failure rate. */
  gateInterval: { low: number; high: number };
  /** Median overall p95 change the comparisons estimated, % (null when none did). */
  medianP95Change: number | null;
  inconclusive: number;
  ratioFails: number;
  ratioRate: number;
  /** Median wall time of the judged runs, seconds (null when the trials did not time it). */
  medianWallSeconds: number | null;
}

export function summarize(trials: readonly Trial[]): ResultRow[] {
  const sizes = [...new Set(trials.map((t) => t.size))].sort((a, b) => a - b);
  return sizes.map((size) => {
    const all = trials.filter((t) => t.size === size);
    const group = all.filter((t) => t.refused !== true);
    const gateFails = group.filter((t) => t.gateFailed).length;
    const ratioFails = group.filter((t) => t.ratioFailed).length;
    const changes = group.flatMap((t) => (typeof t.p95Change === 'number' ? [t.p95Change] : []));
    const walls = group.flatMap((t) => (typeof t.wallSeconds === 'number' ? [t.wallSeconds] : []));
    return {
      size,
      trials: group.length,
      refused: all.length - group.length,
      gateFails,
      gateRate: group.length > 0 ? gateFails / group.length : 0,
      gateInterval: group.length > 0 ? clopperPearson(gateFails, group.length) : { low: 0, high: 1 },
      medianP95Change: changes.length > 0 ? median(changes) : null,
      inconclusive: group.filter((t) => t.gateVerdict === 'inconclusive').length,
      ratioFails,
      ratioRate: group.length > 0 ? ratioFails / group.length : 0,
      medianWallSeconds: walls.length > 0 ? median(walls) : null,
    };
  });
}

/**
 * Whether the gate met its promises: A/A at most alpha, twice the threshold caught at least
 * `power` of the time (90% for stored baselines on real load, 95% for paired mode).
 */
export function verdictOf(rows: readonly ResultRow[], alpha: number, power = 0.9): { ok: boolean; problems: string[] } {
  const problems: string[] = [];
  const aa = rows.find((r) => r.size === 0);
  if (aa && aa.gateRate > alpha) problems.push(`A/A false-fail rate ${pct(aa.gateRate)} is above alpha ${pct(alpha)}`);
  const twice = rows.find((r) => r.size === 2);
  if (twice && twice.gateRate < power) problems.push(`twice the threshold was caught ${pct(twice.gateRate)} of the time, below ${pct(power)}`);
  for (const row of rows) {
    if (row.trials === 0 && row.refused > 0) problems.push(`every run ${row.size === 0 ? 'of A/A' : `at ${row.size}× the threshold`} was refused by the generator's self-check: nothing was judged`);
  }
  return { ok: problems.length === 0, problems };
}

/**
 * The results as a markdown table (for the README). `refusals` adds the runs the self-check
 * refused and the median estimated change (paired mode on real load).
 */
export function formatResults(rows: readonly ResultRow[], settings: Pick<ExperimentSettings, 'thresholdPct'> & Partial<ExperimentSettings>, options: { refusals?: boolean } = {}): string {
  const extra = options.refusals === true;
  const timed = rows.some((r) => r.medianWallSeconds !== null);
  const lines = [
    `| injected p95 change | comparisons | gate fails (95% CI) | of which inconclusive | bare ratio rule fails |${extra ? ' median estimated p95 change | refused by the self-check |' : ''}${timed ? ' median wall time |' : ''}`,
    `|---|---:|---:|---:|---:|${extra ? '---:|---:|' : ''}${timed ? '---:|' : ''}`,
  ];
  for (const r of rows) {
    const label = r.size === 0 ? 'none (A/A)' : `+${(r.size * settings.thresholdPct).toFixed(0)}% (${r.size}× threshold)`;
    const gate = r.trials > 0 ? `${r.gateFails} = ${pct(r.gateRate)} (${pct(r.gateInterval.low)} – ${pct(r.gateInterval.high)})` : 'none judged';
    const ratio = r.trials > 0 ? `${r.ratioFails} = ${pct(r.ratioRate)}` : '–';
    const more = extra ? ` ${r.medianP95Change === null ? '–' : `${r.medianP95Change >= 0 ? '+' : ''}${r.medianP95Change.toFixed(1)}%`} | ${r.refused} |` : '';
    const wall = timed ? ` ${r.medianWallSeconds === null ? '–' : `${r.medianWallSeconds.toFixed(1)} s`} |` : '';
    lines.push(`| ${label} | ${r.trials} | ${gate} | ${r.inconclusive} | ${ratio} |${more}${wall}`);
  }
  return lines.join('\n');
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x > 0 && x < 0.1 ? 1 : 0)}%`;
}
