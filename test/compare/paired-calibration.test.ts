import { describe, expect, it } from 'vitest';
import { decide } from '../../src/compare/metric-decision.js';
import { driftCheck, pairedShift } from '../../src/compare/paired-shift.js';
import { pairOrder } from '../../src/record/paired-layout.js';
import { DEFAULT_TRIM } from '../../src/stats/trimmed-mean.js';
import { seededRandom, type Random } from './seeded-random.js';

/**
 * Calibration of paired mode's test on simulated block p95s, in seconds. The noise is what
 * defeats stored baselines: a slow swing of about 10% over tens of seconds and a random level per
 * block that both arms share in time, plus each block's own sampling noise and, now and then, a
 * block made slow by a neighbour of one arm alone. A 60 s run of 3 s blocks (1 s settle) gives
 * 10 pairs (ABBA). The rule is comparePaired's: the 20%-trimmed paired mean, the decision rule
 * of metric-decision.ts, a drift of the differences inconclusive rather than failing.
 */
const ALPHA = 0.05;
const ALLOWED = Math.log(1.1);
const BLOCK_S = 3;

function simulateRun(random: Random, pairs: number, headFactor: number): { head: number[]; base: number[] } {
  const order = pairOrder(2 * pairs, { order: 'abba', seed: 1 });
  const phase = random.next() * 2 * Math.PI;
  const runLevel = 0.08 * random.normal(); // the hour, the runner: the same for both arms
  const values = { head: [] as number[], base: [] as number[] };
  order.forEach((arm, block) => {
    const t = block * BLOCK_S;
    const swing = 0.1 * Math.sin(phase + (2 * Math.PI * t) / 40);
    const level = 0.04 * random.normal();
    const sampling = 0.03 * random.normal();
    const neighbour = random.next() < 0.05 ? 0.3 * random.next() : 0;
    const effect = arm === 'head' ? Math.log(headFactor) : 0;
    values[arm].push(Math.log(50) + runLevel + swing + level + sampling + neighbour + effect);
  });
  return values;
}

function verdictOf(values: { head: number[]; base: number[] }): string {
  const shift = pairedShift(values, { trim: DEFAULT_TRIM });
  const decision = decide({ shift, worseSign: 1, allowed: ALLOWED, failLevel: ALPHA, alpha: ALPHA, detectionLevel: ALPHA, power: 0.8 });
  if (driftCheck(values, ALLOWED).drifted && decision.verdict !== 'inconclusive') return 'inconclusive';
  return decision.verdict;
}

function failRate(seed: number, runs: number, pairs: number, headFactor: number): number {
  const random = seededRandom(seed);
  let failed = 0;
  for (let i = 0; i < runs; i++) if (verdictOf(simulateRun(random, pairs, headFactor)) === 'regression') failed++;
  return failed / runs;
}

describe('paired mode calibration (simulated block p95s with a shared drift)', () => {
  const runs = 2000;
  // Two binomial standard errors over alpha: the A/A rate may sit at alpha, not above it.
  const aaLimit = ALPHA + 2 * Math.sqrt((ALPHA * (1 - ALPHA)) / runs);

  it('A/A: equal targets fail at most alpha of the time', () => {
    expect(failRate(1, runs, 10, 1)).toBeLessThanOrEqual(aaLimit);
  });

  it('a change just at the allowed 10% fails at most half the time', () => {
    expect(failRate(2, runs, 10, 1.1)).toBeLessThan(0.5);
  });

  it('twice the threshold (20% slower) is caught at least 95% of the time in a 60 s run', () => {
    expect(failRate(3, runs, 10, 1.2)).toBeGreaterThanOrEqual(0.95);
  });

  it('half the threshold rarely fails', () => {
    expect(failRate(4, runs, 10, 1.05)).toBeLessThan(0.15);
  });
});
