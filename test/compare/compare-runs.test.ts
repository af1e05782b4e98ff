import { describe, expect, it } from 'vitest';
import { parseThreshold } from '../../src/threshold/threshold-expression.js';
import { compareRuns } from '../../src/compare/compare-runs.js';
import type { MetricComparison, StepComparison } from '../../src/compare/comparison-types.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { buildRunRecord, constantBlocks, syntheticRun, type SyntheticStep } from './record-builder.js';

function step(comparison: { steps: StepComparison[] }, name: string): StepComparison {
  const found = comparison.steps.find((s) => s.name === name);
  if (!found) throw new Error(`no step ${name}`);
  return found;
}

/** Default-branch runs (five unless asked), each with its own small run-to-run offset; built once per shape. */
const histories = new Map<string, RunRecord[]>();
function history(steps: Record<string, SyntheticStep> = { list: {}, checkout: { medianMs: 120 } }, runs = 5): RunRecord[] {
  const key = JSON.stringify([steps, runs]);
  const cached = histories.get(key);
  if (cached) return cached;
  const offsets = [1, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97, 1, 1.02, 0.99];
  const built = Array.from({ length: runs }, (_, i) =>
    syntheticRun(
      100 + i,
      Object.fromEntries(Object.entries(steps).map(([name, s]) => [name, { ...s, scale: (s.scale ?? 1) * (offsets[i] as number) }])),
      { sequence: i, commit: `c${i}` },
    ),
  );
  histories.set(key, built);
  return built;
}

const current = (steps: Record<string, SyntheticStep>, meta: Parameters<typeof syntheticRun>[2] = {}): RunRecord =>
  syntheticRun(999, steps, { sequence: 50, commit: 'head', ...meta });

describe('compareRuns, computed by hand', () => {
  // Blocks whose latencies are all one value (exact in HDR below 2 ms): block p95s are known exactly.
  const baseline = buildRunRecord({ steps: { home: constantBlocks([1.0, 1.1, 1.0, 1.1, 1.0, 1.1]) }, sequence: 0 });
  const head = buildRunRecord({ steps: { home: constantBlocks([1.2, 1.3, 1.2, 1.3, 1.2, 1.3]) }, sequence: 1 });
  const comparison = compareRuns({ baselines: [baseline], current: head });
  const p95 = step(comparison, 'home').p95;

  // 20%-trimmed mean of 6 log block p95s cuts one from each end: the mean of a, a, b, b.
  const d = (Math.log(1.2 * 1.3) - Math.log(1.0 * 1.1)) / 2;
  // Tukey–McLaughlin: the winsorized values are the blocks themselves, s²w = 6·((b − a)/2)²/5,
  // SE² = 5·s²w/(4·3) = ((b − a)/2)²/2, with 3 df.
  const within = (a: number, b: number): number => (Math.log(b / a) / 2) ** 2 / 2;

  it('shows the whole-run p95s, and the change of the trimmed block p95s', () => {
    expect(p95.current).toBeCloseTo(1.3, 12);
    expect(p95.baseline).toBeCloseTo(1.1, 12);
    expect(p95.change).toBeCloseTo(100 * Math.expm1(d), 10);
  });

  it('measures each run’s own noise from its blocks, and assumes the run-to-run noise (one baseline run)', () => {
    expect(p95.noise?.withinCurrent).toBeCloseTo(Math.sqrt(within(1.2, 1.3)), 12);
    expect(p95.noise?.withinBaseline).toBeCloseTo(Math.sqrt(within(1.0, 1.1)), 12);
    expect(p95.noise?.betweenRunsSource).toBe('noise-floor');
    expect(p95.noise?.assumedNoise).toBeCloseTo(Math.log(1.08), 12);
    expect(p95.noise?.blockSeconds).toBe(5);
    // The assumption's heavy tail: an interval far wider than the within-run noise alone.
    expect(p95.noise?.standardError).toBeGreaterThan(Math.sqrt(within(1.2, 1.3) + within(1.0, 1.1) + 2 * Math.log(1.08) ** 2));
  });

  it('counts one question per metric that can change: overall repeats the only step, no run had an error', () => {
    expect(comparison.settings.correctedTests).toBe(2);
    expect(comparison.settings.correctedTestNames).toEqual(['home p95', 'home throughput']);
    expect(step(comparison, 'overall').p95.failLevel).toBe(p95.failLevel);
    // 16% slower, but one baseline run cannot tell that from run-to-run noise.
    expect(p95.verdict).toBe('inconclusive');
    expect(p95.ci?.low).toBeLessThan(0);
    expect(p95.minimumDetectableChange).toBeGreaterThan(20);
  });

  it('sees equal throughput and no errors as no change', () => {
    const home = step(comparison, 'home');
    expect(home.throughput.change).toBe(0);
    expect(home.errorRate.change).toBe(0);
    expect(home.errorRate.verdict).not.toBe('regression');
  });

  it('with five quiet baseline runs, fails the same 16% slowdown', () => {
    const quiet = [0, 1, 2, 3, 4].map((i) => buildRunRecord({ steps: { home: constantBlocks([1.0, 1.1, 1.0, 1.1, 1.0, 1.1]) }, sequence: i }));
    const judged = compareRuns({ baselines: quiet, current: head });
    expect(step(judged, 'home').p95.verdict).toBe('regression');
    expect(judged.conclusion).toBe('failure');
  });
});

describe('compareRuns verdicts', () => {
  const baselines = history();

  it('passes a run like its baseline', () => {
    const comparison = compareRuns({ baselines, current: current({ list: {}, checkout: { medianMs: 120 } }) });
    expect(comparison.verdict).toBe('pass');
    expect(comparison.conclusion).toBe('success');
    expect(comparison.history.used).toHaveLength(5);
    for (const s of comparison.steps) expect(s.verdict).toBe('pass');
  });

  it('fails a 40% slower step, and names the regressed metric', () => {
    const comparison = compareRuns({ baselines, current: current({ list: {}, checkout: { medianMs: 120, scale: 1.4 } }) });
    expect(comparison.verdict).toBe('regression');
    const checkout = step(comparison, 'checkout');
    expect(checkout.p95.verdict).toBe('regression');
    expect(checkout.p95.change).toBeGreaterThan(30);
    expect(checkout.p95.ci?.low).toBeGreaterThan(0);
    expect(step(comparison, 'list').p95.verdict).toBe('pass');
  });

  it('passes a real slowdown within the allowance, measured precisely', () => {
    // Busy blocks, ten steady runs and a 1% floor: a 5% slowdown is significant but allowed.
    const steady = { requestsPerBlock: 400, blockDrift: 0.005 };
    const runs = Array.from({ length: 10 }, (_, i) => syntheticRun(300 + i, { list: steady }, { sequence: i }));
    const comparison = compareRuns({ baselines: runs, current: current({ list: { ...steady, scale: 1.05 } }), options: { noiseFloorPct: 1 } });
    const p95 = step(comparison, 'list').p95;
    expect(p95.ci?.low).toBeGreaterThan(0);
    expect(p95.ci?.high).toBeLessThan(10);
    expect(p95.verdict).toBe('pass');
  });

  it('reports a 40% faster step as an improvement, which never fails', () => {
    const comparison = compareRuns({ baselines, current: current({ list: { scale: 0.6 }, checkout: { medianMs: 120 } }) });
    expect(step(comparison, 'list').p95.verdict).toBe('improvement');
    expect(comparison.verdict).toBe('improvement');
    expect(comparison.conclusion).toBe('success');
  });

  it('fails a throughput drop: lower is worse', () => {
    const comparison = compareRuns({ baselines, current: current({ list: { throughputScale: 0.7 }, checkout: { medianMs: 120 } }) });
    const throughput = step(comparison, 'list').throughput;
    expect(throughput.worseWhen).toBe('lower');
    expect(throughput.change).toBeCloseTo(-30, 0);
    expect(throughput.allowedChange).toBe(-10);
    expect(throughput.verdict).toBe('regression');
  });

  it('fails an error rate that rose by more than the allowed point, not one that rose less', () => {
    const failing = compareRuns({ baselines, current: current({ list: { errorRate: 0.05 }, checkout: { medianMs: 120 } }) });
    const errors = step(failing, 'list').errorRate;
    expect(errors.changeUnit).toBe('pp');
    expect(errors.change).toBeGreaterThan(3);
    expect(errors.verdict).toBe('regression');
    const small = compareRuns({ baselines, current: current({ list: { errorRate: 0.003 }, checkout: { medianMs: 120 } }) });
    expect(step(small, 'list').errorRate.verdict).toBe('pass');
  });

  it('is inconclusive when the run was too noisy to tell', () => {
    // Block p95s swing between 1.0 and 1.6 ms: +6% could be nothing or well beyond 10%.
    const base = buildRunRecord({ steps: { list: constantBlocks([1.0, 1.6, 1.0, 1.6, 1.0, 1.6]) }, sequence: 0 });
    const head = buildRunRecord({ steps: { list: constantBlocks([1.05, 1.7, 1.05, 1.7, 1.05, 1.7]) }, sequence: 1 });
    const comparison = compareRuns({ baselines: [base], current: head });
    const p95 = step(comparison, 'list').p95;
    expect(p95.change).toBeCloseTo(100 * (Math.sqrt((1.05 * 1.7) / (1.0 * 1.6)) - 1), 9);
    expect(p95.ci?.low).toBeLessThan(0);
    expect(p95.ci?.high).toBeGreaterThan(10);
    expect(p95.verdict).toBe('inconclusive');
    expect(p95.reason).toMatch(/too noisy/);
    expect(comparison.verdict).toBe('inconclusive');
    expect(comparison.conclusion).toBe('neutral');
  });

  it('takes blocks long enough for a quiet step, and lets the history’s spread judge it when they are few', () => {
    const sparse = { list: {}, rare: { requestsPerBlock: 8 } };
    const comparison = compareRuns({ baselines: history(sparse), current: current(sparse) });
    const rare = step(comparison, 'rare');
    // 8 requests per 5 s block: three blocks together hold 24, so 4 analysis blocks of 15 s.
    expect(rare.p95.noise?.blockSeconds).toBe(15);
    expect(rare.p95.noise?.currentBlocks).toBe(4);
    expect(rare.p95.noise?.currentWithinMeasured).toBe(false);
    expect(rare.p95.verdict).toBe('pass');
    expect(comparison.verdict).toBe('pass');
  });

  it('is inconclusive, with the reason, when no block of a step has enough requests', () => {
    const sparse = { list: {}, rare: { requestsPerBlock: 1 } };
    const comparison = compareRuns({ baselines: history(sparse), current: current(sparse) });
    const rare = step(comparison, 'rare');
    expect(rare.p95.verdict).toBe('inconclusive');
    expect(rare.p95.reason).toBe('this run: no block of 60 s had 20 requests');
    // Counted by default only, so the quiet step is reported but does not hold up the gate...
    expect(rare.p95.gated).toBe(false);
    expect(comparison.verdict).toBe('pass');
    // ...unless regression.steps names it.
    const strict = compareRuns({ baselines: history(sparse), current: current(sparse), options: { steps: ['overall', 'rare'] } });
    expect(strict.verdict).toBe('inconclusive');
  });

  it('does not hold the gate in doubt over an error rate it cannot pin down', () => {
    // A few errors in every run (none at all would not be a question: see the test below).
    const withErrors = { list: { errorRate: 0.003 }, checkout: { medianMs: 120, errorRate: 0.003 } };
    const comparison = compareRuns({ baselines: history(withErrors), current: current(withErrors), options: { errorRateIncrease: 0.0001 } });
    expect(comparison.steps.some((s) => s.errorRate.verdict === 'inconclusive')).toBe(true);
    expect(comparison.verdict).not.toBe('inconclusive');
  });

  it('passes an error rate no run raised, however few the requests', () => {
    const comparison = compareRuns({ baselines, current: current({ list: {}, checkout: { medianMs: 120 } }), options: { errorRateIncrease: 0.0001 } });
    for (const s of comparison.steps) expect(s.errorRate).toMatchObject({ verdict: 'pass', reason: 'no run had an error', current: 0, baseline: 0 });
  });

  it('counts only the steps regression.steps names', () => {
    const comparison = compareRuns({
      baselines,
      current: current({ list: { scale: 1.5 }, checkout: { medianMs: 120 } }),
      options: { steps: ['checkout'] },
    });
    expect(step(comparison, 'list').p95.verdict).toBe('regression');
    expect(step(comparison, 'list').counted).toBe(false);
    expect(comparison.settings.countedSteps).toEqual(['checkout']);
    expect(comparison.settings.correctedTests).toBe(2);
    expect(comparison.verdict).toBe('pass');
  });

  it('notes steps named in regression.steps that the run did not measure', () => {
    const comparison = compareRuns({ baselines, current: current({ list: {}, checkout: { medianMs: 120 } }), options: { steps: ['checkout', 'cart'] } });
    expect(comparison.notes).toContain('regression.steps names "cart", which this run did not measure.');
  });

  it('applies per-metric allowances', () => {
    const slower = current({ list: { scale: 1.25 }, checkout: { medianMs: 120 } });
    expect(compareRuns({ baselines, current: slower }).verdict).toBe('regression');
    const lenient = compareRuns({ baselines, current: slower, options: { p95Pct: 50 } });
    expect(step(lenient, 'list').p95.allowedChange).toBe(50);
    expect(lenient.verdict).toBe('pass');
  });
});

describe('compareRuns refuses what it cannot compare', () => {
  it('has no baseline without history', () => {
    const comparison = compareRuns({ baselines: [], current: current({ list: {} }) });
    expect(comparison.verdict).toBe('no-baseline');
    expect(comparison.conclusion).toBe('neutral');
    expect(comparison.notes).toContain('No baseline run to compare with yet; nothing was compared.');
    expect(step(comparison, 'list').p95.current).toBeGreaterThan(0);
    expect(step(comparison, 'list').p95.baseline).toBeNull();
  });

  it('does not compare a baseline recorded with a different profile', () => {
    const other = syntheticRun(5, { list: {} }, { profileHash: 'c3d4e5f6a7b8c9d0', sequence: 1 });
    const comparison = compareRuns({ baselines: [other], current: current({ list: {} }, { profileHash: 'a1b2c3d4e5f6a7b8' }) });
    expect(comparison.verdict).toBe('no-baseline');
    expect(comparison.notes[0]).toBe('Baseline was recorded with a different profile (hash c3d4e5f6a7b8 vs a1b2c3d4e5f6); not compared.');
    expect(comparison.history.skipped).toHaveLength(1);
  });

  it('leaves out baseline runs whose generator was the bottleneck', () => {
    const runs = [...history({ list: {} }, 5), syntheticRun(7, { list: { scale: 3 } }, { sequence: 9, generatorValid: false })];
    const comparison = compareRuns({ baselines: runs, current: current({ list: {} }) });
    expect(comparison.history.used).toHaveLength(5);
    expect(comparison.notes).toContain('1 baseline run was left out: the load generator was the bottleneck in it.');
    expect(comparison.verdict).toBe('pass');
  });

  it('makes a run whose generator was the bottleneck inconclusive, even with a slowdown', () => {
    const comparison = compareRuns({
      baselines: history({ list: {} }),
      current: current({ list: { scale: 1.5 } }, { generatorValid: false, generatorReasons: ['event-loop delay p99 was 180 ms'] }),
    });
    expect(comparison.verdict).toBe('inconclusive');
    expect(step(comparison, 'list').p95.verdict).toBe('inconclusive');
    expect(step(comparison, 'list').p95.reason).toMatch(/load generator/);
    expect(comparison.notes.join(' ')).toMatch(/event-loop delay p99 was 180 ms/);
  });

  it('does not compare a run with itself', () => {
    const run = current({ list: {} });
    const comparison = compareRuns({ baselines: [run], current: run });
    expect(comparison.verdict).toBe('no-baseline');
    expect(comparison.history.skipped[0]?.reason).toBe('this is the current run itself');
  });

  it('says when only the assumption speaks for the run-to-run noise', () => {
    const comparison = compareRuns({ baselines: history({ list: {} }, 1), current: current({ list: {} }) });
    expect(comparison.notes.join(' ')).toMatch(/^Only 1 baseline run: nothing measures the run-to-run noise yet, so it was assumed \(around 8%/);
    expect(compareRuns({ baselines: history({ list: {} }, 2), current: current({ list: {} }) }).notes.join(' ')).not.toMatch(/Only/);
  });
});

describe('compareRuns output', () => {
  it('is plain JSON: it survives a round trip unchanged', () => {
    const comparison = compareRuns({
      baselines: history(),
      current: current({ list: { scale: 1.3 }, checkout: { medianMs: 120 } }),
      thresholds: [{ metric: 'http_req_duration', expressions: ['p(95)<1'] }].map(parseThreshold),
    });
    expect(JSON.parse(JSON.stringify(comparison))).toEqual(comparison);
    expect(comparison.schema).toBe('tailgate.comparison/v1');
  });

  it('fails the check when a threshold is broken, even without a baseline', () => {
    const comparison = compareRuns({ baselines: [], current: current({ list: {} }), thresholds: [{ metric: 'http_req_duration', expressions: ['p(95)<1'] }].map(parseThreshold) });
    expect(comparison.verdict).toBe('no-baseline');
    expect(comparison.thresholds[0]?.status).toBe('broken');
    expect(comparison.conclusion).toBe('failure');
  });

  it('lists overall first, then the steps in the run’s order, with p50 and p99 for context', () => {
    const comparison = compareRuns({ baselines: history(), current: current({ list: {}, checkout: { medianMs: 120 } }) });
    expect(comparison.steps.map((s) => s.name)).toEqual(['overall', 'list', 'checkout']);
    const list = step(comparison, 'list');
    expect(list.p50.currentMs).toBeGreaterThan(30);
    expect(list.p99.currentMs).toBeGreaterThan(list.p50.currentMs as number);
    expect(list.p50.changePct).not.toBeNull();
    expect(list.p95ByBlockMs.current).toHaveLength(12);
    expect(list.p95ByBlockMs.baseline).toHaveLength(12);
  });

  it('marks every gated metric of a counted step', () => {
    const comparison = compareRuns({ baselines: history(), current: current({ list: {}, checkout: { medianMs: 120 } }) });
    const metrics: MetricComparison[] = comparison.steps.flatMap((s) => [s.p95, s.throughput, s.errorRate]);
    expect(metrics.every((m) => m.gated)).toBe(true);
    // overall, list, checkout × p95 and throughput; no run had an error, so no error-rate test counts.
    expect(comparison.settings.correctedTests).toBe(6);
  });
});

describe('compareRuns and a noisy neighbour', () => {
  // Ten 1 s blocks of a steady step; a burst makes three of them 2.5 times slower.
  const steady = (sequence: number, factors: number[] = []): RunRecord =>
    buildRunRecord({
      blockMs: 1000,
      sequence,
      steps: { home: Array.from({ length: 10 }, (_, i) => ({ latenciesMs: Array.from({ length: 60 }, (_, j) => (1 + (j % 7) / 10 + ((sequence + i) % 3) / 50) * (factors[i] ?? 1)) })) },
    });
  const history = [0, 1, 2, 3, 4].map((i) => steady(i));

  it('sets the burst aside, says so, and does not call it a regression', () => {
    const burst = steady(9, [1, 1, 1, 2.5, 2.5, 2.5, 1, 1, 1, 1]);
    const comparison = compareRuns({ baselines: history, current: burst });
    const p95 = step(comparison, 'home').p95;
    expect(p95.noise?.burstSeconds).toBe(3);
    expect(p95.verdict).not.toBe('regression');
    expect(Math.abs(p95.change as number)).toBeLessThan(5);
  });

  it('sets the same seconds aside in a step too sparse to show the burst by itself', () => {
    // "home" has 60 latencies a second, "rare" 8: its 3 s blocks are too few for its own burst
    // rule to see five slow seconds, but the run as a whole shows seconds 3 to 7 far slower.
    const run = (sequence: number, factors: number[] = []): RunRecord =>
      buildRunRecord({
        blockMs: 1000,
        sequence,
        steps: {
          home: Array.from({ length: 20 }, (_, i) => ({ latenciesMs: Array.from({ length: 60 }, (_, j) => (1 + (j % 7) / 10 + ((sequence + i) % 3) / 50) * (factors[i] ?? 1)) })),
          rare: Array.from({ length: 20 }, (_, i) => ({ latenciesMs: Array.from({ length: 8 }, (_, j) => (2 + (j % 5) / 10 + ((sequence + i) % 3) / 50) * (factors[i] ?? 1)) })),
        },
      });
    const baselines = [0, 1, 2, 3, 4].map((i) => run(i));
    const burst = run(9, [1, 1, 1, 3, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const rare = step(compareRuns({ baselines, current: burst }), 'rare').p95;
    expect(rare.noise?.burstSeconds).toBe(5);
    expect(rare.verdict).not.toBe('regression');
    expect(Math.abs(rare.change as number)).toBeLessThan(5);
  });

  it('still fails a slowdown of the whole run, which moves every block', () => {
    const slower = steady(9, Array.from({ length: 10 }, () => 1.5));
    const p95 = step(compareRuns({ baselines: history, current: slower }), 'home').p95;
    expect(p95.noise?.burstSeconds).toBeUndefined();
    expect(p95.verdict).toBe('regression');
  });
});
