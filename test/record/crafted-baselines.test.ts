import { describe, expect, it } from 'vitest';
import { parseBundle } from '../../src/baseline/bundle-file.js';
import { parseBaselineFile } from '../../src/baseline/read-baseline-file.js';
import { MAX_BASELINE_RUNS } from '../../src/record/record-checks.js';
import { RecordError } from '../../src/record/record-error.js';
import { syntheticRun } from '../compare/record-builder.js';

/**
 * A baseline bundle (`tailgate.baseline/v1`) comes from a cache entry or an artifact: each run it
 * embeds is checked like a record file, and the bundle as a whole is bounded before any is read.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function run(sequence: number): Json {
  return JSON.parse(JSON.stringify(syntheticRun(100 + sequence, { list: { blocks: 4, requestsPerBlock: 10 } }, { sequence }))) as Json;
}

function bundle(runs: Json[]): string {
  return JSON.stringify({ schema: 'tailgate.baseline/v1', profile: { id: 'shop', hash: runs[0]?.meta.profile.hash }, runs });
}

const CRAFTED: Array<[string, () => string, RegExp]> = [
  ['a run with a negative count', () => bundle([run(0), { ...run(1), overall: { ...run(1).overall, requests: -1 } }]), /^base\.json \(run 2\): overall\.requests is -1; it must be at least 0/],
  ['a run with a step named __proto__', () => bundle([run(0), run(1)]).replace('"list"', '"__proto__"'), /^base\.json \(run 1\): steps has an entry named "__proto__"/],
  ['a run that is not an object', () => bundle([run(0), 7 as unknown as Json]), /^base\.json \(run 2\): not a run record/],
  [`more than ${MAX_BASELINE_RUNS} runs`, () => bundle(Array.from({ length: MAX_BASELINE_RUNS + 1 }, () => run(0))), /^base\.json: runs holds 101 runs; tailgate reads at most 100/],
  ['too many step blocks in all', () => {
    const big = JSON.parse(JSON.stringify(syntheticRun(1, { list: { blocks: 2, requestsPerBlock: 1 } }))) as Json;
    big.blocks = Array.from({ length: 4000 }, () => big.blocks[0]);
    return bundle(Array.from({ length: 30 }, () => big));
  }, /^base\.json: runs hold 240000 step blocks in all/],
];

describe('crafted baseline bundles', () => {
  it.each(CRAFTED)('refuses %s, naming the run and the field', (_name, make, message) => {
    const text = make();
    for (const read of [parseBaselineFile, parseBundle]) {
      let thrown: unknown;
      try {
        read(text, 'base.json');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(RecordError);
      expect((thrown as RecordError).message).toMatch(message);
    }
  });

  it('reads a bundle of valid runs', () => {
    expect(parseBundle(bundle([run(0), run(1)]), 'base.json').runs).toHaveLength(2);
    expect(parseBaselineFile(JSON.stringify(syntheticRun(3, { a: { blocks: 2 } })), 'one.json')).toHaveLength(1);
  });
});
