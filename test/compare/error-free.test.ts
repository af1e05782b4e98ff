import { describe, expect, it } from 'vitest';
import { formatComparisonTable } from '../../src/cli/comparison-table.js';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { buildRunRecord, constantBlocks } from './record-builder.js';

/**
 * Two short runs without a single error: too few requests to rule out a rise of one point, yet no
 * run raised an error, so there is nothing to ask. The error rate passes, whatever the p95 says.
 */
describe('an error rate no run raised', () => {
  // 6 blocks of 10 requests: 60 requests, far too few to bound the error rate below one point.
  const baseline = buildRunRecord({ steps: { home: constantBlocks([1.0, 1.1, 1.0, 1.1, 1.0, 1.1], 10) }, sequence: 0 });
  const head = buildRunRecord({ steps: { home: constantBlocks([1.0, 1.1, 1.0, 1.1, 1.0, 1.1], 10) }, sequence: 1 });
  const comparison = compareRuns({ baselines: [baseline, { ...baseline, meta: { ...baseline.meta, runId: 'b2', startedAt: '2025-12-31T23:00:00.000Z' } }], current: head });

  it('passes, with the reason, in every step and overall', () => {
    for (const step of comparison.steps) {
      expect(step.errorRate).toMatchObject({ current: 0, baseline: 0, verdict: 'pass', reason: 'no run had an error' });
      expect(step.errorRate.verdict).not.toBe('inconclusive');
    }
  });

  it('shows 0% → 0% with a pass mark in the terminal table, never inconclusive', () => {
    const table = formatComparisonTable(comparison);
    const rows = table.split('\n').filter((line) => /error rate/.test(line) && /→/.test(line));
    expect(rows.length).toBe(comparison.steps.length);
    for (const row of rows) {
      expect(row).toMatch(/0% → 0%/);
      expect(row).toMatch(/pass/);
      expect(row).not.toMatch(/inconclusive/);
    }
  });
});
