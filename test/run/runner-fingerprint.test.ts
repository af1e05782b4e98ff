import { describe, expect, it } from 'vitest';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { mergeRecords } from '../../src/record/merge-records.js';
import type { RunnerFingerprint, RunRecord } from '../../src/record/run-record-types.js';
import { fingerprintFrom, probeLoop, PROBE_REPEATS, takeRunnerFingerprint } from '../../src/run/runner-fingerprint.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, syntheticRun } from '../../src/validate/synthetic-runs.js';

const record = (fingerprint?: unknown): RunRecord => {
  const run = syntheticRun({ model: { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 4 }, random: seededRandom(5), sequence: 0 });
  return fingerprint === undefined ? run : { ...run, meta: { ...run.meta, runnerFingerprint: fingerprint as RunnerFingerprint } };
};

describe('the runner fingerprint', () => {
  it('keeps the median repeat of the probe, in loop iterations per microsecond', () => {
    // 1,000,000 iterations in 2, 1, 4, 2 and 2.5 ms: 500, 1000, 250, 500 and 400 per microsecond.
    const fingerprint = fingerprintFrom({ cpuModel: '  AMD EPYC   7763 64-Core Processor ', logicalCores: 4, totalMemoryBytes: 16e9, repeatNs: [2e6, 1e6, 4e6, 2e6, 2.5e6], ops: 1_000_000 });
    expect(fingerprint).toEqual({ cpuModel: 'AMD EPYC 7763 64-Core Processor', logicalCores: 4, totalMemoryBytes: 16e9, probe: { opsPerMicrosecond: 500, repeats: 5 } });
  });

  it('leaves the probe out when no repeat could be timed, and names an unnamed CPU unknown', () => {
    const fingerprint = fingerprintFrom({ cpuModel: '', logicalCores: 2, totalMemoryBytes: 8e9, repeatNs: [0, Number.NaN], ops: 1000 });
    expect(fingerprint).toEqual({ cpuModel: 'unknown', logicalCores: 2, totalMemoryBytes: 8e9 });
  });

  it('times the same arithmetic on every machine: the loop is deterministic', () => {
    expect(probeLoop(10_000, 3)).toBe(probeLoop(10_000, 3));
    expect(probeLoop(10_000, 3)).not.toBe(probeLoop(10_000, 4));
  });

  it('of this machine is one the run record reader accepts', () => {
    const fingerprint = takeRunnerFingerprint();
    expect(fingerprint.probe?.repeats).toBe(PROBE_REPEATS);
    expect(fingerprint.probe!.opsPerMicrosecond).toBeGreaterThan(0);
    expect(fingerprint.logicalCores).toBeGreaterThanOrEqual(1);
    const read = parseRunRecord(JSON.stringify(record(fingerprint)), 'run.json');
    expect(read.meta.runnerFingerprint).toEqual(fingerprint);
  });
});

describe('the run record reader', () => {
  it('reads older records, which have no fingerprint', () => {
    expect(parseRunRecord(JSON.stringify(record()), 'old.json').meta.runnerFingerprint).toBeUndefined();
  });

  it.each([
    ['cores that are not a whole number', { cpuModel: 'x', logicalCores: 1.5, totalMemoryBytes: 1 }, 'meta.runnerFingerprint.logicalCores'],
    ['a probe of no speed', { cpuModel: 'x', logicalCores: 2, totalMemoryBytes: 1, probe: { opsPerMicrosecond: 0, repeats: 7 } }, 'meta.runnerFingerprint.probe.opsPerMicrosecond'],
    ['no CPU model', { logicalCores: 2, totalMemoryBytes: 1 }, 'meta.runnerFingerprint'],
  ])('refuses a fingerprint with %s, naming the field', (_, fingerprint, field) => {
    expect(() => parseRunRecord(JSON.stringify(record(fingerprint)), 'bad.json')).toThrow(field);
  });

  it('drops the fingerprint from a merge of shards, which ran on runners of their own', () => {
    const fingerprint: RunnerFingerprint = { cpuModel: 'x', logicalCores: 2, totalMemoryBytes: 1, probe: { opsPerMicrosecond: 500, repeats: 7 } };
    const shard = (index: number): RunRecord => {
      const run = record(fingerprint);
      return { ...run, meta: { ...run.meta, shard: { index, count: 2 } } };
    };
    const merged = mergeRecords([
      { file: 'a.json', record: shard(1) },
      { file: 'b.json', record: shard(2) },
    ]);
    expect(merged.meta.mergedFrom).toBe(2);
    expect(merged.meta.runnerFingerprint).toBeUndefined();
  });
});
