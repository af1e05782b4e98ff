import { describe, expect, it } from 'vitest';
import { checkShardsOverlap, measuredPeriod, type NamedRecord } from '../../src/record/merge-records.js';
import { RecordError } from '../../src/record/record-error.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { syntheticRun } from '../compare/record-builder.js';

/**
 * Shards are merged only when they measured at the same time: a sum of shares that ran one after
 * the other is a load that never happened. Records of ten measured 1 s blocks after a 2 s warm-up,
 * started where each test says.
 */
function shard(index: number, startedAt: string, edit: (r: RunRecord) => void = () => {}): NamedRecord {
  const record = syntheticRun(index, { list: { blocks: 10, requestsPerBlock: 20 } }, { blockMs: 1000 });
  record.meta = { ...record.meta, startedAt, warmupMs: 2000, measuredMs: 10_000, shard: { index, count: 2 } };
  edit(record);
  return { file: `shard-${index}.json`, record };
}

function refusal(inputs: NamedRecord[]): RecordError {
  try {
    checkShardsOverlap(inputs);
  } catch (error) {
    expect(error).toBeInstanceOf(RecordError);
    return error as RecordError;
  }
  throw new Error('the shards were accepted');
}

describe('checkShardsOverlap', () => {
  it('refuses shards run one after the other, naming each with its times and the fix', () => {
    const error = refusal([shard(1, '2026-12-02T12:00:00Z'), shard(2, '2026-12-02T12:00:14Z')]);
    expect(error.message).toContain('shard-1.json, shard-2.json: did not run together');
    expect(error.message).toContain('shard 1/2 (shard-1.json) measured 2026-12-02T12:00:02.0Z to 2026-12-02T12:00:12.0Z');
    expect(error.message).toContain('shard 2/2 (shard-2.json) measured 2026-12-02T12:00:16.0Z to 2026-12-02T12:00:26.0Z');
    expect(error.message).toMatch(/for 0 s of the shortest's 10 s \(0%, a merge needs 80%\)/);
    expect(error.message).toMatch(/Fix: .*--start-at T \(the Action: shard-start\)/);
  });

  it('refuses shards that overlap for less than 80% of the shortest period', () => {
    expect(refusal([shard(1, '2026-12-02T12:00:00Z'), shard(2, '2026-12-02T12:00:02.5Z')]).message).toMatch(/for 7\.5 s of the shortest's 10 s \(75%/);
  });

  it('counts a setup, which runs before the schedule, out of the measured period', () => {
    const setupFirst = shard(2, '2026-12-02T11:59:57Z', (r) => (r.setup = { durationMs: 3000, steps: [] }));
    expect(measuredPeriod(setupFirst.record)).toEqual({ startMs: Date.parse('2026-12-02T12:00:02Z'), endMs: Date.parse('2026-12-02T12:00:12Z') });
    expect(checkShardsOverlap([shard(1, '2026-12-02T12:00:00Z'), setupFirst])).toBeUndefined();
  });

  it('merges shards started within a block of each other silently', () => {
    expect(checkShardsOverlap([shard(1, '2026-12-02T12:00:00Z'), shard(2, '2026-12-02T12:00:00.6Z')])).toBeUndefined();
  });

  it('merges shards a block or more apart that still overlap enough, with a warning saying how far apart', () => {
    expect(checkShardsOverlap([shard(1, '2026-12-02T12:00:00Z'), shard(2, '2026-12-02T12:00:01.5Z')])).toMatch(
      /started up to 1\.5 s apart \(they measured together for 85% of the shortest's period\): each merged block adds loads up to 1\.5 s apart/,
    );
  });

  it('takes the shortest period as the measure: a shard stopped early inside the others is together with them', () => {
    const short = shard(2, '2026-12-02T12:00:03Z', (r) => (r.meta.measuredMs = 4000));
    expect(() => checkShardsOverlap([shard(1, '2026-12-02T12:00:00Z'), short])).not.toThrow();
  });
});
