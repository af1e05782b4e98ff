import { createWriteHistogram, encodeHistogram, recordMicros } from '../../src/record/histogram.js';
import type { RunRecord, ServerTimingComponent } from '../../src/record/run-record-types.js';
import { buildRunRecord } from './record-builder.js';
import { seededRandom, type Random } from './seeded-random.js';

/**
 * Synthetic runs of known truth for the Server-Timing tests: one step, `checkout`, whose requests
 * each report every component. A component's duration is its median times a run offset (the
 * run-to-run noise, σ `runSd` on the log scale), a block offset (`blockDrift`) and a request's own
 * log-normal spread (`sigma`), plus `addMs`; the step's latency is the components' sum plus 2 ms.
 */
export interface ComponentSpec {
  medianMs: number;
  sigma?: number;
  /** Added to every duration: +30 is the rise the gate must catch. */
  addMs?: number;
}

export interface TimedRunSpec {
  components: Record<string, ComponentSpec>;
  blocks?: number;
  requestsPerBlock?: number;
  /** σ of a run's log offset, shared by every component of the run (a slower host slows them all). */
  runSd?: number;
  blockDrift?: number;
  sequence?: number;
}

const counter = createWriteHistogram();

function encode(valuesMs: readonly number[]): string {
  counter.reset();
  for (const ms of valuesMs) recordMicros(counter, ms * 1000);
  return encodeHistogram(counter);
}

export function timedRun(random: Random, spec: TimedRunSpec): RunRecord {
  const blocks = spec.blocks ?? 12;
  const perBlock = spec.requestsPerBlock ?? 100;
  const runOffset = (spec.runSd ?? 0.03) * random.normal();
  const names = Object.keys(spec.components);
  const durations: Record<string, number[][]> = Object.fromEntries(names.map((n) => [n, []]));
  const latencies: number[][] = [];
  for (let b = 0; b < blocks; b++) {
    const blockOffset = (spec.blockDrift ?? 0.03) * random.normal();
    const blockLatencies: number[] = [];
    const blockDurations = names.map(() => [] as number[]);
    for (let r = 0; r < perBlock; r++) {
      let latency = 2;
      names.forEach((name, i) => {
        const c = spec.components[name] as ComponentSpec;
        const dur = c.medianMs * Math.exp(runOffset + blockOffset + (c.sigma ?? 0.3) * random.normal()) + (c.addMs ?? 0);
        (blockDurations[i] as number[]).push(dur);
        latency += dur;
      });
      blockLatencies.push(latency);
    }
    latencies.push(blockLatencies);
    names.forEach((name, i) => (durations[name] as number[][]).push(blockDurations[i] as number[]));
  }
  const record = buildRunRecord({ steps: { checkout: latencies.map((latenciesMs) => ({ latenciesMs })) }, sequence: spec.sequence ?? 0 });
  const components = Object.fromEntries(
    names.map((name): [string, ServerTimingComponent] => {
      const perBlockDurations = durations[name] as number[][];
      return [name, { histogram: encode(perBlockDurations.flat()), entries: blocks * perBlock, blocks: perBlockDurations.map(encode) }];
    }),
  );
  const checkout = record.steps.checkout as NonNullable<RunRecord['steps'][string]>;
  return { ...record, steps: { checkout: { ...checkout, serverTiming: { responses: blocks * perBlock, malformed: 0, dropped: 0, components } } } };
}

/** `count` runs from one seed, in sequence (oldest first). */
export function timedRuns(seed: number, count: number, spec: TimedRunSpec): RunRecord[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => timedRun(random, { ...spec, sequence: i }));
}
