import { describe, expect, test } from 'vitest';
import { renderHtmlReport } from '../../../src/report/html/render-html-report.js';
import type { ChartSpec } from '../../../src/report/html/chart-data.js';
import { hostileCase, pairedCase, regressionCase } from './report-fixtures.js';

/** The chart specs a page carries (its JSON data element). */
function specsOf(html: string): ChartSpec[] {
  const data = html.slice(html.indexOf('<script type="application/json"'));
  return JSON.parse(data.slice(data.indexOf('>') + 1, data.indexOf('</script>'))) as ChartSpec[];
}

const bodyOf = (html: string): string => html.slice(html.indexOf('<body>'), html.indexOf('<script type="application/json"'));

describe('renderHtmlReport', () => {
  const big = regressionCase();

  test('3 steps, 60 s and 10 baseline runs make a page under 2 MB, rendered in well under a second', () => {
    const started = performance.now();
    const html = renderHtmlReport(big);
    const elapsed = performance.now() - started;
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 2 ** 20);
    expect(elapsed).toBeLessThan(1000);
  });

  test('is pure: the same input renders the same page', () => {
    expect(renderHtmlReport(big)).toBe(renderHtmlReport(big));
  });

  test('shows the verdict, the headline and a table per step, overall first', () => {
    const html = renderHtmlReport(big);
    expect(big.comparison.verdict).toBe('regression');
    expect(html).toMatch(/<span class="word">regression<\/span>/);
    expect(html).toMatch(/(overall p95|p95 of <code>checkout<\/code>) is \d+% slower/);
    const tables = [...html.matchAll(/<div class="step-table">\n<h3>.*?(All steps|<code>(\w+)<\/code>)/g)].map((m) => m[2] ?? m[1]);
    expect(tables).toEqual(['All steps', 'list', 'detail', 'checkout']);
    // The timeline's four and the histogram; five charts per step (percentiles, distribution, throughput, errors, history), and the load's shape.
    expect(html.match(/data-chart="/g)).toHaveLength(5 + 4 * 5 + 1);
  });

  test('is self-contained: no external script, style, image, font or link; a CSP forbids the network', () => {
    const html = renderHtmlReport(big);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+' 'sha256-[^']+';/);
  });

  test('a run alone (no baseline) shows its own numbers and charts, without baseline series', () => {
    const html = renderHtmlReport({ current: big.current });
    expect(html).toContain('Run only');
    expect(html).toContain('<td><code>checkout</code></td>');
    // The timeline and the histogram; percentiles, distribution, throughput and errors per step; no history without baseline runs; the load's shape.
    expect(html.match(/data-chart="/g)).toHaveLength(5 + 4 * 4 + 1);
    expect(html).not.toContain('p95 baseline');
  });

  test('only the baseline runs the comparison used are charted as its history', () => {
    const html = renderHtmlReport({ ...big, baselines: [...big.baselines, { ...big.baselines[0]!, meta: { ...big.baselines[0]!.meta, runId: 'not-used', startedAt: '2025-01-01T00:00:00.000Z' } }] });
    expect(html).not.toContain('not-used');
  });

  test('names, notes, reasons and commits from records are escaped; nothing of them reaches the page as markup', () => {
    const hostile = hostileCase();
    const html = renderHtmlReport(hostile);
    const body = bodyOf(html);
    expect(body).not.toMatch(/<img|<script|<b>|onerror=alert\(1\)>/i);
    expect(body).toContain('&#60;img src=x onerror=alert(1)&#62;');
    // The chart data sits in a JSON script element that no text can end.
    const data = html.slice(html.indexOf('<script type="application/json"'));
    expect(data.indexOf('</script>')).toBe(data.indexOf('</script>\n<script>'));
    expect(() => JSON.parse(data.slice(data.indexOf('>') + 1, data.indexOf('</script>')))).not.toThrow();
    // Three scripts in all: the data, uPlot and the page's own.
    expect(html.match(/<script\b/g)).toHaveLength(3);
  });

  test('the warm-up is shaded on the time charts when the record had one', () => {
    const html = renderHtmlReport(regressionCase({ baselineRuns: 2, warmupMs: 5000 }));
    expect(html).toContain('"warmup":[0,5]');
    expect(html).toContain('5 s warm-up (shaded in the charts');
  });

  test('the load over time: started and dropped per second against the rate asked, stages marked, warm-up shaded, beside the baseline', () => {
    const html = renderHtmlReport(regressionCase({ baselineRuns: 2, warmupMs: 5000 }));
    const load = html.slice(html.indexOf('<section id="load">'));
    expect(load).toContain('<code>load</code>: iterations started and dropped per second');
    const spec = specsOf(html)[Number(/data-chart="(\d+)"/.exec(load)?.[1])] as ChartSpec;
    expect(spec.series.map((s) => s.label)).toEqual(['iterations started/s', 'dropped/s (no free VU)', 'VUs running', 'rate asked', 'started/s, baseline']);
    expect(spec.series.filter((s) => s.right).map((s) => s.label)).toEqual(['VUs running']);
    expect(spec.rightLabel).toBe('VUs');
    expect(spec.warmup).toEqual([0, 5]);
    expect(spec.marks).toEqual([65]);
    // 5 warm-up slices and 60 blocks, at their middles; the rate asked from 0 s to the end.
    const [xs, started, , , asked] = spec.data as [number[], Array<number | null>, unknown, unknown, Array<number | null>];
    expect(xs.filter((x) => x % 1 === 0.5)).toHaveLength(65);
    expect(started.filter((v) => v !== null)).toHaveLength(65);
    expect(asked.filter((v) => v !== null)).toHaveLength(2);
  });

  test('a closed-model scenario: the VUs running against the VUs asked, each stage’s end marked', () => {
    const { current } = regressionCase({ baselineRuns: 1 });
    const slices = current.blocks.length;
    current.loadShape = {
      warmupSlices: 0,
      scenarios: {
        load: {
          planned: [{ atMs: 0, target: 0 }, { atMs: 20_000, target: 30 }, { atMs: 60_000, target: 30 }],
          vus: Array.from({ length: slices }, (_, i) => Math.min(30, 1.5 * i)),
        },
      },
    };
    const html = renderHtmlReport({ current });
    expect(html).toContain('<code>load</code>: VUs running, mean per block');
    const spec = specsOf(html).find((s) => s.yLabel === 'VUs' && s.sync === undefined) as ChartSpec;
    expect(spec.series.map((s) => s.label)).toEqual(['VUs running', 'VUs asked']);
    expect(spec.marks).toEqual([20, 60]);
    expect(spec.warmup).toBeUndefined();
    expect(spec.data[1]?.filter((v) => v !== null)).toHaveLength(slices);
  });

  test('a record without a load shape (an older tailgate) says so instead of a chart', () => {
    const { current } = regressionCase({ baselineRuns: 1 });
    delete current.loadShape;
    const html = renderHtmlReport({ current });
    expect(html).toContain('This record holds no load shape over time');
    // The timeline without its load chart, the histogram, and four charts per step.
    expect(html.match(/data-chart="/g)).toHaveLength(3 + 1 + 4 * 4);
  });

  test('a paired run: each step charts the head and base blocks in their order, settles shaded', () => {
    const { paired, comparison } = pairedCase();
    const html = renderHtmlReport({ comparison, current: paired.head, baselines: [paired.base], paired });
    expect(html).toContain('Paired blocks in the order they ran');
    const spec = specsOf(html).find((s) => s.series[0]?.label === 'head (this run)') as ChartSpec;
    expect(spec.series.map((s) => s.label)).toEqual(['head (this run)', 'base']);
    // 24 blocks of 2 s, each settling for its first second: measured halves at 1.5 s, 3.5 s, ...
    expect(spec.bands).toHaveLength(24);
    expect(spec.bands?.[1]).toEqual([2, 3]);
    const [xs, head, base] = spec.data as [number[], Array<number | null>, Array<number | null>];
    expect(xs.slice(0, 4)).toEqual([1.5, 3.5, 5.5, 7.5]);
    // ABBA: head, base, base, head; each block's p95 on its arm's line only.
    expect([head[0] !== null, base[1] !== null, base[2] !== null, head[3] !== null]).toEqual([true, true, true, true]);
    expect([base[0], head[1], head[2], base[3]]).toEqual([null, null, null, null]);
    // The head is 30% slower: its block p95s sit above the base's.
    const mean = (values: Array<number | null>): number => {
      const kept = values.filter((v): v is number => v !== null);
      return kept.reduce((a, b) => a + b, 0) / kept.length;
    };
    expect(mean(head) / mean(base)).toBeGreaterThan(1.15);
  });
});
