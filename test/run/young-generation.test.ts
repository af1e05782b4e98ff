import { describe, expect, it } from 'vitest';
import { capYoungGeneration, type YoungGenerationControl } from '../../src/run/young-generation.js';

const MIB = 2 ** 20;

/** A young generation of the given size that records the growth factors set on it. */
function fakeControl(sizes: number[]): YoungGenerationControl & { factors: number[] } {
  const factors: number[] = [];
  let i = 0;
  return {
    factors,
    newSpaceBytes: () => sizes[Math.min(i++, sizes.length - 1)] as number,
    setGrowthFactor: (factor) => factors.push(factor),
  };
}

/** A schedule the test drives by hand, which says whether it was stopped. */
function manual(): { schedule: (check: () => void) => { stop(): void }; stopped: () => boolean } {
  let stopped = false;
  return { schedule: () => ({ stop: () => (stopped = true) }), stopped: () => stopped };
}

describe('the young-generation cap', () => {
  it('lets the new space grow up to the cap, then stops its growth once, and restores the default on release', () => {
    // Semi-spaces of 4, 8, 16 MiB: the new space holds two of them.
    const control = fakeControl([8 * MIB, 16 * MIB, 32 * MIB, 32 * MIB]);
    const timer = manual();
    const cap = capYoungGeneration(control, 16, timer.schedule);
    expect(cap.capped).toBe(false);
    cap.check();
    expect(control.factors).toEqual([]);
    cap.check();
    expect(cap.capped).toBe(true);
    expect(control.factors).toEqual([1]);
    expect(timer.stopped()).toBe(true);
    cap.check();
    expect(control.factors).toEqual([1]);
    cap.release();
    cap.release();
    expect(control.factors).toEqual([1, 2]);
  });

  it('touches no flag when the new space never reaches the cap', () => {
    const control = fakeControl([2 * MIB, 4 * MIB]);
    const timer = manual();
    const cap = capYoungGeneration(control, 16, timer.schedule);
    cap.check();
    cap.release();
    expect(control.factors).toEqual([]);
    expect(timer.stopped()).toBe(true);
  });

  it('caps at once a new space already past the cap when the run starts', () => {
    const control = fakeControl([64 * MIB]);
    const cap = capYoungGeneration(control, 16, manual().schedule);
    expect(cap.capped).toBe(true);
    expect(control.factors).toEqual([1]);
  });
});
