import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare-runs.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { cpuPerRequest } from '../../src/record/target-metrics.js';
import { startCpuBurningTarget, type CpuBurningTarget } from '../helpers/cpu-burning-target.js';
import { cpuRun } from './target-cpu-runs.js';

/**
 * regression.cpu on real load: a loopback target that burns 0.4 ms of CPU per request on a worker
 * thread, then 1.0 ms (2.5 times) with its latency unchanged, each measured in one short run
 * against one baseline run. What is asserted does not hang on timing: the CPU burnt is CPU time,
 * whatever the machine's load. The rate over 20 runs each: target-cpu.experiment.ts.
 */
describe('regression.cpu: 25% against a loopback target', () => {
  let target: CpuBurningTarget;
  let baseline: RunRecord;
  beforeAll(async () => {
    target = await startCpuBurningTarget({ burnMs: 0.4 });
    baseline = await cpuRun(target, 0.4);
  }, 30_000);
  afterAll(() => target?.close());

  const cpuOf = (current: RunRecord) => compareRuns({ baselines: [baseline], current, options: { cpuPct: 25 } }).targetMetrics?.find((t) => t.question === 'cpu');

  it('a target burning 2.5 times the CPU per request with unchanged latency fails it', async () => {
    const current = await cpuRun(target, 1.0);
    // The record says so on its own: well over the baseline run's CPU per request (the worker's own overhead per message is in both).
    expect(cpuPerRequest(current)?.cpuSecondsPerRequest).toBeGreaterThan(1.6 * (cpuPerRequest(baseline)?.cpuSecondsPerRequest as number));
    const cpu = cpuOf(current);
    expect(cpu).toMatchObject({ gated: true, verdict: 'regression' });
    expect(cpu?.change).toBeGreaterThan(60);
  }, 30_000);

  it('an unchanged target does not', async () => {
    const cpu = cpuOf(await cpuRun(target, 0.4));
    expect(cpu?.gated).toBe(true);
    expect(cpu?.verdict).not.toBe('regression');
    expect(Math.abs(cpu?.change as number)).toBeLessThan(25);
  }, 30_000);
});
