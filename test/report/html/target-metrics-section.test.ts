import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../src/record/run-record-types.js';
import { renderHtmlReport } from '../../../src/report/html/render-html-report.js';
import { targetMetricsSection } from '../../../src/report/html/target-metrics-section.js';
import { seededRandom } from '../../../src/stats/seeded-random.js';
import { syntheticRun } from '../../compare/record-builder.js';
import { withScrapes } from '../../compare/target-metrics-runs.js';

/** The target's own metrics on the page of a run alone: what its record derives, the scrape's outcome, the chart. */
const run = (): RunRecord => withScrapes(syntheticRun(3, { list: { blocks: 20, requestsPerBlock: 100 } }, { blockMs: 1_000 }), seededRandom(3));

describe('the target’s own metrics on the HTML page', () => {
  it('a run alone: CPU per request, cores busy, memory at the end and its slope, and a chart of both per block', () => {
    const html = renderHtmlReport({ current: run() });
    const section = html.slice(html.indexOf('<section id="target-metrics">'), html.indexOf('</section>', html.indexOf('<section id="target-metrics">')));
    expect(section).toContain('Scraped from <code>http://127.0.0.1:9464/metrics</code> every 1,000 ms: 21 scrapes.');
    expect(section).toMatch(/<tr><td>CPU per request<\/td><td>0\.[45]\d* ms CPU\/req<\/td><td class="text muted">0\.0[45] cores busy on average<\/td><\/tr>/);
    expect(section).toMatch(/<tr><td>Resident memory at the end<\/td><td>7\d(\.\d)? MiB<\/td>/);
    expect(section).toContain('CPU per request (ms of CPU, left) and resident memory (MiB, right) per block');
  });

  it('says a scrape failed, with the scraper’s first warning escaped; nothing at all for a run that did not scrape', () => {
    const failed: RunRecord = { ...run(), targetMetrics: { url: 'http://127.0.0.1:9464/metrics', intervalMs: 1_000, scrapes: 21, failed: 21, warnings: ['<b>refused</b>'], series: {} } };
    const html = targetMetricsSection(undefined, failed, undefined, () => '<div></div>');
    expect(html).toContain('21 scrapes; 21 failed. <span class="warning">⚠️ &#60;b&#62;refused&#60;/b&#62;</span>');
    expect(html).not.toContain('<figure>');
    const bare = run();
    delete bare.targetMetrics;
    expect(targetMetricsSection(undefined, bare, undefined, () => '')).toBe('');
  });
});
