import { describe, expect, test } from 'vitest';
import type { ChartSpec } from '../../../src/report/html/chart-data.js';
import { renderHtmlReport } from '../../../src/report/html/render-html-report.js';
import { serverTimingCase, withServerTiming } from '../server-timing-fixtures.js';

/** The chart specs a page carries (its JSON data element). */
function specsOf(html: string): ChartSpec[] {
  const data = html.slice(html.indexOf('<script type="application/json"'));
  return JSON.parse(data.slice(data.indexOf('>') + 1, data.indexOf('</script>'))) as ChartSpec[];
}

/** The HTML of one step's section, and the specs of the charts placed in it. */
function section(html: string, step: string): { html: string; charts: ChartSpec[] } {
  const start = html.search(new RegExp(`<section class="step" id="step-\\d+-${step}">`));
  const body = html.slice(start, html.indexOf('</section>', start));
  const specs = specsOf(html);
  return { html: body, charts: [...body.matchAll(/data-chart="(\d+)"/g)].map((m) => specs[Number(m[1])] as ChartSpec) };
}

const serverTimingChartOf = (charts: ChartSpec[]): ChartSpec | undefined => charts.find((c) => c.yLabel === 'p95 of dur, ms');

describe('Server-Timing on the HTML page', () => {
  const compared = serverTimingCase();

  test('a compared step shows each component’s p95, baseline and this run, and the change, and a chart of them per block', () => {
    const html = renderHtmlReport(compared);
    const checkout = section(html, 'checkout');
    const rows = [...checkout.html.matchAll(/<tr><td><code>(\w+)<\/code><\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td>/g)].map((m) => m.slice(1));
    expect(rows).toEqual([
      ['db', '10.0 ms', '40.0 ms', '+30.0 ms (+300%)'],
      ['app', '5.00 ms', '5.00 ms', '±0 ms (±0.0%)'],
    ]);
    expect(checkout.html).toContain('This run: 3 malformed entries.');
    const chart = serverTimingChartOf(checkout.charts) as ChartSpec;
    expect(chart.series.map((s) => [s.label, s.dash ?? false])).toEqual([
      ['db', false],
      ['app', false],
      ['db baseline', true],
      ['app baseline', true],
    ]);
    // Known durations: db 40 ms in every block of this run, 10 ms in the newest baseline run's; app 5 ms in both.
    const [, db, app, dbBase, appBase] = chart.data as number[][];
    expect(new Set(db?.filter((v) => v !== null).map(Math.round))).toEqual(new Set([40]));
    expect(new Set(dbBase?.filter((v) => v !== null).map(Math.round))).toEqual(new Set([10]));
    expect(new Set([...(app ?? []), ...(appBase ?? [])].filter((v) => v !== null).map(Math.round))).toEqual(new Set([5]));
    expect(db?.filter((v) => v !== null)).toHaveLength(compared.current.blocks.length);
  });

  test('the chart is on the step’s time axis: the same block times as its latency chart', () => {
    const checkout = section(renderHtmlReport(compared), 'checkout');
    const latency = checkout.charts[0] as ChartSpec;
    const timing = serverTimingChartOf(checkout.charts) as ChartSpec;
    expect(latency.series[0]?.label).toBe('p50');
    expect(timing.data[0]).toEqual(latency.data[0]);
    expect(timing.warmup).toEqual(latency.warmup);
  });

  test('follows each block: a component that steps from 10 to 40 ms halfway is drawn at 10 then 40', () => {
    const current = withServerTiming(compared.current, 'checkout', { db: (block) => Array.from({ length: 10 }, () => (block < 10 ? 10 : 40)) });
    const chart = serverTimingChartOf(section(renderHtmlReport({ current }), 'checkout').charts) as ChartSpec;
    const db = (chart.data[1] as Array<number | null>).map((v) => (v === null ? null : Math.round(v)));
    expect(db).toEqual(current.blocks.map((_, i) => (i < 10 ? 10 : 40)));
  });

  test('only steps that reported components get the section', () => {
    const html = renderHtmlReport(compared);
    expect(html.match(/<div class="server-timing">/g)).toHaveLength(1);
    expect(section(html, 'list').html).not.toContain('Server-Timing');
    expect(serverTimingChartOf(section(html, 'list').charts)).toBeUndefined();
  });

  test('a run on its own shows its components from the record: p50 and p95 of dur, entries, description, no baseline line', () => {
    const base = withServerTiming(compared.current, 'checkout', { db: () => [10, 20, 30, 40], cache: () => [1] }, { dropped: 4 });
    const steps = base.steps;
    const current = { ...base, steps: { ...steps, checkout: { ...steps.checkout!, serverTiming: { ...steps.checkout!.serverTiming!, components: { ...steps.checkout!.serverTiming!.components, cache: { ...steps.checkout!.serverTiming!.components.cache!, description: 'Cache <read>' } } } } } };
    const html = renderHtmlReport({ current });
    const checkout = section(html, 'checkout');
    expect(html).toContain('Run only');
    const rows = [...checkout.html.matchAll(/<tr><td><code>(\w+)<\/code><\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td class="text">([^<]*)<\/td>/g)].map((m) => m.slice(1));
    expect(rows).toEqual([
      ['db', '20.0 ms', '40.0 ms', '80', ''],
      ['cache', '1.00 ms', '1.00 ms', '20', 'Cache &#60;read&#62;'],
    ]);
    expect(checkout.html).toContain('4 entries dropped (beyond the first 20 names)');
    const chart = serverTimingChartOf(checkout.charts) as ChartSpec;
    expect(chart.series.map((s) => s.label)).toEqual(['db', 'cache']);
    expect(chart.series.some((s) => s.dash)).toBe(false);
  });

  test('escapes every name from the target, in the tables and in the chart data', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const { comparison, current, baselines } = serverTimingCase({ names: { db: hostile, app: '</script><script>alert(2)</script>' } });
    const html = renderHtmlReport({ comparison, current, baselines });
    const body = html.slice(html.indexOf('<body>'), html.indexOf('<script type="application/json"'));
    expect(body).not.toContain('<img');
    expect(body).toContain('<code>&#60;img src=x onerror=alert(1)&#62;</code>');
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(serverTimingChartOf(section(html, 'checkout').charts)?.series.map((s) => s.label)).toContain(hostile);
    const alone = renderHtmlReport({ current });
    expect(alone.slice(alone.indexOf('<body>'), alone.indexOf('<script type="application/json"'))).not.toContain('<img');
  });
});
