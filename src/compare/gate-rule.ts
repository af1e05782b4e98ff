import type { Comparison } from './comparison-types.js';

/** What fails the gate: a regression (or a broken threshold), also an inconclusive verdict, or nothing. */
export const FAIL_ON = ['regression', 'inconclusive', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/**
 * Why the gate fails this comparison, or undefined when it does not: the one rule behind the
 * Action's failed step and the CLI's exit code 1. A regression or a broken threshold fails
 * (the comparison's conclusion is `failure`), an inconclusive verdict only with `fail-on:
 * inconclusive`, nothing with `never`.
 */
export function gateFailure(comparison: Comparison, failOn: FailOn): string | undefined {
  if (failOn === 'never') return undefined;
  const id = comparison.profile.id;
  if (comparison.verdict === 'regression') return `tailgate: performance regression in ${id} (see the job summary)`;
  if (comparison.conclusion === 'failure') return `tailgate: a threshold of ${id} is broken (see the job summary)`;
  if (failOn === 'inconclusive' && comparison.verdict === 'inconclusive') return `tailgate: the comparison of ${id} was inconclusive and fail-on is inconclusive`;
  return undefined;
}

/**
 * The share of unchanged runs `fail-on: inconclusive` is expected to fail, and where it comes from:
 * paired mode's synthetic calibration (docs/paired.md), 1000 unchanged heads of 60 s at each of two
 * run-level offsets (8% and 15%, seed 20261207): 86.5% and 87.0% were inconclusive.
 */
export const UNCHANGED_INCONCLUSIVE = { lowPct: 86, highPct: 87, source: "docs/paired.md: paired mode's synthetic calibration, unchanged 60 s runs" } as const;

/** The warning `fail-on: inconclusive` (or `--fail-on inconclusive`) earns, once per run; undefined for the other choices. */
export function failOnWarning(failOn: FailOn): string | undefined {
  if (failOn !== 'inconclusive') return undefined;
  const { lowPct, highPct, source } = UNCHANGED_INCONCLUSIVE;
  return (
    `fail-on: inconclusive fails every run the gate cannot decide, and most runs that change nothing are undecided: ` +
    `${lowPct}–${highPct}% of unchanged 60 s paired runs were inconclusive (${source}). ` +
    'Expect it to fail most pull requests that do not touch performance; fail-on: regression fails only what is shown to be slower.'
  );
}
