import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/cli/run-summary.js';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { comparisonProblem } from '../../src/compare/comparison-schema.js';
import { evaluateThresholds } from '../../src/threshold/thresholds.js';
import { parseThreshold } from '../../src/threshold/threshold-expression.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { renderHtmlReport } from '../../src/report/html/render-html-report.js';
import { formatCount as f } from '../../src/report/number-format.js';
import { renderReport } from '../../src/report/render-report.js';
import { respondAfter, startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';

/**
 * Status codes and error kinds reach every report: real runs against a loopback server that
 * answers 200, then 500 to the same requests, and against a port nobody listens on.
 */
describe('status codes and error kinds in the reports', () => {
  let server: LoopbackServer;
  let failing = false;
  let healthy: RunRecord;
  let broken: RunRecord;
  let refused: RunRecord;

  const profile = (target: string) =>
    profileWith({
      target,
      journeys: [{ name: 'shop', weight: 1, steps: [step('GET /list', { name: 'list' }), step('GET /detail', { name: 'detail' })] }],
      scenarios: [{ name: 'browse', executor: { type: 'constant-vus', vus: 2, durationMs: 600 } }],
    });

  beforeAll(async () => {
    server = await startServer((req, res) => respondAfter(res, req, 1, failing ? 500 : 200));
    healthy = await runProfile(profile(server.url));
    failing = true;
    broken = await runProfile(profile(server.url));
    const closed = await startServer((_req, res) => res.end());
    const url = closed.url;
    await closed.close();
    refused = await runProfile(profile(url));
  }, 30_000);
  afterAll(() => server.close());

  it('the run summary names the codes behind the errors, and says when every request failed', () => {
    const n = broken.overall.requests;
    expect(n).toBeGreaterThan(10);
    expect(broken.overall.statuses).toEqual({ '500': n });
    const summary = formatRunSummary(broken);
    expect(summary).toContain(`errors ${f(n)} (100%): 500 ×${f(n)}`);
    expect(summary).toContain(`responses: 500 ×${f(n)}`);
    expect(summary).toMatch(/^ALL REQUESTS FAILED: every one of the \d+ measured requests was an error \(500 ×[\d,]+\)/m);
    // Both steps failed, so each says what it got.
    expect(summary).toContain(`  list: ${f(broken.steps.list?.errors ?? 0)} (100%): 500 ×${f(broken.steps.list?.errors ?? 0)}`);
    expect(summary).not.toContain('(status ');

    const clean = formatRunSummary(healthy);
    expect(clean).toContain('errors 0');
    expect(clean).toContain(`responses: 200 ×${f(healthy.overall.requests)}`);
    expect(clean).not.toContain('ALL REQUESTS FAILED');
  });

  it('the run summary names transport errors by kind', () => {
    const n = refused.overall.requests;
    expect(refused.overall.errorKinds).toEqual({ refused: n });
    const summary = formatRunSummary(refused);
    expect(summary).toContain(`errors ${f(n)} (100%): connection refused ×${f(n)}`);
    expect(summary).toContain('responses: none (no request got an answer)');
  });

  it('the comparison keeps each step’s codes and kinds, baseline beside current, and the comment shows them folded', () => {
    const comparison = compareRuns({ baselines: [healthy], current: broken });
    expect(comparisonProblem(JSON.parse(JSON.stringify(comparison)))).toBeUndefined();
    const list = comparison.steps.find((s) => s.name === 'list');
    expect(list?.outcomes).toEqual({
      current: { runs: 1, requests: broken.steps.list?.requests, errors: broken.steps.list?.requests, statuses: { '500': broken.steps.list?.requests }, errorKinds: { status: broken.steps.list?.requests } },
      baseline: { runs: 1, requests: healthy.steps.list?.requests, errors: 0, statuses: { '200': healthy.steps.list?.requests }, errorKinds: {} },
    });
    const markdown = renderReport(comparison);
    const folded = markdown.slice(markdown.indexOf('<summary>Per step'));
    const n = broken.steps.list?.requests;
    expect(folded).toContain('| Status or error | Baseline | This run |');
    expect(folded).toContain(`| 200 | ${f(healthy.steps.list?.requests ?? 0)} (100%) | – |`);
    expect(folded).toContain(`| 500 | – | ${f(n ?? 0)} (100%) |`);
    expect(folded).toContain(`| unexpected status (error) | – | ${f(n ?? 0)} (100%) |`);
  });

  it('a comparison with no baseline says plainly that every request failed', () => {
    const comparison = compareRuns({ baselines: [], current: broken });
    expect(comparison.verdict).toBe('no-baseline');
    const markdown = renderReport(comparison);
    const headline = markdown.slice(0, markdown.indexOf('| Step'));
    expect(headline).toContain(`❌ Every request of this run failed: ${f(broken.overall.requests)} of ${f(broken.overall.requests)} (500 ×${f(broken.overall.requests)})`);
  });

  it('a run-only page whose requests all failed, or whose thresholds broke, says so instead of “Run only”', () => {
    const failed = renderHtmlReport({ current: broken });
    expect(failed).not.toContain('Run only');
    expect(failed).toContain('<section class="verdict verdict-regression">');
    expect(failed).toContain(`Every one of the ${f(broken.overall.requests)} measured requests failed (500 ×${f(broken.overall.requests)})`);
    expect(failed).toMatch(/<td class="text">500<\/td><td>[\d,]+ \(100%\)<\/td>/);

    const thresholds = evaluateThresholds(healthy, [{ metric: 'http_req_duration', expressions: ['p(95)<0.001'] }].map(parseThreshold));
    expect(thresholds[0]?.status).toBe('broken');
    const slow = renderHtmlReport({ current: healthy, thresholds });
    expect(slow).not.toContain('Run only');
    expect(slow).toContain('Failed: thresholds broken');

    const quiet = renderHtmlReport({ current: healthy });
    expect(quiet).toContain('Run only');
    expect(quiet).toMatch(/<td class="text">200<\/td><td>[\d,]+ \(100%\)<\/td>/);
  });
});
