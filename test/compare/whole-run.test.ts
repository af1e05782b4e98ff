import { describe, expect, it } from 'vitest';
import { comparePaired } from '../../src/compare/compare-paired.js';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { gateFailure } from '../../src/compare/gate-rule.js';
import { incompleteRun, WHOLE_RUN_SHARE } from '../../src/compare/whole-run.js';
import { parseThreshold } from '../../src/threshold/threshold-expression.js';
import type { PairedRecord } from '../../src/record/paired-record-types.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { renderReport } from '../../src/report/render-report.js';
import { syntheticPaired } from '../helpers/synthetic-paired.js';
import { syntheticRun } from './record-builder.js';

/**
 * Only whole runs are judged: a run stopped by Ctrl-C, by an abortOnFail threshold, or far shorter
 * than planned is inconclusive whatever it measured (a broken threshold still fails).
 */
const STEPS = { list: { blocks: 30, requestsPerBlock: 60 } };
const history = Array.from({ length: 5 }, (_, i) => syntheticRun(100 + i, STEPS, { sequence: i, blockMs: 1000 }));
/** Twice as slow as its baseline: a regression by any measure, had the run been whole. */
const slower = (blocks: number, meta: Parameters<typeof syntheticRun>[2] = {}): RunRecord =>
  syntheticRun(200, { list: { ...STEPS.list, blocks, medianMs: 80 } }, { sequence: 10, blockMs: 1000, ...meta });

describe('a stored-baseline comparison of a run that is not whole', () => {
  it('judges the whole slower run a regression (the control)', () => {
    expect(compareRuns({ baselines: history, current: slower(30) }).verdict).toBe('regression');
  });

  it('calls an interrupted run inconclusive, never a regression, and says why in the headline', () => {
    const comparison = compareRuns({ baselines: history, current: slower(3, { interrupted: true }) });
    expect(comparison.verdict).toBe('inconclusive');
    expect(comparison.conclusion).toBe('neutral');
    expect(comparison.incomplete).toEqual({ cause: 'interrupted', measuredMs: 3000, plannedMs: 30000 });
    expect(gateFailure(comparison, 'regression')).toBeUndefined();
    expect(comparison.steps.every((s) => s.p95.verdict !== 'regression')).toBe(true);
    expect(renderReport(comparison)).toContain('⚠️ Inconclusive: the run was interrupted (Ctrl-C or SIGTERM) after 3 s of the 30 s planned of measurement; only whole runs are judged.');
  });

  it('calls a run far shorter than planned inconclusive: the profile says what was planned, else the baseline runs do', () => {
    const short = slower(20);
    expect(20 / 30).toBeLessThan(WHOLE_RUN_SHARE);
    expect(compareRuns({ baselines: history, current: short })).toMatchObject({ verdict: 'inconclusive', incomplete: { cause: 'short', measuredMs: 20000, plannedMs: 30000 } });
    // The profile planned 20 s: the run is whole.
    expect(compareRuns({ baselines: history, current: short, plannedMeasuredMs: 20000 }).verdict).toBe('regression');
    // 25 of 30 s is more than 80%: whole.
    expect(compareRuns({ baselines: history, current: slower(25) }).verdict).toBe('regression');
  });

  it('keeps a threshold that aborted the run broken: inconclusive verdict, failed conclusion, exit 1 as k6 exits', () => {
    const run = slower(4);
    const aborted: RunRecord = { ...run, meta: { ...run.meta, aborted: { metric: 'http_req_duration', expression: 'p(95)<50', observed: 130, atMs: 4000 } } };
    const thresholds = [{ metric: 'http_req_duration', expressions: ['p(95)<50'], abortOnFail: [{ expression: 0, delayAbortEvalMs: 0 }] }].map(parseThreshold);
    const comparison = compareRuns({ baselines: history, current: aborted, thresholds });
    expect(comparison.verdict).toBe('inconclusive');
    expect(comparison.incomplete?.cause).toBe('aborted');
    expect(comparison.thresholds[0]?.status).toBe('broken');
    expect(comparison.conclusion).toBe('failure');
    expect(gateFailure(comparison, 'regression')).toMatch(/a threshold of shop is broken/);
  });

  it('leaves a whole run alone, and a run with no baseline no-baseline', () => {
    expect(incompleteRun(slower(30), 30000)).toBeUndefined();
    expect(compareRuns({ baselines: [], current: slower(3, { interrupted: true }) }).verdict).toBe('no-baseline');
  });
});

describe('a paired comparison of a run that is not whole', () => {
  /** The first `pairs` ABBA pairs of a paired record, as a run stopped there leaves them. */
  function cut(paired: PairedRecord, pairs: number, interrupted: boolean): PairedRecord {
    const blocks = 2 * pairs;
    const kept = (arm: 'head' | 'base') => paired.order.slice(0, blocks).filter((a) => a === arm).length;
    const armCut = (run: RunRecord, n: number): RunRecord => ({
      ...run,
      meta: { ...run.meta, measuredMs: n * run.meta.blockMs, interrupted },
      blocks: run.blocks.slice(0, n),
      overall: { ...run.overall, blocks: run.overall.blocks.slice(0, n) },
      steps: Object.fromEntries(Object.entries(run.steps).map(([name, step]) => [name, { ...step, blocks: step.blocks.slice(0, n) }])),
    });
    return { ...paired, head: armCut(paired.head, kept('head')), base: armCut(paired.base, kept('base')) };
  }

  it('calls a slower head inconclusive when the run was interrupted, and a regression when whole', () => {
    const paired = syntheticPaired({ seed: 31, headScale: 1.5, pairs: 12 });
    expect(comparePaired({ paired }).verdict).toBe('regression');
    const comparison = comparePaired({ paired: cut(paired, 8, true) });
    expect(comparison.verdict).toBe('inconclusive');
    expect(comparison.incomplete).toEqual({ cause: 'interrupted', measuredMs: 8000, plannedMs: 12000 });
    expect(gateFailure(comparison, 'regression')).toBeUndefined();
  });

  it('calls a paired run that stopped at a third of its schedule inconclusive even unflagged', () => {
    const comparison = comparePaired({ paired: cut(syntheticPaired({ seed: 32, headScale: 1.5, pairs: 12 }), 4, false) });
    expect(comparison).toMatchObject({ verdict: 'inconclusive', incomplete: { cause: 'short', measuredMs: 4000, plannedMs: 12000 } });
  });
});
