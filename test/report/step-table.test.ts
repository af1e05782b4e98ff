import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { renderStepTable } from '../../src/report/step-table.js';

const regression = (): Comparison => JSON.parse(readFileSync(new URL('./comparisons/regression.json', import.meta.url), 'utf8')) as Comparison;

describe('the step table', () => {
  it('adds no note when the whole runs agree with the test', () => {
    const table = renderStepTable(regression().steps, 'baseline');
    expect(table.split('\n').filter((line) => line.startsWith('|'))).toHaveLength(2 + regression().steps.length);
    expect(table).not.toMatch(/whole-run p95 (rose|fell|held) while/);
  });

  it("says so when the whole runs' p95s tell another story than the test's interval", () => {
    const comparison = regression();
    const checkout = comparison.steps.find((step) => step.name === 'checkout')!;
    // The test found +34% on the blocks; the whole runs' p95 moved 2% (a few slow requests).
    checkout.p95.current = (checkout.p95.baseline as number) * 1.02;
    const table = renderStepTable(comparison.steps, 'baseline');
    expect(table).toMatch(/For <code>checkout<\/code> the whole-run p95 rose 2\.0% while the blocks' p95 rose 34%: a few slow requests or seconds moved one and not the other/);
    expect(table).not.toMatch(/all steps the whole/);
  });
});
