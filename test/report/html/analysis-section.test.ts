import { describe, expect, test } from 'vitest';
import { ANALYSIS_SCHEMA } from '../../../src/analyze/analysis-types.js';
import { analysisLines } from '../../../src/report/analysis-report.js';
import type { ChartSpec } from '../../../src/report/html/chart-data.js';
import { escapeHtml } from '../../../src/report/html/html-escape.js';
import { renderHtmlReport } from '../../../src/report/html/render-html-report.js';
import { everyAnswer, HOSTILE, surgeRecord } from './analysis-fixtures.js';
import { regressionCase } from './report-fixtures.js';

function specsOf(html: string): ChartSpec[] {
  const data = html.slice(html.indexOf('<script type="application/json"'));
  return JSON.parse(data.slice(data.indexOf('>') + 1, data.indexOf('</script>'))) as ChartSpec[];
}

function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('the HTML report’s analysis section', () => {
  const current = surgeRecord(5000);
  const analysis = everyAnswer();
  const html = renderHtmlReport({ current, analysis });
  const answers = section(html, 'analysis');

  test('sits right after the overview row and the timeline, before the status codes', () => {
    const order = ['id="overview"', 'id="timeline"', 'id="analysis"', 'id="outcomes"'].map((mark) => html.indexOf(mark));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(answers).toContain('<h2>What the run’s shape answers</h2>');
  });

  test('says the analysis’s own lines, one item each, then its notes, escaped', () => {
    const items = [...answers.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]);
    expect(items).toEqual(analysisLines(analysis).map(escapeHtml));
    expect(items[0]).toContain('Breaking point: sustains 330 req/s');
    expect(answers).toContain(`<p class="muted">note ${escapeHtml(HOSTILE)}</p>`);
  });

  test('draws the capacity chart and the time chart beside the page’s other charts', () => {
    const plain = renderHtmlReport({ current });
    expect(html.match(/data-chart="/g)?.length).toBe((plain.match(/data-chart="/g)?.length ?? 0) + 2);
    const indexes = [...answers.matchAll(/data-chart="(\d+)"/g)].map((m) => Number(m[1]));
    const [capacity, overTime] = indexes.map((i) => specsOf(html)[i] as ChartSpec);
    expect(capacity?.kind).toBe('load');
    expect(capacity?.markers?.map((m) => m.at)).toEqual([165, 180]);
    expect(overTime?.series.map((s) => s.label)).toEqual(['p95', 'trend +12%/min']);
    // The surge 20–26 s into the measured period, after the 5 s warm-up; the timeline's end.
    expect(overTime?.zones?.[0]).toMatchObject({ from: 25, to: 31, label: 'surge' });
    expect(overTime?.xMax).toBe(65);
    expect(answers).toContain('the surge</span>');
    expect(answers).toContain('the recovery’s 95% interval</span>');
  });

  test('lists the levels by offered load, a row each, the reasons escaped', () => {
    const rows = [...answers.matchAll(/<tr(?: class="error-row")?><td>(\d+) it\/s<\/td>/g)].map((m) => Number(m[1]));
    expect(rows).toEqual([40, 80, 120, 160, 200, 240]);
    expect(answers).toContain('<tr class="error-row"><td>200 it/s</td><td>400 req/s</td><td>330 req/s</td><td>200</td><td>900 ms</td><td>+12%/s</td><td>0.20%</td><td>no</td>');
    expect(answers).toContain(`<td class="text">p95 900 ms, over the 500 ms limit; block p95 grew ${escapeHtml(HOSTILE)}</td>`);
    const body = html.slice(html.indexOf('<body>'), html.indexOf('<script type="application/json"'));
    expect(body).not.toMatch(/<img|onerror=alert\(1\)>/i);
    expect(html.match(/<script\b/g)).toHaveLength(3);
  });

  test('no section without an analysis, nor for one that answers and notes nothing', () => {
    expect(renderHtmlReport({ current })).not.toContain('id="analysis"');
    expect(renderHtmlReport({ current, analysis: { schema: ANALYSIS_SCHEMA, shape: 'other', recovery: [], notes: [] } })).not.toContain('id="analysis"');
  });

  test('only notes: the notes, no chart', () => {
    const page = renderHtmlReport({ current, analysis: { schema: ANALYSIS_SCHEMA, shape: 'steady', recovery: [], notes: ['The slow burn needs 8 blocks.'] } });
    const notes = section(page, 'analysis');
    expect(notes).toContain('<p class="muted">The slow burn needs 8 blocks.</p>');
    expect(notes).not.toContain('data-chart');
  });

  test('beside a longer baseline run, the time chart ends where the timeline does', () => {
    const big = regressionCase({ baselineRuns: 2, warmupMs: 5000 });
    const longer = { ...big.baselines[1]!, meta: { ...big.baselines[1]!.meta, measuredMs: 90_000 } };
    const page = renderHtmlReport({ ...big, baselines: [big.baselines[0]!, longer], comparison: undefined, analysis: { ...everyAnswer(), capacity: undefined } });
    const timeline = specsOf(page).filter((s) => s.sync === 'timeline');
    expect(new Set(timeline.map((s) => s.xMax))).toEqual(new Set([95]));
  });
});
