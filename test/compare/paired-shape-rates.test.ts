import { afterAll, describe, expect, test } from 'vitest';
import { comparePaired } from '../../src/compare/compare-paired.js';
import type { Comparison, ShapeComparison } from '../../src/compare/comparison-types.js';
import { clopperPearson } from '../../src/stats/binomial-interval.js';
import { changingLoadPaired, pairedSpike, pairedStress } from '../helpers/synthetic-paired.js';

/**
 * How often paired mode's shape tests fail, on synthetic paired runs of known truth
 * (`test/helpers/synthetic-paired.ts`), each trial its own seed: a head whose capacity is a quarter
 * lower, whose recovery from a surge takes twice as long, whose p95 grows 20% a minute, and heads
 * equal to their base. The suite runs a few trials a case and checks the rates loosely; the figures
 * in docs/analyze.md come from TAILGATE_PAIRED_SHAPE_TRIALS=200 (printed with exact intervals).
 */

const TRIALS = Number(process.env.TAILGATE_PAIRED_SHAPE_TRIALS ?? 5);

interface Tally {
  trials: number;
  regressions: number;
  inconclusive: number;
  changes: number[];
  /** The head's and the base's answers, as tested. */
  heads: number[];
  bases: number[];
}

function run(question: ShapeComparison['question'], draw: (seed: number) => Comparison, offset: number): Tally {
  const tally: Tally = { trials: 0, regressions: 0, inconclusive: 0, changes: [], heads: [], bases: [] };
  for (let trial = 0; trial < TRIALS; trial++) {
    const comparison = draw(offset + trial);
    const found = comparison.shapeTests?.find((t) => t.question === question);
    tally.trials++;
    if (found?.verdict === 'regression') tally.regressions++;
    if (found?.verdict === 'inconclusive') tally.inconclusive++;
    if (found?.change !== null && found?.change !== undefined) tally.changes.push(found.change);
    if (found?.current !== null && found?.current !== undefined) tally.heads.push(found.current);
    if (found?.baseline !== null && found?.baseline !== undefined) tally.bases.push(found.baseline);
  }
  return tally;
}

function line(label: string, tally: Tally): string {
  const { low, high } = clopperPearson(tally.regressions, tally.trials);
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const sorted = [...tally.changes].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  const range = (values: number[]): string => (values.length === 0 ? '–' : `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`);
  return `| ${label} | ${tally.trials} | ${pct(tally.regressions / tally.trials)} (${pct(low)}–${pct(high)}) | ${tally.inconclusive} | ${median.toFixed(1)} | ${range(tally.bases)} · ${range(tally.heads)} |`;
}

const soak = (growth: number) => (seed: number) =>
  comparePaired({
    paired: changingLoadPaired({
      seed,
      seconds: 240,
      rateAt: () => 40,
      targets: {
        head: (at, random) => 20 * Math.exp(Math.log1p(growth) * (at / 60_000)) * Math.exp(0.15 * random.normal()),
        base: (_at, random) => 20 * Math.exp(0.15 * random.normal()),
      },
    }),
    options: { trendPctPerMinute: 5 },
  });

describe(`paired shape tests over ${TRIALS} synthetic runs a case`, () => {
  const rows: string[] = [];
  afterAll(() => {
    if (process.env.TAILGATE_PAIRED_SHAPE_TRIALS) console.log(['| case | trials | failed (95% CI) | inconclusive | median change | base · head answers |', '|---|---:|---|---:|---:|---|', ...rows].join('\n'));
  });

  test('capacity: a quarter lower is caught, an equal one is not failed', () => {
    const lost = run('capacity', (seed) => comparePaired({ paired: pairedStress(seed, 1 / 0.75) }), 10_000);
    const same = run('capacity', (seed) => comparePaired({ paired: pairedStress(seed) }), 20_000);
    rows.push(line('capacity 25% lower (allowed 10%)', lost), line('capacity equal', same));
    expect(lost.regressions / lost.trials).toBeGreaterThanOrEqual(0.9);
    expect(same.regressions).toBeLessThanOrEqual(Math.max(1, Math.ceil(0.1 * same.trials)));
  }, 600_000);

  test('recovery: twice as long is caught, as long is not failed, wherever the surge falls in the schedule', () => {
    // The surge starts 20–25 s into the run, so each trial meets the blocks of ABBA at another phase.
    const start = (seed: number): number => 20 + (seed % 6);
    const twice = run('recovery', (seed) => comparePaired({ paired: pairedSpike(seed, 16, 8, 0.03, start(seed)) }), 30_000);
    const same = run('recovery', (seed) => comparePaired({ paired: pairedSpike(seed, 8, 8, 0.03, start(seed)) }), 40_000);
    const short = run('recovery', (seed) => comparePaired({ paired: pairedSpike(seed, 4, 4, 0.03, start(seed)) }), 45_000);
    rows.push(line('recovery 2×, 16 s against 8 s (allowed +50%)', twice), line('recovery equal, 8 s', same), line('recovery equal, 4 s', short));
    expect(twice.regressions / twice.trials).toBeGreaterThanOrEqual(0.8);
    expect(same.regressions).toBeLessThanOrEqual(Math.max(1, Math.ceil(0.1 * same.trials)));
    expect(short.regressions).toBeLessThanOrEqual(Math.max(1, Math.ceil(0.1 * short.trials)));
  }, 600_000);

  test('slow burn: a head growing 20% a minute is caught, a flat one is not failed', () => {
    const grow = run('trend', soak(0.2), 50_000);
    const flat = run('trend', soak(0), 60_000);
    rows.push(line('slow burn +20%/min (allowed 5%/min)', grow), line('slow burn flat', flat));
    expect(grow.regressions / grow.trials).toBeGreaterThanOrEqual(0.8);
    expect(flat.regressions).toBeLessThanOrEqual(Math.max(1, Math.ceil(0.1 * flat.trials)));
  }, 1_200_000);
});
