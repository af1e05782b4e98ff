import { compareRuns, type CompareInput } from '../compare/compare-runs.js';
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

/**
 * A stored-baseline comparison whose run's shape is answered and gated: every run (the current
 * one and each baseline run) analysed the same way, once, its capacity, recovery and slow burn
 * tested against the baseline runs' (`compare/shape-tests.ts`), and the current run's analysis
 * carried for the report (`Comparison.analysis`).
 */
export function compareWithAnalysis(input: Omit<CompareInput, 'shapeOf'>, options: AnalyzeOptions): Comparison {
  const analyses = new Map<RunRecord, Analysis>();
  const shapeOf = (run: RunRecord): Analysis => {
    const known = analyses.get(run);
    if (known !== undefined) return known;
    const analysis = analyzeRun(run, options);
    analyses.set(run, analysis);
    return analysis;
  };
  const comparison = compareRuns({ ...input, shapeOf });
  const analysis = shapeOf(input.current);
  return answersAnything(analysis) ? { ...comparison, analysis } : comparison;
}
