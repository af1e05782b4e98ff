import { describe, expect, it } from 'vitest';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import type { RunnerFingerprint, RunRecord } from '../../src/record/run-record-types.js';
import { fingerprintFrom, machineLoadFrom, PROBE_REPEATS, takeRunnerFingerprint, type FingerprintReadings, type ProbeClocks } from '../../src/run/runner-fingerprint.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, syntheticRun } from '../../src/validate/synthetic-runs.js';

/**
 * The probe timed by CPU time as well as by the wall clock (docs/gate.md, "A busy machine is not
 * a slower CPU"): crafted readings, and clocks that are told what happened.
 */
const host = { cpuModel: 'Test CPU', logicalCores: 2, totalMemoryBytes: 8e9 };
const ops = 1_000_000;
/** Seven repeats of 1,000,000 iterations, each `cpuMs` of CPU time within `wallMs` of wall clock. */
const readings = (wallMs: readonly number[], cpuMs: readonly number[]): FingerprintReadings => ({
  ...host,
  ops,
  repeatNs: wallMs.map((ms) => ms * 1e6),
  repeatCpuUs: cpuMs.map((ms) => ms * 1000),
});

describe('the probe by CPU time', () => {
  it('on a busy machine: the wall clock reads slow, the work per CPU-microsecond does not, and the share of a core falls', () => {
    // Each repeat got 2 ms of CPU (500 iterations per CPU-µs) but took 5 ms: 40% of a core.
    const busy = fingerprintFrom(readings([5, 5, 5, 5, 5, 5, 5], [2, 2, 2, 2, 2, 2, 2]));
    expect(busy.probe).toMatchObject({ opsPerMicrosecond: 200, opsPerCpuMicrosecond: 500, cpuSharePct: 40 });
  });

  it('on a slower CPU: both read slow, and the probe had the whole core', () => {
    const slower = fingerprintFrom(readings([2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5], [2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5]));
    expect(slower.probe).toMatchObject({ opsPerMicrosecond: 400, opsPerCpuMicrosecond: 400, cpuSharePct: 100 });
  });

  it('keeps the fastest repeats by CPU time, which a compile not yet done or a GC cannot have slowed', () => {
    // The first four repeats ran before the JIT's top tier: 4 ms of CPU each; the rest about 2 ms.
    const fingerprint = fingerprintFrom(readings([4, 4, 4, 4, 2, 2.2, 2], [4, 4, 4, 4, 2, 2.2, 2]));
    expect(fingerprint.probe?.opsPerCpuMicrosecond).toBe(500);
    expect(fingerprint.probe?.cpuSharePct).toBe(100);
  });

  it('leaves the CPU-time figures out where the CPU clock is too coarse to time a repeat', () => {
    // Windows counts CPU time in 15.6 ms ticks: most 2 ms repeats read 0, one reads a whole tick.
    const coarse = fingerprintFrom(readings([2, 2, 2, 2, 2, 2, 2], [0, 0, 15.6, 0, 0, 0, 0]));
    expect(coarse.probe).toEqual({ opsPerMicrosecond: 500, repeats: 7 });
    // A CPU clock that under-reads every repeat makes the wall clock faster than the CPU: not plausible.
    const under = fingerprintFrom(readings([2, 2, 2, 2, 2, 2, 2], [1, 1, 1, 1, 1, 1, 1].map((ms) => ms * 4)));
    expect(under.probe?.opsPerCpuMicrosecond).toBeUndefined();
  });

  it('never says the probe got more than a whole core (the JIT and the GC have threads of their own)', () => {
    expect(fingerprintFrom(readings([2, 2, 2, 2, 2, 2, 2], [2, 2.4, 2, 2, 2.3, 2, 2])).probe?.cpuSharePct).toBe(100);
  });

  it('records the involuntary context switches and the machine load, when the OS says them', () => {
    const fingerprint = fingerprintFrom({ ...readings([2, 2, 2], [2, 2, 2]), involuntarySwitches: 12, load: { loadAverage1m: 3.5, cpuPressureSomePct: 41.2 } });
    expect(fingerprint.probe?.involuntarySwitches).toBe(12);
    expect(fingerprint.load).toEqual({ loadAverage1m: 3.5, cpuPressureSomePct: 41.2 });
  });
});

describe('the machine load', () => {
  it('is read from /proc/loadavg and /proc/pressure/cpu', () => {
    const pressure = 'some avg10=79.13 avg60=46.50 avg300=17.09 total=15174697813\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n';
    expect(machineLoadFrom('3.87 1.48 1.19 10/221 25974\n', pressure)).toEqual({ loadAverage1m: 3.87, cpuPressureSomePct: 79.13 });
  });

  it('keeps what could be read, and is absent where nothing could (no /proc outside Linux, no pressure before 4.20)', () => {
    expect(machineLoadFrom('0.50 0.40 0.30 1/100 1', undefined)).toEqual({ loadAverage1m: 0.5 });
    expect(machineLoadFrom(undefined, undefined)).toBeUndefined();
    expect(machineLoadFrom('garbage', 'nothing here')).toBeUndefined();
  });
});

describe('taking the fingerprint', () => {
  /** Clocks of a machine where the probe gets `share` of a core: each repeat, 2 ms of CPU time within 2 / share ms of wall clock. */
  const clocks = (share: number): ProbeClocks => {
    let cpuUs = 0;
    let wallUs = 0;
    let readings = 0;
    let switches = 0;
    return {
      cpuUs: () => cpuUs,
      // A repeat reads the wall clock at its start and at its end: the repeat ran in between.
      wallNs: () => {
        if (++readings % 2 === 0) {
          cpuUs += 2000;
          wallUs += 2000 / share;
        }
        return BigInt(Math.round(wallUs * 1000));
      },
      involuntarySwitches: () => (switches += 5),
      readText: (path) => (path === '/proc/loadavg' ? '6.00 5.00 4.00 3/200 7' : undefined),
    };
  };

  it('times each repeat by both clocks it is given, and reads the load', () => {
    const fingerprint = takeRunnerFingerprint(clocks(0.5));
    expect(fingerprint.probe?.repeats).toBe(PROBE_REPEATS);
    expect(fingerprint.probe).toMatchObject({ opsPerMicrosecond: 250, opsPerCpuMicrosecond: 500, cpuSharePct: 50, involuntarySwitches: 5 });
    expect(fingerprint.load).toEqual({ loadAverage1m: 6 });
  });
});

describe('the run record reader', () => {
  const record = (fingerprint?: unknown): RunRecord => {
    const run = syntheticRun({ model: { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 4 }, random: seededRandom(7), sequence: 0 });
    return fingerprint === undefined ? run : { ...run, meta: { ...run.meta, runnerFingerprint: fingerprint as RunnerFingerprint } };
  };
  const full: RunnerFingerprint = {
    ...host,
    probe: { opsPerMicrosecond: 210.5, repeats: 7, opsPerCpuMicrosecond: 560.25, cpuSharePct: 37.6, involuntarySwitches: 30 },
    load: { loadAverage1m: 12.5, cpuPressureSomePct: 88 },
  };

  it('reads the CPU-time probe and the load, and still reads records without them', () => {
    expect(parseRunRecord(JSON.stringify(record(full)), 'run.json').meta.runnerFingerprint).toEqual(full);
    const older = { ...host, probe: { opsPerMicrosecond: 500, repeats: 7 } };
    expect(parseRunRecord(JSON.stringify(record(older)), 'old.json').meta.runnerFingerprint).toEqual(older);
  });

  it.each([
    ['a share of a core above 100%', { ...full, probe: { ...full.probe, cpuSharePct: 140 } }, 'meta.runnerFingerprint.probe.cpuSharePct'],
    ['a CPU-time speed of zero', { ...full, probe: { ...full.probe, opsPerCpuMicrosecond: 0 } }, 'meta.runnerFingerprint.probe.opsPerCpuMicrosecond'],
    ['a negative load average', { ...full, load: { loadAverage1m: -1 } }, 'meta.runnerFingerprint.load.loadAverage1m'],
  ])('refuses %s, naming the field', (_, fingerprint, field) => {
    expect(() => parseRunRecord(JSON.stringify(record(fingerprint)), 'bad.json')).toThrow(field);
  });
});
