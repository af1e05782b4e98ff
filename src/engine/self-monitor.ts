import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { GeneratorRecord, LatenessEffect } from '../record/run-record-types.js';
import { clopperPearson } from '../stats/binomial-interval.js';

/** The self-check's limits. Every run uses the defaults unless the profile's gate says otherwise. */
export interface SelfCheckLimits {
  /** A request that starts more than this after it was due counts as a late start. */
  lateThresholdMs: number;
  maxEventLoopP99Ms: number;
  /** Fewer late starts than this never make a run invalid: too few to measure their effect on. */
  minLateStarts: number;
  /** The gate's allowed p95 increase and throughput decrease, percent. */
  allowedP95ChangePct: number;
  allowedThroughputChangePct: number;
  /** The part of an allowed change that lateness may move a statistic by before the run is invalid. */
  materialShare: number;
  /** One-sided confidence of the upper bound on the late fraction. */
  confidence: number;
}

export const DEFAULT_SELF_CHECK_LIMITS: SelfCheckLimits = {
  lateThresholdMs: 10,
  maxEventLoopP99Ms: 50,
  minLateStarts: 20,
  allowedP95ChangePct: 10,
  allowedThroughputChangePct: 10,
  materialShare: 0.25,
  confidence: 0.95,
};

/** A request that starts this much after it was due counts as a late start. */
export const LATE_THRESHOLD_MS = DEFAULT_SELF_CHECK_LIMITS.lateThresholdMs;
const BUSY_CORE_FRACTION = 0.9;
/** The event-loop sampling interval; Node's samples include it, so it is subtracted. */
const LOOP_RESOLUTION_MS = 10;
/** A bound past this is reported as this: "more than ten times the value" says enough. */
const MAX_REPORTED_PCT = 1000;

/** What the process read of itself over the run. */
export interface ProcessReadings {
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** CPU as a fraction of one core. */
  cpuCores: number;
  maxRssBytes: number;
}

/**
 * The machine's side of the self-check: event loop, CPU, memory, and how late each request
 * started. The real readings come from the process; tests inject fixed ones, so that the verdict
 * is theirs to decide and a busy machine cannot flip it.
 */
export interface GeneratorReadings {
  start(): void;
  /** How late the `index`-th request started, given what the engine's clock measured. */
  lateBy(measuredMs: number, index: number): number;
  finish(): ProcessReadings;
}

/** The process's own readings: perf_hooks' event-loop delay, process CPU time and peak RSS. */
export function processReadings(): GeneratorReadings {
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  let cpuStart = process.cpuUsage();
  let wallStart = process.hrtime.bigint();
  return {
    start: () => {
      cpuStart = process.cpuUsage();
      wallStart = process.hrtime.bigint();
      loopDelay.enable();
    },
    lateBy: (measuredMs) => measuredMs,
    finish: () => {
      loopDelay.disable();
      const cpu = process.cpuUsage(cpuStart);
      const wallUs = Number(process.hrtime.bigint() - wallStart) / 1000;
      const delayMs = (ns: number): number => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
      return {
        eventLoopDelayP99Ms: loopDelay.count > 0 ? delayMs(loopDelay.percentile(99)) : 0,
        eventLoopDelayMaxMs: loopDelay.count > 0 ? delayMs(loopDelay.max) : 0,
        cpuCores: wallUs > 0 ? (cpu.user + cpu.system) / wallUs : 0,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
      };
    },
  };
}

/**
 * Readings that do not depend on the machine: the given process readings (an idle generator by
 * default), and each request's lateness from `lateness(index)` (on time by default) whatever the
 * clock measured.
 */
export function fixedReadings(options: Partial<ProcessReadings> & { lateness?: (index: number) => number } = {}): GeneratorReadings {
  const { lateness = () => 0, ...readings } = options;
  return {
    start: () => {},
    lateBy: (_measuredMs, index) => lateness(index),
    finish: () => ({ eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, cpuCores: 0, maxRssBytes: 0, ...readings }),
  };
}

/** Late starts as counted: how many requests started, how many of them late, and by how much. */
export interface LateStarts {
  starts: number;
  late: number;
  totalLateMs: number;
  maxLateMs: number;
}

/** What the run measured that lateness could have moved; the engine supplies it at the end. */
export interface MeasuredRun {
  /** Overall p95 latency of the measured period, and any other quantile (0-1) of it, ms. */
  p95Ms: number;
  quantileMs(q: number): number;
  /** Time the virtual users were running iterations, summed over VUs, ms. */
  vuBusyMs: number;
  /** Whether any scenario is open-model (latency from the intended start) or closed-model. */
  open: boolean;
  closed: boolean;
}

/**
 * Watches the load generator itself: event-loop delay, late starts and its own CPU. When the
 * generator, not the target, was the bottleneck, the run is marked invalid and says why.
 */
export class SelfMonitor {
  private readonly readings: GeneratorReadings;
  readonly limits: SelfCheckLimits;
  private readonly late: LateStarts = { starts: 0, late: 0, totalLateMs: 0, maxLateMs: 0 };

  constructor(options: { readings?: GeneratorReadings; limits?: Partial<SelfCheckLimits> } = {}) {
    this.readings = options.readings ?? processReadings();
    this.limits = { ...DEFAULT_SELF_CHECK_LIMITS, ...options.limits };
  }

  get lateStarts(): number {
    return this.late.late;
  }

  start(): void {
    this.readings.start();
  }

  noteStart(lateByMs: number): void {
    const late = this.late;
    const by = this.readings.lateBy(lateByMs, late.starts++);
    if (by <= this.limits.lateThresholdMs) return;
    late.late++;
    late.totalLateMs += by;
    if (by > late.maxLateMs) late.maxLateMs = by;
  }

  finish(measured: MeasuredRun): GeneratorRecord {
    return judgeGenerator(this.readings.finish(), { ...this.late }, measured, this.limits);
  }
}

/**
 * How far the late starts could have moved the two statistics the gate uses, in percent, at the
 * limits' confidence. The late starts are treated as a sample of how this generator keeps time on
 * this machine, so the late fraction is bounded above (Clopper-Pearson, one-sided) rather than
 * taken at face value; starts within the threshold are timer resolution and count as on time.
 *
 * - p95, open model only: latency is timed from the intended start, so a late start's lateness is
 *   inside its latency. Raising a fraction f of the latencies moves no quantile q above the
 *   unraised q + f, so the p95 measured is at most the p95 of the latencies without lateness
 *   seen at 0.95 - f, and at most the largest lateness above it. In the closed model latency is
 *   timed from the actual start and lateness never reaches it.
 * - Throughput, closed model only: a late start idles its VU for the lateness, so the share of
 *   VU time lost to it (mean lateness times the bounded number of late starts, over the VUs' busy
 *   time) bounds the share of requests not sent. In the open model arrivals keep their schedule,
 *   and requests count in the block of their intended start, so the rate does not move.
 */
export function latenessEffect(late: LateStarts, measured: MeasuredRun, limits: SelfCheckLimits): LatenessEffect {
  const fractionUpper = late.late === 0 || late.starts === 0 ? 0 : clopperPearson(late.late, late.starts, 2 * limits.confidence - 1).high;
  let p95Pct = 0;
  if (measured.open && late.late > 0 && measured.p95Ms > 0) {
    const withoutLateness = Math.max(measured.quantileMs(Math.max(0, 0.95 - fractionUpper)), measured.p95Ms - late.maxLateMs);
    p95Pct = withoutLateness > 0 ? (measured.p95Ms / withoutLateness - 1) * 100 : MAX_REPORTED_PCT;
  }
  let throughputPct = 0;
  if (measured.closed && late.late > 0) {
    const lostMs = (late.totalLateMs / late.late) * fractionUpper * late.starts;
    throughputPct = measured.vuBusyMs > 0 ? (lostMs / measured.vuBusyMs) * 100 : MAX_REPORTED_PCT;
  }
  return {
    lateTotalMs: round(late.totalLateMs),
    lateMaxMs: round(late.maxLateMs),
    starts: late.starts,
    lateFractionUpper: round(fractionUpper, 4),
    p95Pct: round(Math.min(MAX_REPORTED_PCT, p95Pct)),
    throughputPct: round(Math.min(MAX_REPORTED_PCT, throughputPct)),
    limitP95Pct: round(limits.materialShare * limits.allowedP95ChangePct),
    limitThroughputPct: round(limits.materialShare * limits.allowedThroughputChangePct),
  };
}

/**
 * The self-check's verdict from what was read. A blocked event loop invalidates the run (it delays
 * responses' handling, which no record can separate from the target's latency). Late starts
 * invalidate it only when there are enough of them to measure (`minLateStarts`) and they could
 * have moved p95 or throughput by more than a material part of the allowed change: a bare
 * percentage of late starts would reject good runs (2 late starts of 76 requests are 2.6%) while
 * saying nothing about their effect.
 */
export function judgeGenerator(readings: ProcessReadings, late: LateStarts, measured: MeasuredRun, limits: SelfCheckLimits): GeneratorRecord {
  const effect = latenessEffect(late, measured, limits);
  const reasons: string[] = [];
  const p99 = readings.eventLoopDelayP99Ms;
  if (p99 > limits.maxEventLoopP99Ms) {
    reasons.push(`the generator's event loop was blocked (p99 delay ${p99.toFixed(0)} ms, limit ${limits.maxEventLoopP99Ms} ms)`);
  }
  if (late.late >= limits.minLateStarts) {
    const moved: string[] = [];
    if (effect.p95Pct > effect.limitP95Pct) moved.push(`raised p95 by up to ${effect.p95Pct.toFixed(1)}% (limit ${effect.limitP95Pct}%)`);
    if (effect.throughputPct > effect.limitThroughputPct) {
      moved.push(`cut throughput by up to ${effect.throughputPct.toFixed(1)}% (limit ${effect.limitThroughputPct}%)`);
    }
    if (moved.length > 0) {
      const busy = readings.cpuCores >= BUSY_CORE_FRACTION ? ` while it used ${(readings.cpuCores * 100).toFixed(0)}% of a core` : '';
      reasons.push(
        `${late.late} of ${late.starts} requests started more than ${limits.lateThresholdMs} ms late (up to ${effect.lateMaxMs.toFixed(0)} ms)${busy}, which could have ${moved.join(' and ')}: the generator could not keep up`,
      );
    }
  }
  return {
    valid: reasons.length === 0,
    reasons,
    eventLoopDelayP99Ms: round(p99),
    eventLoopDelayMaxMs: round(readings.eventLoopDelayMaxMs),
    lateStarts: late.late,
    lateThresholdMs: limits.lateThresholdMs,
    cpuCores: round(readings.cpuCores),
    maxRssBytes: readings.maxRssBytes,
    lateness: effect,
  };
}

function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
