import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import type { MachineLoad, RunnerFingerprint, RunnerProbe } from '../record/run-record-types.js';
import { median } from 'simple-statistics';

/**
 * The runner a run measured on, in its record (`meta.runnerFingerprint`): the CPU model, logical
 * cores and memory the OS reports, and a short CPU-speed probe taken before the load. Shared
 * runners of one label differ (one run in ten or so lands on a host a quarter slower), and the
 * probe lets a comparison say when the current run's runner was far slower than its baselines'.
 *
 * A busy machine is not a slower CPU: timed by the wall clock, the probe reads slow whenever other
 * work takes the cores. So each repeat is also timed by the CPU time the process got, and the
 * probe keeps both: the work per CPU-microsecond (what the CPU does when it runs the probe) and
 * the share of a core the probe got (what the machine left it). A slower CPU lowers the first; a
 * busy machine lowers the second.
 */

/** Loop iterations in one repeat of the probe: about 2 ms on a 2026 server core. */
export const PROBE_OPS = 1_000_000;
/** Timed repeats, after the untimed ones that let the JIT compile the loop. */
export const PROBE_REPEATS = 7;
const WARMUP_REPEATS = 2;
/** The loop runs in calls of this many iterations, so that the JIT's top tier replaces it between calls. */
const CHUNK_OPS = 1000;
/** The fastest repeats by CPU time whose median is the CPU's speed: a compile not yet done, a GC or an interrupt only ever slow a repeat. */
const FASTEST_BY_CPU = 3;
/**
 * A wall-clock speed this far above the CPU-time speed means the CPU clock did not time the
 * repeats (Windows counts CPU time in 15.6 ms ticks): the CPU-time figures are then left out.
 */
const MAX_PLAUSIBLE_SHARE = 1.25;

/** What the probe and the OS said, as data: the pure part turns it into the fingerprint. */
export interface FingerprintReadings {
  cpuModel: string;
  logicalCores: number;
  totalMemoryBytes: number;
  /** Nanoseconds each timed repeat of `ops` iterations took by the wall clock. */
  repeatNs: readonly number[];
  /** Microseconds of CPU time the process used during each timed repeat; absent where not measured. */
  repeatCpuUs?: readonly number[];
  ops: number;
  /** Times the OS took the CPU from the process during the timed repeats. */
  involuntarySwitches?: number;
  /** The machine's load as the OS reported it just before the probe (Linux, where readable). */
  load?: MachineLoad;
}

/**
 * The fingerprint from its readings: the wall-clock speed is the median repeat's, in iterations
 * per microsecond; the CPU-time speed the median of the fastest repeats by CPU time; the share of
 * a core the CPU time over the wall time of all the timed repeats.
 */
export function fingerprintFrom(readings: FingerprintReadings): RunnerFingerprint {
  const speeds = readings.repeatNs.filter((ns) => Number.isFinite(ns) && ns > 0).map((ns) => readings.ops / (ns / 1000));
  const fingerprint: RunnerFingerprint = {
    cpuModel: readings.cpuModel.trim().replace(/\s+/g, ' ').slice(0, 200) || 'unknown',
    logicalCores: Math.max(1, Math.round(readings.logicalCores)),
    totalMemoryBytes: Math.max(0, Math.round(readings.totalMemoryBytes)),
    ...(readings.load && Object.keys(readings.load).length > 0 ? { load: readings.load } : {}),
  };
  if (speeds.length === 0) return fingerprint;
  const opsPerMicrosecond = median(speeds);
  const probe: RunnerProbe = { opsPerMicrosecond: round3(opsPerMicrosecond), repeats: speeds.length };
  const cpuSpeed = cpuTimeSpeed(readings.repeatCpuUs ?? [], readings.ops, speeds.length);
  if (cpuSpeed !== undefined && opsPerMicrosecond / cpuSpeed <= MAX_PLAUSIBLE_SHARE) {
    probe.opsPerCpuMicrosecond = round3(cpuSpeed);
    probe.cpuSharePct = cpuShare(readings.repeatNs, readings.repeatCpuUs ?? []);
  }
  if (readings.involuntarySwitches !== undefined && Number.isInteger(readings.involuntarySwitches) && readings.involuntarySwitches >= 0) {
    probe.involuntarySwitches = readings.involuntarySwitches;
  }
  return { ...fingerprint, probe };
}

/** The median of the fastest repeats by CPU time, iterations per CPU-microsecond; undefined when fewer than half the repeats had CPU time measured. */
function cpuTimeSpeed(cpuUs: readonly number[], ops: number, repeats: number): number | undefined {
  const speeds = cpuUs.filter((us) => Number.isFinite(us) && us > 0).map((us) => ops / us);
  if (speeds.length === 0 || speeds.length * 2 < repeats) return undefined;
  return median([...speeds].sort((a, b) => b - a).slice(0, FASTEST_BY_CPU));
}

/**
 * The CPU time the process got over the wall time of the timed repeats, percent (at most 100: the
 * JIT's and the GC's threads add CPU time of their own). Not the median repeat's: a repeat of
 * 2 ms often runs between two of the scheduler's interruptions, and a median would miss them.
 */
function cpuShare(repeatNs: readonly number[], repeatCpuUs: readonly number[]): number {
  let wallUs = 0;
  let cpuUs = 0;
  for (const [i, ns] of repeatNs.entries()) {
    const cpu = repeatCpuUs[i];
    if (!Number.isFinite(ns) || ns <= 0 || cpu === undefined || !Number.isFinite(cpu) || cpu < 0) continue;
    wallUs += ns / 1000;
    cpuUs += cpu;
  }
  return round2(Math.min(100, (100 * cpuUs) / wallUs));
}

/** What the probe reads from the process and the OS: the real ones in `takeRunnerFingerprint`, fakes in tests. */
export interface ProbeClocks {
  wallNs(): bigint;
  /** CPU time the process has used, microseconds (user and system). */
  cpuUs(): number;
  /** Involuntary context switches of the process so far. */
  involuntarySwitches(): number;
  /** A file's text, or undefined when it cannot be read (`/proc` outside Linux). */
  readText(path: string): string | undefined;
}

const REAL_CLOCKS: ProbeClocks = {
  wallNs: () => process.hrtime.bigint(),
  cpuUs: () => {
    const used = process.cpuUsage();
    return used.user + used.system;
  },
  involuntarySwitches: () => process.resourceUsage().involuntaryContextSwitches,
  readText: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** Takes the fingerprint of the machine this process runs on: the OS's figures and the probe, some 20 ms in all on an idle core. */
export function takeRunnerFingerprint(clocks: ProbeClocks = REAL_CLOCKS): RunnerFingerprint {
  const load = machineLoadFrom(clocks.readText('/proc/loadavg'), clocks.readText('/proc/pressure/cpu'));
  const switchesBefore = clocks.involuntarySwitches();
  const { wallNs, cpuUs } = timeProbe(PROBE_OPS, PROBE_REPEATS, clocks);
  const involuntarySwitches = clocks.involuntarySwitches() - switchesBefore;
  return fingerprintFrom({ ...hostFigures(), repeatNs: wallNs, repeatCpuUs: cpuUs, ops: PROBE_OPS, involuntarySwitches, ...(load ? { load } : {}) });
}

/**
 * The machine's load from `/proc/loadavg` (the 1-minute average of runnable tasks) and
 * `/proc/pressure/cpu` (the share of the last 10 s in which some runnable task waited for a
 * CPU); undefined when neither could be read.
 */
export function machineLoadFrom(loadavg: string | undefined, pressure: string | undefined): MachineLoad | undefined {
  const average = Number(loadavg?.trim().split(/\s+/)[0]);
  const waiting = Number(/^some\b.*?\bavg10=([\d.]+)/m.exec(pressure ?? '')?.[1]);
  const load: MachineLoad = {
    ...(loadavg !== undefined && Number.isFinite(average) && average >= 0 ? { loadAverage1m: round2(average) } : {}),
    ...(pressure !== undefined && Number.isFinite(waiting) && waiting >= 0 && waiting <= 100 ? { cpuPressureSomePct: round2(waiting) } : {}),
  };
  return Object.keys(load).length > 0 ? load : undefined;
}

function hostFigures(): Pick<FingerprintReadings, 'cpuModel' | 'logicalCores' | 'totalMemoryBytes'> {
  const processors = cpus();
  return { cpuModel: processors[0]?.model ?? 'unknown', logicalCores: availableParallelism(), totalMemoryBytes: totalmem() };
}

/** Times `repeats` runs of the probe loop (after the untimed ones): nanoseconds of wall clock and microseconds of CPU time each. */
export function timeProbe(ops: number, repeats: number, clocks: Pick<ProbeClocks, 'wallNs' | 'cpuUs'> = REAL_CLOCKS): { wallNs: number[]; cpuUs: number[] } {
  let sink = 0;
  for (let w = 0; w < WARMUP_REPEATS; w++) sink ^= probeLoop(ops, w + 1);
  const wallNs: number[] = [];
  const cpuUs: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const cpuStart = clocks.cpuUs();
    const start = clocks.wallNs();
    sink ^= probeLoop(ops, r + WARMUP_REPEATS + 1);
    wallNs.push(Number(clocks.wallNs() - start));
    cpuUs.push(clocks.cpuUs() - cpuStart);
  }
  // The loop's result must be used, or an optimizer could drop the work it times.
  if (sink === 0x7fffffff) wallNs.push(Number.NaN);
  return { wallNs, cpuUs };
}

/**
 * Deterministic integer arithmetic (xorshift32 folded into a sum): the same work on every machine.
 * It runs in calls of CHUNK_OPS iterations: one long loop is compiled by on-stack replacement,
 * and on a busy machine that could leave it at a lower tier for the whole probe (measured: some
 * 210 iterations per CPU-microsecond instead of 560), which would read as a slower CPU.
 */
export function probeLoop(ops: number, seed: number): number {
  let x = (seed * 2654435761) | 0 || 1;
  let sum = 0;
  for (let done = 0; done < ops; done += CHUNK_OPS) {
    x = probeChunk(x, Math.min(CHUNK_OPS, ops - done)) | 1;
    sum = (sum + x) | 0;
  }
  return sum;
}

function probeChunk(state: number, ops: number): number {
  let x = state;
  let sum = 0;
  for (let i = 0; i < ops; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    sum = (sum + (x & 0xffff) * 3) | 0;
  }
  return (x + sum) | 0;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
