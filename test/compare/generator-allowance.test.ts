import { describe, expect, it } from 'vitest';
import { comparePaired } from '../../src/compare/compare-paired.js';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { gateFailure } from '../../src/compare/gate-rule.js';
import { p95Allowance } from '../../src/compare/generator-allowance.js';
import { generatorAllowance } from '../../src/record/generator-allowance.js';
import type { PairedRecord } from '../../src/record/paired-record-types.js';
import type { GeneratorRecord, RunRecord } from '../../src/record/run-record-types.js';
import { renderReport } from '../../src/report/render-report.js';
import { syntheticPaired } from '../helpers/synthetic-paired.js';
import { syntheticRun } from './record-builder.js';

/**
 * The generator's possible effect widens an interval; it does not discard a run that is clear
 * beyond it. Records carry known generator readings: late starts that could have raised p95 by
 * `p95Pct`, and an event loop whose p99 delay was `loopMs`.
 */
function behind(run: RunRecord, p95Pct: number, loopMs = 0): RunRecord {
  const generator: GeneratorRecord = {
    ...run.generator,
    valid: false,
    reasons: [`400 of 2000 requests started more than 10 ms late, which could have raised p95 by up to ${p95Pct}% (limit 2.5%): the generator could not keep up`],
    eventLoopDelayP99Ms: loopMs,
    lateStarts: 400,
    lateThresholdMs: 10,
    lateness: { starts: 2000, lateTotalMs: 8000, lateMaxMs: 60, lateFractionUpper: 0.22, p95Pct, throughputPct: 0, limitP95Pct: 2.5, limitThroughputPct: 2.5 },
  };
  return { ...run, generator };
}

const STEPS = { list: { blocks: 30, requestsPerBlock: 60 } };
const history = Array.from({ length: 5 }, (_, i) => syntheticRun(300 + i, STEPS, { sequence: i, blockMs: 1000 }));
const current = (medianMs: number, seed = 400): RunRecord => syntheticRun(seed, { list: { ...STEPS.list, medianMs } }, { sequence: 10, blockMs: 1000 });

describe('what the generator could have added', () => {
  it('is nothing when it kept up, the late starts\' p95 bound and the loop\'s p99 delay in ms when it fell behind, unknown in an older record', () => {
    const run = current(40);
    expect(generatorAllowance(run)).toEqual({ addedMs: 0, throughputPct: 0 });
    const late = behind(run, 50, 3);
    expect(generatorAllowance(late)?.addedMs).toBeCloseTo(late.summary.overall.p95 * (1 - 1 / 1.5) + 3, 6);
    const { lateness: _, ...older } = late.generator;
    expect(generatorAllowance({ ...late, generator: older })).toBeUndefined();
    // Subtracting 20 ms from a 100 ms p95 leaves 80: log(100/80). All of it: a thousandfold, finite.
    expect(p95Allowance(20, 100)).toBeCloseTo(Math.log(1.25), 12);
    expect(p95Allowance(200, 100)).toBeCloseTo(Math.log(1000), 12);
  });
});

describe('a stored-baseline comparison whose generator fell behind', () => {
  it('still calls a change far beyond what the generator could add a regression, and says what it allowed for', () => {
    // Three times as slow; the generator could have raised p95 by 50%.
    const comparison = compareRuns({ baselines: history, current: behind(current(120), 50) });
    expect(comparison.verdict).toBe('regression');
    expect(gateFailure(comparison, 'regression')).toMatch(/performance regression/);
    const p95 = comparison.steps[0]?.p95;
    // The better end of the interval moved by a third (1/1.5 − 1), the worse end not at all.
    expect(p95?.generatorAllowance?.currentRun).toBeCloseTo(-33.3, 0);
    expect(p95?.generatorAllowance?.baselineRun).toBe(0);
    expect(p95?.ci?.low).toBeGreaterThan(10);
    expect(comparison.generator).toMatchObject({ valid: false });
    expect(comparison.generator.addedMs).toBeGreaterThan(0);
    expect(comparison.notes.some((n) => /fell behind in this run .* could have added up to [\d.]+ ms to a p95\. That is allowed for/.test(n))).toBe(true);
  });

  it('never fails an unchanged service: pass or inconclusive, over many seeds', () => {
    for (let seed = 500; seed < 520; seed++) {
      const verdict = compareRuns({ baselines: history, current: behind(current(40, seed), 50) }).verdict;
      expect(['pass', 'inconclusive']).toContain(verdict);
    }
  });

  it('does not call a slowdown the generator could explain a regression: +30% with up to +50% from the generator is inconclusive', () => {
    const comparison = compareRuns({ baselines: history, current: behind(current(52), 50) });
    expect(comparison.verdict).toBe('inconclusive');
    expect(comparison.steps[0]?.p95.reason).toMatch(/once what the load generator could have added is allowed for/);
    expect(renderReport(comparison)).toMatch(/The load generator fell behind and could have added up to [\d.]+ ms to a p95; the interval allows for that\./);
    // The same run with a generator that kept up is a regression: the allowance, not the data, held it back.
    expect(compareRuns({ baselines: history, current: current(52) }).verdict).toBe('regression');
  });

  it('widens by the event loop\'s delay too: a loop p99 as long as the p95 itself leaves nothing to call a regression', () => {
    const run = current(120);
    const comparison = compareRuns({ baselines: history, current: behind(run, 0, run.summary.overall.p95) });
    expect(comparison.verdict).not.toBe('regression');
  });

  it('concludes nothing from an older record that cannot say how far its generator fell behind', () => {
    const late = behind(current(120), 50);
    const { lateness: _, ...older } = late.generator;
    const comparison = compareRuns({ baselines: history, current: { ...late, generator: older } });
    expect(comparison.verdict).toBe('inconclusive');
    expect(comparison.generator.addedMs).toBeUndefined();
    expect(renderReport(comparison)).toMatch(/Inconclusive: the load generator was the bottleneck/);
  });
});

describe('baseline runs whose generator fell behind', () => {
  // Baseline runs of an unchanged service, measured while the generator fell behind by a known amount.
  const lateHistory = (from: number, p95Pct: number): RunRecord[] => history.map((run, i) => (i >= from ? behind(run, p95Pct) : run));

  it('are left out while two runs that kept up remain, and the notes say so', () => {
    const comparison = compareRuns({ baselines: lateHistory(3, 20), current: current(40) });
    expect(comparison.history.used).toHaveLength(3);
    expect(comparison.notes).toContain('2 baseline runs were left out: the load generator fell behind in them, and 3 runs kept up.');
    expect(comparison.steps[0]?.p95.generatorAllowance).toBeUndefined();
  });

  it('are compared when fewer kept up, their allowance added before a pass: the interval\'s worse end moves, the better end does not', () => {
    const comparison = compareRuns({ baselines: lateHistory(1, 20), current: current(40) });
    expect(comparison.history.used).toHaveLength(5);
    expect(comparison.notes.some((n) => /^4 baseline runs were measured while the load generator fell behind; they are compared with what the generator could have added allowed for/.test(n))).toBe(true);
    const p95 = comparison.steps[0]?.p95;
    // Four of five runs could have read up to 20% high: the baseline's level up to (4/5) × log 1.2 high.
    expect(p95?.generatorAllowance?.baselineRun).toBeCloseTo((Math.exp((4 / 5) * Math.log(1.2)) - 1) * 100, 1);
    expect(p95?.generatorAllowance?.currentRun).toBeCloseTo(0, 12);
    const onTime = compareRuns({ baselines: history, current: current(40) }).steps[0]?.p95;
    expect(p95?.ci?.low).toBeCloseTo(onTime?.ci?.low as number, 6);
    expect(p95?.ci?.high).toBeGreaterThan((onTime?.ci?.high as number) + 10);
  });

  it('still let a regression through the gate, and never fail an unchanged service', () => {
    expect(compareRuns({ baselines: lateHistory(0, 20), current: current(120) }).verdict).toBe('regression');
    for (let seed = 600; seed < 620; seed++) {
      expect(['pass', 'inconclusive']).toContain(compareRuns({ baselines: lateHistory(0, 20), current: current(40, seed) }).verdict);
    }
  });

  it('are still left out when the record cannot say how far the generator fell behind', () => {
    const older = history.map((run, i) => {
      if (i < 2) return run;
      const { lateness: _, ...generator } = behind(run, 20).generator;
      return { ...run, generator };
    });
    const comparison = compareRuns({ baselines: older, current: current(40) });
    expect(comparison.history.used).toHaveLength(2);
    expect(comparison.notes).toContain('3 baseline runs were left out: the load generator was the bottleneck in them.');
  });
});

describe('a paired comparison whose generator fell behind', () => {
  const bothBehind = (paired: PairedRecord, p95Pct: number): PairedRecord => ({ ...paired, head: behind(paired.head, p95Pct), base: behind(paired.base, p95Pct) });

  it('calls a head three times as slow a regression, and an unchanged one never', () => {
    expect(comparePaired({ paired: bothBehind(syntheticPaired({ seed: 41, headScale: 3 }), 40) }).verdict).toBe('regression');
    for (let seed = 42; seed < 52; seed++) expect(['pass', 'inconclusive']).toContain(comparePaired({ paired: bothBehind(syntheticPaired({ seed }), 40) }).verdict);
  });

  it('widens both ends: the head\'s side for a regression, the base\'s for a pass', () => {
    const comparison = comparePaired({ paired: bothBehind(syntheticPaired({ seed: 53 }), 40) });
    const allowance = comparison.steps[0]?.p95.generatorAllowance;
    expect(allowance?.currentRun).toBeLessThan(-20);
    expect(allowance?.baselineRun).toBeGreaterThan(20);
    expect(comparison.verdict).toBe('inconclusive');
  });
});
