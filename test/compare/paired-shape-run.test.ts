import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePaired } from '../../src/compare/compare-paired.js';
import { parsePairedRecord } from '../../src/record/read-paired-record.js';
import { profileWith } from '../helpers/profiles.js';
import { runPairedProfile } from '../helpers/run-paired.js';
import { startSlotServer, type SlotServer } from '../helpers/slot-server.js';
import { arrivalStaircase } from '../helpers/staircase.js';

/**
 * The paired stress pipeline end to end on a short real run: a staircase of three 4.5 s steps at
 * half, once and twice 50 requests a second, alternating in the default paired blocks between a
 * base of 5 slots × 100 ms and a head of 5 slots × 133 ms. The engine writes each target's record
 * and load shape, the record is read back, and the comparison reads both on the run's clock and
 * tests the head's sustainable rate against the base's. What it answers on loopback, run after run,
 * is the experiment's (paired-shape.experiment.ts, `npm run validate -- paired-shape`).
 */
const SHARES = [0.5, 1, 2];
const CAPACITY = 50;

describe('a short paired stress run on loopback', () => {
  let base: SlotServer;
  let head: SlotServer;

  beforeAll(async () => {
    [base, head] = await Promise.all([startSlotServer(5, 100), startSlotServer(5, 133)]);
  });

  afterAll(async () => {
    await Promise.all([base.close(), head.close()]);
  });

  it('reads both targets’ blocks at the profile’s levels, answers each and tests the head’s capacity against the base’s', async () => {
    const { startRate, stages } = arrivalStaircase(SHARES, CAPACITY, 4500, 1000);
    const profile = profileWith({
      target: head.url,
      warmupMs: 1000,
      blockMs: 1000,
      scenarios: [{ executor: { type: 'ramping-arrival-rate', startRate, timeUnitMs: 1000, stages, preAllocatedVUs: 10, maxVUs: CAPACITY } }],
    });
    const { paired } = await runPairedProfile(profile, base.url, { blockMs: 1500, settleMs: 500, order: 'abba', seed: 1 });
    const comparison = comparePaired({ paired: parsePairedRecord(JSON.stringify(paired), 'paired.json') });
    for (const side of [comparison.analysis, comparison.baseAnalysis]) {
      expect(side?.shape).toBe('rising');
      expect(side?.capacity?.levels.map((l) => Math.round(l.offered))).toEqual(SHARES.map((share) => Math.round(share * CAPACITY)));
    }
    const capacity = comparison.shapeTests?.find((t) => t.question === 'capacity');
    expect(capacity?.question).toBe('capacity');
    expect(['pass', 'regression', 'inconclusive', 'improvement']).toContain(capacity?.verdict);
    if (capacity?.noise) expect(capacity.noise.betweenRunsSource).toBe('none');
  }, 60_000);
});
