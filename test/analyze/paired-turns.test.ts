import { describe, expect, it } from 'vitest';
import { analyzePairedArm, armOnRunClock, withTurns } from '../../src/analyze/paired-arms.js';
import { queueTrend, resampleTurns } from '../../src/analyze/turn-trend.js';
import { comparePaired } from '../../src/compare/compare-paired.js';
import { seededRandom } from '../../src/stats/seeded-random.js';
import { clopperPearson } from '../../src/stats/binomial-interval.js';
import type { BlockPoint } from '../../src/analyze/block-series.js';
import { changingLoadPaired, queueTarget } from '../helpers/synthetic-paired.js';

/**
 * A target of a paired run is loaded in turns, and the queue it builds past its capacity drains
 * while the other target is measured: read across a level, its block p95 falls back at every turn,
 * and its sustainable rate read high (a target of 100 a second read 133–152, one of 75 read
 * 107–111). Read within turns, the queue's growth is seen as in a run of one target.
 */

const RATES = [40, 64, 88, 112, 136, 160];
const LEVEL_S = 12;

/**
 * A paired staircase (40 … 160 a second, 12 s a level, default paired blocks) against a base of 2
 * workers × 20 ms (100 a second) and a head `headSlower` times as slow, with room for every arrival:
 * no iteration is dropped, so only the queue tells that a target is past its capacity.
 */
function stress(seed: number, headSlower: number) {
  return changingLoadPaired({
    seed,
    seconds: RATES.length * LEVEL_S,
    rateAt: (t) => RATES[Math.min(RATES.length - 1, Math.floor(t / LEVEL_S))] as number,
    targets: { head: queueTarget(2, 20 * headSlower, 10_000), base: queueTarget(2, 20, 10_000) },
  });
}

const point = (startMs: number, p95Ms: number, turn?: number): BlockPoint => ({ startMs, endMs: startMs + 1000, requests: 50, errors: 0, p95Ms, planned: 100, ...(turn === undefined ? {} : { turn }) });

describe('a queue read within turns', () => {
  it('gives a paired target’s blocks the turn they lie in: a gap on the run’s clock starts a new one', () => {
    const turns = withTurns([0, 1000, 3500, 4500, 5500, 9000].map((startMs) => ({ startMs, endMs: startMs + 1000 }))).map((p) => p.turn);
    expect(turns).toEqual([0, 0, 1, 1, 1, 2]);
  });

  it('reads a sawtooth (a queue growing in each turn, drained between them) as growing, where across the level it shows none', () => {
    const sawtooth = [0, 1, 2, 3, 4, 5].map((turn) => [point(turn * 5000, 30, turn), point(turn * 5000 + 1000, 80, turn)]).flat();
    const within = queueTrend(sawtooth, { minPoints: 3, tauPoints: 5 });
    expect(within.withinTurns).toBe(true);
    expect(within.slope).toBeCloseTo(0.05, 6);
    expect(within.tau).toBe(1);
    const across = queueTrend(
      sawtooth.map(({ turn: _turn, ...rest }) => rest),
      { minPoints: 3, tauPoints: 5 },
    );
    expect(across.withinTurns).toBe(false);
    expect(across.tau as number).toBeLessThan(0.6);
  });

  it('compares the blocks of a run of one target all with all, as before', () => {
    const rising = [0, 1, 2, 3, 4].map((i) => point(i * 1000, 30 + 10 * i));
    expect(queueTrend(rising, { minPoints: 3, tauPoints: 5 })).toEqual({ slope: 0.01, tau: 1, withinTurns: false });
    expect(queueTrend(rising.slice(0, 2), { minPoints: 3, tauPoints: 5 })).toEqual({ withinTurns: false });
  });

  it('marks each arm’s blocks of a paired stress run with turns of one or two blocks', () => {
    const view = armOnRunClock(stress(1, 1), 'head');
    const sizes = new Map<number, number>();
    for (const p of view.series.points) sizes.set(p.turn as number, (sizes.get(p.turn as number) ?? 0) + 1);
    expect(Math.max(...sizes.values())).toBe(2);
    expect(sizes.size).toBeGreaterThan(view.series.points.length / 2 - 1);
  });

  // 8 seeds × 2 heads × 2 arms: a few seconds.
  it.each([
    { label: 'an unchanged head', headSlower: 1, headTruth: 100 },
    { label: 'a head that lost a quarter', headSlower: 1 / 0.75, headTruth: 75 },
  ])('finds each target’s sustainable rate within 10% of its capacity when only a queue shows it ($label)', ({ headSlower, headTruth }) => {
    const read = { head: [] as number[], base: [] as number[] };
    for (let seed = 1; seed <= 8; seed++) {
      const paired = stress(seed, headSlower);
      for (const arm of ['head', 'base'] as const) read[arm].push(analyzePairedArm(paired, arm).capacity?.sustainableRps?.estimate ?? Number.NaN);
    }
    for (const [arm, truth] of [['head', headTruth], ['base', 100]] as const) {
      for (const value of read[arm]) {
        expect(value).toBeGreaterThan(truth * 0.9);
        expect(value).toBeLessThan(truth * 1.1);
      }
    }
  });

  it('resamples a level by whole turns, each draw a turn of its own, and leaves blocks without turns to the block bootstrap', () => {
    const level = [0, 1, 2].flatMap((turn) => [point(turn * 5000, 30 + turn, turn), point(turn * 5000 + 1000, 60 + turn, turn)]);
    const replicate = resampleTurns(level, seededRandom(3)) as BlockPoint[];
    expect(replicate).toHaveLength(6);
    for (let draw = 0; draw < 3; draw++) {
      const [first, second] = replicate.filter((b) => b.turn === draw);
      expect((second?.p95Ms as number) - (first?.p95Ms as number)).toBe(30);
    }
    expect(resampleTurns([point(0, 30), point(1000, 40)], seededRandom(3))).toBeUndefined();
  });

  // Drawn block by block, replicates lost the pairs within turns and read a level past capacity as kept up: equal targets were inconclusive, 100 of 100.
  // docs/paired.md's rates: TAILGATE_PAIRED_TURN_TRIALS=100 (3 trials in npm test, a few seconds).
  it('lets equal targets pass the capacity test and fails a quarter lost', () => {
    const trials = Number(process.env.TAILGATE_PAIRED_TURN_TRIALS ?? 3);
    // An equal head passes, or now and then reads as an improvement of its capacity (never gated).
    for (const [headSlower, expected] of [[1, 'pass'], [1 / 0.75, 'regression']] as const) {
      const verdicts = Array.from({ length: trials }, (_, i) => comparePaired({ paired: stress(31 * (i + 1) + 7, headSlower) }).shapeTests?.find((t) => t.question === 'capacity')?.verdict);
      const failed = verdicts.filter((v) => v === 'regression').length;
      const ci = clopperPearson(failed, trials);
      const tally = ['pass', 'improvement', 'inconclusive'].map((verdict) => `${verdict} ${verdicts.filter((v) => v === verdict).length}`).join(', ');
      console.log(`head ${headSlower === 1 ? 'equal' : 'a quarter lost'}: failed ${failed} of ${trials} (${(100 * ci.low).toFixed(1)}%–${(100 * ci.high).toFixed(1)}%); ${tally}`);
      if (expected === 'regression') expect(failed).toBe(trials);
      else expect(verdicts.filter((v) => v === 'regression' || v === 'inconclusive')).toEqual([]);
    }
  }, 600_000);
});
