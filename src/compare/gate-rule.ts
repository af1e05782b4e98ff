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
