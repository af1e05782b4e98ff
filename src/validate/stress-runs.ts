import { countsFromIndexes, indexOfMicros, type LatencyCounts } from '../record/latency-counts.js';
import type { RunRecord } from '../record/run-record-types.js';
import type { Random } from '../stats/seeded-random.js';
import { syntheticRecord } from './synthetic-runs.js';

/**
 * Stress runs of known capacity, drawn request by request, for the gate on the breaking point
 * (docs/analyze.md, "Gated like the rest"): an arrival-rate staircase against a target of `slots`
 * workers that each take `serviceMs` (log-normal around it) per request, first come first served;
 * an arrival that finds `maxVUs` iterations in flight is dropped, as k6 drops an iteration with
 * no free VU. Its capacity is slots × 1000 / serviceMs a second. The run-to-run noise moves the
 * run's service time (another runner, another hour), so the capacity moves with it.
 */
export interface StressModel {
  slots: number;
  serviceMs: number;
  /** σ of a request's service time, log scale. */
  requestSigma: number;
  /** σ of the run-to-run offset of the service time, log scale (0.03 ≈ 3%). */
  runSigma: number;
  maxVUs: number;
  /** Iterations a second of each level, and each level's length, seconds. */
  rates: readonly number[];
  levelSeconds: number;
}

export const DEFAULT_STRESS_MODEL: StressModel = {
  slots: 2,
  serviceMs: 20,
  requestSigma: 0.1,
  runSigma: 0.03,
  maxVUs: 3,
  rates: [40, 64, 88, 112, 136, 160],
  levelSeconds: 4,
};

/** The capacity of the model's target, requests a second, before the run-to-run noise. */
export function stressCapacity(model: StressModel, slower = 1): number {
  return (model.slots * 1000) / (model.serviceMs * slower);
}

/**
 * One stress run: `slower` multiplies the service time (1.333 is a quarter of the capacity lost).
 * Arrivals are evenly spaced within each level; 1 s blocks; no warm-up.
 */
export function stressRun(model: StressModel, random: Random, sequence: number, slower = 1): RunRecord {
  const serviceMs = model.serviceMs * slower * Math.exp(model.runSigma * random.normal());
  const seconds = model.rates.length * model.levelSeconds;
  const free = new Array<number>(model.slots).fill(0);
  const inFlight: number[] = [];
  const latencies: number[][] = Array.from({ length: seconds }, () => []);
  const due = new Array<number>(seconds).fill(0);
  const dropped = new Array<number>(seconds).fill(0);
  model.rates.forEach((rate, level) => {
    const count = Math.round(rate * model.levelSeconds);
    for (let i = 0; i < count; i++) {
      const at = (level * model.levelSeconds + (i + 0.5) / rate) * 1000;
      const second = Math.min(seconds - 1, Math.floor(at / 1000));
      due[second] = (due[second] as number) + 1;
      while (inFlight.length > 0 && (inFlight[0] as number) <= at) inFlight.shift();
      if (inFlight.length >= model.maxVUs) {
        dropped[second] = (dropped[second] as number) + 1;
        continue;
      }
      const slot = free.indexOf(Math.min(...free));
      const start = Math.max(at, free[slot] as number);
      const end = start + serviceMs * Math.exp(model.requestSigma * random.normal());
      free[slot] = end;
      inFlight.push(end);
      inFlight.sort((a, b) => a - b);
      (latencies[second] as number[]).push(end - at);
    }
  });
  const blocks: LatencyCounts[] = latencies.map((list) => countsFromIndexes(list.map((ms) => indexOfMicros(ms * 1000))));
  const run = syntheticRecord({ model: { steps: [{ name: 'home', medianMs: model.serviceMs, rate: 0 }] }, blocks: { home: blocks }, blockMs: 1000, measuredMs: seconds * 1000, sequence, profileHash: '5e7e1c0ffee0000000000000000000bb' });
  const planned = model.rates.flatMap((rate, level) => [
    { atMs: level * model.levelSeconds * 1000, target: rate },
    { atMs: (level + 1) * model.levelSeconds * 1000, target: rate },
  ]);
  const iterations = run.overall.requests;
  return {
    ...run,
    scenarios: { load: { executor: 'ramping-arrival-rate', model: 'open', latencyFrom: 'intended-start', iterations, maxVUs: model.maxVUs } },
    loadShape: { warmupSlices: 0, scenarios: { load: { planned, vus: due.map(() => model.maxVUs), due, dropped } } },
  };
}
