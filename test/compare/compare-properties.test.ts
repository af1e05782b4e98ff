import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareRuns } from '../../src/compare/compare-runs.js';
import type { MetricComparison } from '../../src/compare/comparison-types.js';
import { decodeHistogram, mergeHistograms, percentileMs } from '../../src/record/histogram.js';
import { syntheticRun, type SyntheticStep } from './record-builder.js';

/** Small runs keep property tests quick; each still has enough blocks and requests to be tested. */
const stepArbitrary: fc.Arbitrary<SyntheticStep> = fc.record({
  blocks: fc.integer({ min: 5, max: 8 }),
  requestsPerBlock: fc.integer({ min: 20, max: 60 }),
  medianMs: fc.double({ min: 1, max: 500, noNaN: true }),
  sigma: fc.double({ min: 0.05, max: 1, noNaN: true }),
  blockDrift: fc.double({ min: 0, max: 0.3, noNaN: true }),
  errorRate: fc.double({ min: 0, max: 0.2, noNaN: true }),
});

const gated = (m: { p95: MetricComparison; throughput: MetricComparison; errorRate: MetricComparison }): MetricComparison[] => [m.p95, m.throughput, m.errorRate];

/** The change on its analysis scale: log ratio for p95 and throughput, points for the error rate. */
const analysisChange = (metric: MetricComparison): number =>
  metric.changeUnit === '%' ? Math.log1p((metric.change as number) / 100) : (metric.change as number);

describe('compareRuns properties', () => {
  it('swapping baseline and current flips the sign of every estimate and keeps its noise', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), stepArbitrary, fc.double({ min: 0.5, max: 2, noNaN: true }), (seedA, seedB, spec, scale) => {
        const a = syntheticRun(seedA, { api: spec }, { sequence: 1 });
        const b = syntheticRun(seedB, { api: { ...spec, scale } }, { sequence: 2 });
        const ab = compareRuns({ baselines: [a], current: b });
        const ba = compareRuns({ baselines: [b], current: a });
        ab.steps.forEach((stepAB, i) => {
          const stepBA = ba.steps[i];
          if (!stepBA) throw new Error('steps differ');
          gated(stepAB).forEach((metricAB, j) => {
            const metricBA = gated(stepBA)[j] as MetricComparison;
            if (metricAB.change === null) return expect(metricBA.change).toBeNull();
            expect(analysisChange(metricBA)).toBeCloseTo(-analysisChange(metricAB), 9);
            // A run whose blocks all read the same p95 (the histogram's resolution) measures no
            // noise inside it; as the one baseline run, it rules out a run-to-run noise of exactly
            // 0 (a variance of 0), as the current run it does not: the noise is then near, not equal.
            const [seAB, seBA] = [metricAB.noise?.standardError as number, metricBA.noise?.standardError as number];
            if ((metricAB.noise?.withinCurrent ?? 0) > 0 && (metricBA.noise?.withinCurrent ?? 0) > 0) expect(seBA).toBeCloseTo(seAB, 12);
            else expect(Math.abs(seBA - seAB) / seAB).toBeLessThan(0.01);
          });
        });
      }),
      { numRuns: 12 },
    );
  });

  it('identical runs never regress (any number of baseline copies)', () => {
    fc.assert(
      fc.property(fc.integer(), stepArbitrary, fc.integer({ min: 1, max: 4 }), (seed, spec, copies) => {
        const baselines = Array.from({ length: copies }, (_, i) => syntheticRun(seed, { api: spec }, { sequence: i }));
        const comparison = compareRuns({ baselines, current: syntheticRun(seed, { api: spec }, { sequence: 10 }) });
        expect(comparison.verdict).not.toBe('regression');
        for (const step of comparison.steps) {
          for (const metric of gated(step)) {
            expect(metric.verdict).not.toBe('regression');
            if (metric.change !== null) expect(Math.abs(metric.change)).toBeLessThan(1e-9);
          }
        }
      }),
      { numRuns: 12 },
    );
  });

  it('merging block histograms gives the whole-run histogram: counts and percentiles', () => {
    fc.assert(
      fc.property(fc.integer(), stepArbitrary, stepArbitrary, (seed, first, second) => {
        const run = syntheticRun(seed, { first, second });
        for (const step of [run.overall, ...Object.values(run.steps)]) {
          const blocks = step.blocks.map((b) => decodeHistogram(b.histogram));
          const merged = mergeHistograms(blocks);
          const whole = decodeHistogram(step.histogram);
          expect(merged.totalCount).toBe(whole.totalCount);
          expect(merged.totalCount).toBe(step.blocks.reduce((sum, b) => sum + b.requests, 0));
          for (const p of [50, 95, 99]) expect(percentileMs(merged, p)).toBe(percentileMs(whole, p));
        }
        const stepsMerged = mergeHistograms(Object.values(run.steps).map((s) => decodeHistogram(s.histogram)));
        expect(stepsMerged.totalCount).toBe(decodeHistogram(run.overall.histogram).totalCount);
      }),
      { numRuns: 15 },
    );
  });
});
