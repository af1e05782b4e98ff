import { describe, expect, it } from 'vitest';
import { ArrivalSchedule, rampValueAt } from '../../src/engine/schedule.js';

function drain(schedule: ArrivalSchedule): number[] {
  const times: number[] = [];
  for (let t = schedule.next(); t !== undefined; t = schedule.next()) times.push(t);
  return times;
}

describe('rampValueAt', () => {
  const stages = [
    { durationMs: 1000, target: 10 },
    { durationMs: 1000, target: 10 },
    { durationMs: 2000, target: 0 },
  ];
  it.each([
    [0, 0],
    [500, 5],
    [1000, 10],
    [1500, 10],
    [2000, 10],
    [3000, 5],
    [4000, 0],
    [9000, 0],
  ])('at %i ms is %d', (t, expected) => {
    expect(rampValueAt(0, stages, t)).toBeCloseTo(expected, 9);
  });
});

describe('ArrivalSchedule', () => {
  it('starts a constant rate evenly from time zero', () => {
    const times = drain(ArrivalSchedule.constant(50, 1000, 1000));
    expect(times).toHaveLength(50);
    expect(times[0]).toBe(0);
    expect(times[1]).toBeCloseTo(20, 9);
    expect(times[49]).toBeCloseTo(980, 9);
  });

  it('honours timeUnit', () => {
    expect(drain(ArrivalSchedule.constant(30, 60_000, 120_000))).toHaveLength(60);
  });

  it('ramps linearly: a 0 -> 100/s ramp over 10 s starts 500 iterations, denser at the end', () => {
    const schedule = ArrivalSchedule.ramping(0, 1000, [{ durationMs: 10_000, target: 100 }]);
    expect(schedule.totalIterations()).toBe(500);
    const times = drain(schedule);
    expect(times).toHaveLength(500);
    // The integral of a linear ramp: k iterations by t = sqrt(2k / slope); slope = 0.01 per ms².
    expect(times[125]).toBeCloseTo(Math.sqrt((2 * 125) / 0.00001), 6);
    expect(times.filter((t) => t >= 5000)).toHaveLength(375);
  });

  it('chains stages, including a ramp down and a hold', () => {
    const schedule = ArrivalSchedule.ramping(10, 1000, [
      { durationMs: 2000, target: 30 },
      { durationMs: 1000, target: 30 },
      { durationMs: 2000, target: 0 },
    ]);
    // 40 + 30 + 30 iterations.
    expect(schedule.totalIterations()).toBe(100);
    const times = drain(schedule);
    expect(times).toHaveLength(100);
    expect(times.filter((t) => t < 2000)).toHaveLength(40);
    expect(times.filter((t) => t >= 2000 && t < 3000)).toHaveLength(30);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1] as number);
  });

  it('has nothing to start at a zero rate', () => {
    expect(drain(ArrivalSchedule.ramping(0, 1000, [{ durationMs: 5000, target: 0 }]))).toHaveLength(0);
  });
});
