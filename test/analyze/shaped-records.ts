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

/** Arrival rate 50, 100, 150, 200, 250 iterations/s, three 1 s blocks each, one request an iteration; the target serves 150/s at most. */
export function staircase(sequence = 0): RunRecord {
  const levels = [50, 100, 150, 200, 250];
  const spec: BlockSpec[] = [];
  const due: number[] = [];
  const dropped: number[] = [];
  for (const rate of levels) {
    for (let b = 0; b < 3; b++) {
      const served = Math.min(rate, 150);
      // Above capacity a queue builds: p95 grows block by block.
      const p95 = rate <= 150 ? 20 : 20 + 150 * (b + 1) * ((rate - 150) / 50);
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
