import { describe, expect, it } from 'vitest';
import { mergeRecords } from '../../src/record/merge-records.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { RecordError } from '../../src/record/record-error.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { syntheticRun } from '../compare/record-builder.js';

/**
 * `loadShape`, the optional load shape of a run record: records without it (older ones) still
 * read, a written one reads back as it was, a damaged one is refused at the field, and shards'
 * shapes add up when merged.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A record of six 5 s blocks after a 7 s warm-up (two slices of it) whose closed scenario `main` has a shape. */
function withShape(): Json {
  const record = JSON.parse(JSON.stringify(syntheticRun(3, { list: { blocks: 6, requestsPerBlock: 20 } }))) as Json;
  record.meta.warmupMs = 7000;
  record.loadShape = {
    warmupSlices: 2,
    scenarios: { main: { planned: [{ atMs: 0, target: 10 }, { atMs: 37_000, target: 10 }], vus: [4.5, 10, 10, 10, 10, 10, 10, 9.8] } },
  };
  return record;
}

function refusal(edit: (record: Json) => void): string {
  const record = withShape();
  edit(record);
  try {
    parseRunRecord(JSON.stringify(record), 'run.json');
  } catch (error) {
    expect(error).toBeInstanceOf(RecordError);
    return (error as Error).message;
  }
  throw new Error('the record was read');
}

describe('the load shape in a run record', () => {
  it('is optional: a record without one (an older writer) reads as before', () => {
    const record = withShape();
    delete record.loadShape;
    expect(parseRunRecord(JSON.stringify(record), 'old.json').loadShape).toBeUndefined();
  });

  it('reads back as written, an open-model scenario with its iterations due and dropped', () => {
    const record = withShape();
    record.scenarios.shop = { executor: 'constant-arrival-rate', model: 'open', latencyFrom: 'intended-start', iterations: 10, maxVUs: 2 };
    record.loadShape.scenarios.shop = { planned: [], vus: [0, 0, 1, 1, 1, 1, 1, 1], due: [0, 0, 5, 5, 5, 5, 5, 5], dropped: [0, 0, 0, 1, 0, 0, 2, 0] };
    expect(parseRunRecord(JSON.stringify(record), 'run.json').loadShape).toEqual(record.loadShape);
  });

  it.each<[string, (r: Json) => void, RegExp]>([
    ['a slice too few', (r) => r.loadShape.scenarios.main.vus.pop(), /loadShape\.scenarios\.main\.vus holds 7 entries, but the warm-up and the blocks make 8 slices/],
    ['another count of warm-up slices', (r) => (r.loadShape.warmupSlices = 1), /loadShape\.warmupSlices is 1, but 7000 ms of warm-up in 5000 ms blocks make 2/],
    ['a scenario the record does not have', (r) => (r.loadShape.scenarios.ghost = r.loadShape.scenarios.main), /loadShape\.scenarios\.ghost is not one of the record’s scenarios/],
    ['negative VUs', (r) => (r.loadShape.scenarios.main.vus[3] = -1), /loadShape\.scenarios\.main\.vus\[3\].*at least 0/],
    ['more dropped than due', (r) => Object.assign(r.loadShape.scenarios.main, { due: [0, 0, 1, 1, 1, 1, 1, 1], dropped: [0, 0, 0, 5, 0, 0, 0, 0] }), /loadShape\.scenarios\.main\.dropped\[3\] is 5, more than the iterations due then \(1\)/],
    ['dropped without due', (r) => (r.loadShape.scenarios.main.dropped = [0, 0, 0, 0, 0, 0, 0, 0]), /loadShape\.scenarios\.main\.dropped is given without due/],
    ['planned levels out of order', (r) => r.loadShape.scenarios.main.planned.reverse(), /loadShape\.scenarios\.main\.planned\[1\]\.atMs is 0 ms, before the level before it/],
    ['a scenario named __proto__', (r) => (r.loadShape.scenarios = JSON.parse('{"__proto__": {"planned": [], "vus": []}}')), /"__proto__"/],
  ])('refuses %s, naming the field', (_name, edit, message) => {
    expect(refusal(edit)).toMatch(message);
  });

  it('merges shards by adding their shapes slice by slice, and the levels they asked for', () => {
    const shard = (index: number): RunRecord => {
      const record = withShape();
      record.meta.shard = { index, count: 2 };
      return parseRunRecord(JSON.stringify(record), `shard-${index}.json`);
    };
    const merged = mergeRecords([
      { file: 'a.json', record: shard(1) },
      { file: 'b.json', record: shard(2) },
    ]);
    expect(merged.loadShape?.scenarios.main).toEqual({ planned: [{ atMs: 0, target: 20 }, { atMs: 37_000, target: 20 }], vus: [9, 20, 20, 20, 20, 20, 20, 19.6] });
    const lacking = shard(2);
    delete lacking.loadShape;
    expect(mergeRecords([{ file: 'a.json', record: shard(1) }, { file: 'b.json', record: lacking }]).loadShape).toBeUndefined();
  });
});
