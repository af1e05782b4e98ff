import { addCounts, countsFromIndexes, encodeCounts, indexOfMicros, type LatencyCounts } from '../record/latency-counts.js';
import { seededRandom, type Random } from '../stats/seeded-random.js';
import { RUN_SCHEMA, type RunRecord, type StepRecord } from '../record/run-record-types.js';
import { summarizeRun } from '../record/summary.js';

/**
 * Valid run records drawn from a stochastic model whose truth is known, so the gate's false-fail
 * and detection rates can be measured in seconds instead of hours of real load. The model has the
 * noise real runs show:
 * - single latencies log-normal around each step's median (σ of their log);
 * - a slowdown shared by every step that wanders second by second (an AR(1) process on the log
 *   scale: a slow second makes the next one slow too);
 * - a run-to-run offset (another runner, another hour), the same for the whole run;
 * - now and then a noisy-neighbour burst: a few seconds at several times the latency;
 * - Poisson arrivals at each step's rate (an arrival-rate executor: throughput is the profile's).
 * A regression multiplies the latencies of the steps it names (all by default) in the current run.
 */
export { seededRandom, type Random };

export interface SyntheticStepModel {
  name: string;
  medianMs: number;
  /** Requests per second. */
  rate: number;
}

export interface SyntheticModel {
  steps: readonly SyntheticStepModel[];
  durationSeconds: number;
  /** Recorded block length, ms (1000 as tailgate records, 5000 as older records did). */
  blockMs: number;
  /** σ of a single latency's log. */
  requestSigma: number;
  /** σ of the per-second shared slowdown (log scale) and its lag-1 autocorrelation. */
  secondSigma: number;
  secondCorrelation: number;
  /** σ of the run-to-run offset (log scale): 0.03 ≈ 3%. */
  runSigma: number;
  /** Chance that a run has one burst, its length in seconds and its latency multiplier. */
  burstChance: number;
  burstSeconds: number;
  burstFactor: number;
}

export const DEFAULT_SYNTHETIC_MODEL: SyntheticModel = {
  steps: [
    { name: 'list', medianMs: 40, rate: 40 },
    { name: 'detail', medianMs: 25, rate: 25 },
    { name: 'checkout', medianMs: 90, rate: 10 },
  ],
  durationSeconds: 30,
  blockMs: 1000,
  requestSigma: 0.5,
  secondSigma: 0.06,
  secondCorrelation: 0.5,
  runSigma: 0.03,
  burstChance: 0.15,
  burstSeconds: 3,
  burstFactor: 2.5,
};

export interface Regression {
  /** Multiplies latencies: 1.2 is 20% slower. */
  factor: number;
  /** Steps slowed; all when absent. */
  steps?: readonly string[];
  /**
   * The slowdown grows during the run instead of holding: linearly from none at the start of the
   * measured period to `factor` at its end (a head that slows as it runs: a leak, a filling queue).
   */
  ramp?: boolean;
  /**
   * The slowdown stalls instead of holding: it applies only in one second of every this many
   * (seconds 0, N, 2N, …), as a garbage-collection pause does.
   */
  stallEverySeconds?: number;
}

function poisson(random: Random, mean: number): number {
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  let product = random.next();
  while (product > limit) {
    k++;
    product *= random.next();
  }
  return k;
}

export interface SyntheticRunOptions {
  model: SyntheticModel;
  random: Random;
  regression?: Regression;
  /** Orders runs in time: the record starts this many hours after a fixed date. */
  sequence: number;
  profileHash?: string;
}

/** One run record drawn from the model. */
export function syntheticRun({ model, random, regression, sequence, profileHash }: SyntheticRunOptions): RunRecord {
  const seconds = Math.max(1, Math.round(model.durationSeconds));
  const runOffset = model.runSigma * random.normal();
  const slowdown = sharedSlowdown(model, random, seconds);
  const secondsPerBlock = Math.max(1, Math.round(model.blockMs / 1000));
  const blockCount = Math.ceil(seconds / secondsPerBlock);
  const blocks: Record<string, LatencyCounts[]> = {};
  for (const step of model.steps) {
    blocks[step.name] = Array.from({ length: blockCount }, (_, b) => {
      const indexes: number[] = [];
      for (let s = b * secondsPerBlock; s < Math.min(seconds, (b + 1) * secondsPerBlock); s++) {
        drawSecond(random, step.rate, stepScale(step, runOffset, regression, (s + 0.5) / seconds, s) + (slowdown[s] as number), model.requestSigma, indexes);
      }
      return countsFromIndexes(indexes);
    });
  }
  return syntheticRecord({ model, blocks, blockMs: secondsPerBlock * 1000, measuredMs: seconds * 1000, sequence, ...(profileHash !== undefined ? { profileHash } : {}) });
}

/**
 * The slowdown every step of a run shares, second by second (log scale): a stationary AR(1)
 * with the model's σ and lag-1 correlation, plus, with the model's chance, one burst.
 */
export function sharedSlowdown(model: SyntheticModel, random: Random, seconds: number): number[] {
  const rho = model.secondCorrelation;
  const innovation = model.secondSigma * Math.sqrt(1 - rho * rho);
  const slowdown: number[] = [];
  let level = model.secondSigma * random.normal();
  for (let s = 0; s < seconds; s++) {
    slowdown.push(level);
    level = rho * level + innovation * random.normal();
  }
  if (random.next() < model.burstChance) {
    const start = Math.floor(random.next() * Math.max(1, seconds - model.burstSeconds + 1));
    for (let s = start; s < Math.min(seconds, start + model.burstSeconds); s++) slowdown[s] = (slowdown[s] as number) + Math.log(model.burstFactor);
  }
  return slowdown;
}

/**
 * A step's log-scale centre (log µs) before the per-second slowdown: its median, the run's offset,
 * a regression that names it (a ramp's as far as `progress`, 0 to 1, into the measured period).
 */
export function stepScale(step: SyntheticStepModel, runOffset: number, regression: Regression | undefined, progress = 1, second = 0): number {
  const slowed = regression !== undefined && (regression.steps === undefined || regression.steps.includes(step.name));
  return Math.log(step.medianMs * 1000) + runOffset + (slowed ? Math.log(regressionFactor(regression, progress, second)) : 0);
}

/** The latency multiplier a regression applies `progress` (0 to 1) into the measured period, in its `second`. */
export function regressionFactor(regression: Regression, progress: number, second = 0): number {
  const every = regression.stallEverySeconds;
  if (every !== undefined && every > 0 && Math.floor(second) % every !== 0) return 1;
  return regression.ramp === true ? 1 + (regression.factor - 1) * Math.min(1, Math.max(0, progress)) : regression.factor;
}

/** One second of one step: Poisson arrivals at `rate`, each latency log-normal around `centre` (log µs), appended as histogram indexes. */
export function drawSecond(random: Random, rate: number, centre: number, sigma: number, into: number[]): void {
  const n = poisson(random, rate);
  for (let i = 0; i < n; i++) into.push(indexOfMicros(Math.exp(centre + sigma * random.normal())));
}

export interface SyntheticRecordParts {
  model: Pick<SyntheticModel, 'steps'>;
  /** Each step's recorded blocks, in time order (every step the same number). */
  blocks: Record<string, readonly LatencyCounts[]>;
  blockMs: number;
  measuredMs: number;
  sequence: number;
  profileHash?: string;
  target?: string;
}

/** A valid run record (an arrival-rate run, no errors, an idle generator) holding these latencies. */
export function syntheticRecord({ model, blocks, blockMs, measuredMs, sequence, profileHash, target }: SyntheticRecordParts): RunRecord {
  const stepRecord = (counts: readonly LatencyCounts[]): StepRecord => {
    const whole = addCounts(counts);
    return {
      histogram: encodeCounts(whole, FAST),
      requests: whole.total,
      errors: 0,
      statuses: whole.total > 0 ? { '200': whole.total } : {},
      errorKinds: {},
      blocks: counts.map((c) => ({ histogram: encodeCounts(c, FAST), requests: c.total, errors: 0 })),
    };
  };
  const blockCount = Math.max(0, ...model.steps.map((step) => blocks[step.name]?.length ?? 0));
  const steps: Record<string, StepRecord> = {};
  for (const step of model.steps) steps[step.name] = stepRecord(blocks[step.name] ?? []);
  const overall = stepRecord(Array.from({ length: blockCount }, (_, b) => addCounts(model.steps.map((step) => blocks[step.name]?.[b] ?? countsFromIndexes([])))));

  const started = Date.UTC(2026, 0, 1) + sequence * 3_600_000;
  const totalRate = model.steps.reduce((sum, step) => sum + step.rate, 0);
  const iterations = overall.requests;
  const record: Omit<RunRecord, 'summary'> = {
    schema: RUN_SCHEMA,
    meta: {
      profile: { id: 'synthetic', hash: profileHash ?? '5e7e1c0ffee0000000000000000000aa' },
      target: target ?? 'http://127.0.0.1:3000',
      runId: `synthetic-${sequence}`,
      tool: { name: 'tailgate', version: 'synthetic' },
      startedAt: new Date(started).toISOString(),
      endedAt: new Date(started + measuredMs).toISOString(),
      warmupMs: 0,
      measuredMs,
      blockMs,
      interrupted: false,
    },
    scenarios: {
      load: {
        executor: 'constant-arrival-rate',
        model: 'open',
        latencyFrom: 'intended-start',
        iterations,
        intendedIterations: iterations,
        droppedIterations: 0,
        intendedRate: totalRate,
        achievedRate: totalRate,
        maxVUs: 50,
      },
    },
    generator: { valid: true, reasons: [], eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 2, lateStarts: 0, lateThresholdMs: 10, cpuCores: 0.2, maxRssBytes: 80_000_000 },
    blocks: Array.from({ length: blockCount }, (_, b) => ({ startMs: b * blockMs, endMs: Math.min(measuredMs, (b + 1) * blockMs) })),
    overall,
    steps,
  };
  return { ...record, summary: summarizeRun(record) };
}

/** The probe speed of an ordinary runner in synthetic runs, loop iterations per microsecond (about this machine's). */
export const SYNTHETIC_PROBE_SPEED = 500;

/** A run record with a runner fingerprint whose probe measured `opsPerMicrosecond`. */
export function withProbe(run: RunRecord, opsPerMicrosecond: number): RunRecord {
  const fingerprint = { cpuModel: 'synthetic', logicalCores: 4, totalMemoryBytes: 16_000_000_000, probe: { opsPerMicrosecond: Math.round(opsPerMicrosecond * 1000) / 1000, repeats: 7 } };
  return { ...run, meta: { ...run.meta, runnerFingerprint: fingerprint } };
}

/**
 * A random source that keeps what it drew, so the same draws can be made again (`replay`): a run
 * drawn twice with different factors from one stream differs in the factor alone, since the calls
 * a run makes do not depend on its factor.
 */
export function recordingRandom(random: Random): { random: Random; replay: () => Random } {
  const drawn: number[] = [];
  const keep = (value: number): number => {
    drawn.push(value);
    return value;
  };
  return {
    random: { next: () => keep(random.next()), normal: () => keep(random.normal()) },
    replay: () => {
      let i = 0;
      const again = (): number => {
        if (i >= drawn.length) throw new Error('replayed more draws than were made');
        return drawn[i++] as number;
      };
      return { next: again, normal: again };
    },
  };
}

/** Synthetic records are made by the thousand and never stored: the fastest deflate will do. */
const FAST = 1;
