import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_RUN_MS } from '../../src/config/load-profile.js';
import { parseBaselineFile } from '../../src/baseline/read-baseline-file.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { MAX_BLOCKS, MAX_MEASURED_MS } from '../../src/record/record-schema.js';
import { Recorder } from '../../src/record/recorder.js';
import { ERROR_KINDS } from '../../src/record/run-record-types.js';
import schema from '../../schema/tailgate.run.schema.json' with { type: 'json' };
import { syntheticRun } from '../compare/record-builder.js';

/** The published schema accepts what tailgate writes, and its bounds agree with the code's. */
describe('schema/tailgate.run.schema.json', () => {
  it('bounds a run at the profile cap plus slack, and a step has as many blocks as the record', () => {
    expect(MAX_MEASURED_MS).toBeGreaterThanOrEqual(MAX_RUN_MS);
    expect(MAX_MEASURED_MS).toBeLessThanOrEqual(2 * MAX_RUN_MS);
    expect(schema.definitions.step.properties.blocks.maxItems).toBe(MAX_BLOCKS);
  });

  it('names every error kind tailgate counts with a key it accepts', () => {
    const pattern = new RegExp(schema.definitions.step.properties.errorKinds.propertyNames.pattern);
    for (const kind of ERROR_KINDS) expect(kind).toMatch(pattern);
  });

  it('accepts every record fixture and the bundle', () => {
    const dir = join(import.meta.dirname, '../fixtures/records');
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      expect(parseBaselineFile(readFileSync(join(dir, name), 'utf8'), name).length).toBeGreaterThan(0);
    }
  });

  it("accepts what the recorder writes: late requests folded into the last block, warm-up left out, errors of each kind", () => {
    const recorder = new Recorder(['list', 'toString'], 1000, 500);
    recorder.record(0, 200, 5000, 200, undefined); // warm-up
    recorder.record(0, 1100, 12_000, 200, undefined);
    recorder.record(1, 1300, 40_000, 500, 'status');
    recorder.record(1, 1700, undefined, undefined, 'reset');
    recorder.record(0, 2100, 9000, 200, undefined);
    recorder.record(0, 2900, 30_000_000, undefined, 'timeout'); // after the last window: folded
    const measured = recorder.toRecords(1250);
    const base = syntheticRun(1, { list: { blocks: 1 } });
    const record = { ...base, meta: { ...base.meta, warmupMs: 1000, measuredMs: 1250, blockMs: 500 }, ...measured };
    const read = parseRunRecord(JSON.stringify(record), 'recorded.json');
    expect(read.overall.requests).toBe(5);
    expect(new Map(Object.entries(read.steps)).get('toString')?.errors).toBe(2);
  });
});
