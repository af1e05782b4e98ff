import { describe, expect, it } from 'vitest';
import { formatComparisonTable } from '../../src/cli/comparison-table.js';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { resolveCompareOptions } from '../../src/compare/compare-options.js';
import { comparisonProblem } from '../../src/compare/comparison-schema.js';
import type { Comparison, ShapeComparison } from '../../src/compare/comparison-types.js';
import { judgeShapeTests } from '../../src/compare/shape-tests.js';
import { targetMetricTests } from '../../src/compare/target-metrics-tests.js';
import { regressionOptions } from '../../src/config/regression-config.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { clopperPearson } from '../../src/stats/binomial-interval.js';
import { seededRandom } from '../../src/stats/seeded-random.js';
import { syntheticRun } from './record-builder.js';
import { targetMetricsRun, withScrapes, type TargetModel } from './target-metrics-runs.js';

/**
 * The target's CPU per request and memory growth gated against the baseline runs', on records of
 * known truth (`target-metrics-runs.ts`): calibrated over 200 synthetic trials each, then through
 * the whole comparison, with a scrape that failed or is missing left out of the verdict.
 */

const ALPHA = 0.05;

/** Verdicts of one question over `trials` comparisons of `current` against 5 baseline runs of the default target. */
function verdicts(question: 'cpu' | 'memory', seed: number, trials: number, current: Partial<TargetModel>, settings = { cpuPct: 25, memoryPctPerMinute: 2 }): Record<string, number> {
  const options = resolveCompareOptions(settings);
  const random = seededRandom(seed);
  const counts: Record<string, number> = {};
  for (let trial = 0; trial < trials; trial++) {
    const history = Array.from({ length: 5 }, () => targetMetricsRun(random));
    const tests = targetMetricTests(targetMetricsRun(random, current), history, options).tests.filter((t) => t.question === question);
    // Two gated tests in the family: the level a single regression faces is alpha over two, as Hommel gives it.
    for (const judged of judgeShapeTests(tests, options, ALPHA / 2)) counts[judged.verdict] = (counts[judged.verdict] ?? 0) + 1;
  }
  return counts;
}

describe('calibration on synthetic records of known truth (200 trials each, 30 blocks, 5 baseline runs, runs 5% apart)', () => {
  it('an unchanged CPU per request fails at most alpha of the time; 2.5 times the CPU is caught every time', () => {
    const unchanged = verdicts('cpu', 20_261_208, 200, {});
    const falseAlarms = unchanged.regression ?? 0;
    const interval = clopperPearson(falseAlarms, 200);
    console.log(`CPU unchanged: ${falseAlarms}/200 regressions (95% CI ${(100 * interval.low).toFixed(1)}-${(100 * interval.high).toFixed(1)}%), ${JSON.stringify(unchanged)}`);
    expect(falseAlarms / 200).toBeLessThanOrEqual(ALPHA);
    const doubled = verdicts('cpu', 20_261_209, 200, { cpuMs: 1.0 });
    console.log(`CPU 2.5x: ${doubled.regression ?? 0}/200 caught, ${JSON.stringify(doubled)}`);
    expect(doubled.regression ?? 0).toBeGreaterThanOrEqual(196);
  });

  it('a CPU per request just inside the allowance (+10% against 25%) is no regression; one well past it (+60%) mostly is', () => {
    expect(verdicts('cpu', 20_261_210, 200, { cpuMs: 0.44 }).regression ?? 0).toBeLessThanOrEqual(10);
    expect(verdicts('cpu', 20_261_211, 200, { cpuMs: 0.64 }).regression ?? 0).toBeGreaterThanOrEqual(160);
  });

  it('unchanged memory fails at most alpha of the time; a leak of 4% a minute against 2% allowed is caught', () => {
    const unchanged = verdicts('memory', 20_261_212, 200, {});
    console.log(`memory unchanged: ${unchanged.regression ?? 0}/200 regressions, ${JSON.stringify(unchanged)}`);
    expect((unchanged.regression ?? 0) / 200).toBeLessThanOrEqual(ALPHA);
    const leak = verdicts('memory', 20_261_213, 200, { memoryPctPerMinute: 4 });
    console.log(`memory +4%/min: ${leak.regression ?? 0}/200 caught, ${JSON.stringify(leak)}`);
    expect(leak.regression ?? 0).toBeGreaterThanOrEqual(180);
  });
});

/** A whole run of one step (30 blocks of 1 s, 100 requests each), its target scraped as `model` says, or not at all. */
function run(seed: number, model?: Partial<TargetModel>, latencyScale = 1): RunRecord {
  const record = syntheticRun(seed, { list: { blocks: 30, requestsPerBlock: 100, scale: latencyScale } }, { blockMs: 1_000, sequence: seed });
  return model === undefined ? record : withScrapes(record, seededRandom(seed + 1_000), model);
}

const baselines = (model?: Partial<TargetModel>): RunRecord[] => [1, 2, 3, 4].map((seed) => run(seed, model));
const question = (comparison: Comparison, name: ShapeComparison['question']): ShapeComparison | undefined => comparison.targetMetrics?.find((t) => t.question === name);
const valid = (comparison: Comparison): string | undefined => comparisonProblem(JSON.parse(JSON.stringify(comparison)));

describe('in the comparison', () => {
  it('2.5 times the CPU per request with unchanged latency fails regression.cpu: 25%, and the test joins the corrected family', () => {
    const comparison = compareRuns({ baselines: baselines({}), current: run(9, { cpuMs: 1.0 }), options: { cpuPct: 25 } });
    const cpu = question(comparison, 'cpu');
    expect(cpu).toMatchObject({ verdict: 'regression', gated: true, unit: 's/req', baselineRuns: 4, allowedChange: 25 });
    expect(cpu?.change).toBeGreaterThan(100);
    expect(cpu?.current).toBeCloseTo(0.001, 3);
    expect(comparison.steps.every((s) => s.p95.verdict !== 'regression')).toBe(true);
    expect(comparison.verdict).toBe('regression');
    expect(comparison.settings.correctedTestNames).toContain('CPU per request');
    expect(valid(comparison)).toBeUndefined();
    // The terminal's table says it too.
    expect(formatComparisonTable(comparison, 200)).toMatch(/^The target's CPU per request against the baseline: .* allowed \+25%: regression\.$/m);
  });

  it('an unchanged target passes; without regression.cpu the same rise is reported, not gated', () => {
    const same = compareRuns({ baselines: baselines({}), current: run(9, {}), options: { cpuPct: 25 } });
    expect(question(same, 'cpu')).toMatchObject({ verdict: 'pass', gated: true });
    expect(same.verdict).toBe('pass');
    const reported = compareRuns({ baselines: baselines({}), current: run(9, { cpuMs: 1.0 }) });
    expect(question(reported, 'cpu')).toMatchObject({ verdict: 'regression', gated: false });
    expect(question(reported, 'cpu')?.reason).toContain('set regression.cpu');
    expect(reported.verdict).toBe('pass');
    expect(valid(reported)).toBeUndefined();
  });

  it('a scrape that is missing or failed is a note, and leaves the latency gate alone', () => {
    const options = { cpuPct: 25, memoryPctPerMinute: 2 };
    const slower = run(9, undefined, 1.5);
    const failed: RunRecord = { ...run(9, undefined, 1.5), targetMetrics: { url: 'http://127.0.0.1:9464/metrics', intervalMs: 1_000, scrapes: 31, failed: 31, warnings: ['scraping http://127.0.0.1:9464/metrics failed: connect ECONNREFUSED'], series: {} } };
    const unscraped = compareRuns({ baselines: baselines(), current: slower });
    for (const current of [slower, failed]) {
      const comparison = compareRuns({ baselines: baselines({}), current, options });
      expect(comparison.verdict).toBe(unscraped.verdict);
      expect(comparison.verdict).toBe('regression');
      expect(comparison.steps.map((s) => s.p95.verdict)).toEqual(unscraped.steps.map((s) => s.p95.verdict));
      expect(question(comparison, 'cpu')).toMatchObject({ gated: false, verdict: 'inconclusive' });
      expect(comparison.settings.correctedTestNames).not.toContain('CPU per request');
      expect(comparison.notes.join('\n')).toMatch(/regression\.cpu is set, but the CPU per request was not judged: this run: .*The latency gate is unaffected/);
      expect(valid(comparison)).toBeUndefined();
    }
    const withFailures = compareRuns({ baselines: baselines({}), current: failed, options });
    expect(withFailures.notes.join('\n')).toContain("The target's metrics: 31 of 31 scrapes of http://127.0.0.1:9464/metrics failed (scraping http://127.0.0.1:9464/metrics failed: connect ECONNREFUSED).");
    // An unchanged latency with an unscraped target passes, as it would without the setting.
    expect(compareRuns({ baselines: baselines({}), current: run(9), options }).verdict).toBe('pass');
  });

  it('no run scraped: no test, and a note when the profile gates them', () => {
    const comparison = compareRuns({ baselines: baselines(), current: run(9), options: { cpuPct: 25 } });
    expect(comparison.targetMetrics).toBeUndefined();
    expect(comparison.notes.join('\n')).toContain('regression.cpu is set, but no run scraped the target');
  });
});

describe('regression.cpu and regression.memory in the profile', () => {
  const read = (block: Record<string, unknown>) => {
    const problems: string[] = [];
    const options = regressionOptions(block, [], (key, message, fix) => problems.push(`${key}: ${message}; ${fix}`));
    return { options, problems };
  };

  it.each([
    [{ cpu: '25%', memory: '2%' }, { cpuPct: 25, memoryPctPerMinute: 2 }],
    [{ cpu: 10, memory: '0.5' }, { cpuPct: 10, memoryPctPerMinute: 0.5 }],
  ])('%j is read', (block, expected) => {
    expect(read(block)).toEqual({ options: expected, problems: [] });
  });

  it.each([
    [{ cpu: '0%' }, /^cpu: must be a positive percentage \(got "0%"\); write the largest allowed increase of the target's CPU-seconds per request/],
    [{ cpu: 'fast' }, /^cpu: must be a positive percentage \(got "fast"\)/],
    [{ memory: -1 }, /^memory: must be a positive percentage a minute \(got -1\); write the largest allowed extra growth/],
  ])('%j is refused with the fix', (block, message) => {
    const { options, problems } = read(block);
    expect(options).toEqual({});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});
