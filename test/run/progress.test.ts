import { describe, expect, it } from 'vitest';
import type { Progress } from '../../src/engine/engine.js';
import { formatProgress, progressBar } from '../../src/run/progress.js';

const progress = (over: Partial<Progress> = {}): Progress => ({
  elapsedMs: 12_300,
  plannedMs: 30_000,
  phase: 'measuring',
  activeVUs: 12,
  totalRequests: 2000,
  totalErrors: 10,
  droppedIterations: 0,
  window: { requests: 500, errors: 0, p95Ms: 12.44 },
  ...over,
});

describe('progress lines', () => {
  it('show elapsed, rate over the window, p95, errors and VUs', () => {
    expect(formatProgress(progress(), 5000)).toBe('12s/30s  100 rps  p95 12.4 ms  errors 10 (0.5%)  VUs 12');
  });

  it('name the phase outside the measured period and dropped iterations when there are some', () => {
    expect(formatProgress(progress({ elapsedMs: 1500, phase: 'warmup', droppedIterations: 3, window: { requests: 0, errors: 0, p95Ms: 0 } }), 1000)).toBe(
      '1.5s/30s  (warmup)  0 rps  p95 -  errors 10 (0.5%)  VUs 12  dropped 3',
    );
  });

  it('draw a bar of the planned run', () => {
    expect(progressBar(progress({ elapsedMs: 15_000 }), 10)).toBe('[#####-----]');
    expect(progressBar(progress({ elapsedMs: 45_000 }), 10)).toBe('[##########]');
  });
});
