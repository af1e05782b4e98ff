import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import pairedSchema from '../../schema/tailgate.paired.schema.json' with { type: 'json' };
import runSchema from '../../schema/tailgate.run.schema.json' with { type: 'json' };
import { comparePaired, judgePaired } from '../../src/compare/compare-paired.js';
import { resolveCompareOptions } from '../../src/compare/compare-options.js';
import { SequentialLooks } from '../../src/compare/sequential-looks.js';
import { sequentialDesign } from '../../src/compare/sequential-paired.js';
import { lookAtMs } from '../../src/engine/paired-looks.js';
import { PairedTimeline } from '../../src/record/paired-layout.js';
import type { PairedRecord } from '../../src/record/paired-record-types.js';
import { parsePairedRecord } from '../../src/record/read-paired-record.js';
import { Recorder } from '../../src/record/recorder.js';
import { RecordError } from '../../src/record/record-error.js';
import { syntheticPaired } from '../helpers/synthetic-paired.js';

/** A recorder with `blocks` 1 s blocks of two steps, latencies spread over a few milliseconds, some errors. */
function filled(blocks: number): Recorder {
  const recorder = new Recorder(['a', 'b'], 1000, 1000, false);
  for (let i = 0; i < blocks * 40; i++) {
    const origin = 1000 + i * 25;
    recorder.record(i % 2, origin, 2000 + ((i * 7919) % 9000), i % 17 === 0 ? 500 : 200, i % 17 === 0 ? 'status' : undefined);
  }
  return recorder;
}

describe('a look at the recorder while the run goes on', () => {
  it('gives the records toRecords gives for the same period, and leaves the tallies as they were', () => {
    const looked = filled(6);
    // Two looks, the second reusing the first's blocks, as a run's looks do.
    looked.snapshot(2000);
    const snapshot = looked.snapshot(4000);
    // Everything but the counts by status and kind, which are the step's so far.
    const blocksOnly = (records: ReturnType<Recorder['toRecords']>) => JSON.parse(JSON.stringify(records, (key, value) => (key === 'statuses' || key === 'errorKinds' ? undefined : value)));
    expect(blocksOnly(snapshot)).toEqual(blocksOnly(filled(4).toRecords(4000)));
    expect(snapshot.steps.a?.statuses).toEqual(filled(6).toRecords(6000).steps.a?.statuses);
    // Requests after the look's period are left out of it, and are still there for the record.
    expect(looked.toRecords(6000)).toEqual(filled(6).toRecords(6000));
  });
});

describe('when a look is taken', () => {
  it('falls in the middle of the first settle after the group, where nothing is measured', () => {
    const timeline = new PairedTimeline(0, 60_000, 1000, { blockMs: 1500, settleMs: 500, order: 'abba', seed: 1 });
    // ABBA: head 0–1.5 s, base 1.5–3 s, base 3–4 s (no settle), head 4–5.5 s: two pairs end at 5.5 s;
    // the next head block continues without a settle (5.5–6.5 s), then base's settle, 6.5–7 s.
    expect(timeline.pairsEndMs(2)).toBe(5500);
    expect(lookAtMs(timeline, 5500)).toBe(6750);
    expect(timeline.armAt(6750)).toBe(1);
    expect(timeline.localOffset(1, 6750)).toBeUndefined();
  });
});

/** A finished record judged by the looks a run would have taken, as `executePaired` does. */
function withLooks(paired: PairedRecord): PairedRecord {
  const maxPairs = Math.floor(paired.order.length / 2);
  const design = sequentialDesign(maxPairs, 0.05);
  if (design === undefined) throw new Error('too short to look');
  const looks = new SequentialLooks(design, {}, paired.meta.pairing, paired.order, maxPairs * 1000);
  for (const pairs of design.looks) {
    const stop = looks.stopNow({ pairs, atMs: pairs * 2000 + 250, snapshot: () => ({ head: paired.head, base: paired.base }) });
    if (stop) break;
  }
  return { ...paired, meta: { ...paired.meta, sequential: looks.finish(paired) } };
}

describe('the record of a sequential run', () => {
  const validate = new Ajv({ strict: true }).addSchema(runSchema).compile(pairedSchema);

  it('keeps every look, is read back whole, and is judged at the look that stopped it', () => {
    const paired = withLooks(syntheticPaired({ seed: 7, pairs: 30, headScale: 1.6 }));
    const sequential = paired.meta.sequential;
    expect(sequential?.stoppedAtPairs).toBeDefined();
    expect(sequential?.looks.at(-1)?.decision).toBe('regression');
    expect(sequential?.looks.slice(0, -1).every((look) => look.decision === 'continue')).toBe(true);
    const json = JSON.parse(JSON.stringify(paired));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    const read = parsePairedRecord(JSON.stringify(paired), 'paired.json');
    expect(read.meta.sequential).toEqual(sequential);
    const comparison = comparePaired({ paired: read });
    expect(comparison.verdict).toBe('regression');
    expect(comparison.pairing?.sequential).toMatchObject({ stoppedEarly: true, decision: 'regression', pairs: sequential?.stoppedAtPairs, maxPairs: 30 });
    // The same record judged at the look's pairs and level gives the same verdict as the run's.
    const design = sequentialDesign(30, 0.05);
    const index = design?.looks.indexOf(sequential?.stoppedAtPairs as number) as number;
    expect(judgePaired({ paired: read, pairs: sequential?.stoppedAtPairs as number, options: { alpha: design?.nominal[index] as number } }).comparison.verdict).toBe('regression');
  });

  it('runs an unchanged head to its most when no look decides, and says so', () => {
    const paired = withLooks(syntheticPaired({ seed: 11, pairs: 12, headScale: 1, sharedDrift: 0 }));
    const sequential = paired.meta.sequential;
    if (sequential?.stoppedAtPairs === undefined) {
      expect(sequential?.looks.at(-1)?.pairs).toBe(12);
      expect(['maximum', 'regression']).toContain(sequential?.looks.at(-1)?.decision);
      expect(comparePaired({ paired }).pairing?.sequential?.stoppedEarly).toBe(false);
    } else {
      expect(sequential.looks.at(-1)?.decision).toBe('ruled-out');
    }
    expect(resolveCompareOptions({}).alpha).toBe(sequential?.alpha);
  });

  it('refuses looks that do not fit: a deciding look before the last, a stop at another look, more pairs than the order', () => {
    const paired = JSON.parse(JSON.stringify(withLooks(syntheticPaired({ seed: 7, pairs: 30, headScale: 1.6 }))));
    const refused = (edit: (record: typeof paired) => void): void => {
      const copy = JSON.parse(JSON.stringify(paired));
      edit(copy);
      expect(() => parsePairedRecord(JSON.stringify(copy), 'paired.json')).toThrow(RecordError);
    };
    refused((r) => r.meta.sequential.looks.unshift({ ...r.meta.sequential.looks[0], pairs: 2, decision: 'ruled-out' }));
    refused((r) => (r.meta.sequential.stoppedAtPairs = 30));
    refused((r) => (r.meta.sequential.maxPairs = 31));
    refused((r) => (r.meta.sequential.looks[0].metrics[0].pValue = 2));
    refused((r) => (r.meta.sequential.spending = 'pocock'));
  });
});
