import type { RunRecord, TargetSample } from '../../src/record/run-record-types.js';
import { CPU_SERIES, MEMORY_SERIES } from '../../src/record/target-metrics.js';
import type { Random } from '../../src/stats/seeded-random.js';

/**
 * Run records of known truth about the target's own metrics, as far as the CPU and memory tests
 * read them (blocks, their request counts, the scraped series): a target that spends `cpuMs` of
 * CPU per request (times the run's own offset, σ `runSigma` on the log scale, a runner a little
 * faster or slower) plus `idleCores` of background, with each block's CPU off by `blockSigma`;
 * requests per block Poisson-like around `rate`; each scrape lands 0–250 ms into its block's
 * last quarter-second, as a real interval timer drifts; resident memory starting at 80 MB, growing
 * `memoryPctPerMinute`, with noise.
 */
export interface TargetModel {
  blocks: number;
  rate: number;
  cpuMs: number;
  idleCores: number;
  runSigma: number;
  blockSigma: number;
  memoryPctPerMinute: number;
  memorySigma: number;
}

export const DEFAULT_TARGET_MODEL: TargetModel = { blocks: 30, rate: 200, cpuMs: 0.4, idleCores: 0.01, runSigma: 0.05, blockSigma: 0.1, memoryPctPerMinute: 0, memorySigma: 0.003 };

/** A light record (what the tests read of a run) whose target behaved as `model` says. */
export function targetMetricsRun(random: Random, model: Partial<TargetModel> = {}): RunRecord {
  const m = { ...DEFAULT_TARGET_MODEL, ...model };
  const requests = Array.from({ length: m.blocks }, () => Math.max(0, Math.round(m.rate + Math.sqrt(m.rate) * random.normal())));
  const light = {
    meta: { measuredMs: m.blocks * 1_000, blockMs: 1_000 },
    blocks: requests.map((_, i) => ({ startMs: i * 1_000, endMs: (i + 1) * 1_000 })),
    overall: { requests: requests.reduce((a, b) => a + b, 0), blocks: requests.map((n) => ({ requests: n, errors: 0, histogram: '' })) },
  } as unknown as RunRecord;
  return withScrapes(light, random, m);
}

/** `record` (blocks of 1 s) with the scrapes its target would have answered, as `model` says (its `blocks` and `rate` unused). */
export function withScrapes(record: RunRecord, random: Random, model: Partial<TargetModel> = {}): RunRecord {
  const m = { ...DEFAULT_TARGET_MODEL, ...model };
  const requests = record.overall.blocks.map((b) => b.requests);
  const runOffset = Math.exp(m.runSigma * random.normal());
  let cpu = 5;
  const cpuBlocks: TargetSample[] = [];
  const memoryBlocks: TargetSample[] = [];
  let lastAt = -400;
  for (let i = 0; i < requests.length; i++) {
    const atMs = Math.round(i * 1_000 + 750 + random.next() * 250);
    // The requests between the last scrape and this one: this block's up to the scrape, the rest of the last block's.
    const share = (atMs - i * 1_000) / 1_000;
    const spanRequests = (requests[i] as number) * share + (i > 0 ? (requests[i - 1] as number) * (1 - (lastAt - (i - 1) * 1_000) / 1_000) : 0);
    cpu += Math.max(0, (spanRequests * m.cpuMs * runOffset * Math.exp(m.blockSigma * random.normal())) / 1_000 + (m.idleCores * (atMs - lastAt)) / 1_000);
    const memory = 80e6 * Math.exp(Math.log1p(m.memoryPctPerMinute / 100) * (atMs / 60_000) + m.memorySigma * random.normal());
    lastAt = atMs;
    cpuBlocks.push({ atMs, value: cpu });
    memoryBlocks.push({ atMs, value: Math.round(memory) });
  }
  return {
    ...record,
    targetMetrics: {
      url: 'http://127.0.0.1:9464/metrics',
      intervalMs: 1_000,
      scrapes: requests.length + 1,
      failed: 0,
      warnings: [],
      series: { [CPU_SERIES]: { type: 'counter', start: { atMs: -400, value: 5 }, blocks: cpuBlocks }, [MEMORY_SERIES]: { type: 'gauge', blocks: memoryBlocks } },
    },
  };
}
