import { describe, expect, it } from 'vitest';
import { withAnalysis } from '../../src/analyze/comparison-analysis.js';
import { formatComparisonTable } from '../../src/cli/comparison-table.js';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { comparisonProblem } from '../../src/compare/comparison-schema.js';
import { renderReport } from '../../src/report/render-report.js';
import { soak, staircase } from './shaped-records.js';

describe("a comparison carries what its run's shape answers", () => {
  const current = staircase(3);
  const compared = compareRuns({ baselines: [staircase(0), staircase(1), staircase(2)], current });
  const comparison = withAnalysis(compared, current, {});

  it('a stress run: its breaking point, in the JSON (within its schema), the comment and the terminal', () => {
    expect(compared.analysis).toBeUndefined();
    expect(comparison.analysis?.shape).toBe('rising');
    expect(comparison.analysis?.capacity?.sustainableRps?.estimate).toBeCloseTo(150, -1);
    expect(comparisonProblem(JSON.parse(JSON.stringify(comparison)))).toBeUndefined();
    const comment = renderReport(comparison);
    expect(comment).toContain("#### What the run's shape answers");
    expect(comment).toMatch(/^- Breaking point: sustains 150 req\/s/m);
    expect(comment).toContain('<summary>Load levels: offered against achieved');
    expect(formatComparisonTable(comparison, 100)).toMatch(/^Breaking point: sustains 150 req\/s/m);
  });

  it('a run that answers nothing adds nothing: a steady run too short for a trend', () => {
    const short = soak(4, () => 20, 3);
    const plain = compareRuns({ baselines: [soak(4, () => 20, 0), soak(4, () => 20, 1)], current: short });
    expect(withAnalysis(plain, short, {})).toBe(plain);
    expect(renderReport(plain)).not.toContain('shape answers');
  });

  it('a comparison whose analysis breaks its schema is refused, as a fork could send it', () => {
    const tampered = JSON.parse(JSON.stringify(comparison)) as { analysis: { capacity: { levels: Array<{ reasons: unknown }> } } };
    (tampered.analysis.capacity.levels[0] as { reasons: unknown }).reasons = [{ html: '<img>' }];
    expect(comparisonProblem(tampered)).toContain("analysis.capacity.levels[0].reasons[0]");
  });
});
