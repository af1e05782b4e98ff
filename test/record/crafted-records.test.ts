import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { RecordError } from '../../src/record/record-error.js';
import { buildRunRecord, constantBlocks, syntheticRun } from '../compare/record-builder.js';

/**
 * Records crafted to break `compare` (issue 9): each passed the reader before and then crashed
 * compare with a stack, was taken at face value, or kept it busy for minutes. Each must now be
 * refused at once, by the reader, with the file, the field and the reason.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function validRecord(): Json {
  return JSON.parse(JSON.stringify(syntheticRun(7, { list: { blocks: 6, requestsPerBlock: 20 }, checkout: { blocks: 6, requestsPerBlock: 10 } }))) as Json;
}

/** A record of `count` one-request blocks of 1 ms each; the overall carries the same. */
function manyBlocks(count: number): string {
  const base = validRecord();
  const block = base.steps.list.blocks[0];
  const step = (): Json => ({ ...base.steps.list, requests: count * block.requests, errors: 0, statuses: { '200': count * block.requests }, blocks: Array.from({ length: count }, () => block) });
  base.meta.blockMs = 1;
  base.meta.measuredMs = count;
  base.blocks = Array.from({ length: count }, (_, i) => ({ startMs: i, endMs: i + 1 }));
  base.steps = { list: step() };
  base.overall = step();
  return JSON.stringify(base);
}

function manySteps(count: number): string {
  const steps = Object.fromEntries(Array.from({ length: count }, (_, i) => [`step-${i}`, constantBlocks([1, 1], 2)]));
  return JSON.stringify(buildRunRecord({ steps }));
}

/** A record whose step `list` is renamed; the overall still adds up. */
function renamedStep(name: string): string {
  const record = validRecord();
  const text = JSON.stringify({ ...record, steps: { [`${name}-placeholder`]: record.steps.list, checkout: record.steps.checkout } });
  return text.replace(`"${name}-placeholder"`, JSON.stringify(name));
}

function edited(edit: (record: Json) => void): string {
  const record = validRecord();
  edit(record);
  return JSON.stringify(record);
}

/** A histogram of one latency with parameters tailgate never writes (5 digits, a range of a day). */
function foreignHistogram(): string {
  const histogram = hdr.build({ bitBucketSize: 'packed', lowestDiscernibleValue: 1, highestTrackableValue: 86_400_000_000, numberOfSignificantValueDigits: 5, useWebAssembly: false });
  histogram.recordValue(30_000);
  return hdr.encodeIntoCompressedBase64(histogram);
}

const CRAFTED: Array<[string, () => string, RegExp]> = [
  ['a negative request count', () => edited((r) => (r.steps.list.requests = -120)), /steps\.list\.requests.*at least 0/],
  ['a negative count in a block', () => edited((r) => (r.overall.blocks[2].errors = -1)), /overall\.blocks\[2\]\.errors.*at least 0/],
  ['generator.reasons that is not a list', () => edited((r) => Object.assign(r.generator, { valid: false, reasons: 'cpu' })), /generator\.reasons.*list/],
  ['generator.reasons a number', () => edited((r) => Object.assign(r.generator, { valid: false, reasons: 3 })), /generator\.reasons/],
  ['a step named __proto__', () => renamedStep('__proto__'), /"__proto__"/],
  ['a step named constructor', () => renamedStep('constructor'), /"constructor"/],
  ['a step named prototype', () => renamedStep('prototype'), /"prototype"/],
  ['more errors than requests', () => edited((r) => {
    for (const step of [r.steps.list, r.overall]) {
      step.errors += 1000;
      step.blocks[0].errors += 1000;
      step.errorKinds = { status: step.errors };
    }
  }), /(overall|steps\.list)\.errors is 1\d{3}, more than the step's requests/],
  ['measuredMs of 1e308', () => edited((r) => (r.meta.measuredMs = 1e308)), /meta\.measuredMs/],
  ['measuredMs of Infinity (1e999 in JSON)', () => edited((r) => (r.meta.measuredMs = 12345.678)).replace('12345.678', '1e999'), /meta\.measuredMs/],
  ['a damaged histogram in a block', () => edited((r) => (r.steps.list.blocks[2].histogram = 'HISTFAAAAB' + 'A'.repeat(40))), /steps\.list\.blocks\[2\]\.histogram is damaged/],
  ['histogram parameters tailgate never writes', () => edited((r) => (r.steps.checkout.blocks[0].histogram = foreignHistogram())), /steps\.checkout\.blocks\[0\]\.histogram is damaged/],
  ['more latencies in a histogram than requests', () => edited((r) => (r.steps.list.blocks[0].histogram = r.overall.blocks[0].histogram)), /steps\.list\.blocks\[0\]\.histogram holds \d+ latencies, more than the block's requests/],
  ['a step whose blocks do not add up', () => edited((r) => (r.steps.list.blocks[1].requests += 5)), /steps\.list\.requests is 120, but its blocks hold 125/],
  ['an overall that is not the sum of the steps', () => edited((r) => {
    r.overall.requests += 5;
    r.overall.blocks[0].requests += 5;
    r.overall.statuses['200'] += 5;
  }), /overall\.requests is \d+, but the steps' add up to/],
  ['errors by kind that do not add up to the errors', () => edited((r) => (r.steps.list.errorKinds = { timeout: 3 })), /steps\.list\.errorKinds add up to 3, but the step has 0 errors/],
  ['blocks out of time order', () => edited((r) => ([r.blocks[0], r.blocks[1]] = [r.blocks[1], r.blocks[0]])), /blocks\[1\] starts at 0 ms, before the block before it ends/],
  ['a block past the measured period', () => edited((r) => (r.meta.measuredMs = 20_000)), /blocks\[4\] ends at 25000 ms, after the measured period/],
  ['a step with fewer blocks than the record', () => edited((r) => r.steps.list.blocks.pop()), /steps\.list\.blocks holds 5 entries, but the record has 6 blocks/],
  ['a status that is not an HTTP status', () => edited((r) => (r.steps.list.statuses = { ok: 120 })), /steps\.list\.statuses has an entry named "ok"/],
  ['a start time that is no date', () => edited((r) => (r.meta.startedAt = '2026-19-45T99:00:00Z')), /meta\.startedAt is "2026-19-45T99:00:00Z", not a date and time/],
  ['200,000 blocks', () => manyBlocks(200_000), /blocks.*200000.*4000/],
  ['1,000 steps', () => manySteps(1000), /steps.*1000.*200/],
];

describe('crafted run records', () => {
  it.each(CRAFTED)('refuses %s at once, naming the field', (_name, make, message) => {
    const text = make();
    // CPU time, not the clock: "at once" means no work that grows out of bounds, which a busy machine's wait does not show.
    const started = process.cpuUsage();
    let thrown: unknown;
    try {
      parseRunRecord(text, 'crafted.json');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RecordError);
    expect((thrown as RecordError).message).toMatch(/^crafted\.json: /);
    expect((thrown as RecordError).message).toMatch(message);
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(5000);
  });

  it.each(['toString', 'hasOwnProperty', 'valueOf'])('compares a run with a step named %s that the other run lacks, both ways', (name) => {
    const named = parseRunRecord(renamedStep(name), 'named.json');
    const plain = parseRunRecord(JSON.stringify(validRecord()), 'plain.json');
    expect(compareRuns({ baselines: [plain], current: named }).steps.map((s) => s.name)).toContain(name);
    expect(compareRuns({ baselines: [named], current: plain }).verdict).toBeDefined();
  });

  it('still reads and compares the records they were made from', () => {
    const baseline = parseRunRecord(JSON.stringify(validRecord()), 'base.json');
    const current = parseRunRecord(JSON.stringify(validRecord()), 'current.json');
    expect(compareRuns({ baselines: [baseline], current }).verdict).toBeDefined();
    expect(Object.keys(parseRunRecord(renamedStep('shop'), 'renamed.json').steps)).toContain('shop');
  });
});
