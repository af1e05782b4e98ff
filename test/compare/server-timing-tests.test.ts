import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { comparisonProblem } from '../../src/compare/comparison-schema.js';
import type { Comparison, ServerTimingChange } from '../../src/compare/comparison-types.js';
import { formatComparisonTable } from '../../src/cli/comparison-table.js';
import { renderHeadline } from '../../src/report/headline.js';
import { seededRandom } from './seeded-random.js';
import { timedRun, timedRuns, type TimedRunSpec } from './server-timing-runs.js';

/**
 * Each Server-Timing component's change with an interval, computed as the step's p95 change is,
 * and gated when `regression.serverTiming` says so. Runs of known truth (`server-timing-runs.ts`):
 * db 10 ms and app 5 ms a request, 3% run-to-run noise.
 */
const SAME: TimedRunSpec = { components: { db: { medianMs: 10 }, app: { medianMs: 5 } } };
const DB_UP: TimedRunSpec = { components: { db: { medianMs: 10, addMs: 30 }, app: { medianMs: 5 } } };

function component(comparison: Comparison, name: string): ServerTimingChange {
  const found = comparison.steps.find((s) => s.name === 'checkout')?.serverTiming?.components.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no component ${name}`);
  return found;
}

describe('Server-Timing components with intervals', () => {
  const baselines = timedRuns(1, 5, SAME);
  const raised = timedRun(seededRandom(2), { ...DB_UP, sequence: 100 });
  const unchanged = timedRun(seededRandom(3), { ...SAME, sequence: 100 });

  it('gives each component’s change an interval that holds the truth, and gates nothing by default', () => {
    const comparison = compareRuns({ baselines, current: raised });
    const db = component(comparison, 'db');
    const interval = db.interval as NonNullable<ServerTimingChange['interval']>;
    // The p95 of db: 10 ms × e^(1.645·0.3) ≈ 16.4 ms before, about +30 ms after.
    expect(interval.changeMs).toBeGreaterThan(25);
    expect(interval.changeMs).toBeLessThan(35);
    expect(interval.ci.lowMs).toBeLessThan(30);
    expect(interval.ci.highMs).toBeGreaterThan(30);
    expect(interval.ci.lowMs).toBeLessThan(interval.changeMs);
    expect(interval.ci.highMs).toBeGreaterThan(interval.changeMs);
    expect(interval).toMatchObject({ gated: false, verdict: null, allowedPct: null, adjustedPValue: null, historyRuns: 5, currentBlocks: 12 });
    const app = component(comparison, 'app').interval as NonNullable<ServerTimingChange['interval']>;
    expect(app.ci.lowMs).toBeLessThan(0);
    expect(app.ci.highMs).toBeGreaterThan(0);
    // Not gated: the family holds the step's metrics only.
    expect((comparison.settings.correctedTestNames ?? []).some((n) => n.includes('server_timing'))).toBe(false);
    expect(comparisonProblem(JSON.parse(JSON.stringify(comparison)))).toBeUndefined();
  });

  it('shows the interval in the terminal’s breakdown and the verdict line', () => {
    const comparison = compareRuns({ baselines, current: raised });
    const table = formatComparisonTable(comparison);
    expect(table).toMatch(/db [\d.]+ ms → [\d.]+ ms \(\+[\d.]+ ms \(CI \+[\d.]+ … \+[\d.]+\), \+\d+%\)/);
    const line = renderHeadline(comparison).find((l) => l.includes('Server-Timing'));
    expect(line).toMatch(/Server-Timing: <code>db<\/code> \+[\d.]+ ms \(CI \+[\d.]+ … \+[\d.]+\), p95 [\d.]+ ms → [\d.]+ ms/);
  });

  it('fails the run on a gated component that rose beyond its allowance, naming it, even where the step’s p95 passes', () => {
    // The step's p95 may grow 500%: db's 30 ms alone must fail the run.
    const comparison = compareRuns({ baselines, current: raised, options: { serverTiming: { byName: { db: 20 } }, p95Pct: 500 } });
    expect(comparison.steps.find((s) => s.name === 'checkout')?.p95.verdict).not.toBe('regression');
    const db = component(comparison, 'db').interval;
    expect(db).toMatchObject({ gated: true, allowedPct: 20, verdict: 'regression' });
    expect(component(comparison, 'app').interval).toMatchObject({ gated: false, verdict: null });
    expect(comparison.verdict).toBe('regression');
    expect(comparison.settings.correctedTestNames).toContain('checkout server_timing db');
    const line = renderHeadline(comparison).find((l) => l.includes('rose'));
    expect(line).toMatch(/Server-Timing <code>db<\/code> of <code>checkout<\/code> rose \+[\d.]+ ms \(CI \+[\d.]+ … \+[\d.]+\), \+\d+% \(p95 [\d.]+ ms → [\d.]+ ms\), beyond the 20% allowed\./);
    expect(comparisonProblem(JSON.parse(JSON.stringify(comparison)))).toBeUndefined();
  });

  it('passes an unchanged run with every component gated', () => {
    const comparison = compareRuns({ baselines, current: unchanged, options: { serverTiming: { allPct: 20 } } });
    expect(component(comparison, 'db').interval?.verdict).toBe('pass');
    expect(component(comparison, 'app').interval?.verdict).toBe('pass');
    // The step's own p95 is inconclusive against a 10% allowance with 8% assumed noise; nothing regressed.
    expect(comparison.verdict).not.toBe('regression');
    expect(comparison.settings.correctedTestNames).toEqual(expect.arrayContaining(['checkout server_timing app', 'checkout server_timing db']));
  });

  it('holds a gated component’s verdict back, as the step’s, when the run was not whole', () => {
    const interrupted = { ...raised, meta: { ...raised.meta, interrupted: true } };
    const comparison = compareRuns({ baselines, current: interrupted, options: { serverTiming: { allPct: 20 } } });
    expect(component(comparison, 'db').interval).toMatchObject({ gated: true, verdict: 'inconclusive', reason: expect.stringMatching(/^the run was interrupted/) });
    expect(comparison.verdict).toBe('inconclusive');
    expect(comparisonProblem(JSON.parse(JSON.stringify(comparison)))).toBeUndefined();
  });

  it('leaves a component out of the gate where its step is not counted', () => {
    const comparison = compareRuns({ baselines, current: raised, options: { serverTiming: { allPct: 20 }, steps: ['overall'] } });
    expect(component(comparison, 'db').interval).toMatchObject({ gated: false, verdict: null });
  });

  it('says why a component has no interval', () => {
    const fresh = timedRun(seededRandom(4), { components: { db: { medianMs: 10 }, app: { medianMs: 5 }, cache: { medianMs: 1 } }, sequence: 100 });
    const comparison = compareRuns({ baselines, current: fresh, options: { serverTiming: { allPct: 20 } } });
    expect(component(comparison, 'cache')).toMatchObject({ untested: 'no baseline run reported it' });
    expect(component(comparison, 'cache').interval).toBeUndefined();
    const sparse = timedRun(seededRandom(5), { ...SAME, requestsPerBlock: 1, sequence: 100 });
    expect(component(compareRuns({ baselines, current: sparse }), 'db').untested).toMatch(/^this run: no block of [\d.]+ s had 20 requests$/);
  });
});
