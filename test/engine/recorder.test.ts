import { describe, expect, it } from 'vitest';
import { createHistogram, decodeHistogram, encodeHistogram, recordMicros } from '../../src/record/histogram.js';
import { Recorder } from '../../src/record/recorder.js';

/**
 * The recorder writes open blocks to 32-bit histograms and packs them as later blocks arrive.
 * Whatever the order requests finish in, the record must hold exactly what a plain histogram per
 * block would: every latency in the block its request began in, nothing lost or moved.
 */
describe('the recorder', () => {
  const BLOCK_MS = 1000;

  /** Requests as (step, origin ms, latency µs), finishing in the given order. */
  function record(recorder: Recorder, requests: ReadonlyArray<[number, number, number]>): void {
    for (const [step, originMs, latencyUs] of requests) recorder.record(step, originMs, latencyUs, 200, undefined);
  }

  function expectedBlock(requests: ReadonlyArray<[number, number, number]>, step: number | undefined, block: number) {
    const histogram = createHistogram();
    for (const [s, originMs, latencyUs] of requests) {
      if ((step === undefined || s === step) && Math.min(Math.floor(originMs / BLOCK_MS), 5) === block) recordMicros(histogram, latencyUs);
    }
    return decodeHistogram(encodeHistogram(histogram)); // as stored: values to their bucket's resolution
  }

  it('keeps requests that finish long after their block closed in that block', () => {
    const requests: Array<[number, number, number]> = [];
    // Blocks 0..5 in order, then late finishers of blocks 0, 1 and 3, and a first request of block 2
    // of step 1 after step 1 has reached block 5.
    for (let block = 0; block < 6; block++) {
      for (let i = 0; i < 50; i++) requests.push([i % 2, block * BLOCK_MS + i * 7, 100 + block * 1000 + i * 13]);
    }
    requests.push([0, 10, 9_000_000], [1, 1500, 7_000_000], [0, 3999, 123_456]);
    requests.push([1, 2500, 42_000]);
    const recorder = new Recorder(['a', 'b'], 0, BLOCK_MS, false);
    record(recorder, requests);

    const { blocks, overall, steps } = recorder.toRecords(6 * BLOCK_MS);
    expect(blocks).toHaveLength(6);
    for (const [name, step] of [['a', 0], ['b', 1], ['all', undefined]] as const) {
      const stepRecord = name === 'all' ? overall : steps[name];
      expect(stepRecord?.blocks).toHaveLength(6);
      for (let block = 0; block < 6; block++) {
        const stored = decodeHistogram(stepRecord?.blocks[block]?.histogram as string);
        const expected = expectedBlock(requests, step, block);
        expect(stored.totalCount, `${name} block ${block}`).toBe(expected.totalCount);
        expect(stored.maxValue).toBe(expected.maxValue);
        for (const p of [1, 50, 90, 99, 100]) expect(stored.getValueAtPercentile(p)).toBe(expected.getValueAtPercentile(p));
      }
      const whole = decodeHistogram(stepRecord?.histogram as string);
      expect(whole.totalCount).toBe(requests.filter(([s]) => step === undefined || s === step).length);
    }
    expect(overall.requests).toBe(requests.length);
  });

  it('folds requests that began after the measured period into its last block', () => {
    const recorder = new Recorder(['a'], 0, BLOCK_MS, false);
    const requests: Array<[number, number, number]> = [
      [0, 100, 1000],
      [0, 1100, 2000],
      [0, 2100, 3000],
      [0, 3500, 4000],
    ];
    record(recorder, requests);
    const { blocks, steps } = recorder.toRecords(2 * BLOCK_MS);
    expect(blocks).toHaveLength(2);
    const last = decodeHistogram(steps.a?.blocks[1]?.histogram as string);
    expect(steps.a?.blocks[1]?.requests).toBe(3);
    expect(last.totalCount).toBe(3);
    expect(last.maxValue).toBeGreaterThanOrEqual(4000);
    expect(steps.a?.requests).toBe(4);
  });

  it('keeps warm-up requests out of every statistic', () => {
    const recorder = new Recorder(['a'], 500, BLOCK_MS, false);
    record(recorder, [
      [0, 100, 50_000],
      [0, 600, 1000],
    ]);
    const { steps } = recorder.toRecords(BLOCK_MS);
    expect(recorder.warmupRequests).toBe(1);
    expect(steps.a?.requests).toBe(1);
    expect(decodeHistogram(steps.a?.histogram as string).maxValue).toBeLessThan(1100);
  });
});
