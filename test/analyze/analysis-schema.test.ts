import { describe, expect, it } from 'vitest';
import { analysisProblem } from '../../src/analyze/analysis-schema.js';
import { ANALYSIS_SCHEMA, type Analysis } from '../../src/analyze/analysis-types.js';
import { analysisLines, renderAnalysisSection } from '../../src/report/analysis-report.js';

/** A stress run that broke at 180 req/s, a surge it recovered from, and a soak with a slow burn: every answer at once. */
const answered: Analysis = {
  schema: ANALYSIS_SCHEMA,
  shape: 'rising',
  capacity: {
    unit: 'rps',
    sustainableRps: { estimate: 180.4, low: 171.2, high: 188.9 },
    sloCrossingRps: { estimate: 195.2, low: 190.1, high: 201.7 },
    atLeast: false,
    limitedBy: 'latency',
    levels: [
      { startMs: 0, endMs: 3000, offered: 80, achievedRps: 160, expectedRps: 160, due: 240, dropped: 0, p95Ms: 21, p95GrowthPctPerSecond: 0.2, errorRate: 0, keptUp: true, reasons: [] },
      { startMs: 3000, endMs: 6000, offered: 120, achievedRps: 201, expectedRps: 240, due: 360, dropped: 55, p95Ms: 640, p95GrowthPctPerSecond: 31, errorRate: 0.004, keptUp: false, reasons: ['p95 grows 31%/s (a queue)', 'a | b'] },
    ],
    plan: { target: 5000, unit: 'rps', headroomPct: 30, instances: { estimate: 40, low: 38, high: 42 } },
  },
  recovery: [
    {
      surgeOffered: 200,
      beforeOffered: 50,
      surgeStartMs: 10_000,
      surgeEndMs: 13_000,
      seconds: { estimate: 4.5, low: 3.5, high: 5.5 },
      recovered: true,
      p95BeforeMs: 20.5,
      p95PeakMs: 1800,
      surgeErrors: 12,
      surgeErrorRate: 0.02,
    },
  ],
  trend: { p95PctPerMinute: { estimate: 12.3, low: 6.1, high: 18.8 }, significant: true, pValue: 0.0012, blocks: 24, method: 'EWC, ν=8' },
  notes: ['a note with <b>markup</b>'],
};

describe('an analysis (tailgate.analysis/v1)', () => {
  it('holds to its schema when complete', () => {
    expect(analysisProblem(answered)).toBeUndefined();
    expect(analysisProblem({ ...answered, capacity: undefined, trend: undefined })).toBeUndefined();
  });

  it.each([
    ['an unknown field', { ...answered, extra: 1 }, 'additional'],
    ['a text where a number belongs', { ...answered, trend: { ...answered.trend, pValue: '0.01' } }, 'number'],
    ['a number beyond any run', { ...answered, recovery: [{ ...answered.recovery[0], surgeEndMs: 1e12 }] }, '<='],
    ['another schema line', { ...answered, schema: 'tailgate.analysis/v2' }, 'constant'],
    ['a limit that is not one of its kinds', { ...answered, capacity: { ...answered.capacity, limitedBy: 'mood' } }, 'allowed'],
  ])('refuses %s', (_label, data, words) => {
    expect(analysisProblem(data)).toContain(words);
  });

  it('reads as one line per question, with each estimate and its interval', () => {
    expect(analysisLines(answered)).toEqual([
      'Breaking point: sustains 180 req/s (95% CI 171–189 req/s), then limited by latency; p95 crosses its threshold at 195 req/s (95% CI 190–202 req/s).',
      'Capacity plan: 5,000 req/s with 30% headroom needs 40 instances (95% CI 38–42).',
      'Surge from 50 it/s to 200 it/s at 10 s–13 s: recovered 4.5 s after it ended (95% CI 3.5–5.5 s), p95 20.5 ms before, 1,800 ms at worst; 12 errors during it (2.0%).',
      'Slow burn: p95 grows +12% a minute (95% CI +6.1% to +19%), beyond chance (p = 0.0012, over 24 blocks).',
    ]);
  });

  it('says what a ramp that never saturated, a surge never recovered from and a flat run answer', () => {
    const open: Analysis = {
      ...answered,
      capacity: { ...(answered.capacity as NonNullable<Analysis['capacity']>), atLeast: true, sloCrossingRps: null, limitedBy: undefined, plan: undefined },
      recovery: [{ ...(answered.recovery[0] as Analysis['recovery'][number]), recovered: false, seconds: null }],
      trend: { ...(answered.trend as NonNullable<Analysis['trend']>), significant: false, pValue: 0.4, p95PctPerMinute: { estimate: 0.4, low: -1.2, high: 2 } },
    };
    const lines = analysisLines(open);
    expect(lines[0]).toMatch(/^Capacity: at least 180 req\/s .*breaking point lies beyond this run\.$/);
    expect(lines[1]).toContain('not recovered by the end of the run');
    const unjudged = { ...open, capacity: undefined, trend: undefined, recovery: [{ ...(open.recovery[0] as Analysis['recovery'][number]), note: 'not judged: only 2 blocks <at> the level before.' }] };
    expect(analysisLines(unjudged)[0]).toContain('at 10 s–13 s: not judged: only 2 blocks <at> the level before, p95');
    expect(renderAnalysisSection(unjudged)).toContain('not judged: only 2 blocks &#60;at&#62; the level before, p95');
    expect(lines[2]).toBe('Slow burn: no significant growth; p95 +0.4% a minute (95% CI −1.2% to +2.0%) over 24 blocks.');
  });

  it('folds the levels into a table, and escapes the words it did not write itself', () => {
    const markdown = renderAnalysisSection(answered);
    expect(markdown).toContain('<details>');
    expect(markdown).toContain('| 3 s–6 s | 120 it/s | 240 req/s | 201 req/s | 55 | 640 ms | +31%/s | 0.40% | no: p95 grows 31%/s (a queue); a &#124; b |');
    expect(markdown).toContain('> a note with &#60;b&#62;markup&#60;/b&#62;');
    expect(markdown).not.toContain('<b>');
  });

  it('is empty when the run answers nothing and notes nothing', () => {
    expect(renderAnalysisSection({ schema: ANALYSIS_SCHEMA, shape: 'other', recovery: [], notes: [] })).toBe('');
  });
});
