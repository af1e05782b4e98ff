import { expect, test } from 'vitest';
import { renderReport } from '../../../src/report/render-report.js';
import { regressionCase } from './report-fixtures.js';

const { comparison } = regressionCase({ baselineRuns: 2 });

test('the markdown report links to the HTML report when given its URL, on the context line', () => {
  const url = 'https://github.com/o/r/actions/runs/12/artifacts/34';
  const markdown = renderReport(comparison, { htmlReportUrl: url });
  expect(markdown).toContain(`· <a href="${url}">📊 HTML report with charts</a></sub>`);
  expect(markdown.split('\n')).toHaveLength(renderReport(comparison).split('\n').length);
});

test('no link without a URL, or with one that is not http(s)', () => {
  expect(renderReport(comparison)).not.toContain('HTML report');
  expect(renderReport(comparison, { htmlReportUrl: 'javascript:alert(1)' })).not.toContain('HTML report');
});
