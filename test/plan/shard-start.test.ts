import { describe, expect, it } from 'vitest';
import { lateStartWarning, MAX_START_WAIT_MS, parseStartAt, startWait, waitForStart, type StartClock } from '../../src/plan/shard.js';

/**
 * The start the shards of one load share (`--start-at`, `shard-start`): how it is written, how
 * long a shard waits for it (a fake clock that moves only when the fake sleeper is called), and
 * what a late shard is told.
 */

function fakeClock(startIso: string): StartClock & { slept: number[] } {
  let nowMs = Date.parse(startIso);
  const slept: number[] = [];
  return {
    slept,
    now: () => new Date(nowMs),
    sleep: async (ms) => {
      slept.push(ms);
      nowMs += ms;
    },
  };
}

describe('parseStartAt', () => {
  it.each([
    ['2026-12-02T12:00:00Z', '2026-12-02T12:00:00.000Z'],
    ['2026-12-02T13:00:00+01:00', '2026-12-02T12:00:00.000Z'],
    ['2026-12-02T12:00Z', '2026-12-02T12:00:00.000Z'],
    ['1796212800', '2026-12-02T12:00:00.000Z'],
    [' 1796212800.5\n', '2026-12-02T12:00:00.500Z'],
  ])('reads %j', (text, iso) => {
    expect((parseStartAt(text) as Date).toISOString()).toBe(iso);
  });

  it.each(['2026-12-02T12:00:00', '2026-12-02', 'now', '+90s', '12:00', '1796212800000', ''])('refuses %j, saying what it takes', (text) => {
    const parsed = parseStartAt(text);
    expect(parsed).toBeInstanceOf(Error);
    expect((parsed as Error).message).toMatch(/ISO time with its zone.*Unix seconds/);
  });
});

describe('waiting for the common start', () => {
  it('waits until the start, once, and says how long', async () => {
    const clock = fakeClock('2026-12-02T11:59:30Z');
    const waits: number[] = [];
    expect(await waitForStart(new Date('2026-12-02T12:00:00Z'), clock, MAX_START_WAIT_MS, (ms) => waits.push(ms))).toEqual({ waitMs: 30_000, lateMs: 0 });
    expect(clock.slept).toEqual([30_000]);
    expect(waits).toEqual([30_000]);
    expect(clock.now().toISOString()).toBe('2026-12-02T12:00:00.000Z');
  });

  it('starts at once when the start has passed, and warns from a second late', async () => {
    const clock = fakeClock('2026-12-02T12:00:12.5Z');
    const at = new Date('2026-12-02T12:00:00Z');
    const wait = await waitForStart(at, clock);
    expect(wait).toEqual({ waitMs: 0, lateMs: 12_500 });
    expect(clock.slept).toEqual([]);
    expect(lateStartWarning(at, wait as { waitMs: number; lateMs: number }, '--start-at')).toMatch(/starts 12\.5 s after --start-at 2026-12-02T12:00:00\.000Z.*overlap less than 80%/);
    expect(lateStartWarning(at, { waitMs: 0, lateMs: 400 }, '--start-at')).toBeUndefined();
  });

  it('refuses a start beyond the longest wait, without waiting', async () => {
    const clock = fakeClock('2026-12-02T12:00:00Z');
    const wait = await waitForStart(new Date('2026-12-02T13:00:00Z'), clock);
    expect(wait).toBeInstanceOf(Error);
    expect((wait as Error).message).toMatch(/is 60 min ahead \(2026-12-02T13:00:00\.000Z, now 2026-12-02T12:00:00\.000Z\), more than the 10 min a shard waits/);
    expect(clock.slept).toEqual([]);
    expect(startWait(new Date('2026-12-02T12:10:00Z'), new Date('2026-12-02T12:00:00Z'))).toEqual({ waitMs: MAX_START_WAIT_MS, lateMs: 0 });
  });
});
