import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockSeries } from '../../src/analyze/block-series.js';
import { runPlannedCurve } from '../../src/analyze/planned-curve.js';
import { analyzeRecovery } from '../../src/analyze/recovery.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { runProfile } from '../helpers/run-profile.js';
import { startSlotServer, type SlotServer } from '../helpers/slot-server.js';
import { surgeProfile } from '../helpers/surge.js';

/**
 * The recovery pipeline end to end on a short real run: a loopback target of 10 slots × 200 ms
 * (50 a second) offered 20 a second, a surge to 100 a second for 1 s, then 20 again, in 500 ms
 * blocks. The engine writes the record, the planned levels are read back from it, and the
 * analysis finds the one surge where the profile put it and judges it. How well its interval
 * brackets the real drain is the experiment's claim (recovery.experiment.ts,
 * `npm run validate -- recovery`): a busy machine moves the drain.
 */
const RATE = 20;
const SURGE_RATE = 100;
const WARMUP_MS = 500;
/** From the run's start: the level before until 3 s (5 blocks measured), the surge to 4 s, the level after to 8 s. */
const SURGE_AT_MS = 3000;
const SURGE_MS = 1000;
const END_MS = 8000;

describe('recovery from a short real surge', () => {
  let server: SlotServer;

  beforeAll(async () => {
    server = await startSlotServer(10, 200);
  });

  afterAll(async () => {
    await server.close();
  });

  it('finds the surge the profile planned and judges its recovery against the level before', async () => {
    const record = await runProfile(
      surgeProfile(
        server.url,
        { rate: RATE, surgeRate: SURGE_RATE, atMs: SURGE_AT_MS, surgeMs: SURGE_MS, endMs: END_MS },
        { warmupMs: WARMUP_MS, blockMs: 500, preAllocatedVUs: 20, maxVUs: 300, gracefulStopMs: 3000 },
      ),
    );
    // Written and read back as a file is, then analysed as `tailgate analyze` would.
    const read = parseRunRecord(JSON.stringify(record), 'run.json');
    const surges = analyzeRecovery(blockSeries(read), runPlannedCurve(read));
    expect(surges).toHaveLength(1);
    const [surge] = surges;
    expect(surge).toMatchObject({ beforeOffered: RATE, surgeOffered: SURGE_RATE, surgeStartMs: SURGE_AT_MS - WARMUP_MS, surgeEndMs: SURGE_AT_MS + SURGE_MS - WARMUP_MS });
    expect(surge?.beforeBlocks).toBeGreaterThanOrEqual(3);
    expect(surge?.p95BeforeMs).toBeGreaterThan(0);
    expect(surge?.p95LimitMs).toBeGreaterThan(surge?.p95BeforeMs ?? Number.POSITIVE_INFINITY);
    expect(surge?.observedSeconds).toBeGreaterThan(0);
    expect(typeof surge?.recovered).toBe('boolean');
    if (surge?.seconds) {
      expect(surge.seconds.low).toBeLessThanOrEqual(surge.seconds.high);
      expect(surge.seconds.high).toBeLessThanOrEqual(surge.observedSeconds ?? 0);
    } else {
      expect(surge?.note).toBeTruthy();
    }
    // Five times the level before, beyond the target's capacity: requests waited for a slot.
    expect((await server.stats()).maxQueue).toBeGreaterThan(10);
  }, 30_000);
});
