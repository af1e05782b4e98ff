import { describe, expect, test } from 'vitest';
import { renderHtmlReport } from '../../../src/report/html/render-html-report.js';
import { hostileCase, regressionCase } from './report-fixtures.js';

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
    // Five charts per step (percentiles, distribution, throughput, errors, history).
    expect(html.match(/data-chart="/g)).toHaveLength(4 * 5);
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
    // Percentiles, distribution, throughput and errors per step; no history without baseline runs.
    expect(html.match(/data-chart="/g)).toHaveLength(4 * 4);
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
});
