import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePaired } from '../../src/compare/compare-paired.js';
import { parsePairedRecord } from '../../src/record/read-paired-record.js';
import { blockLayout, type PairingSettings } from '../../src/record/paired-layout.js';
import { startArrivalServer, type ArrivalServer } from '../helpers/arrival-server.js';
import { fixedReadings, SelfMonitor } from '../../src/engine/self-monitor.js';
import { profileWith } from '../helpers/profiles.js';
import { runPairedProfile } from '../helpers/run-paired.js';

const PAIRING: PairingSettings = { blockMs: 1000, settleMs: 250, order: 'abba', seed: 1 };

/**
 * 100 iterations a second after 1 s of warm-up, in 1 s paired blocks whose first 0.25 s after a
 * switch of target is a settle: 1 + 1 s, then 0.75 + 1 s per pair of blocks, so `pairs` pairs
 * take 2 + 1.75·(pairs − 1) s.
 */
const profileFor = (target: string, pairs: number) =>
  profileWith({
    target,
    warmupMs: 1000,
    blockMs: 250,
    scenarios: [{ executor: { type: 'constant-arrival-rate', rate: 100, timeUnitMs: 1000, durationMs: 1000 + 2000 + 1750 * (pairs - 1), preAllocatedVUs: 40, maxVUs: 100 } }],
  });

describe('paired mode against two loopback servers', () => {
  let fast: ArrivalServer;
  let slow: ArrivalServer;
  let twin: ArrivalServer;
  beforeAll(async () => {
    [fast, slow, twin] = await Promise.all([startArrivalServer(200), startArrivalServer(400), startArrivalServer(200)]);
  });
  afterAll(async () => {
    await Promise.all([fast.close(), slow.close(), twin.close()]);
  });

  it('alternates the load in ABBA blocks, settles only after a switch, and calls a head twice as slow a regression', async () => {
    const { paired, runStart, timeline } = await runPairedProfile(profileFor(slow.url, 6), fast.url, PAIRING);
    expect(paired.order).toEqual(Array.from({ length: 3 }, () => ['head', 'base', 'base', 'head']).flat());
    expect(paired.meta.pairing.settleAt).toBe('switch');
    // Each server saw load in its own blocks and none in the measured part of the other's (a request
    // due at the end of a block may arrive in the next one's settle, which is why it is there).
    const places = blockLayout(paired.order, PAIRING);
    const blockOf = (arrival: bigint): { block: number; within: number } => {
      const measured = Number(arrival - runStart) / 1e6 - 1000;
      let block = places.length - 1;
      while (block > 0 && (places[block]?.startMs as number) > measured) block--;
      return { block: measured < 0 ? -1 : block, within: measured - (places[block]?.startMs as number) };
    };
    const measuredPartMs = PAIRING.blockMs - PAIRING.settleMs;
    for (const [arm, server] of [['head', slow], ['base', fast]] as const) {
      const perBlock = paired.order.map(() => 0);
      let strays = 0;
      const arrivals = await server.arrivals();
      for (const arrival of arrivals) {
        const { block, within } = blockOf(arrival);
        const place = places[block];
        if (place === undefined || within >= measuredPartMs + (place.settled ? PAIRING.settleMs : 0)) continue;
        if (paired.order[block] === arm) perBlock[block] = (perBlock[block] as number) + 1;
        else if (within >= (place.settled ? PAIRING.settleMs : 0)) strays++;
      }
      expect(strays, `${arm} requests in the other arm's blocks`).toBe(0);
      paired.order.forEach((owner, block) => {
        // 100 a second: 100 in a block that settles (1 s), 75 in one that continues (0.75 s).
        if (owner === arm) expect(perBlock[block], `${arm} requests in block ${block}`).toBeGreaterThan(55);
      });
      expect(arrivals.length).toBeGreaterThan(paired[arm].overall.requests);
    }
    // Each arm's record: the measured 750 ms of its 6 blocks, three 250 ms blocks each, about 25 requests apiece.
    for (const arm of ['head', 'base'] as const) {
      const run = paired[arm];
      expect(run.meta.measuredMs).toBe(4500);
      expect(run.blocks).toHaveLength(18);
      for (const block of run.overall.blocks) expect(block.requests).toBeGreaterThan(15);
    }
    // Each arm's load shape on its own time line: the warm-up's four 250 ms slices, then its 18
    // recorded blocks, each about 25 iterations due (100 a second; a late timer may split two slices
    // unevenly) at the planned 100 a second.
    for (const arm of ['head', 'base'] as const) {
      const shape = paired[arm].loadShape?.scenarios.s0;
      expect(paired[arm].loadShape?.warmupSlices).toBe(4);
      expect(shape?.due).toHaveLength(22);
      for (const due of shape?.due?.slice(4) ?? []) expect(due).toBeGreaterThan(5);
      expect(shape?.due?.slice(4).reduce((a, b) => a + b, 0)).toBeGreaterThan(0.8 * 450);
      expect(shape?.planned.every((level) => level.target === 100)).toBe(true);
    }
    expect(() => parsePairedRecord(JSON.stringify(paired), 'paired.json')).not.toThrow();
    // Six settles of 0.25 s at 100 a second (the first block's and five switches').
    expect(paired.meta.pairing.excludedRequests).toBeGreaterThan(100);
    expect(paired.meta.pairing.excludedRequests).toBeLessThan(200);
    expect(timeline.blocks).toBe(12);
    expect(paired.head.meta.target).toBe(slow.url);
    expect(paired.base.meta.target).toBe(fast.url);

    const comparison = comparePaired({ paired });
    expect(comparison.verdict, JSON.stringify([comparison.steps[0]?.p95, comparison.notes])).toBe('regression');
    expect(comparison.pairing).toMatchObject({ baselineTarget: fast.url, pairs: 6 });
    const overall = comparison.steps[0];
    expect(overall?.p95.change).toBeGreaterThan(15);
    // Six pairs, 20%-trimmed: one cut from each end, four kept, 3 df.
    expect(overall?.p95.noise?.degreesOfFreedom).toBe(3);
  }, 30_000);

  it('is inconclusive, and says why, when the generator fell behind by more than the change it could tell', async () => {
    const busy = new SelfMonitor({ readings: fixedReadings({ eventLoopDelayP99Ms: 400, cpuCores: 1 }) });
    const { paired } = await runPairedProfile(profileFor(slow.url, 2), fast.url, PAIRING, { monitor: busy });
    expect(paired.head.generator.valid).toBe(false);
    const comparison = comparePaired({ paired, options: { minBlocks: 2 } });
    expect(comparison.verdict).toBe('inconclusive');
    // The record bounds what the generator's lateness could have added: the interval allows for it.
    expect(comparison.notes.some((n) => /load generator fell behind in this run.*could have added up to [\d.]+ ms to a p95/.test(n)), comparison.notes.join('\n')).toBe(true);
  }, 15_000);

  // A busy machine moves single blocks by tens of percent (the gate's calibration is docs/paired.md's
  // business): equal targets must pass a 50% allowance and land near no change.
  it('passes two equal targets', async () => {
    const { paired } = await runPairedProfile(profileFor(twin.url, 8), fast.url, PAIRING);
    const comparison = comparePaired({ paired, options: { thresholdPct: 50 } });
    expect(comparison.verdict, JSON.stringify(comparison.steps[0]?.p95)).toBe('pass');
    expect(Math.abs(comparison.steps[0]?.p95.change ?? 100)).toBeLessThan(25);
  }, 30_000);
});
