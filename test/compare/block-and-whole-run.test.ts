import { describe, expect, it } from 'vitest';
import { formatComparisonTable } from '../../src/cli/comparison-table.js';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { renderStepTable } from '../../src/report/step-table.js';
import { buildRunRecord, constantBlocks } from './record-builder.js';

/**
 * The gate tests the blocks' p95s (a trimmed mean of their logs); the whole run's p95 is another
 * number, moved by a few slow seconds. Here the baseline's one slow second makes its whole-run p95
 * high, and the current run is slower in every block: the blocks say +20%, the whole runs −37%.
 * Blocks hold one value each (exact in HDR below 2 ms), so both are known exactly.
 */
describe('the gated p95 beside the whole runs', () => {
  const baseline = buildRunRecord({ steps: { home: constantBlocks([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.9]) }, sequence: 0 });
  const head = buildRunRecord({ steps: { home: constantBlocks(Array.from({ length: 12 }, () => 1.2)) }, sequence: 1 });
  const comparison = compareRuns({ baselines: [baseline], current: head });
  const home = comparison.steps.find((step) => step.name === 'home')!;

  it('carries the block levels the change is computed from', () => {
    expect(home.p95.baseline).toBeCloseTo(1.9, 6);
    expect(home.p95.current).toBeCloseTo(1.2, 6);
    expect(home.p95.change).toBeCloseTo(20, 6);
    expect(home.p95.blockLevels?.baseline).toBeCloseTo(1.0, 6);
    expect(home.p95.blockLevels?.current).toBeCloseTo(1.2, 6);
  });

  it('labels each in the terminal, and says why they disagree', () => {
    const lines = formatComparisonTable(comparison).split('\n');
    const at = lines.findIndex((line) => line.startsWith('home '));
    expect(lines[at]).toMatch(/^home\s+p95 \(blocks\)\s+1\.00 → 1\.20 ms\s+\+20\.0%\s/);
    expect(lines[at + 1]).toMatch(/^\s+whole-run p95\s+1\.90 → 1\.20 ms\s+-36\.8%\s*$/);
    expect(lines.filter((line) => /^note: home: the whole-run p95 fell \(-36\.8%\) while the blocks' p95 rose \(\+20\.0%\)$/.test(line))).toHaveLength(1);
    expect(lines.filter((line) => /The gate tests p95 \(blocks\)/.test(line))).toHaveLength(1);
  });

  it('labels each in the markdown table, and says why they disagree', () => {
    const table = renderStepTable(comparison.steps, 'baseline');
    expect(table.split('\n')[0]).toMatch(/\| p95 \(blocks\), baseline → now \| Change \| Interval \| Whole-run p95 \|/);
    expect(table).toMatch(/\| <code>home<\/code> \| 1\.00 → 1\.20 ms \| \+20% \| [^|]+ \| 1\.90 → 1\.20 ms \|/);
    expect(table).toMatch(/<code>home<\/code> the whole-run p95 fell 37% while the blocks' p95 rose 20%/);
  });
});
