import { describe, expect, test } from 'vitest';
import type { ShapeComparison } from '../../../src/compare/comparison-types.js';
import { renderHtmlReport } from '../../../src/report/html/render-html-report.js';
import { shapeTestsTable } from '../../../src/report/html/shape-tests-table.js';
import { everyAnswer, HOSTILE, surgeRecord } from './analysis-fixtures.js';
import { regressionCase } from './report-fixtures.js';

/**
 * The gated shape answers (`Comparison.shapeTests`) in the HTML report's analysis section: each
 * question's baseline and current answer, the change, its interval, the allowance and the verdict.
 */

function shape(over: Partial<ShapeComparison> & Pick<ShapeComparison, 'question' | 'name'>): ShapeComparison {
  return {
    worseWhen: 'higher',
    verdict: 'pass',
    gated: true,
    unit: 's',
    changeUnit: '%',
    current: null,
    baseline: null,
    baselineRuns: 3,
    change: null,
    ci: null,
    allowedChange: 50,
    pValue: null,
    adjustedPValue: null,
    failLevel: null,
    minimumDetectableChange: null,
    noise: null,
    ...over,
  };
}

const TESTS: ShapeComparison[] = [
  shape({ question: 'trend', name: 'slow burn', gated: false, unit: '%/min', changeUnit: '%/min', current: 1.2, baseline: 0.4, change: 0.8, ci: { low: -0.5, high: 2.1 }, allowedChange: 5, reason: `reported, not gated ${HOSTILE}` }),
  shape({ question: 'capacity', name: 'capacity', worseWhen: 'lower', verdict: 'regression', unit: 'req/s', current: 75, baseline: 100, change: -25, ci: { low: -31, high: -18 }, allowedChange: -10 }),
  shape({ question: 'recovery', name: 'recovery from surge 1', verdict: 'inconclusive', current: 8, baseline: 4, change: 100, ci: { low: 20, high: 230 }, reason: 'too noisy to tell' }),
];

function section(html: string): string {
  const start = html.indexOf('<section id="analysis"');
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('the gated shape answers on the HTML page', () => {
  const base = regressionCase({ baselineRuns: 3, warmupMs: 5000 });
  const comparison = { ...base.comparison, analysis: everyAnswer(), shapeTests: TESTS };
  const html = renderHtmlReport({ ...base, current: surgeRecord(5000), comparison });
  const answers = section(html);

  test('one row per question, gated first: baseline → current, change, interval, allowed, verdict', () => {
    const rows = [...answers.matchAll(/<tr(?: class="error-row")?><td>(.*?)<\/tr>/g)].map((m) => m[0]);
    const shapeRows = rows.filter((r) => /Sustainable rate|Recovery|Slow burn/.test(r));
    expect(shapeRows).toHaveLength(3);
    expect(shapeRows[0]).toBe(
      '<tr class="error-row"><td>Sustainable rate</td><td>100 req/s</td><td>75.0 req/s</td><td>−25%</td><td>−31% … −18%</td><td>−10%</td><td><span class="mark mark-regression" title="regression">✗</span> regression</td></tr>',
    );
    expect(shapeRows[1]).toContain('<td>Recovery <span class="muted">from surge 1</span></td><td>4 s</td><td>8 s</td><td>+100%</td><td>+20% … +230%</td><td>+50%</td>');
    expect(shapeRows[2]).toContain('<td>Slow burn (p95 growth)</td><td>+0.4%/min</td><td>+1.2%/min</td><td>+0.8%/min</td><td>−0.5%/min … +2.1%/min</td><td>+5.0%/min</td>');
    expect(shapeRows[2]).toContain('pass <span class="muted">(not gated)</span>');
    expect(answers).toContain('<h3>Gated against the baseline runs’</h3>');
  });

  test('reasons are escaped', () => {
    expect(answers).toContain('slow burn: reported, not gated &#60;img src=x onerror=alert(1)&#62;');
    expect(answers).not.toContain(HOSTILE);
  });

  test('in paired mode the columns are the base and the head', () => {
    const table = shapeTestsTable(TESTS, true);
    expect(table).toContain('<th>Base</th><th>Head</th>');
    expect(table).toContain('Gated against the base target’s, measured in the same run');
  });

  test('no table without tests', () => {
    expect(shapeTestsTable(undefined)).toBe('');
    expect(shapeTestsTable([])).toBe('');
    const plain = section(renderHtmlReport({ ...base, current: surgeRecord(5000), comparison: { ...comparison, shapeTests: undefined } }));
    expect(plain).not.toContain('shape-tests');
  });
});

describe('a paired run’s analysis on the page', () => {
  test('its surge is not drawn over the head’s own time line, and the page says why', () => {
    const base = regressionCase({ baselineRuns: 1, warmupMs: 5000 });
    const comparison = { ...base.comparison, analysis: everyAnswer(), shapeTests: TESTS };
    const current = surgeRecord(5000);
    const paired = { schema: 'tailgate.paired/v1' as const, meta: { pairing: { order: 'abba' as const, seed: 1, blockMs: 1500, settleMs: 500, excludedRequests: 0 } }, order: [], head: current, base: current };
    const answers = section(renderHtmlReport({ current, baselines: [current], comparison, paired }));
    expect(answers).toContain('timed on the run’s clock');
    expect(answers).not.toContain('p95 per block, each surge');
    expect(answers).toContain('<th>Base</th><th>Head</th>');
    expect(section(renderHtmlReport({ current, comparison }))).toContain('p95 per block, each surge');
  });
});
