import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { FAIL_ON, failOnWarning, gateFailure } from '../../src/compare/gate-rule.js';
import { exitCode } from '../../src/cli/gate-exit-code.js';

const load = (name: string): Comparison => JSON.parse(readFileSync(new URL(`../report/comparisons/${name}.json`, import.meta.url), 'utf8')) as Comparison;

describe("the gate's rule, one for the Action and the CLI", () => {
  it('fails a regression or a broken threshold, an inconclusive verdict only with fail-on: inconclusive, nothing with never', () => {
    const table = ['regression', 'threshold-broken', 'inconclusive', 'generator-invalid', 'pass', 'improvement', 'first-run'].map((name) => [
      name,
      ...FAIL_ON.map((failOn) => gateFailure(load(name), failOn)?.replace(/ of \S+| in \S+/, '') ?? 'passes'),
    ]);
    expect(table).toEqual([
      ['regression', 'tailgate: performance regression (see the job summary)', 'tailgate: performance regression (see the job summary)', 'passes'],
      ['threshold-broken', 'tailgate: a threshold is broken (see the job summary)', 'tailgate: a threshold is broken (see the job summary)', 'passes'],
      ['inconclusive', 'passes', 'tailgate: the comparison was inconclusive and fail-on is inconclusive', 'passes'],
      ['generator-invalid', 'passes', 'tailgate: the comparison was inconclusive and fail-on is inconclusive', 'passes'],
      ['pass', 'passes', 'passes', 'passes'],
      ['improvement', 'passes', 'passes', 'passes'],
      ['first-run', 'passes', 'passes', 'passes'],
    ]);
  });

  it("is the CLI's exit code: 1 exactly where the Action's step fails", () => {
    for (const name of ['regression', 'threshold-broken', 'inconclusive', 'pass', 'first-run']) {
      for (const failOn of FAIL_ON) expect(exitCode(load(name), failOn)).toBe(gateFailure(load(name), failOn) === undefined ? 0 : 1);
    }
  });

  it('warns once that fail-on: inconclusive fails most unchanged runs, with the figure and where it comes from', () => {
    expect(failOnWarning('regression')).toBeUndefined();
    expect(failOnWarning('never')).toBeUndefined();
    expect(failOnWarning('inconclusive')).toMatch(/86–87% of unchanged 60 s paired runs were inconclusive \(docs\/paired\.md: paired mode's synthetic calibration, unchanged 60 s runs\)/);
  });
});
