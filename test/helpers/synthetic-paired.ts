import { countsFromIndexes, indexOfMicros } from '../../src/record/latency-counts.js';
import { PairedTimeline, pairOrder, type PairingSettings } from '../../src/record/paired-layout.js';
import { PAIRED_SCHEMA, type PairedRecord } from '../../src/record/paired-record-types.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { seededRandom as seededStream, type Random } from '../../src/stats/seeded-random.js';
import { syntheticRecord } from '../../src/validate/synthetic-runs.js';
import { buildRunRecord, syntheticBlocks } from '../compare/record-builder.js';
import { seededRandom } from '../compare/seeded-random.js';

/**
 * A paired record built in code: `pairs` ABBA pairs of 1 s blocks (no settle), each arm's blocks
 * log-normal latencies around 40 ms sharing a drift over time (what pairing cancels); the head's
 * latencies times `headScale`, and times `1 + trend·i` in its i-th block (a drift of its own).
 */
export function syntheticPaired(options: { seed: number; pairs?: number; headScale?: number; trend?: number; sharedDrift?: number }): PairedRecord {
  const pairs = options.pairs ?? 12;
  const random = seededRandom(options.seed);
  const order = pairOrder(2 * pairs, { order: 'abba', seed: 1 });
  const blocks = { head: [] as ReturnType<typeof syntheticBlocks>, base: [] as ReturnType<typeof syntheticBlocks> };
  order.forEach((arm, i) => {
    // A slow swing both arms share, and a random level per block.
    const shared = Math.exp((options.sharedDrift ?? 0.1) * Math.sin(i / 4));
    const armBlock = arm === 'head' ? blocks.head.length : blocks.base.length;
    const scale = shared * (arm === 'head' ? (options.headScale ?? 1) * (1 + (options.trend ?? 0) * armBlock) : 1);
    blocks[arm].push(...syntheticBlocks(random, { blocks: 1, requestsPerBlock: 100, scale, blockDrift: 0.02 }));
  });
  const run = (arm: 'head' | 'base') => {
    const record = buildRunRecord({ steps: { list: blocks[arm] }, blockMs: 1000 });
    return { ...record, meta: { ...record.meta, target: `http://127.0.0.1:${arm === 'head' ? 3001 : 3000}` } };
  };
  return { schema: PAIRED_SCHEMA, meta: { pairing: { order: 'abba', seed: 1, blockMs: 1000, settleMs: 0, excludedRequests: 0 } }, order, head: run('head'), base: run('base') };
}


/**
 * Paired runs of a load that changes over time, drawn request by request on the run's own clock
 * and laid out as paired mode lays them (`PairedTimeline`: 1.5 s blocks, a 0.5 s settle after each
 * switch, ABBA; 1 s recorded blocks): an arrival goes to the target whose block it falls in, and is
 * recorded on that arm's time line unless it falls in a settle. Each arm's load shape is written as
 * the engine writes it, one planned point per recorded block (the level when that block began).
 * Both targets share the runner: one run-level factor (σ `runSigma`, log scale) scales both.
 */
export interface ChangingLoad {
  seed: number;
  /** Iterations a second at `t` seconds into the run. */
  rateAt: (t: number) => number;
  seconds: number;
  /** Each target's latency for an arrival at `atMs` (ms), or undefined when it is dropped (no free VU). */
  targets: Record<'head' | 'base', (atMs: number, random: Random) => number | undefined>;
}

export const PAIRED_SHAPE_PAIRING: PairingSettings = { blockMs: 1500, settleMs: 500, order: 'abba', seed: 1 };

export function changingLoadPaired(load: ChangingLoad): PairedRecord {
  const random = seededStream(load.seed);
  const measuredMs = load.seconds * 1000;
  const timeline = new PairedTimeline(0, measuredMs, 1000, PAIRED_SHAPE_PAIRING);
  const arms = ['head', 'base'] as const;
  const slots = arms.map((_, i) => Math.floor(timeline.armMeasuredMs(i as 0 | 1, measuredMs) / 1000));
  const latencies = arms.map((_, i) => Array.from({ length: slots[i] as number }, () => [] as number[]));
  const due = arms.map((_, i) => new Array<number>(slots[i] as number).fill(0));
  const dropped = arms.map((_, i) => new Array<number>(slots[i] as number).fill(0));
  let excluded = 0;
  for (let s = 0; s < load.seconds; s++) {
    const rate = load.rateAt(s);
    for (let i = 0; i < rate; i++) {
      const at = (s + (i + 0.5) / rate) * 1000;
      const arm = timeline.armAt(at);
      const latency = load.targets[arms[arm]](at, random);
      const local = timeline.localOffset(arm, at);
      if (local === undefined) {
        excluded++;
        continue;
      }
      const slot = Math.floor(local / 1000);
      if (slot >= (slots[arm] as number)) continue;
      (due[arm] as number[])[slot]! += 1;
      if (latency === undefined) (dropped[arm] as number[])[slot]! += 1;
      else (latencies[arm] as number[][])[slot]!.push(latency);
    }
  }
  // The level each arm's recorded block began at, as the engine samples it (ticks of 0.5 s).
  const starts = arms.map((_, i) => new Array<number | undefined>(slots[i] as number).fill(undefined));
  for (let at = 0; at < measuredMs; at += 500) {
    const arm = timeline.armAt(at);
    const local = timeline.localOffset(arm, at);
    if (local === undefined) continue;
    const slot = Math.floor(local / 1000);
    if (slot < (slots[arm] as number)) (starts[arm] as Array<number | undefined>)[slot] ??= at;
  }
  const record = (i: 0 | 1): RunRecord => {
    const blocks = (latencies[i] as number[][]).map((list) => countsFromIndexes(list.map((ms) => indexOfMicros(ms * 1000))));
    const run = syntheticRecord({ model: { steps: [{ name: 'home', medianMs: 20, rate: 0 }] }, blocks: { home: blocks }, blockMs: 1000, measuredMs: (slots[i] as number) * 1000, sequence: 0, target: `http://127.0.0.1:${i === 0 ? 3001 : 3000}` });
    const armDue = due[i] as number[];
    const armDropped = dropped[i] as number[];
    const planned = (starts[i] as Array<number | undefined>).flatMap((at, slot) => (at === undefined ? [] : [{ atMs: slot * 1000, target: load.rateAt(Math.floor(at / 1000)) }]));
    const iterations = armDue.reduce((a, b) => a + b, 0);
    return {
      ...run,
      scenarios: { load: { executor: 'ramping-arrival-rate', model: 'open', latencyFrom: 'intended-start', iterations, intendedIterations: iterations, droppedIterations: armDropped.reduce((a, b) => a + b, 0), maxVUs: 50 } },
      loadShape: { warmupSlices: 0, scenarios: { load: { planned, vus: armDue.map(() => 3), due: armDue, dropped: armDropped } } },
    };
  };
  return { schema: PAIRED_SCHEMA, meta: { pairing: { ...PAIRED_SHAPE_PAIRING, settleAt: 'switch', excludedRequests: excluded } }, order: timeline.order, head: record(0), base: record(1) };
}

/**
 * A first-come-first-served target of `slots` workers taking `serviceMs` each (log-normal, σ 0.1),
 * whose arrivals are dropped when `maxVUs` are in flight, as k6 drops an iteration with no free VU:
 * its capacity is slots × 1000 / serviceMs a second.
 */
export function queueTarget(slots: number, serviceMs: number, maxVUs = 3): (atMs: number, random: Random) => number | undefined {
  const free = new Array<number>(slots).fill(0);
  const inFlight: number[] = [];
  return (at, random) => {
    while (inFlight.length > 0 && (inFlight[0] as number) <= at) inFlight.shift();
    if (inFlight.length >= maxVUs) return undefined;
    const slot = free.indexOf(Math.min(...free));
    const end = Math.max(at, free[slot] as number) + serviceMs * Math.exp(0.1 * random.normal());
    free[slot] = end;
    inFlight.push(end);
    inFlight.sort((a, b) => a - b);
    return end - at;
  };
}

/** Stress levels of the paired stress runs: 12 s each, so each target measures about 4 blocks a level. */
export const PAIRED_STRESS_RATES = [40, 64, 88, 112, 136, 160] as const;

/**
 * A paired stress run: arrival rates 40 … 160 a second, 12 s a level, against two targets of 2
 * workers × 20 ms (capacity 100 a second), the head's service time `headSlower` times the base's
 * (1/0.75: a quarter of its capacity lost), both scaled by one run-level factor.
 */
export function pairedStress(seed: number, headSlower = 1, runSigma = 0.03): PairedRecord {
  const noise = seededStream(seed * 7919 + 1);
  const shared = Math.exp(runSigma * noise.normal());
  const levelSeconds = 12;
  return changingLoadPaired({
    seed,
    seconds: PAIRED_STRESS_RATES.length * levelSeconds,
    rateAt: (t) => PAIRED_STRESS_RATES[Math.min(PAIRED_STRESS_RATES.length - 1, Math.floor(t / levelSeconds))] as number,
    targets: { head: queueTarget(2, 20 * shared * headSlower), base: queueTarget(2, 20 * shared) },
  });
}

/**
 * A paired spike: 40 iterations a second for 20 s (or `surgeStartS`, whole seconds), 120 for 6 s, 40
 * to the run's 70 s. Each target serves in
 * 20 ms (log-normal, σ 0.15) except from the surge's start until `recovery` seconds (run time)
 * after its end, when a request takes three times as long (a cache refilled, a pool regrown): the
 * base recovers in `baseRecovery` s, the head in `headRecovery` s of the run's time.
 */
export function pairedSpike(seed: number, headRecovery: number, baseRecovery = 8, runSigma = 0.03, surgeStartS = 20): PairedRecord {
  const noise = seededStream(seed * 7919 + 2);
  const shared = Math.exp(runSigma * noise.normal());
  const surge = { startS: surgeStartS, endS: surgeStartS + 6 };
  const slowUntil = (recovery: number) => (atMs: number, random: Random): number => {
    const t = atMs / 1000;
    const slow = t >= surge.startS && t < surge.endS + recovery ? 3 : 1;
    return 20 * shared * slow * Math.exp(0.15 * random.normal());
  };
  return changingLoadPaired({
    seed,
    seconds: 70,
    rateAt: (t) => (t >= Math.floor(surge.startS) && t < Math.floor(surge.endS) ? 120 : 40),
    targets: { head: slowUntil(headRecovery), base: slowUntil(baseRecovery) },
  });
}
