import { availableParallelism, cpus, totalmem } from 'node:os';
import type { RunnerFingerprint } from '../record/run-record-types.js';
import { median } from 'simple-statistics';

/**
 * The runner a run measured on, in its record (`meta.runnerFingerprint`): the CPU model, logical
 * cores and memory the OS reports, and a short CPU-speed probe taken before the load. Shared
 * runners of one label differ (one run in ten or so lands on a host a quarter slower), and the
 * probe lets a comparison say when the current run's runner was far slower than its baselines'.
 */

/** Loop iterations in one repeat of the probe: about 2 ms on a 2026 server core. */
export const PROBE_OPS = 1_000_000;
/** Timed repeats (after one untimed, which lets the JIT compile the loop); the median is kept. */
export const PROBE_REPEATS = 7;

/** What the probe and the OS said, as data: the pure part turns it into the fingerprint. */
export interface FingerprintReadings {
  cpuModel: string;
  logicalCores: number;
  totalMemoryBytes: number;
  /** Nanoseconds each timed repeat of `ops` iterations took. */
  repeatNs: readonly number[];
  ops: number;
}

/** The fingerprint from its readings: the probe's speed is the median repeat's, in iterations per microsecond. */
export function fingerprintFrom(readings: FingerprintReadings): RunnerFingerprint {
  const speeds = readings.repeatNs.filter((ns) => Number.isFinite(ns) && ns > 0).map((ns) => readings.ops / (ns / 1000));
  const fingerprint: RunnerFingerprint = {
    cpuModel: readings.cpuModel.trim().replace(/\s+/g, ' ').slice(0, 200) || 'unknown',
    logicalCores: Math.max(1, Math.round(readings.logicalCores)),
    totalMemoryBytes: Math.max(0, Math.round(readings.totalMemoryBytes)),
  };
  if (speeds.length === 0) return fingerprint;
  return { ...fingerprint, probe: { opsPerMicrosecond: round3(median(speeds)), repeats: speeds.length } };
}

/** Takes the fingerprint of the machine this process runs on: the OS's figures and the probe, some 15 to 20 ms in all. */
export function takeRunnerFingerprint(): RunnerFingerprint {
  return fingerprintFrom({ ...hostFigures(), repeatNs: timeProbe(PROBE_OPS, PROBE_REPEATS), ops: PROBE_OPS });
}

function hostFigures(): Pick<FingerprintReadings, 'cpuModel' | 'logicalCores' | 'totalMemoryBytes'> {
  const processors = cpus();
  return { cpuModel: processors[0]?.model ?? 'unknown', logicalCores: availableParallelism(), totalMemoryBytes: totalmem() };
}

/** Times `repeats` runs of the probe loop (after one untimed), nanoseconds each. */
export function timeProbe(ops: number, repeats: number): number[] {
  let sink = probeLoop(ops, 1);
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = process.hrtime.bigint();
    sink ^= probeLoop(ops, r + 2);
    times.push(Number(process.hrtime.bigint() - start));
  }
  // The loop's result must be used, or an optimizer could drop the work it times.
  if (sink === 0x7fffffff) times.push(Number.NaN);
  return times;
}

/** Deterministic integer arithmetic (xorshift32 folded into a sum): the same work on every machine. */
export function probeLoop(ops: number, seed: number): number {
  let x = (seed * 2654435761) | 0 || 1;
  let sum = 0;
  for (let i = 0; i < ops; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    sum = (sum + (x & 0xffff) * 3) | 0;
  }
  return sum;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
