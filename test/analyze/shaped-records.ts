import type { RunRecord } from '../../src/record/run-record-types.js';
import { buildRunRecord, type BlockSpec } from '../compare/record-builder.js';
import { seededRandom } from '../compare/seeded-random.js';

/**
 * Run records of known shape, built in code, for the analyses: a soak (closed model, steady
 * VUs) whose block p95 follows a curve, and an arrival-rate staircase against a target that
 * serves 150 requests a second at most.
 */

const random = seededRandom(20261207);

/** Latencies around `p95Ms` (their p95 close to it), `count` of them, lightly noisy. */
function latencies(count: number, p95Ms: number): number[] {
  return Array.from({ length: count }, (_, i) => p95Ms * (0.5 + (0.5 * (i + 1)) / count) * (1 + 0.02 * (random.next() - 0.5)));
}

/** A closed-model run of `blocks` 5 s blocks at 10 VUs, block i's p95 from `p95At(i)`. */
export function soak(blocks: number, p95At: (i: number) => number, sequence = 0): RunRecord {
  const spec: BlockSpec[] = Array.from({ length: blocks }, (_, i) => ({ latenciesMs: latencies(100, p95At(i)) }));
  const run = buildRunRecord({ steps: { home: spec }, sequence });
  const endMs = blocks * 5000;
  run.loadShape = { warmupSlices: 0, scenarios: { main: { planned: [{ atMs: 0, target: 10 }, { atMs: endMs, target: 10 }], vus: Array.from({ length: blocks }, () => 10) } } };
  return run;
}

/** Arrival rate 50, 100, 150, 200, 250 iterations/s, three 1 s blocks each, one request an iteration; the target serves `capacity` a second at most (150). */
export function staircase(sequence = 0, capacity = 150): RunRecord {
  const levels = [50, 100, 150, 200, 250];
  const spec: BlockSpec[] = [];
  const due: number[] = [];
  const dropped: number[] = [];
  for (const rate of levels) {
    for (let b = 0; b < 3; b++) {
      const served = Math.min(rate, capacity);
      // Above capacity a queue builds: p95 grows block by block.
      const p95 = rate <= capacity ? 20 : 20 + 150 * (b + 1) * ((rate - capacity) / 50);
      spec.push({ latenciesMs: latencies(served, p95) });
      due.push(rate);
      dropped.push(rate - served);
    }
  }
  const run = buildRunRecord({ steps: { home: spec }, blockMs: 1000, sequence });
  run.scenarios = { main: { executor: 'ramping-arrival-rate', model: 'open', latencyFrom: 'intended-start', iterations: run.overall.requests, maxVUs: 60 } };
  const planned = levels.flatMap((rate, i) => [{ atMs: i * 3000, target: rate }, { atMs: (i + 1) * 3000, target: rate }]);
  run.loadShape = { warmupSlices: 0, scenarios: { main: { planned, vus: due.map(() => 30), due, dropped } } };
  return run;
}

/**
 * An arrival-rate spike against a target of `capacity` requests a second with one first-come
 * queue: 50 iterations a second for 10 s, 200 for 2 s, 50 for 14 s, 1 s blocks, one request an
 * iteration of 20 ms plus its wait. The surge leaves a queue of 2 × (200 − capacity) requests,
 * which drains at capacity − 50 a second: 4 s at 100, 8 s at 80.
 */
export function spike(sequence = 0, capacity = 100): RunRecord {
  const rates = [...Array.from({ length: 10 }, () => 50), 200, 200, ...Array.from({ length: 14 }, () => 50)];
  let queue = 0;
  const spec: BlockSpec[] = rates.map((rate) => {
    const waits: number[] = [];
    for (let i = 0; i < rate; i++) {
      queue = Math.max(0, queue + 1 - capacity / rate);
      waits.push(20 + (1000 * queue) / capacity);
    }
    return { latenciesMs: waits.map((ms) => ms * (1 + 0.02 * (random.next() - 0.5))) };
  });
  const run = buildRunRecord({ steps: { home: spec }, blockMs: 1000, sequence });
  run.scenarios = { main: { executor: 'ramping-arrival-rate', model: 'open', latencyFrom: 'intended-start', iterations: run.overall.requests, maxVUs: 500 } };
  const planned = [
    { atMs: 0, target: 50 },
    { atMs: 10_000, target: 50 },
    { atMs: 10_000, target: 200 },
    { atMs: 12_000, target: 200 },
    { atMs: 12_000, target: 50 },
    { atMs: 26_000, target: 50 },
  ];
  run.loadShape = { warmupSlices: 0, scenarios: { main: { planned, vus: rates.map(() => 20), due: rates, dropped: rates.map(() => 0) } } };
  return run;
}
