import { describe, expect, it } from 'vitest';
import { estimateShift, type NoiseView } from '../../src/compare/shift-estimate.js';

const run = (value: number, withinVariance = 0.0001, withinDf = 11) => ({ value, withinVariance, withinDf, blocks: withinDf + 1 });
const viewOf = (views: NoiseView[], source: NoiseView['source']): NoiseView => {
  const view = views.find((v) => v.source === source);
  if (!view) throw new Error(`no ${source} view`);
  return view;
};

describe('estimateShift', () => {
  it('with one baseline run: both runs’ within noise plus the floor for both runs', () => {
    const floor = 0.03;
    const shift = estimateShift(run(0.2, 0.0004, 9), [run(0.1, 0.0001, 4)], floor);
    expect(shift.estimate).toBeCloseTo(0.1, 15);
    expect(shift.baselineValue).toBeCloseTo(0.1, 15);
    expect(shift.views.map((v) => v.source)).toEqual(['noise-floor']);
    const view = viewOf(shift.views, 'noise-floor');
    // w_c² + (1 + 1/1)·floor² + w_b²/1, with Welch–Satterthwaite df over the two estimated parts.
    expect(view.variance).toBeCloseTo(0.0004 + 2 * floor * floor + 0.0001, 15);
    expect(view.df).toBeCloseTo((view.variance * view.variance) / (0.0004 ** 2 / 9 + 0.0001 ** 2 / 4), 9);
  });

  it('with 3+ runs adds the history view: the prediction interval (1 + 1/n)·s² with n − 1 df', () => {
    // History values 0, 0.1, 0.2: s² = 0.01; within 0.0001 each, so τ² = 0.0099.
    const shift = estimateShift(run(0.5), [run(0), run(0.1), run(0.2)], 0.03);
    expect(shift.estimate).toBeCloseTo(0.4, 15);
    const history = viewOf(shift.views, 'history');
    expect(history.betweenRunVariance).toBeCloseTo(0.0099, 15);
    expect(history.variance).toBeCloseTo((4 / 3) * 0.01, 15);
    expect(history.df).toBe(2);
    expect(viewOf(shift.views, 'noise-floor').betweenRunVariance).toBeCloseTo(0.0009, 15);
  });

  it('widens the history view when the current run is noisier inside than the baseline runs', () => {
    const shift = estimateShift(run(0.5, 0.0025, 5), [run(0), run(0.1), run(0.2)], 0.03);
    const history = viewOf(shift.views, 'history');
    const extra = 0.0025 - 0.0001;
    expect(history.variance).toBeCloseTo((4 / 3) * 0.01 + extra, 15);
    expect(history.df).toBeCloseTo(history.variance ** 2 / (((4 / 3) * 0.01) ** 2 / 2 + extra ** 2 / 5), 9);
  });

  it('a quiet history has a near-zero spread; the floor view stays beside it', () => {
    const shift = estimateShift(run(0.1), [run(0.1), run(0.1001), run(0.0999), run(0.1)], 0.03);
    expect(viewOf(shift.views, 'history').betweenRunVariance).toBe(0);
    expect(viewOf(shift.views, 'noise-floor').betweenRunVariance).toBeCloseTo(0.0009, 15);
  });

  it('has no between-run term for a metric without a floor and a short history', () => {
    const shift = estimateShift(run(0.02), [run(0.01)], 0);
    expect(shift.views).toHaveLength(1);
    expect(viewOf(shift.views, 'none').variance).toBeCloseTo(0.0002, 15);
  });

  it('is symmetric with one baseline run: swapping flips the estimate and keeps the noise', () => {
    const a = run(0.3, 0.0004, 9);
    const b = run(0.1, 0.0001, 4);
    const ab = estimateShift(a, [b], 0.03);
    const ba = estimateShift(b, [a], 0.03);
    expect(ba.estimate).toBeCloseTo(-ab.estimate, 15);
    expect(ba.views[0]?.variance).toBeCloseTo(ab.views[0]?.variance as number, 15);
    expect(ba.views[0]?.df).toBeCloseTo(ab.views[0]?.df as number, 9);
  });
});
