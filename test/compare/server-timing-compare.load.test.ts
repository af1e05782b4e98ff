import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatComparisonTable } from '../../src/cli/comparison-table.js';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { comparisonProblem } from '../../src/compare/comparison-schema.js';
import { renderHeadline } from '../../src/report/headline.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import type { LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';
import { startServerTimingTarget } from '../helpers/server-timing-target.js';

/**
 * A regression the target explains: a loopback service whose checkout spends 10 ms in `db` and
 * 5 ms in `app` in the baseline runs; then its `db` takes 40 ms. The comparison must break the
 * change down by component, name `db` as the one that rose (about +30 ms) and leave `app` where
 * it was, and the verdict line must say so.
 */
describe('a stored-baseline comparison with Server-Timing', () => {
  let server: LoopbackServer;
  let dbMs = 10;
  const APP_MS = 5;
  beforeAll(async () => {
    server = await startServerTimingTarget({ '/checkout': () => `db;dur=${dbMs}, app;dur=${APP_MS}` }, () => dbMs + APP_MS);
  });
  afterAll(() => server.close());

  const run = (): Promise<RunRecord> =>
    runProfile(
      profileWith({
        target: server.url,
        journeys: [{ name: 'j', weight: 1, steps: [step('GET /checkout', { name: 'checkout' })] }],
        scenarios: [{ name: 's', executor: { type: 'constant-vus', vus: 2, durationMs: 2000 } }],
      }),
    );

  let comparison: ReturnType<typeof compareRuns>;
  let gated: ReturnType<typeof compareRuns>;
  beforeAll(async () => {
    const baselines = [await run(), await run(), await run()];
    dbMs = 40;
    const current = await run();
    comparison = compareRuns({ baselines, current });
    gated = compareRuns({ baselines, current, options: { serverTiming: { allPct: 20 } } });
  }, 60_000);

  it('breaks the step’s change down by component and names the one whose dur was raised', () => {
    const checkout = comparison.steps.find((s) => s.name === 'checkout');
    const [first, second] = checkout?.serverTiming?.components ?? [];
    expect(first).toMatchObject({ name: 'db', baselineRuns: 3 });
    // The durations are the header's, exact to the histogram's 3 digits.
    expect(first?.baselineP95Ms).toBeCloseTo(10, 1);
    expect(first?.currentP95Ms).toBeCloseTo(40, 1);
    expect(first?.changeMs).toBeCloseTo(30, 1);
    expect(first?.changePct).toBeCloseTo(300, 0);
    expect(second).toMatchObject({ name: 'app', changeMs: 0, changePct: 0 });
    expect(comparison.steps.find((s) => s.kind === 'overall')?.serverTiming).toBeUndefined();
    expect(comparisonProblem(JSON.parse(JSON.stringify(comparison)))).toBeUndefined();
  });

  it('says in the verdict line which component rose', () => {
    expect(comparison.verdict).toBe('regression');
    expect(renderHeadline(comparison).join('\n')).toMatch(/slower .*; Server-Timing: <code>db<\/code> \+30\.\d ms \(CI \+\d+\.\d … \+\d+\.\d\), p95 10\.0 ms → 40\.0 ms\.$/m);
  });

  it('lists the breakdown in the terminal’s comparison', () => {
    const lines = formatComparisonTable(comparison, 200).split('\n');
    const at = lines.findIndex((l) => l.startsWith('Server-Timing'));
    // The target's durations are exact, so each interval is narrow around the change.
    expect(lines[at + 1]).toMatch(/^ {2}checkout: db 10\.0 ms → 40\.0 ms \(\+30\.\d ms \(CI \+(29|30)\.\d … \+(30|31)\.\d\), \+300%\), app 5\.0 ms → 5\.0 ms \(\+0\.0 ms \(CI [−+]0\.\d … \+0\.\d\), \+0%\)$/);
  });

  it('fails the run on db alone when regression.serverTiming gates the components, and leaves app passing', () => {
    const [db, app] = gated.steps.find((s) => s.name === 'checkout')?.serverTiming?.components ?? [];
    expect(db?.interval).toMatchObject({ gated: true, allowedPct: 20, verdict: 'regression' });
    expect(app?.interval).toMatchObject({ gated: true, verdict: 'pass' });
    expect(gated.verdict).toBe('regression');
    expect(renderHeadline(gated).join('\n')).toMatch(/Server-Timing <code>db<\/code> of <code>checkout<\/code> rose \+30\.\d ms \(CI .*\), \+300% \(p95 10\.0 ms → 40\.0 ms\), beyond the 20% allowed\./);
    expect(comparisonProblem(JSON.parse(JSON.stringify(gated)))).toBeUndefined();
  });
});
