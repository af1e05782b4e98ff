import { describe, expect, it } from 'vitest';
import { readServerTiming } from '../../src/engine/server-timing.js';
import { decodeHistogram } from '../../src/record/histogram.js';
import { Recorder } from '../../src/record/recorder.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { serverTimingProblem } from '../../src/record/server-timing-checks.js';
import { ServerTimingTally, withinComponentBudget } from '../../src/record/server-timing-tally.js';

/** The recorder's Server-Timing tallies and the reader's checks of them, without a network. */
describe('Server-Timing in the record', () => {
  const count = (encoded: string | undefined): number => decodeHistogram(encoded as string).totalCount;

  function recorded(): RunRecord {
    const recorder = new Recorder(['a', 'b'], 1000, 1000, false);
    const respond = (step: number, originMs: number, header: string): void => {
      recorder.record(step, originMs, 1000, 200, undefined);
      const sink = recorder.serverTimingOf(step, originMs);
      if (sink) readServerTiming(header, sink);
    };
    respond(0, 500, 'db;dur=99'); // warm-up: not recorded
    respond(0, 1000, 'db;dur=10');
    respond(0, 2500, 'db;dur=20, __proto__;dur=1');
    respond(0, 3200, 'db;dur=30'); // after the measured period: folded into the last block
    const { blocks, overall, steps } = recorder.toRecords(2000);
    return { blocks, overall, steps } as unknown as RunRecord;
  }

  it('records by block, leaves out the warm-up, folds the tail into the last block, drops reserved names', () => {
    const record = recorded();
    const timing = record.steps.a?.serverTiming;
    expect(record.steps.b?.serverTiming).toBeUndefined();
    expect(timing).toMatchObject({ responses: 3, malformed: 0, dropped: 1 });
    expect(Object.keys(timing?.components ?? {})).toEqual(['db']);
    expect(timing?.components.db?.blocks.map(count)).toEqual([1, 2]);
    expect(count(timing?.components.db?.histogram)).toBe(3);
    expect(serverTimingProblem(record)).toBeUndefined();
  });

  it('refuses a record whose component blocks do not match its blocks or its whole histogram', () => {
    const short = recorded();
    short.steps.a?.serverTiming?.components.db?.blocks.pop();
    expect(serverTimingProblem(short)).toEqual({ field: 'steps.a.serverTiming.components.db.blocks', problem: 'holds 1 entries, but the record has 2 blocks' });
    const swapped = recorded();
    const db = swapped.steps.a?.serverTiming?.components.db;
    if (db) db.histogram = db.blocks[0] as string;
    expect(serverTimingProblem(swapped)?.problem).toBe('holds 1 durations, but its blocks hold 3');
    const inflated = recorded();
    if (inflated.steps.a?.serverTiming?.components.db) inflated.steps.a.serverTiming.components.db.entries = 2;
    expect(serverTimingProblem(inflated)?.problem).toBe("holds 3 durations, more than the component's entries (2)");
  });

  it('keeps a record within its budget of component blocks by dropping the components with the fewest entries', () => {
    const tally = new ServerTimingTally();
    for (let i = 0; i < 10; i++) {
      tally.startResponse(i % 4);
      readServerTiming(i < 3 ? 'rare;dur=1, common;dur=2' : 'common;dur=2', tally);
    }
    const steps = { a: { serverTiming: tally.toRecord(4) } };
    withinComponentBudget(steps, 4);
    expect(Object.keys(steps.a.serverTiming.components)).toEqual(['common']);
    expect(steps.a.serverTiming.dropped).toBe(3);
  });
});
