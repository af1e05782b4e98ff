import type { RunRecord } from '../../src/record/run-record-types.js';
import { parseThreshold } from '../../src/threshold/threshold-expression.js';
import { evaluateThresholds } from '../../src/threshold/thresholds.js';

/** A threshold's selector, expression and status (ok, broken, no-data). */
export type ThresholdRow = readonly [metric: string, expression: string, status: string];

/**
 * Evaluates each row's threshold on `record` and gives the rows back with the status it got, so a
 * test writes each threshold once with what it expects: `expect(thresholdStatuses(r, rows)).toEqual(rows)`.
 */
export function thresholdStatuses(record: RunRecord, rows: readonly ThresholdRow[]): ThresholdRow[] {
  return evaluateThresholds(record, rows.map(([metric, expression]) => parseThreshold({ metric, expressions: [expression] }))).map((r) => [r.metric, r.expression, r.status]);
}
