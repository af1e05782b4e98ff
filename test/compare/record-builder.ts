import { createWriteHistogram, encodeHistogram, recordMicros } from '../../src/record/histogram.js';
import { RUN_SCHEMA, type RunRecord, type StepRecord } from '../../src/record/run-record-types.js';
import { summarizeStep } from '../../src/record/summary.js';
import { seededRandom, type Random } from './seeded-random.js';

/**
 * Builds valid run records in code, from latencies per block, so compare tests say exactly what
 * each block held. `syntheticBlocks` draws realistic ones (log-normal latencies, block-to-block
 * drift) from a seed.
 */

export interface BlockSpec {
  latenciesMs: readonly number[];
  /** Of the block's requests, how many failed (their latencies are still recorded). Default 0. */
  errors?: number;
}

export interface RunSpec {
  steps: Record<string, readonly BlockSpec[]>;
  blockMs?: number;
  profileId?: string;
  profileHash?: string;
  commit?: string;
  runId?: string;
  /** Default 2026-01-01T00:00:00Z plus `sequence` hours, so runs sort in order. */
  sequence?: number;
  generatorValid?: boolean;
  generatorReasons?: string[];
  interrupted?: boolean;
}

export const DEFAULT_PROFILE_HASH = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

export function buildRunRecord(spec: RunSpec): RunRecord {
  const blockMs = spec.blockMs ?? 5000;
  const blockCount = Math.max(0, ...Object.values(spec.steps).map((blocks) => blocks.length));
  const measuredMs = blockCount * blockMs;
  const started = Date.UTC(2026, 0, 1) + (spec.sequence ?? 0) * 3_600_000;

  const overallBlocks: BlockTally[] = Array.from({ length: blockCount }, () => new BlockTally());
  const overallWhole = new BlockTally();
  const steps: Record<string, StepRecord> = {};
  for (const [name, blocks] of Object.entries(spec.steps)) {
    const whole = new BlockTally();
    const tallies = Array.from({ length: blockCount }, (_, i) => {
      const tally = new BlockTally();
      const block = blocks[i];
      if (block) {
        for (const ms of block.latenciesMs) {
          tally.record(ms);
          whole.record(ms);
          overallBlocks[i]?.record(ms);
          overallWhole.record(ms);
        }
        tally.addErrors(block.errors ?? 0);
        whole.addErrors(block.errors ?? 0);
        overallBlocks[i]?.addErrors(block.errors ?? 0);
        overallWhole.addErrors(block.errors ?? 0);
      }
      return tally;
    });
    steps[name] = whole.toStepRecord(tallies);
  }
  const overall = overallWhole.toStepRecord(overallBlocks);

  const record: Omit<RunRecord, 'summary'> = {
    schema: RUN_SCHEMA,
    meta: {
      profile: { id: spec.profileId ?? 'shop', hash: spec.profileHash ?? DEFAULT_PROFILE_HASH },
      target: 'http://127.0.0.1:3000',
      ...(spec.commit !== undefined ? { commit: spec.commit } : {}),
      ref: 'refs/heads/main',
      runId: spec.runId ?? `run-${spec.sequence ?? 0}`,
      tool: { name: 'tailgate', version: '0.1.0' },
      startedAt: new Date(started).toISOString(),
      endedAt: new Date(started + measuredMs).toISOString(),
      warmupMs: 0,
      measuredMs,
      blockMs,
      interrupted: spec.interrupted ?? false,
    },
    scenarios: {
      main: { executor: 'constant-vus', model: 'closed', latencyFrom: 'actual-start', iterations: overall.requests, maxVUs: 10 },
    },
    generator: {
      valid: spec.generatorValid ?? true,
      reasons: spec.generatorReasons ?? [],
      eventLoopDelayP99Ms: 2,
      eventLoopDelayMaxMs: 5,
      lateStarts: 0,
      lateThresholdMs: 50,
      cpuCores: 0.3,
      maxRssBytes: 80_000_000,
    },
    blocks: Array.from({ length: blockCount }, (_, i) => ({ startMs: i * blockMs, endMs: (i + 1) * blockMs })),
    overall,
    steps,
  };
  return {
    ...record,
    summary: {
      overall: summarizeStep(overall, measuredMs),
      steps: Object.fromEntries(Object.entries(steps).map(([name, step]) => [name, summarizeStep(step, measuredMs)])),
    },
  };
}

/**
 * A block's (or a whole run's) requests until the record is written: the latencies as a list,
 * counted into a histogram once, at the end. One reused histogram of plain counters does the
 * counting, the same buckets as a stored one, so the encoding is what recording each latency
 * into a packed histogram four times over gave, at a fraction of the cost.
 */
const counter = createWriteHistogram();

class BlockTally {
  readonly latenciesMs: number[] = [];
  errors = 0;

  get requests(): number {
    return this.latenciesMs.length;
  }

  record(ms: number): void {
    this.latenciesMs.push(ms);
  }

  addErrors(count: number): void {
    if (count > this.requests) throw new Error(`a block cannot have more errors (${count}) than requests (${this.requests})`);
    this.errors += count;
  }

  encoded(): string {
    counter.reset();
    for (const ms of this.latenciesMs) recordMicros(counter, ms * 1000);
    return encodeHistogram(counter);
  }

  toStepRecord(blocks: readonly BlockTally[]): StepRecord {
    return {
      histogram: this.encoded(),
      requests: this.requests,
      errors: this.errors,
      statuses: { '200': this.requests - this.errors, ...(this.errors > 0 ? { '500': this.errors } : {}) },
      errorKinds: this.errors > 0 ? { status: this.errors } : {},
      blocks: blocks.map((b) => ({ histogram: b.encoded(), requests: b.requests, errors: b.errors })),
    };
  }
}

export interface SyntheticStep {
  blocks?: number;
  requestsPerBlock?: number;
  /** Median latency of the run, before the multipliers below. */
  medianMs?: number;
  /** Spread of single latencies (σ of their log). */
  sigma?: number;
  /** Block-to-block drift (σ of a block's log shift), what batch means must see. */
  blockDrift?: number;
  /** Multiplies every latency: 1.2 is a 20% slowdown. */
  scale?: number;
  /** Fraction of requests that fail. */
  errorRate?: number;
  /** Multiplies requests per block: 0.8 is a 20% throughput drop. */
  throughputScale?: number;
}

/** Blocks of log-normal latencies with per-block drift, from a seeded generator. */
export function syntheticBlocks(random: Random, step: SyntheticStep = {}): BlockSpec[] {
  const blocks = step.blocks ?? 12;
  const perBlock = Math.round((step.requestsPerBlock ?? 100) * (step.throughputScale ?? 1));
  const median = (step.medianMs ?? 40) * (step.scale ?? 1);
  const sigma = step.sigma ?? 0.3;
  const drift = step.blockDrift ?? 0.03;
  return Array.from({ length: blocks }, () => {
    const shift = drift * random.normal();
    const latenciesMs = Array.from({ length: perBlock }, () => median * Math.exp(shift + sigma * random.normal()));
    let errors = 0;
    for (let i = 0; i < perBlock; i++) if (random.next() < (step.errorRate ?? 0)) errors++;
    return { latenciesMs, errors };
  });
}

/** A whole synthetic run: every step drawn from one seed. */
export function syntheticRun(seed: number, steps: Record<string, SyntheticStep>, meta: Omit<RunSpec, 'steps'> = {}): RunRecord {
  const random = seededRandom(seed);
  return buildRunRecord({ ...meta, steps: Object.fromEntries(Object.entries(steps).map(([name, step]) => [name, syntheticBlocks(random, step)])) });
}

/** Blocks whose latencies are all one value: their p95 is that value exactly (below 2.048 ms, HDR is exact). */
export function constantBlocks(valuesMs: readonly number[], requestsPerBlock = 50): BlockSpec[] {
  return valuesMs.map((ms) => ({ latenciesMs: Array.from({ length: requestsPerBlock }, () => ms) }));
}
