import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePaired } from '../../src/compare/compare-paired.js';
import type { PairingSettings } from '../../src/engine/paired-schedule.js';
import { startArrivalServer, type ArrivalServer } from '../helpers/arrival-server.js';
import { fixedReadings, SelfMonitor } from '../../src/engine/self-monitor.js';
import { profileWith } from '../helpers/profiles.js';
import { runPairedProfile } from '../helpers/run-paired.js';

const PAIRING: PairingSettings = { blockMs: 1000, settleMs: 250, order: 'abba', seed: 1 };

/** 100 iterations a second for 21 s, 1 s of it warm-up: 20 paired blocks of 1 s, the last 0.75 s of each measured. */
const profileFor = (target: string) =>
  profileWith({
    target,
    warmupMs: 1000,
    blockMs: 250,
    scenarios: [{ executor: { type: 'constant-arrival-rate', rate: 100, timeUnitMs: 1000, durationMs: 21_000, preAllocatedVUs: 40, maxVUs: 100 } }],
  });

describe('paired mode against two loopback servers', () => {
  let fast: ArrivalServer;
  let slow: ArrivalServer;
  let twin: ArrivalServer;
  beforeAll(async () => {
    [fast, slow, twin] = await Promise.all([startArrivalServer(200), startArrivalServer(260), startArrivalServer(200)]);
  });
  afterAll(async () => {
    await Promise.all([fast.close(), slow.close(), twin.close()]);
  });

  it('alternates the load in ABBA blocks, excludes the settle, and calls a 30% slower head a regression', async () => {
    const { paired, runStart, timeline } = await runPairedProfile(profileFor(slow.url), fast.url, PAIRING);
    expect(paired.order).toEqual(Array.from({ length: 5 }, () => ['head', 'base', 'base', 'head']).flat());
    // Each server saw load in its own blocks and none in the measured part of the other's (a request
    // due at the end of a block may arrive in the next one's settle, which is why it is there).
    const blockOf = (arrival: bigint): { block: number; within: number } => {
      const measured = Number(arrival - runStart) / 1e6 - 1000;
      return { block: Math.floor(measured / PAIRING.blockMs), within: measured % PAIRING.blockMs };
    };
    for (const [arm, server] of [['head', slow], ['base', fast]] as const) {
      const perBlock = paired.order.map(() => 0);
      let strays = 0;
      const arrivals = await server.arrivals();
      for (const arrival of arrivals) {
        const { block, within } = blockOf(arrival);
        if (block < 0 || block >= paired.order.length) continue;
        if (paired.order[block] === arm) perBlock[block] = (perBlock[block] as number) + 1;
        else if (within >= PAIRING.settleMs) strays++;
      }
      expect(strays, `${arm} requests in the other arm's blocks`).toBe(0);
      paired.order.forEach((owner, block) => {
        if (owner === arm) expect(perBlock[block], `${arm} requests in block ${block}`).toBeGreaterThan(75);
      });
      expect(arrivals.length).toBeGreaterThan(paired[arm].overall.requests);
    }
    // Each arm's record: the measured 750 ms of its 10 blocks, three 250 ms blocks each, about 25 requests apiece.
    for (const arm of ['head', 'base'] as const) {
      const run = paired[arm];
      expect(run.meta.measuredMs).toBe(7500);
      expect(run.blocks).toHaveLength(30);
      for (const block of run.overall.blocks) expect(block.requests).toBeGreaterThan(15);
    }
    expect(paired.meta.pairing.excludedRequests).toBeGreaterThan(300);
    expect(timeline.blocks).toBe(20);
    expect(paired.head.meta.target).toBe(slow.url);
    expect(paired.base.meta.target).toBe(fast.url);

    const comparison = comparePaired({ paired });
    expect(comparison.verdict, JSON.stringify([comparison.steps[0]?.p95, comparison.notes])).toBe('regression');
    expect(comparison.pairing).toMatchObject({ baselineTarget: fast.url, pairs: 10 });
    const overall = comparison.steps[0];
    expect(overall?.p95.change).toBeGreaterThan(15);
    expect(overall?.p95.noise?.degreesOfFreedom).toBe(5);
  }, 45_000);

  it('is inconclusive, and says why, when the generator was the bottleneck', async () => {
    const busy = new SelfMonitor({ readings: fixedReadings({ eventLoopDelayP99Ms: 400, cpuCores: 1 }) });
    const short = profileWith({
      target: slow.url,
      warmupMs: 1000,
      blockMs: 250,
      scenarios: [{ executor: { type: 'constant-arrival-rate', rate: 100, timeUnitMs: 1000, durationMs: 7000, preAllocatedVUs: 40, maxVUs: 100 } }],
    });
    const { paired } = await runPairedProfile(short, fast.url, PAIRING, { monitor: busy });
    expect(paired.head.generator.valid).toBe(false);
    const comparison = comparePaired({ paired, options: { minBlocks: 2 } });
    expect(comparison.verdict).toBe('inconclusive');
    expect(comparison.notes.some((n) => /load generator was the bottleneck/.test(n))).toBe(true);
  }, 20_000);

  it('passes two equal targets', async () => {
    const { paired } = await runPairedProfile(profileFor(twin.url), fast.url, PAIRING);
    const comparison = comparePaired({ paired });
    expect(comparison.verdict, JSON.stringify(comparison.steps[0]?.p95)).toBe('pass');
    expect(Math.abs(comparison.steps[0]?.p95.change ?? 100)).toBeLessThan(8);
  }, 40_000);
});
