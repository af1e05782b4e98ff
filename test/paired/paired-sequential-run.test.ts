import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePaired } from '../../src/compare/compare-paired.js';
import { comparisonProblem } from '../../src/compare/comparison-schema.js';
import { sequentialDesign } from '../../src/compare/sequential-paired.js';
import { parsePairedRecord } from '../../src/record/read-paired-record.js';
import { executePaired } from '../../src/run/execute-paired.js';
import { quietRunIo, SEQUENTIAL_COMPARE, SEQUENTIAL_DELAYS, sequentialProfile } from '../helpers/sequential-loopback.js';
import { startTimedServer, type TimedServer } from '../helpers/timed-server.js';

/**
 * A sequential paired run and a fixed one on loopback, 14 s at most (1 s warm-up, 10 pairs of
 * short-run blocks, looks at 6, 8 and 10): the design, the looks, the record and the comparison
 * built from them, end to end. When a sequential run stops (an unchanged head ruled out early, a
 * threefold head decided a regression early) is what a busy machine moves, so it is the
 * experiment's (paired-sequential.experiment.ts, `npm run validate -- paired-sequential`).
 */
const MAX_MS = 14_000;

describe('sequential and fixed paired runs on loopback', () => {
  let base: TimedServer;
  let twin: TimedServer;
  let slow: TimedServer;
  beforeAll(async () => {
    [base, twin, slow] = await Promise.all([startTimedServer(SEQUENTIAL_DELAYS), startTimedServer(SEQUENTIAL_DELAYS), startTimedServer(SEQUENTIAL_DELAYS.map((d) => d * 3))]);
  });
  afterAll(async () => {
    await Promise.all([base.close(), twin.close(), slow.close()]);
  });

  it('looks at the planned pairs, keeps every look in the record and is judged at the last one', async () => {
    const paired = await executePaired(sequentialProfile(slow.url, MAX_MS), base.url, quietRunIo(), { quiet: true, compare: SEQUENTIAL_COMPARE });
    const sequential = paired.meta.sequential;
    expect(sequential).toBeDefined();
    if (sequential === undefined) return;
    expect(sequential.maxPairs).toBe(10);
    expect(sequential.plannedLooks).toEqual([6, 8, 10]);
    expect(sequential.looks.length).toBeGreaterThan(0);
    expect(sequential.looks.map((look) => look.pairs)).toEqual(sequential.plannedLooks.slice(0, sequential.looks.length));
    // Every look but the last went on; the last decided (or was the maximum).
    expect(sequential.looks.slice(0, -1).every((look) => look.decision === 'continue')).toBe(true);
    const last = sequential.looks[sequential.looks.length - 1];
    if (sequential.stoppedAtPairs !== undefined) {
      expect(last?.decision).not.toBe('continue');
      expect(sequential.stoppedAtPairs).toBe(last?.pairs);
    }
    // Written and read back, the record keeps every look and is judged at the one that stopped it.
    const read = parsePairedRecord(JSON.stringify(paired), 'paired.json');
    expect(read.meta.sequential).toEqual(sequential);
    const comparison = comparePaired({ paired: read, options: SEQUENTIAL_COMPARE });
    expect(['pass', 'regression', 'inconclusive']).toContain(comparison.verdict);
    expect(comparison.pairing?.sequential).toMatchObject({ maxPairs: 10, maxSeconds: 14, pairs: last?.pairs, stoppedEarly: sequential.stoppedAtPairs !== undefined && sequential.stoppedAtPairs < 10 });
    expect(comparisonProblem(JSON.parse(JSON.stringify(comparison)))).toBeUndefined();
  }, 40_000);

  it('runs its whole length with fixed', async () => {
    const paired = await executePaired(sequentialProfile(twin.url, MAX_MS), base.url, quietRunIo(), { quiet: true, fixed: true });
    expect(paired.meta.sequential).toBeUndefined();
    expect(paired.head.meta.interrupted).toBe(false);
    expect(comparePaired({ paired }).pairing?.sequential).toBeUndefined();
    expect(Math.floor(paired.order.length / 2)).toBe(10);
    // Run sequentially, the same length would have looked at 6 and 8 pairs before its last.
    expect(sequentialDesign(10, 0.05)?.looks).toEqual([6, 8, 10]);
  }, 40_000);
});
