import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare-runs.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { renderReport } from '../../src/report/render-report.js';
import { seededRandom } from '../../src/stats/seeded-random.js';
import { syntheticRun } from '../compare/record-builder.js';
import { withScrapes, type TargetModel } from '../compare/target-metrics-runs.js';

/** The target's CPU per request and memory growth in the comment: outside the folds when gated or moved, folded otherwise. */

function run(seed: number, model: Partial<TargetModel> = {}): RunRecord {
  return withScrapes(syntheticRun(seed, { list: { blocks: 30, requestsPerBlock: 100 } }, { blockMs: 1_000, sequence: seed }), seededRandom(seed + 1_000), model);
}
const baselines = [1, 2, 3, 4].map((seed) => run(seed));
/** The comment up to its first fold: what a reviewer sees without opening anything. */
const atAGlance = (comment: string): string => comment.slice(0, comment.indexOf('<details>'));

describe("the target's own metrics in the comment", () => {
  it('a gated CPU regression is in the headline and on a line outside the folds, with the interval and the allowance', () => {
    const comment = renderReport(compareRuns({ baselines, current: run(9, { cpuMs: 1.0 }), options: { cpuPct: 25 } }));
    const glance = atAGlance(comment);
    expect(glance).toMatch(/❌ The target's CPU per request against the baseline: 1(\.\d+)? ms CPU\/req against 0\.5\d* ms CPU\/req over 4 baseline runs, \+1\d\d% \(CI \+\d+% … \+\d+%\), allowed \+25%: regression\./);
    expect(glance).toContain("#### The target's own metrics against the baseline runs'");
    expect(glance).toMatch(/- The target's memory growth against the baseline: .*reported: /);
  });

  it('a rise that is not gated still shows outside the folds, marked as reported', () => {
    const glance = atAGlance(renderReport(compareRuns({ baselines, current: run(9, { cpuMs: 1.0 }) })));
    expect(glance).toMatch(/- The target's CPU per request against the baseline: .*allowed \+25%: reported: regression \(reported, not gated: set regression\.cpu to gate the CPU per request\)\./);
  });

  it('an unchanged, ungated target is a folded table', () => {
    const comment = renderReport(compareRuns({ baselines, current: run(9) }));
    expect(atAGlance(comment)).not.toContain('CPU per request');
    expect(comment).toContain("<summary>The target's own metrics: CPU per request and memory growth, no change beyond their allowances</summary>");
    expect(comment).toMatch(/\| CPU per request \| 0\.[45]\d* ms CPU\/req \| 0\.[45]\d* ms CPU\/req \| [+−]\d+(\.\d)?% \| .* \| \+25% \| ✅ reported: pass/);
  });
});
