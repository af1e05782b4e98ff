import { describe, expect, it } from 'vitest';
import { bareRatioFails, formatResults, summarize, verdictOf, type ResultRow, type Trial } from '../../src/validate/gate-experiment.js';
import type { RunRecord, SummaryMetrics } from '../../src/record/run-record-types.js';

const metrics = (p95: number): SummaryMetrics => ({ requests: 100, errors: 0, rps: 10, p50: p95 / 2, p95, p99: p95 * 1.2, max: p95 * 2 });
const run = (overall: number, steps: Record<string, number>): RunRecord =>
  ({ summary: { overall: metrics(overall), steps: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, metrics(v)])) } }) as unknown as RunRecord;

describe('the bare ratio rule', () => {
  it('fails when any step or the total is slower than 1 + threshold against the newest baseline', () => {
    const history = [run(100, { a: 50, b: 200 }), run(90, { a: 45, b: 180 })];
    expect(bareRatioFails(run(95, { a: 48, b: 190 }), history, 10)).toBe(false);
    expect(bareRatioFails(run(95, { a: 50, b: 199 }), history, 10)).toBe(true); // b: 199/180 = +10.6%
    expect(bareRatioFails(run(100, { a: 45, b: 180 }), history, 10)).toBe(true); // total: +11%
    expect(bareRatioFails(run(100, { a: 45 }), [], 10)).toBe(false);
  });
});

describe('summarizing trials', () => {
  const trials: Trial[] = [
    ...Array.from({ length: 20 }, (_, i): Trial => ({ size: 0, gateFailed: i === 0, gateVerdict: i === 0 ? 'regression' : i < 4 ? 'inconclusive' : 'pass', ratioFailed: i < 8 })),
    ...Array.from({ length: 20 }, (_, i): Trial => ({ size: 2, gateFailed: i < 19, gateVerdict: i < 19 ? 'regression' : 'pass', ratioFailed: true })),
  ];

  it('counts failures, inconclusives and the ratio rule per injected size, with exact intervals', () => {
    const [aa, twice] = summarize(trials);
    expect(aa).toMatchObject({ size: 0, trials: 20, gateFails: 1, gateRate: 0.05, inconclusive: 3, ratioFails: 8, ratioRate: 0.4 });
    expect(aa?.gateInterval.high).toBeCloseTo(0.2487, 3);
    expect(twice).toMatchObject({ size: 2, gateFails: 19, gateRate: 0.95 });
  });

  it('passes when A/A fails at most alpha and 2x is caught 90% of the time, and says why not otherwise', () => {
    expect(verdictOf(summarize(trials), 0.05)).toEqual({ ok: true, problems: [] });
    const worse = trials.map((t) => (t.size === 0 ? { ...t, gateFailed: true } : t));
    expect(verdictOf(summarize(worse), 0.05).problems).toEqual(['A/A false-fail rate 100% is above alpha 5.0%']);
  });

  it('prints a markdown table', () => {
    const table = formatResults(summarize(trials), { thresholdPct: 10, alpha: 0.05, history: 5 });
    expect(table.split('\n')).toHaveLength(4);
    expect(table).toContain('| none (A/A) | 20 | 1 = 5.0% (0.1% – 25%) | 3 | 8 = 40% |');
    expect(table).toContain('| +20% (2× threshold) | 20 | 19 = 95% (75% – 100%) | 0 | 20 = 100% |');
  });

  it('gives the median wall time of the judged runs when the trials timed them (a sequential run stops early)', () => {
    const timed = trials.map((t, i) => ({ ...t, wallSeconds: t.size === 0 ? 20 + (i % 5) : 40 }));
    const [aa, twice] = summarize(timed);
    expect(aa?.medianWallSeconds).toBe(22);
    expect(twice?.medianWallSeconds).toBe(40);
    const table = formatResults(summarize(timed), { thresholdPct: 10 });
    expect(table).toContain('| none (A/A) | 20 | 1 = 5.0% (0.1% – 25%) | 3 | 8 = 40% | 22.0 s |');
    expect(summarize(trials)[0]?.medianWallSeconds).toBeNull();
    expect(formatResults(summarize(trials), { thresholdPct: 10 })).not.toContain('wall time');
  });

  it('counts runs the self-check refused apart from the comparisons, and says when a size had none judged', () => {
    const sized = (size: number, n: number, extra: Partial<Trial>): Trial[] =>
      Array.from({ length: n }, (_, i): Trial => ({ size, gateFailed: false, gateVerdict: 'pass', ratioFailed: false, p95Change: i - 1, ...extra }));
    const mixed = [...sized(0, 3, {}), ...sized(0, 2, { refused: true, gateVerdict: 'inconclusive', p95Change: 50 }), ...sized(2, 4, { gateFailed: true, gateVerdict: 'regression' }), ...sized(3, 2, { refused: true })];
    const [aa, twice, thrice] = summarize(mixed);
    expect(aa).toMatchObject({ size: 0, trials: 3, refused: 2, gateFails: 0, inconclusive: 0, medianP95Change: 0 });
    expect(twice).toMatchObject({ size: 2, trials: 4, refused: 0, gateFails: 4, gateRate: 1, medianP95Change: 0.5 });
    expect(thrice).toMatchObject({ size: 3, trials: 0, refused: 2, gateRate: 0, medianP95Change: null });
    const table = formatResults([aa, twice, thrice] as ResultRow[], { thresholdPct: 10 }, { refusals: true });
    expect(table).toContain('| injected p95 change | comparisons | gate fails (95% CI) | of which inconclusive | bare ratio rule fails | median estimated p95 change | refused by the self-check |');
    expect(table).toContain('| none (A/A) | 3 | 0 = 0% (0% – 71%) | 0 | 0 = 0% | +0.0% | 2 |');
    expect(table).toContain('| +30% (3× threshold) | 0 | none judged | 0 | – | – | 2 |');
    // Paired mode is held to 95% at twice the threshold; the stored-baseline default to 90%.
    expect(verdictOf(summarize(mixed), 0.05, 0.95).problems).toEqual(['every run at 3× the threshold was refused by the generator\'s self-check: nothing was judged']);
    const caught = (n: number): Trial[] => [...sized(2, n, { gateFailed: true, gateVerdict: 'regression' }), ...sized(2, 20 - n, {})];
    expect(verdictOf(summarize(caught(18)), 0.05).ok).toBe(true);
    expect(verdictOf(summarize(caught(18)), 0.05, 0.95).problems).toEqual(['twice the threshold was caught 90% of the time, below 95%']);
  });
});
