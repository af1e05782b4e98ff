import type { Comparison } from '../compare/comparison-types.js';
import type { RunRecord } from '../record/run-record-types.js';
import type { Analysis } from './analysis-types.js';
import { analyzeRun, type AnalyzeOptions } from './analyze-run.js';

/** Whether an analysis answers any question (a note alone, such as "too short for a trend", is not worth a comment's line). */
export function answersAnything(analysis: Analysis): boolean {
  return analysis.capacity !== undefined || analysis.recovery.length > 0 || analysis.trend !== undefined;
}

/**
 * A comparison with what its current run's shape answers (`Comparison.analysis`), when it answers
 * anything: the breaking point, each surge's recovery, the slow burn, one line each in the report.
 */
export function withAnalysis(comparison: Comparison, current: RunRecord, options: AnalyzeOptions): Comparison {
  const analysis = analyzeRun(current, options);
  return answersAnything(analysis) ? { ...comparison, analysis } : comparison;
}
