import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePaired } from '../../src/compare/compare-paired.js';
import { comparisonProblem } from '../../src/compare/comparison-schema.js';
import { parsePairedRecord } from '../../src/record/read-paired-record.js';
import { executePaired } from '../../src/run/execute-paired.js';
import { quietRunIo, SEQUENTIAL_COMPARE, SEQUENTIAL_DELAYS, sequentialProfile } from '../helpers/sequential-loopback.js';
import { startTimedServer, type TimedServer } from '../helpers/timed-server.js';

/**
 * Sequential paired runs against loopback servers in their own threads, each run at most 20 s
 * (1 s warm-up, 19 s measured: 15 pairs of short-run blocks, looks at 6, 8, 10, 12 and 14 pairs,
 * the last at 15). The generator's self-check reads an idle machine, so a busy one cannot decide.
 * When a run stops is what a busy machine moves: run by hand (`npm run validate --
 * paired-sequential`), its figures in docs/paired.md ("On loopback"). `npm test` keeps one shorter
 * sequential run and a fixed one (paired-sequential-run.test.ts).
 */
const MAX_MS = 20_000;
const profileFor = (target: string) => sequentialProfile(target, MAX_MS);
const COMPARE = SEQUENTIAL_COMPARE;
const DELAYS = SEQUENTIAL_DELAYS;
const quietIo = quietRunIo;

describe('sequential paired runs on loopback', () => {
  let base: TimedServer;
  let twin: TimedServer;
  let slow: TimedServer;
  beforeAll(async () => {
    [base, twin, slow] = await Promise.all([startTimedServer(DELAYS), startTimedServer(DELAYS), startTimedServer(DELAYS.map((d) => d * 3))]);
  });
  afterAll(async () => {
    await Promise.all([base.close(), twin.close(), slow.close()]);
  });

  it('stops an unchanged head before its maximum, with twice the allowance ruled out, and keeps its looks', async () => {
    const io = quietIo();
    const paired = await executePaired(profileFor(twin.url), base.url, io, { quiet: true, compare: COMPARE });
    const sequential = paired.meta.sequential;
    expect(sequential).toBeDefined();
    if (sequential === undefined) return;
    expect(sequential.plannedLooks).toEqual([6, 8, 10, 12, 14, 15]);
    expect(sequential.stoppedAtPairs).toBeDefined();
    const stop = sequential.looks[sequential.looks.length - 1];
    expect(stop?.decision).toBe('ruled-out');
    expect(sequential.looks.slice(0, -1).every((look) => look.decision === 'continue')).toBe(true);
    // The load stopped once decided: the arms measured the pairs judged, and not much more than one block beyond them.
    expect(paired.head.meta.interrupted).toBe(false);
    expect(paired.head.meta.measuredMs).toBeLessThan((sequential.maxPairs * 500 * 3) / 4);
    // Written and read back, the record keeps every look and is judged at the one that stopped it.
    const read = parsePairedRecord(JSON.stringify(paired), 'paired.json');
    expect(read.meta.sequential).toEqual(sequential);
    const comparison = comparePaired({ paired: read, options: COMPARE });
    expect(['pass', 'inconclusive']).toContain(comparison.verdict);
    expect(comparison.incomplete).toBeUndefined();
    expect(comparison.pairing?.sequential).toMatchObject({ stoppedEarly: true, decision: 'ruled-out', pairs: stop?.pairs, maxPairs: 15, maxSeconds: 20 });
    expect(comparison.pairing?.sequential?.decidedAfterSeconds).toBeLessThan(20);
    expect(comparison.notes[0]).toMatch(/^Decided after \d+ s of at most 20 s: 2× the allowance ruled out/);
    expect(comparisonProblem(JSON.parse(JSON.stringify(comparison)))).toBeUndefined();
  }, 40_000);

  it('decides a head three times as slow a regression before its maximum', async () => {
    const paired = await executePaired(profileFor(slow.url), base.url, quietIo(), { quiet: true, compare: COMPARE });
    const sequential = paired.meta.sequential;
    expect(sequential?.stoppedAtPairs).toBeDefined();
    expect(sequential?.stoppedAtPairs).toBeLessThan(15);
    expect(sequential?.looks[sequential.looks.length - 1]?.decision).toBe('regression');
    const comparison = comparePaired({ paired: parsePairedRecord(JSON.stringify(paired), 'paired.json'), options: COMPARE });
    expect(comparison.verdict).toBe('regression');
    expect(comparison.pairing?.sequential).toMatchObject({ stoppedEarly: true, decision: 'regression' });
  }, 40_000);
});
