import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare-runs.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { clopperPearson } from '../../src/stats/binomial-interval.js';
import { startCpuBurningTarget, type CpuBurningTarget } from '../helpers/cpu-burning-target.js';
import { cpuRun } from './target-cpu-runs.js';

/**
 * regression.cpu: 25% on real load, by hand (`npm run validate -- target-cpu`, some 4 minutes;
 * figures in docs/target-metrics.md): a
 * loopback target burning 0.4 ms of CPU per request on a worker thread, 5 baseline runs of 4 s,
 * then TAILGATE_CPU_RUNS (default 20) runs unchanged and as many burning 1.0 ms (2.5 times) with
 * the same latency, alternating, each compared with the 5 baseline runs. npm test keeps one short
 * run of each (target-cpu-gate.test.ts).
 */
const RUNS = Number(process.env.TAILGATE_CPU_RUNS ?? 20);

describe(`regression.cpu on real load: ${RUNS} unchanged runs and ${RUNS} at 2.5 times the CPU`, () => {
  let target: CpuBurningTarget;
  const baselines: RunRecord[] = [];
  beforeAll(async () => {
    target = await startCpuBurningTarget({ burnMs: 0.4 });
    for (let i = 0; i < 5; i++) baselines.push(await cpuRun(target, 0.4));
  }, 120_000);
  afterAll(() => target?.close());

  it('fails at most alpha of the unchanged runs and catches the 2.5 times ones', async () => {
    const verdicts = { unchanged: {} as Record<string, number>, doubled: {} as Record<string, number> };
    const changes = { unchanged: [] as number[], doubled: [] as number[] };
    const started = Date.now();
    for (let i = 0; i < RUNS; i++) {
      for (const [arm, burn] of [['unchanged', 0.4], ['doubled', 1.0]] as const) {
        const current = await cpuRun(target, burn);
        const cpu = compareRuns({ baselines, current, options: { cpuPct: 25 } }).targetMetrics?.find((t) => t.question === 'cpu');
        const verdict = cpu?.verdict ?? 'none';
        verdicts[arm][verdict] = (verdicts[arm][verdict] ?? 0) + 1;
        if (cpu?.change !== null && cpu?.change !== undefined) changes[arm].push(cpu.change);
      }
    }
    const rate = (arm: 'unchanged' | 'doubled'): string => {
      const regressions = verdicts[arm].regression ?? 0;
      const ci = clopperPearson(regressions, RUNS);
      return `${regressions}/${RUNS} regressions (95% CI ${(100 * ci.low).toFixed(0)}-${(100 * ci.high).toFixed(0)}%), ${JSON.stringify(verdicts[arm])}`;
    };
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    console.log(`unchanged: ${rate('unchanged')}, median change ${median(changes.unchanged).toFixed(1)}%`);
    console.log(`2.5x CPU: ${rate('doubled')}, median change ${median(changes.doubled).toFixed(1)}%`);
    console.log(`${2 * RUNS} runs in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    expect((verdicts.unchanged.regression ?? 0) / RUNS).toBeLessThanOrEqual(0.05);
    expect((verdicts.doubled.regression ?? 0) / RUNS).toBeGreaterThanOrEqual(0.9);
  }, 1_200_000);
});
