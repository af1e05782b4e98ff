import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockSeries } from '../../src/analyze/block-series.js';
import { analyzeCapacity } from '../../src/analyze/capacity.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { profileWith } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';
import { startSlotServer, type SlotServer } from '../helpers/slot-server.js';
import { arrivalStaircase } from '../helpers/staircase.js';

/**
 * The breaking-point pipeline end to end on a short real run: a staircase of three 1.5 s steps at
 * half, once and twice the capacity of a loopback target of 5 slots × 100 ms (50 a second). The
 * engine writes the record, the blocks are read back at the profile's levels, and the analysis
 * answers. Where it finds the breaking point, and how close to the truth, is the experiment's
 * claim (capacity.experiment.ts, `npm run validate -- capacity`): a busy machine moves it.
 */
const SHARES = [0.5, 1, 2];
const CAPACITY = 50;

describe('the breaking point of a short real run', () => {
  let server: SlotServer;

  beforeAll(async () => {
    server = await startSlotServer(5, 100);
  });

  afterAll(async () => {
    await server.close();
  });

  it('reads the blocks at the profile’s levels and answers with a sustainable rate, its interval and each level judged', async () => {
    const { startRate, stages } = arrivalStaircase(SHARES, CAPACITY, 1500, 500);
    const record = await runProfile(
      profileWith({
        target: server.url,
        warmupMs: 500,
        blockMs: 500,
        scenarios: [{ executor: { type: 'ramping-arrival-rate', startRate, timeUnitMs: 1000, stages, preAllocatedVUs: 10, maxVUs: CAPACITY } }],
      }),
    );
    // Written and read back as a file is, then analysed as `tailgate analyze` would.
    const answer = analyzeCapacity(blockSeries(parseRunRecord(JSON.stringify(record), 'run.json')), {});
    expect(answer).toBeDefined();
    const levels = answer?.levels ?? [];
    expect(levels.map((l) => Math.round(l.offered))).toEqual(SHARES.map((share) => Math.round(share * CAPACITY)));
    for (const level of levels) {
      expect(level.achievedRps).toBeGreaterThan(0);
      expect(typeof level.keptUp).toBe('boolean');
      expect(level.endMs).toBeGreaterThan(level.startMs);
    }
    expect(typeof answer?.atLeast).toBe('boolean');
    if (answer?.sustainableRps) {
      const { low, estimate, high } = answer.sustainableRps;
      expect(low).toBeLessThanOrEqual(estimate);
      expect(estimate).toBeLessThanOrEqual(high);
    }
    // Twice its capacity leaves requests waiting at the target, whatever the machine's load.
    expect((await server.stats()).maxQueue).toBeGreaterThan(5);
  }, 30_000);
});
