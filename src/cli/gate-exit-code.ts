import type { Comparison } from '../compare/comparison-types.js';
import { gateFailure, type FailOn } from '../compare/gate-rule.js';
import { EXIT } from './cli-error.js';

/** The gate's rule (`gateFailure`, as the Action's) as an exit code: 1 when it fails, else 0. */
export function exitCode(comparison: Comparison, failOn: FailOn): number {
  return gateFailure(comparison, failOn) === undefined ? EXIT.pass : EXIT.failed;
}
