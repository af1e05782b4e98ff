import { describe, expect, test } from 'vitest';
import { decodeCounts, percentileOfCounts } from '../../../src/record/latency-counts.js';
import type { ChartSpec } from '../../../src/report/html/chart-data.js';
import { renderHtmlReport } from '../../../src/report/html/render-html-report.js';
import { formatMs, formatRps } from '../../../src/report/number-format.js';
import { regressionCase } from './report-fixtures.js';

/** The page's top, as k6's and Gatling's reports open: headline numbers, one timeline, codes, the histogram, thresholds and checks. */
function specsOf(html: string): ChartSpec[] {
  const data = html.slice(html.indexOf('<script type="application/json"'));
  return JSON.parse(data.slice(data.indexOf('>') + 1, data.indexOf('</script>'))) as ChartSpec[];
}

/** The text of a section by id, up to the next section. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('the HTML report’s overview', () => {
  const big = regressionCase({ warmupMs: 5000 });
  const html = renderHtmlReport(big);
  const overall = big.comparison.steps.find((s) => s.kind === 'overall');

  test('opens with the overview, then the verdict, the timeline, codes and errors, the distribution, thresholds and checks, then the steps', () => {
    const order = ['id="overview"', 'class="verdict ', 'id="timeline"', 'id="outcomes"', 'id="distribution"', 'id="checks"', 'id="summary"', 'class="step"', 'id="load"'].map((mark) => html.indexOf(mark));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test('the overview row holds the headline numbers, the baseline’s beneath', () => {
    const row = section(html, 'overview');
    expect(row).toContain('</span> regression</div>');
    expect(row).toContain('against 10 baseline runs');
    expect(row).toContain(`<div class="label">p95</div><div class="value">${formatMs(overall?.p95.current as number)}</div><div class="base">baseline ${formatMs(overall?.p95.baseline as number)} · +`);
    expect(row).toContain(`<div class="label">Throughput</div><div class="value">${formatRps(overall?.throughput.current as number)}</div>`);
    for (const label of ['Requests', 'p50', 'p99', 'Error rate', 'Measured']) expect(row).toContain(`<div class="label">${label}</div>`);
  });

  test('the timeline: load, throughput, p95 and errors on one x axis in seconds, aligned and with one cursor', () => {
    const timeline = specsOf(html).filter((s) => s.sync === 'timeline');
    expect(timeline.map((s) => s.yLabel)).toEqual(['iterations/s', 'req/s', 'p95 ms', '% errors']);
    // The run is 5 s of warm-up and 60 s measured: every chart ends there.
    expect(new Set(timeline.map((s) => s.xMax))).toEqual(new Set([65]));
    expect(timeline.every((s) => s.gutter === true && s.kind === 'time' && s.warmup?.[1] === 5)).toBe(true);
    const [load, , p95] = timeline as [ChartSpec, ChartSpec, ChartSpec, ChartSpec];
    expect(load.series.map((s) => s.label)).toEqual(['iterations asked/s', 'iterations started/s', 'VUs running', 'started/s, baseline']);
    expect(p95.series.map((s) => s.label)).toEqual(['p95', 'p95 baseline']);
    // The p95 per block of this run: the first block's, at its middle (5.5 s).
    const first = decodeCounts(big.current.overall.blocks[0]?.histogram as string);
    expect(p95.data[0]?.[0]).toBe(5.5);
    expect(p95.data[1]?.[0]).toBeCloseTo(percentileOfCounts(first, 95), 3);
  });

  test('the latency histogram: log-spaced bins from the HDR counts, each run’s shares adding up to 100%', () => {
    const histogram = specsOf(html).find((s) => s.kind === 'histogram') as ChartSpec;
    const edges = histogram.data[0] as number[];
    expect(edges.length).toBeGreaterThan(10);
    for (let i = 1; i < edges.length; i++) expect(edges[i]! / edges[i - 1]!).toBeCloseTo(10 ** (1 / 20), 2);
    expect(histogram.series.map((s) => s.label)).toEqual(['this run', 'newest baseline']);
    for (const column of histogram.data.slice(1)) expect(column.reduce<number>((sum, v) => sum + (v ?? 0), 0)).toBeCloseTo(100, 1);
    // Half the requests lie at or below the median's bin.
    const counts = decodeCounts(big.current.overall.histogram);
    const median = percentileOfCounts(counts, 50);
    const below = (histogram.data[1] as number[]).reduce((sum, v, i) => (edges[i]! <= median ? sum + v : sum), 0);
    expect(below).toBeGreaterThanOrEqual(50);
    expect(below).toBeLessThan(70);
  });

  test('a run alone shows its thresholds and checks, names escaped', () => {
    const current = { ...big.current, checks: { 'status 200': { passes: 90, fails: 10 }, '<b>x</b>': { passes: 5, fails: 0 } } };
    const page = renderHtmlReport({
      current,
      thresholds: [{ metric: 'http_req_failed', expression: 'rate<0.01', step: null, status: 'ok', observed: 0, unit: 'ratio' }],
    });
    const checks = section(page, 'checks');
    expect(checks).toContain('<code>rate&#60;0.01</code>');
    expect(checks).toMatch(/<code>status 200<\/code><\/td><td>90<\/td><td>10<\/td><td>90\.0%<\/td>/);
    expect(checks).toContain('<code>&#60;b&#62;x&#60;/b&#62;</code>');
    expect(checks).not.toContain('<b>');
    const row = section(page, 'overview');
    expect(row).toContain('</span> run only</div>');
    expect(row).not.toContain('<div class="base">baseline ');
    expect(row).toContain('no baseline given');
  });
});
